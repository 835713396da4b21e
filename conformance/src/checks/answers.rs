//! The rules that hold for every answer, judged last over all the exchanges
//! of the run: content types, problem details, Retry-After, and the CORS
//! headers a page of `--origin` needs to read an answer.

use serde_json::Value;

use super::Run;
use super::cors::{allows_origin, list_has};
use crate::http::{Answer, Exchange};
use crate::rules;

pub fn check(run: &mut Run) {
    let log = run.http.log().to_vec();
    for exchange in &log {
        let Ok(answer) = &exchange.answer else { continue };
        cors(run, exchange, answer);
        if exchange.method == "OPTIONS" {
            continue;
        }
        if (200..300).contains(&answer.status) && !answer.body.is_empty() {
            judge(run, &rules::ANSWERS_JSON, exchange, json_content_type(answer));
        }
        // "Other 5xx: problem or anything": only the statuses the protocol
        // names must carry a problem.
        if (400..500).contains(&answer.status) || answer.status == 503 {
            problem(run, exchange, answer);
        }
        if matches!(answer.status, 429 | 503) && !is_closed_verification(exchange, answer) {
            judge(run, &rules::RETRY_AFTER, exchange, retry_after(answer));
        }
    }
    // Shown only for the rules that met no answer to judge.
    let no_errors = "the endpoint sent no error answer in this run";
    run.report.skip_all(&[&rules::PROBLEM_CONTENT_TYPE, &rules::PROBLEM_JSON], no_errors);
    run.report.skip(&rules::PROBLEM_STATUS, "no problem carried a number status (see problem.json)");
    run.report.skip(
        &rules::RETRY_AFTER,
        "the endpoint answered no 429 or 503 in this run (with a code source, the checker asks one phone for a second code at once, which an endpoint may refuse with 429)",
    );
    run.report.skip(&rules::ANSWERS_JSON, "the endpoint sent no 2xx answer with a body in this run");
}

/// Records a pass, or a failure with the exchange.
fn judge(run: &mut Run, rule: &'static rules::Rule, exchange: &Exchange, result: Result<(), String>) {
    match result {
        Ok(()) => run.report.pass(rule),
        Err(message) => run.report.fail(rule, message, Some(exchange)),
    }
}

fn json_content_type(answer: &Answer) -> Result<(), String> {
    match answer.media_type().as_str() {
        "application/json" => Ok(()),
        other => Err(format!("a {} answer is sent as {other:?}, not application/json", answer.status)),
    }
}

fn problem(run: &mut Run, exchange: &Exchange, answer: &Answer) {
    let media_type = answer.media_type();
    let content_type = if media_type == "application/problem+json" {
        Ok(())
    } else {
        Err(format!("a {} answer is sent as {media_type:?}, not application/problem+json", answer.status))
    };
    judge(run, &rules::PROBLEM_CONTENT_TYPE, exchange, content_type);

    let body = answer.json();
    judge(run, &rules::PROBLEM_JSON, exchange, problem_shape(answer.status, body.as_ref()));
    if let Some(status) = body.as_ref().and_then(|b| b.get("status")).and_then(Value::as_u64) {
        let repeated = if status == u64::from(answer.status) {
            Ok(())
        } else {
            Err(format!("the problem's status is {status}, the HTTP status {}", answer.status))
        };
        judge(run, &rules::PROBLEM_STATUS, exchange, repeated);
    }
}

/// A JSON object with a string `title`, a number `status`, and `type` and
/// `detail` strings when present (RFC 9457 lets `type` default to
/// `about:blank`).
fn problem_shape(status: u16, body: Option<&Value>) -> Result<(), String> {
    let Some(Value::Object(fields)) = body else {
        return Err(format!("the body of a {status} answer is not a JSON object"));
    };
    let mut problems = Vec::new();
    if !fields.get("title").is_some_and(Value::is_string) {
        problems.push("no string title");
    }
    if !fields.get("status").is_some_and(Value::is_u64) {
        problems.push("no number status");
    }
    if fields.get("type").is_some_and(|t| !t.is_string()) {
        problems.push("a type that is not a string");
    }
    if fields.get("detail").is_some_and(|d| !d.is_string()) {
        problems.push("a detail that is not a string");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("the problem of a {status} answer has {}", problems.join(", ")))
    }
}

