//! `GET /batches`: the batches of the action, newest first, so a citizen
//! can see what earlier rounds asked, how many took part and what became
//! of them.

use std::cmp::Reverse;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use survey_protocol::{BatchList, BatchSummary, ResultsVisibility};

use crate::api::batches::{accept_language, content_language};
use crate::error::Error;
use crate::state::AppState;
use crate::store::tally::Region;

/// Every batch of the batches file, newest first (by opening date, then
/// by place in the file), in the language `Accept-Language` asks for,
/// with its national totals (from the same cache as the results; absent
/// when its results are hidden) and its follow-up.
pub async fn list(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, Error> {
    let now = state.clock.now();
    let follow_ups = state.follow_ups.get(&state.store).await;
    let mut entries: Vec<_> = state.catalog.entries().enumerate().collect();
    entries.sort_by_key(|(place, entry)| Reverse((entry.opens_at().or(entry.closes_at()), *place)));
    let mut languages = Vec::new();
    let mut batches = Vec::with_capacity(entries.len());
    for (_, entry) in entries {
        let (language, mut batch) = entry.localized(accept_language(&headers), now);
        follow_ups.apply(&mut batch, language);
        let (total, real_name_total) = if batch.results == ResultsVisibility::Hidden {
            (None, None)
        } else {
            let snapshot = state.results.tallies(&state.store, &batch.id, &Region::nation(), || now).await?;
            (Some(snapshot.tallies.total), Some(snapshot.tallies.real_name_total))
        };
        if !languages.contains(&language) {
            languages.push(language);
        }
        batches.push(BatchSummary {
            id: batch.id,
            title: batch.title,
            status: batch.status,
            opens_at: batch.opens_at,
            closes_at: batch.closes_at,
            total,
            real_name_total,
            follow_up: batch.follow_up,
        });
    }
    let list = Json(BatchList { batches });
    // One language for the whole list, or none named when its batches
    // could not all be had in the one asked for.
    Ok(match languages.as_slice() {
        [language] => (content_language(language)?, list).into_response(),
        _ => list.into_response(),
    })
}
