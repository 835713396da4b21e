//! Results by region, the list of batches and follow-up on SQLite: the
//! cases of `region_cases.rs`, and what only needs one engine.

use axum::body::Body;
use axum::http::Request;
use serde_json::json;

use crate::region_cases::{self as cases, OPEN, batches, cast};
use crate::support::{TestApp, open_batch, translated_open_batch};

#[tokio::test]
async fn provinces_with_at_least_ten_votes_are_listed_and_smaller_ones_left_out() {
    cases::provinces_with_at_least_ten_votes_are_listed_and_smaller_ones_left_out(&TestApp::new(batches())).await;
}

#[tokio::test]
async fn a_region_is_left_out_too_when_the_nation_less_the_listed_would_single_out_fewer_than_ten_votes() {
    cases::a_region_is_left_out_too_when_the_nation_less_the_listed_would_single_out_fewer_than_ten_votes(&TestApp::new(batches())).await;
}

#[tokio::test]
async fn the_cities_of_one_province_are_listed_at_city_level() {
    cases::the_cities_of_one_province_are_listed_at_city_level(&TestApp::new(batches())).await;
}

#[tokio::test]
async fn a_bad_level_or_province_is_400_and_hidden_or_unknown_results_404() {
    cases::a_bad_level_or_province_is_400_and_hidden_or_unknown_results_404(&TestApp::new(batches())).await;
}

#[tokio::test]
async fn the_list_of_batches_is_newest_first_with_totals_unless_hidden() {
    cases::the_list_of_batches_is_newest_first_with_totals_unless_hidden(&TestApp::new(batches())).await;
}

#[tokio::test]
async fn published_follow_up_is_served_on_every_batch_and_in_the_list() {
    cases::published_follow_up_is_served_on_every_batch_and_in_the_list(&TestApp::new(batches())).await;
}

#[tokio::test]
async fn a_higher_minimum_withholds_more_regions() {
    let app = TestApp::build(batches(), tempfile::tempdir().unwrap(), |state| collector::AppState {
        region_min_votes: 11,
        ..state
    });
    cast(&app, 0, 10, "130000", "130100", "130102").await;
    let body = app.get(&format!("/api/v1/batches/{OPEN}/results/regions")).await.json();
    assert_eq!((body["min_votes"].as_u64(), body["regions"].as_array().map(Vec::len)), (Some(11), Some(0)));
}

#[tokio::test]
async fn votes_show_in_a_region_listing_within_a_quarter_second() {
    let app = TestApp::new(batches());
    let path = format!("/api/v1/batches/{OPEN}/results/regions");
    cast(&app, 0, 10, "130000", "130100", "130102").await;
    assert_eq!(app.get(&path).await.json()["regions"][0]["total"], 10);
    cast(&app, 10, 1, "130000", "130100", "130102").await;
    tokio::time::sleep(collector::results_cache::LISTING_MIN_AGE).await;
    assert_eq!(app.get(&path).await.json()["regions"][0]["total"], 11);
}

#[tokio::test]
async fn an_earlier_batch_and_its_follow_up_are_served_in_the_language_asked_for() {
    let app = TestApp::new(vec![translated_open_batch()]);
    let day = "2018-07-09T00:00:00+08:00";
    app.publish_follow_up(&json!({ "batches": [{
        "id": OPEN,
        "follow_up": { "summary": "征集中", "updated_at": day },
        "options": { "clinic-card": { "status": "collecting", "note": "已汇总", "updated_at": day } },
        "translations": { "en": { "summary": "Collecting", "notes": { "clinic-card": "Gathered" } } }
    }]})).await;

    let request = Request::get(format!("/api/v1/batches/{OPEN}")).header("accept-language", "en-GB,en;q=0.9");
    let reply = app.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!((reply.header("content-language"), reply.header("vary")), (Some("en"), Some("Accept-Language")));
    let en = reply.json();
    assert_eq!((en["title"].as_str(), en["follow_up"]["summary"].as_str()), (Some("Batch 3"), Some("Collecting")));
    assert_eq!(en["options"][0]["follow_up"]["note"], "Gathered");
    let zh = app.get(&format!("/api/v1/batches/{OPEN}")).await.json();
    assert_eq!((zh["follow_up"]["summary"].as_str(), zh["options"][0]["follow_up"]["note"].as_str()), (Some("征集中"), Some("已汇总")));
    let list = app.get_in("/api/v1/batches", "en").await;
    assert_eq!(list.header("content-language"), Some("en"));
    assert_eq!(list.json()["batches"][0]["follow_up"]["summary"], "Collecting");
    // Kept apart from the English list made a moment ago.
    let list = app.get("/api/v1/batches").await;
    assert_eq!(list.header("content-language"), Some("zh-CN"));
    assert_eq!(list.json()["batches"][0]["follow_up"]["summary"], "征集中");
}

#[tokio::test]
async fn a_stored_follow_up_that_no_longer_reads_costs_no_batch() {
    let app = TestApp::new(batches());
    app.state.store.publish_follow_ups(vec![(OPEN.to_owned(), "{\"not\": \"a follow-up\"}".to_owned())], 0).await.unwrap();
    let reply = app.get("/api/v1/batches/current").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), open_batch());
}
