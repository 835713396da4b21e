//! `GET /healthz` (the process answers) and `GET /readyz` (it can reach its
//! database), for a load balancer or an orchestrator. Neither is under
//! `/api/v1`: they are for operators, not for the widget.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;
use crate::store::DATABASE_RETRY_S;

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /healthz`: 200 while the process serves requests at all.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: 200 when the database answers a query within two
/// seconds, else 503 with Retry-After, so a load balancer sends votes
/// elsewhere until it does.
pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    match tokio::time::timeout(READY_TIMEOUT, state.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, format!("ready: {} answers\n", state.store.engine())).into_response(),
        Ok(Err(_)) | Err(_) => {
            let retry_after = [(header::RETRY_AFTER, HeaderValue::from(DATABASE_RETRY_S))];
            let text = format!("not ready: {} does not answer\n", state.store.engine());
            (StatusCode::SERVICE_UNAVAILABLE, retry_after, text).into_response()
        }
    }
}
