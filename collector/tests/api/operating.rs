//! What an operator and a load balancer read: `/healthz`, `/readyz`,
//! `/metrics`, and a database of an older collector taken forward.

use serde_json::json;

use collector::store::tally::{Region, RegionRange};

use crate::support::{TestApp, old_database, open_batch, vote, vote_with_id};

#[tokio::test]
async fn health_and_readiness_answer_for_the_process_and_the_database() {
    let app = TestApp::new(vec![open_batch()]);
    let health = app.get("/healthz").await;
    assert_eq!((health.status.as_u16(), health.text.as_str()), (200, "ok\n"));
    let ready = app.get("/readyz").await;
    assert_eq!((ready.status.as_u16(), ready.text.as_str()), (200, "ready: sqlite answers\n"));
}

#[tokio::test]
async fn metrics_count_votes_by_outcome_and_time_requests_by_route() {
    let app = TestApp::new(vec![open_batch()]);
    assert_eq!(app.post_vote(&vote()).await.status, 201);
    assert_eq!(app.post_vote(&vote()).await.status, 200);
    let mut broken = vote_with_id("0f8fad5b-d9cb-469f-a165-70867728950e");
    broken["choices"] = json!(["no-such-option"]);
    app.post_vote(&broken).await.problem(422);
    app.get("/api/v1/batches/2018-3-social-medical/results").await;

    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    assert_eq!(metrics.header("content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
    let text = metrics.text;
    for line in [
        r#"bsv_votes_total{outcome="counted"} 1"#,
        r#"bsv_votes_total{outcome="replayed"} 1"#,
        r#"bsv_votes_total{outcome="invalid"} 1"#,
        r#"bsv_http_request_duration_seconds_count{method="POST",route="/api/v1/votes",status="201"} 1"#,
        r#"bsv_http_request_duration_seconds_count{method="GET",route="/api/v1/batches/{id}/results",status="200"} 1"#,
        "bsv_writer_queue_depth 0",
        "bsv_writer_group_size_count 2",
        r#"bsv_db_connections{state="max"} 8"#,
    ] {
        assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
    }
    assert!(!text.contains("3b241101"), "no vote id in the metrics");
}

#[tokio::test]
async fn a_database_of_an_older_collector_is_migrated_with_its_votes_tallied() {
    let dir = tempfile::tempdir().unwrap();
    old_database(&dir.path().join("votes.sqlite3"));
    let app = TestApp::with_database(vec![open_batch()], dir);
    let results = app.get("/api/v1/batches/2018-3-social-medical/results").await.json();
    assert_eq!((results["total"].as_u64(), results["real_name_total"].as_u64()), (Some(3), Some(1)));
    let votes = |id: &str| results["options"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap()["votes"].clone();
    assert_eq!((votes("clinic-card"), votes("repeat-tests"), votes("death-affairs")), (json!(2), json!(1), json!(1)));

    let db = rusqlite::Connection::open(&app.database).unwrap();
    let choices: Vec<String> = db
        .prepare("SELECT option_id FROM vote_choices WHERE vote_id = 'a' ORDER BY position")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(choices, ["clinic-card", "repeat-tests"], "the choices survive the move to a table without index");

    // New votes add to the tallies the migration made.
    assert_eq!(app.post_vote(&vote()).await.status, 201);
    let results = app.get("/api/v1/batches/2018-3-social-medical/results").await.json();
    assert_eq!((results["total"].as_u64(), votes("clinic-card")), (Some(4), json!(2)));
    let store = collector::store::Store::open(
        &collector::config::DatabaseLocation::Sqlite(app.database.clone()),
        2,
        &collector::secret::Secret::load(&app.dir.path().join("secret.key")).unwrap(),
    )
    .unwrap();
    let provinces = store.region_tallies("2018-3-social-medical", &RegionRange::provinces()).await.unwrap();
    let totals: Vec<(&str, u64, u64)> = provinces.regions.iter().map(|(c, t)| (c.as_str(), t.total, t.real_name_total)).collect();
    assert_eq!(totals, [("110000", 1, 0), ("130000", 3, 1)]);
    assert_eq!((provinces.whole.total, provinces.whole.real_name_total), (4, 1), "the nation, read with them");
    let cities = store.region_tallies("2018-3-social-medical", &RegionRange::cities_of("130000")).await.unwrap();
    let cities: Vec<(&str, u64)> = cities.regions.iter().map(|(c, t)| (c.as_str(), t.total)).collect();
    assert_eq!(cities, [("130100", 2), ("130200", 1)]);
    let shijiazhuang = store.tallies("2018-3-social-medical", &Region::city("130100")).await.unwrap();
    assert_eq!((shijiazhuang.by_option.get("clinic-card"), shijiazhuang.by_option.get("repeat-tests")), (Some(&2), Some(&2)));
}

#[tokio::test]
async fn a_collector_on_another_secret_refuses_to_open_a_sqlite_database() {
    let app = TestApp::new(vec![open_batch()]);
    let other = collector::secret::Secret::from_bytes(vec![9; 32]).unwrap();
    let error = collector::store::Store::open(
        &collector::config::DatabaseLocation::Sqlite(app.database.clone()),
        2,
        &other,
    )
    .err()
    .expect("refused")
    .to_string();
    assert!(error.contains("another server secret"), "{error}");
}
