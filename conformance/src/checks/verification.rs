//! `POST E/verifications` and its confirmation.
//!
//! Without a development code source the checker sends only requests that
//! no server can text anyone for: every one carries a malformed phone
//! number. With one (`--code-command`, `--code-log`), it walks the whole
//! path with a made-up person (see [`crate::synthetic`]).

use serde::de::DeserializeOwned;
use serde_json::json;
use survey_protocol::field_error::field;
use survey_protocol::time::parse_rfc3339;
use survey_protocol::{Batch, BatchStatus, FieldErrorCode as Code, RealName, VerificationCreated, Verified};

use super::Run;
use super::field_errors::{Expected, expect, field_errors};
use super::results::NO_SUCH_BATCH;
use super::vote_cases::status;
use crate::http::{Exchange, Request};
use crate::rules::{self, Rule};
use crate::synthetic::{self, NAME, uuid_v4};

/// A phone number no SMS can go to: the checker's "malformed".
const MALFORMED_PHONE: &str = "12345";

/// Says why the path past the refusals is not walked.
pub const NO_CODE_SOURCE: &str = "no development code source (--code-command or --code-log): the checker sends a well-formed phone number only to an endpoint that texts nobody";

/// The rules only a code source lets the checker reach; those after the
/// first two need a batch that takes real names.
const CODE_RULES: &[&Rule] = &[
    &rules::VERIFICATIONS_UNKNOWN_BATCH,
    &rules::VERIFICATIONS_REAL_NAME_OFF,
    &rules::VERIFICATIONS_CREATED,
    &rules::VERIFICATIONS_CODE_REFUSED,
    &rules::VERIFICATIONS_CONFIRMED,
    &rules::REAL_NAME_VOTE,
    &rules::REAL_NAME_ONCE,
];

/// The made-up citizen who verifies: one ID number, a new phone each time.
pub struct Person {
    pub id_number: String,
}

impl Person {
    pub fn new() -> Self {
        Self { id_number: synthetic::id_number() }
    }
}

/// The refusals that need no SMS, then (with a code source) those of a
/// well-formed request for a batch that does not exist or takes no real
/// names. Whether a server looks at the fields or at the batch first is its
/// own business, so malformed requests are sent only for an open batch that
/// takes real names.
pub fn refusals(run: &mut Run, batch: &Batch) {
    let confirm =
        Request::post_json(format!("verifications/{}/confirm", uuid_v4()), json!({"code": "000000"}).to_string());
    let exchange = run.send(confirm);
    status(run, &rules::VERIFICATIONS_CONFIRM_UNKNOWN, &exchange, 404, "confirming a verification that does not exist");

    let off = batch.real_name == RealName::Off;
    if off {
        let after_off = &CODE_RULES[2..];
        run.report.skip(&rules::VERIFICATIONS_MALFORMED, "the batch takes no real names");
        run.report.skip_all(after_off, "the batch takes no real names");
    } else {
        run.report.skip(&rules::VERIFICATIONS_REAL_NAME_OFF, "the batch takes real names");
        if batch.status == BatchStatus::Open {
            malformed(run, batch);
        }
    }
    if run.options.codes.is_none() {
        run.report.skip_all(CODE_RULES, NO_CODE_SOURCE);
        return;
    }
    let phone = synthetic::phone();
    let person = Person::new();
    let unknown = send_request(run, NO_SUCH_BATCH, &person, &phone);
    status(run, &rules::VERIFICATIONS_UNKNOWN_BATCH, &unknown, 404, "a verification for a batch that does not exist");
    if off {
        let refused = send_request(run, &batch.id, &person, &phone);
        status(
            run,
            &rules::VERIFICATIONS_REAL_NAME_OFF,
            &refused,
            409,
            "a verification for a batch with real_name off",
        );
    }
}

