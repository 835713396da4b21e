//! `GET E/batches/{id}/results`: when it answers, its shape, and that the
//! votes the checker saw counted show in it. Tallies may be cached for a
//! moment (`updated_at`), so the last is asked again until `--wait` passes.

use std::time::{Duration, Instant};

use survey_protocol::time::parse_rfc3339;
use survey_protocol::{Batch, Results, ResultsVisibility, Vote};

use super::Run;
use crate::http::{Exchange, Request};
use crate::rules;

/// Made up, and kept by the rule for batch ids (`[A-Za-z0-9._-]`).
pub const NO_SUCH_BATCH: &str = "conformance-no-such-batch";

/// How often the results are asked again while a vote has not shown.
const POLL: Duration = Duration::from_millis(500);

/// What the votes the checker saw counted add to the tallies.
#[derive(Debug, Default)]
pub struct Counted {
    pub total: u64,
    pub real_name_total: u64,
    pub by_option: Vec<(String, u64)>,
}

impl Counted {
    /// Adds a vote the endpoint answered 201.
    pub fn add(&mut self, vote: &Vote, real_name: bool) {
        self.total += 1;
        self.real_name_total += u64::from(real_name);
        for choice in &vote.choices {
            match self.by_option.iter_mut().find(|(id, _)| id == choice) {
                Some((_, n)) => *n += 1,
                None => self.by_option.push((choice.clone(), 1)),
            }
        }
    }
}

/// The results before any vote is cast (the baseline), after checking that
/// a batch that does not exist has none.
pub fn before_voting(run: &mut Run, batch: Result<&Batch, &String>) -> Option<Results> {
    let missing = run.send(Request::get(format!("batches/{NO_SUCH_BATCH}/results")));
    if missing.status() == Some(404) {
        run.report.pass(&rules::RESULTS_AVAILABLE);
    } else {
        let message = format!("the results of a batch that does not exist {}, not 404", missing.what_came_back());
        run.report.fail(&rules::RESULTS_AVAILABLE, message, Some(&missing));
    }
    let batch = match batch {
        Ok(batch) => batch,
        Err(reason) => {
            run.report.skip_all(&[&rules::RESULTS_SHAPE, &rules::RESULTS_COUNTED], reason);
            return None;
        }
    };
    let exchange = fetch(run, batch);
    if batch.results == ResultsVisibility::Hidden {
        if exchange.status() == Some(404) {
            run.report.pass(&rules::RESULTS_AVAILABLE);
        } else {
            let message = format!("the batch's results are hidden, but they {}, not 404", exchange.what_came_back());
            run.report.fail(&rules::RESULTS_AVAILABLE, message, Some(&exchange));
        }
        let reason = "the batch's results are hidden";
        run.report.skip_all(&[&rules::RESULTS_SHAPE, &rules::RESULTS_COUNTED], reason);
        return None;
    }
    if exchange.status() != Some(200) {
        let message =
            format!("the results of a batch whose results are not hidden {}, not 200", exchange.what_came_back());
        run.report.fail(&rules::RESULTS_AVAILABLE, message, Some(&exchange));
        run.report.skip_all(&[&rules::RESULTS_SHAPE, &rules::RESULTS_COUNTED], "the results did not answer 200");
        return None;
    }
    run.report.pass(&rules::RESULTS_AVAILABLE);
    let results = judge_shape(run, batch, &exchange);
    if results.is_none() {
        run.report.skip(&rules::RESULTS_COUNTED, "the results have the wrong shape (see results.shape)");
    }
    results
}

/// Asks for the results until the votes in `counted` show or `--wait` has
/// passed since the last of them.
pub fn counted(run: &mut Run, batch: &Batch, before: Option<Results>, counted: &Counted) {
    let Some(before) = before else { return };
    if counted.total == 0 {
        run.report.skip(&rules::RESULTS_COUNTED, "no vote of the checker was counted (see votes.counted)");
        return;
    }
    let deadline = Instant::now() + run.options.wait;
    loop {
        let exchange = fetch(run, batch);
        let Some(after) = judge_shape(run, batch, &exchange) else {
            run.report.skip(&rules::RESULTS_COUNTED, "the results have the wrong shape (see results.shape)");
            return;
        };
        let missing = missing_votes(&before, &after, counted);
        if missing.is_empty() {
            run.report.pass(&rules::RESULTS_COUNTED);
            return;
        }
        if Instant::now() >= deadline {
            let message = format!(
                "{} s after the votes were counted the tallies still lack them: {}",
                run.options.wait.as_secs(),
                missing.join("; ")
            );
            run.report.fail(&rules::RESULTS_COUNTED, message, Some(&exchange));
            return;
        }
        std::thread::sleep(POLL);
    }
}

