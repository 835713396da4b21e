//! Protocol v1 of the bottleneck survey: the JSON contract between the widget
//! and any collection endpoint, and the rules both sides enforce.
//!
//! The widget and the reference collector both depend on this crate so that a
//! rule (say, "at most `max` choices") is written once and cannot drift. It has
//! no dependency beyond serde, so it builds and tests on the host in seconds.

pub mod batch;
pub mod batch_check;
pub mod field_error;
pub mod identity;
pub mod problem;
pub mod region_code;
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
pub use field_error::{FieldError, FieldErrorCode};
pub use problem::Problem;
pub use results::{OptionTally, Results};
pub use verification::{VerificationConfirm, VerificationCreated, VerificationRequest, Verified};
pub use vote::{ClientInfo, Location, Receipt, Vote};

/// The protocol version this crate speaks; endpoints mount it under `/api/v1`.
pub const PROTOCOL_VERSION: u32 = 1;
