//! The survey form: place, choices, other text, submit. One page, top to
//! bottom, so it reads on a phone without a wizard.
//!
//! A submitted vote is frozen with its vote id until the endpoint has
//! answered for certain: a failure that may have reached the endpoint is
//! retried with the very same vote, so it can never be counted twice.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use survey_protocol::field_error::field;
use survey_protocol::{Batch, ClientInfo, FieldError, FieldErrorCode, RealName, Vote};

use super::after_paint::AfterPaint;
use super::choice_list::ChoiceList;
use super::error_summary::ErrorSummary;
use super::location_picker::LocationPicker;
use super::other_text::OtherText;
use super::real_name_block::RealNameBlock;
use super::real_name_steps::preload_real_name_steps;
use super::later::preload_later;
use super::survey::Handed;
use super::submit_bar::SubmitBar;
use crate::api::Api;
use crate::ballot::Ballot;
use crate::browser::{is_online, keep_clear_of_sticky_bars, page_origin, random_bytes};
use crate::config::Config;
use crate::courier::{Courier, Delivery, Outcome};
use crate::error::Error;
use crate::field_message::field_message;
use crate::form_ids::FormIds;
use crate::host_events::HostEvents;
use crate::outbox::OutboxEntry;
use crate::real_name::{Mode, RealNameState};
use crate::voted::VotedRecord;
use crate::vote_id::uuid_v4;

