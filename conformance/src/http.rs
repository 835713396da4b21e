//! Requests to the endpoint, sent one at a time the way the widget sends
//! them (`Origin`, `Accept-Language`, no cookies), and kept with their
//! answers: the report shows both for every failure, and the rules that hold
//! for every answer (problem details, CORS) read them all at the end.

use std::time::Duration;

use serde_json::Value;
use ureq::http;

/// Largest answer read; a batch of 200 long options is well under it.
const ANSWER_LIMIT: u64 = 2 * 1024 * 1024;

/// How many characters of a request body the report keeps (the 1 MiB vote
/// is cut).
const KEPT_REQUEST_BODY: usize = 4 * 1024;

/// A request to send, relative to the endpoint's base URL.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: &'static str,
    /// Relative to E, without a leading slash: `votes`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn get(path: impl Into<String>) -> Self {
        Self { method: "GET", path: path.into(), headers: Vec::new(), body: None }
    }

    pub fn options(path: impl Into<String>) -> Self {
        Self { method: "OPTIONS", path: path.into(), headers: Vec::new(), body: None }
    }

    /// A POST of `body` as `application/json`, as the widget sends it.
    pub fn post_json(path: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self { method: "POST", path: path.into(), headers: Vec::new(), body: Some(body.into()) }
            .header("content-type", "application/json")
    }

    /// Adds a header, or replaces one of the same name.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }
}

/// One request as it was sent, and what came back.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub method: &'static str,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    /// The body as text, cut after a few KiB.
    pub request_body: String,
    /// The answer, or why there was none (refused, timed out, not HTTP).
    pub answer: Result<Answer, String>,
}

/// An HTTP answer, read whole.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    /// Names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The first header of that name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The `Content-Type` without parameters, in lower case: `application/json`.
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    /// The body as JSON, whatever the `Content-Type` says: a rule about the
    /// content type is judged on its own, not by every rule that reads a body.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[cfg(test)]
impl Answer {
    /// An answer with these headers and no body, for the tests of the rules.
    pub fn with_headers(status: u16, headers: &[(&str, &str)]) -> Self {
        let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
        Self { status, headers, body: Vec::new() }
    }
}

impl Exchange {
    /// The answer's status, or `None` when nothing came back.
    pub fn status(&self) -> Option<u16> {
        self.answer.as_ref().ok().map(|a| a.status)
    }

    /// "answered 503" or "got no answer: connection refused", for messages.
    pub fn what_came_back(&self) -> String {
        match &self.answer {
            Ok(answer) => format!("answered {}", answer.status),
            Err(error) => format!("got no answer: {error}"),
        }
    }
}

/// Sends requests to one endpoint and keeps every exchange.
pub struct Client {
    agent: ureq::Agent,
    base: String,
    origin: Option<String>,
    log: Vec<Exchange>,
}

impl Client {
    /// `base` is E without a trailing slash; `origin`, when given, goes with
    /// every request as a browser sends it from the embedding page.
    pub fn new(base: &str, origin: Option<&str>, timeout: Duration, loopback: bool) -> Self {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // The widget's fetch would follow a redirect, but an endpoint
            // that redirects its API is worth seeing as it is.
            .max_redirects(0)
            // A fresh connection for every request: a kept-alive one that the
            // endpoint closes meanwhile (after a 413, at its idle timeout)
            // would fail the next request for no fault of that request.
            .max_idle_connections(0)
            .timeout_global(Some(timeout))
            .user_agent(concat!("bottleneck-survey-conformance/", env!("CARGO_PKG_VERSION")));
        if loopback {
            // A proxy from the environment cannot reach this machine's loopback.
            config = config.proxy(None);
        }
        Self {
            agent: config.build().new_agent(),
            base: base.trim_end_matches('/').to_owned(),
            origin: origin.map(str::to_owned),
            log: Vec::new(),
        }
    }

    /// Every exchange so far, in order.
    pub fn log(&self) -> &[Exchange] {
        &self.log
    }

    /// Sends `request` with the headers the widget always sends, and keeps
    /// the exchange.
    pub fn send(&mut self, mut request: Request) -> Exchange {
        if let Some(origin) = &self.origin
            && !request.headers.iter().any(|(n, _)| n == "origin")
        {
            request = request.header("origin", origin);
        }
        if !request.headers.iter().any(|(n, _)| n == "accept-language") {
            request = request.header("accept-language", "zh-CN");
        }
        let url = format!("{}/{}", self.base, request.path);
        let answer = self.exchange(&url, &request);
        let body = request.body.as_deref().unwrap_or_default();
        let mut request_body = String::from_utf8_lossy(body).into_owned();
        if let Some((cut, _)) = request_body.char_indices().nth(KEPT_REQUEST_BODY) {
            request_body.truncate(cut);
            request_body.push_str(&format!("… ({} bytes in all)", body.len()));
        }
        let exchange = Exchange { method: request.method, url, request_headers: request.headers, request_body, answer };
        self.log.push(exchange.clone());
        exchange
    }

    fn exchange(&self, url: &str, request: &Request) -> Result<Answer, String> {
        let mut builder = http::Request::builder().method(request.method).uri(url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let response = match &request.body {
            Some(body) => builder.body(body.clone()).map_err(|e| e.to_string()).and_then(|r| self.run(r)),
            None => builder.body(()).map_err(|e| e.to_string()).and_then(|r| self.run(r)),
        };
        let mut response = response?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(ANSWER_LIMIT)
            .read_to_vec()
            .map_err(|e| format!("the answer's body could not be read: {e}"))?;
        Ok(Answer { status, headers, body })
    }

    fn run(&self, request: http::Request<impl ureq::AsSendBody>) -> Result<http::Response<ureq::Body>, String> {
        self.agent.run(request).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(headers: &[(&str, &str)], body: &str) -> Answer {
        Answer { body: body.as_bytes().to_vec(), ..Answer::with_headers(200, headers) }
    }

    #[test]
    fn the_media_type_drops_parameters_and_case() {
        let a = answer(&[("content-type", "Application/Problem+JSON; charset=utf-8")], "");
        assert_eq!(a.media_type(), "application/problem+json");
        assert_eq!(answer(&[], "").media_type(), "");
    }

    #[test]
    fn a_body_is_read_as_json_whatever_its_content_type() {
        let a = answer(&[("content-type", "text/html")], r#"{"status": 422}"#);
        assert_eq!(a.json().unwrap()["status"], 422);
        assert_eq!(answer(&[], "<h1>502</h1>").json(), None);
    }

    #[test]
    fn a_header_replaces_one_of_the_same_name() {
        let request = Request::post_json("votes", "{}").header("Content-Type", "text/plain");
        assert_eq!(request.headers, vec![("content-type".to_owned(), "text/plain".to_owned())]);
    }
}
