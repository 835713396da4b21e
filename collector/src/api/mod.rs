//! Protocol v1, mounted under `/api/v1`.

pub mod batches;
pub mod votes;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::error::Error;
use crate::real_name;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/batches/current", get(batches::current))
        .route("/batches/{id}/results", get(batches::results))
        .route("/votes", post(votes::create).layer(DefaultBodyLimit::max(votes::BODY_LIMIT)))
        .route("/verifications", post(real_name::not_yet))
        .route("/verifications/{id}/confirm", post(real_name::not_yet))
        .fallback(async || Error::NotFound)
        .method_not_allowed_fallback(async || Error::MethodNotAllowed)
}
