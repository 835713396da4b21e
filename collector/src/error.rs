//! The one error type of the API. Every failure becomes an RFC 9457 problem
//! the widget can act on by status alone; internals go to the log, never to
//! the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use survey_protocol::field_error::field;
use survey_protocol::problem::{PROBLEM_CONTENT_TYPE, kind};
use survey_protocol::{FieldError, FieldErrorCode, Problem};

/// RFC 9457's type for problems that need nothing beyond their HTTP status.
const ABOUT_BLANK: &str = "about:blank";

/// A verification request or confirmation with a malformed field. Protocol
/// v1 names no type for it (clients go by the status, 422, and `errors`).
pub const INVALID_VERIFICATION: &str = "urn:bottleneck-survey:problem:invalid-verification";

#[derive(Debug)]
pub enum Error {
    /// 400: the body is not JSON, a header is missing or contradicts the body.
    BadRequest(&'static str),
    /// 422: JSON, but not shaped like a vote, so no field can be named.
    NotAVote,
    /// 422: the vote breaks its batch's rules, field by field.
    InvalidVote(Vec<FieldError>),
    /// 422: a verification request or code is malformed, field by field.
    /// The messages never repeat what was sent.
    InvalidVerification(Vec<FieldError>),
    /// 422: the code is not the one sent; `tries_left` more are allowed.
    WrongCode { tries_left: u8 },
    /// 401: the batch needs a real-name verification this vote does not prove.
    VerificationRequired,
    /// 409: this person has a real-name vote in this batch already.
    AlreadyVoted,
    /// 409: a verification for a batch that takes no real names.
    RealNameOff,
    /// 404: no such batch, results, or path.
    NotFound,
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// 410: the batch takes no votes now; the detail says since or until when.
    BatchNotOpen { title: &'static str, detail: String },
    /// 410: the verification code has expired.
    CodeExpired,
    /// 413: the body is over `limit` bytes.
    TooLarge { limit: usize },
    /// 429: too many wrong codes; the verification is closed for good, so
    /// there is no Retry-After.
    TooManyTries,
    /// 429 with Retry-After: too many codes for this phone or address.
    TooManyRequests { retry_after_s: u64 },
    /// 503 with Retry-After: verification codes cannot be sent now, the
    /// database cannot be reached, or the writer's queue is full.
    Unavailable { retry_after_s: u64 },
    /// 500: a failure the client can do nothing about; logged, never sent.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    pub fn internal(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(err.into())
    }

    /// The same failure for another waiter of a group that failed as a
    /// whole: 503s keep their Retry-After, anything else is a 500.
    pub fn shared(&self) -> Self {
        match self {
            Self::Unavailable { retry_after_s } => Self::Unavailable { retry_after_s: *retry_after_s },
            other => Self::internal(format!("{other:?}")),
        }
    }

    /// Seconds for the `Retry-After` header, on the errors that have one.
    fn retry_after_s(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after_s } | Self::Unavailable { retry_after_s } => Some(*retry_after_s),
            _ => None,
        }
    }

    fn problem(self) -> Problem {
        let (kind, title, status, detail, errors) = match self {
            Self::BadRequest(detail) => {
                (kind::BAD_REQUEST, "The request is malformed", 400, Some(detail.to_owned()), Vec::new())
            }
            Self::NotAVote => (
                kind::INVALID_VOTE,
                "The body is JSON but not a vote",
                422,
                Some("A field is missing or has the wrong type; see the protocol's vote example.".to_owned()),
                Vec::new(),
            ),
            Self::InvalidVote(errors) => (kind::INVALID_VOTE, "The vote breaks the batch's rules", 422, None, errors),
            Self::InvalidVerification(errors) => {
                (INVALID_VERIFICATION, "A field is missing or malformed", 422, None, errors)
            }
            Self::WrongCode { tries_left } => {
                let tries = if tries_left == 1 { "1 try left".to_owned() } else { format!("{tries_left} tries left") };
                let message = format!("the code is not the one that was sent; {tries}");
                let error = FieldError::new(field::CODE, FieldErrorCode::WrongCode, message);
                (kind::WRONG_CODE, "The code is not the one that was sent", 422, None, vec![error])
            }
            Self::VerificationRequired => {
                (kind::VERIFICATION_REQUIRED, "Real-name verification is missing or has expired", 401, None, Vec::new())
            }
            Self::AlreadyVoted => (
                kind::ALREADY_VOTED,
                "This person has already voted in this batch under their real name",
                409,
                None,
                Vec::new(),
            ),
            Self::RealNameOff => {
                (kind::REAL_NAME_OFF, "This batch takes no real names", 409, None, Vec::new())
            }
            Self::NotFound => (kind::NOT_FOUND, "Nothing is here", 404, None, Vec::new()),
            Self::MethodNotAllowed => (ABOUT_BLANK, "Method Not Allowed", 405, None, Vec::new()),
            Self::BatchNotOpen { title, detail } => (kind::BATCH_CLOSED, title, 410, Some(detail), Vec::new()),
            Self::CodeExpired => (kind::CODE_EXPIRED, "The code has expired; ask for a new one", 410, None, Vec::new()),
            Self::TooLarge { limit } => (
                ABOUT_BLANK,
                "Content Too Large",
                413,
                Some(format!("A body here is at most {limit} bytes.")),
                Vec::new(),
            ),
            Self::TooManyTries => (
                kind::TOO_MANY_TRIES,
                "Too many wrong codes; this verification is closed, ask for a new code",
                429,
                None,
                Vec::new(),
            ),
            Self::TooManyRequests { .. } => (
                kind::TOO_MANY_REQUESTS,
                "Too many requests; retry after the time in Retry-After",
                429,
                None,
                Vec::new(),
            ),
            Self::Unavailable { .. } => (
                kind::UNAVAILABLE,
                "The service is briefly unavailable; retry after the time in Retry-After",
                503,
                None,
                Vec::new(),
            ),
            Self::Internal(err) => {
                tracing::error!(error = %err, "internal error");
                (kind::INTERNAL, "The server failed; retry the same request later", 500, None, Vec::new())
            }
        };
        Problem { kind: kind.to_owned(), title: title.to_owned(), status, detail, errors }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after_s();
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(err: tokio::task::JoinError) -> Self {
        Self::internal(err)
    }
}
