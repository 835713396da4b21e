//! `POST E/votes`: the refusals, then one vote counted, its replays, and the
//! same key with other answers; then the real-name votes.

use survey_protocol::field_error::field;
use survey_protocol::time::parse_rfc3339;
use survey_protocol::{Batch, FieldErrorCode as Code, RealName, Receipt, Vote};

use super::Run;
use super::ballots::{self, renewed, valid_vote};
use super::field_errors::{Expected, expect};
use super::real_name;
use super::results::Counted;
use super::verification::{self, Person};
use super::vote_cases::{self, status};
use crate::http::Exchange;
use crate::rules::{self, Rule};

/// Longest `other` the checker sends whole in Chinese characters: 3 bytes
/// each, well under the reference's 16 KiB body limit.
const WHOLE_OTHER_MAX: u16 = 2000;

/// A vote the endpoint counted, with the body and receipt it was counted by.
pub struct CountedVote {
    pub vote: Vote,
    pub body: Vec<u8>,
    pub receipt: Receipt,
}

/// Every vote rule of an open batch; returns what the counted votes add to
/// the tallies.
pub fn check(run: &mut Run, batch: &Batch) -> Counted {
    let mut counted = Counted::default();
    let valid = match valid_vote(batch, &run.options.place, run.options.origin.as_deref()) {
        Ok(vote) => vote,
        Err(reason) => {
            run.report.skip_all(super::WRITING_RULES, &reason);
            return counted;
        }
    };
    let person = Person::new();
    let token = match batch.real_name {
        RealName::Off => None,
        _ => verification::verify(run, batch, &person, true)
            .inspect_err(|reason| run.report.skip_all(&[&rules::REAL_NAME_VOTE, &rules::REAL_NAME_ONCE], reason))
            .ok(),
    };
    let valid = if batch.real_name == RealName::Required {
        let Some(token) = token.clone() else {
            let reason = "the batch requires real names and the checker has no token (see the verification rules)";
            run.report.skip_all(super::WRITING_RULES, reason);
            return counted;
        };
        Vote { verification_token: Some(token), ..valid }
    } else {
        valid
    };

    vote_cases::check(run, batch, &valid);
    let Some(first) = count(run, batch, &valid) else {
        let reason = "no vote was counted (see votes.counted)";
        run.report.skip_all(&[&rules::VOTES_REPLAY, &rules::VOTES_KEY_REUSED, &rules::REAL_NAME_ONCE], reason);
        return counted;
    };
    counted.add(&first.vote, first.vote.verification_token.is_some());
    replay(run, &first);
    key_reused(run, batch, &first);

    if batch.real_name == RealName::Required {
        real_name::once(run, batch, &person, &valid);
    } else if token.is_some() {
        match token.and_then(|token| real_name::vote(run, &valid, &token)) {
            Some(vote) => {
                counted.add(&vote.vote, true);
                replay(run, &vote);
                real_name::once(run, batch, &person, &valid);
            }
            None => run.report.skip(&rules::REAL_NAME_ONCE, "no real-name vote was counted (see real_name.vote)"),
        }
    }
    counted
}

/// The valid vote, counted: 201 and a receipt for it. Its `other` is as
/// long as the batch allows, in Chinese characters, which a server counting
/// bytes refuses; it is then sent again with a short one.
fn count(run: &mut Run, batch: &Batch, valid: &Vote) -> Option<CountedVote> {
    let mut vote = renewed(valid);
    let rule = &rules::VOTES_OTHER_CHARACTERS;
    match batch.other_enabled() {
        None => run.report.skip(rule, "the batch takes no other text"),
        Some(other) if other.max_length > WHOLE_OTHER_MAX => {
            run.report.skip(rule, format!("other.max_length {} is too long to send whole", other.max_length));
            vote.other = Some("堵".to_owned());
        }
        Some(other) => vote.other = Some("堵".repeat(usize::from(other.max_length))),
    }
    let (mut exchange, mut body) = ballots::send(run, &vote);
    if vote.other.as_ref().is_some_and(|o| o.chars().count() > 1) {
        if names_other_too_long(&exchange) {
            let message = format!(
                "a vote whose other is exactly other.max_length ({}) Chinese characters was refused as too long: the endpoint counts bytes",
                vote.other.as_ref().map_or(0, |o| o.chars().count())
            );
            run.report.fail(rule, message, Some(&exchange));
            vote = Vote { other: Some("堵".to_owned()), ..renewed(valid) };
            (exchange, body) = ballots::send(run, &vote);
        } else if exchange.status() == Some(201) {
            run.report.pass(rule);
        }
    }
    let receipt = judge_receipt(run, &rules::VOTES_COUNTED, &exchange, &vote, 201)?;
    if vote.verification_token.is_some() {
        real_name::judge_real_name(run, &exchange, &receipt);
    }
    Some(CountedVote { vote, body, receipt })
}

fn names_other_too_long(exchange: &Exchange) -> bool {
    exchange.status() == Some(422)
        && exchange.answer.as_ref().ok().and_then(|a| a.json()).is_some_and(|body| {
            body["errors"]
                .as_array()
                .is_some_and(|errors| errors.iter().any(|e| e["field"] == field::OTHER && e["code"] == "too_long"))
        })
}

