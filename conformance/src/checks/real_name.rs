//! Real-name votes: a vote with a token counts as one, and a person has one
//! per batch. Needs a development code source (see
//! [`super::verification`]).

use survey_protocol::{Batch, Receipt, Vote};

use super::Run;
use super::ballots::{self, renewed};
use super::verification::{self, Person};
use super::vote_cases::status;
use super::votes::{CountedVote, judge_receipt};
use crate::http::{Exchange, Request};
use crate::rules;
use crate::synthetic;

/// A real-name vote in a batch where it is optional: 201 with
/// `real_name: true`.
pub fn vote(run: &mut Run, valid: &Vote, token: &str) -> Option<CountedVote> {
    let vote = Vote { verification_token: Some(token.to_owned()), ..renewed(valid) };
    let (exchange, body) = ballots::send(run, &vote);
    let receipt = judge_receipt(run, &rules::REAL_NAME_VOTE, &exchange, &vote, 201)?;
    judge_real_name(run, &exchange, &receipt).then_some(CountedVote { vote, body, receipt })
}

/// Fails `real_name.vote` unless the receipt says `real_name: true`.
pub fn judge_real_name(run: &mut Run, exchange: &Exchange, receipt: &Receipt) -> bool {
    if receipt.real_name {
        run.report.pass(&rules::REAL_NAME_VOTE);
        true
    } else {
        let message = "a vote with a good token got a receipt with real_name false, not true";
        run.report.fail(&rules::REAL_NAME_VOTE, message, Some(exchange));
        false
    }
}

/// The same person verifies again (another phone) and votes again under a
/// new vote id: 409. Then asks a code once more for a phone that just had
/// one, which an endpoint may refuse with 429 and Retry-After.
pub fn once(run: &mut Run, batch: &Batch, person: &Person, valid: &Vote) {
    let token = match verification::verify(run, batch, person, false) {
        Ok(token) => token,
        Err(reason) => {
            run.report.skip(&rules::REAL_NAME_ONCE, reason);
            return;
        }
    };
    let second = Vote { verification_token: Some(token), ..renewed(valid) };
    let (exchange, _) = ballots::send(run, &second);
    status(run, &rules::REAL_NAME_ONCE, &exchange, 409, "a second real-name vote of the same person");

    let phone = synthetic::phone();
    for _ in 0..2 {
        let body = serde_json::json!({
            "batch_id": batch.id, "name": synthetic::NAME, "id_number": person.id_number, "phone": phone,
        });
        let exchange = run.send(Request::post_json("verifications", body.to_string()));
        if exchange.status() != Some(201) {
            break;
        }
    }
}
