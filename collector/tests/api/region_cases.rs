//! Results by region, the list of batches and follow-up, as cases any
//! collector must pass whatever its engine: run on SQLite by
//! `tests/api/regions.rs` and on PostgreSQL by `tests/postgres/regions.rs`.

use serde_json::{Value, json};

use crate::support::{TestApp, closed_batch, closed_follow_up, example, nth_vote_id, open_batch, vote_with_id};

/// The open example batch's id.
pub const OPEN: &str = "2018-3-social-medical";

/// Batches for these cases: the closed example (results always), the
/// open one (results after the vote), and one whose results are hidden.
pub fn batches() -> Vec<Value> {
    let mut hidden = open_batch();
    hidden["id"] = json!("2018-hidden");
    hidden["results"] = json!("hidden");
    hidden["opens_at"] = json!("2018-08-01T00:00:00+08:00");
    vec![closed_batch(), open_batch(), hidden]
}

/// Casts `count` votes in the open batch from `city` of `province`
/// (county left to the example's when it is Shijiazhuang's), ids from `first`.
pub async fn cast(app: &TestApp, first: u32, count: u32, province: &str, city: &str, county: &str) {
    for n in first..first + count {
        let mut vote = vote_with_id(&nth_vote_id(n));
        vote["location"] = json!({ "province": province, "city": city, "county": county });
        let reply = app.post_vote(&vote).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
}

/// Ten votes in Shijiazhuang (Hebei), nine in Beijing's Dongcheng.
async fn ten_in_hebei_nine_in_beijing(app: &TestApp) {
    cast(app, 0, 10, "130000", "130100", "130102").await;
    cast(app, 100, 9, "110000", "110100", "110101").await;
}

pub async fn provinces_with_at_least_ten_votes_are_listed_and_smaller_ones_left_out(app: &TestApp) {
    ten_in_hebei_nine_in_beijing(app).await;
    // With Hainan's one vote, the provinces left out hold 10 together.
    cast(app, 300, 1, "460000", "460100", "460105").await;
    let reply = app.get(&format!("/api/v1/batches/{OPEN}/results/regions")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    let parsed: survey_protocol::RegionResults = serde_json::from_value(body.clone()).unwrap();
    assert_eq!((parsed.batch_id.as_str(), parsed.level, parsed.province.as_deref(), parsed.min_votes),
        (OPEN, survey_protocol::RegionLevel::Province, None, 10));
    assert_eq!(parsed.regions.len(), 1, "Beijing's 9 votes and Hainan's 1 are withheld: {body}");
    let hebei = parsed.shown("130000").expect("Hebei has 10 votes");
    assert_eq!((hebei.total, hebei.real_name_total), (10, 0));
    let batch = open_batch();
    let order: Vec<&str> = batch["options"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    let listed: Vec<&str> = hebei.options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(listed, order, "every option, in batch order");
    assert_eq!((hebei.votes("repeat-tests"), hebei.votes("clinic-card"), hebei.votes("death-affairs")), (10, 10, 0));
    assert!(survey_protocol::time::parse_rfc3339(&parsed.updated_at).is_some());
    assert!(parsed.shown("110000").is_none());
}

pub async fn a_region_is_left_out_too_when_the_nation_less_the_listed_would_single_out_fewer_than_ten_votes(app: &TestApp) {
    let listed = |body: Value| -> Vec<String> {
        body["regions"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect()
    };
    let provinces = format!("/api/v1/batches/{OPEN}/results/regions");
    ten_in_hebei_nine_in_beijing(app).await;
    cast(app, 300, 12, "460000", "460100", "460105").await;
    // The nation's 31 less Hebei's 10 and Hainan's 12 would be Beijing's 9:
    // the smallest listed, Hebei, is left out as well.
    assert_eq!(listed(app.get(&provinces).await.json()), ["460000"]);
    // One more vote in Beijing lists it, and then none are left out.
    cast(app, 400, 1, "110000", "110100", "110101").await;
    tokio::time::sleep(collector::results_cache::LISTING_MIN_AGE).await;
    assert_eq!(listed(app.get(&provinces).await.json()), ["110000", "130000", "460000"]);

    // Within a province the same: Hebei's 13 less Shijiazhuang's 10 would be
    // Tangshan's 3.
    cast(app, 500, 3, "130000", "130200", "130202").await;
    tokio::time::sleep(collector::results_cache::LISTING_MIN_AGE).await;
    let hebei = app.get(&format!("{provinces}?level=city&province=130000")).await.json();
    assert_eq!(listed(hebei), Vec::<String>::new());
}

pub async fn the_cities_of_one_province_are_listed_at_city_level(app: &TestApp) {
    ten_in_hebei_nine_in_beijing(app).await;
    cast(app, 200, 10, "110000", "110100", "110101").await;
    let city = app.get(&format!("/api/v1/batches/{OPEN}/results/regions?level=city&province=130000")).await.json();
    assert_eq!((city["level"].as_str(), city["province"].as_str()), (Some("city"), Some("130000")));
    let codes: Vec<&str> = city["regions"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["130100"]);
    let beijing = app.get(&format!("/api/v1/batches/{OPEN}/results/regions?level=city&province=110000")).await.json();
    assert_eq!(beijing["regions"][0]["code"], "110100");
    assert_eq!(beijing["regions"][0]["total"], 19, "the 9 and the 10 later votes");
    let provinces = app.get(&format!("/api/v1/batches/{OPEN}/results/regions?level=province")).await.json();
    let codes: Vec<&str> = provinces["regions"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["110000", "130000"], "in code order");
}

pub async fn a_bad_level_or_province_is_400_and_hidden_or_unknown_results_404(app: &TestApp) {
    let regions = |query: &str| format!("/api/v1/batches/{OPEN}/results/regions{query}");
    for query in ["?level=county", "?level=city", "?level=city&province=130100", "?level=city&province=990000", "?province=13"] {
        let problem = app.get(&regions(query)).await.problem(400);
        assert!(problem["detail"].is_string(), "{query}: {problem}");
    }
    app.get("/api/v1/batches/2018-hidden/results/regions").await.problem(404);
    app.get("/api/v1/batches/no-such-batch/results/regions?level=city&province=130000").await.problem(404);
}

pub async fn the_list_of_batches_is_newest_first_with_totals_unless_hidden(app: &TestApp) {
    cast(app, 0, 3, "130000", "130100", "130102").await;
    let reply = app.get("/api/v1/batches").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let list: survey_protocol::BatchList = serde_json::from_str(&reply.text).unwrap();
    let ids: Vec<&str> = list.batches.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["2018-hidden", OPEN, "2018-1-education-identity"]);
    let [hidden, open, closed] = &list.batches[..] else { unreachable!() };
    assert_eq!((hidden.total, hidden.real_name_total), (None, None));
    assert_eq!((open.total, open.real_name_total), (Some(3), Some(0)));
    assert_eq!((closed.total, closed.status), (Some(0), survey_protocol::BatchStatus::Closed));
    assert_eq!(closed.title, closed_batch()["title"]);
    assert_eq!(closed.follow_up, None, "nothing published yet");
    assert_eq!(reply.header("content-language"), Some("zh-CN"));

    // Made once and kept like a listing: a vote counted now shows once
    // the list is LISTING_MIN_AGE old, not at the next read.
    cast(app, 100, 1, "130000", "130100", "130102").await;
    assert_eq!(app.get("/api/v1/batches").await.text, reply.text, "the same list, from the cache");
    tokio::time::sleep(collector::results_cache::LISTING_MIN_AGE).await;
    let list: survey_protocol::BatchList = serde_json::from_str(&app.get("/api/v1/batches").await.text).unwrap();
    assert_eq!(list.batches[1].total, Some(4));
}

pub async fn published_follow_up_is_served_on_every_batch_and_in_the_list(app: &TestApp) {
    let mut file = closed_follow_up();
    file["batches"].as_array_mut().unwrap().push(json!({
        "id": OPEN,
        "options": { "clinic-card": { "status": "collecting", "updated_at": "2018-07-09T00:00:00+08:00" } }
    }));
    app.publish_follow_up(&file).await;

    let closed = app.get("/api/v1/batches/2018-1-education-identity").await;
    assert_eq!(closed.status, 200, "{}", closed.text);
    assert_eq!(closed.json(), example("batch-closed.json"), "the closed example, follow-up and all");
    let current = app.get("/api/v1/batches/current").await.json();
    assert_eq!(current["id"], OPEN);
    assert_eq!(current["options"][0]["follow_up"]["status"], "collecting");
    assert!(current["options"][1].get("follow_up").is_none());
    let list = app.get("/api/v1/batches").await.json();
    assert_eq!(list["batches"][2]["follow_up"], example("batch-closed.json")["follow_up"]);
    app.get("/api/v1/batches/no-such-batch").await.problem(404);

    // Publishing a batch again replaces its follow-up whole.
    app.publish_follow_up(&json!({ "batches": [{ "id": "2018-1-education-identity" }] })).await;
    tokio::time::sleep(collector::follow_up_cache::TTL).await;
    let withdrawn = app.get("/api/v1/batches/2018-1-education-identity").await.json();
    assert_eq!(withdrawn, closed_batch());
    let current = app.get("/api/v1/batches/current").await.json();
    assert_eq!(current["options"][0]["follow_up"]["status"], "collecting", "other batches keep theirs");
}
