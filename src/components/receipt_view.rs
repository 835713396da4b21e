//! What the citizen sees once their vote is counted, now or on a later
//! visit: the receipt number, and the results when the batch shows them.

use leptos::html::H2;
use leptos::prelude::*;
use survey_protocol::{Batch, ResultsVisibility};

use super::results_list::ResultsList;
use crate::browser::local_date_time;
use crate::config::Config;
use crate::i18n::fill;
use crate::voted::VotedRecord;

crate::on_demand! {
    chunk receipt, preload preload_receipt;
    /// The receipt screen: downloaded once a vote is counted, or when this
    /// browser has voted before.
    pub fn receipt_screen(batch: Batch, record: VotedRecord, fresh: bool) -> AnyView {
        view! { <ReceiptView batch record fresh/> }.into_any()
    }
}

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
    let t = super::texts();
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
    let title = batch.title.clone();
    view! {
        <div class="bsv-receipt" part="receipt">
            <h2 class="bsv-receipt__title" tabindex="-1" node_ref=heading>
                {if fresh { t.receipt_title } else { t.voted_before_title }}
            </h2>
            <p class="bsv-receipt__batch" lang=super::survey::batch_lang()>{title}</p>
            <dl class="bsv-receipt__details">
                <dt class="bsv-receipt__label">{t.receipt_code}</dt>
                <dd class="bsv-receipt__code">{record.receipt}</dd>
            </dl>
            <p class="bsv-hint">{counted_at}</p>
            <p class="bsv-hint">{t.receipt_keep}</p>
            {show_results.then(|| view! { <ResultsList batch/> })}
        </div>
    }
}
