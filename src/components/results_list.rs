//! One set of tallies (the whole country's or a region's), most chosen
//! first, as text with a bar: the numbers are read out, the bar is
//! decoration. Each bottleneck carries its follow-up when it has one.

use leptos::prelude::*;
use survey_protocol::{Batch, OptionTally};

use super::follow_up::FollowUpNote;
use super::later::later_texts;
use crate::i18n::fill;
use crate::tally::tally_rows;

/// The tallies of one place.
#[component]
pub fn ResultsList(
    /// The batch; its options give the texts and follow-ups.
    batch: StoredValue<Batch>,
    /// The line above the list: how many voted, and where.
    summary: String,
    /// Votes per option.
    tallies: Vec<OptionTally>,
    /// Voters in all.
    total: u64,
    /// The language of the batch's texts.
    lang: String,
) -> impl IntoView {
    let t = later_texts();
    let rows = batch.with_value(|batch| {
        tally_rows(batch, &tallies, total)
            .into_iter()
            .map(|row| {
                let option = batch.options[row.option].clone();
                view! {
                    <li class="bsv-results__item">
                        <span class="bsv-results__text" lang=lang.clone()>{option.text}</span>
                        <span class="bsv-results__votes">
                            {fill(t.results_votes, &[("n", &row.votes)])}" ("{row.percent}"%)"
                        </span>
                        <meter class="bsv-results__meter" aria-hidden="true" min="0" max="100" value=row.percent></meter>
                        {option.follow_up.map(|follow_up| view! { <FollowUpNote follow_up lang=lang.clone()/> })}
                    </li>
                }
            })
            .collect_view()
    });
    view! {
        <p class="bsv-results__total">{summary}</p>
        <ol class="bsv-results__list">{rows}</ol>
    }
}
