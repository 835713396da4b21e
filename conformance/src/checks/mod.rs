//! The checks, in the order a citizen's visit makes the requests: the
//! batch, CORS, the results, verification, the votes, the results again,
//! the results by region, earlier batches and follow-up (optional parts),
//! and last the rules that hold for every answer seen on the way.
//!
//! Each check records against the rules of [`crate::rules`]. When a check
//! cannot run (no open batch, no code source, a batch that breaks a rule) it
//! records "not checked" with the reason, so one broken rule yields one
//! failure rather than a cascade.

mod answers;
mod ballots;
mod batch;
mod cors;
mod field_errors;
mod history;
mod real_name;
mod regions;
mod results;
mod verification;
mod vote_cases;
mod votes;

use survey_protocol::{Batch, BatchStatus};

use crate::http::{Client, Exchange, Request};
use crate::options::Options;
use crate::report::Report;
use crate::rules::{self, Rule};

/// What a check needs: the settings, the client and the report so far.
pub struct Run<'a> {
    pub options: &'a Options,
    pub http: Client,
    pub report: Report,
}

impl Run<'_> {
    fn send(&mut self, request: Request) -> Exchange {
        self.http.send(request)
    }
}

/// The rules that need votes or verifications sent.
const WRITING_RULES: &[&Rule] = &[
    &rules::VOTES_COUNTED,
    &rules::VOTES_REPLAY,
    &rules::VOTES_KEY_REUSED,
    &rules::VOTES_IDEMPOTENCY_KEY,
    &rules::VOTES_NOT_JSON,
    &rules::VOTES_NOT_A_VOTE,
    &rules::VOTES_TOO_LARGE,
    &rules::VOTES_UNKNOWN_BATCH,
    &rules::VOTES_BATCH_NOT_OPEN,
    &rules::VOTES_TOKEN_REFUSED,
    &rules::VOTES_OTHER_CHARACTERS,
    &rules::REJECTS_TOO_MANY,
    &rules::REJECTS_TOO_FEW,
    &rules::REJECTS_UNKNOWN_OPTION,
    &rules::REJECTS_DUPLICATE_OPTION,
    &rules::REJECTS_UNKNOWN_PLACE,
    &rules::REJECTS_PLACE_FORMAT,
    &rules::REJECTS_PLACE_REQUIRED,
    &rules::REJECTS_LEVEL_NOT_ASKED,
    &rules::REJECTS_OTHER_TOO_LONG,
    &rules::REJECTS_OTHER_NOT_ALLOWED,
    &rules::REJECTS_VOTE_ID_FORMAT,
    &rules::VERIFICATIONS_MALFORMED,
    &rules::VERIFICATIONS_UNKNOWN_BATCH,
    &rules::VERIFICATIONS_REAL_NAME_OFF,
    &rules::VERIFICATIONS_CREATED,
    &rules::VERIFICATIONS_CONFIRM_UNKNOWN,
    &rules::VERIFICATIONS_CODE_REFUSED,
    &rules::VERIFICATIONS_CONFIRMED,
    &rules::REAL_NAME_VOTE,
    &rules::REAL_NAME_ONCE,
    &rules::RESULTS_COUNTED,
    &rules::PROBLEM_FIELD_ERRORS,
];

/// Runs every check against `options.endpoint`. With `cast` false nothing
/// but GET and OPTIONS is sent, and the rules that need more are not
/// checked.
pub fn run(options: &Options, cast: bool) -> Report {
    let http = Client::new(&options.endpoint, options.origin.as_deref(), options.timeout, options.is_loopback());
    let mut report = Report::new(&options.endpoint, options.origin.as_deref());
    if let Some(codes) = &options.codes {
        report.notes.push(format!("verification codes read from {}", codes.describe()));
    }
    let mut run = Run { options, http, report };

    endpoint_https(&mut run);
    let batch = batch::check(&mut run);
    if run.http.log().iter().all(|exchange| exchange.answer.is_err()) {
        // Nothing answered: every other rule would fail for that one cause.
        run.report.skip_all(rules::ALL, "the endpoint could not be reached (see batch.current)");
        return run.report;
    }
    cors::preflight(&mut run, batch.as_ref().ok().map(|b| b.real_name));
    let tallies = results::before_voting(&mut run, batch.as_ref());

    if !cast {
        let reason = if options.read_only {
            "--read-only: the checker sent no vote and no verification"
        } else {
            "not confirmed: the checker sent no vote and no verification (run with --yes to cast test votes)"
        };
        run.report.skip_all(WRITING_RULES, reason);
    } else {
        match &batch {
            Err(reason) => run.report.skip_all(WRITING_RULES, reason),
            Ok(batch) => cast_votes(&mut run, batch, tallies),
        }
    }

    regions::check(&mut run, batch.as_ref());
    history::check(&mut run, batch.as_ref());
    answers::check(&mut run);
    run.report
}

/// Verification, then votes, then the results they should show in.
fn cast_votes(run: &mut Run, batch: &Batch, tallies: Option<survey_protocol::Results>) {
    verification::refusals(run, batch);
    if batch.status != BatchStatus::Open {
        votes::batch_not_open(run, batch);
        return;
    }
    run.report.skip(&rules::VOTES_BATCH_NOT_OPEN, "the current batch is open");
    let counted = votes::check(run, batch);
    results::counted(run, batch, tallies, &counted);
}

fn endpoint_https(run: &mut Run) {
    if run.options.is_https() || run.options.is_loopback() {
        run.report.pass(&rules::ENDPOINT_HTTPS);
    } else {
        run.report.fail(
            &rules::ENDPOINT_HTTPS,
            format!(
                "{} is plain http on another machine: browsers block it from https portals, and the widget never sends real names there",
                run.options.endpoint
            ),
            None,
        );
    }
}
