//! `GET E/batches/{id}/results/regions`, an optional part of v1: an
//! endpoint that answers 404 for a batch whose results show does not offer
//! it, and its rules are not checked. Asked after the votes, so that a
//! region they made big enough is listed.

use survey_protocol::region_results::MIN_VOTES_FLOOR;
use survey_protocol::time::parse_rfc3339;
use survey_protocol::{Batch, RegionLevel, RegionResults, ResultsVisibility};

use super::Run;
use super::results::NO_SUCH_BATCH;
use crate::http::{Exchange, Request};
use crate::rules::{self, Rule};

const RULES: &[&Rule] = &[&rules::REGIONS_AVAILABLE, &rules::REGIONS_SHAPE, &rules::REGIONS_MIN_VOTES];

pub fn check(run: &mut Run, batch: Result<&Batch, &String>) {
    let batch = match batch {
        Ok(batch) => batch,
        Err(reason) => return run.report.skip_all(RULES, reason),
    };
    let provinces = fetch(run, &format!("batches/{}/results/regions", batch.id));
    if batch.results == ResultsVisibility::Hidden {
        if matches!(provinces.status(), Some(200)) {
            let message = "the batch's results are hidden, but its results by region answer 200, not 404";
            run.report.fail(&rules::REGIONS_AVAILABLE, message, Some(&provinces));
        } else {
            run.report.skip(&rules::REGIONS_AVAILABLE, "the batch's results are hidden");
        }
        return run.report.skip_all(RULES, "the batch's results are hidden");
    }
    match provinces.status() {
        Some(200) => run.report.pass(&rules::REGIONS_AVAILABLE),
        Some(404) => return run.report.skip_all(RULES, "the endpoint does not offer results by region (404)"),
        _ => {
            let message = format!("the results by region of the current batch {}, not 200", provinces.what_came_back());
            run.report.fail(&rules::REGIONS_AVAILABLE, message, Some(&provinces));
            return run.report.skip_all(RULES, "the results by region did not answer 200");
        }
    }
    judge(run, batch, &provinces, None);

    let missing = fetch(run, &format!("batches/{NO_SUCH_BATCH}/results/regions"));
    expect_status(run, &missing, 404, "the results by region of a batch that does not exist");
    let bad_level = fetch(run, &format!("batches/{}/results/regions?level=conformance", batch.id));
    expect_status(run, &bad_level, 400, "results by region at level=conformance");

    // The cities of the province the checker votes in.
    let Some(province) = run.options.place.first().cloned() else {
        return run.report.skip(&rules::REGIONS_SHAPE, "no --place names a province");
    };
    let cities = fetch(run, &format!("batches/{}/results/regions?level=city&province={province}", batch.id));
    if cities.status() == Some(200) {
        judge(run, batch, &cities, Some(&province));
    } else {
        let message = format!("the cities of province {province} (--place) {}, not 200", cities.what_came_back());
        run.report.fail(&rules::REGIONS_AVAILABLE, message, Some(&cities));
    }
}

fn fetch(run: &mut Run, path: &str) -> Exchange {
    run.send(Request::get(path))
}

fn expect_status(run: &mut Run, exchange: &Exchange, status: u16, what: &str) {
    if exchange.status() == Some(status) {
        run.report.pass(&rules::REGIONS_AVAILABLE);
    } else {
        let message = format!("{what} {}, not {status}", exchange.what_came_back());
        run.report.fail(&rules::REGIONS_AVAILABLE, message, Some(exchange));
    }
}

/// Judges a `200` listing: of every province, or of the cities of `province`.
fn judge(run: &mut Run, batch: &Batch, exchange: &Exchange, province: Option<&str>) {
    let parsed = exchange.answer.as_ref().map_err(Clone::clone).and_then(|answer| {
        serde_json::from_slice::<RegionResults>(&answer.body)
            .map_err(|e| format!("the results by region are not RegionResults JSON: {e}"))
    });
    let results = match parsed {
        Ok(results) => results,
        Err(message) => {
            run.report.fail(&rules::REGIONS_SHAPE, message, Some(exchange));
            return run.report.skip(&rules::REGIONS_MIN_VOTES, "the results by region could not be read");
        }
    };
    let problems = shape_problems(batch, &results, province);
    if problems.is_empty() {
        run.report.pass(&rules::REGIONS_SHAPE);
    } else {
        run.report.fail(&rules::REGIONS_SHAPE, problems.join("; "), Some(exchange));
    }
    match min_votes_problem(&results) {
        None => run.report.pass(&rules::REGIONS_MIN_VOTES),
        Some(problem) => run.report.fail(&rules::REGIONS_MIN_VOTES, problem, Some(exchange)),
    }
}

