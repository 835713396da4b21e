//! Group commit on SQLite: the cases of `group_cases.rs`, and the rows they leave.

use crate::group_cases::{
    a_key_reused_together_with_its_first_use_is_refused, a_second_real_name_vote_together_with_the_first_is_refused,
    identical_votes_together_make_one_vote_and_one_receipt, many_votes_together_are_each_counted_once,
};
use crate::support::{RealNameApp, TestApp, open_batch};

#[tokio::test]
async fn identical_votes_in_one_group_make_one_row_and_one_receipt() {
    let app = TestApp::new(vec![open_batch()]);
    identical_votes_together_make_one_vote_and_one_receipt(&app).await;
    assert_eq!(app.stored_votes(), 1);
}

#[tokio::test]
async fn a_key_reused_in_the_group_of_its_first_use_is_refused() {
    a_key_reused_together_with_its_first_use_is_refused(&TestApp::new(vec![open_batch()])).await;
}

#[tokio::test]
async fn a_second_real_name_vote_in_the_group_of_the_first_is_refused() {
    a_second_real_name_vote_together_with_the_first_is_refused(&RealNameApp::new(vec![open_batch()])).await;
}

#[tokio::test]
async fn a_hundred_votes_and_ten_retries_in_one_group_are_counted_once_each() {
    let app = TestApp::new(vec![open_batch()]);
    many_votes_together_are_each_counted_once(&app).await;
    assert_eq!(app.stored_votes(), 100);
}
