//! Protocol v1, mounted under `/api/v1`.

pub mod batch_list;
pub mod batches;
pub mod region_results;
pub mod verifications;
pub mod votes;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

use crate::error::Error;
use crate::state::AppState;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/batches", get(batch_list::list))
        .route("/batches/current", get(batches::current))
        .route("/batches/{id}", get(batches::one))
        .route("/batches/{id}/results", get(batches::results))
        .route("/batches/{id}/results/regions", get(region_results::regions))
        .route("/votes", limited(post(votes::create), votes::BODY_LIMIT))
        .route("/verifications", limited(post(verifications::create), verifications::BODY_LIMIT))
        .route("/verifications/{id}/confirm", limited(post(verifications::confirm), verifications::BODY_LIMIT))
        .fallback(async || Error::NotFound)
        .method_not_allowed_fallback(async || Error::MethodNotAllowed)
}

/// A route that takes bodies up to `limit` bytes: longer ones are refused
/// with 413 as they stream in, and at once when `Content-Length` announces
/// them. Refused at once, a client that sent `Expect: 100-continue` never
/// sends the body; cut off mid-body, a client still writing it can lose the
/// 413 to the connection reset.
fn limited(route: MethodRouter<Arc<AppState>>, limit: usize) -> MethodRouter<Arc<AppState>> {
    route.layer(DefaultBodyLimit::max(limit)).layer(middleware::from_fn_with_state(limit, refuse_announced_oversize))
}

async fn refuse_announced_oversize(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let announced = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return Error::TooLarge { limit }.into_response();
    }
    next.run(request).await
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
