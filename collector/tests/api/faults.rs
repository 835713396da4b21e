//! Fault injection (`--fault-injection`): `/__faults` and what its faults do
//! to votes and batches. Dropped connections are checked on a real socket in
//! `tests/end_to_end.rs`; here the dropped answer is one whose body fails.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, header};
use collector::fault_routes::Dropped;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{ALLOWED_ORIGIN, TestApp, open_batch, vote, vote_request, vote_with_id};

const VOTE_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";

impl TestApp {
    async fn faults(&self, method: Method, body: Option<Value>) -> crate::support::Reply {
        let request = Request::builder().method(method).uri("/__faults");
        let request = match body {
            Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        };
        self.send(request.unwrap()).await
    }

    /// Queues faults and returns the counters.
    async fn queue(&self, faults: Value) -> Value {
        let reply = self.faults(Method::POST, Some(faults)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()
    }

    async fn counters(&self) -> Value {
        self.faults(Method::GET, None).await.json()
    }
}

#[tokio::test]
async fn without_fault_injection_the_control_path_is_not_found() {
    let app = TestApp::new(vec![open_batch()]);
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let body = (method == Method::POST).then(|| json!({ "votes": [{ "fail": 503 }] }));
        app.faults(method, body).await.problem(404);
    }
    assert_eq!(app.post_vote(&vote()).await.status, 201, "no fault was queued");
}

#[tokio::test]
async fn a_failed_vote_gets_the_status_and_retry_after_and_is_not_stored() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    let queued = app.queue(json!({ "votes": [{ "fail": 503, "retry_after": "1", "times": 2 }] })).await;
    assert_eq!(queued["pending"], json!([{ "times": 2, "fail": 503, "retry_after": "1" }]));

    for _ in 0..2 {
        let reply = app.post_vote(&vote()).await;
        reply.problem(503);
        assert_eq!(reply.header("retry-after"), Some("1"));
        assert_eq!(app.stored_votes(), 0);
    }
    assert_eq!(app.post_vote(&vote()).await.status, 201, "the queue is used up");
    assert_eq!(app.stored_votes(), 1);

    let votes = &app.counters().await["votes"];
    assert_eq!(votes["received"], 3);
    assert_eq!(votes["by_key"], json!({ VOTE_ID: 3 }));
    let statuses: Vec<&Value> = votes["log"].as_array().unwrap().iter().map(|r| &r["status"]).collect();
    assert_eq!(statuses, [&json!(503), &json!(503), &json!(201)]);
}

#[tokio::test]
async fn a_failure_may_carry_any_body_and_content_type() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    app.queue(json!({ "votes": [{ "fail": 502, "content_type": "text/html", "body": "<h1>Bad Gateway</h1>" }] })).await;
    let reply = app.post_vote(&vote()).await;
    assert_eq!(reply.status, 502);
    assert_eq!(reply.header("content-type"), Some("text/html"));
    assert_eq!(reply.text, "<h1>Bad Gateway</h1>");
}

#[tokio::test]
async fn a_vote_dropped_after_storing_is_counted_and_its_retry_gets_the_first_receipt() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    app.queue(json!({ "votes": [{ "drop": "after_storing" }] })).await;

    let response = app.router.clone().oneshot(vote_request(VOTE_ID, vote().to_string())).await.unwrap();
    assert!(response.extensions().get::<Dropped>().is_some());
    assert!(response.into_body().collect().await.is_err(), "the body fails, so hyper sends nothing");
    assert_eq!(app.stored_votes(), 1, "the vote was stored before the connection went");

    let retry = app.post_vote(&vote()).await;
    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(app.stored_votes(), 1);
    let log = &app.counters().await["votes"]["log"];
    assert_eq!(log[0], json!({ "key": VOTE_ID, "fault": "drop_after_storing", "status": null }));
    assert_eq!(log[1], json!({ "key": VOTE_ID, "fault": null, "status": 200 }));
}

#[tokio::test]
async fn a_vote_dropped_before_storing_is_not_stored() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    app.queue(json!({ "votes": [{ "drop": "before_storing" }] })).await;
    let response = app.router.clone().oneshot(vote_request(VOTE_ID, vote().to_string())).await.unwrap();
    assert!(response.extensions().get::<Dropped>().is_some());
    assert!(response.into_body().collect().await.is_err());
    assert_eq!(app.stored_votes(), 0);
    assert_eq!(app.post_vote(&vote()).await.status, 201, "the retry is the first to arrive");
}

