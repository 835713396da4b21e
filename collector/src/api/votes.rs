//! `POST /votes`: a vote is checked in the order the protocol's status codes
//! suggest, handed to the writer, and acknowledged only once its group is
//! committed. The id is looked up first only for a vote that would be
//! refused: a retry of a stored vote gets its receipt whatever changed
//! since, and a new vote costs no read before its write.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};
use survey_protocol::field_error::field;
use survey_protocol::time::format_rfc3339;
use survey_protocol::vote_check::check_vote;
use survey_protocol::{BatchStatus, FieldError, FieldErrorCode, Receipt, Vote};

use crate::api::json_body;
use crate::catalog::Entry;
use crate::error::Error;
use crate::real_name;
use crate::secret::PersonKey;
use crate::state::AppState;
use crate::store::{NewVote, Outcome};

/// Largest vote body accepted, in bytes; a full vote is well under 2 KiB.
pub const BODY_LIMIT: usize = 16 * 1024;

pub async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Receipt>), Error> {
    let outcome = judge(&state, &headers, body).await;
    state.metrics.vote(&outcome);
    answer(outcome?)
}

/// What becomes of the vote in `body`: stored by the writer with the next
/// group, or refused with the reason.
async fn judge(state: &AppState, headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Outcome, Error> {
    let body = json_body(headers, body, BODY_LIMIT)?;
    // The serde message may quote the body, so it is neither sent nor logged.
    let vote: Vote = serde_json::from_value(body).map_err(|_| Error::NotAVote)?;
    let key = headers.get("idempotency-key").ok_or(Error::BadRequest("The Idempotency-Key header is missing."))?;
    if key.as_bytes() != vote.vote_id.as_bytes() {
        return Err(Error::BadRequest("The Idempotency-Key header differs from vote_id."));
    }

    let body_hash = body_hash(&vote)?;
    let now = state.clock.now();
    match check(state, &vote, now) {
        // The writer judges replays, reused keys and second real-name votes.
        Ok(real_name_key) => state.writer.submit(NewVote { vote, body_hash, real_name_key, counted_at: now }).await,
        // A retry of a stored vote gets its first receipt back even if the
        // batch has closed or its token expired since.
        Err(refusal) => match state.store.existing(&vote.vote_id, body_hash).await? {
            Some(outcome) => Ok(outcome),
            None => Err(refusal),
        },
    }
}

/// Whether `vote` may be counted now, and as whose real-name vote: the
/// batch is open, the vote keeps its rules, the places exist, the token
/// (if any) is good.
fn check(state: &AppState, vote: &Vote, now: i64) -> Result<Option<PersonKey>, Error> {
    let entry = state.catalog.get(&vote.batch_id).ok_or(Error::NotFound)?;
    open_for_votes(entry, now)?;
    let batch = entry.batch();
    let mut errors = check_vote(batch, vote);
    errors.extend(state.regions.unknown_places(&vote.location, &errors));
    if !errors.is_empty() {
        return Err(Error::InvalidVote(errors));
    }
    real_name::verify(batch, vote.verification_token.as_deref(), &state.secret, now)
}

/// SHA-256 of the vote re-serialised, so a retry matches whatever its
/// whitespace or field order. The verification token is left out: it proves
/// who voted rather than what, a retry may carry a fresh one, and the token
/// is never stored (a real-name vote keeps only the person key it proves).
pub fn body_hash(vote: &Vote) -> Result<[u8; 32], Error> {
    let answers = Vote { verification_token: None, ..vote.clone() };
    let mut hasher = Sha256::new();
    serde_json::to_writer(&mut hasher, &answers).map_err(Error::internal)?;
    Ok(hasher.finalize().into())
}

/// 410 unless the batch is open at `now`; the detail says since or until when.
pub fn open_for_votes(entry: &Entry, now: i64) -> Result<(), Error> {
    let id = &entry.batch().id;
    match entry.status_at(now) {
        BatchStatus::Open => Ok(()),
        BatchStatus::Closed => Err(Error::BatchNotOpen {
            title: "The batch is closed",
            detail: match entry.closes_at() {
                Some(t) => format!("Batch {id} closed at {}.", format_rfc3339(t)),
                None => format!("Batch {id} is closed."),
            },
        }),
        BatchStatus::Upcoming => Err(Error::BatchNotOpen {
            title: "The batch is not open yet",
            detail: match entry.opens_at() {
                Some(t) => format!("Batch {id} opens at {}.", format_rfc3339(t)),
                None => format!("Batch {id} is not open yet."),
            },
        }),
    }
}

fn answer(outcome: Outcome) -> Result<(StatusCode, Json<Receipt>), Error> {
    match outcome {
        Outcome::Counted(receipt) => Ok((StatusCode::CREATED, Json(receipt))),
        Outcome::Replayed(receipt) => Ok((StatusCode::OK, Json(receipt))),
        Outcome::AlreadyVoted => Err(Error::AlreadyVoted),
        Outcome::KeyReused => Err(Error::InvalidVote(vec![FieldError::new(
            field::VOTE_ID,
            FieldErrorCode::KeyReused,
            "this Idempotency-Key was used before for a different vote",
        )])),
    }
}
