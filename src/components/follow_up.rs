//! What became of a bottleneck or a batch, as the organiser reports it: a
//! line under the bottleneck ("办理情况：已解决 · 22/31 个省份已解决"), the
//! organiser's note in the batch's language, and the date of the report.
//! A follow-up that breaks a protocol rule is not shown.

use leptos::prelude::*;
use survey_protocol::{BatchFollowUp, FollowUp, FollowUpStatus};

use super::later::{heading, later_texts};
use crate::browser::local_date;
use crate::config::Config;
use crate::follow_up_text::follow_up_status;
use crate::i18n::fill;

/// One bottleneck's follow-up, or nothing when it may not be shown.
#[component]
pub fn FollowUpNote(
    /// The follow-up as the endpoint sent it.
    follow_up: FollowUp,
    /// The language of the batch's texts, for the note.
    lang: String,
) -> impl IntoView {
    let t = later_texts();
    let locale = expect_context::<Config>().lang.tag();
    follow_up_status(&follow_up, t).map(|line| {
        let class = match follow_up.status {
            FollowUpStatus::Solved => "bsv-follow-up bsv-follow-up--solved",
            _ => "bsv-follow-up",
        };
        view! {
            <div class=class>
                <p class="bsv-follow-up__status">{line}</p>
                {follow_up.note.map(|note| view! { <p class="bsv-follow-up__note" lang=lang>{note}</p> })}
                <p class="bsv-follow-up__date">
                    {fill(t.follow_up_updated, &[("date", &local_date(&follow_up.updated_at, locale))])}
                </p>
            </div>
        }
    })
}

/// The batch's follow-up as a whole, under its own heading; nothing when it
/// may not be shown.
#[component]
pub fn FollowUpSummary(
    /// The batch's follow-up as the endpoint sent it.
    follow_up: Option<BatchFollowUp>,
    /// The language of the batch's texts.
    lang: String,
    /// The heading's level in the screen around it.
    level: u8,
    /// A unique prefix for element ids.
    ids: String,
) -> impl IntoView {
    let t = later_texts();
    let locale = expect_context::<Config>().lang.tag();
    follow_up.filter(BatchFollowUp::is_sound).map(|summary| {
        let heading_id = format!("{ids}-summary");
        let title_view = heading(level, "bsv-follow-up-summary__title", heading_id.clone(), t.follow_up_title);
        view! {
            <section class="bsv-follow-up-summary" aria-labelledby=heading_id>
                {title_view}
                <p class="bsv-follow-up-summary__text" lang=lang>{summary.summary}</p>
                <p class="bsv-follow-up__date">
                    {fill(t.follow_up_updated, &[("date", &local_date(&summary.updated_at, locale))])}
                </p>
            </section>
        }
    })
}
