//! Where the citizen dealt with the government: province, then city, then
//! county, as native selects (the phone's own picker is the most usable
//! one). The province list is built in; a province's cities and counties
//! load when it is picked.

use leptos::prelude::*;
use leptos::task::spawn_local;

use survey_protocol::regions::{Division, ProvinceFile};

use super::field_error::{described_by, invalid, FieldErrorText};
use crate::api::Api;
use crate::ballot::Ballot;
use crate::error::Error;
use crate::form_ids::FormIds;
use crate::provinces::provinces;
use super::reactive::dynamic;

/// The place fields of the form.
#[component]
pub fn LocationPicker(
    /// How many levels the batch asks for: 1 province, 2 + city, 3 + county.
    levels: u8,
    /// The form's state; picking a place updates it.
    ballot: RwSignal<Ballot>,
    /// Error messages by level: province, city, county.
    errors: [Signal<Option<String>>; 3],
    /// True while a vote is being sent: the answers may not change.
    locked: Signal<bool>,
    /// A provincial portal's province (`region`): offered alone and fixed.
    fixed_province: Option<String>,
) -> impl IntoView {
    let t = super::texts();
    let ids = expect_context::<FormIds>();
    let api = expect_context::<Api>();
    let province_places = match &fixed_province {
        Some(code) => provinces().into_iter().filter(|p| &p.code == code).collect(),
        None => provinces(),
    };
    let fixed = fixed_province.is_some();
    let hint_id = ids.of("location-hint");

    let province = Memo::new(move |_| ballot.with(|b| b.location().province.clone()));
    let city = Memo::new(move |_| ballot.with(|b| b.location().city.clone()));
    let county = Memo::new(move |_| ballot.with(|b| b.location().county.clone()));

    // The province whose file is wanted, and what loading it gave. A late
    // answer for a province the citizen has since changed is dropped.
    let province_file = RwSignal::new(None::<Result<ProvinceFile, Error>>);
    let load = Callback::new(move |code: Option<String>| {
        province_file.set(None);
        let Some(code) = code.filter(|_| levels >= 2) else { return };
        let api = api.clone();
        spawn_local(async move {
            let loaded = api.province(&code).await;
            // Kept only if the citizen still wants this province (and the
            // form is still there).
            if province.try_get_untracked().flatten().as_deref() == Some(code.as_str()) {
                province_file.set(Some(loaded));
            }
        });
    });
    load.run(province.get_untracked());
    let loading = Signal::derive(move || {
        levels >= 2 && province.with(Option::is_some) && province_file.with(Option::is_none)
    });
    let failed = Signal::derive(move || province_file.with(|r| matches!(r, Some(Err(_)))));
    let cities = Signal::derive(move || {
        province_file.with(|r| match r {
            Some(Ok(file)) => file.cities.iter().map(|c| Division { code: c.code.clone(), name: c.name.clone() }).collect(),
            _ => Vec::new(),
        })
    });
    let counties = Signal::derive(move || {
        let city = city.get();
        province_file.with(|r| match (r, city) {
            (Some(Ok(file)), Some(city)) => {
                file.cities.iter().find(|c| c.code == city).map(|c| c.counties.clone()).unwrap_or_default()
            }
            _ => Vec::new(),
        })
    });
    let waiting = Signal::derive(move || locked.get() || loading.get() || failed.get());

    let [province_error, city_error, county_error] = errors;
    let hints = vec![hint_id.clone()];
    let fieldset_hint = hint_id.clone();
    view! {
        <fieldset class="bsv-fieldset bsv-location" aria-describedby=fieldset_hint>
            <legend class="bsv-fieldset__legend">{t.location_legend}</legend>
            <p id=hint_id class="bsv-hint">{t.location_hint}</p>
            <PlaceSelect
                id=ids.of("province")
                label=t.province_label
                places=Signal::stored(province_places)
                selected=province.into()
                on_pick=Callback::new(move |code: Option<String>| {
                    ballot.update(|b| b.set_province(code.clone()));
                    load.run(code);
                })
                error=province_error
                disabled=Signal::derive(move || fixed || locked.get())
                hints=hints.clone()
            />
            {(levels >= 2).then(|| view! {
                <PlaceSelect
                    id=ids.of("city")
                    label=t.city_label
                    places=cities
                    selected=city.into()
                    on_pick=Callback::new(move |code| ballot.update(|b| b.set_city(code)))
                    error=city_error
                    disabled=Signal::derive(move || waiting.get() || province.with(Option::is_none))
                    hints=hints.clone()
                />
            })}
            {(levels >= 3).then(|| view! {
                <PlaceSelect
                    id=ids.of("county")
                    label=t.county_label
                    places=counties
                    selected=county.into()
                    on_pick=Callback::new(move |code| ballot.update(|b| b.set_county(code)))
                    error=county_error
                    disabled=Signal::derive(move || waiting.get() || city.with(Option::is_none))
                    hints=hints.clone()
                />
            })}
            <p class="bsv-location__status" role="status">
                {Signal::derive(move || if loading.get() { t.regions_loading } else { "" })}
            </p>
            {dynamic(move || failed.get().then(|| view! {
                <div class="bsv-location__failed" role="alert">
                    <p>{t.regions_failed}</p>
                    <button type="button" class="bsv-button" on:click=move |_| load.run(province.get_untracked())>
                        {t.retry}
                    </button>
                </div>
            }).into_any())}
        </fieldset>
    }
}

/// One labelled select of places, with its error.
#[component]
fn PlaceSelect(
    /// Element id of the select.
    id: String,
    /// Visible label.
    label: &'static str,
    /// The places to choose from, in order.
    places: Signal<Vec<Division>>,
    /// The chosen code.
    selected: Signal<Option<String>>,
    /// Called with the picked code, or `None` for the placeholder.
    on_pick: Callback<Option<String>>,
    /// The error message, if any.
    error: Signal<Option<String>>,
    /// True when the select cannot be used yet (or any more).
    disabled: Signal<bool>,
    /// Ids of hints that describe this select.
    hints: Vec<String>,
) -> impl IntoView {
    let t = super::texts();
    let error_id = format!("{id}-error");
    view! {
        <div class="bsv-field">
            <label class="bsv-field__label" for=id.clone()>{label}</label>
            <FieldErrorText id=error_id.clone() error/>
            <select
                id=id
                class="bsv-select"
                prop:disabled=disabled
                aria-invalid=invalid(error)
                aria-describedby=described_by(hints, error_id, error)
                on:change:target=move |ev| {
                    let value = ev.target().value();
                    on_pick.run((!value.is_empty()).then_some(value));
                }
            >
                <option value="" prop:selected=Signal::derive(move || selected.with(Option::is_none))>
                    {t.select_placeholder}
                </option>
                {dynamic(move || places.get().into_iter().map(|place| {
                    let code = place.code.clone();
                    let chosen = Signal::derive(move || selected.with(|s| s.as_deref() == Some(code.as_str())));
                    view! {
                        <option value=place.code lang="zh-CN" prop:selected=chosen>
                            {place.name}
                        </option>
                    }
                }).collect_view().into_any())}
            </select>
        </div>
    }
}
