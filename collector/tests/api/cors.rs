//! Browsers on the allowed portal may call the API; others get no permission.

use axum::body::Body;
use axum::http::{Method, Request};

use crate::support::{ALLOWED_ORIGIN, TestApp, open_batch};

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/votes")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,idempotency-key")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_preflight_from_an_allowed_origin_is_granted_without_credentials() {
    let app = TestApp::new(vec![open_batch()]);
    let reply = app.send(preflight(ALLOWED_ORIGIN)).await;
    assert!(reply.status.is_success(), "{}", reply.status);
    assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
    let allowed_headers = reply.header("access-control-allow-headers").unwrap().to_ascii_lowercase();
    for name in ["content-type", "idempotency-key", "accept-language"] {
        assert!(allowed_headers.contains(name), "{allowed_headers}");
    }
    assert!(reply.header("access-control-allow-methods").unwrap().contains("POST"));
    assert_eq!(reply.header("access-control-allow-credentials"), None);
}

#[tokio::test]
async fn a_preflight_from_another_origin_is_not_granted() {
    let app = TestApp::new(vec![open_batch()]);
    let reply = app.send(preflight("https://evil.example")).await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn an_allowed_page_may_read_the_content_language_and_retry_after() {
    let app = TestApp::new(vec![open_batch()]);
    let request = Request::get("/api/v1/batches/current").header("origin", ALLOWED_ORIGIN);
    let reply = app.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(reply.header("access-control-allow-origin"), Some(ALLOWED_ORIGIN));
    let exposed = reply.header("access-control-expose-headers").unwrap().to_ascii_lowercase();
    assert!(exposed.contains("content-language") && exposed.contains("retry-after"), "{exposed}");
}
