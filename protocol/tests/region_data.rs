//! The region files in `public/regions/` (built by `scripts/regions/build.mjs`,
//! described in `docs/regions.md`) hold what the widget offers and the
//! reference collector accepts: the 31 mainland provincial-level divisions,
//! each with cities that each have at least one county, every code a GB/T 2260
//! code used once.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use survey_protocol::region_code::{is_province_code, is_six_digits, province_of};
use survey_protocol::regions::{City, Division, ProvinceFile};

const MAINLAND_PROVINCES: [&str; 31] = [
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000", "330000",
    "340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000", "460000", "500000",
    "510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000", "650000",
];

const MUNICIPALITIES: [&str; 4] = ["110000", "120000", "310000", "500000"];

fn regions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/regions")
}

/// Parses a file into `T` and checks that `T` serialises back to the same
/// JSON, so a file cannot carry fields the types would silently drop.
fn read<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let path = regions_dir().join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let raw: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let typed: T = serde_json::from_value(raw.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(serde_json::to_value(&typed).unwrap(), raw, "{name} has fields its type does not know");
    typed
}

fn provinces() -> Vec<Division> {
    read("provinces.json")
}

fn province_files() -> Vec<ProvinceFile> {
    provinces().iter().map(|p| read(&format!("{}.json", p.code))).collect()
}

/// A city that is its own only county (东莞市, 仙桃市, ...).
fn is_own_county(city: &City) -> bool {
    matches!(city.counties.as_slice(), [only] if only.code == city.code && only.name == city.name)
}

/// Every place once: provinces, cities, and counties that are not their city.
fn all_places(files: &[ProvinceFile]) -> Vec<(&str, &str)> {
    let mut places = Vec::new();
    for file in files {
        places.push((file.code.as_str(), file.name.as_str()));
        for city in &file.cities {
            places.push((city.code.as_str(), city.name.as_str()));
            if !is_own_county(city) {
                places.extend(city.counties.iter().map(|c| (c.code.as_str(), c.name.as_str())));
            }
        }
    }
    places
}

fn find_city<'a>(files: &'a [ProvinceFile], code: &str) -> &'a City {
    files.iter().flat_map(|f| &f.cities).find(|c| c.code == code).unwrap_or_else(|| panic!("no city {code}"))
}

fn county_names(city: &City) -> HashMap<&str, &str> {
    city.counties.iter().map(|c| (c.code.as_str(), c.name.as_str())).collect()
}

#[test]
fn provinces_json_lists_the_31_mainland_provinces_in_code_order() {
    let codes: Vec<String> = provinces().into_iter().map(|p| p.code).collect();
    assert_eq!(codes, MAINLAND_PROVINCES);
    assert!(codes.iter().all(|c| is_province_code(c)));
}