/// A 429 on a confirmation closes that verification for good: no
/// Retry-After, since waiting does not help.
fn is_closed_verification(exchange: &Exchange, answer: &Answer) -> bool {
    answer.status == 429 && exchange.url.ends_with("/confirm")
}

/// Delay-seconds (`120`) or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn retry_after(answer: &Answer) -> Result<(), String> {
    let Some(value) = answer.header("retry-after") else {
        return Err(format!("a {} answer has no Retry-After", answer.status));
    };
    let value = value.trim();
    let seconds = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    if seconds || is_http_date(value) {
        Ok(())
    } else {
        Err(format!("Retry-After {value:?} is neither seconds nor an HTTP date"))
    }
}

fn is_http_date(value: &str) -> bool {
    const DAYS: [&str; 7] = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = value.split(' ').collect();
    let [day_name, day, month, year, time, "GMT"] = parts.as_slice() else { return false };
    let clock: Vec<&str> = time.split(':').collect();
    DAYS.contains(day_name)
        && digits(day, 2)
        && MONTHS.contains(month)
        && digits(year, 4)
        && clock.len() == 3
        && clock.iter().all(|part| digits(part, 2))
}

/// The CORS rules on one answer, when the run has a page origin.
fn cors(run: &mut Run, exchange: &Exchange, answer: &Answer) {
    let Some(origin) = run.options.origin.clone() else { return };
    let credentials = answer.header("access-control-allow-credentials").map(str::trim);
    let no_credentials = if credentials.is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        Err("Access-Control-Allow-Credentials: true, though the widget sends no credentials".to_owned())
    } else {
        Ok(())
    };
    judge(run, &rules::CORS_CREDENTIALS, exchange, no_credentials);
    if exchange.method == "OPTIONS" {
        return;
    }
    let allowed = if allows_origin(answer, &origin) {
        Ok(())
    } else {
        Err(format!(
            "a {} answer has Access-Control-Allow-Origin {:?}, not {origin} or *: the page cannot read it",
            answer.status,
            answer.header("access-control-allow-origin")
        ))
    };
    judge(run, &rules::CORS_ALLOW_ORIGIN, exchange, allowed);
    let exposed = answer.header("access-control-expose-headers").unwrap_or_default();
    let mut needed = vec!["Retry-After"];
    if answer.header("content-language").is_some() {
        needed.push("Content-Language");
    }
    let hidden: Vec<&str> = needed.into_iter().filter(|h| !list_has(exposed, h, false)).collect();
    let expose = if hidden.is_empty() {
        Ok(())
    } else {
        Err(format!("Access-Control-Expose-Headers {exposed:?} hides {} from the page", hidden.join(" and ")))
    };
    judge(run, &rules::CORS_EXPOSE_HEADERS, exchange, expose);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        for good in ["1", "120", "Sun, 06 Nov 1994 08:49:37 GMT"] {
            assert_eq!(retry_after(&Answer::with_headers(503, &[("retry-after", good)])), Ok(()), "{good}");
        }
        for bad in ["", "1.5", "soon", "2018-07-06T00:00:00Z", "Sun, 6 Nov 1994 08:49:37 GMT"] {
            assert!(retry_after(&Answer::with_headers(503, &[("retry-after", bad)])).is_err(), "{bad}");
        }
        assert!(retry_after(&Answer::with_headers(429, &[])).unwrap_err().contains("no Retry-After"));
    }

    #[test]
    fn a_problem_needs_a_title_and_a_number_status() {
        assert_eq!(problem_shape(422, Some(&json!({"title": "t", "status": 422}))), Ok(()));
        assert_eq!(
            problem_shape(404, Some(&json!({"type": "about:blank", "title": "t", "status": 404, "extra": 1}))),
            Ok(())
        );
        let bad = problem_shape(400, Some(&json!({"status": "400", "type": 7}))).unwrap_err();
        assert!(bad.contains("no string title") && bad.contains("no number status") && bad.contains("type"), "{bad}");
        assert!(problem_shape(502, None).unwrap_err().contains("not a JSON object"));
    }
}
