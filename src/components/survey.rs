//! The widget's root: loads the current batch and shows the screen that
//! fits it (loading, the form, the receipt, or one of the notices).

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;

use survey_protocol::{Batch, BatchStatus};

use super::ballot_form::BallotForm;
use super::notice::{LoadFailed, Notice};
use super::later::later_screen;
use super::Texts;
use crate::api::{Api, Prefetch};
use crate::browser::{
    care_preference, local_date_time, next_task, outbox_entry, remember_care_preference, voted_record,
};
use crate::config::{Config, ConfigError, Lang, Theme};
use crate::embed::HandedToken;
use crate::host_events::HostEvents;
use crate::error::Error;
use crate::form_ids::FormIds;
use crate::i18n::{catalogue, fill};
use crate::on_demand::deferred;
use crate::voted::VotedRecord;
use super::reactive::dynamic;

/// Numbers widget instances so their element ids never clash on one page.
static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// One survey widget.
#[component]
pub fn Survey(
    /// The citizen's language, known even when the configuration is wrong.
    lang: Lang,
    /// The host's settings, or what is wrong with them.
    config: Result<Config, ConfigError>,
    /// Where the host page hears what happens.
    events: HostEvents,
    /// A verification token the host page hands in from its own login.
    handed: RwSignal<Option<HandedToken>>,
    /// The batch request `embed.js` started while the module downloaded.
    #[prop(default = None)]
    prefetch: Option<Prefetch>,
) -> impl IntoView {
    let t = catalogue(lang);
    provide_context(Texts(t));
    provide_context(FormIds::new(INSTANCES.fetch_add(1, Ordering::Relaxed) + 1));
    provide_context(Handed(handed));
    provide_context(events.clone());

    // The citizen's own choice on this device wins over the host's `theme`.
    let care = RwSignal::new(
        care_preference().unwrap_or_else(|| config.as_ref().is_ok_and(|c| c.theme == Theme::Care)),
    );
    let body = match config {
        Ok(config) => {
            provide_context(config.clone());
            provide_context(Api::new(config));
            view! { <CurrentBatch prefetch/> }.into_any()
        }
        Err(error) => {
            let error = Error::Config(error);
            events.error("config", &error.message(t));
            view! { <LoadFailed title=t.config_failed_title error/> }.into_any()
        }
    };
    view! {
        <section class="bsv" class=("bsv--care", care) part="root" lang=lang.tag() aria-label=t.widget_label>
            <div class="bsv-toolbar">
                <button
                    type="button"
                    class="bsv-care-switch"
                    aria-pressed=Signal::derive(move || if care.get() { "true" } else { "false" })
                    on:click=move |_| {
                        let on = !care.get_untracked();
                        care.set(on);
                        remember_care_preference(on);
                    }
                >
                    {t.care_mode}
                </button>
            </div>
            {body}
        </section>
    }
}

/// The language the batch's own texts are in, for their `lang` attributes:
/// an endpoint may answer in another language than the widget speaks.
#[derive(Clone)]
pub struct BatchLang(pub String);

/// The language of the current batch's texts.
pub fn batch_lang() -> String {
    expect_context::<BatchLang>().0
}

/// The token handed in by the host page, for the form to pick up.
#[derive(Clone, Copy)]
pub struct Handed(pub RwSignal<Option<HandedToken>>);

/// Loads `GET E/batches/current` and picks the screen for it.
///
/// Loads go through `spawn_local` into a plain signal rather than a
/// `LocalResource` inside `<Transition>`: the async machinery behind those
/// costs tens of kilobytes of wasm, and the first load has a size budget.
#[component]
fn CurrentBatch(
    /// The request `embed.js` started, taken over by the first load only.
    prefetch: Option<Prefetch>,
) -> impl IntoView {
    let t = super::texts();
    let api = expect_context::<Api>();
    let batch = RwSignal::new(None::<Result<(Batch, String), Error>>);
    let events = expect_context::<HostEvents>();
    let prefetch = StoredValue::new_local(prefetch);
    let load = move || {
        let api = api.clone();
        let events = events.clone();
        let prefetch = prefetch.try_update_value(Option::take).flatten();
        batch.set(None);
        // Mounting, reading the batch and drawing it are each a task of
        // their own: a batch `embed.js` fetched while the module downloaded
        // is here as soon as the widget mounts, and all three in one task
        // would hold up a phone's main thread for too long at once.
        spawn_local(async move {
            next_task().await;
            let loaded = api.current_batch(prefetch).await;
            match &loaded {
                Ok((batch, _)) => events.loaded(&batch.id, status_name(batch.status)),
                Err(error) => events.error("batch", &error.message(t)),
            }
            next_task().await;
            // The widget may have been taken out meanwhile.
            batch.try_set(Some(loaded));
        });
    };
    load();
    let retry = Callback::new(move |()| load());
    dynamic(move || match batch.get() {
        None => view! {
            <div class="bsv-pending">
                <Notice title=t.loading busy=true/>
            </div>
        }
        .into_any(),
        Some(Ok((batch, lang))) => {
            provide_context(BatchLang(lang));
            view! { <BatchScreen batch/> }.into_any()
        }
        Some(Err(Error::NoBatch)) => {
            view! { <Notice title=t.no_batch_title body=t.no_batch_body.to_owned()/> }.into_any()
        }
        Some(Err(error)) => view! { <LoadFailed title=t.load_failed_title error on_retry=retry/> }.into_any(),
    })
}

/// The screen for a batch that loaded: by its status, and whether this
/// browser has already voted in it.
#[component]
fn BatchScreen(batch: Batch) -> impl IntoView {
    let t = super::texts();
    let config = expect_context::<Config>();
    let when = |at: &Option<String>, template: &str| {
        at.as_deref().map(|at| fill(template, &[("date", &local_date_time(at, config.lang.tag()))]))
    };
    match batch.status {
        BatchStatus::Open => {
            let voted = RwSignal::new(voted_record(&config.endpoint, &batch.id).map(|r| (r, false)));
            let resume = outbox_entry(&config.endpoint, &batch.id);
            let events = expect_context::<HostEvents>();
            let batch_id = batch.id.clone();
            let on_voted = Callback::new(move |record: VotedRecord| {
                events.submitted(&batch_id, &record.receipt);
                voted.set(Some((record, true)));
            });
            dynamic(move || match voted.get() {
                Some(voted) => later(batch.clone(), Some(voted)),
                None => view! { <BallotForm batch=batch.clone() resume=resume.clone() on_voted/> }.into_any(),
            })
            .into_any()
        }
        BatchStatus::Upcoming => {
            let body = when(&batch.opens_at, t.opens_at).unwrap_or_default();
            view! { <Notice title=t.upcoming_title subtitle=batch.title subtitle_lang=batch_lang() body/> }.into_any()
        }
        BatchStatus::Closed => later(batch, None),
    }
}

/// The receipt, or a closed batch's screen, once their chunk is here: one
/// function, so that the first download holds one copy of the machinery
/// that waits for it.
fn later(batch: Batch, voted: Option<(VotedRecord, bool)>) -> AnyView {
    deferred(move || later_screen(batch.clone(), voted.clone())).into_any()
}

fn status_name(status: BatchStatus) -> &'static str {
    match status {
        BatchStatus::Open => "open",
        BatchStatus::Closed => "closed",
        BatchStatus::Upcoming => "upcoming",
    }
}
