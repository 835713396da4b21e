//! Host tests of the ballot rules, against the batch the protocol docs use.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::ballot::{Ballot, TickRefused};
use survey_protocol::batch_check::parse_batch;
use survey_protocol::field_error::field;
use survey_protocol::{Batch, ClientInfo, FieldErrorCode};

fn batch() -> Batch {
    parse_batch(include_str!("../docs/examples/batch-open.json")).unwrap()
}

fn client() -> ClientInfo {
    ClientInfo { widget_version: "test".into(), locale: "zh-CN".into(), embed_origin: None }
}

fn filled() -> Ballot {
    let mut ballot = Ballot::default();
    ballot.set_province(Some("130000".into()));
    ballot.set_city(Some("130100".into()));
    ballot.set_county(Some("130102".into()));
    ballot.toggle(&batch(), "repeat-tests").unwrap();
    ballot
}

#[test]
fn changing_province_clears_city_and_county() {
    let mut ballot = filled();
    ballot.set_province(Some("440000".into()));
    assert_eq!(ballot.location().province.as_deref(), Some("440000"));
    assert_eq!(ballot.location().city, None);
    assert_eq!(ballot.location().county, None);
}

#[test]
fn picking_the_same_province_again_keeps_city_and_county() {
    let mut ballot = filled();
    ballot.set_province(Some("130000".into()));
    assert_eq!(ballot.location().county.as_deref(), Some("130102"));
}

#[test]
fn changing_city_clears_county_only() {
    let mut ballot = filled();
    ballot.set_city(Some("130200".into()));
    assert_eq!(ballot.location().province.as_deref(), Some("130000"));
    assert_eq!(ballot.location().county, None);
}

#[test]
fn a_tick_past_the_maximum_is_refused_and_changes_nothing() {
    let batch = batch();
    let mut ballot = Ballot::default();
    for id in ["clinic-card", "repeat-tests", "pay-queues"] {
        ballot.toggle(&batch, id).unwrap();
    }
    let before = ballot.clone();
    assert_eq!(ballot.toggle(&batch, "death-affairs"), Err(TickRefused::AtMaximum(3)));
    assert_eq!(ballot, before);
}

#[test]
fn unticking_frees_a_place_under_the_maximum() {
    let batch = batch();
    let mut ballot = Ballot::default();
    for id in ["clinic-card", "repeat-tests", "pay-queues"] {
        ballot.toggle(&batch, id).unwrap();
    }
    ballot.toggle(&batch, "repeat-tests").unwrap();
    assert!(!ballot.is_chosen("repeat-tests"));
    ballot.toggle(&batch, "death-affairs").unwrap();
    assert_eq!(ballot.chosen_count(), 3);
}

#[test]
fn an_empty_ballot_lists_the_province_and_the_choices_as_missing() {
    let errors = Ballot::default().errors(&batch());
    let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        fields,
        vec![(field::PROVINCE, FieldErrorCode::Required), (field::CHOICES, FieldErrorCode::Required)]
    );
}

#[test]
fn a_missing_county_is_reported_at_the_county() {
    let mut ballot = filled();
    ballot.set_county(None);
    let errors = ballot.errors(&batch());
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].field.as_str(), errors[0].code), (field::COUNTY, FieldErrorCode::Required));
}

#[test]
fn other_text_over_the_limit_is_an_error_at_other() {
    let mut ballot = filled();
    ballot.set_other("堵".repeat(201));
    assert_eq!(ballot.other_length(), 201);
    let errors = ballot.errors(&batch());
    assert_eq!((errors[0].field.as_str(), errors[0].code), (field::OTHER, FieldErrorCode::TooLong));
}

#[test]
fn a_complete_ballot_becomes_a_vote_with_trimmed_other_text() {
    let mut ballot = filled();
    ballot.set_other("  挂号难  ".into());
    let vote = ballot.to_vote(&batch(), "3b241101-e2bb-4255-8caf-4136c566a962".into(), client()).unwrap();
    assert_eq!(vote.batch_id, "2018-3-social-medical");
    assert_eq!(vote.choices, vec!["repeat-tests".to_string()]);
    assert_eq!(vote.other.as_deref(), Some("挂号难"));
    assert_eq!(vote.location.county.as_deref(), Some("130102"));
    assert_eq!(vote.verification_token, None);
}

#[test]
fn blank_other_text_is_left_out_of_the_vote() {
    let mut ballot = filled();
    ballot.set_other("   ".into());
    let vote = ballot.to_vote(&batch(), "3b241101-e2bb-4255-8caf-4136c566a962".into(), client()).unwrap();
    assert_eq!(vote.other, None);
}

#[test]
fn levels_the_batch_does_not_ask_for_are_sent_as_null() {
    let mut batch = batch();
    batch.location.levels = 1;
    let vote = filled().to_vote(&batch, "3b241101-e2bb-4255-8caf-4136c566a962".into(), client()).unwrap();
    assert_eq!(vote.location.province.as_deref(), Some("130000"));
    assert_eq!((vote.location.city, vote.location.county), (None, None));
}

#[test]
fn the_vote_serialises_like_the_protocol_example() {
    let mut ballot = Ballot::default();
    let batch = batch();
    ballot.set_province(Some("130000".into()));
    ballot.set_city(Some("130100".into()));
    ballot.set_county(Some("130102".into()));
    ballot.toggle(&batch, "repeat-tests").unwrap();
    ballot.toggle(&batch, "clinic-card").unwrap();
    ballot.set_other("异地生育保险报销要回参保地现场办理。".into());
    let client = ClientInfo {
        widget_version: "0.1.0".into(),
        locale: "zh-CN".into(),
        embed_origin: Some("https://www.gov.cn".into()),
    };
    let vote = ballot.to_vote(&batch, "3b241101-e2bb-4255-8caf-4136c566a962".into(), client).unwrap();
    let example: serde_json::Value = serde_json::from_str(include_str!("../docs/examples/vote.json")).unwrap();
    assert_eq!(serde_json::to_value(&vote).unwrap(), example);
}
