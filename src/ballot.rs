//! What the citizen has filled in so far, and the rules that apply while
//! they fill it: changing a place clears the places under it, a tick past
//! the batch's maximum is refused, and only a rule-abiding ballot becomes a
//! vote. Plain Rust, so every rule is tested on the host.

use survey_protocol::vote_check::check_answers;
use survey_protocol::{Batch, ClientInfo, FieldError, Location, Vote};

/// The form's state, independent of how it is rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ballot {
    location: Location,
    /// In the order ticked, which is the order the vote lists them.
    choices: Vec<String>,
    other: String,
}

/// Why a tick was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TickRefused {
    /// The batch's maximum is reached; the citizen must untick one first.
    AtMaximum(usize),
}

impl Ballot {
    /// A ballot whose province is fixed in advance (a provincial portal).
    pub fn with_province(province: Option<String>) -> Self {
        Self { location: Location { province, ..Location::default() }, ..Self::default() }
    }

    /// The ballot a saved vote was made from, so a vote still in the
    /// outbox after a reload shows the answers it carries.
    pub fn from_vote(vote: &Vote) -> Self {
        Self {
            location: vote.location.clone(),
            choices: vote.choices.clone(),
            other: vote.other.clone().unwrap_or_default(),
        }
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Picking another province makes the city and county meaningless.
    pub fn set_province(&mut self, code: Option<String>) {
        if self.location.province != code {
            self.location = Location { province: code, city: None, county: None };
        }
    }

    /// Picking another city makes the county meaningless.
    pub fn set_city(&mut self, code: Option<String>) {
        if self.location.city != code {
            self.location.city = code;
            self.location.county = None;
        }
    }

    pub fn set_county(&mut self, code: Option<String>) {
        self.location.county = code;
    }

    pub fn is_chosen(&self, option_id: &str) -> bool {
        self.choices.iter().any(|c| c == option_id)
    }

    pub fn chosen_count(&self) -> usize {
        self.choices.len()
    }

    /// Ticks or unticks an option. A tick beyond the batch's maximum is
    /// refused rather than silently dropping an earlier one.
    pub fn toggle(&mut self, batch: &Batch, option_id: &str) -> Result<(), TickRefused> {
        if let Some(at) = self.choices.iter().position(|c| c == option_id) {
            self.choices.remove(at);
            return Ok(());
        }
        let max = batch.effective_max();
        if self.choices.len() >= max {
            return Err(TickRefused::AtMaximum(max));
        }
        self.choices.push(option_id.to_owned());
        Ok(())
    }

    pub fn other(&self) -> &str {
        &self.other
    }

    pub fn set_other(&mut self, text: String) {
        self.other = text;
    }

    /// Characters in the "other" box as the batch's limit counts them.
    pub fn other_length(&self) -> usize {
        self.other.trim().chars().count()
    }

    /// Everything the batch's rules find wrong, in form order.
    pub fn errors(&self, batch: &Batch) -> Vec<FieldError> {
        check_answers(batch, &self.vote_location(batch), &self.choices, self.other_text())
    }

    /// The vote this ballot stands for, or every field error in form order.
    pub fn to_vote(&self, batch: &Batch, vote_id: String, client: ClientInfo) -> Result<Vote, Vec<FieldError>> {
        let errors = self.errors(batch);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Vote {
            batch_id: batch.id.clone(),
            vote_id,
            location: self.vote_location(batch),
            choices: self.choices.clone(),
            other: self.other_text().map(str::to_owned),
            verification_token: None,
            client,
        })
    }

    fn other_text(&self) -> Option<&str> {
        Some(self.other.trim()).filter(|t| !t.is_empty())
    }

    /// Levels the batch does not ask for are sent as `null`, whatever the
    /// form held (a locked province on a one-level batch, say).
    fn vote_location(&self, batch: &Batch) -> Location {
        let levels = batch.location.levels;
        Location {
            province: self.location.province.clone(),
            city: self.location.city.clone().filter(|_| levels >= 2),
            county: self.location.county.clone().filter(|_| levels >= 3),
        }
    }
}
