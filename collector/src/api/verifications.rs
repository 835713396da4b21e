//! `POST /verifications` and `POST /verifications/{id}/confirm`: a citizen
//! gives name, resident ID number and mobile number, receives a six-digit
//! code by SMS, and trades the code for a token that makes their vote in one
//! batch a real-name vote.
//!
//! What is kept, in the database while a code is pending (so any collector
//! can confirm it): the batch, the person key (an HMAC of the ID number, see
//! [`crate::secret`]), an HMAC of the code, its expiry and wrong tries, and
//! the masked name. The name and phone number are dropped when the request
//! ends; the ID number survives only as the person key. Nothing here is
//! logged but the verification id.
//!
//! The reference proves that the citizen holds the phone and gives a
//! well-formed ID number; it does not check that the name, the number and the
//! phone belong to one person. A deployment that must (a carrier's
//! name/ID/phone match, a portal login) needs a check this reference does not
//! have, or tokens minted by the portal (see [`crate::token`]).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use survey_protocol::field_error::field;
use survey_protocol::identity::{IdNumberError, check_id_number, is_plausible_name, masked_name, normalize_phone};
use survey_protocol::time::{civil_from_days, format_rfc3339};
use survey_protocol::{FieldError, FieldErrorCode, RealName, VerificationCreated, Verified};

use crate::api::json_body;
use crate::api::votes::open_for_votes;
use crate::client_address::ClientAddress;
use crate::error::Error;
use crate::pending::{Pending, Refusal};
use crate::secret::Secret;
use crate::sms::CodeMessage;
use crate::state::AppState;
use crate::token;

/// Largest body accepted on both paths; a request is under 200 bytes.
pub const BODY_LIMIT: usize = 4 * 1024;

/// How long a code is accepted, in seconds.
pub const CODE_LIFETIME_S: i64 = 5 * 60;

/// When the client may offer "send again"; the per-phone limit allows one
/// code in this time (see [`crate::rate_limit::PER_PHONE`]).
pub const RESEND_AFTER_S: u32 = 60;

/// Retry-After when this server has no way to send codes: long, since it
/// takes an operator to change that.
const NO_SENDER_RETRY_S: u64 = 600;

/// Retry-After when the SMS gateway failed.
const GATEWAY_RETRY_S: u64 = 60;

/// Mainland China, UTC+8, where ID numbers' birth dates are written.
const CHINA_OFFSET_S: i64 = 8 * 3600;

pub async fn create(
    State(state): State<Arc<AppState>>,
    address: ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<VerificationCreated>), Error> {
    let body = json_body(&headers, body, BODY_LIMIT)?;
    let mut errors = Vec::new();
    let batch_id = text_field(&body, field::BATCH_ID, &mut errors);
    let name = text_field(&body, field::NAME, &mut errors);
    let id_number = text_field(&body, field::ID_NUMBER, &mut errors);
    let phone = text_field(&body, field::PHONE, &mut errors);
    let Some(batch_id) = batch_id else {
        return Err(Error::InvalidVerification(errors));
    };

    let now = state.clock.now();
    let entry = state.catalog.get(batch_id).ok_or(Error::NotFound)?;
    if entry.batch().real_name == RealName::Off {
        return Err(Error::RealNameOff);
    }
    open_for_votes(entry, now)?;

    // Each message says what a good value looks like, never what was sent.
    if name.is_some_and(|name| !is_plausible_name(name)) {
        errors.push(invalid(field::NAME, "the name must be 2 to 40 letters, spaces or middle dots, as on the ID card"));
    }
    if let Some(Err(err)) = id_number.map(|id| check_id_number(id, today(now))) {
        errors.push(invalid(field::ID_NUMBER, id_number_message(err)));
    }
    let phone = phone.and_then(|phone| {
        let normalized = normalize_phone(phone);
        if normalized.is_none() {
            let message = "the mobile number must be a mainland one: 1, then 3 to 9, then nine digits";
            errors.push(invalid(field::PHONE, message));
        }
        normalized
    });
    let (Some(name), Some(id_number), Some(phone), true) = (name, id_number, phone, errors.is_empty()) else {
        return Err(Error::InvalidVerification(errors));
    };

    let sms = state.sms.clone().ok_or(Error::Unavailable { retry_after_s: NO_SENDER_RETRY_S })?;
    let phone_key = state.secret.mac(&[b"phone:", phone.as_bytes()]);
    let address_key = address.bucket().map(|bucket| state.secret.mac(&[b"address:", bucket.as_bytes()]));
    state
        .store
        .acquire_code(&state.code_limits, phone_key, address_key, now)
        .await?
        .map_err(|retry_after_s| Error::TooManyRequests { retry_after_s })?;

    let verification_id = new_verification_id().map_err(Error::internal)?;
    let code = new_code().map_err(Error::internal)?;
    let expires_at = now + CODE_LIFETIME_S;
    let pending = Pending {
        batch_id: batch_id.to_owned(),
        person: state.secret.person_key(batch_id, id_number),
        code_hash: code_hash(&state.secret, &verification_id, &code),
        expires_at,
        display_name: masked_name(name),
    };
    state.store.insert_verification(&verification_id, pending, now).await?;

    let message = CodeMessage {
        phone,
        code,
        verification_id: verification_id.clone(),
        valid_for_minutes: (CODE_LIFETIME_S / 60) as u32,
    };
    if let Err(err) = sms.send(&message).await {
        tracing::error!(verification = %verification_id, error = %err, "the SMS sender failed to send a code");
        // Left in place it would only expire unused: the code never went out.
        let _ = state.store.remove_verification(&verification_id).await;
        return Err(Error::Unavailable { retry_after_s: GATEWAY_RETRY_S });
    }
    let created = VerificationCreated {
        verification_id,
        method: "sms".to_owned(),
        expires_at: format_rfc3339(expires_at),
        resend_after_s: RESEND_AFTER_S,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn confirm(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Verified>, Error> {
    let Path(id) = id.map_err(|_| Error::NotFound)?;
    let body = json_body(&headers, body, BODY_LIMIT)?;
    let mut errors = Vec::new();
    let code = text_field(&body, field::CODE, &mut errors).map(str::trim);
    let Some(code) = code else {
        return Err(Error::InvalidVerification(errors));
    };
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidVerification(vec![invalid(field::CODE, "the code is six digits")]));
    }
    // Ids this server hands out are UUIDs; anything else was never one.
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(Error::NotFound);
    }

    let now = state.clock.now();
    let confirmed = state.store.confirm_verification(&id, code_hash(&state.secret, &id, code), now).await?.map_err(
        |refusal| match refusal {
            Refusal::Unknown => Error::NotFound,
            Refusal::Expired => Error::CodeExpired,
            Refusal::Wrong { tries_left } => Error::WrongCode { tries_left },
            Refusal::Closed => Error::TooManyTries,
        },
    )?;
    let expires_at = now + token::LIFETIME_S;
    let token =
        token::issue(&state.secret, &confirmed.batch_id, confirmed.person, expires_at).map_err(Error::internal)?;
    Ok(Json(Verified { token, expires_at: format_rfc3339(expires_at), display_name: confirmed.display_name }))
}

