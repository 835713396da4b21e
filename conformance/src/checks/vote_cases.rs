//! Votes an endpoint must refuse: every way of breaking the batch's rules
//! that this batch allows, and every malformed request. None of them may be
//! counted; each is sent under a fresh vote id.
//!
//! Each broken vote is first held to the protocol crate's own vote rules
//! ([`check_vote`]), which must find the same fault the endpoint is asked to
//! name: the checker and the widget agree on what is broken.

use survey_protocol::field_error::field;
use survey_protocol::vote_check::check_vote;
use survey_protocol::{Batch, FieldErrorCode as Code, RealName, Vote};

use super::Run;
use super::ballots::{self, renewed};
use super::field_errors::{Expected, expect};
use super::results::NO_SUCH_BATCH;
use crate::rules::{self, Rule};
use crate::synthetic::uuid_v4;

/// An option id no batch of the checker's will have.
const NO_SUCH_OPTION: &str = "conformance-no-such-option";

/// One way to break a vote: the broken vote, or why this batch cannot be
/// broken that way.
type Breaker = fn(&Batch, &Vote, &[String]) -> Result<Broken, String>;

struct Broken {
    vote: Vote,
    expected: Expected,
}

/// Every case, with the rule it is checked against.
const CASES: &[(&Rule, Breaker)] = &[
    (&rules::REJECTS_TOO_MANY, too_many),
    (&rules::REJECTS_TOO_FEW, too_few),
    (&rules::REJECTS_UNKNOWN_OPTION, unknown_option),
    (&rules::REJECTS_DUPLICATE_OPTION, duplicate_option),
    (&rules::REJECTS_UNKNOWN_PLACE, unknown_place),
    (&rules::REJECTS_PLACE_FORMAT, place_format),
    (&rules::REJECTS_PLACE_REQUIRED, place_required),
    (&rules::REJECTS_LEVEL_NOT_ASKED, level_not_asked),
    (&rules::REJECTS_OTHER_TOO_LONG, other_too_long),
    (&rules::REJECTS_OTHER_NOT_ALLOWED, other_not_allowed),
    (&rules::REJECTS_VOTE_ID_FORMAT, vote_id_format),
];

/// Sends every broken vote and malformed request; `valid` is a vote the
/// batch would count (with a token when the batch requires real names).
pub fn check(run: &mut Run, batch: &Batch, valid: &Vote) {
    let place = run.options.place.clone();
    for (rule, breaker) in CASES {
        match breaker(batch, &renewed(valid), &place) {
            Err(reason) => run.report.skip(rule, reason),
            Ok(broken) => {
                let (exchange, _) = ballots::send(run, &broken.vote);
                expect(run, rule, &exchange, broken.expected);
            }
        }
    }
    unknown_batch(run, valid);
    idempotency_key(run, valid);
    not_json(run, valid);
    not_a_vote(run);
    too_large(run, valid);
    token_refused(run, batch, valid);
}

/// Requires the protocol crate to find `expected` in `vote` too.
fn agreed(batch: &Batch, vote: Vote, expected: Expected) -> Result<Broken, String> {
    let found = check_vote(batch, &vote);
    if found.iter().any(|e| e.field == expected.field && expected.codes.contains(&e.code)) {
        Ok(Broken { vote, expected })
    } else {
        Err(format!("the protocol crate does not find this fault in the vote the checker made ({found:?})"))
    }
}

fn too_many(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let max = usize::from(batch.choices.max);
    if batch.options.len() <= max {
        return Err(format!("choices.max ({max}) allows every one of the {} options", batch.options.len()));
    }
    let choices = batch.options.iter().take(max + 1).map(|o| o.id.clone()).collect();
    agreed(batch, Vote { choices, ..vote.clone() }, Expected { field: field::CHOICES, codes: &[Code::TooMany] })
}

fn too_few(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let min = usize::from(batch.choices.min);
    if min == 0 {
        return Err("choices.min is 0: a vote without choices is valid".to_owned());
    }
    let choices = batch.options.iter().take(min - 1).map(|o| o.id.clone()).collect();
    // None at all may be named either way; one short of min is too_few.
    let codes: &'static [Code] = if min == 1 { &[Code::Required, Code::TooFew] } else { &[Code::TooFew] };
    agreed(batch, Vote { choices, ..vote.clone() }, Expected { field: field::CHOICES, codes })
}

