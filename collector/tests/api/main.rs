//! The API through `app(state)` with `tower::ServiceExt::oneshot`: no socket,
//! a real SQLite database per test.

mod batches;
mod cors;
mod demo;
mod results;
mod support;
mod votes;
mod widget;
