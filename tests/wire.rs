//! Host tests of the widget's own JSON codec (`src/json.rs`, `src/wire.rs`),
//! held to serde's answers on every example of the contract.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::mem::discriminant;
use std::path::{Path, PathBuf};

use bottleneck_survey::json::{parse, write_string, Json, Malformed};
use bottleneck_survey::voted::VotedRecord;
use bottleneck_survey::wire::{
    decode_batch, decode_batch_list, decode_field_errors, decode_province_file, decode_provinces, decode_receipt,
    decode_region_results, decode_results, decode_voted_record, encode_vote, encode_voted_record,
};
use serde_json::Value;
use survey_protocol::batch_check::parse_batch;
use survey_protocol::regions::{Division, ProvinceFile};
use survey_protocol::{
    BatchError, BatchList, ClientInfo, FieldErrorCode, FollowUpStatus, Location, Problem, Receipt, RegionResults, Results, Vote,
};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files of a directory whose names satisfy `keep`, sorted so failures
/// always name the same file first.
fn files_in(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && keep(p.file_name().unwrap().to_str().unwrap()))
        .collect();
    paths.sort();
    paths
}

fn text_of(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn name_of(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}

/// Our tree as a serde `Value`, numbers read by serde from the text we kept.
fn to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(text) => serde_json::from_str(text).unwrap_or_else(|e| panic!("number {text}: {e}")),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(members) => Value::Object(members.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

fn nested_arrays(levels: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(levels), "]".repeat(levels))
}

fn nested_objects(levels: usize, inner: &str) -> String {
    format!("{}{inner}{}", "{\"a\":".repeat(levels), "}".repeat(levels))
}

/// Strings a citizen or an endpoint might send that a careless writer breaks.
const AWKWARD: &[&str] = &[
    "",
    "say \"hi\"",
    r"C:\path\to\file \\ \u0041",
    "line one\nline two\r\nline three",
    "tab\there",
    "\u{1}\u{0}\u{8}\u{c}\u{1f}\u{7f}",
    "emoji 😀👍🏽 and 🇨🇳",
    "异地生育保险报销要回参保地现场办理。",
    "</script><script>alert(1)</script>",
    "\u{2028}\u{2029}\u{feff}",
];

fn vote_example() -> Vote {
    serde_json::from_str(&read("docs/examples/vote.json")).unwrap()
}

fn bare_vote() -> Vote {
    Vote {
        batch_id: "2018-3-social-medical".into(),
        vote_id: "3b241101-e2bb-4255-8caf-4136c566a962".into(),
        location: Location { province: Some("130000".into()), city: None, county: None },
        choices: vec!["clinic-card".into()],
        other: None,
        verification_token: None,
        client: ClientInfo { widget_version: "0.1.0".into(), locale: "en".into(), embed_origin: None },
    }
}

// ---- batches -------------------------------------------------------------

#[test]
fn every_example_batch_decodes_to_what_serde_gives() {
    let batches = files_in("docs/examples", |n| n.starts_with("batch-") && n.ends_with(".json"));
    assert!(batches.len() >= 3, "expected the open, closed and upcoming batches, found {batches:?}");
    for path in batches {
        let text = text_of(&path);
        let expected = parse_batch(&text).unwrap_or_else(|e| panic!("{}: serde refuses it: {e}", name_of(&path)));
        assert_eq!(decode_batch(&text), Ok(expected), "{}", name_of(&path));
    }
}

#[test]
fn every_invalid_batch_is_refused_for_the_same_reason_serde_gives() {
    let invalid = files_in("docs/examples/invalid-batches", |_| true);
    assert!(invalid.len() >= 8, "expected the eight invalid examples, found {invalid:?}");
    for path in invalid {
        let text = text_of(&path);
        let expected = parse_batch(&text).expect_err(name_of(&path));
        let actual = decode_batch(&text).expect_err(name_of(&path));
        match (&expected, &actual) {
            // serde's wording differs from ours; the kind of refusal must not.
            (BatchError::WrongShape(_), _) => {
                assert_eq!(discriminant(&actual), discriminant(&expected), "{}: {actual:?}", name_of(&path));
            }
            _ => assert_eq!(actual, expected, "{}", name_of(&path)),
        }
    }
}

#[test]
fn an_html_error_page_is_not_json_rather_than_the_wrong_shape() {
    let page = read("docs/examples/invalid-batches/not-json.html");
    assert_eq!(decode_batch(&page), Err(BatchError::NotJson));
    assert_eq!(decode_batch(""), Err(BatchError::NotJson));
    assert_eq!(decode_batch("{\"id\": \"x\""), Err(BatchError::NotJson));
}

#[test]
fn a_batch_whose_third_option_text_is_a_number_names_options_2_text() {
    let mut batch: Value = serde_json::from_str(&read("docs/examples/batch-open.json")).unwrap();
    batch["options"][2]["text"] = Value::from(5);
    let text = batch.to_string();
    assert!(matches!(parse_batch(&text), Err(BatchError::WrongShape(_))), "serde agrees the shape is wrong");
    match decode_batch(&text) {
        Err(BatchError::WrongShape(message)) => {
            assert!(message.contains("options[2].text"), "message does not name the field: {message}");
        }
        other => panic!("expected WrongShape, got {other:?}"),
    }
}

#[test]
fn a_batch_without_choices_says_choices_is_missing() {
    match decode_batch(&read("docs/examples/invalid-batches/missing-choices.json")) {
        Err(BatchError::WrongShape(message)) => {
            assert!(message.contains("choices"), "message does not name the field: {message}");
        }
        other => panic!("expected WrongShape, got {other:?}"),
    }
}

#[test]
fn mistyped_batch_fields_are_refused_as_the_wrong_shape_as_serde_does() {
    let original: Value = serde_json::from_str(&read("docs/examples/batch-open.json")).unwrap();
    let edits: &[(&str, Value)] = &[
        ("/choices/min", Value::from(-1)),
        ("/choices/max", Value::from(1.5)),
        ("/choices/max", Value::from(70_000)),
        ("/location/levels", Value::from(256)),
        ("/location/required", Value::from("yes")),
        ("/status", Value::from("paused")),
        ("/title", Value::Null),
        ("/options", Value::from("clinic-card")),
        ("/other/max_length", Value::from("200")),
        ("/description", Value::from(3)),
    ];
    for (pointer, replacement) in edits {
        let mut batch = original.clone();
        *batch.pointer_mut(pointer).unwrap() = replacement.clone();
        let text = batch.to_string();
        assert!(matches!(parse_batch(&text), Err(BatchError::WrongShape(_))), "serde on {pointer} = {replacement}");
        assert!(
            matches!(decode_batch(&text), Err(BatchError::WrongShape(_))),
            "{pointer} = {replacement}: {:?}",
            decode_batch(&text)
        );
    }
}

#[test]
fn optional_batch_fields_given_as_null_read_as_absent_as_serde_does() {
    let mut batch: Value = serde_json::from_str(&read("docs/examples/batch-open.json")).unwrap();
    for key in ["description", "opens_at", "closes_at", "other"] {
        batch[key] = Value::Null;
    }
    batch["options"][0]["group"] = Value::Null;
    batch["unknown_extension"] = serde_json::json!({ "nested": [1, 2, 3] });
    let text = batch.to_string();
    let expected = parse_batch(&text).unwrap();
    assert_eq!(expected.description, None);
    assert_eq!(decode_batch(&text), Ok(expected));
}

// ---- receipts, results, problems -------------------------------------------

#[test]
fn the_example_receipt_decodes_to_what_serde_gives() {
    let text = read("docs/examples/receipt.json");
    let expected: Receipt = serde_json::from_str(&text).unwrap();
    assert_eq!(decode_receipt(&text), Ok(expected));
}

#[test]
fn a_receipt_without_counted_at_is_refused_naming_the_field() {
    let error = decode_receipt(r#"{"vote_id":"v","receipt":"7KQM-4ZPA","real_name":false}"#).unwrap_err();
    assert!(error.contains("counted_at"), "{error}");
    assert!(decode_receipt("<html>").is_err());
}

#[test]
fn the_example_results_decode_to_what_serde_gives() {
    let text = read("docs/examples/results.json");
    let expected: Results = serde_json::from_str(&text).unwrap();
    assert_eq!(decode_results(&text), Ok(expected));
}

#[test]
fn results_with_a_negative_tally_are_refused_naming_the_option() {
    let mut results: Value = serde_json::from_str(&read("docs/examples/results.json")).unwrap();
    results["options"][1]["votes"] = Value::from(-3);
    let error = decode_results(&results.to_string()).unwrap_err();
    assert!(error.contains("options[1].votes"), "{error}");
}

#[test]
fn the_example_422_gives_the_same_field_errors_as_serde() {
    let text = read("docs/examples/problem-422.json");
    let problem: Problem = serde_json::from_str(&text).unwrap();
    assert!(!problem.errors.is_empty());
    assert_eq!(decode_field_errors(&text), problem.errors);
}

#[test]
fn every_example_problem_gives_the_same_field_errors_as_serde() {
    let problems = files_in("docs/examples", |n| n.starts_with("problem-") && n.ends_with(".json"));
    assert!(problems.len() >= 6, "{problems:?}");
    for path in problems {
        let text = text_of(&path);
        let problem: Problem = serde_json::from_str(&text).unwrap();
        assert_eq!(decode_field_errors(&text), problem.errors, "{}", name_of(&path));
    }
}

#[test]
fn an_unknown_error_code_is_unrecognised_and_keeps_its_message() {
    let text = r#"{"type":"urn:bottleneck-survey:problem:invalid-vote","title":"t","status":422,
        "errors":[{"field":"choices","code":"too_spooky","message":"choices frighten the endpoint"},
                  {"field":"other","code":"too_long","message":"at most 200 characters"}]}"#;
    let errors = decode_field_errors(text);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code, FieldErrorCode::Unrecognised);
    assert_eq!(errors[0].message, "choices frighten the endpoint");
    assert_eq!(errors[0].field, "choices");
    assert_eq!(errors[1].code, FieldErrorCode::TooLong);
    let problem: Problem = serde_json::from_str(text).unwrap();
    assert_eq!(errors, problem.errors);
}

