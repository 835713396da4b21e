//! `GET E/batches/current`: the batch document against every rule, judged
//! by the protocol crate's own types and checks, so the checker and the
//! widget cannot read a batch differently.

use survey_protocol::{Batch, BatchError};

use super::Run;
use crate::http::Request;
use crate::rules::{self, Rule};

/// The rules [`Batch::broken_rules`] judges, one per kind of error.
const DOCUMENT_RULES: &[&Rule] = &[
    &rules::BATCH_ID,
    &rules::BATCH_TITLE,
    &rules::BATCH_OPTIONS,
    &rules::BATCH_CHOICES,
    &rules::BATCH_LOCATION,
    &rules::BATCH_OTHER,
    &rules::BATCH_DATES,
    &rules::BATCH_PRIVACY_NOTICE,
];

/// The rule a batch error breaks. Exhaustive: a new kind of error in the
/// protocol crate does not compile here until it has its rule.
fn rule_of(error: &BatchError) -> &'static Rule {
    match error {
        BatchError::NotJson | BatchError::WrongShape(_) => &rules::BATCH_SHAPE,
        BatchError::BadId => &rules::BATCH_ID,
        BatchError::EmptyTitle => &rules::BATCH_TITLE,
        BatchError::NoOptions
        | BatchError::TooManyOptions(_)
        | BatchError::BadOption(_)
        | BatchError::DuplicateOptionId(_) => &rules::BATCH_OPTIONS,
        BatchError::BadChoiceRange { .. } | BatchError::MinAboveOptions { .. } => &rules::BATCH_CHOICES,
        BatchError::BadLevels(_) => &rules::BATCH_LOCATION,
        BatchError::BadOtherLength => &rules::BATCH_OTHER,
        BatchError::BadDate(_) => &rules::BATCH_DATES,
        BatchError::MissingPrivacyNotice => &rules::BATCH_PRIVACY_NOTICE,
    }
}

/// Fetches the current batch and judges it. `Ok` with a batch that keeps
/// every rule (the only kind the widget renders), else why the checks that
/// need one cannot run.
pub fn check(run: &mut Run) -> Result<Batch, String> {
    let exchange = run.send(Request::get("batches/current"));
    let answer = match (&exchange.answer, exchange.status()) {
        (Ok(answer), Some(200)) => answer,
        (Ok(_), Some(404)) => {
            run.report.pass(&rules::BATCH_CURRENT);
            return not_checked(run, "the endpoint has no batch to show (404)".to_owned());
        }
        _ => {
            let message = format!("GET batches/current {}, not 200 with a batch or 404", exchange.what_came_back());
            run.report.fail(&rules::BATCH_CURRENT, &message, Some(&exchange));
            return not_checked(run, format!("there is no batch: {message}"));
        }
    };
    run.report.pass(&rules::BATCH_CURRENT);

    let batch: Batch = match serde_json::from_slice(&answer.body) {
        Ok(batch) => batch,
        Err(error) => {
            let message = if error.is_data() {
                format!("the batch has the wrong shape: {error}")
            } else {
                format!("the batch is not JSON: {error}")
            };
            run.report.fail(&rules::BATCH_SHAPE, &message, Some(&exchange));
            run.report.skip_all(DOCUMENT_RULES, "the batch could not be read (see batch.shape)");
            return Err(format!("{message}: the widget would show no form"));
        }
    };
    run.report.pass(&rules::BATCH_SHAPE);

    let broken = batch.broken_rules();
    for error in &broken {
        run.report.fail(rule_of(error), error.to_string(), Some(&exchange));
    }
    for rule in DOCUMENT_RULES {
        if !broken.iter().any(|e| rule_of(e).id == rule.id) {
            run.report.pass(rule);
        }
    }
    if broken.is_empty() {
        Ok(batch)
    } else {
        let ids: Vec<&str> = broken.iter().map(|e| rule_of(e).id).collect();
        Err(format!("the batch breaks {}: the widget would show no form", ids.join(", ")))
    }
}

/// Nothing of the batch can be judged: says why for each of its rules.
fn not_checked(run: &mut Run, reason: String) -> Result<Batch, String> {
    run.report.skip(&rules::BATCH_SHAPE, &reason);
    run.report.skip_all(DOCUMENT_RULES, &reason);
    Err(reason)
}
