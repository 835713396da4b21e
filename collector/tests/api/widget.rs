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
    assert!(!missing.text.contains("trunk build"));
}
