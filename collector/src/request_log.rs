//! One log line per request: method, path, status and latency. Written by
//! hand rather than with tower-http's tracing layer so that neither a query
//! string nor a body can ever reach the log.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        latency = ?started.elapsed(),
        "request"
    );
    response
}
