//! Tallies by region, `GET /batches/{id}/results/regions`: how each province
//! (or each city of one province) voted, for the citizen's own region and
//! for a map of the country.
//!
//! Small counts are withheld so that a vote cannot be traced back to a
//! person: a region with fewer than `min_votes` votes is left out of the
//! list, and clients hold every endpoint to at least [`MIN_VOTES_FLOOR`].

use serde::{Deserialize, Serialize};

use crate::results::OptionTally;

/// The fewest votes a region may be shown with, whatever an endpoint says:
/// below this a region's numbers could single out a citizen.
pub const MIN_VOTES_FLOOR: u64 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionResults {
    pub batch_id: String,
    pub level: RegionLevel,
    /// The province whose cities these are; `null` at province level.
    pub province: Option<String>,
    /// Regions with fewer votes than this are not listed.
    pub min_votes: u64,
    /// The regions with enough votes, in code order.
    pub regions: Vec<RegionTally>,
    /// RFC 3339.
    pub updated_at: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
}

/// One region's votes: those whose `location` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionTally {
    /// GB/T 2260 code.
    pub code: String,
    pub total: u64,
    pub real_name_total: u64,
    /// One entry per option of the batch, in the batch's order.
    pub options: Vec<OptionTally>,
}

impl RegionResults {
    /// The region's tally if it may be shown: listed, and with at least
    /// `min_votes` and [`MIN_VOTES_FLOOR`] votes.
    pub fn shown(&self, code: &str) -> Option<&RegionTally> {
        let floor = self.min_votes.max(MIN_VOTES_FLOOR);
        self.regions
            .iter()
            .find(|r| r.code == code && r.total >= floor)
    }
}

impl RegionTally {
    /// Votes for `option` in this region; 0 when it is not listed.
    pub fn votes(&self, option: &str) -> u64 {
        self.options
            .iter()
            .find(|o| o.id == option)
            .map_or(0, |o| o.votes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(code: &str, total: u64) -> RegionTally {
        RegionTally {
            code: code.into(),
            total,
            real_name_total: 0,
            options: vec![OptionTally {
                id: "a".into(),
                votes: total / 2,
            }],
        }
    }

    #[test]
    fn a_region_under_the_floor_is_withheld_even_if_the_endpoint_lists_it() {
        let results = RegionResults {
            batch_id: "b".into(),
            level: RegionLevel::Province,
            province: None,
            min_votes: 1,
            regions: vec![tally("110000", 9), tally("130000", 10)],
            updated_at: "2018-07-09T02:13:45Z".into(),
        };
        assert!(
            results.shown("110000").is_none(),
            "9 votes is under the floor of 10"
        );
        assert_eq!(results.shown("130000").map(|r| r.votes("a")), Some(5));
        assert!(results.shown("440000").is_none());
        assert_eq!(results.shown("130000").map(|r| r.votes("unknown")), Some(0));
    }

    #[test]
    fn an_endpoint_may_withhold_more_than_the_floor() {
        let results = RegionResults {
            batch_id: "b".into(),
            level: RegionLevel::City,
            province: Some("130000".into()),
            min_votes: 50,
            regions: vec![tally("130100", 49)],
            updated_at: "2018-07-09T02:13:45Z".into(),
        };
        assert!(results.shown("130100").is_none());
    }
}
