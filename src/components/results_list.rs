//! The tallies so far, most-chosen first, as text with a bar: the numbers
//! are read out, the bar is decoration.

use leptos::prelude::*;
use leptos::task::spawn_local;

use survey_protocol::{Batch, Results};

use crate::api::Api;
use crate::i18n::fill;
use super::reactive::dynamic;

/// Loads and shows the batch's results.
#[component]
pub fn ResultsList(
    /// The batch whose results are shown; its options give the texts.
    batch: Batch,
) -> impl IntoView {
    let t = super::texts();
    let api = expect_context::<Api>();
    let results = RwSignal::new(None);
    let batch_id = batch.id.clone();
    spawn_local(async move { results.set(Some(api.results(&batch_id).await)) });
    let batch = StoredValue::new(batch);
    let lang = super::survey::batch_lang();
    view! {
        <section class="bsv-results">
            <h3 class="bsv-results__title">{t.results_title}</h3>
            {dynamic(move || match results.get() {
                None => view! { <p class="bsv-hint">{t.loading}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="bsv-hint">{t.results_failed}</p> }.into_any(),
                Some(Ok(results)) => batch.with_value(|batch| tally_view(batch, results, lang.clone())).into_any(),
            })}
        </section>
    }
}

fn tally_view(batch: &Batch, results: Results, lang: String) -> impl IntoView + use<> {
    let t = super::texts();
    let total = results.total;
    let mut rows: Vec<_> = results
        .options
        .iter()
        .filter_map(|tally| {
            let option = batch.options.iter().find(|o| o.id == tally.id)?;
            Some((option.text.clone(), tally.votes))
        })
        .collect();
    most_voted_first(&mut rows);
    let summary = fill(t.results_total, &[("total", &total), ("real_name", &results.real_name_total)]);
    view! {
        <p class="bsv-results__total">{summary}</p>
        <ol class="bsv-results__list">
            {rows.into_iter().map(|(text, votes)| {
                let percent = (votes * 100).checked_div(total).unwrap_or(0);
                view! {
                    <li class="bsv-results__item">
                        <span class="bsv-results__text" lang=lang.clone()>{text}</span>
                        <span class="bsv-results__votes">
                            {fill(t.results_votes, &[("n", &votes)])}" ("{percent}"%)"
                        </span>
                        <meter class="bsv-results__meter" aria-hidden="true" min="0" max="100" value=percent></meter>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Orders rows by votes, most first, ties in batch order (the sort is stable).
fn most_voted_first(rows: &mut [(String, u64)]) {
    rows.sort_by_key(|&(_, votes)| std::cmp::Reverse(votes));
}
