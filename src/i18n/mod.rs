//! Every sentence the widget itself shows, one catalogue per language.
//!
//! The catalogue is a struct, so a key missing from a language is a compile
//! error; `entries` lets the tests check placeholders and emptiness. Batch
//! content is not here: it comes from the endpoint in the language asked for.
//!
//! The sentences of the screens that come later (the receipt, results,
//! follow-up, earlier batches) are in [`later`], and those of the real-name
//! steps in [`real_name`], catalogues of their own: only those screens'
//! code refers to them, so the release build moves them into their chunks,
//! out of the download that shows the form.

mod en;
mod zh_cn;

use crate::config::Lang;

macro_rules! catalogue {
    ($name:ident { $($(#[$doc:meta])* $key:ident,)* }) => {
        /// One language's sentences. `{name}` marks a value filled in by [`fill`](crate::i18n::fill).
        pub struct $name {
            $($(#[$doc])* pub $key: &'static str,)*
        }

        impl $name {
            /// Every key with its sentence, for completeness checks.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)*]
            }
        }
    };
}

pub mod later;
pub mod real_name;

catalogue! { Catalogue {
    /// Accessible name of the whole widget.
    widget_label,
    loading,
    /// The care-mode switch (关怀模式): large text, high contrast.
    care_mode,
    retry,
    no_batch_title,
    no_batch_body,
    upcoming_title,
    /// `{date}`: when the batch opens.
    opens_at,
    /// `{date}`: when the open batch closes.
    closes_at,
    load_failed_title,
    config_failed_title,
    /// Heading of the details a site administrator needs to fix a broken batch.
    technical_details,
    location_legend,
    location_hint,
    province_label,
    city_label,
    county_label,
    select_placeholder,
    regions_loading,
    regions_failed,
    choices_legend,
    /// `{min}`, `{max}`: the batch's limits.
    choices_hint_range,
    /// `{max}`: the most a citizen may tick when there is no minimum.
    choices_hint_max,
    /// `{n}` chosen of `{max}`.
    choices_count,
    /// `{max}`: said when a tick past the maximum is refused.
    choices_at_max,
    other_label,
    other_hint,
    /// `{n}` characters of `{max}`.
    other_count,
    submit,
    submitting,
    /// Read before each field error, so it never relies on colour alone.
    error_prefix,
    error_summary_title,
    err_province_required,
    err_city_required,
    err_county_required,
    err_place_unknown,
    /// `{min}`: fewest choices.
    err_choices_too_few,
    /// `{max}`: most choices.
    err_choices_too_many,
    err_choices_unknown,
    /// `{max}`: longest other text.
    err_other_too_long,
    err_not_allowed,
    err_offline,
    err_network,
    err_timeout,
    /// `{status}`: the HTTP status.
    err_server,
    err_busy,
    /// `{seconds}`: how long the endpoint asked us to wait.
    err_busy_for,
    err_batch_not_json,
    err_batch_wrong_shape,
    err_broken_batch,
    err_bad_response,
    err_closed,
    err_already_voted,
    err_verification_needed,
    /// `{status}`: the HTTP status.
    err_refused,
    err_bad_endpoint,
    /// Legend of the real-name block.
    real_name_legend,
    /// Legend of the anonymous / real-name choice.
    mode_legend,
    mode_anonymous,
    mode_real_name,
    err_code_expired,
    err_too_many_tries,
    err_insecure,
    /// A part of the widget fetched when needed (receipt, real-name steps) did not arrive.
    err_not_loaded,
    err_verify_first,
    err_verify_first_required,
    saved_sending,
    saved_offline,
    /// `{seconds}` until the next automatic try.
    saved_retry,
    retry_now,
    crash_title,
    crash_body,
    reload,
    answers_kept,
}}

/// The catalogue for a language.
pub fn catalogue(lang: Lang) -> &'static Catalogue {
    match lang {
        Lang::ZhCn => &zh_cn::ZH_CN,
        Lang::En => &en::EN,
    }
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}
