//! Each layer breaks one rule in front of the reference collector; the
//! checker must fail exactly that rule.

use super::layers;
use super::support::{Served, assert_failed};

#[test]
fn a_replay_that_mints_a_new_receipt_fails_votes_replay() {
    assert_failed(&Served::broken(layers::replay_mints_a_new_receipt).check(), &["votes.replay"]);
}

#[test]
fn a_422_without_errors_fails_problem_field_errors() {
    assert_failed(&Served::broken(layers::unprocessable_without_errors).check(), &["problem.field_errors"]);
}

#[test]
fn retry_after_left_out_of_the_exposed_headers_fails_cors_expose_headers() {
    assert_failed(&Served::broken(layers::retry_after_not_exposed).check(), &["cors.expose_headers"]);
}

#[test]
fn a_batch_with_max_below_min_fails_batch_choices() {
    assert_failed(&Served::broken(layers::batch_with_max_below_min).check(), &["batch.choices"]);
}

#[test]
fn error_bodies_sent_as_plain_json_fail_problem_content_type() {
    assert_failed(&Served::broken(layers::problems_sent_as_plain_json).check(), &["problem.content_type"]);
}

#[test]
fn a_key_other_than_the_vote_id_accepted_fails_votes_idempotency_key() {
    assert_failed(&Served::broken(layers::key_mismatch_accepted).check(), &["votes.idempotency_key"]);
}

#[test]
fn a_429_without_retry_after_fails_retry_after() {
    assert_failed(&Served::broken(layers::busy_without_retry_after).check(), &["retry_after"]);
}

#[test]
fn credentials_allowed_fail_cors_credentials() {
    assert_failed(&Served::broken(layers::credentials_allowed).check(), &["cors.credentials"]);
}

#[test]
fn results_that_never_count_fail_results_counted() {
    assert_failed(&Served::broken(layers::results_that_never_count).check(), &["results.counted"]);
}

#[test]
fn a_second_real_name_vote_acknowledged_fails_real_name_once() {
    assert_failed(&Served::broken(layers::second_real_name_vote_acknowledged).check(), &["real_name.once"]);
}

#[test]
fn a_problem_whose_status_differs_fails_problem_status() {
    assert_failed(&Served::broken(layers::problem_status_not_repeated).check(), &["problem.status"]);
}

#[test]
fn a_preflight_without_idempotency_key_fails_cors_preflight() {
    assert_failed(&Served::broken(layers::preflight_without_idempotency_key).check(), &["cors.preflight"]);
}

#[test]
fn other_counted_in_bytes_fails_votes_other_characters() {
    assert_failed(&Served::broken(layers::other_length_in_bytes).check(), &["votes.other_characters"]);
}

#[test]
fn receipts_sent_as_text_fail_answers_json() {
    assert_failed(&Served::broken(layers::receipts_sent_as_text).check(), &["answers.json"]);
}

#[test]
fn a_region_listed_below_its_min_votes_fails_regions_min_votes() {
    let served = Served::configured(layers::regions_listed_from_one_vote, layers::min_votes_claimed_ten);
    assert_failed(&served.check(), &["regions.min_votes"]);
}
