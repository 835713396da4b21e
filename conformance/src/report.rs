//! What the checker found, rule by rule: pass, fail (with the request and
//! the answer that show it), or not checked and why. Printed as a table for
//! people and as JSON for CI.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::http::Exchange;
use crate::rules::{ALL, Rule};

/// How many failing exchanges of one rule the table prints in full.
const SHOWN_PER_RULE: usize = 3;

/// How much of a body the table prints.
const SHOWN_BODY: usize = 1200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    NotChecked,
}

impl Outcome {
    fn word(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotChecked => "not_checked",
        }
    }
}

/// One reason a rule failed.
#[derive(Clone, Debug)]
pub struct Failure {
    pub message: String,
    /// The request that showed it, when one did.
    pub exchange: Option<Exchange>,
}

/// Everything recorded against one rule.
#[derive(Debug)]
pub struct RuleReport {
    pub rule: &'static Rule,
    pub passes: usize,
    pub failures: Vec<Failure>,
    /// Why the rule could not be checked, the first reason given.
    pub not_checked: Option<String>,
}

impl RuleReport {
    /// Any failure fails the rule; otherwise one pass passes it.
    pub fn outcome(&self) -> Outcome {
        if !self.failures.is_empty() {
            Outcome::Fail
        } else if self.passes > 0 {
            Outcome::Pass
        } else {
            Outcome::NotChecked
        }
    }

    fn reason(&self) -> &str {
        self.not_checked.as_deref().unwrap_or("the run stopped before it could be checked")
    }
}

/// The whole run.
#[derive(Debug)]
pub struct Report {
    pub endpoint: String,
    pub origin: Option<String>,
    /// Things the reader should know that are no rule's outcome (votes cast,
    /// the code source that gave nothing).
    pub notes: Vec<String>,
    rules: Vec<RuleReport>,
}

impl Report {
    pub fn new(endpoint: &str, origin: Option<&str>) -> Self {
        let rules =
            ALL.iter().map(|&rule| RuleReport { rule, passes: 0, failures: Vec::new(), not_checked: None }).collect();
        Self { endpoint: endpoint.to_owned(), origin: origin.map(str::to_owned), notes: Vec::new(), rules }
    }

    fn entry(&mut self, rule: &Rule) -> &mut RuleReport {
        self.rules
            .iter_mut()
            .find(|r| r.rule.id == rule.id)
            .unwrap_or_else(|| panic!("rule {} is missing from rules::ALL", rule.id))
    }

    pub fn pass(&mut self, rule: &Rule) {
        self.entry(rule).passes += 1;
    }

    pub fn fail(&mut self, rule: &Rule, message: impl Into<String>, exchange: Option<&Exchange>) {
        self.entry(rule).failures.push(Failure { message: message.into(), exchange: exchange.cloned() });
    }

    /// Records why `rule` cannot be checked; the first reason stands.
    pub fn skip(&mut self, rule: &Rule, reason: impl Into<String>) {
        let entry = self.entry(rule);
        if entry.not_checked.is_none() {
            entry.not_checked = Some(reason.into());
        }
    }

    /// [`Report::skip`] for several rules at once.
    pub fn skip_all(&mut self, rules: &[&Rule], reason: &str) {
        for rule in rules {
            self.skip(rule, reason);
        }
    }

    pub fn rules(&self) -> &[RuleReport] {
        &self.rules
    }

    pub fn outcome_of(&self, id: &str) -> Option<Outcome> {
        self.rules.iter().find(|r| r.rule.id == id).map(RuleReport::outcome)
    }

