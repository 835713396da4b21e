//! The one error type of the API. Every failure becomes an RFC 9457 problem
//! the widget can act on by status alone; internals go to the log, never to
//! the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use survey_protocol::problem::{PROBLEM_CONTENT_TYPE, kind};
use survey_protocol::{FieldError, Problem};

/// RFC 9457's type for problems that need nothing beyond their HTTP status.
const ABOUT_BLANK: &str = "about:blank";

#[derive(Debug)]
pub enum Error {
    /// 400: the body is not JSON, a header is missing or contradicts the body.
    BadRequest(&'static str),
    /// 422: JSON, but not shaped like a vote, so no field can be named.
    NotAVote,
    /// 422: the vote breaks its batch's rules, field by field.
    InvalidVote(Vec<FieldError>),
    /// 401: the batch needs a real-name verification this vote does not prove.
    VerificationRequired,
    /// 404: no such batch, results, or path.
    NotFound,
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// 410: the batch takes no votes now; the detail says since or until when.
    BatchNotOpen { title: &'static str, detail: String },
    /// 413: the body is over the limit.
    TooLarge,
    /// 501: a reserved path whose feature this server does not have yet.
    NotImplemented(&'static str),
    /// 500: a failure the client can do nothing about; logged, never sent.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    pub fn internal(err: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(err.into())
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
            Self::VerificationRequired => {
                (kind::VERIFICATION_REQUIRED, "Real-name verification is missing or has expired", 401, None, Vec::new())
            }
            Self::NotFound => (kind::NOT_FOUND, "Nothing is here", 404, None, Vec::new()),
            Self::MethodNotAllowed => (ABOUT_BLANK, "Method Not Allowed", 405, None, Vec::new()),
            Self::BatchNotOpen { title, detail } => (kind::BATCH_CLOSED, title, 410, Some(detail), Vec::new()),
            Self::TooLarge => (
                ABOUT_BLANK,
                "Content Too Large",
                413,
                Some(format!("A vote is at most {} bytes.", crate::api::votes::BODY_LIMIT)),
                Vec::new(),
            ),
            Self::NotImplemented(detail) => (ABOUT_BLANK, "Not Implemented", 501, Some(detail.to_owned()), Vec::new()),
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
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(problem)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        response
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        Self::internal(err)
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(err: tokio::task::JoinError) -> Self {
        Self::internal(err)
    }
}
