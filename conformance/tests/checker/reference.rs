//! The reference collector keeps every rule, whatever its batch asks: each
//! batch here makes different rules checkable.

use conformance::Outcome;
use serde_json::{Value, json};

use super::support::{Served, assert_failed, assert_passed, closed_example, example};

/// Every rule the report did not check says why.
#[track_caller]
fn assert_reasons_given(report: &conformance::Report) {
    for rule in report.rules() {
        if rule.outcome() == Outcome::NotChecked {
            assert!(rule.not_checked.is_some(), "{} is not checked without a reason\n{}", rule.rule.id, report.table());
        }
    }
}

/// A batch that requires real names, hides its results, asks only the
/// province (not required), takes no other text, and exactly two choices.
fn required_batch() -> Value {
    let mut batch = example("batch-open.json");
    batch["id"] = json!("required-1");
    batch["real_name"] = json!("required");
    batch["results"] = json!("hidden");
    batch["location"] = json!({"levels": 1, "required": false});
    batch["choices"] = json!({"min": 2, "max": 2});
    batch.as_object_mut().unwrap().remove("other");
    batch
}

/// A batch that takes no real names, asks province and city, shows results
/// always, and takes a short other text.
fn anonymous_batch() -> Value {
    let mut batch = example("batch-open.json");
    batch["id"] = json!("anonymous-1");
    batch["real_name"] = json!("off");
    batch["results"] = json!("always");
    batch["location"] = json!({"levels": 2, "required": true});
    batch["other"] = json!({"enabled": true, "max_length": 5});
    batch
}

#[test]
fn the_demo_collector_passes_every_rule_it_can_be_checked_on() {
    let report = Served::demo().check();
    assert_failed(&report, &[]);
    assert_reasons_given(&report);
    for rule in ["regions.available", "regions.shape", "regions.min_votes", "batches.list", "batches.one", "follow_up.sound"] {
        assert_passed(&report, rule);
    }
    let not_checked: Vec<&str> =
        report.rules().iter().filter(|r| r.outcome() == Outcome::NotChecked).map(|r| r.rule.id).collect();
    assert_eq!(
        not_checked,
        [
            "votes.batch_not_open",
            "votes.rejects.level_not_asked",
            "votes.rejects.other_not_allowed",
            "verifications.real_name_off"
        ],
        "{}",
        report.table()
    );
}

#[test]
fn a_batch_requiring_real_names_with_hidden_results_passes_too() {
    let report = Served::with_batches(vec![required_batch()]).check();
    assert_failed(&report, &[]);
    assert_reasons_given(&report);
    for rule in [
        "results.available",
        "votes.token_refused",
        "votes.counted",
        "votes.replay",
        "real_name.vote",
        "real_name.once",
        "votes.rejects.too_few",
        "votes.rejects.level_not_asked",
        "votes.rejects.other_not_allowed",
    ] {
        assert_passed(&report, rule);
    }
}

#[test]
fn a_batch_without_real_names_passes_too() {
    let report = Served::with_batches(vec![anonymous_batch()]).check();
    assert_failed(&report, &[]);
    assert_reasons_given(&report);
    for rule in
        ["verifications.real_name_off", "votes.other_characters", "votes.rejects.level_not_asked", "results.counted"]
    {
        assert_passed(&report, rule);
    }
}

#[test]
fn a_closed_batch_is_refused_with_410_and_nothing_else_is_voted() {
    let (batch, follow_up) = closed_example();
    let report = Served::with_follow_up(Some(vec![batch]), &follow_up).check();
    assert_failed(&report, &[]);
    assert_reasons_given(&report);
    assert_passed(&report, "votes.batch_not_open");
    assert_eq!(report.outcome_of("votes.counted"), Some(Outcome::NotChecked));
}

#[test]
fn an_endpoint_without_a_batch_passes_with_the_batch_rules_not_checked() {
    let report = Served::with_batches(vec![]).check();
    assert_failed(&report, &[]);
    assert_reasons_given(&report);
    assert_passed(&report, "batch.current");
    assert_passed(&report, "problem.content_type");
    assert_eq!(report.outcome_of("batch.choices"), Some(Outcome::NotChecked));
}

#[test]
fn fields_of_a_later_protocol_version_are_ignored() {
    let report = Served::broken(super::layers::fields_from_a_later_version).check();
    assert_failed(&report, &[]);
    assert_passed(&report, "votes.replay");
    assert_passed(&report, "results.counted");
}

#[test]
fn a_read_only_run_casts_no_vote() {
    let served = Served::demo();
    let report = conformance::run(&served.options(), false);
    assert_failed(&report, &[]);
    let counted = report.rules().iter().find(|r| r.rule.id == "votes.counted").unwrap();
    assert!(counted.not_checked.as_deref().unwrap().contains("sent no vote"), "{}", report.table());
    let after = conformance::run(&served.options(), true);
    assert_failed(&after, &[]);
}

#[test]
fn without_an_origin_or_a_code_source_those_rules_say_what_to_give() {
    let served = Served::demo();
    let options = conformance::Options { origin: None, codes: None, ..served.options() };
    let report = conformance::run(&options, true);
    assert_failed(&report, &[]);
    let reason = |id: &str| report.rules().iter().find(|r| r.rule.id == id).unwrap().not_checked.clone().unwrap();
    assert!(reason("cors.preflight").contains("--origin"));
    assert!(reason("real_name.once").contains("--code-command or --code-log"));
    assert_passed(&report, "verifications.malformed");
}

#[test]
fn an_endpoint_of_the_first_revision_passes_with_the_added_parts_not_checked() {
    let report = Served::broken(super::layers::first_revision_only).check();
    assert_failed(&report, &[]);
    assert_reasons_given(&report);
    for rule in ["regions.available", "regions.shape", "regions.min_votes", "batches.list", "batches.one", "follow_up.sound"] {
        assert_eq!(report.outcome_of(rule), Some(Outcome::NotChecked), "{rule}\n{}", report.table());
    }
}
