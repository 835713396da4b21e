//! The action's earlier batches: each one's title, dates, totals and what
//! became of it, and a button that opens one (`GET /batches/{id}`) with its
//! results and each bottleneck's follow-up. Downloaded when the citizen
//! asks to see them.

use leptos::html::{H3, H4};
use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_protocol::{Batch, BatchStatus, BatchSummary};

use super::batch_outcome::BatchOutcome;
use super::later::{around, later_texts, part_ids, styled_root};
use super::reactive::dynamic;
use super::survey::BatchLang;
use crate::api::Api;
use crate::browser::{local_date, voted_record};
use crate::config::Config;
use crate::error::Error;
use crate::i18n::fill;

crate::on_demand! {
    chunk history;
    /// The list of earlier batches, downloaded the first time it is opened.
    pub fn batch_history(batches: Vec<BatchSummary>, lang: String) -> AnyView {
        view! { <BatchHistory batches lang/> }.into_any()
    }
}

/// The list, or the one batch opened from it.
#[component]
fn BatchHistory(
    /// The earlier batches, newest first.
    batches: Vec<BatchSummary>,
    /// The language of their titles and summaries.
    lang: String,
) -> impl IntoView {
    let t = later_texts();
    let opened = RwSignal::new(None::<String>);
    let title = NodeRef::<H3>::new();
    let back = Callback::new(move |()| {
        opened.set(None);
        // Back at the list, where the citizen was before opening one.
        request_animation_frame(move || {
            if let Some(title) = title.get_untracked() {
                let _ = title.focus();
            }
        });
    });
    let ids = part_ids();
    let body = move || match opened.get() {
        Some(id) => view! { <BatchDetail id on_back=back/> }.into_any(),
        None => {
            let items = batches
                .iter()
                .enumerate()
                .map(|(index, batch)| view! { <HistoryItem batch=batch.clone() lang=lang.clone() title_id=format!("{ids}-{index}") opened/> })
                .collect_view();
            view! { <ul class="bsv-history__list">{items}</ul> }.into_any()
        }
    };
    view! {
        <section class="bsv-history__panel" node_ref=styled_root()>
            <h3 class="bsv-history__title" tabindex="-1" node_ref=title>{t.history_title}</h3>
            {dynamic(body)}
        </section>
    }
}

/// "2018年4月19日 至 2018年5月8日", or one of the dates, or nothing.
fn dates(opens_at: Option<&str>, closes_at: Option<&str>, locale: &str) -> Option<String> {
    let t = later_texts();
    match (opens_at, closes_at) {
        (Some(from), Some(to)) => {
            Some(fill(t.history_dates, &[("from", &local_date(from, locale)), ("to", &local_date(to, locale))]))
        }
        (one, other) => one.or(other).map(|at| local_date(at, locale)),
    }
}

/// One earlier batch in brief.
#[component]
fn HistoryItem(
    /// The batch.
    batch: BatchSummary,
    /// The language of its title and summary.
    lang: String,
    /// The id of its title, which describes its button.
    title_id: String,
    /// Set to the batch's id when its button is pressed.
    opened: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = later_texts();
    let locale = expect_context::<Config>().lang.tag();
    let status = match batch.status {
        BatchStatus::Open => t.history_status_open,
        BatchStatus::Closed => t.history_status_closed,
        BatchStatus::Upcoming => t.history_status_upcoming,
    };
    let when = dates(batch.opens_at.as_deref(), batch.closes_at.as_deref(), locale)
        .map_or_else(|| status.to_owned(), |dates| format!("{status} · {dates}"));
    let totals = match (batch.total, batch.real_name_total) {
        (Some(total), Some(real_name)) => fill(t.results_total, &[("total", &total), ("real_name", &real_name)]),
        _ => t.history_hidden.to_owned(),
    };
    let summary = batch.follow_up.filter(|f| f.is_sound()).map(|f| {
        let (before, after) = around(t.follow_up_line, "status");
        let date = fill(t.follow_up_updated, &[("date", &local_date(&f.updated_at, locale))]);
        view! {
            <p class="bsv-history__summary">{before}<span lang=lang.clone()>{f.summary}</span>{after}</p>
            <p class="bsv-follow-up__date">{date}</p>
        }
    });
    let id = batch.id;
    view! {
        <li class="bsv-history__item">
            <h4 class="bsv-history__batch" id=title_id.clone() lang=lang.clone()>{batch.title}</h4>
            <p class="bsv-history__when">{when}</p>
            <p class="bsv-history__totals">{totals}</p>
            {summary}
            <button
                type="button"
                class="bsv-button"
                aria-describedby=title_id
                on:click=move |_| opened.set(Some(id.clone()))
            >
                {t.history_view}
            </button>
        </li>
    }
}

/// One earlier batch, whole: its outcome, and the way back to the list.
#[component]
fn BatchDetail(
    /// The batch's id.
    id: String,
    /// Goes back to the list.
    on_back: Callback<()>,
) -> impl IntoView {
    let t = later_texts();
    let api = expect_context::<Api>();
    let config = expect_context::<Config>();
    let loaded = RwSignal::new(None::<Result<(Batch, String), Error>>);
    let attempt = RwSignal::new(0_u32);
    Effect::new(move |_| {
        attempt.track();
        let (api, id) = (api.clone(), id.clone());
        loaded.set(None);
        spawn_local(async move {
            loaded.try_set(Some(api.batch(&id).await));
        });
    });
    let title = NodeRef::<H4>::new();
    // The citizen asked for this batch: they land on its title.
    title.on_load(|title| {
        let _ = title.focus();
    });
    let body = move || match loaded.get() {
        None => view! { <p class="bsv-hint">{t.loading_part}</p> }.into_any(),
        Some(Err(error)) => view! {
            <div class="bsv-part-failed" role="alert">
                <p class="bsv-field__error">{error.message(crate::components::texts())}</p>
                {error.is_retryable().then(|| view! {
                    <button type="button" class="bsv-button" on:click=move |_| attempt.update(|n| *n += 1)>
                        {crate::components::texts().retry}
                    </button>
                })}
            </div>
        }
        .into_any(),
        Some(Ok((batch, lang))) => {
            provide_context(BatchLang(lang.clone()));
            let record = voted_record(&config.endpoint, &batch.id);
            let when = dates(batch.opens_at.as_deref(), batch.closes_at.as_deref(), config.lang.tag());
            view! {
                <h4 class="bsv-history__batch" tabindex="-1" lang=lang node_ref=title>{batch.title.clone()}</h4>
                {when.map(|when| view! { <p class="bsv-history__when">{when}</p> })}
                <BatchOutcome batch record level=5/>
            }
            .into_any()
        }
    };
    view! {
        <div class="bsv-history__detail">
            <button type="button" class="bsv-button" on:click=move |_| on_back.run(())>{t.history_back}</button>
            {dynamic(body)}
        </div>
    }
}
