//! The optional parts that show a citizen earlier batches and what became
//! of each bottleneck: `GET E/batches`, `GET E/batches/{id}`, and the
//! follow-up on every batch served. An endpoint that answers 404 does not
//! offer a part, and its rule is not checked; one that publishes no
//! follow-up leaves `follow_up.sound` not checked.

use survey_protocol::time::parse_rfc3339;
use survey_protocol::{Batch, BatchFollowUp, BatchList, FollowUp, ResultsVisibility};

use super::Run;
use super::results::NO_SUCH_BATCH;
use crate::http::{Exchange, Request};
use crate::rules;

/// The follow-ups seen, each with where it was and the answer it came in.
#[derive(Default)]
struct Seen {
    batches: Vec<(String, BatchFollowUp, Option<Exchange>)>,
    options: Vec<(String, FollowUp, Option<Exchange>)>,
}

impl Seen {
    fn batch(&mut self, batch: &Batch, exchange: Option<&Exchange>) {
        if let Some(follow_up) = &batch.follow_up {
            self.batches.push((format!("batch {}", batch.id), follow_up.clone(), exchange.cloned()));
        }
        for option in &batch.options {
            if let Some(follow_up) = &option.follow_up {
                let place = format!("option {} of batch {}", option.id, batch.id);
                self.options.push((place, follow_up.clone(), exchange.cloned()));
            }
        }
    }
}

pub fn check(run: &mut Run, batch: Result<&Batch, &String>) {
    let current = match batch {
        Ok(batch) => batch,
        Err(reason) => {
            return run.report.skip_all(&[&rules::BATCHES_LIST, &rules::BATCHES_ONE, &rules::FOLLOW_UP_SOUND], reason);
        }
    };
    let mut seen = Seen::default();
    seen.batch(current, None);
    list(run, current, &mut seen);
    one(run, current, &mut seen);
    follow_ups(run, &seen);
}

fn list(run: &mut Run, current: &Batch, seen: &mut Seen) {
    let exchange = run.send(Request::get("batches"));
    match exchange.status() {
        Some(200) => {}
        Some(404) => return run.report.skip(&rules::BATCHES_LIST, "the endpoint does not offer the list of batches (404)"),
        _ => {
            let message = format!("GET batches {}, not 200 or 404", exchange.what_came_back());
            return run.report.fail(&rules::BATCHES_LIST, message, Some(&exchange));
        }
    }
    let parsed = exchange.answer.as_ref().map_err(Clone::clone).and_then(|answer| {
        serde_json::from_slice::<BatchList>(&answer.body).map_err(|e| format!("the list is not BatchList JSON: {e}"))
    });
    let list = match parsed {
        Ok(list) => list,
        Err(message) => return run.report.fail(&rules::BATCHES_LIST, message, Some(&exchange)),
    };
    for summary in &list.batches {
        if let Some(follow_up) = &summary.follow_up {
            seen.batches.push((format!("batch {} in the list", summary.id), follow_up.clone(), Some(exchange.clone())));
        }
    }
    let problems = list_problems(current, &list);
    if problems.is_empty() {
        run.report.pass(&rules::BATCHES_LIST);
    } else {
        run.report.fail(&rules::BATCHES_LIST, problems.join("; "), Some(&exchange));
    }
}

/// What is wrong with the list, given the current batch.
fn list_problems(current: &Batch, list: &BatchList) -> Vec<String> {
    let mut problems = Vec::new();
    for (at, summary) in list.batches.iter().enumerate() {
        if list.batches[..at].iter().any(|earlier| earlier.id == summary.id) {
            problems.push(format!("batch {} is listed twice", summary.id));
        }
        if summary.title.trim().is_empty() {
            problems.push(format!("batch {} has a blank title", summary.id));
        }
        for date in [&summary.opens_at, &summary.closes_at].into_iter().flatten() {
            if parse_rfc3339(date).is_none() {
                problems.push(format!("batch {}'s date {date:?} is not RFC 3339", summary.id));
            }
        }
        if let (Some(total), Some(real_name)) = (summary.total, summary.real_name_total)
            && real_name > total
        {
            problems.push(format!("batch {} has {real_name} real-name votes of {total}", summary.id));
        }
    }
    let opened: Vec<i64> = list.batches.iter().filter_map(|b| b.opens_at.as_deref().and_then(parse_rfc3339)).collect();
    if !opened.windows(2).all(|pair| pair[0] >= pair[1]) {
        problems.push("the batches are not newest first (by opens_at)".to_owned());
    }
    match list.batches.iter().find(|b| b.id == current.id) {
        None => problems.push(format!("the current batch {} is not in the list", current.id)),
        Some(summary) => {
            if summary.status != current.status || summary.title != current.title {
                problems.push(format!("batch {}'s title or status differs from batches/current", current.id));
            }
            let hidden = current.results == ResultsVisibility::Hidden;
            if hidden && (summary.total.is_some() || summary.real_name_total.is_some()) {
                problems.push(format!("batch {}'s results are hidden, but the list gives its totals", current.id));
            }
        }
    }
    problems
}

