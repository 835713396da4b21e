//! Tallies kept as the votes come in, so that reading them costs a few dozen
//! rows whatever the number of votes: per batch, region and option, and the
//! totals per batch and region.
//!
//! A region is the whole nation, a province or a city (GB/T 2260 codes, as
//! the vote's `location.province` and `location.city`); counties are not
//! tallied. Each vote counts once in the nation, once in its province and
//! once in its city, when it gives them.
//!
//! Rows are spread over shards (a small number, see each engine) so that
//! writers in several processes do not queue on one hot row; a read sums the
//! shards. Within one transaction the deltas of a whole group of votes are
//! summed per key first and then written in key order, so two transactions
//! that touch the same rows lock them in the same order and cannot deadlock.

use std::collections::{BTreeMap, HashMap};

use crate::store::NewVote;

/// How far down a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Nation = 0,
    Province = 1,
    City = 2,
}

impl Level {
    /// The number stored in the `level` column.
    pub fn code(self) -> i16 {
        self as i16
    }
}

/// One region of the tallies: the nation (code `""`), a province or a city.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region {
    pub level: Level,
    pub code: String,
}

impl Region {
    pub fn nation() -> Self {
        Self { level: Level::Nation, code: String::new() }
    }

    pub fn province(code: &str) -> Self {
        Self { level: Level::Province, code: code.to_owned() }
    }

    pub fn city(code: &str) -> Self {
        Self { level: Level::City, code: code.to_owned() }
    }

    /// The regions a vote counts in: the nation, then its province and city
    /// when it names them.
    pub fn of(vote: &survey_protocol::Vote) -> Vec<Self> {
        let mut regions = vec![Self::nation()];
        let given = |code: &Option<String>| code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        if let Some(province) = given(&vote.location.province) {
            regions.push(Self { level: Level::Province, code: province });
        }
        if let Some(city) = given(&vote.location.city) {
            regions.push(Self { level: Level::City, code: city });
        }
        regions
    }
}

/// The regions a listing covers: every province, or every city of one
/// province, and the whole they make up (the nation, or that province).
/// Codes in a range `[from, to)` compare as text, so the cities of province
/// `13xxxx` are the codes from `"13"` up to `"14"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegionRange {
    pub level: Level,
    pub from: String,
    pub to: String,
    pub whole: Region,
}

impl RegionRange {
    /// Every province.
    pub fn provinces() -> Self {
        Self { level: Level::Province, from: String::new(), to: "~".to_owned(), whole: Region::nation() }
    }

    /// Every city of the province with this code (its first two digits
    /// name it, as in every code below it).
    pub fn cities_of(province: &str) -> Self {
        let prefix: String = province.chars().take(2).collect();
        let mut to = prefix.clone().into_bytes();
        if let Some(last) = to.last_mut() {
            *last += 1;
        }
        Self {
            level: Level::City,
            from: prefix,
            to: String::from_utf8(to).unwrap_or_default(),
            whole: Region::province(province),
        }
    }
}

/// The tallies of a range's regions and of their whole, read from one
/// snapshot, so that the whole less the regions is what the regions'
/// votes really leave over (see `api::region_results`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// The nation's, or the province's whose cities are listed. Votes that
    /// name the whole but none of its regions count here only.
    pub whole: Tallies,
    /// Every region of the range that has votes, by code, in code order.
    pub regions: Vec<(String, Tallies)>,
}

/// The counts of one batch in one region.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tallies {
    pub total: u64,
    pub real_name_total: u64,
    /// Option id → votes; options nobody chose are absent.
    pub by_option: HashMap<String, u64>,
}

/// A key of the per-option table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OptionKey {
    pub batch_id: String,
    pub region: Region,
    pub option_id: String,
}

/// A key of the totals table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TotalKey {
    pub batch_id: String,
    pub region: Region,
}

/// What one group of votes adds to the tallies, summed per key and kept in
/// key order.
#[derive(Debug, Default)]
pub struct Deltas {
    pub options: BTreeMap<OptionKey, i64>,
    /// `(total, real_name_total)` per key.
    pub totals: BTreeMap<TotalKey, (i64, i64)>,
}

