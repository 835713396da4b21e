//! The real binary on a real socket, started the way the widget's end-to-end
//! harness starts it: port 0, then the port read from the one stdout line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

mod binary;

use binary::{Running, listening_address, manifest};

/// Starts the binary on port 0 with a fresh database in `dir`, the test
/// region data and `flags`; stdout and stderr are piped for the test to read.
fn start(dir: &Path, flags: &[&str]) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_collector"))
        .args(["--bind", "127.0.0.1:0"])
        .args(flags)
        .arg("--dist")
        .arg(dir.join("dist"))
        .arg("--database")
        .arg(dir.join("data/votes.sqlite3"))
        .arg("--regions")
        .arg(manifest().join("tests/fixtures/regions"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    Running(child)
}

/// One HTTP/1.1 exchange; returns the status line's code and the body.
fn exchange(address: SocketAddr, request_head: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "{request_head}Host: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

#[test]
fn the_binary_serves_the_demo_batches_and_counts_a_vote_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let mut running = start(dir.path(), &[]);

    let mut line = String::new();
    BufReader::new(running.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address: SocketAddr = line
        .trim()
        .strip_prefix("collector listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();

    let (status, body) = exchange(address, "GET /api/v1/batches/current HTTP/1.1\r\n", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"id\":\"2018-3-social-medical\""), "{body}");

    let vote = std::fs::read_to_string(manifest().join("../docs/examples/vote.json")).unwrap();
    let head = "POST /api/v1/votes HTTP/1.1\r\nContent-Type: application/json\r\n\
                Idempotency-Key: 3b241101-e2bb-4255-8caf-4136c566a962\r\n";
    let (status, body) = exchange(address, head, &vote);
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("\"receipt\":"), "{body}");
    assert!(dir.path().join("data/votes.sqlite3").exists());
}

/// The JSON string at `key` of a JSON body.
fn string_at(body: &str, key: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    value[key].as_str().unwrap_or_else(|| panic!("no {key} in {body}")).to_owned()
}

#[test]
fn with_development_sms_a_citizen_verifies_from_the_log_and_votes_under_their_real_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut running = start(dir.path(), &["--dev-sms"]);
    let stderr = running.0.stderr.take().unwrap();
    let (lines, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let address = listening_address(&mut running.0);
    assert!(dir.path().join("data/secret.key").exists(), "the secret is made beside the database");

    let request = std::fs::read_to_string(manifest().join("../docs/examples/verification-request.json")).unwrap();
    let head = "POST /api/v1/verifications HTTP/1.1\r\nContent-Type: application/json\r\n";
    let (status, body) = exchange(address, head, &request);
    assert_eq!(status, 201, "{body}");
    let verification_id = string_at(&body, "verification_id");

    let mut logged = Vec::new();
    let code = loop {
        let line = log.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("no code in {logged:#?}"));
        let marker = format!("DEVELOPMENT SMS (no message was sent): verification {verification_id} code ");
        if let Some((_, code)) = line.split_once(&marker) {
            break code.trim().to_owned();
        }
        logged.push(line);
    };

    let head =
        format!("POST /api/v1/verifications/{verification_id}/confirm HTTP/1.1\r\nContent-Type: application/json\r\n");
    let (status, body) = exchange(address, &head, &format!("{{\"code\":\"{code}\"}}"));
    assert_eq!(status, 200, "{body}");
    let token = string_at(&body, "token");

    let mut vote: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest().join("../docs/examples/vote.json")).unwrap()).unwrap();
    vote["verification_token"] = serde_json::Value::String(token.clone());
    let head = "POST /api/v1/votes HTTP/1.1\r\nContent-Type: application/json\r\n\
                Idempotency-Key: 3b241101-e2bb-4255-8caf-4136c566a962\r\n";
    let (status, body) = exchange(address, head, &vote.to_string());
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("\"real_name\":true"), "{body}");

    drop(running);
    logged.extend(log.iter());
    let log = logged.join("\n");
    assert!(log.contains("DEVELOPMENT SMS is on"), "the start-up warns:\n{log}");
    for secret in ["张三", "11010519491231002X", "13800138000", token.as_str()] {
        assert!(!log.contains(secret), "{secret:?} is in the log:\n{log}");
    }
}

#[test]
fn with_fault_injection_a_dropped_vote_gets_no_byte_back_yet_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut running = start(dir.path(), &["--fault-injection"]);
    let mut stderr = BufReader::new(running.0.stderr.take().unwrap());
    let address = listening_address(&mut running.0);

    let faults = r#"{"votes": [{"drop": "after_storing"}]}"#;
    let (status, body) = exchange(address, "POST /__faults HTTP/1.1\r\nContent-Type: application/json\r\n", faults);
    assert_eq!(status, 200, "{body}");

    let vote = std::fs::read_to_string(manifest().join("../docs/examples/vote.json")).unwrap();
    let head = "POST /api/v1/votes HTTP/1.1\r\nContent-Type: application/json\r\n\
                Idempotency-Key: 3b241101-e2bb-4255-8caf-4136c566a962\r\n";
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{head}Host: {address}\r\nContent-Length: {}\r\n\r\n{vote}", vote.len()).unwrap();
    let mut answer = Vec::new();
    // Closed (end of stream) or reset: either way, not one byte of an answer.
    let _ = stream.read_to_end(&mut answer);
    assert_eq!(String::from_utf8_lossy(&answer), "", "nothing is sent on a dropped connection");

    let (status, body) = exchange(address, head, &vote);
    assert_eq!(status, 200, "the retry finds the vote stored: {body}");
    let (_, counters) = exchange(address, "GET /__faults HTTP/1.1\r\n", "");
    assert!(counters.contains(r#""received":2"#), "{counters}");

    drop(running);
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    assert!(log.contains("FAULT INJECTION IS ON"), "the start-up warns:\n{log}");
}
