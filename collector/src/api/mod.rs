//! Protocol v1, mounted under `/api/v1`.

pub mod batches;
pub mod verifications;
pub mod votes;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};

use crate::error::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/batches/current", get(batches::current))
        .route("/batches/{id}/results", get(batches::results))
        .route("/votes", post(votes::create).layer(DefaultBodyLimit::max(votes::BODY_LIMIT)))
        .route(
            "/verifications",
            post(verifications::create).layer(DefaultBodyLimit::max(verifications::BODY_LIMIT)),
        )
        .route(
            "/verifications/{id}/confirm",
            post(verifications::confirm).layer(DefaultBodyLimit::max(verifications::BODY_LIMIT)),
        )
        .fallback(async || Error::NotFound)
        .method_not_allowed_fallback(async || Error::MethodNotAllowed)
}

/// A body sent as `application/json` that parses as JSON, or the 400 or 413
/// that says why not. Bodies are read as bytes and parsed here rather than
/// with axum's `Json`, whose rejection messages quote what was sent.
pub fn json_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<serde_json::Value, Error> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge { limit },
        _ => Error::BadRequest("The body could not be read."),
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(Error::BadRequest("The Content-Type must be application/json."));
    }
    serde_json::from_slice(&body).map_err(|_| Error::BadRequest("The body is not JSON."))
}
