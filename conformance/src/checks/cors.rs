//! The preflight a browser sends before the widget's POSTs from another
//! origin. The CORS headers of the real answers are judged with the other
//! rules that hold for every answer ([`super::answers`]).

use survey_protocol::RealName;

use super::Run;
use crate::http::{Answer, Request};
use crate::rules;

/// Says why the CORS rules are not checked without `--origin`.
pub const NO_ORIGIN: &str =
    "no --origin: give the page that embeds the widget, e.g. --origin https://www.portal.gov.cn";

/// Preflights `POST votes` (and `POST verifications` when the batch takes
/// real names) as a browser does for a JSON body with an Idempotency-Key.
pub fn preflight(run: &mut Run, real_name: Option<RealName>) {
    let Some(origin) = run.options.origin.clone() else {
        run.report.skip_all(
            &[&rules::CORS_PREFLIGHT, &rules::CORS_ALLOW_ORIGIN, &rules::CORS_EXPOSE_HEADERS, &rules::CORS_CREDENTIALS],
            NO_ORIGIN,
        );
        return;
    };
    let mut paths = vec![("votes", &["content-type", "idempotency-key"][..])];
    if real_name.is_some_and(|r| r != RealName::Off) {
        paths.push(("verifications", &["content-type"][..]));
    }
    for (path, headers) in paths {
        let exchange = run.send(
            Request::options(path)
                .header("origin", &origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", &headers.join(",")),
        );
        let problems = match &exchange.answer {
            Ok(answer) => problems(answer, &origin, headers),
            Err(error) => vec![format!("no answer: {error}")],
        };
        if problems.is_empty() {
            run.report.pass(&rules::CORS_PREFLIGHT);
        } else {
            let message = format!("the preflight of POST {path}: {}", problems.join("; "));
            run.report.fail(&rules::CORS_PREFLIGHT, message, Some(&exchange));
        }
    }
}

/// What keeps a browser from sending the POST after this preflight answer.
fn problems(answer: &Answer, origin: &str, headers: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    if !(200..300).contains(&answer.status) {
        problems.push(format!("status {}, not 2xx", answer.status));
    }
    if !allows_origin(answer, origin) {
        problems.push(format!(
            "Access-Control-Allow-Origin is {:?}, not {origin} or *",
            answer.header("access-control-allow-origin")
        ));
    }
    let methods = answer.header("access-control-allow-methods").unwrap_or_default();
    if !list_has(methods, "POST", true) {
        problems.push(format!("Access-Control-Allow-Methods {methods:?} does not allow POST"));
    }
    let allowed = answer.header("access-control-allow-headers").unwrap_or_default();
    for header in headers {
        if !list_has(allowed, header, false) {
            problems.push(format!("Access-Control-Allow-Headers {allowed:?} does not allow {header}"));
        }
    }
    problems
}

/// True when the answer lets a page of `origin` read it.
pub fn allows_origin(answer: &Answer, origin: &str) -> bool {
    answer.header("access-control-allow-origin").is_some_and(|v| v.trim() == "*" || v.trim() == origin)
}

/// True when the comma-separated `list` holds `item` or `*`; header names
/// match in any case, methods exactly.
pub fn list_has(list: &str, item: &str, exact: bool) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|entry| entry == "*" || if exact { entry == item } else { entry.eq_ignore_ascii_case(item) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preflight_allowing_the_origin_post_and_both_headers_passes() {
        let good = Answer::with_headers(
            200,
            &[
                ("access-control-allow-origin", "https://www.gov.cn"),
                ("access-control-allow-methods", "GET,POST"),
                ("access-control-allow-headers", "Content-Type, Idempotency-Key, accept-language"),
            ],
        );
        assert_eq!(problems(&good, "https://www.gov.cn", &["content-type", "idempotency-key"]), Vec::<String>::new());
        let star = Answer::with_headers(
            204,
            &[
                ("access-control-allow-origin", "*"),
                ("access-control-allow-methods", "*"),
                ("access-control-allow-headers", "*"),
            ],
        );
        assert_eq!(problems(&star, "https://www.gov.cn", &["content-type", "idempotency-key"]), Vec::<String>::new());
    }

    #[test]
    fn a_preflight_without_the_idempotency_key_names_it() {
        let missing = Answer::with_headers(
            200,
            &[
                ("access-control-allow-origin", "https://other.gov.cn"),
                ("access-control-allow-methods", "GET, post"),
                ("access-control-allow-headers", "content-type"),
            ],
        );
        let found = problems(&missing, "https://www.gov.cn", &["content-type", "idempotency-key"]).join("; ");
        assert!(found.contains("not https://www.gov.cn or *"), "{found}");
        assert!(found.contains("does not allow POST"), "{found}");
        assert!(found.contains("does not allow idempotency-key"), "{found}");
    }
}