impl Deltas {
    /// Counts one stored vote.
    pub fn add(&mut self, new: &NewVote) {
        let real_name = i64::from(new.real_name_key.is_some());
        for region in Region::of(&new.vote) {
            let batch_id = new.vote.batch_id.clone();
            for option_id in &new.vote.choices {
                let key = OptionKey { batch_id: batch_id.clone(), region: region.clone(), option_id: option_id.clone() };
                *self.options.entry(key).or_default() += 1;
            }
            let total = self.totals.entry(TotalKey { batch_id, region }).or_default();
            total.0 += 1;
            total.1 += real_name;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::PersonKey;

    fn new_vote(province: Option<&str>, city: Option<&str>, choices: &[&str], real_name: bool) -> NewVote {
        let mut vote: survey_protocol::Vote =
            serde_json::from_str(include_str!("../../../docs/examples/vote.json")).unwrap();
        vote.location.province = province.map(str::to_owned);
        vote.location.city = city.map(str::to_owned);
        vote.choices = choices.iter().map(|c| (*c).to_owned()).collect();
        NewVote { vote, body_hash: [0; 32], real_name_key: real_name.then_some(PersonKey([1; 32])), counted_at: 0 }
    }

    #[test]
    fn a_vote_counts_in_the_nation_its_province_and_its_city() {
        let mut deltas = Deltas::default();
        deltas.add(&new_vote(Some("130000"), Some("130100"), &["a", "b"], true));
        deltas.add(&new_vote(Some("130000"), None, &["a"], false));
        deltas.add(&new_vote(None, None, &["b"], false));
        let total = |region: Region| deltas.totals[&TotalKey { batch_id: "2018-3-social-medical".into(), region }];
        assert_eq!(total(Region::nation()), (3, 1));
        assert_eq!(total(Region::province("130000")), (2, 1));
        assert_eq!(total(Region::city("130100")), (1, 1));
        let option = |region: Region, option: &str| {
            let key = OptionKey { batch_id: "2018-3-social-medical".into(), region, option_id: option.into() };
            deltas.options.get(&key).copied()
        };
        assert_eq!(option(Region::nation(), "a"), Some(2));
        assert_eq!(option(Region::nation(), "b"), Some(2));
        assert_eq!(option(Region::province("130000"), "a"), Some(2));
        assert_eq!(option(Region::province("130000"), "b"), Some(1));
        assert_eq!(option(Region::city("130100"), "b"), Some(1));
        assert_eq!(deltas.options.len(), 6, "one row per key, however many votes");
    }

    #[test]
    fn keys_come_out_in_one_order_whatever_order_the_votes_came_in() {
        let votes = [
            new_vote(Some("440000"), Some("440300"), &["z", "a"], false),
            new_vote(Some("110000"), Some("110100"), &["m"], false),
        ];
        let mut forwards = Deltas::default();
        let mut backwards = Deltas::default();
        votes.iter().for_each(|v| forwards.add(v));
        votes.iter().rev().for_each(|v| backwards.add(v));
        let keys = |d: &Deltas| d.options.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&forwards), keys(&backwards));
        assert!(keys(&forwards).windows(2).all(|w| w[0] < w[1]));
        assert_eq!(keys(&forwards)[0].region, Region::nation(), "the nation's rows come first");
    }

    #[test]
    fn the_cities_of_a_province_are_the_codes_with_its_two_digits() {
        let range = RegionRange::cities_of("130000");
        assert_eq!((range.level, range.from.as_str(), range.to.as_str()), (Level::City, "13", "14"));
        assert!(range.from.as_str() <= "130100" && "130100" < range.to.as_str());
        assert!("139999" >= range.from.as_str() && "139999" < range.to.as_str() && "140100" >= range.to.as_str());
        let hainan = RegionRange::cities_of("460000");
        assert!(hainan.from.as_str() <= "469001" && "469001" < hainan.to.as_str());
        let provinces = RegionRange::provinces();
        assert!(provinces.from.as_str() <= "110000" && "820000" < provinces.to.as_str());
    }

    #[test]
    fn a_blank_place_is_no_region() {
        let vote = new_vote(Some(" "), Some(""), &["a"], false);
        assert_eq!(Region::of(&vote.vote), [Region::nation()]);
    }
}
