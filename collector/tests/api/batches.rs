//! `GET /api/v1/batches/current`.

use axum::body::Body;
use axum::http::Request;
use serde_json::json;

use crate::support::{TestApp, closed_batch, open_batch, translated_open_batch, upcoming_batch};

#[tokio::test]
async fn the_open_batch_is_current_whatever_else_the_file_holds() {
    let app = TestApp::new(vec![closed_batch(), upcoming_batch(), open_batch()]);
    let reply = app.get("/api/v1/batches/current").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), open_batch());
    assert_eq!(reply.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn the_next_upcoming_batch_is_current_when_none_is_open() {
    let app = TestApp::new(vec![closed_batch(), upcoming_batch()]);
    let body = app.get("/api/v1/batches/current").await.json();
    assert_eq!(body["id"], "2018-4-employment");
    assert_eq!(body["status"], "upcoming");
}

#[tokio::test]
async fn the_last_closed_batch_is_current_when_nothing_is_open_or_upcoming() {
    let mut earlier = closed_batch();
    earlier["id"] = json!("2017-earlier");
    earlier["closes_at"] = json!("2017-12-31T23:59:59+08:00");
    let app = TestApp::new(vec![closed_batch(), earlier]);
    let body = app.get("/api/v1/batches/current").await.json();
    assert_eq!(body["id"], "2018-1-education-identity");
    assert_eq!(body["status"], "closed");
}

#[tokio::test]
async fn the_status_follows_the_dates_rather_than_the_file() {
    let mut batch = closed_batch();
    batch["status"] = json!("open");
    let app = TestApp::new(vec![batch]);
    assert_eq!(app.get("/api/v1/batches/current").await.json()["status"], "closed");
}

#[tokio::test]
async fn there_is_no_current_batch_without_batches() {
    let app = TestApp::new(vec![]);
    app.get("/api/v1/batches/current").await.problem(404);
}

#[tokio::test]
async fn english_is_served_when_accept_language_asks_for_it() {
    let app = TestApp::new(vec![translated_open_batch()]);

    let request = Request::get("/api/v1/batches/current").header("accept-language", "en-US,en;q=0.9,zh-CN;q=0.8");
    let reply = app.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(reply.header("content-language"), Some("en"));
    assert_eq!(reply.header("vary"), Some("Accept-Language"));
    let body = reply.json();
    assert_eq!(body["title"], "Batch 3");
    assert_eq!(body["options"][0], json!({ "id": "clinic-card", "group": "Seeing a doctor", "text": "EN" }));
    assert!(body.get("translations").is_none());

    let reply = app.get("/api/v1/batches/current").await;
    assert_eq!(reply.header("content-language"), Some("zh-CN"));
    assert_eq!(reply.json(), open_batch());
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_with_problems() {
    let app = TestApp::new(vec![open_batch()]);
    app.get("/api/v1/nothing-here").await.problem(404);
    app.get("/api/v1/votes").await.problem(405);
}
