//! `POST /api/v1/votes`, from the example vote to every way it can be refused.

use std::collections::HashSet;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};

use crate::support::{
    TestApp, closed_batch, example, open_batch, reply_of, upcoming_batch, vote, vote_request, vote_with_id,
};

const VOTE_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

fn is_receipt_code(code: &str) -> bool {
    let symbols = |s: &str| s.len() == 4 && s.chars().all(|c| "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(c));
    code.split_once('-').is_some_and(|(a, b)| symbols(a) && symbols(b))
}

#[tokio::test]
async fn the_example_vote_is_stored_and_acknowledged_with_a_receipt() {
    let app = TestApp::new(vec![open_batch()]);
    let reply = app.post_vote(&vote()).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let receipt = reply.json();

    let shape = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(shape(&receipt), shape(&example("receipt.json")));
    assert_eq!(receipt["vote_id"], VOTE_ID);
    assert_eq!(receipt["real_name"], false);
    assert!(is_receipt_code(receipt["receipt"].as_str().unwrap()), "{receipt}");
    assert!(survey_protocol::time::parse_rfc3339(receipt["counted_at"].as_str().unwrap()).is_some());

    let db = rusqlite::Connection::open(&app.database).unwrap();
    let stored: Vec<String> = db
        .query_row(
            "SELECT batch_id, receipt, province, city, county, other, locale, embed_origin, widget_version
             FROM votes WHERE vote_id = ?1",
            [VOTE_ID],
            |row| (0..9).map(|i| row.get(i)).collect(),
        )
        .unwrap();
    let code = receipt["receipt"].as_str().unwrap();
    let other = "异地生育保险报销要回参保地现场办理。";
    let expected = ["2018-3-social-medical", code, "130000", "130100", "130102", other, "zh-CN", "https://www.gov.cn", "0.1.0"];
    assert_eq!(stored, expected);
    let real_name: bool = db.query_row("SELECT real_name FROM votes", [], |row| row.get(0)).unwrap();
    assert!(!real_name);
    let choices: Vec<String> = db
        .prepare("SELECT option_id FROM vote_choices WHERE vote_id = ?1 ORDER BY position")
        .unwrap()
        .query_map([VOTE_ID], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(choices, ["repeat-tests", "clinic-card"]);
}

#[tokio::test]
async fn a_retry_gets_the_first_receipt_whatever_its_whitespace() {
    let app = TestApp::new(vec![open_batch()]);
    let first = app.post_vote(&vote()).await;
    assert_eq!(first.status, 201);
    let pretty = serde_json::to_string_pretty(&vote()).unwrap();
    let again = app.send(vote_request(VOTE_ID, pretty)).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), first.json());
}

#[tokio::test]
async fn a_retry_gets_its_receipt_even_after_the_batch_has_closed() {
    let app = TestApp::new(vec![open_batch()]);
    let first = app.post_vote(&vote()).await.json();

    let mut closed = open_batch();
    closed["closes_at"] = json!("2018-08-06T23:59:59+08:00");
    let restarted = TestApp::with_database(vec![closed], app.dir);
    let again = restarted.post_vote(&vote()).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), first);
    restarted.post_vote(&vote_with_id("0f8fad5b-d9cb-469f-a165-70867728950e")).await.problem(410);
}