/// What is wrong with a listing of `batch`, beyond its JSON types.
fn shape_problems(batch: &Batch, results: &RegionResults, province: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    if results.batch_id != batch.id {
        problems.push(format!("batch_id is {:?}, not {:?}", results.batch_id, batch.id));
    }
    let (level, expected_province) = match province {
        None => (RegionLevel::Province, None),
        Some(province) => (RegionLevel::City, Some(province)),
    };
    if results.level != level || results.province.as_deref() != expected_province {
        problems.push(format!(
            "level and province are {:?} and {:?}, not {level:?} and {expected_province:?}",
            results.level, results.province
        ));
    }
    if !results.regions.windows(2).all(|pair| pair[0].code < pair[1].code) {
        problems.push("regions are not in code order, each once".to_owned());
    }
    let prefix = province.and_then(|p| p.get(..2));
    if let Some(stray) = results.regions.iter().find(|r| prefix.is_some_and(|p| !r.code.starts_with(p))) {
        problems.push(format!("region {} is not a city of province {}", stray.code, province.unwrap_or_default()));
    }
    let expected: Vec<&str> = batch.options.iter().map(|o| o.id.as_str()).collect();
    for region in &results.regions {
        let got: Vec<&str> = region.options.iter().map(|o| o.id.as_str()).collect();
        if got != expected {
            problems.push(format!("region {}'s options are {got:?}, not one per batch option in batch order", region.code));
        }
        if region.real_name_total > region.total || region.options.iter().any(|o| o.votes > region.total) {
            problems.push(format!("region {} counts more real-name or option votes than its total", region.code));
        }
    }
    if parse_rfc3339(&results.updated_at).is_none() {
        problems.push(format!("updated_at {:?} is not RFC 3339", results.updated_at));
    }
    problems
}

/// Why the listing could single out a citizen, if it could.
fn min_votes_problem(results: &RegionResults) -> Option<String> {
    if results.min_votes < MIN_VOTES_FLOOR {
        return Some(format!("min_votes is {}, below the floor of {MIN_VOTES_FLOOR}", results.min_votes));
    }
    let small = results.regions.iter().find(|r| r.total < results.min_votes)?;
    Some(format!("region {} is listed with {} votes, fewer than min_votes {}", small.code, small.total, results.min_votes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> Batch {
        serde_json::from_str(include_str!("../../../docs/examples/batch-open.json")).unwrap()
    }

    fn example(city: bool) -> RegionResults {
        let text = if city {
            include_str!("../../../docs/examples/results-regions-city.json")
        } else {
            include_str!("../../../docs/examples/results-regions-province.json")
        };
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn the_protocols_examples_keep_every_rule() {
        assert_eq!(shape_problems(&batch(), &example(false), None), Vec::<String>::new());
        let city = example(true);
        let province = city.province.clone().unwrap();
        assert_eq!(shape_problems(&batch(), &city, Some(&province)), Vec::<String>::new());
        assert_eq!(min_votes_problem(&example(false)), None);
    }

    #[test]
    fn a_small_region_or_a_low_minimum_is_named() {
        let mut results = example(false);
        results.regions[0].total = 9;
        assert!(min_votes_problem(&results).unwrap().contains("with 9 votes, fewer than min_votes 10"));
        results.min_votes = 5;
        assert!(min_votes_problem(&results).unwrap().contains("below the floor of 10"));
    }

    #[test]
    fn regions_out_of_order_or_outside_the_province_are_named() {
        let mut results = example(false);
        results.regions.swap(0, 1);
        let problems = shape_problems(&batch(), &results, None).join("; ");
        assert!(problems.contains("not in code order"), "{problems}");
        let problems = shape_problems(&batch(), &example(false), Some("130000")).join("; ");
        assert!(problems.contains("level and province"), "{problems}");
        assert!(problems.contains("region 110000 is not a city of province 130000"), "{problems}");
    }
}
