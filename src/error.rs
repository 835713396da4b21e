//! The widget's one error type. Every variant is something a citizen can be
//! told in a sentence, with what to do next; nothing here ever holds
//! personal data, so an error can be shown, logged or reported as it is.

use std::fmt;

use survey_protocol::{BatchError, FieldError};

use crate::config::ConfigError;
use crate::i18n::{fill, Catalogue};
use crate::wire::decode_field_errors;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The host page configured the widget wrongly.
    Config(ConfigError),
    /// The browser knows it has no network.
    Offline,
    /// No answer although the browser thinks it is online: the server is
    /// down or unreachable, or refuses this site (CORS); browsers
    /// deliberately make these indistinguishable.
    Network,
    /// The request was aborted after the widget's time limit.
    Timeout,
    /// `GET /batches/current` answered 404: nothing to show.
    NoBatch,
    /// The batch broke a protocol rule and is refused whole.
    BrokenBatch(BatchError),
    /// A 2xx whose body is not what the protocol promises.
    BadResponse,
    /// 422: the endpoint found these fields wrong.
    Invalid(Vec<FieldError>),
    /// 401: real-name verification missing or expired.
    VerificationNeeded,
    /// 409: this person already cast a real-name vote in this batch.
    AlreadyVoted,
    /// 410: the batch closed before the vote arrived.
    Closed,
    /// 429 or 503, with the wait the endpoint asked for, in seconds.
    Busy { retry_after_s: Option<u32> },
    /// Any other 5xx.
    Server(u16),
    /// Any other 4xx: a request the endpoint will never accept as sent.
    Refused(u16),
    /// The verification code expired (or the endpoint forgot it): ask for a new one.
    CodeExpired,
    /// Too many wrong codes: this verification is closed; ask for a new one.
    TooManyTries,
    /// The endpoint is plain http on a public address: personal data is not sent to it.
    InsecureEndpoint,
    /// A part of the widget downloaded on demand (the receipt, the real-name
    /// steps) could not be fetched: see `on_demand`.
    NotLoaded,
}

impl Error {
    /// The error for a non-2xx answer of the vote endpoint (and of any other
    /// call: the statuses mean the same everywhere in protocol v1), with the
    /// wait a `Retry-After` header asked for, already read by the caller.
    pub fn from_status(status: u16, body: &str, retry_after_s: Option<u32>) -> Self {
        match status {
            401 => Self::VerificationNeeded,
            409 => Self::AlreadyVoted,
            410 => Self::Closed,
            422 => match decode_field_errors(body) {
                errors if errors.is_empty() => Self::Refused(422),
                errors => Self::Invalid(errors),
            },
            429 | 503 => Self::Busy { retry_after_s },
            500..=599 => Self::Server(status),
            _ => Self::Refused(status),
        }
    }

    /// The error for a non-2xx answer of the code confirmation, where 404,
    /// 410 and 429 mean the code can no longer be used.
    pub fn from_confirm_status(status: u16, body: &str) -> Self {
        match status {
            404 | 410 => Self::CodeExpired,
            429 => Self::TooManyTries,
            _ => Self::from_status(status, body, None),
        }
    }

    /// True when sending the very same request again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Offline
                | Self::Network
                | Self::Timeout
                | Self::Busy { .. }
                | Self::Server(_)
                | Self::BadResponse
                | Self::NotLoaded
                // An HTML page where a batch should be is usually a proxy's
                // error page: it passes.
                | Self::BrokenBatch(BatchError::NotJson)
        )
    }

    /// What the citizen is told.
    pub fn message(&self, t: &Catalogue) -> String {
        match self {
            Self::Config(_) => t.err_bad_endpoint.to_owned(),
            Self::Offline => t.err_offline.to_owned(),
            Self::Network => t.err_network.to_owned(),
            Self::Timeout => t.err_timeout.to_owned(),
            Self::NoBatch => t.no_batch_body.to_owned(),
            Self::BrokenBatch(BatchError::NotJson) => t.err_batch_not_json.to_owned(),
            Self::BrokenBatch(BatchError::WrongShape(_)) => t.err_batch_wrong_shape.to_owned(),
            Self::BrokenBatch(_) => t.err_broken_batch.to_owned(),
            Self::BadResponse => t.err_bad_response.to_owned(),
            Self::Invalid(_) => t.error_summary_title.to_owned(),
            Self::VerificationNeeded => t.err_verification_needed.to_owned(),
            Self::AlreadyVoted => t.err_already_voted.to_owned(),
            Self::Closed => t.err_closed.to_owned(),
            Self::Busy { retry_after_s: Some(s) } => fill(t.err_busy_for, &[("seconds", s)]),
            Self::Busy { retry_after_s: None } => t.err_busy.to_owned(),
            Self::Server(status) => fill(t.err_server, &[("status", status)]),
            Self::Refused(status) => fill(t.err_refused, &[("status", status)]),
            Self::CodeExpired => t.err_code_expired.to_owned(),
            Self::TooManyTries => t.err_too_many_tries.to_owned(),
            Self::InsecureEndpoint => t.err_insecure.to_owned(),
            Self::NotLoaded => t.err_not_loaded.to_owned(),
        }
    }
}

/// English, for the console and bug reports; citizens see [`Error::message`].
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(e) => write!(f, "configuration: {e}"),
            Self::Offline => write!(f, "offline"),
            Self::Network => write!(f, "network error"),
            Self::Timeout => write!(f, "request timed out"),
            Self::NoBatch => write!(f, "no batch"),
            Self::BrokenBatch(e) => write!(f, "batch refused: {e}"),
            Self::BadResponse => write!(f, "unexpected response body"),
            Self::Invalid(errors) => write!(f, "{} field errors", errors.len()),
            Self::VerificationNeeded => write!(f, "verification needed (401)"),
            Self::AlreadyVoted => write!(f, "already voted (409)"),
            Self::Closed => write!(f, "batch closed (410)"),
            Self::Busy { retry_after_s: Some(s) } => write!(f, "busy, retry after {s} s"),
            Self::Busy { retry_after_s: None } => write!(f, "busy"),
            Self::Server(status) => write!(f, "server error {status}"),
            Self::Refused(status) => write!(f, "refused with {status}"),
            Self::CodeExpired => write!(f, "verification code expired"),
            Self::TooManyTries => write!(f, "too many wrong codes"),
            Self::InsecureEndpoint => write!(f, "endpoint is not https"),
            Self::NotLoaded => write!(f, "a part of the widget could not be downloaded"),
        }
    }
}

impl std::error::Error for Error {}

impl From<BatchError> for Error {
    fn from(e: BatchError) -> Self {
        Self::BrokenBatch(e)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}
