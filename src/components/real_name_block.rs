//! The real-name part of the form: the choice to vote under one's name, and
//! the steps that follow it ([`super::real_name_steps`]), which are
//! downloaded only once a citizen picks real-name voting (or the batch
//! requires it): most citizens vote anonymously and never need them.

use leptos::prelude::*;
use survey_protocol::field_error::field;

use super::field_error::{described_by, FieldErrorText};
use super::real_name_steps::{real_name_steps, FieldProblems};
use super::reactive::dynamic;
use crate::config::Config;
use crate::error::Error;
use crate::form_ids::FormIds;
use crate::on_demand::deferred;
use crate::real_name::{Mode, RealNameState};

/// The real-name block; the form reads the token from `state`.
#[component]
pub fn RealNameBlock(
    /// The batch the verification is for.
    batch_id: String,
    /// The batch's privacy notice, shown before any field.
    privacy_notice: String,
    /// True when the batch requires real names: no choice of mode is offered.
    /// (Not read from `state`, whose mode a token handed in by the host page
    /// may already have set.)
    required: bool,
    /// The real-name state, shared with the form.
    state: RwSignal<RealNameState>,
    /// The form's error for the whole block ("verify first"), if any.
    error: Signal<Option<String>>,
    /// True while a vote is being sent.
    locked: Signal<bool>,
) -> impl IntoView {
    let t = super::texts();
    let ids = expect_context::<FormIds>();
    let secure = expect_context::<Config>().endpoint.allows_personal_data();

    let problems = RwSignal::new(FieldProblems::new());
    let failure = RwSignal::new(None::<Error>);
    let mode = Memo::new(move |_| state.with(|s| s.mode));
    // Once wanted, the steps stay: switching back and forth keeps what was
    // typed and where the verification stands.
    let wanted = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(false) || (secure && mode.get() == Mode::RealName)
    });

    let mode_choice = (!required).then(|| {
        let ids = ids.clone();
        let name = ids.of("mode");
        let radio = move |value: Mode, label: &'static str| {
            let id = ids.of(if value == Mode::Anonymous { "mode-anonymous" } else { "mode-real-name" });
            view! {
                <div class="bsv-choice">
                    <input
                        type="radio"
                        class="bsv-choice__input"
                        id=id.clone()
                        name=name.clone()
                        prop:checked=Signal::derive(move || mode.get() == value)
                        prop:disabled=Signal::derive(move || locked.get() || (value == Mode::RealName && !secure))
                        on:change=move |_| {
                            problems.set(Vec::new());
                            failure.set(None);
                            state.update(|s| s.set_mode(value));
                        }
                    />
                    <label class="bsv-choice__label" for=id>{label}</label>
                </div>
            }
        };
        view! {
            <fieldset class="bsv-real-name__mode">
                <legend class="bsv-choices__group-label">{t.mode_legend}</legend>
                {radio(Mode::Anonymous, t.mode_anonymous)}
                {radio(Mode::RealName, t.mode_real_name)}
            </fieldset>
        }
    });

    let block_error_id = ids.of("real-name-error");
    let block_described_by = described_by(Vec::new(), block_error_id.clone(), error);
    view! {
        <fieldset
            class="bsv-fieldset bsv-real-name"
            id=ids.for_field(field::VERIFICATION_TOKEN)
            tabindex="-1"
            aria-describedby=block_described_by
        >
            <legend class="bsv-fieldset__legend">{t.real_name_legend}</legend>
            <FieldErrorText id=block_error_id error/>
            {(!secure).then(|| view! { <p class="bsv-hint">{t.err_insecure}</p> })}
            {mode_choice}
            {dynamic(move || {
                if !wanted.get() {
                    return ().into_any();
                }
                let (batch_id, privacy_notice) = (batch_id.clone(), privacy_notice.clone());
                deferred(move || {
                    real_name_steps(batch_id.clone(), privacy_notice.clone(), state, mode, problems, failure, locked)
                })
                .into_any()
            })}
        </fieldset>
    }
}
