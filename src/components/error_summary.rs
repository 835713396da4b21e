//! The list of problems at the top of the form after a failed submit, as
//! GOV.UK Frontend does it: announced, focused, each entry a link that
//! takes the citizen to the control.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use super::reactive::dynamic;

/// The error summary; renders nothing while there are no errors.
#[component]
pub fn ErrorSummary(
    /// `(control id, message)` in form order.
    errors: Signal<Vec<(String, String)>>,
    /// Lets the form move focus here after a failed submit.
    node_ref: NodeRef<Div>,
) -> impl IntoView {
    let t = super::texts();
    view! {
        <div
            class="bsv-error-summary"
            role="alert"
            tabindex="-1"
            node_ref=node_ref
        >
            {dynamic(move || {
                let items = errors.get();
                (!items.is_empty()).then(|| view! {
                    <h2 class="bsv-error-summary__title">{t.error_summary_title}</h2>
                    <ul class="bsv-error-summary__list">
                        {items.into_iter().map(|(id, message)| {
                            let href = format!("#{id}");
                            view! {
                                <li class="bsv-error-summary__item">
                                    <a class="bsv-error-summary__link" href=href on:click=move |ev| focus_control(&ev, &id)>
                                        {message}
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }).into_any()
            })}
        </div>
    }
}

/// Focuses the control by id within this widget. Fragment navigation would
/// not reach into a shadow root and would scroll the host page's history.
fn focus_control(ev: &leptos::ev::MouseEvent, id: &str) {
    let root = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|link| link.closest(".bsv").ok().flatten());
    let control = root.and_then(|r| r.query_selector(&format!("#{id}")).ok().flatten());
    if let Some(control) = control.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = control.focus();
    }
}
