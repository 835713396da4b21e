//! The optional "another bottleneck" box with a live character count.

use leptos::prelude::*;
use survey_protocol::OtherRule;

use super::field_error::{described_by, invalid, FieldErrorText};
use crate::ballot::Ballot;
use crate::form_ids::FormIds;
use crate::i18n::fill;

/// The free-text field, shown only when the batch enables it.
#[component]
pub fn OtherText(
    /// The batch's limit for this box.
    rule: OtherRule,
    /// The form's state; typing updates it.
    ballot: RwSignal<Ballot>,
    /// The error message, if any.
    error: Signal<Option<String>>,
    /// True while a vote is being sent.
    locked: Signal<bool>,
) -> impl IntoView {
    let t = super::texts();
    let ids = expect_context::<FormIds>();
    let id = ids.of("other");
    let hint_id = ids.of("other-hint");
    let count_id = ids.of("other-count");
    let error_id = ids.error_of(&id);
    let max = rule.max_length;
    let count = Signal::derive(move || fill(t.other_count, &[("n", &ballot.with(Ballot::other_length)), ("max", &max)]));
    view! {
        <div class="bsv-field bsv-other">
            <label class="bsv-field__label" for=id.clone()>{t.other_label}</label>
            <p id=hint_id.clone() class="bsv-hint">{t.other_hint}</p>
            <FieldErrorText id=error_id.clone() error/>
            <textarea
                id=id
                class="bsv-textarea"
                rows="3"
                maxlength=max
                prop:disabled=locked
                aria-invalid=invalid(error)
                aria-describedby=described_by(vec![hint_id, count_id.clone()], error_id, error)
                on:input:target=move |ev| ballot.update(|b| b.set_other(ev.target().value()))
            ></textarea>
            <p id=count_id class="bsv-other__count">{count}</p>
        </div>
    }
}
