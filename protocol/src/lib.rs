//! Protocol v1 of the bottleneck survey: the JSON contract between the widget
//! and any collection endpoint, and the rules both sides enforce.
//!
//! The widget and the reference collector both depend on this crate so that a
//! rule (say, "at most `max` choices") is written once and cannot drift. It has
//! no dependency beyond serde, so it builds and tests on the host in seconds.

pub mod batch;
pub mod batch_check;
pub mod batch_list;
pub mod field_error;
pub mod follow_up;
pub mod identity;
pub mod problem;
pub mod region_code;
pub mod region_results;
pub mod regions;
pub mod results;
pub mod time;
pub mod verification;
pub mod vote;
pub mod vote_check;

pub use batch::{
    Batch, BatchOption, BatchStatus, ChoiceRule, LocationRule, OtherRule, RealName,
    ResultsVisibility,
};
pub use batch_check::BatchError;
pub use batch_list::{BatchList, BatchSummary};
pub use field_error::{FieldError, FieldErrorCode};
pub use follow_up::{BatchFollowUp, FollowUp, FollowUpStatus};
pub use problem::Problem;
pub use region_results::{RegionLevel, RegionResults, RegionTally};
pub use results::{OptionTally, Results};
pub use verification::{VerificationConfirm, VerificationCreated, VerificationRequest, Verified};
pub use vote::{ClientInfo, Location, Receipt, Vote};

/// The protocol version this crate speaks; endpoints mount it under `/api/v1`.
pub const PROTOCOL_VERSION: u32 = 1;
