//! One bottleneck across the provinces: the tile grid of China (one equal
//! square per provincial-level division, roughly where it lies), each
//! square shaded by the share of its voters who chose the bottleneck, a key
//! to the shades, and the numbers as a table. The picture is never the only
//! way to read a number. Downloaded when the citizen asks for it.

use leptos::prelude::*;
use survey_protocol::region_results::MIN_VOTES_FLOOR;
use survey_protocol::{Batch, RegionResults};

use super::later::{heading, later_texts, styled_root};
use super::reactive::dynamic;
use super::survey::batch_lang;
use crate::config::{Config, Lang};
use crate::i18n::fill;
use crate::province_shares::{province_shares, ProvinceShare, Share};
use crate::region_scope::province_name;
use crate::tally::per_mille_as_percent;
use crate::tile_map::Tile;

crate::on_demand! {
    chunk region_map;
    /// The map of the provinces, downloaded the first time it is opened.
    pub fn region_map(batch: Batch, results: RegionResults, option: String, level: u8, ids: String) -> AnyView {
        view! { <RegionMap batch results option level ids/> }.into_any()
    }
}

/// The map, its key and its table.
#[component]
fn RegionMap(
    /// The batch, for its options.
    batch: Batch,
    /// Each province's tallies.
    results: RegionResults,
    /// The bottleneck shown first.
    option: String,
    /// The level of the map's heading.
    level: u8,
    /// A unique prefix for element ids.
    ids: String,
) -> impl IntoView {
    let t = later_texts();
    let lang = expect_context::<Config>().lang;
    let content_lang = batch_lang();
    let chosen = RwSignal::new(option);
    let min = results.min_votes.max(MIN_VOTES_FLOOR);
    let map = Memo::new(move |_| chosen.with(|option| province_shares(&results, option)));

    let select_id = format!("{ids}-map-option");
    let options = batch
        .options
        .into_iter()
        .map(|option| {
            let value = option.id.clone();
            let selected = Signal::derive(move || chosen.with(|c| *c == value));
            view! { <option value=option.id prop:selected=selected>{option.text}</option> }
        })
        .collect_view();
    let tiles = move || {
        map.with(|m| {
            m.grid()
                .into_iter()
                .map(|cell| match cell {
                    Some(province) => view! {
                        <span class=tile_class(province)>{tile_label(&province.tile, lang)}</span>
                    }
                    .into_any(),
                    None => view! { <span class="bsv-map__gap"></span> }.into_any(),
                })
                .collect_view()
                .into_any()
        })
    };
    let key = move || {
        let ranges = map.with(|m| m.key());
        let swatch = |class: &'static str, text: String| {
            view! {
                <li class="bsv-map__key-item">
                    <span class=class aria-hidden="true"></span>
                    {text}
                </li>
            }
        };
        let shades = ranges
            .into_iter()
            .map(|(shade, from, to)| {
                let from = per_mille_as_percent(from);
                let to = per_mille_as_percent(to);
                swatch(SHADE_CLASSES[usize::from(shade)], fill(t.map_key_range, &[("from", &from), ("to", &to)]))
            })
            .collect_view();
        view! {
            {shades}
            {swatch(SHADE_CLASSES[0], t.map_key_none.to_owned())}
            {swatch("bsv-map__swatch bsv-map__tile--withheld", t.map_withheld.to_owned())}
            {swatch("bsv-map__swatch bsv-map__tile--outside", t.map_not_surveyed.to_owned())}
        }
        .into_any()
    };
    let name_of = move |province: &ProvinceShare| {
        province_name(province.tile.code, lang).unwrap_or_else(|| province.tile.code.to_owned())
    };

    // Provinces with enough votes in the table, most first; those without
    // in one sentence after it, as the map hatches them.
    let rows = move || {
        map.with(|m| {
            let rows: Vec<_> = m
                .table()
                .into_iter()
                .filter_map(|province| match province.share {
                    Share::Shown { votes, total, per_mille, .. } => Some(view! {
                        <tr>
                            <th class="bsv-map__cell bsv-map__cell--name" scope="row">{name_of(province)}</th>
                            <td class="bsv-map__cell">
                                {fill(
                                    t.map_table_share_of,
                                    &[("share", &per_mille_as_percent(per_mille)), ("votes", &votes), ("total", &total)],
                                )}
                            </td>
                        </tr>
                    }),
                    _ => None,
                })
                .collect();
            // No province with enough votes yet: the sentence below says so.
            (!rows.is_empty())
                .then(|| {
                    view! {
                        <table class="bsv-map__table">
                            <caption class="bsv-map__caption">{t.map_table_caption}</caption>
                            <thead>
                                <tr>
                                    <th class="bsv-map__cell bsv-map__cell--head" scope="col">{t.map_table_province}</th>
                                    <th class="bsv-map__cell bsv-map__cell--head" scope="col">{t.map_table_share}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                })
                .into_any()
        })
    };
    let withheld = move || {
        let names: Vec<String> =
            map.with(|m| m.table().into_iter().filter(|p| p.share == Share::Withheld).map(name_of).collect());
        (!names.is_empty())
            .then(|| {
                // The enumeration comma of Chinese, the comma of English.
                let list = names.join(if lang == Lang::ZhCn { "、" } else { ", " });
                view! { <p class="bsv-map__withheld">{fill(t.map_table_withheld, &[("min", &min), ("names", &list)])}</p> }
            })
            .into_any()
    };
    let heading_id = format!("{ids}-map-title");
    let title_view = heading(level, "bsv-map__title", heading_id.clone(), t.map_title);
    view! {
        <section class="bsv-map" aria-labelledby=heading_id node_ref=styled_root()>
            {title_view}
            <div class="bsv-field">
                <label class="bsv-field__label" for=select_id.clone()>{t.map_option_label}</label>
                <select
                    id=select_id
                    class="bsv-select"
                    lang=content_lang
                    on:change:target=move |ev| chosen.set(ev.target().value())
                >
                    {options}
                </select>
            </div>
            <p class="bsv-hint">{t.map_hint}</p>
            <div class="bsv-map__frame">
                <div class="bsv-map__grid" role="img" aria-label=t.map_alt>{dynamic(tiles)}</div>
            </div>
            <div class="bsv-map__key">
                <p class="bsv-map__key-title">{t.map_key_title}</p>
                <ul class="bsv-map__key-list">{dynamic(key)}</ul>
            </div>
            {dynamic(rows)}
            {dynamic(withheld)}
        </section>
    }
}