#[test]
fn every_province_has_its_file_and_there_are_no_other_files() {
    let on_disk: BTreeSet<String> =
        fs::read_dir(regions_dir()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let expected: BTreeSet<String> =
        MAINLAND_PROVINCES.iter().map(|code| format!("{code}.json")).chain(["provinces.json".to_string()]).collect();
    assert_eq!(on_disk, expected);
}

#[test]
fn each_province_file_has_the_code_and_name_given_in_provinces_json() {
    for (listed, file) in provinces().iter().zip(province_files()) {
        assert_eq!((&file.code, &file.name), (&listed.code, &listed.name));
    }
}

#[test]
fn every_code_is_six_digits_and_names_one_place_only() {
    let files = province_files();
    let mut seen = HashMap::new();
    for (code, name) in all_places(&files) {
        assert!(is_six_digits(code), "{code} {name}");
        if let Some(other) = seen.insert(code, name) {
            panic!("{code} is both {other} and {name}");
        }
    }
}

#[test]
fn every_city_and_county_is_filed_under_its_own_province() {
    for file in province_files() {
        for city in &file.cities {
            assert_eq!(province_of(&city.code).as_deref(), Some(file.code.as_str()), "{}", city.name);
            for county in &city.counties {
                assert_eq!(province_of(&county.code).as_deref(), Some(file.code.as_str()), "{}", county.name);
            }
        }
    }
}

#[test]
fn every_city_has_at_least_one_county() {
    for file in province_files() {
        assert!(!file.cities.is_empty(), "{} has no city", file.name);
        for city in &file.cities {
            assert!(!city.counties.is_empty(), "{} {} has no county", city.code, city.name);
        }
    }
}

#[test]
fn cities_and_counties_are_in_code_order() {
    for file in province_files() {
        assert!(file.cities.is_sorted_by(|a, b| a.code < b.code), "{}", file.name);
        for city in &file.cities {
            assert!(city.counties.is_sorted_by(|a, b| a.code < b.code), "{}", city.name);
        }
    }
}

#[test]
fn no_grouping_code_is_offered_as_a_place() {
    let files = province_files();
    for (code, name) in all_places(&files) {
        let grouping = name == "市辖区" || name == "县" || name.contains("直辖");
        // XX9000 groups the province-administered counties; it is not a place.
        let province_administered_group = &code[2..4] == "90" && code.ends_with("00");
        assert!(!grouping && !province_administered_group, "{code} {name}");
    }
}

#[test]
fn each_municipality_is_one_city_under_its_own_name_holding_all_its_districts() {
    let files = province_files();
    for code in MUNICIPALITIES {
        let file = files.iter().find(|f| f.code == code).unwrap();
        let [city] = file.cities.as_slice() else { panic!("{} has {} cities", file.name, file.cities.len()) };
        assert_eq!(city.code, format!("{}0100", &code[..2]));
        assert_eq!(city.name, file.name);
    }
    let chongqing = county_names(find_city(&files, "500100"));
    assert_eq!(chongqing.get("500103"), Some(&"渝中区"));
    assert_eq!(chongqing.get("500229"), Some(&"城口县"));
    assert_eq!(chongqing.len(), 38);
}

#[test]
fn province_administered_counties_are_each_their_own_city() {
    let files = province_files();
    for (code, name) in [
        ("419001", "济源市"),
        ("429004", "仙桃市"),
        ("429021", "神农架林区"),
        ("469001", "五指山市"),
        ("659001", "石河子市"),
        ("659011", "新星市"),
    ] {
        let city = find_city(&files, code);
        assert_eq!(city.name, name);
        assert!(is_own_county(city), "{code} {name}");
    }
}

#[test]
fn cities_without_districts_are_their_own_county() {
    let files = province_files();
    for (code, name) in [("441900", "东莞市"), ("442000", "中山市"), ("460400", "儋州市"), ("620200", "嘉峪关市")]
    {
        let city = find_city(&files, code);
        assert_eq!(city.name, name);
        assert!(is_own_county(city), "{code} {name}");
    }
}

#[test]
fn known_places_are_where_a_citizen_expects_them() {
    let files = province_files();
    let shijiazhuang = find_city(&files, "130100");
    assert_eq!(shijiazhuang.name, "石家庄市");
    assert_eq!(county_names(shijiazhuang).get("130102"), Some(&"长安区"));
    let beijing = find_city(&files, "110100");
    assert_eq!(county_names(beijing).get("110105"), Some(&"朝阳区"));
    let liangshan = find_city(&files, "513400");
    assert_eq!(county_names(liangshan).get("513402"), Some(&"会理市"));
}

#[test]
fn superseded_and_statistics_only_codes_are_left_out() {
    let files = province_files();
    let places: HashMap<&str, &str> = all_places(&files).into_iter().collect();
    for (code, name) in [
        ("350403", "三元区, renumbered 350404 in 2021"),
        ("513425", "会理县, now 会理市 513402"),
        ("330103", "下城区, merged into 拱墅区 in 2021"),
        ("320571", "苏州工业园区, a statistical unit"),
        ("232761", "加格达奇区, a statistical unit"),
        ("632857", "大柴旦行政委员会, a statistical unit"),
    ] {
        assert!(!places.contains_key(code), "{code} {name}");
    }
}
