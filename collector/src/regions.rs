//! Which GB/T 2260 places exist, from the same region files the widget
//! serves. The protocol crate checks that a code is well formed and under its
//! province; only this data can tell whether the place is real.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use survey_protocol::field_error::field;
use survey_protocol::regions::{Division, ProvinceFile};
use survey_protocol::{FieldError, FieldErrorCode, Location};

/// Every province, city and county, by code, with their names: to check
/// votes' places, and to name regions in exports.
#[derive(Debug)]
pub struct Regions {
    provinces: BTreeMap<String, Province>,
}

#[derive(Debug)]
struct Province {
    name: String,
    cities: BTreeMap<String, City>,
}

#[derive(Debug)]
struct City {
    name: String,
    /// County code → name.
    counties: BTreeMap<String, String>,
}

/// A region file that is missing or not of the expected shape.
#[derive(Debug)]
pub struct RegionsError {
    file: PathBuf,
    problem: String,
}

impl fmt::Display for RegionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "region data {}: {}", self.file.display(), self.problem)
    }
}

impl std::error::Error for RegionsError {}

fn read_json<T: serde::de::DeserializeOwned>(file: PathBuf) -> Result<T, RegionsError> {
    let text = std::fs::read_to_string(&file);
    let parsed = text.map_err(|e| e.to_string()).and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
    parsed.map_err(|problem| RegionsError { file, problem })
}

impl Regions {
    /// Reads `provinces.json` and the `{code}.json` of every province in it.
    pub fn load(dir: &Path) -> Result<Self, RegionsError> {
        let list: Vec<Division> = read_json(dir.join("provinces.json"))?;
        let mut provinces = BTreeMap::new();
        for province in list {
            let file_path = dir.join(format!("{}.json", province.code));
            let file: ProvinceFile = read_json(file_path.clone())?;
            if file.code != province.code {
                let problem = format!("holds province {} instead of {}", file.code, province.code);
                return Err(RegionsError { file: file_path, problem });
            }
            let cities = file
                .cities
                .into_iter()
                .map(|city| {
                    let counties = city.counties.into_iter().map(|c| (c.code, c.name)).collect();
                    (city.code, City { name: city.name, counties })
                })
                .collect();
            provinces.insert(province.code, Province { name: province.name, cities });
        }
        Ok(Self { provinces })
    }

    /// Places that do not exist, from the top down: under a place that does
    /// not exist nothing more is said. Levels already refused by
    /// `check_vote` (named in `already`) are skipped.
    pub fn unknown_places(&self, location: &Location, already: &[FieldError]) -> Vec<FieldError> {
        let refused = |name: &str| already.iter().any(|e| e.field == name);
        let unknown = |name: &str, message: &str| vec![FieldError::new(name, FieldErrorCode::UnknownPlace, message)];

        let Some(province) = given(&location.province).filter(|_| !refused(field::PROVINCE)) else {
            return Vec::new();
        };
        let Some(province) = self.provinces.get(province) else {
            return unknown(field::PROVINCE, "no such province");
        };
        let Some(city) = given(&location.city).filter(|_| !refused(field::CITY)) else {
            return Vec::new();
        };
        let Some(city) = province.cities.get(city) else {
            return unknown(field::CITY, "no such city in the chosen province");
        };
        match given(&location.county).filter(|_| !refused(field::COUNTY)) {
            Some(county) if !city.counties.contains_key(county) => {
                unknown(field::COUNTY, "no such county in the chosen city")
            }
            _ => Vec::new(),
        }
    }

    /// Whether `code` is a province of the region data.
    pub fn is_province(&self, code: &str) -> bool {
        self.provinces.contains_key(code)
    }

    /// Every province, `(code, name)`, in code order.
    pub fn provinces(&self) -> impl Iterator<Item = (&str, &str)> {
        self.provinces.iter().map(|(code, p)| (code.as_str(), p.name.as_str()))
    }

    /// Every city of `province`, `(code, name)`, in code order; none for a
    /// province that does not exist.
    pub fn cities(&self, province: &str) -> impl Iterator<Item = (&str, &str)> {
        self.provinces.get(province).into_iter().flat_map(|p| p.cities.iter().map(|(code, c)| (code.as_str(), c.name.as_str())))
    }

    /// Every county of `city`, by code, in code order.
    pub fn counties(&self, city: &str) -> impl Iterator<Item = &str> {
        self.city(city).into_iter().flat_map(|c| c.counties.keys().map(String::as_str))
    }

    /// The name of a province or a city.
    pub fn name(&self, code: &str) -> Option<&str> {
        if let Some(province) = self.provinces.get(code) {
            return Some(&province.name);
        }
        self.city(code).map(|c| c.name.as_str())
    }

    fn city(&self, code: &str) -> Option<&City> {
        // Every code below a province starts with the province's two digits.
        let province = format!("{}0000", code.get(..2)?);
        self.provinces.get(&province)?.cities.get(code)
    }
}

/// A code the vote gives; an empty string counts as none, as in `check_vote`.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}
