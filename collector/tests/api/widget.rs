//! The built widget at `/`.

use crate::support::{TestApp, open_batch};

#[tokio::test]
async fn the_root_says_how_to_build_the_widget_when_it_is_not_built() {
    let app = TestApp::new(vec![open_batch()]);
    let reply = app.get("/").await;
    assert_eq!(reply.status, 404);
    assert!(reply.text.contains("scripts/build"), "{}", reply.text);
}

#[tokio::test]
async fn the_built_widget_is_served_by_name_and_always_revalidated() {
    let app = TestApp::new(vec![open_batch()]);
    let dist = app.dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>堵点</title>").unwrap();
    std::fs::write(dist.join("bottleneck-survey_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(dist.join("embed.js"), "export {}").unwrap();

    let index = app.get("/").await;
    assert_eq!(index.status, 200);
    assert!(index.text.contains("堵点"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));

    let wasm = app.get("/bottleneck-survey_bg.wasm").await;
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("cache-control"), Some("no-cache"));

    let loader = app.get("/embed.js").await;
    assert!(loader.header("content-type").is_some_and(|t| t.contains("javascript")));
    assert_eq!(loader.header("cache-control"), Some("no-cache"));

    let missing = app.get("/nothing.js").await;
    assert_eq!(missing.status, 404);
    assert!(!missing.text.contains("scripts/build"));
}

/// Builds a `dist/` with `embed.js`, its brotli and gzip copies, and a
/// stylesheet without any, as `scripts/build` leaves them.
fn precompressed_dist(app: &TestApp) {
    let dist = app.dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    std::fs::write(dist.join("embed.js"), "export const loader = 'plain';").unwrap();
    std::fs::write(dist.join("embed.js.br"), b"brotli bytes").unwrap();
    std::fs::write(dist.join("embed.js.gz"), b"gzip bytes").unwrap();
    std::fs::write(dist.join("page.css"), ".bsv-page{margin:0}").unwrap();
}

/// `GET path` with an `Accept-Encoding` and any other headers, body as bytes.
async fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let mut request = axum::http::Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn a_browser_that_accepts_brotli_gets_the_precompressed_copy() {
    let app = TestApp::new(vec![open_batch()]);
    precompressed_dist(&app);
    let (status, headers, body) = fetch(&app, "/embed.js", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(status, 200);
    assert_eq!(body, b"brotli bytes");
    assert_eq!(headers["content-encoding"], "br");
    assert!(headers["content-type"].to_str().unwrap().contains("javascript"), "the type is the file's, not the copy's");
    assert!(headers["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    assert_eq!(headers["cache-control"], "no-cache");
}

#[tokio::test]
async fn a_browser_that_accepts_only_gzip_gets_the_gzip_copy_and_one_that_accepts_neither_the_file() {
    let app = TestApp::new(vec![open_batch()]);
    precompressed_dist(&app);
    let (_, headers, body) = fetch(&app, "/embed.js", &[("accept-encoding", "gzip")]).await;
    assert_eq!(body, b"gzip bytes");
    assert_eq!(headers["content-encoding"], "gzip");

    let (_, headers, body) = fetch(&app, "/embed.js", &[]).await;
    assert_eq!(body, b"export const loader = 'plain';");
    assert!(headers.get("content-encoding").is_none());

    // A file built without copies is sent as it is, whatever is accepted.
    let (status, headers, body) = fetch(&app, "/page.css", &[("accept-encoding", "br")]).await;
    assert_eq!(status, 200);
    assert_eq!(body, b".bsv-page{margin:0}");
    assert!(headers.get("content-encoding").is_none());
}

#[tokio::test]
async fn a_returning_visitor_gets_a_bodiless_304_for_an_unchanged_file() {
    let app = TestApp::new(vec![open_batch()]);
    precompressed_dist(&app);
    let (_, first, _) = fetch(&app, "/embed.js", &[("accept-encoding", "br")]).await;
    let modified = first["last-modified"].to_str().unwrap().to_owned();

    let (status, headers, body) =
        fetch(&app, "/embed.js", &[("accept-encoding", "br"), ("if-modified-since", &modified)]).await;
    assert_eq!(status, 304);
    assert!(body.is_empty(), "nothing is downloaded again");
    assert_eq!(headers["cache-control"], "no-cache", "and the next visit asks again");
}