/// The string at `name`, or a `required` (missing, null or blank) or
/// `invalid_format` (not a string) error for it.
fn text_field<'a>(body: &'a Value, name: &str, errors: &mut Vec<FieldError>) -> Option<&'a str> {
    match body.get(name) {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text),
        None | Some(Value::Null | Value::String(_)) => {
            errors.push(FieldError::new(name, FieldErrorCode::Required, format!("{name} is required")));
            None
        }
        Some(_) => {
            errors.push(invalid(name, format!("{name} must be a string")));
            None
        }
    }
}

fn invalid(field: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, FieldErrorCode::InvalidFormat, message)
}

fn id_number_message(err: IdNumberError) -> &'static str {
    match err {
        IdNumberError::Length => "the ID number must be 18 characters",
        IdNumberError::Characters => "the ID number must be 17 digits and then a digit or X",
        IdNumberError::Region => "the ID number does not start with a province's code",
        IdNumberError::BirthDate => "the birth date in the ID number is not a real date in the past",
        IdNumberError::Checksum => "the last character of the ID number does not match the others; check for a typo",
    }
}

/// Today's date in China, for ID numbers' birth dates.
fn today(now: i64) -> (i64, u32, u32) {
    civil_from_days((now + CHINA_OFFSET_S).div_euclid(86_400))
}

/// The code as kept: an HMAC under the server secret, bound to its
/// verification, so the table never holds a code and one verification's
/// hash says nothing about another's.
fn code_hash(secret: &Secret, verification_id: &str, code: &str) -> [u8; 32] {
    secret.mac(&[b"code:", verification_id.as_bytes(), b":", code.as_bytes()])
}

/// Six random digits, each of the million equally likely.
fn new_code() -> Result<String, getrandom::Error> {
    // The largest multiple of a million that fits a u32: drawing below it
    // and taking the remainder has no bias.
    const BOUND: u32 = 4_294_000_000;
    loop {
        let n = getrandom::u32()?;
        if n < BOUND {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

/// A random UUID v4, the shape the widget expects of ids.
fn new_verification_id() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..200).map(|_| new_code().unwrap()).collect();
        assert!(codes.len() > 190);
        assert!(codes.iter().all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn verification_ids_are_uuid_v4() {
        let id = new_verification_id().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
    }

    #[test]
    fn today_is_the_date_in_beijing() {
        // 2018-07-08T16:30:00Z is 00:30 on 9 July in Beijing.
        assert_eq!(today(1_531_067_400), (2018, 7, 9));
    }
}
