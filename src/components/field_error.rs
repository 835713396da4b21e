//! The message under a control that has an error: worded, prefixed with
//! "Error:" for screen readers, and tied to the control by its id.

use leptos::prelude::*;
use super::reactive::dynamic;

/// The error text of one control, or nothing.
#[component]
pub fn FieldErrorText(
    /// Element id, referenced by the control's `aria-describedby`.
    id: String,
    /// The message, when the control has an error.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let t = super::texts();
    dynamic(move || {
        error
            .get()
            .map(|message| {
                view! {
                    <p id=id.clone() class="bsv-field__error">
                        <span class="bsv-field__error-prefix">{t.error_prefix}</span>
                        {message}
                    </p>
                }
            })
            .into_any()
    })
}

/// `aria-describedby` for a control: its hint ids, plus its error's id
/// while it has one.
pub fn described_by(hints: Vec<String>, error_id: String, error: Signal<Option<String>>) -> Signal<Option<String>> {
    Signal::derive(move || {
        let mut ids = hints.clone();
        if error.with(Option::is_some) {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    })
}

/// `aria-invalid` while the control has an error.
pub fn invalid(error: Signal<Option<String>>) -> Signal<Option<&'static str>> {
    Signal::derive(move || error.with(Option::is_some).then_some("true"))
}

