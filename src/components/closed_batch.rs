//! The screen of a batch that has closed: when it closed, and what was done
//! about it (the organiser's summary, each bottleneck's follow-up, the
//! tallies when the batch shows them) rather than only "closed"; and the
//! earlier batches. In the later screens' chunk (`later::later_screen`).

use leptos::prelude::*;
use survey_protocol::Batch;

use super::batch_outcome::BatchOutcome;
use super::earlier_batches::EarlierBatches;
use super::later::{later_texts, styled_root};
use super::notice::Notice;
use super::survey::batch_lang;
use crate::browser::{local_date_time, voted_record};
use crate::config::Config;
use crate::i18n::fill;

/// The closed batch's screen.
#[component]
pub fn ClosedBatch(
    /// The batch that has closed.
    batch: Batch,
) -> impl IntoView {
    let t = later_texts();
    let config = expect_context::<Config>();
    let record = voted_record(&config.endpoint, &batch.id);
    let closed_at = batch
        .closes_at
        .as_deref()
        .map(|at| fill(t.closed_at, &[("date", &local_date_time(at, config.lang.tag()))]))
        .unwrap_or_default();
    let (title, current) = (batch.title.clone(), batch.id.clone());
    view! {
        <div class="bsv-closed" node_ref=styled_root()>
            <Notice title=t.closed_title subtitle=title subtitle_lang=batch_lang() body=closed_at/>
            <BatchOutcome batch record level=3/>
            <EarlierBatches current/>
        </div>
    }
}
