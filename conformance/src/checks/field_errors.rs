//! A refusal that must name a field: 422 with `errors` holding the field and
//! one of the codes the protocol gives for the case.
//!
//! The `errors` array itself is `problem.field_errors`; the rule of the case
//! only asks whether the right field and code are in it. A 422 without
//! `errors` therefore fails `problem.field_errors` once and leaves the case
//! not checked, rather than failing every case for one cause.

use serde_json::Value;
use survey_protocol::field_error::field;
use survey_protocol::{FieldError, FieldErrorCode};

use super::Run;
use crate::http::Exchange;
use crate::rules::{self, Rule};

/// What a refusal must name: a field and the codes that fit the case.
#[derive(Clone, Copy, Debug)]
pub struct Expected {
    pub field: &'static str,
    pub codes: &'static [FieldErrorCode],
}

/// Judges `exchange` against `rule`: 422 naming `expected`.
pub fn expect(run: &mut Run, rule: &'static Rule, exchange: &Exchange, expected: Expected) {
    if exchange.status() != Some(422) {
        let message = format!(
            "{}: {}, not 422 naming {} {}",
            describe(rule),
            exchange.what_came_back(),
            expected.field,
            codes(expected.codes)
        );
        run.report.fail(rule, message, Some(exchange));
        return;
    }
    let Some(errors) = field_errors(run, exchange) else {
        run.report.skip(rule, "the 422 carried no readable errors (see problem.field_errors)");
        return;
    };
    let named = errors.iter().any(|e| e.field == expected.field && expected.codes.contains(&e.code));
    if named {
        run.report.pass(rule);
    } else {
        let got: Vec<String> = errors.iter().map(|e| format!("{} {}", e.field, code_name(e.code))).collect();
        let message = format!(
            "the 422 names {}, not {} {}",
            if got.is_empty() { "nothing".to_owned() } else { got.join(", ") },
            expected.field,
            codes(expected.codes)
        );
        run.report.fail(rule, message, Some(exchange));
    }
}

/// The `errors` of a 422 that must carry them, after judging them against
/// `problem.field_errors`: `None` when there are none to read.
pub fn field_errors(run: &mut Run, exchange: &Exchange) -> Option<Vec<FieldError>> {
    let body = exchange.answer.as_ref().ok().and_then(|a| a.json());
    let Some(Value::Array(entries)) = body.as_ref().and_then(|b| b.get("errors")) else {
        run.report.fail(
            &rules::PROBLEM_FIELD_ERRORS,
            "a 422 for a body with a bad field has no errors array",
            Some(exchange),
        );
        return None;
    };
    let mut errors = Vec::new();
    let mut problems = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        match serde_json::from_value::<FieldError>(entry.clone()) {
            Err(_) => problems.push(format!("errors[{index}] is not {{field, code, message}} strings")),
            Ok(error) => {
                if error.code == FieldErrorCode::Unrecognised {
                    problems.push(format!("errors[{index}].code {} is not a documented code", entry["code"]));
                }
                if !field::ALL.contains(&error.field.as_str()) {
                    problems.push(format!("errors[{index}].field {:?} is not a documented field", error.field));
                }
                errors.push(error);
            }
        }
    }
    if entries.is_empty() {
        problems.push("the errors array is empty".to_owned());
    }
    if problems.is_empty() {
        run.report.pass(&rules::PROBLEM_FIELD_ERRORS);
    } else {
        run.report.fail(&rules::PROBLEM_FIELD_ERRORS, problems.join("; "), Some(exchange));
    }
    (!errors.is_empty()).then_some(errors)
}

/// The code as it is written on the wire: `too_many`.
pub fn code_name(code: FieldErrorCode) -> String {
    serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| format!("{code:?}"))
}

fn codes(codes: &[FieldErrorCode]) -> String {
    codes.iter().map(|c| code_name(*c)).collect::<Vec<_>>().join(" or ")
}

/// The case a rule is about, for the message: its text up to the colon.
fn describe(rule: &Rule) -> &str {
    rule.text.split(':').next().unwrap_or(rule.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_named_as_on_the_wire() {
        assert_eq!(code_name(FieldErrorCode::KeyReused), "key_reused");
        assert_eq!(codes(&[FieldErrorCode::Required, FieldErrorCode::TooFew]), "required or too_few");
    }
}