fn fetch(run: &mut Run, batch: &Batch) -> Exchange {
    run.send(Request::get(format!("batches/{}/results", batch.id)))
}

/// The results in `exchange` when they keep the rules of their shape; each
/// broken one is recorded.
fn judge_shape(run: &mut Run, batch: &Batch, exchange: &Exchange) -> Option<Results> {
    let parsed = exchange.answer.as_ref().map_err(Clone::clone).and_then(|answer| {
        serde_json::from_slice::<Results>(&answer.body).map_err(|e| format!("the results are not Results JSON: {e}"))
    });
    let results = match parsed {
        Ok(results) => results,
        Err(message) => {
            run.report.fail(&rules::RESULTS_SHAPE, message, Some(exchange));
            return None;
        }
    };
    let problems = shape_problems(batch, &results);
    if problems.is_empty() {
        run.report.pass(&rules::RESULTS_SHAPE);
        Some(results)
    } else {
        run.report.fail(&rules::RESULTS_SHAPE, problems.join("; "), Some(exchange));
        None
    }
}

/// What is wrong with results of `batch`, beyond their JSON types.
fn shape_problems(batch: &Batch, results: &Results) -> Vec<String> {
    let mut problems = Vec::new();
    if results.batch_id != batch.id {
        problems.push(format!("batch_id is {:?}, not {:?}", results.batch_id, batch.id));
    }
    let expected: Vec<&str> = batch.options.iter().map(|o| o.id.as_str()).collect();
    let got: Vec<&str> = results.options.iter().map(|o| o.id.as_str()).collect();
    if got != expected {
        problems.push(format!("options are {got:?}, not one entry per batch option in batch order {expected:?}"));
    }
    if results.real_name_total > results.total {
        problems.push(format!("real_name_total {} is above total {}", results.real_name_total, results.total));
    }
    if let Some(over) = results.options.iter().find(|o| o.votes > results.total) {
        problems.push(format!("option {} has {} votes, more than total {}", over.id, over.votes, results.total));
    }
    if parse_rfc3339(&results.updated_at).is_none() {
        problems.push(format!("updated_at {:?} is not RFC 3339", results.updated_at));
    }
    problems
}

/// Which of the counted votes `after` does not show over `before`. Other
/// citizens may vote meanwhile, so a tally may grow by more, never by less.
fn missing_votes(before: &Results, after: &Results, counted: &Counted) -> Vec<String> {
    let mut missing = Vec::new();
    let grew = |label: &str, was: u64, is: u64, by: u64, missing: &mut Vec<String>| {
        if is < was + by {
            missing.push(format!("{label} went from {was} to {is}, not at least {}", was + by));
        }
    };
    grew("total", before.total, after.total, counted.total, &mut missing);
    grew("real_name_total", before.real_name_total, after.real_name_total, counted.real_name_total, &mut missing);
    for (id, by) in &counted.by_option {
        let votes = |r: &Results| r.options.iter().find(|o| &o.id == id).map_or(0, |o| o.votes);
        grew(&format!("option {id}"), votes(before), votes(after), *by, &mut missing);
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey_protocol::OptionTally;

    fn batch() -> Batch {
        serde_json::from_str(include_str!("../../../docs/examples/batch-open.json")).unwrap()
    }

    fn results() -> Results {
        serde_json::from_str(include_str!("../../../docs/examples/results.json")).unwrap()
    }

    #[test]
    fn the_protocols_example_results_have_the_right_shape() {
        assert_eq!(shape_problems(&batch(), &results()), Vec::<String>::new());
    }

    #[test]
    fn results_out_of_batch_order_or_above_their_total_are_named() {
        let mut r = results();
        r.options.swap(0, 1);
        r.real_name_total = 9;
        r.options.push(OptionTally { id: "extra".into(), votes: 40 });
        let problems = shape_problems(&batch(), &r).join("; ");
        assert!(problems.contains("in batch order"), "{problems}");
        assert!(problems.contains("real_name_total 9 is above total 3"), "{problems}");
        assert!(problems.contains("option extra has 40 votes"), "{problems}");
    }

    #[test]
    fn a_counted_vote_must_raise_its_options_and_the_totals() {
        let vote: Vote = serde_json::from_str(include_str!("../../../docs/examples/vote.json")).unwrap();
        let mut counted = Counted::default();
        counted.add(&vote, true);
        let before = results();
        let mut after = results();
        assert_eq!(missing_votes(&before, &after, &counted).len(), 4);
        after.total += 5;
        after.real_name_total += 1;
        after.options.iter_mut().for_each(|o| o.votes += 1);
        assert_eq!(missing_votes(&before, &after, &counted), Vec::<String>::new());
    }
}
