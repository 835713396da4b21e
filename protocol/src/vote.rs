//! A vote as `POST /votes` carries it, and the receipt that acknowledges it.

use serde::{Deserialize, Serialize};

/// One citizen's answer to one batch. `vote_id` doubles as the
/// `Idempotency-Key`, so every retry of the same vote is counted once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub batch_id: String,
    /// A random UUID v4, minted once when the citizen submits.
    pub vote_id: String,
    pub location: Location,
    /// Option ids, in the order the citizen ticked them.
    pub choices: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// Proof of a real-name verification; never the name or ID number itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_token: Option<String>,
    pub client: ClientInfo,
}

/// GB/T 2260 six-digit codes; `null` for levels the batch does not ask for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
}

/// How a vote cast by a conformance checker rather than a citizen begins its
/// `client.widget_version` (`conformance/0.1.0`): a server answers it like
/// any other vote, and its operator can find and discard it afterwards.
pub const CONFORMANCE_WIDGET_PREFIX: &str = "conformance/";

/// What the widget says about itself; nothing here identifies the citizen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    pub widget_version: String,
    pub locale: String,
    /// Origin of the page the widget is embedded in, e.g. `https://www.gov.cn`.
    #[serde(default)]
    pub embed_origin: Option<String>,
}

/// The endpoint's acknowledgement that a vote is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub vote_id: String,
    /// A short code the citizen can quote, e.g. `7KQ-M4ZP`.
    pub receipt: String,
    /// True when the vote counts as a real-name vote.
    pub real_name: bool,
    /// RFC 3339.
    pub counted_at: String,
}
