//! `GET /batches`: the batches of the action, newest first, so a citizen
//! can see what earlier rounds asked, how many took part and what became
//! of them.

use std::cmp::Reverse;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use survey_protocol::{BatchList, BatchSummary, ResultsVisibility};

use crate::api::batches::{accept_language, content_language};
use crate::error::Error;
use crate::state::AppState;
use crate::store::tally::Region;

/// Every batch of the batches file, newest first (by opening date, then
/// by place in the file), in the language `Accept-Language` asks for,
/// with its national totals (absent when its results are hidden) and its
/// follow-up. Read from a cache (see [`crate::results_cache`]), with the
/// JSON made once per list.
pub async fn list(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, Error> {
    let accept = accept_language(&headers);
    let languages: Vec<String> = state.catalog.entries().map(|entry| entry.language_for(accept).to_owned()).collect();
    let snapshot =
        state.results.batch_list(languages.clone(), summaries(&state, accept), || state.clock.now()).await?;
    let body = snapshot.json(|snapshot| snapshot.tallies.clone())?;
    let json = [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))];
    // One language for the whole list, or none named when its batches
    // could not all be had in the one asked for.
    Ok(match languages.split_first() {
        Some((language, rest)) if rest.iter().all(|other| other == language) => {
            (content_language(language)?, json, body).into_response()
        }
        _ => (json, body).into_response(),
    })
}

/// The list as it stands now: each batch in the language `accept` picks
/// for it, with the totals from the results cache.
async fn summaries(state: &AppState, accept: Option<&str>) -> Result<BatchList, Error> {
    let now = state.clock.now();
    let follow_ups = state.follow_ups.get(&state.store).await;
    let mut entries: Vec<_> = state.catalog.entries().enumerate().collect();
    entries.sort_by_key(|(place, entry)| Reverse((entry.opens_at().or(entry.closes_at()), *place)));
    let mut batches = Vec::with_capacity(entries.len());
    for (_, entry) in entries {
        let (language, mut batch) = entry.localized(accept, now);
        follow_ups.apply(&mut batch, language);
        let (total, real_name_total) = if batch.results == ResultsVisibility::Hidden {
            (None, None)
        } else {
            let snapshot = state.results.tallies(&state.store, &batch.id, &Region::nation(), || now).await?;
            (Some(snapshot.tallies.total), Some(snapshot.tallies.real_name_total))
        };
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
    Ok(BatchList { batches })
}
