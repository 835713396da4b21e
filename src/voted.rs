//! What the widget keeps in the browser: that this browser voted in a batch
//! and the receipt to show for it, and (until it is delivered) the vote in
//! the outbox. Never a name, ID number or phone.

use survey_protocol::{Location, Receipt};

use crate::config::Endpoint;

/// What a later visit shows instead of a second empty form, and where the
/// citizen said they dealt with the government, so the results can offer
/// "my province" and "my city" on that visit too. Records kept before
/// places were remembered read with none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VotedRecord {
    pub receipt: String,
    pub counted_at: String,
    /// The province voted for, if the vote named one.
    pub province: Option<String>,
    /// The city voted for, if the vote named one.
    pub city: Option<String>,
}

impl VotedRecord {
    /// The record of a counted vote: its receipt, and the place it named.
    pub fn new(receipt: &Receipt, location: &Location) -> Self {
        Self {
            receipt: receipt.receipt.clone(),
            counted_at: receipt.counted_at.clone(),
            province: location.province.clone(),
            city: location.city.clone(),
        }
    }
}

/// The key of the voted record: per endpoint, so two surveys on one site
/// never mix.
pub fn voted_key(endpoint: &Endpoint, batch_id: &str) -> String {
    format!("bsv.voted.v1|{}|{batch_id}", endpoint.as_str())
}

/// The key of the batch's outbox entry (see `outbox.rs`).
pub fn outbox_key(endpoint: &Endpoint, batch_id: &str) -> String {
    format!("bsv.outbox.v1|{}|{batch_id}", endpoint.as_str())
}
