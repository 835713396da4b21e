//! The steps of real-name voting, downloaded when a citizen picks it: the
//! privacy notice and consent, name / ID number / phone, the SMS code, and
//! "verified as 张*". The name, ID number and phone stay in this component's
//! memory only, go to the verification endpoint only, and are cleared as
//! soon as the token arrives.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::field_error::{described_by, invalid, FieldErrorText};
use super::reactive::dynamic;
use crate::api::Api;
use crate::browser::{now_ms, today};
use crate::error::Error;
use crate::field_message::{identity_message, identity_problem_from};
use crate::form_ids::FormIds;
use crate::config::Config;
use crate::i18n::fill;
use crate::i18n::real_name::{real_name_catalogue, RealNameCatalogue};
use crate::real_name::{is_code, IdentityField, IdentityProblem, Mode, RealNameState, Step};

/// The steps' sentences, in the widget's language.
fn real_name_texts() -> &'static RealNameCatalogue {
    real_name_catalogue(expect_context::<Config>().lang)
}

/// Messages at the identity fields, in form order.
pub type FieldProblems = Vec<(IdentityField, IdentityProblem)>;

crate::on_demand! {
    chunk real_name, preload preload_real_name_steps;
    /// The real-name steps, downloaded the first time they are wanted.
    pub fn real_name_steps(
        batch_id: String,
        privacy_notice: String,
        state: RwSignal<RealNameState>,
        mode: Memo<Mode>,
        problems: RwSignal<FieldProblems>,
        failure: RwSignal<Option<Error>>,
        locked: Signal<bool>,
    ) -> AnyView {
        view! { <RealNameSteps batch_id privacy_notice state mode problems failure locked/> }.into_any()
    }
}

