//! The reference collection endpoint of the bottleneck survey: serves the
//! batches, verifies real names by SMS code, counts votes into SQLite,
//! publishes tallies (protocol v1, see `docs/protocol.md`), and serves the
//! built widget at `/`.

pub mod api;
pub mod catalog;
pub mod client_address;
pub mod clock;
pub mod config;
pub mod cors;
pub mod db;
pub mod error;
pub mod fault_routes;
pub mod faults;
pub mod language;
pub mod pending;
pub mod rate_limit;
pub mod real_name;
pub mod receipt;
pub mod regions;
pub mod request_log;
pub mod secret;
pub mod sms;
pub mod state;
pub mod token;
pub mod widget;

use axum::Router;
use axum::middleware;

pub use config::Config;
pub use error::Error;
pub use state::AppState;

/// The whole service: the API under `/api/v1`, the widget everywhere else.
/// With fault injection on (tests only) it also serves `/__faults` and
/// applies the faults queued there; without, `/__faults` is a 404.
pub fn app(state: AppState) -> Router {
    let mut api = api::router();
    if let Some(faults) = &state.faults {
        api = api.layer(middleware::from_fn_with_state(faults.clone(), fault_routes::inject));
    }
    if let Some(cors) = state.cors.layer() {
        api = api.layer(cors);
    }
    Router::new()
        .nest("/api/v1", api)
        .merge(fault_routes::router(state.faults.clone()))
        .fallback_service(widget::router(&state.dist))
        .layer(middleware::from_fn(request_log::log))
        .with_state(state)
}
