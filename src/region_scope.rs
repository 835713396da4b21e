//! Whose votes the results show: the whole country, the province the
//! citizen voted for, or their city when the batch asks for one. Names come
//! from the widget's own region data, in the citizen's language where it has
//! one (the tile map's English names); city names are Chinese only.

use survey_protocol::region_code::{is_province_code, province_of};
use survey_protocol::regions::{Division, ProvinceFile};

use crate::config::Lang;
use crate::provinces::provinces;
use crate::tile_map::TILES;

/// One choice of the results' switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Nation,
    Province(Division),
    City(Division),
}

/// The scopes offered, in the switch's order: always the whole country;
/// the province voted for, when it is a province; and the city voted for,
/// when the batch asks for cities (`levels` ≥ 2) and it lies in that
/// province.
pub fn scopes(levels: u8, province: Option<Division>, city: Option<Division>) -> Vec<Scope> {
    let mut offered = vec![Scope::Nation];
    let Some(province) = province.filter(|p| is_province_code(&p.code)) else { return offered };
    let city = city.filter(|c| levels >= 2 && c.code != province.code && province_of(&c.code).as_ref() == Some(&province.code));
    offered.push(Scope::Province(province));
    offered.extend(city.map(Scope::City));
    offered
}

/// The province's name as the citizen reads it: `河北省`, or `Hebei`.
pub fn province_name(code: &str, lang: Lang) -> Option<String> {
    match lang {
        Lang::ZhCn => provinces().into_iter().find(|p| p.code == code).map(|p| p.name),
        Lang::En => TILES.iter().find(|t| t.code == code).map(|t| t.en.to_owned()),
    }
}

/// The city `code` of a province's region file, unless it is the province
/// itself: a municipality such as Beijing has one city, `110100 北京市`,
/// whose votes are the province's, and offering both would say the same
/// twice.
pub fn city_in(file: &ProvinceFile, code: &str) -> Option<Division> {
    if file.cities.len() < 2 {
        return None;
    }
    file.cities.iter().find(|c| c.code == code).map(|c| Division { code: c.code.clone(), name: c.name.clone() })
}
