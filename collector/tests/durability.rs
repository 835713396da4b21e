//! The real binary under load, killed: with `kill -9` in the middle of a
//! stream of votes, every vote that was answered 201 is stored after a
//! restart (its retry gets the same receipt back), on SQLite and on
//! PostgreSQL; with SIGTERM the votes in flight are answered before the
//! process ends. The PostgreSQL case skips without `DATABASE_URL`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod binary;
#[allow(dead_code, reason = "shared with tests/postgres, of which this test needs a part")]
#[path = "postgres/database.rs"]
mod database;

use binary::{Running, listening_address, manifest};

/// Clients sending votes at once.
const CLIENTS: usize = 16;

/// How long the votes flow before the kill.
const LOAD: Duration = Duration::from_millis(2500);

/// Starts the binary on port 0 with `database` and returns it with its address.
fn start(dir: &Path, database: &str, flags: &[&str]) -> (Running, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_collector"))
        .args(["--bind", "127.0.0.1:0", "--database", database])
        .arg("--secret-file")
        .arg(dir.join("secret.key"))
        .arg("--regions")
        .arg(manifest().join("tests/fixtures/regions"))
        .arg("--dist")
        .arg(dir.join("dist"))
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = listening_address(&mut child);
    (Running(child), address)
}

/// One HTTP/1.1 exchange; `None` when the connection fails or breaks.
fn exchange(address: SocketAddr, head: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    write!(stream, "{head}Host: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    Some((status, response.split_once("\r\n\r\n")?.1.to_owned()))
}

fn vote_body(vote_id: &str) -> String {
    let mut vote: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest().join("../docs/examples/vote.json")).unwrap()).unwrap();
    vote["vote_id"] = serde_json::Value::String(vote_id.to_owned());
    vote.to_string()
}

fn post_vote(address: SocketAddr, vote_id: &str) -> Option<(u16, String)> {
    let head = format!(
        "POST /api/v1/votes HTTP/1.1\r\nContent-Type: application/json\r\nIdempotency-Key: {vote_id}\r\n"
    );
    exchange(address, &head, &vote_body(vote_id))
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Votes from [`CLIENTS`] clients until the collector is killed with
/// SIGKILL after [`LOAD`]; restarts it and checks that each vote answered
/// 201 is stored with its receipt. Returns how many were acknowledged.
fn acknowledged_votes_survive_kill_9(dir: &Path, database: &str) -> usize {
    let (mut running, address) = start(dir, database, &[]);
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let killed = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (acknowledged, killed) = (Arc::clone(&acknowledged), Arc::clone(&killed));
            std::thread::spawn(move || {
                for n in 0_u64.. {
                    if killed.load(Ordering::SeqCst) {
                        break;
                    }
                    let vote_id = format!("{client:08x}-0000-4000-8000-{n:012x}");
                    match post_vote(address, &vote_id) {
                        Some((201, body)) => {
                            let receipt = json(&body)["receipt"].as_str().unwrap().to_owned();
                            acknowledged.lock().unwrap().push((vote_id, receipt));
                        }
                        Some((status, body)) => panic!("{status}: {body}"),
                        // Killed mid-request: no answer, so nothing was promised.
                        None => {}
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(LOAD);
    running.0.kill().unwrap(); // SIGKILL: no chance to flush or finish anything
    running.0.wait().unwrap();
    killed.store(true, Ordering::SeqCst);
    for client in clients {
        client.join().unwrap();
    }

    let (_running, address) = start(dir, database, &[]);
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 100, "only {} votes were acknowledged under load", acknowledged.len());
    for (vote_id, receipt) in &acknowledged {
        let (status, body) = post_vote(address, vote_id).expect("the restarted collector answers");
        assert_eq!(status, 200, "acknowledged vote {vote_id} was lost: {body}");
        assert_eq!(json(&body)["receipt"].as_str(), Some(receipt.as_str()), "{vote_id}");
    }
    let (_, results) = exchange(address, "GET /api/v1/batches/2018-3-social-medical/results HTTP/1.1\r\n", "").unwrap();
    let total = json(&results)["total"].as_u64().unwrap() as usize;
    // Votes stored whose answer the kill cut off are counted too, and only once.
    assert!(total >= acknowledged.len() && total <= acknowledged.len() + CLIENTS, "{total} stored");
    acknowledged.len()
}

#[test]
fn every_acknowledged_vote_survives_kill_9_under_load_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("votes.sqlite3");
    let acknowledged = acknowledged_votes_survive_kill_9(dir.path(), database.to_str().unwrap());
    eprintln!("sqlite: {acknowledged} acknowledged votes, all stored after kill -9");
}

#[test]
fn every_acknowledged_vote_survives_kill_9_under_load_on_postgresql() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let Some(schema) = runtime.block_on(database::Schema::create("every_acknowledged_vote_survives_kill_9_on_postgresql"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.key"), [0x5e; 32]).unwrap();
    let acknowledged = acknowledged_votes_survive_kill_9(dir.path(), &schema.url);
    eprintln!("postgresql: {acknowledged} acknowledged votes, all stored after kill -9");
}

#[test]
fn sigterm_answers_the_votes_in_flight_before_the_process_ends() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("votes.sqlite3");
    let (mut running, address) = start(dir.path(), database.to_str().unwrap(), &["--fault-injection"]);
    let faults = r#"{"votes": [{"delay_ms": 1500}]}"#;
    let (status, body) =
        exchange(address, "POST /__faults HTTP/1.1\r\nContent-Type: application/json\r\n", faults).unwrap();
    assert_eq!(status, 200, "{body}");

    let in_flight = std::thread::spawn(move || post_vote(address, "3b241101-e2bb-4255-8caf-4136c566a962"));
    std::thread::sleep(Duration::from_millis(500));
    let terminated = Command::new("kill").arg("-TERM").arg(running.0.id().to_string()).status().unwrap();
    assert!(terminated.success());
    std::thread::sleep(Duration::from_millis(200));
    assert!(TcpStream::connect(address).is_err(), "no new connection is taken after SIGTERM");

    let (status, body) = in_flight.join().unwrap().expect("the vote in flight is answered");
    assert_eq!(status, 201, "{body}");
    let exit = running.0.wait().unwrap();
    assert!(exit.success(), "the collector ends cleanly: {exit}");
}