#[tokio::test]
async fn reusing_a_key_for_a_different_vote_is_refused() {
    let app = TestApp::new(vec![open_batch()]);
    assert_eq!(app.post_vote(&vote()).await.status, 201);
    let mut changed = vote();
    changed["choices"] = json!(["clinic-card"]);
    let reply = app.post_vote(&changed).await;
    assert_eq!(reply.field_errors(), [("vote_id".into(), "key_reused".into())]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_votes_racing_each_other_make_one_row_and_one_receipt() {
    let app = TestApp::new(vec![open_batch()]);
    let tasks: Vec<_> = (0..8)
        .map(|_| tokio::spawn(reply_of(app.router.clone(), vote_request(VOTE_ID, vote().to_string()))))
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1, "exactly one request stores the vote");
    assert!(replies.iter().all(|r| r.status == 201 || r.status == 200));
    let receipts: HashSet<String> = replies.iter().map(|r| r.json()["receipt"].as_str().unwrap().to_owned()).collect();
    assert_eq!(receipts.len(), 1);
    assert_eq!(app.stored_votes(), 1);
}

#[tokio::test]
async fn a_missing_or_mismatched_idempotency_key_is_a_bad_request() {
    let app = TestApp::new(vec![open_batch()]);
    let without = Request::post("/api/v1/votes")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(vote().to_string()))
        .unwrap();
    app.send(without).await.problem(400);
    app.send(vote_request("0f8fad5b-d9cb-469f-a165-70867728950e", vote().to_string())).await.problem(400);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_bad_request() {
    let app = TestApp::new(vec![open_batch()]);
    app.send(vote_request(VOTE_ID, "batch_id=2018-3-social-medical")).await.problem(400);
    let as_text = Request::post("/api/v1/votes")
        .header(header::CONTENT_TYPE, "text/plain")
        .header("idempotency-key", VOTE_ID)
        .body(Body::from(vote().to_string()))
        .unwrap();
    app.send(as_text).await.problem(400);
}

#[tokio::test]
async fn json_that_is_not_a_vote_is_unprocessable() {
    let app = TestApp::new(vec![open_batch()]);
    let body = json!({ "vote_id": VOTE_ID, "batch_id": "2018-3-social-medical" });
    let problem = app.post_vote(&body).await.problem(422);
    assert_eq!(problem["type"], "urn:bottleneck-survey:problem:invalid-vote");
}

#[tokio::test]
async fn a_body_over_16_kib_is_too_large() {
    let app = TestApp::new(vec![open_batch()]);
    let mut big = vote();
    big["other"] = json!("堵".repeat(6000));
    app.post_vote(&big).await.problem(413);
}

#[tokio::test]
async fn a_vote_for_an_unknown_batch_is_not_found() {
    let app = TestApp::new(vec![open_batch()]);
    let mut stray = vote();
    stray["batch_id"] = json!("2018-9-nothing");
    app.post_vote(&stray).await.problem(404);
}

#[tokio::test]
async fn a_vote_for_a_closed_or_upcoming_batch_is_gone() {
    let app = TestApp::new(vec![closed_batch(), upcoming_batch()]);
    let mut late = vote();
    late["batch_id"] = json!("2018-1-education-identity");
    late["choices"] = json!(["repeat-personal-info"]);
    let problem = app.post_vote(&late).await.problem(410);
    assert_eq!(problem["detail"], "Batch 2018-1-education-identity closed at 2018-05-08T15:59:59Z.");

    let mut early = late.clone();
    early["batch_id"] = json!("2018-4-employment");
    early["choices"] = json!(["placeholder-unemployment-registration"]);
    let problem = app.post_vote(&early).await.problem(410);
    assert_eq!(problem["detail"], "Batch 2018-4-employment opens at 2998-12-31T16:00:00Z.");
}

#[tokio::test]
async fn each_broken_rule_is_reported_at_its_field() {
    type Case = (&'static str, fn(&mut Value), &'static str, &'static str);
    let cases: [Case; 7] = [
        ("an unknown option", |v| v["choices"] = json!(["clinic-card", "no-such-option"]), "choices", "unknown_option"),
        ("too many choices", |v| v["choices"] = json!(["clinic-card", "repeat-tests", "pay-queues", "death-affairs"]), "choices", "too_many"),
        ("a province that does not exist", |v| v["location"] = json!({"province": "990000", "city": null, "county": null}), "location.province", "unknown_place"),
        ("a city of another province", |v| v["location"]["city"] = json!("110100"), "location.city", "unknown_place"),
        ("a city the province does not have", |v| v["location"] = json!({"province": "130000", "city": "130900", "county": null}), "location.city", "unknown_place"),
        ("a county that does not exist", |v| v["location"]["county"] = json!("130199"), "location.county", "unknown_place"),
        ("other text that is too long", |v| v["other"] = json!("长".repeat(201)), "other", "too_long"),
    ];
    let app = TestApp::new(vec![open_batch()]);
    for (case, break_rule, field, code) in cases {
        let mut broken = vote();
        break_rule(&mut broken);
        let reply = app.post_vote(&broken).await;
        assert!(reply.field_errors().contains(&(field.into(), code.into())), "{case}: {}", reply.text);
    }
}

#[tokio::test]
async fn a_county_level_city_under_a_province_is_a_place() {
    let app = TestApp::new(vec![open_batch()]);
    let mut hainan = vote();
    hainan["location"] = json!({ "province": "460000", "city": "469001", "county": "469001" });
    assert_eq!(app.post_vote(&hainan).await.status, 201);
}

#[tokio::test]
async fn a_batch_that_requires_a_real_name_refuses_a_vote_without_a_token() {
    let mut batch = open_batch();
    batch["real_name"] = json!("required");
    let app = TestApp::new(vec![batch]);
    let problem = app.post_vote(&vote()).await.problem(401);
    assert_eq!(problem["type"], "urn:bottleneck-survey:problem:verification-required");
}

#[tokio::test]
async fn a_made_up_token_is_refused_and_nothing_is_stored() {
    let app = TestApp::new(vec![open_batch()]);
    let mut with_token = vote();
    with_token["verification_token"] = json!("made-up");
    app.post_vote(&with_token).await.problem(401);
    assert_eq!(app.stored_votes(), 0);
}
