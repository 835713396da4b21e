//! The lines of a results list: every option of the batch with its votes
//! and the share of voters who chose it, most chosen first. The same for
//! the whole country and for one region.

use std::cmp::Reverse;

use survey_protocol::{Batch, OptionTally, ResultsVisibility};

/// One option's line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TallyRow {
    /// The option's index in the batch, for its text and follow-up.
    pub option: usize,
    pub votes: u64,
    /// Whole percent of the voters who chose it; a voter may choose several
    /// options, so the lines add up to more than 100.
    pub percent: u64,
}

/// Every option of `batch` with its votes among `total` voters, most chosen
/// first and ties in batch order (the sort is stable). An option the
/// tallies leave out has no votes; a tally of an option the batch does not
/// have is not shown.
pub fn tally_rows(batch: &Batch, tallies: &[OptionTally], total: u64) -> Vec<TallyRow> {
    let mut rows: Vec<TallyRow> = batch
        .options
        .iter()
        .enumerate()
        .map(|(option, o)| {
            let votes = tallies.iter().find(|t| t.id == o.id).map_or(0, |t| t.votes);
            TallyRow { option, votes, percent: votes.saturating_mul(100).checked_div(total).unwrap_or(0) }
        })
        .collect();
    rows.sort_by_key(|row| Reverse(row.votes));
    rows
}

/// A share in per mille written as a percentage with one decimal, `37.5`:
/// the map's table tells provinces apart more finely than whole percent.
pub fn per_mille_as_percent(per_mille: u32) -> String {
    format!("{}.{}", per_mille / 10, per_mille % 10)
}

/// Whether this citizen may see a batch's tallies: when the batch shows them
/// always, or after a vote and this browser voted in it, and the host page
/// has not hidden results (`results="hidden"`). A server may serve the
/// tallies of an `after_vote` batch to anyone; the widget still asks only
/// after a vote.
pub fn tallies_shown(visibility: ResultsVisibility, voted: bool, host_hides: bool) -> bool {
    !host_hides
        && match visibility {
            ResultsVisibility::Hidden => false,
            ResultsVisibility::AfterVote => voted,
            ResultsVisibility::Always => true,
        }
}
