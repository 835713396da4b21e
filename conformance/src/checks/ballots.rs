//! The votes the checker sends: a valid one made from the batch and
//! `--place`, held to the protocol crate's own vote rules before it leaves,
//! and marked as a conformance check in `client.widget_version`.

use serde_json::Value;
use survey_protocol::vote::CONFORMANCE_WIDGET_PREFIX;
use survey_protocol::vote_check::check_vote;
use survey_protocol::{Batch, ClientInfo, Location, Vote};

use super::Run;
use crate::http::{Exchange, Request};
use crate::synthetic::uuid_v4;

/// What every vote of the checker says about its client, so an endpoint's
/// operator can find and discard them (docs/protocol.md, "Test votes").
pub fn widget_version() -> String {
    format!("{CONFORMANCE_WIDGET_PREFIX}{}", env!("CARGO_PKG_VERSION"))
}

/// A vote that keeps every rule of `batch`: the first `levels` codes of
/// `--place`, the fewest choices the batch allows (at least one), a fresh
/// vote id. Refused with the reason when the checker cannot make one.
pub fn valid_vote(batch: &Batch, place: &[String], origin: Option<&str>) -> Result<Vote, String> {
    let levels = usize::from(batch.location.levels);
    if place.len() < levels {
        return Err(format!(
            "the batch asks {levels} levels of place and --place gives {}: give {levels} codes the endpoint knows",
            place.len()
        ));
    }
    let code = |level: usize| (level < levels).then(|| place[level].clone());
    let count = usize::from(batch.choices.min).max(1);
    let vote = Vote {
        batch_id: batch.id.clone(),
        vote_id: uuid_v4(),
        location: Location { province: code(0), city: code(1), county: code(2) },
        choices: batch.options.iter().take(count).map(|o| o.id.clone()).collect(),
        other: None,
        verification_token: None,
        client: ClientInfo {
            widget_version: widget_version(),
            locale: "zh-CN".to_owned(),
            embed_origin: origin.map(str::to_owned),
        },
    };
    let errors = check_vote(batch, &vote);
    if errors.is_empty() {
        Ok(vote)
    } else {
        let named: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        Err(format!(
            "the checker's own vote breaks the batch's rules ({}); give --place codes that fit",
            named.join("; ")
        ))
    }
}

/// The same vote under a new vote id.
pub fn renewed(vote: &Vote) -> Vote {
    Vote { vote_id: uuid_v4(), ..vote.clone() }
}

/// POSTs `body` to `votes` with `Idempotency-Key: key` (none when `None`).
pub fn send_body(run: &mut Run, body: impl Into<Vec<u8>>, key: Option<&str>) -> Exchange {
    let mut request = Request::post_json("votes", body);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    run.send(request)
}

/// POSTs `vote` the way the widget does: JSON, keyed by its vote id.
pub fn send(run: &mut Run, vote: &Vote) -> (Exchange, Vec<u8>) {
    let body = serde_json::to_vec(vote).expect("a vote serialises");
    (send_body(run, body.clone(), Some(&vote.vote_id)), body)
}

/// The same JSON with its keys in reverse order, indented: the same vote to
/// any server that parses it, different bytes to one that does not.
pub fn reformatted(body: &[u8]) -> Vec<u8> {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else { return body.to_vec() };
    let entries: Vec<String> = fields
        .iter()
        .rev()
        .map(|(key, value)| {
            let value = serde_json::to_string_pretty(value).expect("JSON serialises").replace('\n', "\n  ");
            format!("  {}: {value}", Value::String(key.clone()))
        })
        .collect();
    format!("{{\n{}\n}}\n", entries.join(",\n")).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::DEFAULT_PLACE;

    fn batch() -> Batch {
        serde_json::from_str(include_str!("../../../docs/examples/batch-open.json")).unwrap()
    }

    fn place() -> Vec<String> {
        DEFAULT_PLACE.map(str::to_owned).to_vec()
    }

    #[test]
    fn the_valid_vote_keeps_the_batchs_rules_and_is_marked() {
        let vote = valid_vote(&batch(), &place(), Some("https://www.gov.cn")).unwrap();
        assert_eq!(vote.choices, ["clinic-card"]);
        assert_eq!(vote.location.county.as_deref(), Some("110101"));
        assert!(vote.client.widget_version.starts_with("conformance/"));
        assert_eq!(vote.client.embed_origin.as_deref(), Some("https://www.gov.cn"));
    }

    #[test]
    fn a_place_too_short_for_the_batch_is_named() {
        let error = valid_vote(&batch(), &place()[..1], None).unwrap_err();
        assert!(error.contains("asks 3 levels"), "{error}");
        let mut one_level = batch();
        one_level.location.levels = 1;
        let vote = valid_vote(&one_level, &place()[..1], None).unwrap();
        assert_eq!((vote.location.city, vote.location.county), (None, None));
    }

    #[test]
    fn a_reformatted_body_is_the_same_json_in_other_bytes() {
        let body = serde_json::to_vec(&valid_vote(&batch(), &place(), None).unwrap()).unwrap();
        let again = reformatted(&body);
        assert_ne!(again, body);
        assert!(String::from_utf8(again.clone()).unwrap().starts_with("{\n  \"vote_id\""));
        let parse = |b: &[u8]| serde_json::from_slice::<Value>(b).unwrap();
        assert_eq!(parse(&again), parse(&body));
    }
}
