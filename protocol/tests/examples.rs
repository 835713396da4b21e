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
    Batch, BatchError, Problem, Receipt, Results, VerificationConfirm, VerificationCreated, VerificationRequest,
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
            "vote" => assert_round_trips::<Vote>(&name),
            "receipt" => assert_round_trips::<Receipt>(&name),
            "problem" => assert_round_trips::<Problem>(&name),
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
