//! A fresh collector per test: its own temporary database and batches file,
//! the small region fixture, and the protocol's JSON examples as inputs.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

use collector::{AppState, Config, app};

/// The origin the test collectors allow, as a portal embedding the widget.
pub const ALLOWED_ORIGIN: &str = "https://www.gov.cn";

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of `docs/examples/`, the protocol's own examples.
pub fn example(name: &str) -> Value {
    let path = manifest_dir().join("../docs/examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// `batch-open.json`, open since 2018 with no closing date.
pub fn open_batch() -> Value {
    example("batch-open.json")
}

/// `batch-closed.json`, closed on 2018-05-08.
pub fn closed_batch() -> Value {
    example("batch-closed.json")
}

/// `batch-upcoming.json` moved far enough ahead to stay upcoming.
pub fn upcoming_batch() -> Value {
    let mut batch = example("batch-upcoming.json");
    batch["opens_at"] = json!("2999-01-01T00:00:00+08:00");
    batch
}

pub fn vote() -> Value {
    example("vote.json")
}

/// The example vote under another id, for tests that count several votes.
pub fn vote_with_id(vote_id: &str) -> Value {
    let mut vote = vote();
    vote["vote_id"] = json!(vote_id);
    vote
}

pub struct TestApp {
    pub router: Router,
    pub database: PathBuf,
    pub dir: TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// Asserts an RFC 9457 problem with this status and returns its body.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert_eq!(self.header("content-type"), Some("application/problem+json"));
        let body = self.json();
        assert_eq!(body["status"], status);
        assert!(body["type"].is_string() && body["title"].is_string(), "{body}");
        body
    }

    /// The `(field, code)` pairs of a 422 problem.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        let body = self.problem(422);
        let errors = body["errors"].as_array().unwrap_or_else(|| panic!("no errors in {body}"));
        errors.iter().map(|e| (e["field"].as_str().unwrap().into(), e["code"].as_str().unwrap().into())).collect()
    }
}

impl TestApp {
    /// A collector serving these batches.
    pub fn new(batches: Vec<Value>) -> Self {
        Self::with_database(batches, tempfile::tempdir().unwrap())
    }

    /// A collector serving these batches from the database in `dir`, so a
    /// test can restart the collector with other batches on the same votes.
    pub fn with_database(batches: Vec<Value>, dir: TempDir) -> Self {
        let batches_file = dir.path().join("batches.json");
        std::fs::write(&batches_file, json!({ "batches": batches }).to_string()).unwrap();
        let config = Config {
            bind: "127.0.0.1:0".parse().unwrap(),
            database: dir.path().join("votes.sqlite3"),
            batches: batches_file,
            dist: dir.path().join("dist"),
            regions: manifest_dir().join("tests/fixtures/regions"),
            cors_origins: vec![ALLOWED_ORIGIN.to_owned()],
        };
        let state = AppState::open(&config).unwrap_or_else(|e| panic!("{e}"));
        Self { router: app(state), database: config.database, dir }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        reply_of(self.router.clone(), request).await
    }

    /// Rows in the votes table, read through a connection of the test's own.
    pub fn stored_votes(&self) -> i64 {
        let db = rusqlite::Connection::open(&self.database).unwrap();
        db.query_row("SELECT COUNT(*) FROM votes", [], |row| row.get(0)).unwrap()
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// Posts `body` as JSON with `Idempotency-Key` set to its `vote_id`.
    pub async fn post_vote(&self, vote: &Value) -> Reply {
        let key = vote["vote_id"].as_str().unwrap_or_default();
        self.send(vote_request(key, vote.to_string())).await
    }
}

/// What `router` answers to one request, body read in full.
pub async fn reply_of(router: Router, request: Request<Body>) -> Reply {
    let response = router.oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, text: String::from_utf8(bytes.to_vec()).unwrap() }
}

/// `POST /api/v1/votes` with a JSON body and an `Idempotency-Key`.
pub fn vote_request(key: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri("/api/v1/votes")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
        .body(body.into())
        .unwrap()
}