/// Requests with missing or malformed fields, each with a phone no SMS can
/// reach.
fn malformed(run: &mut Run, batch: &Batch) {
    let missing = run.send(Request::post_json("verifications", json!({"batch_id": batch.id}).to_string()));
    if let Some(errors) = refused_with_errors(run, &missing) {
        let absent: Vec<&str> = [field::NAME, field::ID_NUMBER, field::PHONE]
            .into_iter()
            .filter(|name| {
                !errors.iter().any(|e| e.field == *name && matches!(e.code, Code::Required | Code::InvalidFormat))
            })
            .collect();
        if absent.is_empty() {
            run.report.pass(&rules::VERIFICATIONS_MALFORMED);
        } else {
            let message =
                format!("a request with only batch_id is refused, but its errors do not name {}", absent.join(", "));
            run.report.fail(&rules::VERIFICATIONS_MALFORMED, message, Some(&missing));
        }
    }
    let cases = [
        (field::ID_NUMBER, NAME, "123".to_owned(), MALFORMED_PHONE),
        (field::PHONE, NAME, synthetic::id_number(), MALFORMED_PHONE),
        (field::NAME, "1", synthetic::id_number(), MALFORMED_PHONE),
    ];
    for (name, person_name, id_number, phone) in cases {
        let body = json!({"batch_id": batch.id, "name": person_name, "id_number": id_number, "phone": phone});
        let exchange = run.send(Request::post_json("verifications", body.to_string()));
        expect(
            run,
            &rules::VERIFICATIONS_MALFORMED,
            &exchange,
            Expected { field: name, codes: &[Code::InvalidFormat] },
        );
    }
}

/// The errors of a 422, or the failure of the rule when it is no 422.
fn refused_with_errors(run: &mut Run, exchange: &Exchange) -> Option<Vec<survey_protocol::FieldError>> {
    if exchange.status() != Some(422) {
        let message = format!("a request with only batch_id {}, not 422", exchange.what_came_back());
        run.report.fail(&rules::VERIFICATIONS_MALFORMED, message, Some(exchange));
        return None;
    }
    let errors = field_errors(run, exchange);
    if errors.is_none() {
        run.report
            .skip(&rules::VERIFICATIONS_MALFORMED, "the 422 carried no readable errors (see problem.field_errors)");
    }
    errors
}

fn send_request(run: &mut Run, batch_id: &str, person: &Person, phone: &str) -> Exchange {
    let body = json!({"batch_id": batch_id, "name": NAME, "id_number": person.id_number, "phone": phone});
    run.send(Request::post_json("verifications", body.to_string()))
}

/// Verifies `person` with a new phone and returns the token; `first` also
/// tries a malformed and a wrong code before the right one. `Err` says why
/// the real-name rules cannot be checked.
pub fn verify(run: &mut Run, batch: &Batch, person: &Person, first: bool) -> Result<String, String> {
    let Some(codes) = run.options.codes.clone() else { return Err(NO_CODE_SOURCE.to_owned()) };
    let exchange = send_request(run, &batch.id, person, &synthetic::phone());
    if exchange.status() == Some(429) {
        return Err(format!(
            "the endpoint refused a code with 429 (Retry-After {:?}): it limits codes per address; run again later",
            exchange.answer.as_ref().ok().and_then(|a| a.header("retry-after"))
        ));
    }
    let created = judge_created(run, &exchange)?;
    let code = codes.code_for(&created.verification_id, run.options.wait).inspect_err(|message| {
        run.report.notes.push(format!("the code source failed: {message}"));
    })?;
    let path = format!("verifications/{}/confirm", path_segment(&created.verification_id));
    if first {
        let malformed = run.send(Request::post_json(&path, json!({"code": "12ab"}).to_string()));
        let invalid = Expected { field: field::CODE, codes: &[Code::InvalidFormat] };
        expect(run, &rules::VERIFICATIONS_CODE_REFUSED, &malformed, invalid);
        let wrong = run.send(Request::post_json(&path, json!({"code": wrong_code(&code)}).to_string()));
        let wrong_code = Expected { field: field::CODE, codes: &[Code::WrongCode] };
        expect(run, &rules::VERIFICATIONS_CODE_REFUSED, &wrong, wrong_code);
    }
    let confirmed = run.send(Request::post_json(&path, json!({"code": code}).to_string()));
    judge_verified(run, &confirmed)
}