fn unknown_option(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let mut choices = vote.choices.clone();
    choices[0] = NO_SUCH_OPTION.to_owned();
    agreed(batch, Vote { choices, ..vote.clone() }, Expected { field: field::CHOICES, codes: &[Code::UnknownOption] })
}

fn duplicate_option(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let mut choices = vote.choices.clone();
    choices.push(choices[0].clone());
    agreed(batch, Vote { choices, ..vote.clone() }, Expected { field: field::CHOICES, codes: &[Code::DuplicateOption] })
}

/// The deepest level the batch asks, with a code of the right form that
/// names no place: `…99` under its parent (GB/T 2260 gives no division a
/// 99), `990000` for a province. The protocol crate, which has no region
/// list, must find nothing wrong with it.
fn unknown_place(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let mut location = vote.location.clone();
    let (slot, name, code) = match batch.location.levels {
        1 => (&mut location.province, field::PROVINCE, "990000".to_owned()),
        2 => (
            &mut location.city,
            field::CITY,
            format!("{}9900", &vote.location.province.as_deref().unwrap_or("11")[..2]),
        ),
        _ => (
            &mut location.county,
            field::COUNTY,
            format!("{}99", &vote.location.city.as_deref().unwrap_or("1101")[..4]),
        ),
    };
    *slot = Some(code);
    let vote = Vote { location, ..vote.clone() };
    let found = check_vote(batch, &vote);
    if found.is_empty() {
        Ok(Broken { vote, expected: Expected { field: name, codes: &[Code::UnknownPlace] } })
    } else {
        Err(format!("the protocol crate finds another fault in the vote the checker made ({found:?})"))
    }
}

fn place_format(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let mut location = vote.location.clone();
    location.province = location.province.map(|code| code[..5].to_owned());
    let vote = Vote { location, ..vote.clone() };
    agreed(batch, vote, Expected { field: field::PROVINCE, codes: &[Code::InvalidFormat] })
}

fn place_required(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    if !batch.location.required {
        return Err("location.required is false: a vote may leave the place out".to_owned());
    }
    let vote = Vote { location: Default::default(), ..vote.clone() };
    agreed(batch, vote, Expected { field: field::PROVINCE, codes: &[Code::Required] })
}

fn level_not_asked(batch: &Batch, vote: &Vote, place: &[String]) -> Result<Broken, String> {
    let mut location = vote.location.clone();
    let (slot, name) = match batch.location.levels {
        1 => (&mut location.city, field::CITY),
        2 => (&mut location.county, field::COUNTY),
        _ => return Err("location.levels is 3: every level is asked".to_owned()),
    };
    let level = usize::from(batch.location.levels);
    let code = place.get(level).ok_or_else(|| format!("--place gives no code for level {}", level + 1))?;
    *slot = Some(code.clone());
    agreed(batch, Vote { location, ..vote.clone() }, Expected { field: name, codes: &[Code::NotAllowed] })
}

fn other_too_long(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let Some(rule) = batch.other_enabled() else {
        return Err("the batch takes no other text".to_owned());
    };
    let text = "x".repeat(usize::from(rule.max_length) + 1);
    agreed(batch, Vote { other: Some(text), ..vote.clone() }, Expected { field: field::OTHER, codes: &[Code::TooLong] })
}

fn other_not_allowed(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    if batch.other_enabled().is_some() {
        return Err("the batch takes other text".to_owned());
    }
    let other = Some("conformance check".to_owned());
    agreed(batch, Vote { other, ..vote.clone() }, Expected { field: field::OTHER, codes: &[Code::NotAllowed] })
}

fn vote_id_format(batch: &Batch, vote: &Vote, _: &[String]) -> Result<Broken, String> {
    let vote_id = "conformance-not-a-uuid".to_owned();
    agreed(batch, Vote { vote_id, ..vote.clone() }, Expected { field: field::VOTE_ID, codes: &[Code::InvalidFormat] })
}

fn unknown_batch(run: &mut Run, valid: &Vote) {
    let vote = Vote { batch_id: NO_SUCH_BATCH.to_owned(), ..renewed(valid) };
    let (exchange, _) = ballots::send(run, &vote);
    status(run, &rules::VOTES_UNKNOWN_BATCH, &exchange, 404, "a vote in a batch that does not exist");
}