    /// Ids of the failed rules, in report order.
    pub fn failed(&self) -> Vec<&'static str> {
        self.rules.iter().filter(|r| r.outcome() == Outcome::Fail).map(|r| r.rule.id).collect()
    }

    fn count(&self, outcome: Outcome) -> usize {
        self.rules.iter().filter(|r| r.outcome() == outcome).count()
    }

    /// The report for people: one line per rule, then the evidence of each
    /// failure and the reason for each rule not checked.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Protocol v1 conformance of {}", self.endpoint);
        if let Some(origin) = &self.origin {
            let _ = writeln!(out, "page origin (CORS): {origin}");
        }
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        out.push('\n');
        let width = self.rules.iter().map(|r| r.rule.id.len()).max().unwrap_or(0);
        for report in &self.rules {
            let word = match report.outcome() {
                Outcome::Pass => "PASS",
                Outcome::Fail => "FAIL",
                Outcome::NotChecked => "----",
            };
            let _ = writeln!(out, "{word}  {:width$}  {}", report.rule.id, report.rule.text);
            let indent = " ".repeat(width + 8);
            match report.outcome() {
                Outcome::Pass => {}
                Outcome::NotChecked => {
                    let _ = writeln!(out, "{indent}not checked: {}", report.reason());
                }
                Outcome::Fail => {
                    for failure in report.failures.iter().take(SHOWN_PER_RULE) {
                        write_failure(&mut out, &indent, failure);
                    }
                    if report.failures.len() > SHOWN_PER_RULE {
                        let more = report.failures.len() - SHOWN_PER_RULE;
                        let _ = writeln!(out, "{indent}… and {more} more like these (see --json)");
                    }
                }
            }
        }
        let _ = writeln!(
            out,
            "\n{} rules: {} pass, {} fail, {} not checked (section of docs/protocol.md in --json; see docs/conformance.md)",
            self.rules.len(),
            self.count(Outcome::Pass),
            self.count(Outcome::Fail),
            self.count(Outcome::NotChecked),
        );
        out
    }

    /// The report for CI: every rule with its outcome, reason and evidence.
    pub fn json(&self) -> Value {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.rule.id,
                    "section": r.rule.section,
                    "rule": r.rule.text,
                    "outcome": r.outcome().word(),
                    "reason": (r.outcome() == Outcome::NotChecked).then(|| r.reason()),
                    "failures": r.failures.iter().map(failure_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "endpoint": self.endpoint,
            "origin": self.origin,
            "protocol_version": survey_protocol::PROTOCOL_VERSION,
            "checker": concat!("conformance/", env!("CARGO_PKG_VERSION")),
            "notes": self.notes,
            "summary": {
                "pass": self.count(Outcome::Pass),
                "fail": self.count(Outcome::Fail),
                "not_checked": self.count(Outcome::NotChecked),
            },
            "rules": rules,
        })
    }
}

fn write_failure(out: &mut String, indent: &str, failure: &Failure) {
    let _ = writeln!(out, "{indent}{}", failure.message);
    let Some(exchange) = &failure.exchange else { return };
    let _ = writeln!(out, "{indent}  request: {} {}", exchange.method, exchange.url);
    for (name, value) in &exchange.request_headers {
        let _ = writeln!(out, "{indent}    {name}: {value}");
    }
    if !exchange.request_body.is_empty() {
        let _ = writeln!(out, "{indent}    {}", shorten(&exchange.request_body));
    }
    match &exchange.answer {
        Err(error) => {
            let _ = writeln!(out, "{indent}  no answer: {error}");
        }
        Ok(answer) => {
            let _ = writeln!(out, "{indent}  answer: {}", answer.status);
            for (name, value) in &answer.headers {
                let _ = writeln!(out, "{indent}    {name}: {value}");
            }
            if !answer.body.is_empty() {
                let _ = writeln!(out, "{indent}    {}", shorten(&answer.text()));
            }
        }
    }
}

/// The first [`SHOWN_BODY`] characters of a body, on one line.
fn shorten(body: &str) -> String {
    let one_line: String = body.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    match one_line.char_indices().nth(SHOWN_BODY) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &one_line[..cut], body.len()),
        None => one_line,
    }
}

