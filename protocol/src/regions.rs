//! The shape of the region data files the widget serves next to itself
//! (`regions/provinces.json`, `regions/{province}.json`) and the reference
//! collector checks votes against. Not part of the endpoint protocol: an
//! endpoint may hold its division list however it likes.

use serde::{Deserialize, Serialize};

/// A named division at any level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Division {
    /// GB/T 2260 six-digit code.
    pub code: String,
    /// Official Chinese name, e.g. `河北省`.
    pub name: String,
}

/// `regions/{code}.json`: one province with its cities and their counties.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceFile {
    pub code: String,
    pub name: String,
    pub cities: Vec<City>,
}

/// A prefecture-level division (or, for a municipality, the municipality
/// itself under its `XX0100` code) with its county-level divisions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct City {
    pub code: String,
    pub name: String,
    pub counties: Vec<Division>,
}