#[test]
fn a_422_body_that_is_not_json_gives_no_field_errors() {
    assert!(decode_field_errors("<html><body>422 Unprocessable</body></html>").is_empty());
    assert!(decode_field_errors("").is_empty());
    assert!(decode_field_errors("[]").is_empty());
}

// ---- follow-up, results by region, the list of batches -----------------------

#[test]
fn every_example_of_results_by_region_decodes_to_what_serde_gives() {
    let examples = files_in("docs/examples", |n| n.starts_with("results-regions-") && n.ends_with(".json"));
    assert!(examples.len() >= 2, "expected the province and city examples, found {examples:?}");
    for path in examples {
        let text = text_of(&path);
        let expected: RegionResults = serde_json::from_str(&text).unwrap();
        assert!(!expected.regions.is_empty(), "{}", name_of(&path));
        assert_eq!(decode_region_results(&text), Ok(expected), "{}", name_of(&path));
    }
}

#[test]
fn the_example_list_of_batches_decodes_to_what_serde_gives() {
    let text = read("docs/examples/batches.json");
    let expected: BatchList = serde_json::from_str(&text).unwrap();
    assert!(expected.batches.iter().any(|b| b.follow_up.is_some()) && expected.batches.iter().any(|b| b.follow_up.is_none()));
    assert_eq!(decode_batch_list(&text), Ok(expected));
}

