//! What the widget keeps in the browser: that this browser voted in a batch
//! and the receipt to show for it, and (until it is delivered) the vote in
//! the outbox. Never a name, ID number or phone.

use survey_protocol::Receipt;

use crate::config::Endpoint;

/// What a later visit shows instead of a second empty form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VotedRecord {
    pub receipt: String,
    pub counted_at: String,
}

impl From<&Receipt> for VotedRecord {
    fn from(r: &Receipt) -> Self {
        Self { receipt: r.receipt.clone(), counted_at: r.counted_at.clone() }
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
