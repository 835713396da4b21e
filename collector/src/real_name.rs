//! Real-name voting on the vote's side: whether a vote's token proves a
//! verified person in its batch. The verification itself (codes, tokens
//! issued) is in [`crate::api::verifications`]. Tokens are never stored or
//! logged; a real-name vote stores only the person key.

use survey_protocol::{Batch, RealName};

use crate::error::Error;
use crate::secret::{PersonKey, Secret};
use crate::token;

/// The person a real-name vote is from (`Ok(Some)`), `Ok(None)` for an
/// anonymous vote, or 401 when the vote may not be counted: a `required`
/// batch without a token, or a token that is forged, expired, or for
/// another batch. A batch with `real_name: off` has no verification, so no
/// token can be good for it.
pub fn verify(batch: &Batch, token: Option<&str>, secret: &Secret, now: i64) -> Result<Option<PersonKey>, Error> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return match batch.real_name {
            RealName::Required => Err(Error::VerificationRequired),
            RealName::Off | RealName::Optional => Ok(None),
        };
    };
    match token::verify(secret, token, now) {
        Some(claims) if claims.batch_id == batch.id && batch.real_name != RealName::Off => Ok(Some(claims.person)),
        _ => Err(Error::VerificationRequired),
    }
}
