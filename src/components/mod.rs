//! The widget's components: thin, each a noun in its own file. They take
//! data and callbacks and render; rules live in the plain-Rust modules.

mod after_paint;
mod ballot_form;
mod batch_history;
mod batch_outcome;
mod choice_list;
mod closed_batch;
mod earlier_batches;
mod error_summary;
mod field_error;
mod follow_up;
mod later;
mod location_picker;
mod notice;
mod other_text;
pub(crate) mod reactive;
mod real_name_block;
mod real_name_steps;
mod receipt_view;
mod region_map;
mod region_switch;
mod results_by_region;
mod results_list;
mod submit_bar;
mod survey;

pub use ballot_form::BallotForm;
pub use choice_list::ChoiceList;
pub use location_picker::LocationPicker;
pub use survey::Survey;

use leptos::prelude::*;

use crate::i18n::Catalogue;

/// The citizen's language, provided by [`Survey`] to every component.
#[derive(Clone, Copy)]
pub struct Texts(pub &'static Catalogue);

/// The catalogue of the surrounding widget.
pub fn texts() -> &'static Catalogue {
    expect_context::<Texts>().0
}
