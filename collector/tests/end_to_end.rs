//! The real binary on a real socket, started the way the widget's end-to-end
//! harness starts it: port 0, then the port read from the one stdout line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Kills the collector however the test ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let child = Command::new(env!("CARGO_BIN_EXE_collector"))
        .args(["--bind", "127.0.0.1:0", "--dist"])
        .arg(dir.path().join("dist"))
        .arg("--database")
        .arg(dir.path().join("data/votes.sqlite3"))
        .arg("--regions")
        .arg(manifest.join("tests/fixtures/regions"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut running = Running(child);

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

    let vote = std::fs::read_to_string(manifest.join("../docs/examples/vote.json")).unwrap();
    let head = "POST /api/v1/votes HTTP/1.1\r\nContent-Type: application/json\r\n\
                Idempotency-Key: 3b241101-e2bb-4255-8caf-4136c566a962\r\n";
    let (status, body) = exchange(address, head, &vote);
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("\"receipt\":"), "{body}");
    assert!(dir.path().join("data/votes.sqlite3").exists());
}
