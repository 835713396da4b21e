//! What the citizen sees once their vote is counted, now or on a later
//! visit: the receipt number, the results when the batch shows them (the
//! whole country's, and their province's and city's), and the way to the
//! earlier batches.

use leptos::html::{Div, H2};
use leptos::prelude::*;
use survey_protocol::{Batch, ResultsVisibility};

use super::earlier_batches::EarlierBatches;
use super::later::{later_texts, styled_root};
use super::results_by_region::ResultsByRegion;
use crate::browser::local_date_time;
use crate::config::Config;
use crate::i18n::fill;
use crate::voted::VotedRecord;

/// The receipt screen.
#[component]
pub fn ReceiptView(
    /// The batch voted in.
    batch: Batch,
    /// The receipt to show.
    record: VotedRecord,
    /// True right after voting: thank the citizen and move focus here.
    fresh: bool,
) -> impl IntoView {
    let t = later_texts();
    let config = expect_context::<Config>();
    let locale = config.lang.tag();
    let heading = NodeRef::<H2>::new();
    if fresh {
        Effect::new(move |_| {
            if let Some(heading) = heading.get() {
                let _ = heading.focus();
            }
        });
    }
    let counted_at = fill(t.receipt_counted_at, &[("date", &local_date_time(&record.counted_at, locale))]);
    let show_results = batch.results != ResultsVisibility::Hidden && !config.hide_results;
    let root: NodeRef<Div> = styled_root();
    let (title, current, receipt) = (batch.title.clone(), batch.id.clone(), record.receipt.clone());
    view! {
        <div class="bsv-receipt" part="receipt" node_ref=root>
            <h2 class="bsv-receipt__title" tabindex="-1" node_ref=heading>
                {if fresh { t.receipt_title } else { t.voted_before_title }}
            </h2>
            <p class="bsv-receipt__batch" lang=super::survey::batch_lang()>{title}</p>
            <dl class="bsv-receipt__details">
                <dt class="bsv-receipt__label">{t.receipt_code}</dt>
                <dd class="bsv-receipt__code">{receipt}</dd>
            </dl>
            <p class="bsv-hint">{counted_at}</p>
            <p class="bsv-hint">{t.receipt_keep}</p>
            {show_results.then(|| view! { <ResultsByRegion batch record=Some(record) level=3/> })}
        </div>
        <EarlierBatches current/>
    }
}
