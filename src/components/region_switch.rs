//! The switch between the whole country, the citizen's province and their
//! city: a radio group in a fieldset, each choice a whole-row touch target
//! like the form's.

use leptos::prelude::*;
use survey_protocol::regions::Division;

use super::later::{around, later_texts};
use super::reactive::dynamic;
use crate::config::Config;
use crate::region_scope::Scope;

/// The radio group; nothing to choose from draws nothing.
#[component]
pub fn RegionSwitch(
    /// A unique prefix for the radios' ids and their group name.
    ids: String,
    /// The places offered, in order; the whole country first.
    offered: Memo<Vec<Scope>>,
    /// The index of the chosen place in `offered`.
    chosen: RwSignal<usize>,
) -> impl IntoView {
    let t = later_texts();
    let widget_lang = expect_context::<Config>().lang.tag();
    // Province names are in the widget's language (`Hebei`); the region data
    // names cities in Chinese only.
    let label = move |template: &'static str, place: Division, lang: &'static str| {
        let (before, after) = around(template, "name");
        view! { {before}<span lang=lang>{place.name}</span>{after} }.into_any()
    };
    dynamic(move || {
        let offered = offered.get();
        if offered.len() < 2 {
            return ().into_any();
        }
        let ids = ids.clone();
        let radios = offered
            .into_iter()
            .enumerate()
            .map(|(index, scope)| {
                let id = format!("{ids}-scope-{index}");
                let text = match scope {
                    Scope::Nation => t.scope_nation.into_any(),
                    Scope::Province(place) => label(t.scope_province, place, widget_lang),
                    Scope::City(place) => label(t.scope_city, place, "zh-CN"),
                };
                view! {
                    <div class="bsv-choice">
                        <input
                            type="radio"
                            class="bsv-choice__input"
                            id=id.clone()
                            name=format!("{ids}-scope")
                            prop:checked=Signal::derive(move || chosen.get() == index)
                            on:change=move |_| chosen.set(index)
                        />
                        <label class="bsv-choice__label" for=id>{text}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="bsv-region-switch">
                <legend class="bsv-region-switch__legend">{t.scope_legend}</legend>
                {radios}
            </fieldset>
        }
        .into_any()
    })
}
