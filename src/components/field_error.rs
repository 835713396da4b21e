//! The message under a control that has an error: worded, prefixed with
//! "Error:" for screen readers, and tied to the control by its id.

use leptos::prelude::*;

/// The error text of one control, or nothing.
#[component]
pub fn FieldErrorText(
    /// Element id, referenced by the control's `aria-describedby`.
    id: String,
    /// The message, when the control has an error.
    error: Signal<Option<String>>,
) -> impl IntoView {
    let t = super::texts();
    move || {
        error.get().map(|message| {
            view! {
                <p id=id.clone() class="bsv-field__error">
                    <span class="bsv-field__error-prefix">{t.error_prefix}</span>
                    {message}
                </p>
            }
        })
    }
}

/// `aria-describedby` for a control: its hint ids, plus its error's id
/// while it has one.
pub fn described_by(hints: Vec<String>, error_id: String, error: Signal<Option<String>>) -> impl Fn() -> Option<String> {
    move || {
        let mut ids = hints.clone();
        if error.with(Option::is_some) {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}
