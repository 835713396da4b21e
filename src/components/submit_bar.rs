//! The submit button and what happened to the last attempt. While a vote
//! is on its way the button is disabled, so a double click sends once; after
//! a failure that may pass, the same button sends the very same vote again.

use leptos::prelude::*;

use crate::error::Error;
use super::reactive::dynamic;

/// The end of the form.
#[component]
pub fn SubmitBar(
    /// True while a vote is on its way.
    pending: Signal<bool>,
    /// True when a vote that may have arrived awaits another try.
    unsent: Signal<bool>,
    /// Why the last attempt failed, if it did.
    failure: Signal<Option<Error>>,
) -> impl IntoView {
    let t = super::texts();
    let label = Signal::derive(move || match (pending.get(), unsent.get()) {
        (true, _) => t.submitting,
        (false, true) => t.submit_again,
        (false, false) => t.submit,
    });
    view! {
        <div class="bsv-submit">
            <div class="bsv-submit__status" role="alert">
                {dynamic(move || failure.get().filter(|_| !pending.get()).map(|error| view! {
                    <div class="bsv-submit__failure">
                        <p class="bsv-submit__message">
                            <span class="bsv-field__error-prefix">{t.error_prefix}</span>
                            {error.message(t)}
                        </p>
                        <p class="bsv-submit__kept">{t.answers_kept}</p>
                    </div>
                }).into_any())}
            </div>
            <button
                type="submit"
                class="bsv-button bsv-button--primary bsv-submit__button"
                prop:disabled=pending
                aria-busy=Signal::derive(move || pending.get().then_some("true"))
            >
                {label}
            </button>
        </div>
    }
}