#[test]
fn the_closed_example_batch_keeps_its_follow_up_for_the_batch_and_each_option() {
    let batch = decode_batch(&read("docs/examples/batch-closed.json")).unwrap();
    assert!(batch.follow_up.as_ref().is_some_and(|f| f.is_sound()));
    let solved = batch.options.iter().find(|o| o.id == "id-card-remote").and_then(|o| o.follow_up.clone()).unwrap();
    assert_eq!((solved.status, solved.regions_solved, solved.regions_total), (FollowUpStatus::Solved, Some(22), Some(31)));
}

#[test]
fn a_follow_up_status_this_widget_does_not_know_is_kept_as_unknown_as_serde_does() {
    let mut batch: Value = serde_json::from_str(&read("docs/examples/batch-closed.json")).unwrap();
    batch["options"][1]["follow_up"]["status"] = Value::from("escalated");
    let text = batch.to_string();
    let expected = parse_batch(&text).unwrap();
    assert_eq!(expected.options[1].follow_up.as_ref().map(|f| f.status), Some(FollowUpStatus::Unknown));
    assert_eq!(decode_batch(&text), Ok(expected), "the batch is shown, without that follow-up");
}

#[test]
fn follow_ups_breaking_a_rule_still_decode_as_serde_does_and_are_left_unshown() {
    let original: Value = serde_json::from_str(&read("docs/examples/batch-closed.json")).unwrap();
    let edits: &[(&str, Value)] = &[
        ("/options/1/follow_up/regions_solved", Value::from(32)),
        ("/options/1/follow_up/note", Value::from("  ")),
        ("/options/1/follow_up/updated_at", Value::from("22 June")),
        ("/follow_up/summary", Value::from("")),
    ];
    for (pointer, replacement) in edits {
        let mut batch = original.clone();
        *batch.pointer_mut(pointer).unwrap() = replacement.clone();
        let text = batch.to_string();
        let expected = parse_batch(&text).unwrap_or_else(|e| panic!("{pointer}: serde refuses the batch: {e}"));
        let decoded = decode_batch(&text);
        assert_eq!(decoded, Ok(expected), "{pointer} = {replacement}");
        let decoded = decoded.unwrap();
        let sound = decoded.options[1].follow_up.as_ref().is_some_and(|f| f.is_sound())
            && decoded.follow_up.as_ref().is_some_and(|f| f.is_sound());
        assert!(!sound, "{pointer} = {replacement} must not be shown");
    }
}