/// The swatch classes of the shades, 0 (nobody chose it) to the darkest.
const SHADE_CLASSES: [&str; 5] = [
    "bsv-map__swatch bsv-map__tile--shade-0",
    "bsv-map__swatch bsv-map__tile--shade-1",
    "bsv-map__swatch bsv-map__tile--shade-2",
    "bsv-map__swatch bsv-map__tile--shade-3",
    "bsv-map__swatch bsv-map__tile--shade-4",
];

fn tile_class(province: &ProvinceShare) -> &'static str {
    match province.share {
        Share::NotSurveyed => "bsv-map__tile bsv-map__tile--outside",
        Share::Withheld => "bsv-map__tile bsv-map__tile--withheld",
        Share::Shown { shade, .. } => match shade {
            0 => "bsv-map__tile bsv-map__tile--shade-0",
            1 => "bsv-map__tile bsv-map__tile--shade-1",
            2 => "bsv-map__tile bsv-map__tile--shade-2",
            3 => "bsv-map__tile bsv-map__tile--shade-3",
            _ => "bsv-map__tile bsv-map__tile--shade-4",
        },
    }
}

/// What fits on a square: the short Chinese name, or the two-letter code.
fn tile_label(tile: &Tile, lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => tile.zh,
        Lang::En => tile.abbr,
    }
}
