//! Real-name voting: the boundary the verification feature will fill in.
//! Until `POST /verifications` exists no token can be genuine, so a vote that
//! carries one, or that a `required` batch receives without one, is refused.
//! Tokens are never stored or logged.

use survey_protocol::{Batch, RealName};

use crate::error::Error;

/// Whether the vote counts as a real-name vote (`Ok(true)`), an anonymous
/// one (`Ok(false)`), or may not be counted at all.
pub fn verify(batch: &Batch, token: Option<&str>) -> Result<bool, Error> {
    match (batch.real_name, token.filter(|t| !t.is_empty())) {
        (RealName::Required, None) | (_, Some(_)) => Err(Error::VerificationRequired),
        (RealName::Off | RealName::Optional, None) => Ok(false),
    }
}

/// `POST /verifications` and `POST /verifications/{id}/confirm`, reserved by
/// protocol v1 for the verification feature.
pub async fn not_yet() -> Error {
    Error::NotImplemented("Real-name verification is not available on this server yet.")
}
