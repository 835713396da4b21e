//! `GET /batches/current`, `GET /batches/{id}` and `GET /batches/{id}/results`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use survey_protocol::time::format_rfc3339;
use survey_protocol::{OptionTally, Results, ResultsVisibility};

use crate::catalog::Entry;
use crate::error::Error;
use crate::state::AppState;
use crate::store::tally::Region;

/// The batch to show now, in the language `Accept-Language` asks for,
/// with the follow-up published for it.
pub async fn current(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, Error> {
    let now = state.clock.now();
    let entry = state.catalog.current(now).ok_or(Error::NotFound)?;
    served(&state, entry, &headers, now).await
}

/// Any batch of the action by id, as `current` serves it: an earlier
/// batch a citizen opens from the list.
pub async fn one(State(state): State<Arc<AppState>>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, Error> {
    let entry = state.catalog.get(&id).ok_or(Error::NotFound)?;
    served(&state, entry, &headers, state.clock.now()).await
}

async fn served(state: &AppState, entry: &Entry, headers: &HeaderMap, now: i64) -> Result<Response, Error> {
    let (language, mut batch) = entry.localized(accept_language(headers), now);
    state.follow_ups.get(&state.store).await.apply(&mut batch, language);
    Ok((content_language(language)?, Json(batch)).into_response())
}

/// The request's `Accept-Language`, if it is text.
pub fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())
}

/// `Content-Language` for an answer in `language`, and `Vary`, since the
/// same path answers in other languages too.
pub fn content_language(language: &str) -> Result<[(header::HeaderName, HeaderValue); 2], Error> {
    let content_language = HeaderValue::from_str(language).map_err(Error::internal)?;
    Ok([(header::CONTENT_LANGUAGE, content_language), (header::VARY, HeaderValue::from_static("Accept-Language"))])
}

/// The nation's tallies, one entry per option in batch order: kept up to
/// date with every vote, so reading them sums a few rows, and cached for a
/// second (see [`crate::results_cache`]) with the JSON made once per read.
/// `updated_at` is when they were read.
pub async fn results(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, Error> {
    let entry = state.catalog.get(&id).ok_or(Error::NotFound)?;
    let batch = entry.batch();
    if batch.results == ResultsVisibility::Hidden {
        return Err(Error::NotFound);
    }
    let snapshot = state.results.tallies(&state.store, &batch.id, &Region::nation(), || state.clock.now()).await?;
    let body = snapshot.json(|snapshot| {
        let tallies = &snapshot.tallies;
        let options = batch
            .options
            .iter()
            .map(|o| OptionTally { id: o.id.clone(), votes: tallies.by_option.get(&o.id).copied().unwrap_or(0) })
            .collect();
        Results {
            batch_id: batch.id.clone(),
            total: tallies.total,
            real_name_total: tallies.real_name_total,
            options,
            updated_at: format_rfc3339(snapshot.updated_at),
        }
    })?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}
