//! The vote rules on PostgreSQL: the same group-commit cases as on SQLite
//! (`tests/api/groups.rs`), and a vote stored column by column.

use crate::database::Schema;
use crate::group_cases as groups;
use crate::support::{open_batch, vote};
use crate::{collector, real_name_collector};

#[tokio::test]
async fn identical_votes_in_one_group_make_one_row_and_one_receipt() {
    let Some(db) = Schema::create("identical_votes_in_one_group_make_one_row_and_one_receipt").await else { return };
    groups::identical_votes_together_make_one_vote_and_one_receipt(&collector(&db)).await;
    let stored: i64 = db.client().await.query_one("SELECT COUNT(*) FROM votes", &[]).await.unwrap().get(0);
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn a_key_reused_in_the_group_of_its_first_use_is_refused() {
    let Some(db) = Schema::create("a_key_reused_in_the_group_of_its_first_use_is_refused").await else { return };
    groups::a_key_reused_together_with_its_first_use_is_refused(&collector(&db)).await;
}

#[tokio::test]
async fn a_second_real_name_vote_in_the_group_of_the_first_is_refused() {
    let Some(db) = Schema::create("a_second_real_name_vote_in_the_group_of_the_first_is_refused").await else { return };
    groups::a_second_real_name_vote_together_with_the_first_is_refused(&real_name_collector(&db)).await;
}

#[tokio::test]
async fn a_hundred_votes_and_ten_retries_in_one_group_are_counted_once_each() {
    let Some(db) = Schema::create("a_hundred_votes_and_ten_retries_in_one_group").await else { return };
    groups::many_votes_together_are_each_counted_once(&collector(&db)).await;
}

#[tokio::test]
async fn the_example_vote_is_stored_column_by_column() {
    let Some(db) = Schema::create("the_example_vote_is_stored_column_by_column").await else { return };
    let app = collector(&db);
    let receipt = app.post_vote(&vote()).await;
    assert_eq!(receipt.status, 201, "{}", receipt.text);
    let client = db.client().await;
    let row = client
        .query_one(
            "SELECT batch_id, receipt, province, city, county, other, locale, embed_origin, widget_version, real_name,
                    real_name_key IS NULL, length(body_hash)
             FROM votes WHERE vote_id = '3b241101-e2bb-4255-8caf-4136c566a962'",
            &[],
        )
        .await
        .unwrap();
    let text: Vec<String> = (0..9).map(|i| row.get(i)).collect();
    let other = "异地生育保险报销要回参保地现场办理。";
    let code = receipt.json()["receipt"].as_str().unwrap().to_owned();
    assert_eq!(text, ["2018-3-social-medical", &code, "130000", "130100", "130102", other, "zh-CN", "https://www.gov.cn", "0.1.0"]);
    assert_eq!((row.get::<_, bool>(9), row.get::<_, bool>(10), row.get::<_, i32>(11)), (false, true, 32));
    let choices: Vec<String> = client
        .query("SELECT option_id FROM vote_choices ORDER BY position", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(choices, ["repeat-tests", "clinic-card"]);
    let nation: Vec<(String, i64)> = client
        .query("SELECT option_id, SUM(votes)::int8 FROM tallies WHERE level = 0 GROUP BY option_id ORDER BY option_id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(nation, [("clinic-card".to_owned(), 1), ("repeat-tests".to_owned(), 1)]);
    let regions: Vec<(i16, String, i64)> = client
        .query("SELECT level, region, SUM(total)::int8 FROM tally_totals GROUP BY level, region ORDER BY level", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(regions, [(0, String::new(), 1), (1, "130000".into(), 1), (2, "130100".into(), 1)]);
}

#[tokio::test]
async fn a_collector_with_another_secret_refuses_to_start_on_the_database() {
    let Some(db) = Schema::create("a_collector_with_another_secret_refuses_to_start").await else { return };
    drop(collector(&db));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.key"), [0x77; 32]).unwrap();
    let config = crate::support::test_config(db.location(), vec![open_batch()], &dir);
    let error = collector::AppState::open(&config).err().expect("another secret is refused").to_string();
    assert!(error.contains("another server secret"), "{error}");
}
