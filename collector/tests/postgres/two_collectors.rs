//! Two collectors on one database, as two processes behind a load balancer:
//! whatever instance a request reaches, the citizen gets the same answer.

use std::collections::HashSet;

use serde_json::json;

use collector::store::tally::RegionRange;

use crate::database::Schema;
use crate::support::{reply_of, verification_request, vote, vote_request, vote_with_id};
use crate::{collector, open_store, real_name_collector};

const BATCH: &str = "2018-3-social-medical";
const VOTE_ID: &str = "3b241101-e2bb-4255-8caf-4136c566a962";
const SECOND_VOTE_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

#[tokio::test]
async fn a_vote_sent_to_one_collector_and_retried_on_the_other_gets_its_first_receipt() {
    let Some(db) = Schema::create("a_vote_sent_to_one_collector_and_retried_on_the_other").await else { return };
    let (one, other) = (collector(&db), collector(&db));
    let first = one.post_vote(&vote()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = other.post_vote(&vote()).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json(), first.json());

    let mut changed = vote();
    changed["choices"] = json!(["clinic-card"]);
    assert_eq!(other.post_vote(&changed).await.field_errors(), [("vote_id".into(), "key_reused".into())]);
    let stored: i64 = db.client().await.query_one("SELECT COUNT(*) FROM votes", &[]).await.unwrap().get(0);
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn a_second_real_name_vote_on_the_other_collector_is_refused() {
    let Some(db) = Schema::create("a_second_real_name_vote_on_the_other_collector_is_refused").await else { return };
    let (one, other) = (real_name_collector(&db), real_name_collector(&db));
    let token = one.token_for(&verification_request()).await;
    let first = one.vote_with_token(VOTE_ID, &token).await;
    assert_eq!(first.status, 201, "{}", first.text);

    // The same person, verified again through the other collector (from
    // another phone: the first is still within its one code a minute).
    let mut same_person = verification_request();
    same_person["id_number"] = json!("11010519491231002x");
    same_person["phone"] = json!("13900139000");
    let second_token = other.token_for(&same_person).await;
    other.vote_with_token(SECOND_VOTE_ID, &second_token).await.problem(409);
    let replay = other.vote_with_token(VOTE_ID, &second_token).await;
    assert_eq!((replay.status.as_u16(), replay.json()), (200, first.json()));
}

#[tokio::test]
async fn a_code_asked_for_on_one_collector_is_confirmed_on_the_other() {
    let Some(db) = Schema::create("a_code_asked_for_on_one_collector_is_confirmed_on_the_other").await else { return };
    let (one, other) = (real_name_collector(&db), real_name_collector(&db));
    assert_eq!(one.request(&verification_request()).await.status, 201);
    let message = one.sms.last();
    let verified = other.confirm(&message.verification_id, &message.code).await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    let token = verified.json()["token"].as_str().unwrap().to_owned();
    let receipt = other.vote_with_token(VOTE_ID, &token).await;
    assert_eq!((receipt.status.as_u16(), &receipt.json()["real_name"]), (201, &json!(true)));
    // Confirmed on one collector, it is gone on both.
    one.confirm(&message.verification_id, &message.code).await.problem(404);
}

#[tokio::test]
async fn wrong_codes_and_the_phone_limit_count_across_collectors() {
    let Some(db) = Schema::create("wrong_codes_and_the_phone_limit_count_across_collectors").await else { return };
    let (one, other) = (real_name_collector(&db), real_name_collector(&db));
    assert_eq!(one.request(&verification_request()).await.status, 201);
    // Within the minute, the other collector refuses a second code for the phone.
    let soon = other.request(&verification_request()).await;
    soon.problem(429);
    assert!(soon.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() > 0));

    let message = one.sms.last();
    let wrong = if message.code == "000000" { "111111" } else { "000000" };
    for (collector, tries_left) in [(&one, 4), (&other, 3), (&one, 2), (&other, 1)] {
        let reply = collector.confirm(&message.verification_id, wrong).await;
        let text = reply.json()["errors"][0]["message"].as_str().unwrap().to_owned();
        let expected = if tries_left == 1 { "1 try left".to_owned() } else { format!("{tries_left} tries left") };
        assert!(text.ends_with(&expected), "{text}");
    }
    other.confirm(&message.verification_id, wrong).await.problem(429);
    one.confirm(&message.verification_id, &message.code).await.problem(429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tallies_agree_across_collectors_and_count_every_vote_once() {
    let Some(db) = Schema::create("tallies_agree_across_collectors_and_count_every_vote_once").await else { return };
    let (one, other) = (collector(&db), collector(&db));
    let places = [
        json!({"province": "110000", "city": "110100", "county": "110101"}),
        json!({"province": "130000", "city": "130100", "county": "130102"}),
        json!({"province": "130000", "city": "130200", "county": "130202"}),
        json!({"province": "460000", "city": "469001", "county": "469001"}),
    ];
    let options = ["clinic-card", "repeat-tests", "pay-queues", "death-affairs"];
    let mut tasks = Vec::new();
    for i in 0..240_u32 {
        let mut v = vote_with_id(&format!("{:08x}-0000-4000-8000-{:012x}", i, i));
        v["location"] = places[i as usize % places.len()].clone();
        v["choices"] = json!([options[i as usize % 4], options[(i as usize + 1) % 4]]);
        // Every vote goes to one collector, and every third is retried on the other at once.
        let (first, second) = if i % 2 == 0 { (&one, &other) } else { (&other, &one) };
        let key = v["vote_id"].as_str().unwrap().to_owned();
        tasks.push(tokio::spawn(reply_of(first.router.clone(), vote_request(&key, v.to_string()))));
        if i % 3 == 0 {
            tasks.push(tokio::spawn(reply_of(second.router.clone(), vote_request(&key, v.to_string()))));
        }
    }
    let mut receipts = HashSet::new();
    let mut created = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        assert!(reply.status == 201 || reply.status == 200, "{}", reply.text);
        created += usize::from(reply.status == 201);
        receipts.insert((reply.json()["vote_id"].as_str().unwrap().to_owned(), reply.json()["receipt"].clone()));
    }
    assert_eq!((created, receipts.len()), (240, 240), "each vote is counted once, with one receipt");

    let path = format!("/api/v1/batches/{BATCH}/results");
    let (a, b) = (one.get(&path).await.json(), other.get(&path).await.json());
    assert_eq!(a["options"], b["options"]);
    assert_eq!((a["total"].as_u64(), b["total"].as_u64()), (Some(240), Some(240)));
    let votes_of = |id: &str| a["options"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap()["votes"].clone();
    for option in options {
        assert_eq!(votes_of(option), json!(120), "{option}");
    }

    // The regions' tallies add up to the nation's, from the same rows.
    let provinces = open_store(&db.url).unwrap().region_tallies(BATCH, &RegionRange::provinces()).await.unwrap();
    let codes: Vec<&str> = provinces.regions.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(codes, ["110000", "130000", "460000"]);
    assert_eq!(provinces.regions.iter().map(|(_, t)| t.total).sum::<u64>(), 240);
    assert_eq!(provinces.whole.total, 240, "the nation, read with them");
    assert_eq!(provinces.regions[1].1.total, 120);
    let cities = open_store(&db.url).unwrap().region_tallies(BATCH, &RegionRange::cities_of("130000")).await.unwrap();
    assert_eq!(cities.whole.total, 120, "Hebei, read with its cities");
    let cities: Vec<(&str, u64)> = cities.regions.iter().map(|(code, t)| (code.as_str(), t.total)).collect();
    assert_eq!(cities, [("130100", 60), ("130200", 60)]);
}
