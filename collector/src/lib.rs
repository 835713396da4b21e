//! The reference collection endpoint of the bottleneck survey: serves the
//! batches, verifies real names by SMS code, counts votes into SQLite or
//! PostgreSQL, publishes tallies (protocol v1, see `docs/protocol.md`), and
//! serves the built widget at `/`. Any number of collectors can share one
//! PostgreSQL database: they keep nothing of their own but caches.

pub mod api;
pub mod catalog;
pub mod client_address;
pub mod clock;
pub mod config;
pub mod demo_seed;
pub mod cors;
pub mod error;
pub mod export;
pub mod fault_routes;
pub mod faults;
pub mod follow_up_cache;
pub mod follow_ups;
pub mod health;
pub mod language;
pub mod metrics;
pub mod organiser;
pub mod pending;
pub mod rate_limit;
pub mod real_name;
pub mod receipt;
pub mod regions;
pub mod request_log;
pub mod results_cache;
pub mod secret;
pub mod sms;
pub mod state;
pub mod store;
pub mod token;
pub mod widget;
pub mod writer;

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::get;

pub use config::Config;
pub use error::Error;
pub use state::AppState;

/// The whole service: the API under `/api/v1`, `/healthz`, `/readyz` and
/// `/metrics` for operators, the widget everywhere else. With fault
/// injection on (tests only) it also serves `/__faults` and applies the
/// faults queued there; without, `/__faults` is a 404.
pub fn app(state: AppState) -> Router {
    let mut api = api::router().layer(middleware::from_fn_with_state(state.metrics.clone(), metrics::track));
    if let Some(faults) = &state.faults {
        api = api.layer(middleware::from_fn_with_state(faults.clone(), fault_routes::inject));
    }
    if let Some(cors) = state.cors.layer() {
        api = api.layer(cors);
    }
    Router::new()
        .nest("/api/v1", api)
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::serve))
        .merge(fault_routes::router(state.faults.clone()))
        .fallback_service(widget::router(&state.dist))
        .layer(middleware::from_fn(request_log::log))
        .with_state(Arc::new(state))
}
