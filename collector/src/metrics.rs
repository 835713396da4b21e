//! `GET /metrics` in the Prometheus text format: votes by outcome, request
//! latency per route, the writer's queue, group sizes and commit times, and
//! the database connections in use. Nothing here names a citizen: labels
//! are route templates, methods, statuses and outcomes.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::prometheus_text::{CONTENT_TYPE, encode};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::error::Error;
use crate::state::AppState;
use crate::store::Outcome;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// The collector's metrics; cheap to update from any task.
pub struct Metrics {
    registry: Registry,
    votes: Family<OutcomeLabel, Counter>,
    requests: Histograms<RequestLabels>,
    queue_depth: Gauge,
    group_size: Histogram,
    commit_seconds: Histogram,
    connections: Family<StateLabel, Gauge>,
}

/// Request latencies from 0.5 ms to about 16 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("bsv");
        let votes = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "votes",
            "Votes received, by outcome: counted (201), replayed (200), key_reused and invalid (422), \
             already_voted (409), refused (other 4xx), unavailable (503), failed (500)",
            votes.clone(),
        );
        let requests: Histograms<RequestLabels> = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its answer, per method, route template and status",
            requests.clone(),
        );
        let queue_depth = Gauge::default();
        registry.register(
            "writer_queue_depth",
            "Votes handed to the writer and not yet answered",
            queue_depth.clone(),
        );
        let group_size = Histogram::new(exponential_buckets(1.0, 2.0, 11));
        registry.register("writer_group_size", "Votes written per transaction", group_size.clone());
        let commit_seconds = latency_histogram();
        registry.register(
            "writer_commit_seconds",
            "Time to write and commit one group of votes",
            commit_seconds.clone(),
        );
        let connections = Family::<StateLabel, Gauge>::default();
        registry.register(
            "db_connections",
            "Database connections of this collector: in_use, idle, and the pool's max",
            connections.clone(),
        );
        Self { registry, votes, requests, queue_depth, group_size, commit_seconds, connections }
    }
}

impl Metrics {
    /// Counts one answer to `POST /votes`.
    pub fn vote(&self, answer: &Result<Outcome, Error>) {
        let outcome = match answer {
            Ok(Outcome::Counted(_)) => "counted",
            Ok(Outcome::Replayed(_)) => "replayed",
            Ok(Outcome::KeyReused) => "key_reused",
            Ok(Outcome::AlreadyVoted) => "already_voted",
            Err(Error::InvalidVote(_) | Error::NotAVote) => "invalid",
            Err(Error::Unavailable { .. }) => "unavailable",
            Err(Error::Internal(_)) => "failed",
            Err(_) => "refused",
        };
        self.votes.get_or_create(&OutcomeLabel { outcome }).inc();
    }

    pub fn queued(&self) {
        self.queue_depth.inc();
    }

    pub fn answered(&self, votes: usize) {
        self.queue_depth.dec_by(i64::try_from(votes).unwrap_or(i64::MAX));
    }

    /// Records the size of a group about to be written.
    pub fn group_started(&self, votes: usize) {
        self.group_size.observe(votes as f64);
    }

    /// Records how long writing a group took, committed or not.
    pub fn group_committed(&self, started: Instant) {
        self.commit_seconds.observe(started.elapsed().as_secs_f64());
    }

    /// The text Prometheus scrapes, with the pool's use read now.
    fn render(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        let pool = state.store.pool_use();
        for (label, value) in [("in_use", pool.in_use), ("idle", pool.idle), ("max", pool.max)] {
            self.connections.get_or_create(&StateLabel { state: label }).set(i64::try_from(value).unwrap_or(i64::MAX));
        }
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// `GET /metrics`.
pub async fn serve(State(state): State<Arc<AppState>>) -> Result<Response, Error> {
    let text = state.metrics.render(&state).map_err(Error::internal)?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))], text).into_response())
}

/// Times every request of the router it wraps, by route template.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let response = next.run(request).await;
    let labels = RequestLabels { method, route, status: response.status().as_u16() };
    metrics.requests.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
    response
}