fn failure_json(failure: &Failure) -> Value {
    let Some(exchange) = &failure.exchange else {
        return json!({ "message": failure.message });
    };
    let headers = |list: &[(String, String)]| list.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>();
    let answer = match &exchange.answer {
        Ok(answer) => json!({
            "status": answer.status,
            "headers": headers(&answer.headers),
            "body": answer.text(),
        }),
        Err(error) => json!({ "error": error }),
    };
    json!({
        "message": failure.message,
        "request": {
            "method": exchange.method,
            "url": exchange.url,
            "headers": headers(&exchange.request_headers),
            "body": exchange.request_body,
        },
        "answer": answer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Answer;
    use crate::rules::{BATCH_CHOICES, BATCH_ID, VOTES_REPLAY};

    fn exchange() -> Exchange {
        Exchange {
            method: "POST",
            url: "http://127.0.0.1:1/api/v1/votes".to_owned(),
            request_headers: vec![("idempotency-key".to_owned(), "k".to_owned())],
            request_body: "{\"vote_id\":\"k\"}".to_owned(),
            answer: Ok(Answer {
                status: 200,
                headers: vec![("content-type".to_owned(), "application/json".to_owned())],
                body: b"{\"receipt\":\"NEW\"}".to_vec(),
            }),
        }
    }

    #[test]
    fn a_failure_outweighs_passes_and_a_rule_never_reached_is_not_checked() {
        let mut report = Report::new("http://127.0.0.1:1/api/v1", None);
        report.pass(&VOTES_REPLAY);
        report.fail(&VOTES_REPLAY, "a new receipt", Some(&exchange()));
        report.pass(&BATCH_ID);
        report.skip(&BATCH_ID, "ignored: the rule passed");
        assert_eq!(report.outcome_of("votes.replay"), Some(Outcome::Fail));
        assert_eq!(report.outcome_of("batch.id"), Some(Outcome::Pass));
        assert_eq!(report.outcome_of("batch.choices"), Some(Outcome::NotChecked));
        assert_eq!(report.failed(), vec!["votes.replay"]);
    }

    #[test]
    fn the_table_shows_the_request_and_the_answer_of_a_failure_and_why_a_rule_was_not_checked() {
        let mut report = Report::new("http://127.0.0.1:1/api/v1", None);
        report.fail(&VOTES_REPLAY, "the replay got another receipt", Some(&exchange()));
        report.skip(&BATCH_CHOICES, "no batch");
        let table = report.table();
        assert!(table.contains("FAIL  votes.replay"), "{table}");
        assert!(table.contains("the replay got another receipt"), "{table}");
        assert!(table.contains("request: POST http://127.0.0.1:1/api/v1/votes"), "{table}");
        assert!(table.contains("idempotency-key: k"), "{table}");
        assert!(table.contains("answer: 200"), "{table}");
        assert!(table.contains("{\"receipt\":\"NEW\"}"), "{table}");
        assert!(table.contains("not checked: no batch"), "{table}");
    }

    #[test]
    fn the_json_report_names_each_rule_with_its_outcome_and_evidence() {
        let mut report = Report::new("http://127.0.0.1:1/api/v1", Some("https://www.gov.cn"));
        report.fail(&VOTES_REPLAY, "the replay got another receipt", Some(&exchange()));
        let json = report.json();
        assert_eq!(json["summary"]["fail"], 1);
        let replay = json["rules"].as_array().unwrap().iter().find(|r| r["id"] == "votes.replay").unwrap();
        assert_eq!(replay["outcome"], "fail");
        assert_eq!(replay["section"], "POST E/votes");
        assert_eq!(replay["failures"][0]["answer"]["status"], 200);
        assert_eq!(replay["failures"][0]["request"]["headers"][0], json!(["idempotency-key", "k"]));
    }

    #[test]
    fn long_bodies_are_shortened_on_one_line() {
        let body = format!("{}\n{}", "a".repeat(10), "b".repeat(5000));
        let shown = shorten(&body);
        assert!(shown.starts_with("aaaaaaaaaa b"));
        assert!(shown.ends_with("(5011 bytes in all)"));
    }
}
