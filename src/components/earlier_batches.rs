//! The way to the action's earlier batches, under a receipt or a closed
//! batch: a button, shown only when the endpoint lists batches other than
//! this one (`GET /batches`; an endpoint without it offers no history),
//! that opens the list, downloaded on demand.

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_protocol::BatchSummary;

use super::batch_history::batch_history;
use super::later::{later_texts, part_ids};
use super::reactive::dynamic;
use crate::api::Api;
use crate::on_demand::deferred;

/// The button and, once pressed, the list.
#[component]
pub fn EarlierBatches(
    /// The batch on screen, left out of the list.
    current: String,
) -> impl IntoView {
    let t = later_texts();
    let api = expect_context::<Api>();
    let listed = RwSignal::new(None::<(Vec<BatchSummary>, String)>);
    spawn_local(async move {
        // Not offered, or not reachable now: the screen is whole without it.
        if let Ok(Some((list, lang))) = api.batches().await {
            let earlier: Vec<BatchSummary> = list.batches.into_iter().filter(|b| b.id != current).collect();
            if !earlier.is_empty() {
                listed.try_set(Some((earlier, lang)));
            }
        }
    });
    let open = RwSignal::new(false);
    let panel_id = format!("{}-history", part_ids());
    dynamic(move || {
        let Some((batches, lang)) = listed.get() else { return ().into_any() };
        view! {
            <div class="bsv-history">
                <button
                    type="button"
                    class="bsv-button bsv-disclosure"
                    aria-expanded=Signal::derive(move || if open.get() { "true" } else { "false" })
                    aria-controls=panel_id.clone()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {t.history_open}
                </button>
                <div id=panel_id.clone()>
                    {dynamic(move || {
                        if !open.get() {
                            return ().into_any();
                        }
                        let (batches, lang) = (batches.clone(), lang.clone());
                        deferred(move || batch_history(batches.clone(), lang.clone())).into_any()
                    })}
                </div>
            </div>
        }
        .into_any()
    })
}
