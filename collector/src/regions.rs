//! Which GB/T 2260 places exist, from the same region files the widget
//! serves. The protocol crate checks that a code is well formed and under its
//! province; only this data can tell whether the place is real.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use survey_protocol::field_error::field;
use survey_protocol::regions::{Division, ProvinceFile};
use survey_protocol::{FieldError, FieldErrorCode, Location};

/// Province code → city code → county codes.
#[derive(Debug)]
pub struct Regions {
    provinces: HashMap<String, HashMap<String, HashSet<String>>>,
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
        let mut provinces = HashMap::with_capacity(list.len());
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
                .map(|city| (city.code, city.counties.into_iter().map(|c| c.code).collect()))
                .collect();
            provinces.insert(province.code, cities);
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
        let Some(cities) = self.provinces.get(province) else {
            return unknown(field::PROVINCE, "no such province");
        };
        let Some(city) = given(&location.city).filter(|_| !refused(field::CITY)) else {
            return Vec::new();
        };
        let Some(counties) = cities.get(city) else {
            return unknown(field::CITY, "no such city in the chosen province");
        };
        match given(&location.county).filter(|_| !refused(field::COUNTY)) {
            Some(county) if !counties.contains(county) => unknown(field::COUNTY, "no such county in the chosen city"),
            _ => Vec::new(),
        }
    }
}

/// A code the vote gives; an empty string counts as none, as in `check_vote`.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}
