//! A fresh collector per test: its own temporary database and batches file,
//! the small region fixture, and the protocol's JSON examples as inputs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

use collector::clock::Clock;
use collector::config::DatabaseLocation;
use collector::sms::{CodeMessage, SendFuture, SmsSender};
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

/// `batch-open.json` with an English translation: "Batch 3", every option "EN".
pub fn translated_open_batch() -> Value {
    let mut batch = open_batch();
    let options: serde_json::Map<_, _> =
        batch["options"].as_array().unwrap().iter().map(|o| (o["id"].as_str().unwrap().into(), json!("EN"))).collect();
    batch["translations"] = json!({ "en": {
        "title": "Batch 3", "description": "Choose up to 3.", "privacy_notice": "We keep a digest only.",
        "options": options,
        "groups": { "看病就医": "Seeing a doctor", "医保结算与报销": "Insurance", "社保与养老": "Pensions", "生老病死一件事": "Life events" },
    }});
    batch
}

/// `batch-closed.json`, closed on 2018-05-08, as a batches file holds it:
/// without its follow-up, which is published into the database.
pub fn closed_batch() -> Value {
    let mut batch = example("batch-closed.json");
    batch.as_object_mut().unwrap().remove("follow_up");
    for option in batch["options"].as_array_mut().unwrap() {
        option.as_object_mut().unwrap().remove("follow_up");
    }
    batch
}

