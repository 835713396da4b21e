//! What became of a batch, for a closed one and an earlier one alike: the
//! organiser's summary, then the tallies with each bottleneck's follow-up
//! when this citizen may see them, else the follow-ups alone.

use leptos::prelude::*;
use survey_protocol::Batch;

use super::follow_up::{FollowUpNote, FollowUpSummary};
use super::later::{heading, later_texts, part_ids};
use super::results_by_region::ResultsByRegion;
use super::survey::batch_lang;
use crate::config::Config;
use crate::tally::tallies_shown;
use crate::voted::VotedRecord;

/// The outcome of one batch.
#[component]
pub fn BatchOutcome(
    /// The batch.
    batch: Batch,
    /// This browser's vote in the batch, if it voted.
    record: Option<VotedRecord>,
    /// The level of the outcome's headings in the screen around it.
    level: u8,
) -> impl IntoView {
    let t = later_texts();
    let lang = batch_lang();
    let ids = part_ids();
    let shown = tallies_shown(batch.results, record.is_some(), expect_context::<Config>().hide_results);
    let summary = view! { <FollowUpSummary follow_up=batch.follow_up.clone() lang=lang.clone() level ids=ids.clone()/> };
    if shown {
        return view! { {summary} <ResultsByRegion batch record level/> }.into_any();
    }
    let followed: Vec<_> = batch
        .options
        .into_iter()
        .filter_map(|option| option.follow_up.filter(|f| f.is_sound()).map(|follow_up| (option.text, follow_up)))
        .collect();
    let list = (!followed.is_empty()).then(|| {
        let heading_id = format!("{ids}-options");
        let items = followed
            .into_iter()
            .map(|(text, follow_up)| {
                view! {
                    <li class="bsv-results__item">
                        <span class="bsv-results__text" lang=lang.clone()>{text}</span>
                        <FollowUpNote follow_up lang=lang.clone()/>
                    </li>
                }
            })
            .collect_view();
        let title_view = heading(level, "bsv-results__title", heading_id.clone(), t.follow_up_options_title);
        view! {
            <section class="bsv-results" aria-labelledby=heading_id>
                {title_view}
                <ul class="bsv-results__list">{items}</ul>
            </section>
        }
    });
    view! { {summary} {list} }.into_any()
}
