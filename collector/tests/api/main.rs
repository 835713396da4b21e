//! The API through `app(state)` with `tower::ServiceExt::oneshot`: no socket,
//! a real SQLite database per test.

mod batches;
mod body_limit;
mod cors;
mod demo;
mod faults;
mod group_cases;
mod groups;
mod operating;
mod privacy;
mod receipts;
mod region_cases;
mod regions;
mod results;
mod support;
mod verifications;
mod votes;
mod widget;
