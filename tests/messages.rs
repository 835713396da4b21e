//! Host tests of what the citizen is told: the catalogues, errors and field
//! messages in both languages.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::config::Lang;
use bottleneck_survey::error::Error;
use bottleneck_survey::field_message::field_message;
use bottleneck_survey::i18n::later::later_catalogue;
use bottleneck_survey::i18n::real_name::real_name_catalogue;
use bottleneck_survey::i18n::{catalogue, fill};
use bottleneck_survey::vote_id::uuid_v4;
use survey_protocol::batch_check::parse_batch;
use survey_protocol::vote_check::is_uuid_v4;
use survey_protocol::{FieldError, FieldErrorCode};

fn placeholders(s: &str) -> Vec<&str> {
    let mut found: Vec<&str> = s.split('{').skip(1).filter_map(|p| p.split('}').next()).collect();
    found.sort_unstable();
    found
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Each catalogue in Chinese and in English: the form's, the later
/// screens' and the real-name steps'.
fn catalogue_pairs() -> [(&'static str, Vec<(&'static str, &'static str)>, Vec<(&'static str, &'static str)>); 3] {
    [
        ("form", catalogue(Lang::ZhCn).entries(), catalogue(Lang::En).entries()),
        ("later", later_catalogue(Lang::ZhCn).entries(), later_catalogue(Lang::En).entries()),
        ("real-name", real_name_catalogue(Lang::ZhCn).entries(), real_name_catalogue(Lang::En).entries()),
    ]
}

#[test]
fn both_catalogues_have_every_key_with_the_same_placeholders() {
    for (which, zh, en) in catalogue_pairs() {
        assert_eq!(zh.len(), en.len(), "{which}");
        for ((key, zh_text), (en_key, en_text)) in zh.iter().zip(&en) {
            assert_eq!(key, en_key);
            assert!(!zh_text.trim().is_empty() && !en_text.trim().is_empty(), "{which} {key} is empty");
            assert_eq!(placeholders(zh_text), placeholders(en_text), "{which} {key}: placeholders differ");
        }
    }
}

#[test]
fn the_chinese_catalogue_is_chinese_and_the_english_one_is_not() {
    for (which, zh, en) in catalogue_pairs() {
        for (key, text) in zh {
            assert!(has_cjk(text), "zh-CN {which} {key} looks untranslated: {text}");
        }
        for (key, text) in en {
            assert!(!has_cjk(text), "en {which} {key} holds Chinese: {text}");
        }
    }
}

#[test]
fn no_key_is_in_two_catalogues() {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (which, zh, _) in catalogue_pairs() {
        for (key, _) in zh {
            assert!(!seen.iter().any(|(_, k)| *k == key), "{key} is in the {which} catalogue and another: a sentence belongs to the screens that show it");
            seen.push((which, key));
        }
    }
}

#[test]
fn fill_replaces_every_named_placeholder() {
    assert_eq!(fill("已选 {n}/{max}", &[("n", &2), ("max", &3)]), "已选 2/3");
}

#[test]
fn statuses_map_to_the_errors_the_protocol_names() {
    let problem = include_str!("../docs/examples/problem-422.json");
    assert!(matches!(Error::from_status(422, problem, None), Error::Invalid(e) if e.len() == 2));
    assert_eq!(Error::from_status(422, "<html>", None), Error::Refused(422));
    assert_eq!(Error::from_status(409, "", None), Error::AlreadyVoted);
    assert_eq!(Error::from_status(410, "", None), Error::Closed);
    assert_eq!(Error::from_status(401, "", None), Error::VerificationNeeded);
    assert_eq!(Error::from_status(503, "", Some(120)), Error::Busy { retry_after_s: Some(120) });
    assert_eq!(Error::from_status(429, "", None), Error::Busy { retry_after_s: None });
    assert_eq!(Error::from_status(502, "", None), Error::Server(502));
    assert_eq!(Error::from_status(413, "", None), Error::Refused(413));
}

#[test]
fn only_failures_that_may_pass_next_time_are_retryable() {
    assert!(Error::Network.is_retryable());
    assert!(Error::Server(500).is_retryable());
    assert!(Error::Busy { retry_after_s: None }.is_retryable());
    for final_error in [Error::Closed, Error::AlreadyVoted, Error::Refused(400), Error::Invalid(vec![])] {
        assert!(!final_error.is_retryable(), "{final_error}");
    }
}

#[test]
fn error_messages_say_the_status_and_the_wait() {
    let en = catalogue(Lang::En);
    assert!(Error::Server(502).message(en).contains("502"));
    assert!(Error::Busy { retry_after_s: Some(30) }.message(catalogue(Lang::ZhCn)).contains("30 秒"));
}

#[test]
fn field_errors_are_told_in_the_citizens_language_with_the_batch_limits() {
    let batch = parse_batch(include_str!("../docs/examples/batch-open.json")).unwrap();
    let too_many = FieldError::new("choices", FieldErrorCode::TooMany, "choose at most 3");
    assert_eq!(field_message(&too_many, &batch, catalogue(Lang::ZhCn)), "最多只能选择 3 项堵点");
    let city = FieldError::new("location.city", FieldErrorCode::UnknownPlace, "x");
    assert_eq!(field_message(&city, &batch, catalogue(Lang::En)), "This place is not on the list; choose again");
}

#[test]
fn unknown_codes_fall_back_to_the_endpoints_own_words() {
    let batch = parse_batch(include_str!("../docs/examples/batch-open.json")).unwrap();
    let odd: FieldError =
        serde_json::from_str(r#"{"field":"choices","code":"quota_reached","message":"Quota reached"}"#).unwrap();
    assert_eq!(odd.code, FieldErrorCode::Unrecognised);
    assert_eq!(field_message(&odd, &batch, catalogue(Lang::En)), "Quota reached");
}

#[test]
fn vote_ids_are_uuid_v4_whatever_the_random_bytes() {
    for bytes in [[0u8; 16], [0xff; 16], *b"0123456789abcdef"] {
        let id = uuid_v4(bytes);
        assert!(is_uuid_v4(&id), "{id}");
    }
    assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
}
