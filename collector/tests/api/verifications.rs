//! Real-name verification: `POST /api/v1/verifications`, its confirmation,
//! and what the token does to a vote.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use serde_json::{Value, json};
use survey_protocol::time::parse_rfc3339;

use collector::sms::{CodeMessage, SendFuture, SmsError, SmsSender};

use crate::support::{
    RealNameApp, TestApp, example, json_request, open_batch, verification_request, vote_with_id,
};

const BATCH: &str = "2018-3-social-medical";
const VOTE_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";
const SECOND_VOTE_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn keys(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

/// A code that is surely not `code`.
fn other_than(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

#[tokio::test]
async fn a_citizen_verifies_by_sms_code_and_casts_a_real_name_vote() {
    let app = RealNameApp::new(vec![open_batch()]);
    let mut request = verification_request();
    request["phone"] = json!("+86 138 0013 8000");
    let created = app.request(&request).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let created = created.json();
    assert_eq!(keys(&created), keys(&example("verification-created.json")));
    assert_eq!(created["method"], "sms");
    assert_eq!(created["resend_after_s"], 60);
    let expires_at = parse_rfc3339(created["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!(expires_at, app.clock.now() + 300);

    let sent = app.sms.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].phone, "13800138000", "the phone is normalised before it is sent to");
    assert_eq!(sent[0].verification_id, created["verification_id"].as_str().unwrap());
    assert!(sent[0].code.len() == 6 && sent[0].code.bytes().all(|b| b.is_ascii_digit()), "{:?}", sent[0].code);

    app.clock.advance(299);
    let verified = app.confirm(&sent[0].verification_id, &sent[0].code).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    let verified = verified.json();
    assert_eq!(keys(&verified), keys(&example("verification-verified.json")));
    assert_eq!(verified["display_name"], "张*");
    let token = verified["token"].as_str().unwrap();
    assert!(token.starts_with("v1."), "{token}");
    assert_eq!(parse_rfc3339(verified["expires_at"].as_str().unwrap()), Some(app.clock.now() + 30 * 60));

    let receipt = app.vote_with_token(VOTE_ID, token).await;
    assert_eq!(receipt.status, 201, "{}", receipt.text);
    assert_eq!(receipt.json()["real_name"], true);
    let results = app.app.get(&format!("/api/v1/batches/{BATCH}/results")).await.json();
    assert_eq!((results["total"].as_u64(), results["real_name_total"].as_u64()), (Some(1), Some(1)));

    // A code is good for one token.
    app.confirm(&sent[0].verification_id, &sent[0].code).await.problem(404);
}

#[tokio::test]
async fn each_malformed_field_is_reported_at_its_field_without_repeating_it() {
    let cases: [(&str, Value, &str); 9] = [
        ("name", json!("张"), "invalid_format"),
        ("name", json!("张3"), "invalid_format"),
        ("name", json!("  "), "required"),
        ("id_number", json!("110105194912310021"), "invalid_format"),
        ("id_number", json!("1101051949123100"), "invalid_format"),
        ("id_number", json!(110105194912310021_u64), "invalid_format"),
        ("phone", json!("12800138000"), "invalid_format"),
        ("phone", json!("1380013800"), "invalid_format"),
        ("phone", Value::Null, "required"),
    ];
    let app = RealNameApp::new(vec![open_batch()]);
    for (field, value, code) in cases {
        let mut request = verification_request();
        request[field] = value.clone();
        let reply = app.request(&request).await;
        assert_eq!(reply.field_errors(), [(field.to_owned(), code.to_owned())], "{field} = {value}");
        let shown = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
        if !shown.trim().is_empty() && shown != "null" {
            assert!(!reply.text.contains(&shown), "the problem repeats {shown}: {}", reply.text);
        }
    }
    let mut missing = verification_request();
    missing.as_object_mut().unwrap().remove("batch_id");
    assert_eq!(app.request(&missing).await.field_errors(), [("batch_id".to_owned(), "required".to_owned())]);
    assert!(app.sms.sent().is_empty(), "no code is sent for a malformed request");
}

#[tokio::test]
async fn a_wrong_code_leaves_tries_and_the_fifth_closes_the_verification() {
    let app = RealNameApp::new(vec![open_batch()]);
    assert_eq!(app.request(&verification_request()).await.status, 201);
    let CodeMessage { verification_id, code, .. } = app.sms.last();
    let wrong = other_than(&code);

    let first = app.confirm(&verification_id, wrong).await;
    assert_eq!(first.json(), example("problem-422-wrong-code.json"));
    for tries_left in [3, 2, 1] {
        let reply = app.confirm(&verification_id, wrong).await;
        assert_eq!(reply.field_errors(), [("code".to_owned(), "wrong_code".to_owned())]);
        let message = reply.json()["errors"][0]["message"].as_str().unwrap().to_owned();
        let expected = if tries_left == 1 { "1 try left".to_owned() } else { format!("{tries_left} tries left") };
        assert!(message.ends_with(&expected), "{message}");
    }
    let closed = app.confirm(&verification_id, wrong).await.problem(429);
    assert_eq!(closed["type"], "urn:bottleneck-survey:problem:too-many-tries");
    let right = app.confirm(&verification_id, &code).await;
    right.problem(429);
    assert_eq!(right.header("retry-after"), None, "waiting does not reopen a closed verification");
}

#[tokio::test]
async fn a_malformed_code_or_an_unknown_verification_is_refused_without_using_a_try() {
    let app = RealNameApp::new(vec![open_batch()]);
    assert_eq!(app.request(&verification_request()).await.status, 201);
    let CodeMessage { verification_id, code, .. } = app.sms.last();
    for malformed in ["12345", "1234567", "12a456", ""] {
        let reply = app.confirm(&verification_id, malformed).await;
        let expected = if malformed.is_empty() { "required" } else { "invalid_format" };
        assert_eq!(reply.field_errors(), [("code".to_owned(), expected.to_owned())], "{malformed:?}");
    }
    app.confirm("b2f7c0d4-54a1-4c8e-9a57-1f0e3d2c9b86", &code).await.problem(404);
    app.confirm("not%20an%20id", &code).await.problem(404);
    assert_eq!(app.confirm(&verification_id, &code).await.status, 200);
}

#[tokio::test]
async fn an_expired_code_is_refused_as_gone() {
    let app = RealNameApp::new(vec![open_batch()]);
    assert_eq!(app.request(&verification_request()).await.status, 201);
    let CodeMessage { verification_id, code, .. } = app.sms.last();
    app.clock.advance(301);
    let reply = app.confirm(&verification_id, &code).await;
    reply.problem(410);
    assert_eq!(reply.json(), example("problem-410-code-expired.json"));
}

#[tokio::test]
async fn asking_again_replaces_the_earlier_code() {
    let app = RealNameApp::new(vec![open_batch()]);
    assert_eq!(app.request(&verification_request()).await.status, 201);
    let first = app.sms.last();
    app.clock.advance(60);
    // The same person with a lower-case x and another phone: still the same person.
    let mut again = verification_request();
    again["id_number"] = json!("11010519491231002x");
    again["phone"] = json!("13900139000");
    assert_eq!(app.request(&again).await.status, 201);
    let second = app.sms.last();
    assert_ne!(first.verification_id, second.verification_id);

    app.confirm(&first.verification_id, &first.code).await.problem(404);
    if first.code != second.code {
        let reply = app.confirm(&second.verification_id, &first.code).await;
        assert_eq!(reply.field_errors(), [("code".to_owned(), "wrong_code".to_owned())]);
    }
    assert_eq!(app.confirm(&second.verification_id, &second.code).await.status, 200);
}

#[tokio::test]
async fn a_phone_gets_one_code_a_minute_and_five_an_hour() {
    let app = RealNameApp::new(vec![open_batch()]);
    assert_eq!(app.request(&verification_request()).await.status, 201);
    app.clock.advance(20);
    let soon = app.request(&verification_request()).await;
    let problem = soon.problem(429);
    assert_eq!(problem["type"], "urn:bottleneck-survey:problem:too-many-requests");
    assert_eq!(soon.header("retry-after"), Some("40"));

    app.clock.advance(40);
    for _ in 0..4 {
        assert_eq!(app.request(&verification_request()).await.status, 201);
        app.clock.advance(60);
    }
    // Five codes in the last 260 seconds: the next is allowed an hour after the first.
    let hourly = app.request(&verification_request()).await;
    hourly.problem(429);
    assert_eq!(hourly.header("retry-after"), Some("3300"));
    assert_eq!(app.sms.sent().len(), 5);
}

#[tokio::test]
async fn an_address_gets_twenty_codes_an_hour() {
    let app = RealNameApp::new(vec![open_batch()]);
    let from = |address: &str, phone: u64| {
        let mut request = verification_request();
        request["phone"] = json!(format!("{}", 13_800_138_000 + phone));
        let mut request = json_request("/api/v1/verifications", &request);
        request.extensions_mut().insert(ConnectInfo(address.parse::<SocketAddr>().unwrap()));
        request
    };
    for phone in 0..20 {
        assert_eq!(app.app.send(from("203.0.113.9:40000", phone)).await.status, 201);
    }
    let blocked = app.app.send(from("203.0.113.9:40001", 20)).await;
    blocked.problem(429);
    assert_eq!(blocked.header("retry-after"), Some("3600"));
    assert_eq!(app.app.send(from("198.51.100.7:40000", 20)).await.status, 201, "another address has its own limit");
}

#[tokio::test]
async fn a_token_for_another_batch_an_expired_one_or_a_tampered_one_is_refused() {
    let mut other = open_batch();
    other["id"] = json!("2018-3-other");
    let app = RealNameApp::new(vec![open_batch(), other]);
    let token = app.token_for(&verification_request()).await;

    let mut elsewhere = vote_with_id(VOTE_ID);
    elsewhere["batch_id"] = json!("2018-3-other");
    elsewhere["verification_token"] = json!(token);
    let problem = app.app.post_vote(&elsewhere).await.problem(401);
    assert_eq!(problem, example("problem-401.json"));

    let (signed, mac) = token.rsplit_once('.').unwrap();
    let mut payload = signed.to_owned().into_bytes();
    let middle = payload.len() / 2;
    payload[middle] = if payload[middle] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{}.{mac}", String::from_utf8(payload).unwrap());
    app.vote_with_token(VOTE_ID, &tampered).await.problem(401);
    app.vote_with_token(VOTE_ID, &format!("{signed}.{}", &mac[1..])).await.problem(401);

    app.clock.advance(30 * 60 + 1);
    app.vote_with_token(VOTE_ID, &token).await.problem(401);
    assert_eq!(app.app.stored_votes(), 0);
}

#[tokio::test]
async fn a_batch_that_requires_a_real_name_counts_a_verified_vote_only() {
    let mut batch = open_batch();
    batch["real_name"] = json!("required");
    let app = RealNameApp::new(vec![batch]);
    app.app.post_vote(&vote_with_id(VOTE_ID)).await.problem(401);
    let token = app.token_for(&verification_request()).await;
    let receipt = app.vote_with_token(VOTE_ID, &token).await;
    assert_eq!(receipt.status, 201, "{}", receipt.text);
    assert_eq!(receipt.json()["real_name"], true);
}

#[tokio::test]
async fn a_person_has_one_real_name_vote_per_batch_and_a_replay_gets_the_first_receipt() {
    let app = RealNameApp::new(vec![open_batch()]);
    let first_token = app.token_for(&verification_request()).await;
    let first = app.vote_with_token(VOTE_ID, &first_token).await;
    assert_eq!(first.status, 201, "{}", first.text);

    app.clock.advance(60);
    let mut same_person = verification_request();
    same_person["id_number"] = json!("11010519491231002x");
    let second_token = app.token_for(&same_person).await;
    let again = app.vote_with_token(SECOND_VOTE_ID, &second_token).await;
    assert_eq!(again.problem(409), example("problem-409.json"));
    app.vote_with_token(SECOND_VOTE_ID, &first_token).await.problem(409);

    // The first vote's retries: with either token, or none, the first receipt.
    for token in [&first_token, &second_token] {
        let replay = app.vote_with_token(VOTE_ID, token).await;
        assert_eq!(replay.status, 200, "{}", replay.text);
        assert_eq!(replay.json(), first.json());
    }
    let without = app.app.post_vote(&vote_with_id(VOTE_ID)).await;
    assert_eq!((without.status.as_u16(), without.json()), (200, first.json()));

    // Another person still has their vote.
    app.clock.advance(60);
    let mut someone_else = verification_request();
    someone_else["id_number"] = json!("440524188001010014");
    someone_else["phone"] = json!("13900139000");
    let token = app.token_for(&someone_else).await;
    assert_eq!(app.vote_with_token(SECOND_VOTE_ID, &token).await.status, 201);
    let results = app.app.get(&format!("/api/v1/batches/{BATCH}/results")).await.json();
    assert_eq!((results["total"].as_u64(), results["real_name_total"].as_u64()), (Some(2), Some(2)));
}

#[tokio::test]
async fn a_batch_that_takes_no_real_names_refuses_to_verify() {
    let mut batch = open_batch();
    batch["real_name"] = json!("off");
    let app = RealNameApp::new(vec![batch]);
    let problem = app.request(&verification_request()).await.problem(409);
    assert_eq!(problem["type"], "urn:bottleneck-survey:problem:real-name-off");
    assert!(app.sms.sent().is_empty());
}

#[tokio::test]
async fn verification_for_an_unknown_or_closed_batch_is_refused() {
    let mut closed = open_batch();
    closed["closes_at"] = json!("2018-08-06T23:59:59+08:00");
    let app = RealNameApp::new(vec![closed]);
    let problem = app.request(&verification_request()).await.problem(410);
    assert_eq!(problem["type"], "urn:bottleneck-survey:problem:batch-closed");
    let mut unknown = verification_request();
    unknown["batch_id"] = json!("2018-9-nothing");
    app.request(&unknown).await.problem(404);
    assert!(app.sms.sent().is_empty());
}

#[tokio::test]
async fn without_an_sms_sender_no_code_can_be_asked_for() {
    let app = TestApp::new(vec![open_batch()]);
    let reply = app.post_json("/api/v1/verifications", &verification_request()).await;
    let problem = reply.problem(503);
    assert_eq!(problem["type"], "urn:bottleneck-survey:problem:unavailable");
    let retry_after: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!(retry_after > 0);
}

/// A gateway that is down.
struct FailingSms;

impl SmsSender for FailingSms {
    fn send<'a>(&'a self, _: &'a CodeMessage) -> SendFuture<'a> {
        Box::pin(std::future::ready(Err(SmsError("gateway answered 500".into()))))
    }
}

#[tokio::test]
async fn a_failing_sms_gateway_is_a_503_with_retry_after() {
    let app = TestApp::build(vec![open_batch()], tempfile::tempdir().unwrap(), |state| {
        state.with_sms(Arc::new(FailingSms))
    });
    let reply = app.post_json("/api/v1/verifications", &verification_request()).await;
    reply.problem(503);
    assert_eq!(reply.header("retry-after"), Some("60"));
}