#[test]
fn mistyped_follow_ups_are_the_wrong_shape_as_serde_says() {
    let original: Value = serde_json::from_str(&read("docs/examples/batch-closed.json")).unwrap();
    let edits: &[(&str, Value)] = &[
        ("/options/1/follow_up/status", Value::from(2)),
        ("/options/1/follow_up/regions_solved", Value::from("22")),
        ("/options/1/follow_up/regions_total", Value::from(70_000)),
        ("/options/1/follow_up/regions_total", Value::from(-1)),
        ("/options/1/follow_up/note", Value::from(7)),
        ("/options/1/follow_up", Value::from("solved")),
        ("/follow_up/summary", Value::Bool(true)),
        ("/follow_up", Value::from(369)),
    ];
    for (pointer, replacement) in edits {
        let mut batch = original.clone();
        *batch.pointer_mut(pointer).unwrap() = replacement.clone();
        let text = batch.to_string();
        // serde_json files a number where the status enum should be under
        // its syntax errors ("expected value"): refused all the same.
        assert!(parse_batch(&text).is_err(), "serde on {pointer} = {replacement}");
        assert!(
            matches!(decode_batch(&text), Err(BatchError::WrongShape(_))),
            "{pointer} = {replacement}: {:?}",
            decode_batch(&text)
        );
    }
    let mut batch = original.clone();
    batch["options"][1]["follow_up"].as_object_mut().unwrap().remove("updated_at");
    match decode_batch(&batch.to_string()) {
        Err(BatchError::WrongShape(message)) => assert!(message.contains("options[1].follow_up.updated_at"), "{message}"),
        other => panic!("expected WrongShape, got {other:?}"),
    }
}

#[test]
fn follow_ups_given_as_null_read_as_absent_as_serde_does() {
    let mut batch: Value = serde_json::from_str(&read("docs/examples/batch-closed.json")).unwrap();
    batch["follow_up"] = Value::Null;
    batch["options"][0]["follow_up"] = Value::Null;
    batch["options"][1]["follow_up"]["note"] = Value::Null;
    batch["options"][1]["follow_up"]["regions_solved"] = Value::Null;
    let text = batch.to_string();
    let expected = parse_batch(&text).unwrap();
    assert_eq!(expected.follow_up, None);
    assert_eq!(decode_batch(&text), Ok(expected));
}

#[test]
fn results_by_region_of_the_wrong_shape_are_refused_naming_the_field_as_serde_does() {
    let original: Value = serde_json::from_str(&read("docs/examples/results-regions-province.json")).unwrap();
    let edits: &[(&str, Value, &str)] = &[
        ("/level", Value::from("county"), "level"),
        ("/min_votes", Value::from(-10), "min_votes"),
        ("/regions/1/total", Value::from("1288"), "regions[1].total"),
        ("/regions/2/options/3/votes", Value::from(1.5), "regions[2].options[3].votes"),
        ("/regions/0/code", Value::from(110000), "regions[0].code"),
        ("/province", Value::from(130000), "province"),
    ];
    for (pointer, replacement, named) in edits {
        let mut results = original.clone();
        *results.pointer_mut(pointer).unwrap() = replacement.clone();
        let text = results.to_string();
        assert!(serde_json::from_str::<RegionResults>(&text).is_err(), "serde on {pointer} = {replacement}");
        let error = decode_region_results(&text).unwrap_err();
        assert!(error.contains(named), "{pointer}: {error}");
    }
    assert!(decode_region_results("<html>").is_err());
}

