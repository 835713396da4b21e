//! PostgreSQL going away under a running collector: votes are answered 503
//! with Retry-After (the widget keeps them and sends them again), `/readyz`
//! says so, and the collector takes votes again by itself once the
//! database is back.

use std::time::{Duration, Instant};

use collector::config::DatabaseLocation;

use crate::database::Schema;
use crate::proxy::Proxy;
use crate::support::{TestApp, open_batch, vote, vote_with_id};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_goes_away_is_a_503_with_retry_after_and_the_collector_recovers() {
    let Some(db) = Schema::create("a_database_that_goes_away_is_a_503_with_retry_after").await else { return };
    let proxy = Proxy::start(db.server_address().await).await;
    let location = DatabaseLocation::Postgres(db.url_through(proxy.address));
    let app = TestApp::build_on(location, vec![open_batch()], tempfile::tempdir().unwrap(), |state| state);
    assert_eq!(app.post_vote(&vote()).await.status, 201);
    assert_eq!(app.get("/readyz").await.status, 200);
    let results = "/api/v1/batches/2018-3-social-medical/results";
    let before = app.get(results).await.json();

    proxy.cut();
    let second = vote_with_id("0f8fad5b-d9cb-469f-a165-70867728950e");
    let started = Instant::now();
    let refused = app.post_vote(&second).await;
    refused.problem(503);
    assert_eq!(refused.header("retry-after"), Some("5"));
    assert!(started.elapsed() < Duration::from_secs(8), "answered in {:?}", started.elapsed());
    let ready = app.get("/readyz").await;
    assert_eq!((ready.status.as_u16(), ready.header("retry-after")), (503, Some("5")), "{}", ready.text);
    assert_eq!(app.get("/healthz").await.status, 200, "the process itself is well");
    // A retry of a stored vote cannot be answered either: nothing is promised blind.
    app.post_vote(&vote()).await.problem(503);
    // The results last read are still shown, with the time they were read.
    tokio::time::sleep(collector::results_cache::TTL + Duration::from_millis(100)).await;
    let during = app.get(results).await;
    assert_eq!((during.status.as_u16(), during.json()), (200, before));

    proxy.restore();
    let counted = app.post_vote(&second).await;
    assert_eq!(counted.status, 201, "the vote the citizen's device kept is counted now: {}", counted.text);
    assert_eq!(app.post_vote(&vote()).await.status, 200);
    assert_eq!(app.get("/readyz").await.status, 200);
    let stored: i64 = db.client().await.query_one("SELECT COUNT(*) FROM votes", &[]).await.unwrap().get(0);
    assert_eq!(stored, 2);
}