/// The receipt in `exchange`: `status`, for this vote, its fields well
/// formed. Fields the protocol does not define are ignored, as clients
/// ignore them.
pub fn judge_receipt(
    run: &mut Run,
    rule: &'static Rule,
    exchange: &Exchange,
    vote: &Vote,
    status: u16,
) -> Option<Receipt> {
    let receipt = match (exchange.status(), exchange.answer.as_ref().ok()) {
        (Some(got), Some(answer)) if got == status => serde_json::from_slice::<Receipt>(&answer.body)
            .map_err(|e| format!("the answer is not a receipt {{vote_id, receipt, real_name, counted_at}}: {e}")),
        _ => Err(format!("a valid vote {}, not {status} with a receipt", exchange.what_came_back())),
    };
    let problems = match &receipt {
        Ok(receipt) => receipt_problems(receipt, vote),
        Err(message) => vec![message.clone()],
    };
    if problems.is_empty() {
        run.report.pass(rule);
        receipt.ok()
    } else {
        run.report.fail(rule, problems.join("; "), Some(exchange));
        None
    }
}

fn receipt_problems(receipt: &Receipt, vote: &Vote) -> Vec<String> {
    let mut problems = Vec::new();
    if receipt.vote_id != vote.vote_id {
        problems.push(format!("the receipt is for vote {:?}, not {:?}", receipt.vote_id, vote.vote_id));
    }
    if receipt.receipt.trim().is_empty() {
        problems.push("the receipt number is empty".to_owned());
    }
    if parse_rfc3339(&receipt.counted_at).is_none() {
        problems.push(format!("counted_at {:?} is not RFC 3339", receipt.counted_at));
    }
    problems
}

/// The counted vote again, as a client unsure it arrived sends it: the same
/// bytes, then reformatted, then (for a real-name vote) without its token.
/// Each time 200 with the first receipt, every field of it the same: a new
/// receipt number or a new `counted_at` is a second count to a citizen.
pub fn replay(run: &mut Run, first: &CountedVote) {
    let key = first.vote.vote_id.as_str();
    let mut bodies =
        vec![("the same body", first.body.clone()), ("the body reformatted", ballots::reformatted(&first.body))];
    if first.vote.verification_token.is_some() {
        let without = Vote { verification_token: None, ..first.vote.clone() };
        bodies.push(("the body without its token", serde_json::to_vec(&without).expect("a vote serialises")));
    }
    for (what, body) in bodies {
        let exchange = ballots::send_body(run, body, Some(key));
        let again = exchange.answer.as_ref().ok().and_then(|a| serde_json::from_slice::<Receipt>(&a.body).ok());
        let message = match (exchange.status(), again) {
            (Some(200), Some(again)) if again == first.receipt => {
                run.report.pass(&rules::VOTES_REPLAY);
                continue;
            }
            (Some(200), Some(again)) => format!("{what} again got another receipt: {}", differences(&again, &first.receipt)),
            _ => format!("{what} again {}, not 200 with the first receipt", exchange.what_came_back()),
        };
        run.report.fail(&rules::VOTES_REPLAY, message, Some(&exchange));
    }
}

/// "receipt "NEW1-MINT" where the first said "7KQM-4ZPA"", field by field.
fn differences(again: &Receipt, first: &Receipt) -> String {
    let fields = [
        ("vote_id", format!("{:?}", again.vote_id), format!("{:?}", first.vote_id)),
        ("receipt", format!("{:?}", again.receipt), format!("{:?}", first.receipt)),
        ("real_name", again.real_name.to_string(), first.real_name.to_string()),
        ("counted_at", format!("{:?}", again.counted_at), format!("{:?}", first.counted_at)),
    ];
    let differ: Vec<String> = fields
        .into_iter()
        .filter(|(_, now, before)| now != before)
        .map(|(name, now, before)| format!("{name} {now} where the first said {before}"))
        .collect();
    differ.join(", ")
}

/// The counted vote's key with other choices: 422 `key_reused`.
fn key_reused(run: &mut Run, batch: &Batch, first: &CountedVote) {
    let unchosen = batch.options.iter().find(|o| !first.vote.choices.contains(&o.id));
    let Some(unchosen) = unchosen else {
        run.report.skip(&rules::VOTES_KEY_REUSED, "the counted vote chose every option: no other valid answer is left");
        return;
    };
    let mut choices = first.vote.choices.clone();
    choices[0] = unchosen.id.clone();
    let other = Vote { choices, ..first.vote.clone() };
    let (exchange, _) = ballots::send(run, &other);
    let expected = Expected { field: field::VOTE_ID, codes: &[Code::KeyReused] };
    expect(run, &rules::VOTES_KEY_REUSED, &exchange, expected);
}

/// A vote in a batch that is closed or not open yet: 410. Every other vote
/// rule needs an open batch.
pub fn batch_not_open(run: &mut Run, batch: &Batch) {
    let status_word = serde_json::to_value(batch.status).unwrap_or_default();
    let reason = format!("the current batch is {status_word}, not open: votes need an open batch");
    match valid_vote(batch, &run.options.place, run.options.origin.as_deref()) {
        Ok(vote) => {
            let (exchange, _) = ballots::send(run, &vote);
            status(run, &rules::VOTES_BATCH_NOT_OPEN, &exchange, 410, "a vote in a batch that is not open");
        }
        Err(why) => run.report.skip(&rules::VOTES_BATCH_NOT_OPEN, why),
    }
    run.report.skip_all(super::WRITING_RULES, &reason);
}