fn idempotency_key(run: &mut Run, valid: &Vote) {
    let vote = renewed(valid);
    let body = serde_json::to_vec(&vote).expect("a vote serialises");
    let missing = ballots::send_body(run, body.clone(), None);
    status(run, &rules::VOTES_IDEMPOTENCY_KEY, &missing, 400, "a vote without Idempotency-Key");
    let other = ballots::send_body(run, body, Some(&uuid_v4()));
    status(run, &rules::VOTES_IDEMPOTENCY_KEY, &other, 400, "a vote whose Idempotency-Key is not its vote_id");
}

fn not_json(run: &mut Run, valid: &Vote) {
    let vote = renewed(valid);
    let broken = ballots::send_body(run, b"{\"batch_id\": ".to_vec(), Some(&vote.vote_id));
    status(run, &rules::VOTES_NOT_JSON, &broken, 400, "a body that is not JSON");
    let body = serde_json::to_vec(&vote).expect("a vote serialises");
    let request = crate::http::Request::post_json("votes", body)
        .header("content-type", "text/plain")
        .header("idempotency-key", &vote.vote_id);
    let plain = run.send(request);
    status(run, &rules::VOTES_NOT_JSON, &plain, 400, "a vote sent as text/plain");
}

fn not_a_vote(run: &mut Run) {
    let key = uuid_v4();
    let body = format!("{{\"vote_id\": \"{key}\", \"conformance\": true}}");
    let exchange = ballots::send_body(run, body, Some(&key));
    status(run, &rules::VOTES_NOT_A_VOTE, &exchange, 422, "JSON that is not shaped like a vote");
}

/// 1 MiB and a little: over any sane limit for a vote (the reference takes
/// 16 KiB), and over nginx's default `client_max_body_size`. Sent with
/// `Expect: 100-continue`, so an endpoint can refuse it before the body
/// goes; one that reads the headers only and hangs up mid-body leaves no
/// answer to judge.
fn too_large(run: &mut Run, valid: &Vote) {
    let vote = Vote { other: Some("x".repeat(1024 * 1024 + 1024)), ..renewed(valid) };
    let body = serde_json::to_vec(&vote).expect("a vote serialises");
    let request = crate::http::Request::post_json("votes", body)
        .header("idempotency-key", &vote.vote_id)
        .header("expect", "100-continue");
    let exchange = run.send(request);
    let rule = &rules::VOTES_TOO_LARGE;
    match &exchange.answer {
        Ok(answer) if answer.status == 413 => run.report.pass(rule),
        Ok(answer) if answer.status == 422 => run.report.skip(
            rule,
            "the endpoint read the whole 1 MiB vote and refused it by the batch's rules (422): its body limit is above 1 MiB",
        ),
        Ok(answer) => {
            let message = format!("a 1 MiB vote answered {}, not 413", answer.status);
            run.report.fail(rule, message, Some(&exchange));
        }
        Err(error) => run.report.skip(
            rule,
            format!("the endpoint hung up while the 1 MiB vote was sent, before any answer could be read ({error})"),
        ),
    }
}

fn token_refused(run: &mut Run, batch: &Batch, valid: &Vote) {
    if batch.real_name == RealName::Off {
        run.report.skip(&rules::VOTES_TOKEN_REFUSED, "the batch takes no real names");
        return;
    }
    let forged = Vote { verification_token: Some("v1.conformance.forged".to_owned()), ..renewed(valid) };
    let (exchange, _) = ballots::send(run, &forged);
    status(run, &rules::VOTES_TOKEN_REFUSED, &exchange, 401, "a vote with a forged verification_token");
    if batch.real_name == RealName::Required {
        let anonymous = Vote { verification_token: None, ..renewed(valid) };
        let (exchange, _) = ballots::send(run, &anonymous);
        status(
            run,
            &rules::VOTES_TOKEN_REFUSED,
            &exchange,
            401,
            "a vote without a token where real names are required",
        );
    }
}

/// Passes `rule` when `exchange` answered `expected`.
pub fn status(run: &mut Run, rule: &'static Rule, exchange: &crate::http::Exchange, expected: u16, what: &str) {
    if exchange.status() == Some(expected) {
        run.report.pass(rule);
    } else {
        run.report.fail(rule, format!("{what} {}, not {expected}", exchange.what_came_back()), Some(exchange));
    }
}
