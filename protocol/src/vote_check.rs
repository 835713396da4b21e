//! The rules a vote must keep against its batch. The widget runs them before
//! sending and the endpoint runs them again on arrival, so a citizen sees the
//! same error in the page that the endpoint would have sent back.

use crate::batch::Batch;
use crate::field_error::{field, FieldError, FieldErrorCode as Code};
use crate::region_code::{is_province_code, is_six_digits};
use crate::vote::{Location, Vote};

/// True for a UUID such as `0f8fad5b-d9cb-469f-a165-70867728950e` with
/// version 4 and the RFC 4122 variant.
pub fn is_uuid_v4(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

/// Every rule of the vote's location, choices and "other" text; the batch id
/// and vote id are the endpoint's to check, as a widget mints them itself.
pub fn check_answers(batch: &Batch, location: &Location, choices: &[String], other: Option<&str>) -> Vec<FieldError> {
    let mut errors = check_location(batch, location);
    errors.extend(check_choices(batch, choices));
    errors.extend(check_other(batch, other));
    errors
}

/// [`check_answers`] plus the envelope: ids and batch.
pub fn check_vote(batch: &Batch, vote: &Vote) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if vote.batch_id != batch.id {
        errors.push(FieldError::new(field::BATCH_ID, Code::InvalidFormat, "batch_id does not name this batch"));
    }
    if !is_uuid_v4(&vote.vote_id) {
        errors.push(FieldError::new(field::VOTE_ID, Code::InvalidFormat, "vote_id must be a UUID v4"));
    }
    errors.extend(check_answers(batch, &vote.location, &vote.choices, vote.other.as_deref()));
    errors
}

fn check_location(batch: &Batch, location: &Location) -> Vec<FieldError> {
    let levels = batch.location.levels;
    let slots = [
        (field::PROVINCE, &location.province, 1),
        (field::CITY, &location.city, 2),
        (field::COUNTY, &location.county, 3),
    ];
    let mut errors = Vec::new();
    let mut gap_above = false;
    for (name, value, level) in slots {
        let value = value.as_deref().filter(|v| !v.is_empty());
        match value {
            Some(_) if level > levels => {
                errors.push(FieldError::new(name, Code::NotAllowed, "this batch does not ask for this level"));
            }
            Some(code) if !is_six_digits(code) => {
                errors.push(FieldError::new(name, Code::InvalidFormat, "a division code is six digits"));
            }
            Some(code) if level == 1 && !is_province_code(code) => {
                errors.push(FieldError::new(name, Code::UnknownPlace, "not a provincial-level code"));
            }
            Some(code) => {
                let province = location.province.as_deref().unwrap_or_default();
                if gap_above {
                    errors.push(FieldError::new(name, Code::Required, "choose the level above first"));
                } else if level > 1 && province.get(..2) != code.get(..2) {
                    errors.push(FieldError::new(name, Code::UnknownPlace, "not in the chosen province"));
                }
            }
            None if level <= levels && batch.location.required && !gap_above => {
                errors.push(FieldError::new(name, Code::Required, "choose where you dealt with the government"));
                gap_above = true;
            }
            None => gap_above = true,
        }
    }
    errors
}

fn check_choices(batch: &Batch, choices: &[String]) -> Vec<FieldError> {
    // Both lists are short (at most 200 options); linear scans keep hashing
    // code out of the widget's wasm.
    let mut errors = Vec::new();
    for (index, id) in choices.iter().enumerate() {
        if !batch.options.iter().any(|o| o.id == *id) {
            errors.push(FieldError::new(field::CHOICES, Code::UnknownOption, format!("no option {id} in this batch")));
        } else if choices[..index].contains(id) {
            errors.push(FieldError::new(field::CHOICES, Code::DuplicateOption, format!("option {id} chosen twice")));
        }
    }
    let rule = batch.choices;
    let count = choices.len();
    if count == 0 && rule.min > 0 {
        errors.push(FieldError::new(field::CHOICES, Code::Required, "choose at least one bottleneck"));
    } else if count < usize::from(rule.min) {
        errors.push(FieldError::new(field::CHOICES, Code::TooFew, format!("choose at least {}", rule.min)));
    } else if count > usize::from(rule.max) {
        errors.push(FieldError::new(field::CHOICES, Code::TooMany, format!("choose at most {}", rule.max)));
    }
    errors
}

fn check_other(batch: &Batch, other: Option<&str>) -> Vec<FieldError> {
    let Some(text) = other.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    match batch.other_enabled() {
        None => vec![FieldError::new(field::OTHER, Code::NotAllowed, "this batch takes no other text")],
        Some(rule) if text.chars().count() > usize::from(rule.max_length) => vec![FieldError::new(
            field::OTHER,
            Code::TooLong,
            format!("at most {} characters", rule.max_length),
        )],
        Some(_) => Vec::new(),
    }
}
