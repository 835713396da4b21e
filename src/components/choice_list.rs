//! The bottlenecks to tick, under their group headings, with a running
//! count; a tick past the batch's maximum is undone and explained.

use leptos::prelude::*;
use survey_protocol::Batch;

use super::field_error::{described_by, FieldErrorText};
use crate::ballot::Ballot;
use crate::form_ids::FormIds;
use crate::i18n::fill;
use crate::option_groups::{group_options, OptionGroup};

/// The choice fields of the form.
#[component]
pub fn ChoiceList(
    /// The batch whose options and limits are shown.
    batch: StoredValue<Batch>,
    /// The form's state; ticking updates it.
    ballot: RwSignal<Ballot>,
    /// The error message for the choices, if any.
    error: Signal<Option<String>>,
    /// True while a vote is being sent: the answers may not change.
    locked: Signal<bool>,
) -> impl IntoView {
    let t = super::texts();
    let ids = expect_context::<FormIds>();
    let (min, max) = batch.with_value(|b| (b.choices.min, b.effective_max()));
    let hint = if min > 0 && usize::from(min) < max {
        fill(t.choices_hint_range, &[("min", &min), ("max", &max)])
    } else {
        fill(t.choices_hint_max, &[("max", &max)])
    };
    let hint_id = ids.of("choices-hint");
    let error_id = ids.of("choices-error");
    let refused = RwSignal::new(false);
    let count = Signal::derive(move || {
        fill(t.choices_count, &[("n", &ballot.with(Ballot::chosen_count)), ("max", &max)])
    });
    let refusal = Signal::derive(move || {
        if refused.get() { fill(t.choices_at_max, &[("max", &max)]) } else { String::new() }
    });

    let groups = batch.with_value(|b| group_options(&b.options));
    let group_views = groups
        .into_iter()
        .map(|group| view! { <ChoiceGroup group batch ballot refused locked/> })
        .collect_view();

    let fieldset_described_by = described_by(vec![hint_id.clone()], error_id.clone(), error);
    view! {
        <fieldset
            class="bsv-fieldset bsv-choices"
            aria-describedby=fieldset_described_by
        >
            <legend class="bsv-fieldset__legend">{t.choices_legend}</legend>
            <p id=hint_id class="bsv-hint">{hint}</p>
            <FieldErrorText id=error_id error/>
            {group_views}
            <div class="bsv-choices__tally">
                <p class="bsv-choices__count" aria-live="polite">{count}</p>
                <p class="bsv-choices__refused" role="alert">{refusal}</p>
            </div>
        </fieldset>
    }
}

/// The options of one group; a group without a label needs no heading.
#[component]
fn ChoiceGroup(
    /// The options to show.
    group: OptionGroup,
    /// The batch, for the tick rules.
    batch: StoredValue<Batch>,
    /// The form's state.
    ballot: RwSignal<Ballot>,
    /// Set when a tick past the maximum was undone.
    refused: RwSignal<bool>,
    /// True while a vote is being sent.
    locked: Signal<bool>,
) -> impl IntoView {
    let ids = expect_context::<FormIds>();
    let lang = super::survey::batch_lang();
    let options = group
        .options
        .into_iter()
        .map(|(index, option)| {
            let id = ids.choice(index);
            let option_id = option.id.clone();
            let checked_id = option.id.clone();
            let on_change = move |ev: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlInputElement>| {
                let outcome = ballot.try_update(|b| batch.with_value(|batch| b.toggle(batch, &option_id)));
                let was_refused = matches!(outcome, Some(Err(_)));
                if was_refused {
                    ev.target().set_checked(false);
                }
                refused.set(was_refused);
            };
            view! {
                <div class="bsv-choice">
                    <input
                        type="checkbox"
                        class="bsv-choice__input"
                        id=id.clone()
                        value=option.id
                        prop:checked=Signal::derive(move || ballot.with(|b| b.is_chosen(&checked_id)))
                        prop:disabled=locked
                        on:change:target=on_change
                    />
                    <label class="bsv-choice__label" for=id lang=lang.clone()>{option.text}</label>
                </div>
            }
        })
        .collect_view();
    match group.label {
        Some(label) => view! {
            <fieldset class="bsv-choices__group">
                <legend class="bsv-choices__group-label" lang=super::survey::batch_lang()>{label}</legend>
                {options}
            </fieldset>
        }
        .into_any(),
        None => view! { <div class="bsv-choices__group">{options}</div> }.into_any(),
    }
}