fn one(run: &mut Run, current: &Batch, seen: &mut Seen) {
    let exchange = run.send(Request::get(format!("batches/{}", current.id)));
    match exchange.status() {
        Some(200) => {}
        Some(404) => return run.report.skip(&rules::BATCHES_ONE, "the endpoint does not offer batches by id (404)"),
        _ => {
            let message = format!("GET batches/{} {}, not 200 or 404", current.id, exchange.what_came_back());
            return run.report.fail(&rules::BATCHES_ONE, message, Some(&exchange));
        }
    }
    let parsed = exchange.answer.as_ref().map_err(Clone::clone).and_then(|answer| {
        serde_json::from_slice::<Batch>(&answer.body).map_err(|e| format!("the batch has the wrong shape: {e}"))
    });
    match parsed {
        Err(message) => run.report.fail(&rules::BATCHES_ONE, message, Some(&exchange)),
        Ok(batch) => {
            seen.batch(&batch, Some(&exchange));
            let ids = |b: &Batch| b.options.iter().map(|o| o.id.clone()).collect::<Vec<_>>();
            let broken = batch.broken_rules();
            if !broken.is_empty() {
                let broken: Vec<String> = broken.iter().map(ToString::to_string).collect();
                run.report.fail(&rules::BATCHES_ONE, broken.join("; "), Some(&exchange));
            } else if batch.id != current.id || ids(&batch) != ids(current) {
                let message = format!("GET batches/{} is not the batch batches/current serves", current.id);
                run.report.fail(&rules::BATCHES_ONE, message, Some(&exchange));
            } else {
                run.report.pass(&rules::BATCHES_ONE);
            }
        }
    }
    let missing = run.send(Request::get(format!("batches/{NO_SUCH_BATCH}")));
    if missing.status() == Some(404) {
        run.report.pass(&rules::BATCHES_ONE);
    } else {
        let message = format!("a batch that does not exist {}, not 404", missing.what_came_back());
        run.report.fail(&rules::BATCHES_ONE, message, Some(&missing));
    }
}

fn follow_ups(run: &mut Run, seen: &Seen) {
    if seen.batches.is_empty() && seen.options.is_empty() {
        return run.report.skip(&rules::FOLLOW_UP_SOUND, "the endpoint served no follow-up");
    }
    let broken_batches = seen.batches.iter().filter(|(_, f, _)| !f.is_sound()).map(|(place, f, e)| (place, format!("{f:?}"), e));
    let broken_options = seen.options.iter().filter(|(_, f, _)| !f.is_sound()).map(|(place, f, e)| (place, format!("{f:?}"), e));
    let mut failed = false;
    for (place, follow_up, exchange) in broken_batches.chain(broken_options) {
        let message = format!("the follow-up of {place} breaks a rule of the protocol (clients hide it): {follow_up}");
        run.report.fail(&rules::FOLLOW_UP_SOUND, message, exchange.as_ref());
        failed = true;
    }
    if !failed {
        run.report.pass(&rules::FOLLOW_UP_SOUND);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current() -> Batch {
        serde_json::from_str(include_str!("../../../docs/examples/batch-open.json")).unwrap()
    }

    fn list() -> BatchList {
        serde_json::from_str(include_str!("../../../docs/examples/batches.json")).unwrap()
    }

    #[test]
    fn the_protocols_example_list_keeps_every_rule() {
        assert_eq!(list_problems(&current(), &list()), Vec::<String>::new());
    }

    #[test]
    fn a_list_oldest_first_without_the_current_batch_is_named() {
        let mut list = list();
        list.batches.reverse();
        let problems = list_problems(&current(), &list).join("; ");
        assert!(problems.contains("not newest first"), "{problems}");
        list.batches.retain(|b| b.id != current().id);
        assert!(list_problems(&current(), &list).join("; ").contains("is not in the list"));
    }

    #[test]
    fn totals_of_hidden_results_are_named() {
        let mut hidden = current();
        hidden.results = ResultsVisibility::Hidden;
        assert!(list_problems(&hidden, &list()).join("; ").contains("results are hidden, but the list gives its totals"));
    }
}
