//! The submit button and where the vote is: saved on this device and
//! sending, waiting for the network or for the next try, or refused. While a
//! vote is saved the same button sends that very vote again, so no state of
//! the page can send a second one.

use leptos::prelude::*;

use super::reactive::dynamic;
use crate::courier::Delivery;
use crate::error::Error;
use crate::i18n::fill;

/// The end of the form.
#[component]
pub fn SubmitBar(
    /// Where the submitted vote is.
    delivery: Signal<Delivery>,
    /// Why the last vote was refused for good, if it was.
    failure: Signal<Option<Error>>,
) -> impl IntoView {
    let t = super::texts();
    let label = Signal::derive(move || match delivery.get() {
        Delivery::Idle => t.submit,
        Delivery::Sending => t.submitting,
        Delivery::Waiting { .. } => t.retry_now,
    });
    let sending = Signal::derive(move || delivery.get() == Delivery::Sending);
    view! {
        <div class="bsv-submit">
            <div class="bsv-submit__status" role="status">
                {dynamic(move || match delivery.get() {
                    Delivery::Idle => ().into_any(),
                    Delivery::Sending => view! { <p class="bsv-submit__saved">{t.saved_sending}</p> }.into_any(),
                    Delivery::Waiting { offline: true, .. } => {
                        view! { <p class="bsv-submit__saved">{t.saved_offline}</p> }.into_any()
                    }
                    Delivery::Waiting { at_ms, error, .. } => {
                        let seconds = ((at_ms - crate::browser::now_ms()) / 1000.0).ceil().max(1.0) as u32;
                        view! {
                            <p class="bsv-submit__message">{error.message(t)}</p>
                            <p class="bsv-submit__saved">{fill(t.saved_retry, &[("seconds", &seconds)])}</p>
                        }
                        .into_any()
                    }
                })}
            </div>
            <div class="bsv-submit__failure-area" role="alert">
                {dynamic(move || failure.get().map(|error| view! {
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
                part="submit"
                prop:disabled=sending
                aria-busy=Signal::derive(move || sending.get().then_some("true"))
            >
                {label}
            </button>
        </div>
    }
}
