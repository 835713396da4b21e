//! `GET /api/v1/batches/{id}/results`.

use serde_json::json;

use crate::support::{TestApp, open_batch, upcoming_batch, vote, vote_with_id};

#[tokio::test]
async fn results_count_every_vote_per_option_in_batch_order() {
    let app = TestApp::new(vec![open_batch()]);
    let mut votes = vec![vote(), vote_with_id("0f8fad5b-d9cb-469f-a165-70867728950e")];
    let mut third = vote_with_id("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    third["choices"] = json!(["repeat-tests", "death-affairs"]);
    votes.push(third);
    for vote in &votes {
        assert_eq!(app.post_vote(vote).await.status, 201);
    }
    // A replay is not a second vote.
    assert_eq!(app.post_vote(&votes[0]).await.status, 200);

    let reply = app.get("/api/v1/batches/2018-3-social-medical/results").await;
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!((body["batch_id"].as_str(), body["total"].as_u64(), body["real_name_total"].as_u64()),
        (Some("2018-3-social-medical"), Some(3), Some(0)));
    let tallies: Vec<(&str, u64)> =
        body["options"].as_array().unwrap().iter().map(|o| (o["id"].as_str().unwrap(), o["votes"].as_u64().unwrap())).collect();
    let batch = open_batch();
    let order: Vec<&str> = batch["options"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(tallies.iter().map(|t| t.0).collect::<Vec<_>>(), order);
    assert_eq!(tallies[0], ("clinic-card", 2));
    assert_eq!(tallies[1], ("repeat-tests", 3));
    assert_eq!(tallies.last(), Some(&("death-affairs", 1)));
    assert_eq!(tallies.iter().map(|t| t.1).sum::<u64>(), 6);
    assert!(survey_protocol::time::parse_rfc3339(body["updated_at"].as_str().unwrap()).is_some());
}

#[tokio::test]
async fn results_of_a_batch_without_votes_are_all_zeros() {
    let app = TestApp::new(vec![open_batch()]);
    let body = app.get("/api/v1/batches/2018-3-social-medical/results").await.json();
    assert_eq!(body["total"], 0);
    assert!(body["options"].as_array().unwrap().iter().all(|o| o["votes"] == 0));
    assert_eq!(body["options"].as_array().unwrap().len(), 15);
}

#[tokio::test]
async fn results_of_a_hidden_or_unknown_batch_are_not_found() {
    let app = TestApp::new(vec![open_batch(), upcoming_batch()]);
    app.get("/api/v1/batches/2018-4-employment/results").await.problem(404);
    app.get("/api/v1/batches/no-such-batch/results").await.problem(404);
}