/// The follow-up of `batch-closed.json`, as a follow-up file gives it.
pub fn closed_follow_up() -> Value {
    let example = example("batch-closed.json");
    let options: serde_json::Map<String, Value> = example["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o.get("follow_up").is_some())
        .map(|o| (o["id"].as_str().unwrap().to_owned(), o["follow_up"].clone()))
        .collect();
    json!({ "batches": [{ "id": example["id"], "follow_up": example["follow_up"], "options": options }] })
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

/// The `n`th of many distinct vote ids (UUID v4).
pub fn nth_vote_id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// The example vote under another id, for tests that count several votes.
pub fn vote_with_id(vote_id: &str) -> Value {
    let mut vote = vote();
    vote["vote_id"] = json!(vote_id);
    vote
}

pub struct TestApp {
    pub router: Router,
    /// What the router serves from: the store, the catalog.
    pub state: AppState,
    /// The SQLite file, when the collector is on SQLite.
    pub database: PathBuf,
    pub dir: TempDir,
}

/// The config of a test collector: `batches` written to a file in `dir`,
/// the secret beside it, the small region fixture.
pub fn test_config(database: DatabaseLocation, batches: Vec<Value>, dir: &TempDir) -> Config {
    let batches_file = dir.path().join("batches.json");
    std::fs::write(&batches_file, json!({ "batches": batches }).to_string()).unwrap();
    let secret_file = dir.path().join("secret.key");
    if matches!(database, DatabaseLocation::Postgres(_)) && !secret_file.exists() {
        // Collectors on PostgreSQL never make their own secret.
        std::fs::write(&secret_file, [0x5e; 32]).unwrap();
    }
    Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        database,
        db_pool: 8,
        batches: batches_file,
        dist: dir.path().join("dist"),
        regions: manifest_dir().join("tests/fixtures/regions"),
        cors_origins: vec![ALLOWED_ORIGIN.to_owned()],
        secret_file,
        dev_sms: false,
        client_address_header: None,
        codes_per_address: 20,
        region_min_votes: 10,
        fault_injection: false,
    }
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
        Self::build(batches, dir, |state| state)
    }

    /// A collector serving these batches with fault injection on, as
    /// `--fault-injection` starts it.
    pub fn with_fault_injection(batches: Vec<Value>) -> Self {
        Self::build(batches, tempfile::tempdir().unwrap(), |state| AppState { faults: Some(Arc::default()), ..state })
    }

    /// A collector whose state `configure` may change first: an SMS sender,
    /// a clock.
    pub fn build(batches: Vec<Value>, dir: TempDir, configure: impl FnOnce(AppState) -> AppState) -> Self {
        let database = DatabaseLocation::Sqlite(dir.path().join("votes.sqlite3"));
        Self::build_on(database, batches, dir, configure)
    }

    /// A collector on `database` (a SQLite file or a PostgreSQL URL), with
    /// its batches file and secret in `dir`.
    pub fn build_on(
        database: DatabaseLocation,
        batches: Vec<Value>,
        dir: TempDir,
        configure: impl FnOnce(AppState) -> AppState,
    ) -> Self {
        let config = test_config(database, batches, &dir);
        let state = configure(AppState::open(&config).unwrap_or_else(|e| panic!("{e}")));
        Self { router: app(state.clone()), state, database: dir.path().join("votes.sqlite3"), dir }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        reply_of(self.router.clone(), request).await
    }

    /// Rows in the votes table, read through a connection of the test's own.
    pub fn stored_votes(&self) -> i64 {
        let db = rusqlite::Connection::open(&self.database).unwrap();
        db.query_row("SELECT COUNT(*) FROM votes", [], |row| row.get(0)).unwrap()
    }

    /// Publishes a follow-up file (`{"batches": [...]}`) as
    /// `collector publish-follow-up` does: checked against the batches
    /// served, stored in the database.
    pub async fn publish_follow_up(&self, file: &Value) {
        let published = collector::follow_ups::check_file(&file.to_string(), &self.state.catalog)
            .unwrap_or_else(|e| panic!("{e}"));
        let documents = published.iter().map(collector::follow_ups::Published::document).collect();
        self.state.store.publish_follow_ups(documents, collector::clock::now()).await.unwrap();
    }

    /// `GET path` with `Accept-Language: language`.
    pub async fn get_in(&self, path: &str, language: &str) -> Reply {
        self.send(Request::get(path).header(header::ACCEPT_LANGUAGE, language).body(Body::empty()).unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// Posts `body` as JSON to `path`.
    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(json_request(path, body)).await
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

/// `POST path` with a JSON body.
pub fn json_request(path: &str, body: &Value) -> Request<Body> {
    Request::post(path).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap()
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

/// Captures every code a collector sends, in place of an SMS gateway.
#[derive(Clone, Default)]
pub struct CapturedSms(Arc<Mutex<Vec<CodeMessage>>>);

impl SmsSender for CapturedSms {
    fn send<'a>(&'a self, message: &'a CodeMessage) -> SendFuture<'a> {
        self.0.lock().unwrap().push(message.clone());
        Box::pin(std::future::ready(Ok(())))
    }
}

impl CapturedSms {
    pub fn sent(&self) -> Vec<CodeMessage> {
        self.0.lock().unwrap().clone()
    }

    pub fn last(&self) -> CodeMessage {
        self.sent().pop().expect("no code was sent")
    }
}

/// A collector that verifies real names: codes go to `sms`, time comes from
/// `clock`, which stands still until a test moves it.
pub struct RealNameApp {
    pub app: TestApp,
    pub sms: CapturedSms,
    pub clock: Clock,
}

/// The protocol's example: 张三, 11010519491231002X, 13800138000, in the open batch.
pub fn verification_request() -> Value {
    example("verification-request.json")
}

impl RealNameApp {
    pub fn new(batches: Vec<Value>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::on(DatabaseLocation::Sqlite(dir.path().join("votes.sqlite3")), batches, dir)
    }

    /// A collector on `database`, with its own captured SMS and clock.
    pub fn on(database: DatabaseLocation, batches: Vec<Value>, dir: TempDir) -> Self {
        let sms = CapturedSms::default();
        let clock = Clock::manual(collector::clock::now());
        let (sender, time) = (sms.clone(), clock.clone());
        let app = TestApp::build_on(database, batches, dir, move |state| {
            state.with_sms(Arc::new(sender)).with_clock(time)
        });
        Self { app, sms, clock }
    }

    pub async fn request(&self, body: &Value) -> Reply {
        self.app.post_json("/api/v1/verifications", body).await
    }

    pub async fn confirm(&self, verification_id: &str, code: &str) -> Reply {
        let path = format!("/api/v1/verifications/{verification_id}/confirm");
        self.app.post_json(&path, &json!({ "code": code })).await
    }

    /// Verifies `request` from start to end and returns the token.
    pub async fn token_for(&self, request: &Value) -> String {
        let created = self.request(request).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let message = self.sms.last();
        let verified = self.confirm(&message.verification_id, &message.code).await;
        assert_eq!(verified.status, 200, "{}", verified.text);
        verified.json()["token"].as_str().unwrap().to_owned()
    }

    /// The example vote under `vote_id`, carrying `token`.
    pub async fn vote_with_token(&self, vote_id: &str, token: &str) -> Reply {
        let mut vote = vote_with_id(vote_id);
        vote["verification_token"] = json!(token);
        self.app.post_vote(&vote).await
    }
}

/// Applies the first two migrations the way the collector of issue 1 did
/// and stores votes with its SQL, as a demo database of that time holds them.
pub fn old_database(path: &std::path::Path) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.pragma_update(None, "journal_mode", "WAL").unwrap();
    for (version, sql) in [
        include_str!("../../migrations/sqlite/0001_votes.sql"),
        include_str!("../../migrations/sqlite/0002_real_name_key.sql"),
    ]
    .iter()
    .enumerate()
    {
        db.execute_batch(sql).unwrap();
        db.pragma_update(None, "user_version", version as i64 + 1).unwrap();
    }
    let votes = [
        ("a", "130000", Some("130100"), 1, &["clinic-card", "repeat-tests"][..]),
        ("b", "130000", Some("130200"), 0, &["clinic-card"][..]),
        ("c", "110000", None, 0, &["death-affairs"][..]),
    ];
    for (id, province, city, real_name, choices) in votes {
        db.execute(
            "INSERT INTO votes (vote_id, batch_id, body_hash, receipt, real_name, province, city, locale,
                                widget_version, counted_at)
             VALUES (?1, '2018-3-social-medical', x'00', ?2, ?3, ?4, ?5, 'zh-CN', '0.1.0', 1531102425)",
            rusqlite::params![id, format!("RCPT-{id}"), real_name, province, city],
        )
        .unwrap();
        for (position, option) in choices.iter().enumerate() {
            db.execute(
                "INSERT INTO vote_choices (vote_id, option_id, position) VALUES (?1, ?2, ?3)",
                rusqlite::params![id, option, position as i64],
            )
            .unwrap();
        }
    }
}
