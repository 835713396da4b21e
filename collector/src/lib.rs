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
pub fn app(state: AppState) -> Router {
    let mut api = api::router();
    if let Some(cors) = state.cors.layer() {
        api = api.layer(cors);
    }
    Router::new()
        .nest("/api/v1", api)
        .fallback_service(widget::router(&state.dist))
        .layer(middleware::from_fn(request_log::log))
        .with_state(state)
}
