//! Bodies over a path's limit are refused on their `Content-Length`, before
//! a byte is read: a client waiting on `Expect: 100-continue` then never
//! sends them.

use axum::body::Body;
use axum::http::{Method, Request, header};

use crate::support::{TestApp, open_batch};

fn announced(path: &str, length: usize) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, length.to_string())
        .header(header::EXPECT, "100-continue")
        .header("idempotency-key", "3b241101-e2bb-4255-8caf-4136c566a962")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_vote_announced_over_16_kib_is_refused_before_its_body_is_read() {
    let app = TestApp::new(vec![open_batch()]);
    // The body never comes: read, it would be an empty body, a 400.
    let reply = app.send(announced("/api/v1/votes", 1024 * 1024)).await;
    assert_eq!(reply.problem(413)["detail"], "A body here is at most 16384 bytes.");
    assert_eq!(app.stored_votes(), 0);
}

#[tokio::test]
async fn a_verification_announced_over_4_kib_is_refused_before_its_body_is_read() {
    let app = TestApp::new(vec![open_batch()]);
    app.send(announced("/api/v1/verifications", 5000)).await.problem(413);
    app.send(announced("/api/v1/verifications/some-id/confirm", 5000)).await.problem(413);
}

#[tokio::test]
async fn a_body_within_the_limit_is_read_as_before() {
    let app = TestApp::new(vec![open_batch()]);
    app.send(announced("/api/v1/votes", 0)).await.problem(400);
}