#[test]
fn a_list_of_batches_of_the_wrong_shape_is_refused_naming_the_field_as_serde_does() {
    let original: Value = serde_json::from_str(&read("docs/examples/batches.json")).unwrap();
    let edits: &[(&str, Value, &str)] = &[
        ("/batches/0/status", Value::from("paused"), "batches[0].status"),
        ("/batches/1/total", Value::from("126000"), "batches[1].total"),
        ("/batches/2/follow_up/updated_at", Value::from(20_180_622), "batches[2].follow_up.updated_at"),
        ("/batches/2/title", Value::Null, "batches[2].title"),
        ("/batches", Value::from("none"), "batches"),
    ];
    for (pointer, replacement, named) in edits {
        let mut list = original.clone();
        *list.pointer_mut(pointer).unwrap() = replacement.clone();
        let text = list.to_string();
        assert!(serde_json::from_str::<BatchList>(&text).is_err(), "serde on {pointer} = {replacement}");
        let error = decode_batch_list(&text).unwrap_err();
        assert!(error.contains(named), "{pointer}: {error}");
    }
    let mut list = original.clone();
    for batch in list["batches"].as_array_mut().unwrap() {
        batch.as_object_mut().unwrap().retain(|k, _| ["id", "title", "status"].contains(&k.as_str()));
    }
    let text = list.to_string();
    assert_eq!(decode_batch_list(&text), Ok(serde_json::from_str::<BatchList>(&text).unwrap()), "only id, title and status are required");
}

// ---- region data -----------------------------------------------------------

#[test]
fn every_region_file_decodes_to_what_serde_gives() {
    let files = files_in("public/regions", |n| n.ends_with(".json"));
    assert!(files.len() >= 32, "expected provinces.json and 31 province files, found {}", files.len());
    for path in files {
        let text = text_of(&path);
        if name_of(&path) == "provinces.json" {
            let expected: Vec<Division> = serde_json::from_str(&text).unwrap();
            assert!(!expected.is_empty());
            assert_eq!(decode_provinces(&text), Ok(expected));
        } else {
            let expected: ProvinceFile = serde_json::from_str(&text).unwrap();
            assert!(!expected.cities.is_empty(), "{}", name_of(&path));
            assert_eq!(decode_province_file(&text), Ok(expected), "{}", name_of(&path));
        }
    }
}

// ---- writing votes and records -----------------------------------------------

#[test]
fn the_example_vote_encodes_to_the_example_file() {
    let vote = vote_example();
    let written: Value = serde_json::from_str(&encode_vote(&vote)).unwrap();
    let example: Value = serde_json::from_str(&read("docs/examples/vote.json")).unwrap();
    assert_eq!(written, example);
}

#[test]
fn a_vote_with_nothing_optional_writes_nulls_for_levels_and_origin_and_omits_the_rest() {
    let vote = bare_vote();
    let text = encode_vote(&vote);
    let written: Value = serde_json::from_str(&text).unwrap();
    let location = written["location"].as_object().unwrap();
    assert_eq!(location.get("province"), Some(&Value::from("130000")));
    assert_eq!(location.get("city"), Some(&Value::Null), "city must be present as null");
    assert_eq!(location.get("county"), Some(&Value::Null), "county must be present as null");
    assert_eq!(written["client"].as_object().unwrap().get("embed_origin"), Some(&Value::Null));
    let top = written.as_object().unwrap();
    assert!(!top.contains_key("other"), "{text}");
    assert!(!top.contains_key("verification_token"), "{text}");
    assert_eq!(serde_json::from_str::<Vote>(&text).unwrap(), vote);
}

#[test]
fn a_vote_with_a_verification_token_round_trips_through_serde() {
    let mut vote = vote_example();
    vote.verification_token = Some("tok_3b24.1101/e2bb+4255=".into());
    vote.location = Location::default();
    vote.choices.clear();
    let text = encode_vote(&vote);
    assert_eq!(serde_json::from_str::<Vote>(&text).unwrap(), vote);
}

#[test]
fn awkward_strings_survive_a_vote_round_trip() {
    for s in AWKWARD {
        let mut vote = vote_example();
        vote.other = Some((*s).to_owned());
        vote.choices = vec![(*s).to_owned(), format!("{s}-2")];
        vote.client.embed_origin = Some((*s).to_owned());
        vote.location.county = Some((*s).to_owned());
        let text = encode_vote(&vote);
        assert_eq!(serde_json::from_str::<Vote>(&text).unwrap(), vote, "serde reading {text}");
        let ours = parse(&text).unwrap_or_else(|e| panic!("{e} in {text}"));
        assert_eq!(ours.get("other"), Some(&Json::String((*s).to_owned())));
    }
}

