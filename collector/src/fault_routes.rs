//! The HTTP side of fault injection ([`crate::faults`]): `/__faults` to
//! queue, clear and read faults, and the middleware that applies them to
//! `POST /api/v1/votes` and `GET /api/v1/batches/current`.
//!
//! Without `--fault-injection`, `/__faults` answers 404 to every method and
//! the middleware is not installed at all.
//!
//! Dropping a connection: the response's body fails on its very first poll.
//! hyper has then buffered the status line and headers but not written
//! them (it writes after polling the body), and a body error makes it give
//! up the connection, which closes the socket with nothing sent. The client
//! sees what a crashed server or a cut mobile link looks like: the request
//! went out and no byte came back (Chromium: `net::ERR_EMPTY_RESPONSE`).
//! `collector/tests/end_to_end.rs` checks this on a real socket.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use http_body::Frame;
use survey_protocol::Problem;
use survey_protocol::problem::PROBLEM_CONTENT_TYPE;

use crate::api::json_body;
use crate::error::Error;
use crate::faults::{DropPoint, FaultRequest, Faults, Snapshot, Stream, VoteFault};

/// Where the tests control faults.
pub const PATH: &str = "/__faults";
/// The requests faults apply to, as the API router sees them (it is
/// mounted at `/api/v1`, inside the CORS layer, by [`crate::app`]).
const VOTES: &str = "/votes";
const CURRENT_BATCH: &str = "/batches/current";

/// A batch override may be a huge body on purpose.
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// `/__faults`: the control routes when `faults` is on, else a plain 404.
pub fn router<S: Clone + Send + Sync + 'static>(faults: Option<Arc<Faults>>) -> Router<S> {
    let Some(faults) = faults else {
        return Router::new().route(PATH, any(async || Error::NotFound));
    };
    Router::new()
        .route(
            PATH,
            any(control)
                .layer(DefaultBodyLimit::max(BODY_LIMIT))
                .with_state(faults),
        )
}

/// `POST` queues faults, `DELETE` clears them, `GET` reads the counters;
/// each answers with the counters and what is still queued.
async fn control(
    State(faults): State<Arc<Faults>>,
    method: Method,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Snapshot>, Response> {
    match method {
        Method::GET => {}
        Method::DELETE => {
            faults.clear();
            tracing::warn!("fault injection: faults cleared");
        }
        Method::POST => {
            let body = json_body(&headers, body, BODY_LIMIT).map_err(IntoResponse::into_response)?;
            let request: FaultRequest =
                serde_json::from_value(body).map_err(|e| refusal(format!("not a fault request: {e}")))?;
            let (votes, batch) = (request.votes.len(), request.batch.as_ref().map(|b| b.status));
            faults.add(request).map_err(refusal)?;
            tracing::warn!(votes, batch_status = ?batch, "fault injection: faults queued");
        }
        _ => return Err(Error::MethodNotAllowed.into_response()),
    }
    Ok(Json(faults.snapshot()))
}

/// 422 with the reason in `detail`: only tests read it.
fn refusal(detail: String) -> Response {
    let problem = Problem {
        kind: "about:blank".to_owned(),
        title: "The fault request makes no sense".to_owned(),
        status: 422,
        detail: Some(detail),
        errors: Vec::new(),
    };
    let content_type = [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE))];
    (StatusCode::UNPROCESSABLE_ENTITY, content_type, Json(problem)).into_response()
}

