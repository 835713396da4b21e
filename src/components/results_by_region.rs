//! The results of a batch: the whole country's tallies and, when the
//! endpoint offers results by region, those of the province and the city
//! the citizen voted for, switchable. A region with too few votes says so
//! instead ("not enough votes yet"), so that no vote can be traced back to
//! a person. The map of the provinces is a button away, downloaded when
//! asked for. An endpoint without results by region (404) gets the whole
//! country's results only.

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_protocol::region_results::MIN_VOTES_FLOOR;
use survey_protocol::regions::Division;
use survey_protocol::{Batch, BatchStatus, RegionResults, Results};

use super::later::{heading, later_texts, part_ids};
use super::reactive::dynamic;
use super::region_map::region_map;
use super::region_switch::RegionSwitch;
use super::results_list::ResultsList;
use super::survey::batch_lang;
use crate::api::Api;
use crate::config::Config;
use crate::error::Error;
use crate::i18n::fill;
use crate::on_demand::deferred;
use crate::region_scope::{city_in, province_name, scopes, Scope};
use crate::tally::tally_rows;
use crate::voted::VotedRecord;

/// The results section.
#[component]
pub fn ResultsByRegion(
    /// The batch whose results these are.
    batch: Batch,
    /// This browser's vote in the batch, if it voted: where it was cast.
    record: Option<VotedRecord>,
    /// The level of the section's heading in the screen around it.
    level: u8,
) -> impl IntoView {
    let t = later_texts();
    let api = expect_context::<Api>();
    let lang = expect_context::<Config>().lang;
    let ids = part_ids();
    let content_lang = batch_lang();
    let levels = batch.location.levels;
    let title = if batch.status == BatchStatus::Closed { t.results_final_title } else { t.results_title };

    let national = RwSignal::new(None::<Result<Results, Error>>);
    // Results by region, once the endpoint has offered them; never offered
    // (404) or failed, the section shows the whole country only.
    let provinces = RwSignal::new(None::<RegionResults>);
    let cities = RwSignal::new(None::<Result<Option<RegionResults>, Error>>);
    let city = RwSignal::new(None::<Division>);
    {
        let (national_api, id) = (api.clone(), batch.id.clone());
        spawn_local(async move {
            national.try_set(Some(national_api.results(&id).await));
        });
        let (api, id) = (api.clone(), batch.id.clone());
        spawn_local(async move {
            if let Ok(Some(results)) = api.region_results(&id, None).await {
                provinces.try_set(Some(results));
            }
        });
    }
    let province = record.as_ref().and_then(|r| r.province.clone());
    if let (Some(code), Some(city_code)) = (province.clone(), record.as_ref().and_then(|r| r.city.clone())) {
        let api = api.clone();
        spawn_local(async move {
            if let Ok(file) = api.province(&code).await {
                city.try_set(city_in(&file, &city_code));
            }
        });
    }
    let province = province.map(|code| Division { name: province_name(&code, lang).unwrap_or_else(|| code.clone()), code });
    let offered = Memo::new(move |_| {
        if provinces.with(Option::is_some) { scopes(levels, province.clone(), city.get()) } else { vec![Scope::Nation] }
    });
    let chosen = RwSignal::new(0_usize);
    let scope = Memo::new(move |_| offered.with(|o| o.get(chosen.get()).cloned().unwrap_or(Scope::Nation)));
    // A city's results are asked for the first time it is chosen.
    let batch_id = batch.id.clone();
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        let Scope::City(_) = scope.get() else { return };
        let province = offered.with_untracked(|o| {
            o.iter().find_map(|s| match s {
                Scope::Province(p) => Some(p.code.clone()),
                _ => None,
            })
        });
        let Some(province) = province.filter(|_| !asked.get_value()) else { return };
        asked.set_value(true);
        let (api, id) = (api.clone(), batch_id.clone());
        spawn_local(async move {
            cities.try_set(Some(api.region_results(&id, Some(&province)).await));
        });
    });

    let batch = StoredValue::new(batch);
    let list = {
        let content_lang = content_lang.clone();
        move |summary: String, results: &survey_protocol::RegionTally| {
            view! {
                <ResultsList batch summary tallies=results.options.clone() total=results.total lang=content_lang.clone()/>
            }
            .into_any()
        }
    };
    let region = move |place: &Division, results: &RegionResults| match results.shown(&place.code) {
        Some(tally) => {
            let summary = fill(
                t.region_total,
                &[("name", &place.name), ("total", &tally.total), ("real_name", &tally.real_name_total)],
            );
            list(summary, tally)
        }
        None => {
            let min = results.min_votes.max(MIN_VOTES_FLOOR);
            view! {
                <p class="bsv-results__withheld">{fill(t.region_withheld, &[("name", &place.name), ("min", &min)])}</p>
            }
            .into_any()
        }
    };
    let body = {
        let content_lang = content_lang.clone();
        move || match scope.get() {
            Scope::Nation => national.with(|loaded| match loaded {
                None => view! { <p class="bsv-hint">{t.loading_part}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="bsv-hint">{t.results_failed}</p> }.into_any(),
                Some(Ok(results)) => {
                    let summary = fill(t.results_total, &[("total", &results.total), ("real_name", &results.real_name_total)]);
                    view! {
                        <ResultsList
                            batch
                            summary
                            tallies=results.options.clone()
                            total=results.total
                            lang=content_lang.clone()
                        />
                    }
                    .into_any()
                }
            }),
            Scope::Province(place) => provinces.with(|loaded| match loaded {
                Some(results) => region(&place, results),
                None => ().into_any(),
            }),
            Scope::City(place) => cities.with(|loaded| match loaded {
                None => view! { <p class="bsv-hint">{t.loading_part}</p> }.into_any(),
                Some(Ok(Some(results))) => region(&place, results),
                Some(_) => view! { <p class="bsv-hint">{t.results_failed}</p> }.into_any(),
            }),
        }
    };

    // The map opens on the bottleneck most chosen in the whole country.
    let map_open = RwSignal::new(false);
    let map = {
        let ids = ids.clone();
        move || {
            let Some(results) = provinces.get() else { return ().into_any() };
            let ids = ids.clone();
            let panel_id = format!("{ids}-map");
            let first = national.with(|loaded| match loaded {
                Some(Ok(national)) => batch.with_value(|b| {
                    tally_rows(b, &national.options, national.total).first().map(|row| b.options[row.option].id.clone())
                }),
                _ => None,
            });
            let option = first.or_else(|| batch.with_value(|b| b.options.first().map(|o| o.id.clone()))).unwrap_or_default();
            view! {
                <div class="bsv-results__map">
                    <button
                        type="button"
                        class="bsv-button bsv-disclosure"
                        aria-expanded=Signal::derive(move || if map_open.get() { "true" } else { "false" })
                        aria-controls=panel_id.clone()
                        on:click=move |_| map_open.update(|open| *open = !*open)
                    >
                        {t.map_open}
                    </button>
                    <div id=panel_id>
                        {dynamic(move || {
                            if !map_open.get() {
                                return ().into_any();
                            }
                            let (batch, results, option, ids) = (batch.get_value(), results.clone(), option.clone(), ids.clone());
                            deferred(move || region_map(batch.clone(), results.clone(), option.clone(), level + 1, ids.clone()))
                                .into_any()
                        })}
                    </div>
                </div>
            }
            .into_any()
        }
    };

    let heading_id = format!("{ids}-title");
    let title_view = heading(level, "bsv-results__title", heading_id.clone(), title);
    view! {
        <section class="bsv-results" aria-labelledby=heading_id>
            {title_view}
            <RegionSwitch ids=ids.clone() offered chosen/>
            <div class="bsv-results__body">{dynamic(body)}</div>
            {dynamic(map)}
        </section>
    }
}
