//! A conformance checker for protocol v1 of the bottleneck survey
//! (`docs/protocol.md`): it exercises an endpoint the way the widget and
//! citizens will, and reports each rule as pass, fail (with the request and
//! the answer) or not checked (and why). `docs/conformance.md` is the guide
//! for integrators.
//!
//! It judges with the `survey-protocol` crate's own types and rules, the
//! ones the widget and the reference collector use, so the three cannot
//! read the protocol differently without a test noticing.

mod checks;
pub mod codes;
pub mod http;
pub mod options;
pub mod report;
pub mod rules;
mod synthetic;

pub use checks::run;
pub use options::{Command, Options};
pub use report::{Outcome, Report};
