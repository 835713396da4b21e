//! Results by region, the list of batches and follow-up on PostgreSQL:
//! the same cases as on SQLite (`tests/api/regions.rs`), where the tallies
//! of a region are spread over shards and the follow-ups are one table
//! that every collector reads.

use crate::database::Schema;
use crate::region_cases::{self as cases, batches};
use crate::collector_with;

#[tokio::test]
async fn provinces_with_at_least_ten_votes_are_listed_and_smaller_ones_left_out() {
    let Some(db) = Schema::create("provinces_with_at_least_ten_votes_are_listed").await else { return };
    cases::provinces_with_at_least_ten_votes_are_listed_and_smaller_ones_left_out(&collector_with(&db, batches())).await;
}

#[tokio::test]
async fn a_region_is_left_out_too_when_the_nation_less_the_listed_would_single_out_fewer_than_ten_votes() {
    let Some(db) = Schema::create("a_region_is_left_out_too").await else { return };
    cases::a_region_is_left_out_too_when_the_nation_less_the_listed_would_single_out_fewer_than_ten_votes(&collector_with(&db, batches())).await;
}

#[tokio::test]
async fn the_cities_of_one_province_are_listed_at_city_level() {
    let Some(db) = Schema::create("the_cities_of_one_province_are_listed_at_city_level").await else { return };
    cases::the_cities_of_one_province_are_listed_at_city_level(&collector_with(&db, batches())).await;
}

#[tokio::test]
async fn a_bad_level_or_province_is_400_and_hidden_or_unknown_results_404() {
    let Some(db) = Schema::create("a_bad_level_or_province_is_400").await else { return };
    cases::a_bad_level_or_province_is_400_and_hidden_or_unknown_results_404(&collector_with(&db, batches())).await;
}

#[tokio::test]
async fn the_list_of_batches_is_newest_first_with_totals_unless_hidden() {
    let Some(db) = Schema::create("the_list_of_batches_is_newest_first").await else { return };
    cases::the_list_of_batches_is_newest_first_with_totals_unless_hidden(&collector_with(&db, batches())).await;
}

#[tokio::test]
async fn published_follow_up_is_served_on_every_batch_and_in_the_list() {
    let Some(db) = Schema::create("published_follow_up_is_served").await else { return };
    cases::published_follow_up_is_served_on_every_batch_and_in_the_list(&collector_with(&db, batches())).await;
}

#[tokio::test]
async fn follow_up_published_through_one_collector_shows_on_another() {
    let Some(db) = Schema::create("follow_up_published_through_one_collector").await else { return };
    let (first, second) = (collector_with(&db, batches()), collector_with(&db, batches()));
    assert!(second.get("/api/v1/batches/2018-1-education-identity").await.json().get("follow_up").is_none());
    first.publish_follow_up(&crate::support::closed_follow_up()).await;
    tokio::time::sleep(collector::follow_up_cache::TTL).await;
    let served = second.get("/api/v1/batches/2018-1-education-identity").await.json();
    assert_eq!(served, crate::support::example("batch-closed.json"));
}
