//! The provincial-level divisions, compiled into the widget: the first load
//! carries only this list (about 1 KB), and a province's cities and counties
//! are fetched when it is picked.

use survey_protocol::regions::Division;

use crate::wire::decode_provinces;

const PROVINCES_JSON: &str = include_str!("../public/regions/provinces.json");

/// The 31 provincial-level divisions of the mainland, in code order.
pub fn provinces() -> Vec<Division> {
    decode_provinces(PROVINCES_JSON).unwrap_or_default()
}
