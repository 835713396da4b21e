//! The sentences of the real-name steps (privacy notice and consent, name,
//! ID number and phone, the SMS code, "verified as"), in a catalogue only
//! those steps refer to, so they travel in the steps' chunk. What the form
//! itself says about real names (the choice, "verify first", errors any
//! call may end in) stays in the form's catalogue.

mod en;
mod zh_cn;

use crate::config::Lang;

catalogue! { RealNameCatalogue {
    privacy_title,
    consent_label,
    name_label,
    name_hint,
    id_number_label,
    id_number_hint,
    phone_label,
    phone_hint,
    send_code,
    sending_code,
    /// `{seconds}` until a new code may be asked for.
    resend_in,
    resend_code,
    code_sent,
    code_label,
    confirm_code,
    confirming_code,
    /// `{name}`: the masked name, e.g. 张*.
    verified_as,
    err_consent_needed,
    err_name_missing,
    err_name_invalid,
    err_id_missing,
    err_id_length,
    err_id_characters,
    err_id_region,
    err_id_birth_date,
    err_id_checksum,
    err_phone_missing,
    err_phone_invalid,
    err_code_invalid,
    err_code_wrong,
}}

/// The real-name steps' catalogue for a language.
pub fn real_name_catalogue(lang: Lang) -> &'static RealNameCatalogue {
    match lang {
        Lang::ZhCn => &zh_cn::ZH_CN,
        Lang::En => &en::EN,
    }
}