/// The form for an open batch.
#[component]
pub fn BallotForm(
    /// The open batch.
    batch: Batch,
    /// A vote of this batch still in the outbox from an earlier visit: shown
    /// with its answers and sent again at once.
    resume: Option<OutboxEntry>,
    /// Called once with the receipt when the vote is counted.
    on_voted: Callback<VotedRecord>,
) -> impl IntoView {
    let t = super::texts();
    let api = expect_context::<Api>();
    let config = expect_context::<Config>();
    let ids = expect_context::<FormIds>();

    let other_rule = batch.other_enabled();
    let real_name = RealNameState::for_batch(batch.real_name).map(RwSignal::new);
    let offers_real_name = real_name.is_some();
    let mut steps_asked = false;
    let batch_id = batch.id.clone();
    let levels = batch.location.levels;
    let title = batch.title.clone();
    let description = batch.description.clone();
    let closes_at = batch.closes_at.clone();
    let batch = StoredValue::new(batch);
    let content_lang = super::survey::batch_lang();

    let ballot = RwSignal::new(match &resume {
        Some(entry) => Ballot::from_vote(&entry.vote),
        None => Ballot::with_province(config.region.clone()),
    });
    // A token the host page handed in from its own login stands in for the
    // real-name form, now or whenever it arrives.
    if let (Some(state), Some(Handed(handed))) = (real_name, use_context::<Handed>()) {
        Effect::new(move |_| {
            if let Some(token) = handed.get() {
                state.update(|s| {
                    s.set_mode(Mode::RealName);
                    s.verified(token.token, token.display_name);
                });
            }
        });
    }
    // After a first submit the page's own check follows the citizen's
    // corrections; the endpoint's errors stand until the next submit.
    let attempted = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors = Memo::new(move |_| {
        let server = server_errors.get();
        if !server.is_empty() {
            server
        } else if attempted.get() {
            let mut list = ballot.with(|b| batch.with_value(|batch| b.errors(batch)));
            if real_name.is_some_and(|r| r.with(|s| s.vote_token().is_err())) {
                list.push(FieldError::new(field::VERIFICATION_TOKEN, FieldErrorCode::Required, "verify first"));
            }
            list
        } else {
            Vec::new()
        }
    });
    let failure = RwSignal::new(None::<Error>);
    let summary = NodeRef::<Div>::new();
    let focus_summary = move || {
        request_animation_frame(move || {
            if let Some(summary) = summary.try_get_untracked().flatten() {
                let _ = summary.focus();
            }
        })
    };

    // What the endpoint finally said. A receipt ends the form; a final
    // refusal leaves the answers editable: nothing was counted.
    let events = expect_context::<HostEvents>();
    let on_done = Callback::new(move |outcome: Outcome| match outcome {
        Ok(record) => on_voted.run(record),
        Err(Error::Invalid(list)) => {
            events.error("vote", t.error_summary_title);
            server_errors.set(list);
            focus_summary();
        }
        Err(error) => {
            events.error("vote", &error.message(t));
            if error == Error::VerificationNeeded {
                // The token expired before the vote got through: verify
                // again; the answers stay as they are.
                if let Some(state) = real_name {
                    state.update(|s| s.token_refused());
                }
            }
            failure.set(Some(error));
        }
    });
    let courier = Courier::new(api, config.endpoint.clone(), batch_id, on_done);
    let delivery = courier.status();
    if resume.is_some() {
        courier.resume();
    }

    let locale = config.lang.tag();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        if courier.has_vote() {
            // A vote is already saved (here, on an earlier visit or in another
            // tab): the button sends that one now, never a second.
            courier.try_now();
            return;
        }
        let vote_id = uuid_v4(random_bytes().unwrap_or_default());
        let client = ClientInfo {
            widget_version: env!("CARGO_PKG_VERSION").to_owned(),
            locale: locale.to_owned(),
            embed_origin: Some(page_origin()).filter(|o| !o.is_empty()),
        };
        let token = real_name.map_or(Ok(None), |r| r.with_untracked(|s| s.vote_token()));
        let vote = ballot.with_untracked(|b| batch.with_value(|batch| b.to_vote(batch, vote_id, client)));
        match vote.and_then(|vote| token.map(|t| Vote { verification_token: t, ..vote }).map_err(|_| Vec::new())) {
            Ok(vote) => {
                server_errors.set(Vec::new());
                courier.submit(OutboxEntry::new(vote));
                // The receipt's code comes while the vote is on its way.
                // Offline it would only fail: then it comes with the receipt.
                if is_online() {
                    leptos::task::spawn_local(async {
                        let _ = preload_later().await;
                    });
                }
            }
            Err(_) => {
                server_errors.set(Vec::new());
                attempted.set(true);
                focus_summary();
            }
        }
    };

    let message_for = move |name: &'static str| {
        Signal::derive(move || {
            errors.with(|list| {
                list.iter().find(|e| e.field == name).map(|e| batch.with_value(|b| field_message(e, b, t)))
            })
        })
    };
    let summary_items = {
        let ids = ids.clone();
        Signal::derive(move || {
            errors.with(|list| {
                list.iter()
                    .map(|e| (ids.for_field(&e.field), batch.with_value(|b| field_message(e, b, t))))
                    .collect()
            })
        })
    };
    let locked = Signal::derive(move || delivery.get() != Delivery::Idle);
    let closes = closes_at.map(|at| {
        crate::i18n::fill(t.closes_at, &[("date", &crate::browser::local_date_time(&at, locale))])
    });

    view! {
        <form
            class="bsv-form"
            part="form"
            novalidate
            on:submit=on_submit
            on:focusin=move |ev| {
                if let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    // After the browser's own scroll on focus.
                    request_animation_frame(move || keep_clear_of_sticky_bars(&target));
                }
                // A citizen at work on a form that offers real-name voting
                // may choose it: its steps are fetched now, so that they are
                // there when the choice is made, and nobody who only looks
                // at the form downloads them.
                if offers_real_name && !steps_asked && is_online() {
                    steps_asked = true;
                    leptos::task::spawn_local(async {
                        let _ = preload_real_name_steps().await;
                    });
                }
            }
        >
            <h2 class="bsv-form__title" part="title" lang=content_lang.clone()>{title}</h2>
            {description.map(|d| view! { <p class="bsv-form__description" lang=content_lang.clone()>{d}</p> })}
            {closes.map(|c| view! { <p class="bsv-hint">{c}</p> })}
            <ErrorSummary errors=summary_items node_ref=summary/>
            // The rest comes a frame at a time (see AfterPaint): the place
            // pickers, then the choices and everything below them.
            <AfterPaint>
                <LocationPicker
                    levels
                    fixed_province=config.region.clone()
                    ballot
                    errors=[message_for(field::PROVINCE), message_for(field::CITY), message_for(field::COUNTY)]
                    locked
                />
                <AfterPaint>
                    <ChoiceList batch ballot error=message_for(field::CHOICES) locked/>
                    {other_rule.map(|rule| view! { <OtherText rule ballot error=message_for(field::OTHER) locked/> })}
                    {real_name.map(|state| view! {
                        <RealNameBlock
                            batch_id=batch.with_value(|b| b.id.clone())
                            privacy_notice=batch.with_value(|b| b.privacy_notice.clone().unwrap_or_default())
                            required=batch.with_value(|b| b.real_name == RealName::Required)
                            state
                            error=message_for(field::VERIFICATION_TOKEN)
                            locked
                        />
                    })}
                    <SubmitBar delivery failure=failure.into()/>
                </AfterPaint>
            </AfterPaint>
        </form>
    }
}
