//! Votes that reach the writer together and so would share one transaction
//! (group commit): each is answered exactly as if it had been written
//! alone, in the order it came. The cases run on one thread, so every
//! request reaches the writer's queue before the writer looks at it: the
//! votes of one case are one group. `tests/api/groups.rs` runs them on
//! SQLite, `tests/postgres/votes.rs` on PostgreSQL.

use std::collections::HashSet;

use serde_json::json;

use crate::support::{RealNameApp, Reply, TestApp, reply_of, verification_request, vote, vote_request, vote_with_id};

const VOTE_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";
const SECOND_VOTE_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// Sends every body at once (each with its vote id as the key) and waits
/// for all the answers, in the order sent.
async fn all_at_once(app: &TestApp, votes: &[serde_json::Value]) -> Vec<Reply> {
    let tasks: Vec<_> = votes
        .iter()
        .map(|v| {
            let key = v["vote_id"].as_str().unwrap().to_owned();
            tokio::spawn(reply_of(app.router.clone(), vote_request(&key, v.to_string())))
        })
        .collect();
    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    replies
}

pub async fn identical_votes_together_make_one_vote_and_one_receipt(app: &TestApp) {
    let replies = all_at_once(app, &vec![vote(); 8]).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(statuses, [201, 200, 200, 200, 200, 200, 200, 200]);
    let receipts: HashSet<String> = replies.iter().map(|r| r.json()["receipt"].as_str().unwrap().to_owned()).collect();
    assert_eq!(receipts.len(), 1);
}

pub async fn a_key_reused_together_with_its_first_use_is_refused(app: &TestApp) {
    let mut changed = vote();
    changed["choices"] = json!(["clinic-card"]);
    let other = vote_with_id(SECOND_VOTE_ID);
    let replies = all_at_once(app, &[vote(), changed, vote(), other]).await;
    assert_eq!(replies[0].status, 201, "{}", replies[0].text);
    assert_eq!(replies[1].field_errors(), [("vote_id".into(), "key_reused".into())]);
    assert_eq!((replies[2].status.as_u16(), replies[2].json()), (200, replies[0].json()));
    assert_eq!(replies[3].status, 201, "{}", replies[3].text);
}

pub async fn a_second_real_name_vote_together_with_the_first_is_refused(app: &RealNameApp) {
    let first_token = app.token_for(&verification_request()).await;
    app.clock.advance(60);
    let mut same_person = verification_request();
    same_person["id_number"] = json!("11010519491231002x");
    let second_token = app.token_for(&same_person).await;
    let with_token = |id: &str, token: &str| {
        let mut v = vote_with_id(id);
        v["verification_token"] = json!(token);
        v
    };
    let votes = [
        with_token(VOTE_ID, &first_token),
        with_token(SECOND_VOTE_ID, &second_token),
        with_token(VOTE_ID, &second_token),
        vote_with_id("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
    ];
    let replies = all_at_once(&app.app, &votes).await;
    assert_eq!(replies[0].status, 201, "{}", replies[0].text);
    replies[1].problem(409);
    assert_eq!((replies[2].status.as_u16(), replies[2].json()), (200, replies[0].json()), "a replay with another token");
    assert_eq!(replies[3].status, 201, "an anonymous vote beside them is counted");
    let results = app.app.get("/api/v1/batches/2018-3-social-medical/results").await.json();
    assert_eq!((results["total"].as_u64(), results["real_name_total"].as_u64()), (Some(2), Some(1)));
}

pub async fn many_votes_together_are_each_counted_once(app: &TestApp) {
    let mut votes: Vec<_> = (0..100).map(|i| vote_with_id(&format!("{i:08x}-0000-4000-8000-000000000000"))).collect();
    votes.extend(votes.clone().into_iter().step_by(10));
    let replies = all_at_once(app, &votes).await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let replayed = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!((created, replayed), (100, 10));
    let results = app.get("/api/v1/batches/2018-3-social-medical/results").await.json();
    assert_eq!(results["total"], 100);
    assert_eq!(results["options"][0], json!({"id": "clinic-card", "votes": 100}));
}