/// What follows the choice of real-name voting; hidden while the citizen
/// has chosen to vote anonymously.
#[component]
fn RealNameSteps(
    /// The batch the verification is for.
    batch_id: String,
    /// The batch's privacy notice, shown before any field.
    privacy_notice: String,
    /// The real-name state, shared with the form.
    state: RwSignal<RealNameState>,
    /// Anonymous or real-name, as chosen in the block.
    mode: Memo<Mode>,
    /// Messages at the identity fields; cleared by the block when the mode changes.
    problems: RwSignal<FieldProblems>,
    /// Why the last step failed; cleared by the block when the mode changes.
    failure: RwSignal<Option<Error>>,
    /// True while a vote is being sent.
    locked: Signal<bool>,
) -> impl IntoView {
    let t = real_name_texts();
    let form_texts = super::texts();
    let ids = expect_context::<FormIds>();
    let api = expect_context::<Api>();

    let busy = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    // Focus follows the steps: to the code once it is sent, to the result
    // once verified, so a screen reader user hears where they are.
    let code_input = NodeRef::<leptos::html::Input>::new();
    let verified_text = NodeRef::<leptos::html::P>::new();
    let focus_later = move |target: fn(NodeRef<leptos::html::Input>, NodeRef<leptos::html::P>)| {
        request_animation_frame(move || target(code_input, verified_text));
    };
    // Ticks once a second while a resend countdown runs.
    let now = RwSignal::new(now_ms());
    let tick = move || {
        fn schedule(now: RwSignal<f64>, state: RwSignal<RealNameState>) {
            set_timeout(
                move || {
                    now.set(now_ms());
                    // The form may be gone by now (the vote went through):
                    // then the countdown simply stops.
                    if state.try_with_untracked(|s| s.resend_wait_s(now_ms())).unwrap_or(0) > 0 {
                        schedule(now, state);
                    }
                },
                std::time::Duration::from_secs(1),
            );
        }
        schedule(now, state);
    };

    let problem_at = move |field: IdentityField| {
        Signal::derive(move || {
            problems.with(|list| list.iter().find(|(f, _)| *f == field).map(|(_, p)| identity_message(field, *p, t).to_owned()))
        })
    };
    let show_failure = move |error: Error| match error {
        Error::Invalid(list) => problems.set(list.iter().filter_map(identity_problem_from).collect()),
        other => failure.set(Some(other)),
    };

    let send_code = {
        let api = api.clone();
        let batch_id = batch_id.clone();
        move || {
            if busy.get_untracked() {
                return;
            }
            failure.set(None);
            let found = state.with_untracked(|s| s.identity.problems(today()));
            problems.set(found.clone());
            if !found.is_empty() {
                return;
            }
            let request = state.with_untracked(|s| s.identity.to_request(&batch_id));
            let api = api.clone();
            busy.set(true);
            spawn_local(async move {
                let outcome = api.request_verification(&request).await;
                busy.set(false);
                match outcome {
                    Ok(created) => {
                        state.update(|s| s.code_sent(created.verification_id, created.resend_after_s, now_ms()));
                        now.set(now_ms());
                        tick();
                        focus_later(|input, _| {
                            if let Some(input) = input.try_get_untracked().flatten() {
                                let _ = input.focus();
                            }
                        });
                    }
                    Err(error) => show_failure(error),
                }
            });
        }
    };
    let confirm = move || {
        if busy.get_untracked() {
            return;
        }
        failure.set(None);
        let typed = code.get_untracked();
        if !is_code(&typed) {
            problems.set(vec![(IdentityField::Code, IdentityProblem::CodeInvalid)]);
            return;
        }
        problems.set(Vec::new());
        let Step::CodeSent { verification_id, .. } = state.with_untracked(|s| s.step.clone()) else { return };
        let api = api.clone();
        busy.set(true);
        spawn_local(async move {
            let outcome = api.confirm_verification(&verification_id, &typed).await;
            busy.set(false);
            match outcome {
                Ok(verified) => {
                    code.set(String::new());
                    state.update(|s| s.verified(verified.token, verified.display_name));
                    focus_later(|_, text| {
                        if let Some(text) = text.try_get_untracked().flatten() {
                            let _ = text.focus();
                        }
                    });
                }
                Err(error @ (Error::CodeExpired | Error::TooManyTries)) => {
                    state.update(|s| s.token_refused());
                    failure.set(Some(error));
                }
                Err(error) => show_failure(error),
            }
        });
    };

    // Memos, not derived signals: the regions they drive must not be drawn
    // again on every keystroke in the identity fields.
    let consent = Memo::new(move |_| state.with(|s| s.consent));
    let code_sent = Memo::new(move |_| state.with(|s| matches!(s.step, Step::CodeSent { .. })));
    let verified_name = Memo::new(move |_| {
        state.with(|s| match &s.step {
            Step::Verified { display_name, .. } => Some(display_name.clone()),
            _ => None,
        })
    });
    let wait_s = Signal::derive(move || state.with(|s| s.resend_wait_s(now.get())));
    let disabled = Signal::derive(move || locked.get() || busy.get());

    let notice_lang = super::survey::batch_lang();
    let consent_id = ids.of("consent");
    let notice_id = ids.of("privacy-notice");
    let consent_box = move || view! {
        <div class="bsv-real-name__notice" id=notice_id.clone()>
            <h3 class="bsv-real-name__notice-title">{t.privacy_title}</h3>
            <p class="bsv-real-name__notice-text" lang=notice_lang.clone()>{privacy_notice.clone()}</p>
        </div>
        <div class="bsv-choice">
            <input
                type="checkbox"
                class="bsv-choice__input"
                id=consent_id.clone()
                aria-describedby=notice_id.clone()
                prop:checked=consent
                prop:disabled=disabled
                on:change:target=move |ev| {
                    let agreed = ev.target().checked();
                    state.update(|s| s.consent = agreed);
                }
            />
            <label class="bsv-choice__label" for=consent_id.clone()>{t.consent_label}</label>
        </div>
    };

    let identity_fields = {
        let send_code = send_code.clone();
        move || {
            let send_code = send_code.clone();
            view! {
                {[IdentityField::Name, IdentityField::IdNumber, IdentityField::Phone]
                    .map(|field| view! { <IdentityInput field state error=problem_at(field) disabled/> })
                    .collect_view()}
                <button
                    type="button"
                    class="bsv-button"
                    prop:disabled=Signal::derive(move || disabled.get() || wait_s.get() > 0)
                    on:click=move |_| send_code()
                >
                    {Signal::derive(move || match (busy.get(), wait_s.get(), code_sent.get()) {
                        (true, _, false) => t.sending_code.to_owned(),
                        (_, 0, false) => t.send_code.to_owned(),
                        (_, 0, true) => t.resend_code.to_owned(),
                        (_, seconds, _) => fill(t.resend_in, &[("seconds", &seconds)]),
                    })}
                </button>
            }
        }
    };

    let code_id = ids.of("code");
    let code_error_id = ids.error_of(&code_id);
    let code_error = problem_at(IdentityField::Code);
    let code_entry = move || {
        view! {
            <p class="bsv-real-name__sent" role="status">{t.code_sent}</p>
            <div class="bsv-field">
                <label class="bsv-field__label" for=code_id.clone()>{t.code_label}</label>
                <FieldErrorText id=code_error_id.clone() error=code_error/>
                <input
                    id=code_id.clone()
                    node_ref=code_input
                    class="bsv-input bsv-input--code"
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    maxlength="6"
                    prop:value=code
                    prop:disabled=disabled
                    aria-invalid=invalid(code_error)
                    aria-describedby=described_by(Vec::new(), code_error_id.clone(), code_error)
                    on:input:target=move |ev| code.set(ev.target().value())
                />
            </div>
            <button type="button" class="bsv-button" prop:disabled=disabled on:click={
                let confirm = confirm.clone();
                move |_| confirm()
            }>
                {Signal::derive(move || if busy.get() { t.confirming_code } else { t.confirm_code })}
            </button>
        }
    };

    view! {
        {dynamic(move || {
            if mode.get() != Mode::RealName {
                return ().into_any();
            }
            if let Some(display_name) = verified_name.get() {
                return view! {
                    <p class="bsv-real-name__verified" role="status" tabindex="-1" node_ref=verified_text>
                        {fill(t.verified_as, &[("name", &display_name)])}
                    </p>
                }
                .into_any();
            }
            let identity_fields = identity_fields.clone();
            let code_entry = code_entry.clone();
            let consent_box = consent_box.clone();
            view! {
                {consent_box()}
                {dynamic(move || {
                    if !consent.get() {
                        return ().into_any();
                    }
                    let code_entry = code_entry.clone();
                    view! {
                        {identity_fields()}
                        {dynamic(move || code_sent.get().then(&code_entry).into_any())}
                    }
                    .into_any()
                })}
            }
            .into_any()
        })}
        <div class="bsv-real-name__status" role="alert">
            {dynamic(move || failure.get().map(|e| view! { <p class="bsv-field__error">{e.message(form_texts)}</p> }).into_any())}
        </div>
    }
}

