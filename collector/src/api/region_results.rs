//! `GET /batches/{id}/results/regions`: the tallies of every province, or
//! of every city of one province, for a citizen's own region and for the
//! map. Regions with fewer than `--region-min-votes` votes are left out,
//! so that a vote cannot be traced back to a person; and so are as many
//! more as it takes for the whole (the nation's results, or the province's
//! at province level) less the regions listed never to single out a
//! handful of votes either.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use survey_protocol::time::format_rfc3339;
use survey_protocol::{Batch, OptionTally, RegionLevel, RegionResults, RegionTally, ResultsVisibility};

use crate::error::Error;
use crate::store::tally::{Listing, Tallies};
use crate::state::AppState;
use crate::store::tally::RegionRange;

#[derive(Deserialize)]
pub struct RegionQuery {
    level: Option<String>,
    province: Option<String>,
}

/// `level=province` (the default) or `level=city&province=CODE`. `404` as
/// for the national results; `400` for another level, or a `province` that
/// is not a province of the region data. Read from a cache (see
/// [`crate::results_cache`]), with the JSON made once per read.
pub async fn regions(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    query: Result<Query<RegionQuery>, QueryRejection>,
) -> Result<Response, Error> {
    let entry = state.catalog.get(&id).ok_or(Error::NotFound)?;
    let batch = entry.batch();
    if batch.results == ResultsVisibility::Hidden {
        return Err(Error::NotFound);
    }
    let Query(query) = query.map_err(|_| Error::BadRequest("The query string is malformed."))?;
    if query.province.as_deref().is_some_and(|code| !state.regions.is_province(code)) {
        return Err(Error::BadRequest("province is not the code of a province, such as 130000."));
    }
    let (level, province) = match (query.level.as_deref().unwrap_or("province"), query.province) {
        ("province", _) => (RegionLevel::Province, None),
        ("city", Some(province)) => (RegionLevel::City, Some(province)),
        ("city", None) => return Err(Error::BadRequest("level=city needs province, the code of a province.")),
        _ => return Err(Error::BadRequest("level is neither province nor city.")),
    };
    let range = province.as_deref().map_or_else(RegionRange::provinces, RegionRange::cities_of);
    let snapshot = state.results.listing(&state.store, &batch.id, &range, || state.clock.now()).await?;
    let body = snapshot.json(|snapshot| RegionResults {
        batch_id: batch.id.clone(),
        level,
        province,
        min_votes: state.region_min_votes,
        regions: shown(batch, &snapshot.tallies, state.region_min_votes),
        updated_at: format_rfc3339(snapshot.updated_at),
    })?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

/// The regions with at least `min_votes` votes, in code order, each with
/// every option of `batch` in batch order; then, while the votes left out
/// (the whole's less the listed regions', counting those that name no
/// region of the range) are more than none but fewer than `min_votes`, the
/// smallest listed region is left out too. Otherwise anyone could subtract
/// the listed regions from the whole, which is served too, and read how a
/// handful of people in the small regions voted.
fn shown(batch: &Batch, listing: &Listing, min_votes: u64) -> Vec<RegionTally> {
    let mut listed: Vec<&(String, Tallies)> =
        listing.regions.iter().filter(|(_, tallies)| tallies.total >= min_votes).collect();
    let mut left_out = listing.whole.total.saturating_sub(listed.iter().map(|(_, t)| t.total).sum());
    while (1..min_votes).contains(&left_out) {
        let Some(smallest) = (0..listed.len()).min_by_key(|&i| (listed[i].1.total, &listed[i].0)) else { break };
        left_out += listed.remove(smallest).1.total;
    }
    listed
        .into_iter()
        .map(|(code, tallies)| RegionTally {
            code: code.clone(),
            total: tallies.total,
            real_name_total: tallies.real_name_total,
            options: batch
                .options
                .iter()
                .map(|o| OptionTally { id: o.id.clone(), votes: tallies.by_option.get(&o.id).copied().unwrap_or(0) })
                .collect(),
        })
        .collect()
}
