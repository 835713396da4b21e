//! The batches of the action so far, `GET /batches`: what an earlier round
//! asked, when, how many took part, and what became of it.

use serde::{Deserialize, Serialize};

use crate::batch::BatchStatus;
use crate::follow_up::BatchFollowUp;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchList {
    /// Newest first: the current batch, then the earlier ones.
    pub batches: Vec<BatchSummary>,
}

/// One batch in brief; `GET /batches/{id}` has the whole of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: String,
    pub title: String,
    pub status: BatchStatus,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    /// Votes counted; absent when the batch's results are hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Real-name votes counted; absent when the batch's results are hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_name_total: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<BatchFollowUp>,
}
