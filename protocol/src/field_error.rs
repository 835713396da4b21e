//! Field-level errors: what a 422 carries and what the widget's own checks
//! produce, so both are shown at the field the same way.

use serde::{Deserialize, Serialize};

/// Field names used in [`FieldError::field`].
pub mod field {
    pub const BATCH_ID: &str = "batch_id";
    pub const VOTE_ID: &str = "vote_id";
    pub const PROVINCE: &str = "location.province";
    pub const CITY: &str = "location.city";
    pub const COUNTY: &str = "location.county";
    pub const CHOICES: &str = "choices";
    pub const OTHER: &str = "other";
    pub const VERIFICATION_TOKEN: &str = "verification_token";
    pub const NAME: &str = "name";
    pub const ID_NUMBER: &str = "id_number";
    pub const PHONE: &str = "phone";
    pub const CODE: &str = "code";

    /// Every field an endpoint may name in `errors`: those of a vote, then
    /// those of the verification paths.
    pub const ALL: [&str; 12] =
        [BATCH_ID, VOTE_ID, PROVINCE, CITY, COUNTY, CHOICES, OTHER, VERIFICATION_TOKEN, NAME, ID_NUMBER, PHONE, CODE];
}

/// One thing wrong with one field of a vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// A dotted path such as `location.city`; see [`field`].
    pub field: String,
    pub code: FieldErrorCode,
    /// English, for logs and other clients; the widget shows its own text per code.
    pub message: String,
}

/// Machine-readable reason; clients that meet a code they do not know show `message`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldErrorCode {
    /// Nothing given where something must be.
    Required,
    /// Fewer choices than `choices.min`.
    TooFew,
    /// More choices than `choices.max`.
    TooMany,
    UnknownOption,
    DuplicateOption,
    /// Longer than the batch allows.
    TooLong,
    /// Given where the batch does not ask for it.
    NotAllowed,
    /// Not of the required form (a code that is not six digits, an id that is not a UUID v4).
    InvalidFormat,
    /// A well-formed division code that does not exist, or not under its parent.
    UnknownPlace,
    /// The Idempotency-Key was used before for a different vote.
    KeyReused,
    /// A verification code that is not the one sent.
    WrongCode,
    /// A code this version of the protocol does not define.
    #[serde(other)]
    Unrecognised,
}

impl FieldError {
    pub fn new(field: &str, code: FieldErrorCode, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), code, message: message.into() }
    }
}