#[tokio::test]
async fn a_delayed_answer_comes_late_for_a_vote_already_stored() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    app.queue(json!({ "votes": [{ "delay_ms": 1000 }] })).await;
    let started = Instant::now();
    let answer = tokio::spawn(app.router.clone().oneshot(vote_request(VOTE_ID, vote().to_string())));
    while app.stored_votes() == 0 {
        assert!(started.elapsed() < Duration::from_millis(900), "the vote is stored before the delay");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!answer.is_finished(), "the answer waits");
    assert_eq!(answer.await.unwrap().unwrap().status(), 201);
    assert!(started.elapsed() >= Duration::from_millis(1000));
}

#[tokio::test]
async fn requests_are_counted_per_idempotency_key() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    let other = "0f8fad5b-d9cb-469f-a165-70867728950e";
    app.post_vote(&vote()).await;
    app.post_vote(&vote()).await;
    app.post_vote(&vote_with_id(other)).await;
    let votes = &app.counters().await["votes"];
    assert_eq!(votes["received"], 3);
    assert_eq!(votes["by_key"], json!({ VOTE_ID: 2, other: 1 }));
}

#[tokio::test]
async fn the_batch_is_replaced_by_any_body_until_the_faults_are_cleared() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    let page = "<!DOCTYPE html><h1>502 Bad Gateway</h1>";
    app.queue(json!({ "batch": { "status": 502, "content_type": "text/html", "body": page } })).await;
    for _ in 0..2 {
        let reply = app.get("/api/v1/batches/current").await;
        assert_eq!((reply.status.as_u16(), reply.header("content-type")), (502, Some("text/html")));
        assert_eq!(reply.text, page);
    }

    let cleared = app.faults(Method::DELETE, None).await.json();
    assert_eq!(cleared["batch"], json!({ "served": 2, "override": null, "bytes_streamed": 0 }));
    let reply = app.get("/api/v1/batches/current").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["id"], "2018-3-social-medical");
}

#[tokio::test]
async fn a_huge_batch_body_can_be_queued() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    let huge = format!("{{\"padding\": \"{}\"}}", "x".repeat(5 * 1024 * 1024));
    let queued = app.queue(json!({ "batch": { "body": huge } })).await;
    assert_eq!(queued["batch"]["override"], json!({ "status": 200, "content_type": "application/json", "bytes": huge.len() }));
    let reply = app.get("/api/v1/batches/current").await;
    assert_eq!(reply.text.len(), huge.len());
}

#[tokio::test]
async fn a_streamed_batch_comes_in_pieces_with_pauses_and_no_length_and_is_counted() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    let stream = json!({ "chunk_bytes": 4, "every_ms": 30 });
    let queued = app.queue(json!({ "batch": { "body": "0123456789", "stream": stream } })).await;
    assert_eq!(queued["batch"]["override"]["stream"], stream);

    let started = Instant::now();
    let reply = app.get("/api/v1/batches/current").await;
    let took = started.elapsed();
    assert_eq!(reply.text, "0123456789");
    assert_eq!(reply.header("content-length"), None, "a length would let a client refuse it before reading");
    // Three pieces (4 + 4 + 2 bytes), each followed by a pause.
    assert!(took >= Duration::from_millis(60), "sent in {took:?}");
    assert_eq!(app.counters().await["batch"]["bytes_streamed"], 10);
}

#[tokio::test]
async fn a_fault_request_that_makes_no_sense_is_refused_whole() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    let bad = json!({ "votes": [{ "fail": 503 }, { "fail": 503, "drop": "after_storing" }], "batch": { "status": 500 } });
    let problem = app.faults(Method::POST, Some(bad)).await.problem(422);
    assert!(problem["detail"].as_str().unwrap().starts_with("votes[1]:"), "{problem}");
    app.faults(Method::POST, Some(json!({ "vote": [] }))).await.problem(422);
    let counters = app.counters().await;
    assert_eq!(counters["pending"], json!([]));
    assert_eq!(counters["batch"]["override"], Value::Null);
}

#[tokio::test]
async fn a_faulty_answer_carries_the_cors_headers_of_a_real_one() {
    let app = TestApp::with_fault_injection(vec![open_batch()]);
    app.queue(json!({ "votes": [{ "fail": 503, "retry_after": "5" }], "batch": { "status": 500, "body": "{}" } })).await;
    let mut request = vote_request(VOTE_ID, vote().to_string());
    request.headers_mut().insert(header::ORIGIN, ALLOWED_ORIGIN.parse().unwrap());
    let reply = app.send(request).await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
    let request = Request::get("/api/v1/batches/current").header(header::ORIGIN, ALLOWED_ORIGIN).body(Body::empty());
    let reply = app.send(request.unwrap()).await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
}
