//! A batch: one themed round of bottleneck collection, as `GET /batches/current`
//! returns it. Unknown fields are ignored so endpoints can add their own.

use serde::{Deserialize, Serialize};

use crate::follow_up::{BatchFollowUp, FollowUp};

/// One themed round of the survey (for example the third 2018 batch, 社保医疗).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// 1–64 characters of `[A-Za-z0-9._-]`; safe in storage keys and paths.
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub status: BatchStatus,
    /// RFC 3339; shown to the citizen on the "upcoming" screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    /// RFC 3339; shown to the citizen while the batch is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    pub choices: ChoiceRule,
    pub options: Vec<BatchOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<OtherRule>,
    pub location: LocationRule,
    pub real_name: RealName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_notice: Option<String>,
    pub results: ResultsVisibility,
    /// What became of the batch as a whole, once the organiser reports on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<BatchFollowUp>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    Open,
    Closed,
    Upcoming,
}

/// How many options a citizen may tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceRule {
    pub min: u16,
    pub max: u16,
}

/// One bottleneck a citizen can tick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchOption {
    pub id: String,
    pub text: String,
    /// Options sharing a group are shown together under this heading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// What became of this bottleneck, once the organiser reports on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
}

/// The free-text "other bottleneck" box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherRule {
    pub enabled: bool,
    /// Counted in Unicode scalar values, as a citizen counts characters.
    pub max_length: u16,
}

/// Where the citizen dealt with the government.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationRule {
    /// 1 = province, 2 = + city, 3 = + county.
    pub levels: u8,
    pub required: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RealName {
    Off,
    Optional,
    Required,
}

/// When the tallies may be shown to the citizen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultsVisibility {
    Hidden,
    AfterVote,
    Always,
}

impl Batch {
    /// The "other" rule when the box is switched on, `None` otherwise.
    pub fn other_enabled(&self) -> Option<OtherRule> {
        self.other.filter(|o| o.enabled)
    }
}
