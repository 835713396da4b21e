//! Whole-widget messages: loading, no batch, not yet open, closed, and
//! failures, each with a heading so a screen reader user lands on it.

use leptos::prelude::*;

use crate::error::Error;

/// A screen that says one thing.
#[component]
pub fn Notice(
    /// The heading: what is going on.
    title: &'static str,
    /// The batch's own title, when the notice is about a batch.
    #[prop(optional, into)]
    subtitle: Option<String>,
    /// The language of the subtitle, when it is the batch's.
    #[prop(optional, into)]
    subtitle_lang: Option<String>,
    /// A sentence under the heading; nothing when empty.
    #[prop(optional, into)]
    body: String,
    /// True while something loads: announced politely, drawn as a spinner.
    #[prop(optional)]
    busy: bool,
) -> impl IntoView {
    view! {
        <div class="bsv-notice" part="notice" role="status" aria-busy=busy.then_some("true")>
            <h2 class=if busy { "bsv-notice__title bsv-notice__title--busy" } else { "bsv-notice__title" }>{title}</h2>
            {subtitle.map(|s| view! { <p class="bsv-notice__subtitle" lang=subtitle_lang>{s}</p> })}
            {(!body.is_empty()).then(|| view! { <p class="bsv-notice__body">{body}</p> })}
        </div>
    }
}

/// A failure to show the survey: what happened, what to do, and a retry
/// button when trying again can help.
#[component]
pub fn LoadFailed(
    /// The heading.
    title: &'static str,
    /// What went wrong.
    error: Error,
    /// Called by the retry button; without it there is no button.
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let t = super::texts();
    let retry = on_retry.filter(|_| error.is_retryable()).map(|on_retry| {
        view! {
            <button type="button" class="bsv-button" on:click=move |_| on_retry.run(())>
                {t.retry}
            </button>
        }
    });
    let technical = match &error {
        Error::BrokenBatch(detail) => Some(detail.to_string()),
        _ => None,
    };
    view! {
        <div class="bsv-notice bsv-notice--error" part="notice" role="alert">
            <h2 class="bsv-notice__title">{title}</h2>
            <p class="bsv-notice__body">{error.message(t)}</p>
            {technical.map(|detail| view! {
                <details class="bsv-notice__details">
                    <summary>{t.technical_details}</summary>
                    <p>{detail}</p>
                </details>
            })}
            {retry}
        </div>
    }
}
