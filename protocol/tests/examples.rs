//! Every JSON example in `docs/examples/` parses into the protocol types and
//! serialises back to the same JSON, so the documentation cannot drift from
//! the code that both the widget and the collector use.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use survey_protocol::batch_check::parse_batch;
use survey_protocol::vote_check::check_vote;
use survey_protocol::{
    Batch, BatchError, BatchList, Problem, Receipt, RegionResults, Results, VerificationConfirm, VerificationCreated, VerificationRequest,
    Verified, Vote,
};

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/examples")
}

fn read(name: &str) -> String {
    fs::read_to_string(examples_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_round_trips<T: DeserializeOwned + Serialize>(name: &str) {
    let original: Value = serde_json::from_str(&read(name)).unwrap();
    let typed: T = serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, original, "{name} does not survive a round trip");
}

#[test]
fn every_example_round_trips_through_its_type() {
    let mut seen = 0;
    for entry in fs::read_dir(examples_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !name.ends_with(".json") {
            continue;
        }
        match name.split(['-', '.']).next().unwrap() {
            "verification" => match name.as_str() {
                "verification-request.json" => assert_round_trips::<VerificationRequest>(&name),
                "verification-created.json" => assert_round_trips::<VerificationCreated>(&name),
                "verification-confirm.json" => assert_round_trips::<VerificationConfirm>(&name),
                "verification-verified.json" => assert_round_trips::<Verified>(&name),
                other => panic!("{other}: no type is known for this verification example"),
            },
            "batch" => assert_round_trips::<Batch>(&name),
            "batches" => assert_round_trips::<BatchList>(&name),
            "vote" => assert_round_trips::<Vote>(&name),
            "receipt" => assert_round_trips::<Receipt>(&name),
            "problem" => assert_round_trips::<Problem>(&name),
            "results" if name.starts_with("results-regions-") => assert_round_trips::<RegionResults>(&name),
            "results" => assert_round_trips::<Results>(&name),
            other => panic!("{name}: no type is known for examples named {other}-*"),
        }
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} examples found");
}

#[test]
fn the_example_verification_request_holds_a_valid_id_number_and_phone() {
    let request: VerificationRequest = serde_json::from_str(&read("verification-request.json")).unwrap();
    assert_eq!(survey_protocol::identity::check_id_number(&request.id_number, (2026, 11, 29)), Ok(()));
    assert!(survey_protocol::identity::normalize_phone(&request.phone).is_some());
    assert!(!format!("{request:?}").contains(&request.id_number), "Debug must not print the ID number");
}

#[test]
fn example_batches_keep_every_rule() {
    for name in ["batch-open.json", "batch-closed.json", "batch-upcoming.json"] {
        parse_batch(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn example_vote_is_valid_for_the_open_batch() {
    let batch = parse_batch(&read("batch-open.json")).unwrap();
    let vote: Vote = serde_json::from_str(&read("vote.json")).unwrap();
    assert_eq!(check_vote(&batch, &vote), vec![]);
}

#[test]
fn each_broken_example_batch_is_refused_for_its_own_reason() {
    type IsExpected = fn(&BatchError) -> bool;
    let cases: [(&str, IsExpected); 8] = [
        ("not-json.html", |e| *e == BatchError::NotJson),
        ("missing-choices.json", |e| matches!(e, BatchError::WrongShape(d) if d.contains("choices"))),
        ("max-below-min.json", |e| *e == BatchError::BadChoiceRange { min: 3, max: 2 }),
        ("duplicate-option-ids.json", |e| *e == BatchError::DuplicateOptionId("clinic-card".into())),
        ("no-options.json", |e| *e == BatchError::NoOptions),
        ("bad-id.json", |e| *e == BatchError::BadId),
        ("four-levels.json", |e| *e == BatchError::BadLevels(4)),
        ("real-name-without-notice.json", |e| *e == BatchError::MissingPrivacyNotice),
    ];
    let on_disk = fs::read_dir(examples_dir().join("invalid-batches")).unwrap().count();
    assert_eq!(on_disk, cases.len(), "every broken example needs a case here");
    for (name, expected) in cases {
        let err = parse_batch(&read(&format!("invalid-batches/{name}"))).unwrap_err();
        assert!(expected(&err), "{name}: refused for the wrong reason: {err:?}");
    }
}

#[test]
fn each_broken_example_batch_lists_first_the_rule_check_names() {
    for entry in fs::read_dir(examples_dir().join("invalid-batches")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Ok(batch) = serde_json::from_str::<Batch>(&read(&format!("invalid-batches/{name}"))) else {
            continue;
        };
        assert_eq!(batch.broken_rules().first(), batch.check().err().as_ref(), "{name}");
    }
}

#[test]
fn a_batch_breaking_two_rules_lists_both_and_check_names_the_first() {
    let mut batch: Batch = serde_json::from_str(&read("batch-open.json")).unwrap();
    assert_eq!(batch.broken_rules(), vec![]);
    batch.title = " ".to_owned();
    batch.location.levels = 0;
    assert_eq!(batch.broken_rules(), vec![BatchError::EmptyTitle, BatchError::BadLevels(0)]);
    assert_eq!(batch.check(), Err(BatchError::EmptyTitle));
}

#[test]
fn example_region_results_list_every_option_of_the_batch_in_its_order() {
    let batch = parse_batch(&read("batch-open.json")).unwrap();
    let ids: Vec<&str> = batch.options.iter().map(|o| o.id.as_str()).collect();
    for name in ["results-regions-province.json", "results-regions-city.json"] {
        let results: RegionResults = serde_json::from_str(&read(name)).unwrap();
        assert_eq!(results.batch_id, batch.id, "{name}");
        assert!(results.min_votes >= survey_protocol::region_results::MIN_VOTES_FLOOR, "{name}");
        for region in &results.regions {
            let listed: Vec<&str> = region.options.iter().map(|o| o.id.as_str()).collect();
            assert_eq!(listed, ids, "{name}: {}", region.code);
            assert!(region.total >= results.min_votes, "{name}: {} is listed below min_votes", region.code);
            assert!(region.options.iter().all(|o| o.votes <= region.total), "{name}: {}", region.code);
        }
    }
}

#[test]
fn example_follow_ups_are_sound() {
    let list: BatchList = serde_json::from_str(&read("batches.json")).unwrap();
    let summaries: Vec<_> = list.batches.iter().filter_map(|b| b.follow_up.as_ref()).collect();
    assert!(!summaries.is_empty());
    assert!(summaries.iter().all(|f| f.is_sound()));
    let closed = parse_batch(&read("batch-closed.json")).unwrap();
    let follow_ups: Vec<_> = closed.options.iter().filter_map(|o| o.follow_up.as_ref()).collect();
    assert!(!follow_ups.is_empty(), "batch-closed.json shows a follow-up");
    assert!(follow_ups.iter().all(|f| f.is_sound()));
    assert!(closed.follow_up.as_ref().is_some_and(|f| f.is_sound()));
}
