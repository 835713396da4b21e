//! The organiser's commands as the organiser runs them: the real binary's
//! `publish-follow-up` and `export-tallies`, on the database of a
//! collector that is serving.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod binary;

use binary::{Running, listening_address, manifest};

fn example(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(manifest().join("../docs/examples").join(name)).unwrap()).unwrap()
}

/// The closed and open examples, follow-up taken out, as a batches file in `dir`.
fn write_batches(dir: &Path) {
    let mut closed = example("batch-closed.json");
    closed.as_object_mut().unwrap().remove("follow_up");
    for option in closed["options"].as_array_mut().unwrap() {
        option.as_object_mut().unwrap().remove("follow_up");
    }
    let batches = json!({ "batches": [closed, example("batch-open.json")] });
    std::fs::write(dir.join("batches.json"), batches.to_string()).unwrap();
}

/// The flags naming the database, batches and regions in `dir`.
fn flags(dir: &Path) -> Vec<String> {
    let path = |p: &Path| p.to_str().unwrap().to_owned();
    vec![
        "--database".into(),
        path(&dir.join("votes.sqlite3")),
        "--batches".into(),
        path(&dir.join("batches.json")),
        "--regions".into(),
        path(&manifest().join("tests/fixtures/regions")),
    ]
}

fn collector(subcommand: &str, dir: &Path, more: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_collector")).arg(subcommand).args(flags(dir)).args(more).output().unwrap()
}

fn serve(dir: &Path) -> (Running, SocketAddr) {
    let child = Command::new(env!("CARGO_BIN_EXE_collector"))
        .args(["--bind", "127.0.0.1:0", "--dist"])
        .arg(dir.join("dist"))
        .args(flags(dir))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let address = listening_address(&mut running.0);
    (running, address)
}

/// One HTTP/1.1 exchange; the status and the body.
fn request(address: SocketAddr, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    (status, response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default())
}

fn get_json(address: SocketAddr, path: &str) -> Value {
    let (status, body) = request(address, "GET", path, "", "");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn follow_up_published_with_the_command_shows_on_the_running_collector() {
    let dir = tempfile::tempdir().unwrap();
    write_batches(dir.path());
    let (_running, address) = serve(dir.path());
    let closed = "/api/v1/batches/2018-1-education-identity";
    assert!(get_json(address, closed).get("follow_up").is_none());

    let example = example("batch-closed.json");
    let options: serde_json::Map<String, Value> = example["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["id"].as_str().unwrap().to_owned(), o["follow_up"].clone()))
        .collect();
    let file = json!({ "batches": [{ "id": example["id"], "follow_up": example["follow_up"], "options": options }] });
    std::fs::write(dir.path().join("follow-up.json"), file.to_string()).unwrap();
    let published = collector("publish-follow-up", dir.path(), &[dir.path().join("follow-up.json").to_str().unwrap()]);
    let said = String::from_utf8_lossy(&published.stderr);
    assert!(published.status.success(), "{said}");
    assert!(said.contains("published the follow-up of 1 batch(es)") && said.contains("2018-1-education-identity"), "{said}");

    let deadline = Instant::now() + collector::follow_up_cache::TTL + Duration::from_secs(3);
    while get_json(address, closed) != example {
        assert!(Instant::now() < deadline, "the collector still serves {}", get_json(address, closed));
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_follow_up_file_naming_an_unknown_option_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    write_batches(dir.path());
    let day = "2018-06-22T00:00:00+08:00";
    let file = json!({ "batches": [
        { "id": "2018-3-social-medical", "options": { "clinic-card": { "status": "collecting", "updated_at": day } } },
        { "id": "2018-1-education-identity", "options": { "no-such-option": { "status": "sent", "updated_at": day } } },
    ]});
    std::fs::write(dir.path().join("follow-up.json"), file.to_string()).unwrap();
    let refused = collector("publish-follow-up", dir.path(), &[dir.path().join("follow-up.json").to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(said.contains("refused whole, nothing was published"), "{said}");
    assert!(said.contains("batch \"2018-1-education-identity\": has no option \"no-such-option\""), "{said}");
    let (_running, address) = serve(dir.path());
    let open = get_json(address, "/api/v1/batches/2018-3-social-medical");
    assert!(open["options"][0].get("follow_up").is_none(), "the sound batch was not published either: {open}");
}

#[test]
fn tallies_export_as_csv_for_excel_with_every_province_and_every_city() {
    let dir = tempfile::tempdir().unwrap();
    write_batches(dir.path());
    {
        let (_running, address) = serve(dir.path());
        for (n, (province, city, county)) in
            [("130000", "130100", "130102"), ("130000", "130100", "130102"), ("110000", "110100", "110101")].iter().enumerate()
        {
            let mut vote = example("vote.json");
            let id = format!("00000000-0000-4000-8000-{n:012}");
            vote["vote_id"] = json!(id);
            vote["location"] = json!({ "province": province, "city": city, "county": county });
            let headers = format!("Content-Type: application/json\r\nIdempotency-Key: {id}\r\n");
            let (status, body) = request(address, "POST", "/api/v1/votes", &headers, &vote.to_string());
            assert_eq!(status, 201, "{body}");
        }
    }
    let out = dir.path().join("provinces.csv");
    let exported = collector("export-tallies", dir.path(), &["--batch", "2018-3-social-medical", "--out", out.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let csv = std::fs::read_to_string(&out).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("a byte order mark first, for Excel");
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(rows[0].starts_with("地区代码 code,地区名称 region,总票数 total,实名票数 real-name,clinic-card 到每个不同的医院"), "{}", rows[0]);
    assert_eq!(rows[0].split(',').count(), 4 + 15, "a column per option");
    // The example vote chose repeat-tests and clinic-card.
    assert!(rows[1].starts_with(",全国,3,0,3,3,0"), "{}", rows[1]);
    assert!(rows[2].starts_with("110000,北京市,1,0,1,1,0"), "{}", rows[2]);
    assert!(rows[3].starts_with("130000,河北省,2,0,2,2,0"), "{}", rows[3]);
    assert!(rows[4].starts_with("460000,海南省,0,0,0,0,0"), "a province without votes is listed too: {}", rows[4]);
    assert_eq!(rows[5], "", "every row ends in CRLF");

    let cities = collector("export-tallies", dir.path(), &["--batch", "2018-3-social-medical", "--level", "city", "--province", "130000"]);
    assert!(cities.status.success(), "{}", String::from_utf8_lossy(&cities.stderr));
    let csv = String::from_utf8(cities.stdout).unwrap();
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert!(rows[1].starts_with("130000,河北省,2,0"), "the province first: {}", rows[1]);
    assert!(rows[2].starts_with("130100,石家庄市,2,0"), "{}", rows[2]);
    assert!(rows.len() > 4, "every city of Hebei in the region data, voted in or not");

    let unknown = collector("export-tallies", dir.path(), &["--batch", "no-such-batch"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("there is no batch \"no-such-batch\""));
}
