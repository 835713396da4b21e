//! The screens after the form, downloaded when one is first drawn (see
//! `on_demand.rs`): the receipt, or what became of a closed batch. One
//! split point serves both: they share nearly all their code (results,
//! follow-up, the earlier batches), and each split point costs the first
//! download a loader of its own. Also what those screens share: their
//! catalogue, their stylesheet, headings at the level the screen around
//! them calls for, and ids that stay unique when one screen holds several
//! results (a closed batch and an earlier one opened below it).

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use survey_protocol::Batch;

use super::closed_batch::ClosedBatch;
use super::receipt_view::ReceiptView;
use crate::browser::adopt_later_styles;
use crate::voted::VotedRecord;
use crate::config::Config;
use crate::form_ids::FormIds;
use crate::i18n::later::{later_catalogue, LaterCatalogue};

crate::on_demand! {
    chunk later, preload preload_later;
    /// The receipt of a vote in `batch` when `voted` holds it (with true
    /// right after voting), else the screen of `batch` closed.
    pub fn later_screen(batch: Batch, voted: Option<(VotedRecord, bool)>) -> AnyView {
        match voted {
            Some((record, fresh)) => view! { <ReceiptView batch record fresh/> }.into_any(),
            None => view! { <ClosedBatch batch/> }.into_any(),
        }
    }
}

/// The later screens' sentences, in the widget's language.
pub fn later_texts() -> &'static LaterCatalogue {
    later_catalogue(expect_context::<Config>().lang)
}

/// A reference for the outermost element of a later screen: once it is in
/// the page, its shadow root gets the later screens' stylesheet (in an
/// effect, which runs before the browser paints it).
pub fn styled_root<E>() -> NodeRef<E>
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    let root = NodeRef::<E>::new();
    root.on_load(|element| adopt_later_styles(element.unchecked_ref()));
    root
}

static PARTS: AtomicUsize = AtomicUsize::new(0);

/// A prefix for the element ids of one part of a later screen, unique in
/// the page: `bsv1-part3`.
pub fn part_ids() -> String {
    expect_context::<FormIds>().of(&format!("part{}", PARTS.fetch_add(1, Ordering::Relaxed)))
}

/// A heading of `level` (2 to 6; deeper is 6) with its class and an id.
pub fn heading(level: u8, class: &'static str, id: String, text: impl IntoView + 'static) -> AnyView {
    match level {
        ..=2 => view! { <h2 class=class id=id>{text}</h2> }.into_any(),
        3 => view! { <h3 class=class id=id>{text}</h3> }.into_any(),
        4 => view! { <h4 class=class id=id>{text}</h4> }.into_any(),
        5 => view! { <h5 class=class id=id>{text}</h5> }.into_any(),
        _ => view! { <h6 class=class id=id>{text}</h6> }.into_any(),
    }
}

/// A template cut at its `{key}`, for sentences whose filled-in part is in
/// another language than the rest (a Chinese city name in an English label,
/// a batch's own summary) and needs its own `lang`.
pub fn around<'t>(template: &'t str, key: &str) -> (&'t str, &'t str) {
    template.split_once(&format!("{{{key}}}")).unwrap_or((template, ""))
}
