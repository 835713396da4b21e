//! The reference collector, started in-process on a real socket (127.0.0.1,
//! port 0) with a fresh SQLite database, development SMS and CORS for
//! [`ORIGIN`], optionally behind a layer that breaks one rule on purpose.
//!
//! It is built only through `collector::Config::parse`, `AppState::open` and
//! `collector::app`, so the collector's insides may change freely. Its
//! development SMS codes go to the log like the binary's; every collector of
//! the test binary writes to one log file, which the checker reads with
//! `--code-log` as a third party would read their own.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use collector::config::Command as CollectorCommand;
use collector::{AppState, Config, app};
use conformance::codes::CodeSource;
use conformance::{Options, Report};
use serde_json::{Value, json};
use tempfile::TempDir;

/// The page that embeds the widget in these tests.
pub const ORIGIN: &str = "https://www.portal.example";

pub fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// A file of `docs/examples/`, the protocol's own examples.
pub fn example(name: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join("docs/examples").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `batch-closed.json` split as a collector takes it: the batch for the
/// batches file, its follow-up as a follow-up file to publish.
pub fn closed_example() -> (Value, Value) {
    let mut batch = example("batch-closed.json");
    let summary = batch.as_object_mut().unwrap().remove("follow_up");
    let mut options = serde_json::Map::new();
    for option in batch["options"].as_array_mut().unwrap() {
        if let Some(follow_up) = option.as_object_mut().unwrap().remove("follow_up") {
            options.insert(option["id"].as_str().unwrap().to_owned(), follow_up);
        }
    }
    let follow_up = json!({ "batches": [{ "id": batch["id"], "follow_up": summary, "options": options }] });
    (batch, follow_up)
}

/// The log every in-process collector writes to, set up once.
pub fn code_log() -> &'static Path {
    static LOG: OnceLock<PathBuf> = OnceLock::new();
    LOG.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("conformance-tests-{}.log", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        tracing_subscriber::fmt().with_writer(Mutex::new(file)).with_ansi(false).init();
        path
    })
}

/// A running collector; stops when dropped.
pub struct Served {
    pub endpoint: String,
    runtime: Option<tokio::runtime::Runtime>,
    _dir: TempDir,
}

impl Served {
    /// The demo batches (`collector/batches/demo-2018.json`) with the
    /// demo's follow-up published, as `scripts/demo` serves them.
    pub fn demo() -> Self {
        let follow_up = std::fs::read_to_string(repo_root().join("collector/batches/demo-2018-follow-up.json")).unwrap();
        Self::with_follow_up(None, &serde_json::from_str(&follow_up).unwrap())
    }

    /// These batches, as they are.
    pub fn with_batches(batches: Vec<Value>) -> Self {
        Self::start(Some(batches), |router| router)
    }

    /// These batches, with `follow_up` (a follow-up file) published into
    /// the database as `collector publish-follow-up` publishes it.
    pub fn with_follow_up(batches: Option<Vec<Value>>, follow_up: &Value) -> Self {
        let demo = batches.is_none();
        let served = Self::start(batches, |router| router);
        let runtime = served.runtime.as_ref().unwrap();
        let file = served._dir.path().join("follow-up.json");
        std::fs::write(&file, follow_up.to_string()).unwrap();
        let file_arg = file.display().to_string();
        let batches = if demo {
            repo_root().join("collector/batches/demo-2018.json").display().to_string()
        } else {
            served._dir.path().join("batches.json").display().to_string()
        };
        let args = ["publish-follow-up", "--database", &served.database(), "--batches", &batches, &file_arg];
        let Ok(CollectorCommand::PublishFollowUp { config, .. }) = Config::parse(args.map(String::from), |_| None)
        else {
            panic!("publish-follow-up flags")
        };
        runtime.block_on(collector::organiser::publish_follow_up(&config, &file)).unwrap_or_else(|e| panic!("{e}"));
        served
    }

    /// The demo batches behind `breaking`, a layer that breaks one rule.
    pub fn broken(breaking: fn(Router) -> Router) -> Self {
        Self::start(None, breaking)
    }

    fn database(&self) -> String {
        self._dir.path().join("votes.sqlite3").display().to_string()
    }

    /// The demo batches served by a collector that `configure` changed
    /// first, behind `breaking`.
    pub fn configured(configure: fn(AppState) -> AppState, breaking: fn(Router) -> Router) -> Self {
        Self::start_with(None, configure, breaking)
    }

    pub fn start(batches: Option<Vec<Value>>, breaking: impl FnOnce(Router) -> Router) -> Self {
        Self::start_with(batches, |state| state, breaking)
    }

    fn start_with(
        batches: Option<Vec<Value>>,
        configure: impl FnOnce(AppState) -> AppState,
        breaking: impl FnOnce(Router) -> Router,
    ) -> Self {
        code_log();
        let dir = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = vec![
            "--database".into(),
            dir.path().join("votes.sqlite3").display().to_string(),
            "--dist".into(),
            dir.path().join("dist").display().to_string(),
            "--regions".into(),
            repo_root().join("collector/tests/fixtures/regions").display().to_string(),
            "--cors-origin".into(),
            ORIGIN.into(),
            "--dev-sms".into(),
        ];
        if let Some(batches) = batches {
            let file = dir.path().join("batches.json");
            std::fs::write(&file, json!({ "batches": batches }).to_string()).unwrap();
            args.extend(["--batches".into(), file.display().to_string()]);
        }
        let Ok(CollectorCommand::Run(config)) = Config::parse(args, |_| None) else { panic!("collector flags") };
        // The collector's writer and pool are tasks of the runtime it starts in.
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let state = {
            let _inside = runtime.enter();
            AppState::open(&config).unwrap_or_else(|e| panic!("{e}"))
        };
        let router = breaking(app(configure(state)));

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service).await.unwrap();
        });
        Self { endpoint: format!("http://{address}/api/v1"), runtime: Some(runtime), _dir: dir }
    }

    /// The options a third party would give: the page origin and the log.
    pub fn options(&self) -> Options {
        Options {
            endpoint: self.endpoint.clone(),
            origin: Some(ORIGIN.to_owned()),
            codes: Some(CodeSource::Log(code_log().to_path_buf())),
            place: vec!["110000".into(), "110100".into(), "110101".into()],
            yes: false,
            read_only: false,
            json: false,
            timeout: Duration::from_secs(10),
            wait: Duration::from_secs(2),
        }
    }

    /// Every check, votes cast.
    pub fn check(&self) -> Report {
        conformance::run(&self.options(), true)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Asserts that exactly `expected` failed; the table is the message.
#[track_caller]
pub fn assert_failed(report: &Report, expected: &[&str]) {
    assert_eq!(report.failed(), expected, "\n{}", report.table());
}

/// Asserts that `rule` passed.
#[track_caller]
pub fn assert_passed(report: &Report, rule: &str) {
    assert_eq!(report.outcome_of(rule), Some(conformance::Outcome::Pass), "{rule}\n{}", report.table());
}
