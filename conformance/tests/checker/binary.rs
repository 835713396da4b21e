//! The `conformance` binary as a third party runs it: exit status, table,
//! JSON, and the refusal to vote on another machine without `--yes`.

use std::process::{Command, Output, Stdio};

use serde_json::Value;

use super::layers;
use super::support::{ORIGIN, Served, code_log};

fn conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conformance")).args(args).stdin(Stdio::null()).output().unwrap()
}

fn checked(served: &Served, extra: &[&str]) -> Output {
    let log = code_log().display().to_string();
    let mut args = vec![served.endpoint.as_str(), "--origin", ORIGIN, "--code-log", &log, "--wait", "2"];
    args.extend(extra);
    conformance(&args)
}

#[test]
fn against_the_reference_it_exits_0_with_a_json_report_of_every_rule() {
    let output = checked(&Served::demo(), &["--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["fail"], 0);
    assert_eq!(report["rules"].as_array().unwrap().len(), conformance::rules::ALL.len());
    assert_eq!(report["protocol_version"], 1);
}

#[test]
fn a_failed_rule_exits_1_and_shows_the_request_and_the_answer() {
    let output = checked(&Served::broken(layers::replay_mints_a_new_receipt), &[]);
    let table = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{table}");
    let failed: Vec<&str> = table.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(failed.len(), 1, "{table}");
    assert!(failed[0].contains("votes.replay"), "{table}");
    assert!(table.contains("the same body again got another receipt: receipt \"NEW1-MINT\" where the first said"), "{table}");
    assert!(table.contains("request: POST http://127.0.0.1:"), "{table}");
    assert!(table.contains("idempotency-key: "), "{table}");
    assert!(table.contains("answer: 200"), "{table}");
    assert!(table.contains("NEW1-MINT"), "{table}");
}

#[test]
fn another_machine_without_yes_and_without_a_terminal_is_refused_before_any_request() {
    // 192.0.2.1 is TEST-NET-1: nothing answers there, so a request would hang.
    let output = conformance(&["http://192.0.2.1/api/v1"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--yes") && stderr.contains("--read-only"), "{stderr}");
}

#[test]
fn an_endpoint_that_cannot_be_reached_fails_once_and_leaves_the_rest_not_checked() {
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}/api/v1", unused.local_addr().unwrap());
    drop(unused);
    let output = conformance(&[&endpoint, "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let failed: Vec<&Value> = report["rules"].as_array().unwrap().iter().filter(|r| r["outcome"] == "fail").collect();
    assert_eq!(failed.len(), 1, "{report:#}");
    assert_eq!(failed[0]["id"], "batch.current");
    assert!(failed[0]["failures"][0]["answer"]["error"].as_str().unwrap().contains("refused"), "{report:#}");
}

#[test]
fn a_bad_command_line_exits_2_and_help_exits_0() {
    let output = conformance(&["--origin", "www.gov.cn", "http://127.0.0.1:1/api/v1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an origin"));
    let help = conformance(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--code-command"));
}