#[test]
fn every_character_below_space_and_del_survive_write_string() {
    let all: String = (0u8..0x20).chain([0x7f]).map(char::from).collect();
    for s in AWKWARD.iter().copied().chain([all.as_str()]) {
        let mut out = String::new();
        write_string(&mut out, s);
        assert!(!out.bytes().any(|b| b < 0x20), "raw control character written: {out:?}");
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
        assert_eq!(parse(&out), Ok(Json::String(s.to_owned())));
    }
}

#[test]
fn write_string_appends_rather_than_overwrites() {
    let mut out = String::from("[");
    write_string(&mut out, "a\"b");
    assert_eq!(out, r#"["a\"b""#);
}

#[test]
fn a_voted_record_round_trips_with_and_without_its_place() {
    for s in AWKWARD {
        let mut record = VotedRecord {
            receipt: format!("7KQM-4ZPA{s}"),
            counted_at: "2018-07-09T02:13:45Z".into(),
            province: Some("130000".into()),
            city: Some(format!("130100{s}")),
        };
        let text = encode_voted_record(&record);
        assert_eq!(decode_voted_record(&text), Ok(record.clone()), "{text}");
        record.city = None;
        record.province = None;
        let text = encode_voted_record(&record);
        assert_eq!(decode_voted_record(&text), Ok(record), "{text}");
    }
}

#[test]
fn a_record_kept_before_places_were_remembered_still_reads_with_no_place() {
    let old = r#"{"receipt":"7KQM-4ZPA","counted_at":"2018-07-09T02:13:45Z"}"#;
    let record = decode_voted_record(old).unwrap();
    assert_eq!(record.receipt, "7KQM-4ZPA");
    assert_eq!((record.province, record.city), (None, None));
}

#[test]
fn the_record_of_a_counted_vote_keeps_its_province_and_city_but_not_its_county() {
    let receipt: Receipt = serde_json::from_str(&read("docs/examples/receipt.json")).unwrap();
    let vote = vote_example();
    let record = VotedRecord::new(&receipt, &vote.location);
    assert_eq!(record.receipt, receipt.receipt);
    assert_eq!(record.province, vote.location.province);
    assert_eq!(record.city, vote.location.city);
    let text = encode_voted_record(&record);
    assert!(!text.contains("county"), "{text}");
    if let Some(county) = &vote.location.county {
        assert!(!text.contains(county.as_str()), "{text}");
    }
}

#[test]
fn a_stored_record_that_is_damaged_is_refused() {
    assert!(decode_voted_record("").is_err());
    assert!(decode_voted_record(r#"{"receipt":"7KQM-4ZPA"}"#).unwrap_err().contains("counted_at"));
    assert!(decode_voted_record(r#"{"receipt":7,"counted_at":"2018-07-09T02:13:45Z"}"#).is_err());
}

// ---- the parser ------------------------------------------------------------

#[test]
fn whitespace_is_accepted_everywhere_json_allows_it() {
    let text = " \t\r\n{ \n\"a\" \t: \r[ 1 ,\n2 , { } , [ ] ,\"x\" ] , \"b\"\n:\nnull\t} \n\r\t";
    let expected = Json::Object(vec![
        (
            "a".into(),
            Json::Array(vec![
                Json::Number("1".into()),
                Json::Number("2".into()),
                Json::Object(vec![]),
                Json::Array(vec![]),
                Json::String("x".into()),
            ]),
        ),
        ("b".into(), Json::Null),
    ]);
    assert_eq!(parse(text), Ok(expected));
}

#[test]
fn nested_arrays_and_objects_parse_in_document_order() {
    let parsed = parse(r#"{"z":[[1,[true,false]],{"y":{"x":[]}}],"a":{}}"#).unwrap();
    let Json::Object(members) = &parsed else { panic!("{parsed:?}") };
    let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["z", "a"]);
    assert_eq!(
        parsed.get("z"),
        Some(&Json::Array(vec![
            Json::Array(vec![Json::Number("1".into()), Json::Array(vec![Json::Bool(true), Json::Bool(false)])]),
            Json::Object(vec![("y".into(), Json::Object(vec![("x".into(), Json::Array(vec![]))]))]),
        ]))
    );
}

#[test]
fn numbers_are_kept_exactly_as_written() {
    for n in ["0", "-0", "-1", "1.5e-3", "1E+2", "12345678901234567890123", "0.0", "-0.25E7", "3e0"] {
        assert_eq!(parse(n), Ok(Json::Number(n.to_owned())), "{n}");
        assert_eq!(parse(&format!("[{n}]")), Ok(Json::Array(vec![Json::Number(n.to_owned())])), "[{n}]");
    }
}

#[test]
fn every_escape_decodes_to_its_character() {
    assert_eq!(
        parse(r#""\" \\ \/ \b \f \n \r \t \u00e9 \u00E9 \u4e2d \u0000""#),
        Ok(Json::String("\" \\ / \u{8} \u{c} \n \r \t é é 中 \u{0}".into()))
    );
}

#[test]
fn a_surrogate_pair_decodes_to_one_character() {
    assert_eq!(parse(r#""\ud83d\ude00""#), Ok(Json::String("😀".into())));
    assert_eq!(parse(r#""a\uD83D\uDE00b""#), Ok(Json::String("a😀b".into())));
    assert_eq!(parse(r#""\ud83d\ude00""#).map(|j| to_value(&j)), Ok(serde_json::json!("😀")));
}

#[test]
fn raw_multibyte_text_passes_through_unchanged() {
    let text = "\"异地生育保险 😀 é\"";
    assert_eq!(parse(text), Ok(Json::String("异地生育保险 😀 é".into())));
}

#[test]
fn malformed_json_is_refused() {
    let refused = [
        ("trailing comma in array", "[1,2,]"),
        ("trailing comma in object", r#"{"a":1,}"#),
        ("lone comma", "[,]"),
        ("missing comma", "[1 2]"),
        ("missing colon", r#"{"a" 1}"#),
        ("unquoted key", "{a:1}"),
        ("number key", "{1:1}"),
        ("leading zero", "01"),
        ("negative leading zero", "-01"),
        ("double zero", "00"),
        ("fraction without integer", ".5"),
        ("fraction without digits", "1."),
        ("exponent without digits", "1e"),
        ("exponent sign without digits", "1e+"),
        ("plus sign", "+1"),
        ("bare minus", "-"),
        ("hex number", "0x10"),
        ("unterminated string", r#""abc"#),
        ("unterminated string in array", r#"["abc]"#),
        ("unterminated escape", "\"abc\\"),
        ("raw newline in string", "\"a\nb\""),
        ("raw tab in string", "\"a\tb\""),
        ("raw U+0001 in string", "\"a\u{1}b\""),
        ("raw NUL in string", "\"a\u{0}b\""),
        ("unknown escape", r#""\x41""#),
        ("short unicode escape", r#""\u12""#),
        ("non-hex unicode escape", r#""\u12g4""#),
        ("lone high surrogate", r#""\ud83d""#),
        ("high surrogate then text", r#""\ud83dabcdef""#),
        ("high surrogate then non-surrogate escape", r#""\ud83d\u0041""#),
        ("two high surrogates", r#""\ud83d\ud83d""#),
        ("lone low surrogate", r#""\ude00""#),
        ("single quotes", "'a'"),
        ("single-quoted key", "{'a':1}"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("negative Infinity", "-Infinity"),
        ("capitalised literal", "True"),
        ("truncated literal", "nul"),
        ("trailing garbage", "{} x"),
        ("two values", "1 2"),
        ("literal with trailing letters", "nulll"),
        ("unclosed array", "[1"),
        ("unclosed object", r#"{"a":1"#),
        ("extra closing bracket", "[1]]"),
        ("comment", "[1 /* one */]"),
        ("empty input", ""),
        ("whitespace only", " \n\t "),
        ("byte order mark", "\u{feff}{}"),
    ];
    for (why, text) in refused {
        assert!(matches!(parse(text), Err(Malformed { .. })), "{why}: {text:?} gave {:?}", parse(text));
        assert!(serde_json::from_str::<Value>(text).is_err(), "serde disagrees that {why} is malformed: {text:?}");
    }
}

#[test]
fn malformed_reports_the_byte_where_reading_stopped() {
    assert_eq!(parse("[1,]"), Err(Malformed { at: 3 }));
    assert_eq!(parse("{} x"), Err(Malformed { at: 3 }));
    assert_eq!(parse(""), Err(Malformed { at: 0 }));
    assert_eq!(parse("[1,]").unwrap_err().to_string(), "not JSON (at byte 3)");
}

#[test]
fn the_parser_agrees_with_serde_on_a_corpus_of_documents() {
    let mut corpus: Vec<String> = [
        "null", "true", "false", "0", "-0", "1.5e-3", "1E+2", "\"\"", "[]", "{}", "[[]]", "[{}]",
        r#"{"a":[1,{"b":null}],"c":"\u00e9\n"}"#, r#"[" \/ ", "\ud83d\ude00", -12.5e+10]"#,
        r#"{"":""}"#, "  [ true , false , null ]  ",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for dir in ["docs/examples", "docs/examples/invalid-batches", "public/regions"] {
        corpus.extend(files_in(dir, |n| n.ends_with(".json")).iter().map(|p| text_of(p)));
    }
    assert!(corpus.len() > 50, "{}", corpus.len());
    for text in &corpus {
        let expected: Value = serde_json::from_str(text).unwrap();
        let ours = parse(text).unwrap_or_else(|e| panic!("{e} in {}", &text[..text.len().min(80)]));
        assert_eq!(to_value(&ours), expected, "{}", &text[..text.len().min(80)]);
    }
}

#[test]
fn a_value_inside_64_containers_parses_and_inside_65_is_refused() {
    // `value(depth)` refuses `depth > MAX_DEPTH` (64), where depth is the
    // number of containers around the value: the top-level value is at 0.
    assert!(parse(&nested_arrays(64, "0")).is_ok());
    assert!(parse(&nested_arrays(65, "0")).is_err());
    assert!(parse(&nested_objects(64, "0")).is_ok());
    assert!(parse(&nested_objects(65, "0")).is_err());
    assert!(parse(&nested_arrays(32, &nested_objects(32, "\"x\""))).is_ok());
    assert!(parse(&nested_arrays(33, &nested_objects(32, "\"x\""))).is_err());
}

#[test]
fn empty_containers_nest_65_deep_and_no_deeper() {
    // The innermost empty container is itself a value: 65 nested brackets put
    // it inside 64 others (allowed), 66 put it inside 65 (refused).
    assert!(parse(&nested_arrays(65, "")).is_ok());
    assert!(parse(&nested_arrays(66, "")).is_err());
    assert!(parse(&nested_objects(64, "{}")).is_ok());
    assert!(parse(&nested_objects(65, "{}")).is_err());
}

#[test]
fn very_deep_nesting_is_refused_without_exhausting_the_stack() {
    assert!(parse(&nested_arrays(100_000, "")).is_err());
    assert!(parse(&"[".repeat(100_000)).is_err());
    assert_eq!(decode_batch(&nested_objects(100_000, "1")), Err(BatchError::NotJson));
}

#[test]
fn a_one_megabyte_document_parses() {
    let chunk = "异地报销 \\\"quoted\\\" \\n \\u00e9 \\ud83d\\ude00 plain ascii text ";
    let body = chunk.repeat((1 << 20) / chunk.len() + 1);
    let text = format!("{{\"other\":\"{body}\",\"n\":[{}0]}}", "1,".repeat(1000));
    assert!(text.len() > 1 << 20);
    let ours = parse(&text).unwrap();
    assert_eq!(to_value(&ours), serde_json::from_str::<Value>(&text).unwrap());
}

#[test]
fn get_finds_members_of_objects_only() {
    let parsed = parse(r#"{"a":1,"b":{"c":"d"},"e":null}"#).unwrap();
    assert_eq!(parsed.get("a"), Some(&Json::Number("1".into())));
    assert_eq!(parsed.get("b").and_then(|b| b.get("c")), Some(&Json::String("d".into())));
    assert_eq!(parsed.get("e"), Some(&Json::Null));
    assert_eq!(parsed.get("c"), None, "members of nested objects are not members");
    assert_eq!(parsed.get("A"), None);
    assert_eq!(parse(r#"["a"]"#).unwrap().get("a"), None);
    assert_eq!(Json::String("a".into()).get("a"), None);
}

#[test]
fn as_u64_reads_whole_non_negative_numbers_only() {
    assert_eq!(Json::Number("0".into()).as_u64(), Some(0));
    assert_eq!(Json::Number("42".into()).as_u64(), Some(42));
    assert_eq!(parse("18446744073709551615").unwrap().as_u64(), Some(u64::MAX));
    for refused in ["-1", "1.5", "1e2", "2.0", "18446744073709551616", "-0"] {
        assert_eq!(parse(refused).unwrap().as_u64(), None, "{refused}");
    }
    assert_eq!(Json::String("3".into()).as_u64(), None);
    assert_eq!(Json::Bool(true).as_u64(), None);
    assert_eq!(Json::Null.as_u64(), None);
    assert_eq!(parse("[3]").unwrap().as_u64(), None);
}