/// Middleware around the API router, installed only with fault injection:
/// counts vote and batch requests and applies the queued faults. Inside the
/// CORS layer, so a widget on another origin reads a faulty answer as it
/// would a real one.
pub async fn inject(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if request.method() == Method::GET && path == CURRENT_BATCH {
        return match faults.next_batch() {
            Some(batch) => {
                tracing::warn!(status = batch.status, bytes = batch.body.len(), "fault injection: batch replaced");
                let status = StatusCode::from_u16(batch.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let content_type = HeaderValue::from_str(&batch.content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream"));
                let body = match batch.stream {
                    Some(stream) => Body::new(Trickle::new(batch.body.into(), stream, faults.clone())),
                    None => Body::from(batch.body),
                };
                (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
            }
            None => next.run(request).await,
        };
    }
    if request.method() != Method::POST || path != VOTES {
        return next.run(request).await;
    }

    let key = request.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (index, fault) = faults.next_vote(key);
    let response = match &fault {
        None => next.run(request).await,
        Some(VoteFault::Fail { status, retry_after, content_type, body }) => {
            tracing::warn!(status, "fault injection: vote refused before storing");
            failure(*status, retry_after.as_deref(), content_type.as_deref(), body.clone())
        }
        Some(VoteFault::Delay { ms }) => {
            let response = next.run(request).await;
            tracing::warn!(ms, status = response.status().as_u16(), "fault injection: answer delayed");
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            response
        }
        Some(VoteFault::Drop(DropPoint::BeforeStoring)) => {
            tracing::warn!("fault injection: connection dropped before storing the vote");
            return dropped();
        }
        Some(VoteFault::Drop(DropPoint::AfterStoring)) => {
            let stored = next.run(request).await;
            tracing::warn!(status = stored.status().as_u16(), "fault injection: connection dropped after the handler answered");
            return dropped();
        }
    };
    faults.answered(index, response.status().as_u16());
    response
}

/// The answer to a vote failed on purpose: the status, an optional
/// `Retry-After`, and the body given (as `application/problem+json` unless
/// another type is given) or a problem naming the fault.
fn failure(status: u16, retry_after: Option<&str>, content_type: Option<&str>, body: Option<String>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = body.unwrap_or_else(|| {
        let problem = Problem {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Injected fault").to_owned(),
            status: status.as_u16(),
            detail: Some("Fault injection (--fault-injection) failed this request on purpose.".to_owned()),
            errors: Vec::new(),
        };
        serde_json::to_string(&problem).unwrap_or_default()
    });
    let content_type = content_type
        .and_then(|c| HeaderValue::from_str(c).ok())
        .unwrap_or(HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Some(value) = retry_after.and_then(|r| HeaderValue::from_str(r).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// A response hyper never sends: its body fails at once, so hyper closes
/// the connection with the head still unwritten (see the module's notes).
fn dropped() -> Response {
    let mut response = Response::new(Body::new(Abort));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.extensions_mut().insert(Dropped);
    response
}

/// Marks a response whose connection is dropped, for tests without a socket.
#[derive(Clone, Copy, Debug)]
pub struct Dropped;

/// A batch override's body sent in pieces, with a pause after each and no
/// `Content-Length` (hyper then uses chunked encoding), counting what it
/// hands over so a test can tell how much the client took before it hung
/// up: when it does, hyper stops polling and drops this body.
struct Trickle {
    rest: Bytes,
    stream: Stream,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    faults: Arc<Faults>,
}

impl Trickle {
    fn new(body: Bytes, stream: Stream, faults: Arc<Faults>) -> Self {
        Self { rest: body, stream, pause: None, faults }
    }
}

impl HttpBody for Trickle {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some(pause) = this.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pause = None;
        }
        if this.rest.is_empty() {
            return Poll::Ready(None);
        }
        let piece = this.rest.split_to(this.stream.chunk_bytes.min(this.rest.len()));
        this.faults.streamed(piece.len());
        if this.stream.every_ms > 0 {
            this.pause = Some(Box::pin(tokio::time::sleep(Duration::from_millis(this.stream.every_ms))));
        }
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty()
    }
}

/// A body whose first frame is an error.
struct Abort;

impl HttpBody for Abort {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let error = std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "fault injection: connection dropped");
        Poll::Ready(Some(Err(error)))
    }

    fn is_end_stream(&self) -> bool {
        false
    }
}
