//! The built widget at `/`.

use crate::support::{TestApp, open_batch};

#[tokio::test]
async fn the_root_says_how_to_build_the_widget_when_it_is_not_built() {
    let app = TestApp::new(vec![open_batch()]);
    let reply = app.get("/").await;
    assert_eq!(reply.status, 404);
    assert!(reply.text.contains("trunk build"), "{}", reply.text);
}

#[tokio::test]
async fn the_built_widget_is_served_with_cache_headers_that_fit_each_file() {
    let app = TestApp::new(vec![open_batch()]);
    let dist = app.dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>堵点</title>").unwrap();
    std::fs::write(dist.join("bottleneck-survey-9f86d081884c7d65_bg.wasm"), b"\0asm").unwrap();

    let index = app.get("/").await;
    assert_eq!(index.status, 200);
    assert!(index.text.contains("堵点"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));

    let wasm = app.get("/bottleneck-survey-9f86d081884c7d65_bg.wasm").await;
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("cache-control"), Some("public, max-age=31536000, immutable"));

    let missing = app.get("/nothing.js").await;
    assert_eq!(missing.status, 404);
    assert!(!missing.text.contains("trunk build"));
}