/// One labelled identity input with its hint and error, bound to its field
/// of the identity.
#[component]
fn IdentityInput(
    /// Name, ID number or phone: gives the id, label, hint, keyboard and autofill.
    field: IdentityField,
    /// The real-name state holding what was typed.
    state: RwSignal<RealNameState>,
    /// The error message, if any.
    error: Signal<Option<String>>,
    /// True while sending, or while a vote is being sent.
    disabled: Signal<bool>,
) -> impl IntoView {
    let t = real_name_texts();
    let ids = expect_context::<FormIds>();
    // The ID number has no autocomplete token of its own, and a check
    // character X, so no numeric keypad; the phone gets the phone keypad.
    let (name, label, hint, input_type, inputmode, autocomplete, maxlength) = match field {
        IdentityField::Name => ("name", t.name_label, t.name_hint, "text", "text", "name", "40"),
        IdentityField::IdNumber => ("id-number", t.id_number_label, t.id_number_hint, "text", "text", "off", "18"),
        _ => ("phone", t.phone_label, t.phone_hint, "tel", "tel", "tel", "20"),
    };
    let id = ids.of(name);
    let hint_id = format!("{id}-hint");
    let error_id = ids.error_of(&id);
    // Bound both ways, so the text survives the field being drawn again.
    let value = Signal::derive(move || state.with(|s| s.identity.field(field).to_owned()));
    view! {
        <div class="bsv-field">
            <label class="bsv-field__label" for=id.clone()>{label}</label>
            <p id=hint_id.clone() class="bsv-hint">{hint}</p>
            <FieldErrorText id=error_id.clone() error/>
            <input
                id=id
                class="bsv-input"
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                autocapitalize=if field == IdentityField::IdNumber { "characters" } else { "off" }
                spellcheck="false"
                maxlength=maxlength
                prop:value=value
                prop:disabled=disabled
                aria-invalid=invalid(error)
                aria-describedby=described_by(vec![hint_id], error_id, error)
                on:input:target=move |ev| state.update(|s| s.identity.set_field(field, ev.target().value()))
            />
        </div>
    }
}
