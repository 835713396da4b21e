//! Tallies of a batch, as `GET /batches/{id}/results` returns them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub batch_id: String,
    /// Every counted vote, real-name ones included.
    pub total: u64,
    /// Votes cast under a verified real name.
    pub real_name_total: u64,
    /// One entry per option of the batch, in the batch's order.
    pub options: Vec<OptionTally>,
    /// RFC 3339.
    pub updated_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionTally {
    pub id: String,
    pub votes: u64,
}