fn judge_created(run: &mut Run, exchange: &Exchange) -> Result<VerificationCreated, String> {
    let what = "a well-formed verification request";
    judged(run, &rules::VERIFICATIONS_CREATED, exchange, (what, 201), |created: &VerificationCreated| {
        let mut problems = Vec::new();
        if created.verification_id.is_empty() {
            problems.push("verification_id is empty".to_owned());
        }
        if created.method != "sms" {
            problems.push(format!("method is {:?}, not \"sms\"", created.method));
        }
        if parse_rfc3339(&created.expires_at).is_none() {
            problems.push(format!("expires_at {:?} is not RFC 3339", created.expires_at));
        }
        problems
    })
}

fn judge_verified(run: &mut Run, exchange: &Exchange) -> Result<String, String> {
    let verified = judged(run, &rules::VERIFICATIONS_CONFIRMED, exchange, ("the right code", 200), |v: &Verified| {
        let mut problems = Vec::new();
        if v.token.is_empty() {
            problems.push("the token is empty".to_owned());
        }
        if parse_rfc3339(&v.expires_at).is_none() {
            problems.push(format!("expires_at {:?} is not RFC 3339", v.expires_at));
        }
        if v.display_name.is_empty() || v.display_name == NAME {
            problems.push(format!("display_name {:?} is not the name masked (as 测*)", v.display_name));
        }
        problems
    });
    verified.map(|v| v.token)
}

/// The answer to `request` (what it was, and the status it must get) read
/// as a `T` that `problems_of` finds nothing wrong with: a pass of `rule`;
/// else its failure, and why the path cannot go on.
fn judged<T: DeserializeOwned>(
    run: &mut Run,
    rule: &'static Rule,
    exchange: &Exchange,
    (request, status): (&str, u16),
    problems_of: impl Fn(&T) -> Vec<String>,
) -> Result<T, String> {
    let parsed = match (exchange.status(), exchange.answer.as_ref().ok()) {
        (Some(got), Some(answer)) if got == status => serde_json::from_slice::<T>(&answer.body)
            .map_err(|e| format!("the {status} does not have the protocol's fields: {e}")),
        _ => Err(format!("{request} {}, not {status}", exchange.what_came_back())),
    };
    let problems = match &parsed {
        Ok(value) => problems_of(value),
        Err(message) => vec![message.clone()],
    };
    if problems.is_empty() {
        run.report.pass(rule);
        parsed
    } else {
        run.report.fail(rule, problems.join("; "), Some(exchange));
        Err(format!("the real-name path stopped at {}", rule.id))
    }
}

/// Another code of the same length: the next number, wrapping.
fn wrong_code(code: &str) -> String {
    let next = code.parse::<u64>().map_or(0, |n| n + 1) % 10u64.pow(code.len() as u32);
    format!("{next:0width$}", width = code.len())
}

/// The id as one path segment: the endpoint chose it, so anything but the
/// unreserved characters is percent-encoded.
fn path_segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_code_differs_and_keeps_its_length() {
        assert_eq!(wrong_code("482913"), "482914");
        assert_eq!(wrong_code("999999"), "000000");
        assert_eq!(wrong_code("0041"), "0042");
    }

    #[test]
    fn an_odd_verification_id_stays_one_path_segment() {
        assert_eq!(path_segment("3b241101-e2bb"), "3b241101-e2bb");
        assert_eq!(path_segment("../x y"), "..%2Fx%20y");
    }
}
