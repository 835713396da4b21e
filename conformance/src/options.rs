//! The command line. Hand-written, as the collector's: a dozen flags do not
//! pay for an argument-parsing crate.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use survey_protocol::region_code::is_six_digits;

use crate::codes::CodeSource;

/// Where the test votes come from unless `--place` says otherwise: Beijing,
/// its municipal district, Dongcheng.
pub const DEFAULT_PLACE: [&str; 3] = ["110000", "110100", "110101"];

/// Everything a run needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// E, without a trailing slash.
    pub endpoint: String,
    /// The page that embeds the widget, for the CORS rules.
    pub origin: Option<String>,
    pub codes: Option<CodeSource>,
    /// Province, city and county codes the valid votes use; a batch that
    /// asks fewer levels uses the first ones.
    pub place: Vec<String>,
    /// Cast votes against a non-loopback endpoint without asking.
    pub yes: bool,
    /// Send only GET and OPTIONS: no vote, no verification.
    pub read_only: bool,
    pub json: bool,
    /// For each request, answer included.
    pub timeout: Duration,
    /// How long a counted vote may take to show in the results, and a code
    /// to come from the code source.
    pub wait: Duration,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Check(Options),
    Help,
}

/// A command line that cannot be understood; the message names the flag.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\nRun `conformance --help` for the list of flags.", self.0)
    }
}

impl std::error::Error for UsageError {}

pub const USAGE: &str = "\
conformance: checks that an endpoint speaks protocol v1 of the bottleneck survey

Usage: conformance [FLAGS] ENDPOINT

ENDPOINT is the base URL the widget is given, e.g. https://survey.example.gov.cn/api/v1

Flags:
  --origin ORIGIN       the page that embeds the widget, e.g. https://www.portal.gov.cn:
                        every request carries it and the CORS rules are checked
                        for it; without it they are not checked
  --code-command CMD    development code source: a shell command that prints the
                        verification code; the verification id is $1 (and
                        $VERIFICATION_ID). Only for an endpoint that sends no
                        real SMS
  --code-log FILE       development code source: a log with lines such as the
                        reference collector's --dev-sms writes
                        (DEVELOPMENT SMS ... verification ID code 123456)
  --place CODES         province,city,county of the test votes: GB/T 2260 codes
                        the endpoint knows, as many as the batch asks levels;
                        default 110000,110100,110101
  --yes                 cast test votes against a non-loopback endpoint without
                        asking first
  --read-only           send only GET and OPTIONS requests: no votes and no
                        verifications (the rules that need them are not checked)
  --json                print the report as JSON
  --timeout SECONDS     for each request, answer included; default 20
  --wait SECONDS        how long a counted vote may take to show in the results,
                        and a code to come from the code source; default 10
  --help                print this and exit

Votes it casts are marked: client.widget_version starts with conformance/.
Exit status: 0 when no rule failed, 1 when one did, 2 when it could not run.
";

impl Options {
    /// Reads the flags and the endpoint (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, UsageError> {
        let mut endpoint = None;
        let mut origin = None;
        let mut codes = None;
        let mut place = DEFAULT_PLACE.map(str::to_owned).to_vec();
        let (mut yes, mut read_only, mut json) = (false, false, false);
        let mut timeout = Duration::from_secs(20);
        let mut wait = Duration::from_secs(10);

        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
                _ => (arg, None),
            };
            let mut value = || value_of(&flag, inline.clone(), &mut args);
            match flag.as_str() {
                "--help" | "-h" => return Ok(Command::Help),
                "--yes" => yes = true,
                "--read-only" => read_only = true,
                "--json" => json = true,
                "--origin" => origin = Some(parse_origin(&value()?)?),
                "--code-command" => codes = Some(CodeSource::Command(value()?)),
                "--code-log" => codes = Some(CodeSource::Log(PathBuf::from(value()?))),
                "--place" => place = parse_place(&value()?)?,
                "--timeout" => timeout = seconds(&flag, &value()?)?,
                "--wait" => wait = seconds(&flag, &value()?)?,
                other if other.starts_with('-') => return Err(UsageError(format!("unknown flag {other:?}"))),
                _ if endpoint.is_some() => return Err(UsageError(format!("a second endpoint {flag:?}"))),
                _ => endpoint = Some(parse_endpoint(&flag)?),
            }
        }
        let endpoint = endpoint.ok_or_else(|| UsageError("no endpoint: give its base URL".to_owned()))?;
        Ok(Command::Check(Options { endpoint, origin, codes, place, yes, read_only, json, timeout, wait }))
    }

    /// True when the endpoint is on this machine, where test votes harm nobody.
    pub fn is_loopback(&self) -> bool {
        host_of(&self.endpoint).is_some_and(|host| {
            host.eq_ignore_ascii_case("localhost")
                || host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        })
    }

    /// True when E is `https`.
    pub fn is_https(&self) -> bool {
        self.endpoint.starts_with("https://")
    }
}

/// The host of an `http(s)://host[:port]/path` URL, IPv6 in brackets.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if authority.starts_with('[') {
        return authority.find(']').map(|end| &authority[..=end]);
    }
    Some(authority.split(':').next().unwrap_or(authority)).filter(|h| !h.is_empty())
}

fn parse_endpoint(url: &str) -> Result<String, UsageError> {
    let has_host = host_of(url).is_some_and(|h| !h.is_empty());
    if !has_host || url.contains(['?', '#']) {
        return Err(UsageError(format!(
            "{url:?} is not an endpoint base URL such as https://survey.example.gov.cn/api/v1"
        )));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// `https://www.portal.gov.cn`: a scheme and a host, nothing after.
fn parse_origin(origin: &str) -> Result<String, UsageError> {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '@']) => Ok(origin.to_owned()),
        _ => Err(UsageError(format!("--origin {origin:?} is not an origin such as https://www.portal.gov.cn"))),
    }
}

/// `110000,110100,110101`: one to three six-digit codes, province first.
fn parse_place(codes: &str) -> Result<Vec<String>, UsageError> {
    let place: Vec<String> = codes.split(',').map(|c| c.trim().to_owned()).collect();
    if place.len() > 3 || !place.iter().all(|c| is_six_digits(c)) {
        return Err(UsageError(format!(
            "--place {codes:?} is not province[,city[,county]] six-digit codes such as 110000,110100,110101"
        )));
    }
    Ok(place)
}

fn seconds(flag: &str, value: &str) -> Result<Duration, UsageError> {
    value
        .parse::<u64>()
        .ok()
        .filter(|&s| s > 0)
        .map(Duration::from_secs)
        .ok_or_else(|| UsageError(format!("{flag} {value:?} is not a whole number of seconds above 0")))
}

/// The value of `--flag=value` or of `--flag value`.
fn value_of(flag: &str, inline: Option<String>, rest: &mut impl Iterator<Item = String>) -> Result<String, UsageError> {
    inline.or_else(|| rest.next()).filter(|v| !v.is_empty()).ok_or_else(|| UsageError(format!("{flag} needs a value")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, UsageError> {
        Options::parse(args.iter().map(|a| a.to_string()))
    }

    fn options(args: &[&str]) -> Options {
        match parse(args) {
            Ok(Command::Check(options)) => options,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_endpoint_and_flags_are_read_in_any_order() {
        let o =
            options(&["--origin", "https://www.gov.cn", "https://survey.example.gov.cn/api/v1/", "--json", "--yes"]);
        assert_eq!(o.endpoint, "https://survey.example.gov.cn/api/v1");
        assert_eq!(o.origin.as_deref(), Some("https://www.gov.cn"));
        assert!(o.json && o.yes && !o.read_only);
        assert_eq!(o.place, DEFAULT_PLACE.map(str::to_owned));
        assert_eq!(o.timeout, Duration::from_secs(20));
        let o = options(&["http://127.0.0.1:8080/api/v1", "--code-log=/tmp/c.log", "--wait", "3"]);
        assert_eq!(o.codes, Some(CodeSource::Log("/tmp/c.log".into())));
        assert_eq!(o.wait, Duration::from_secs(3));
    }

    #[test]
    fn loopback_endpoints_are_told_from_the_rest() {
        for url in ["http://127.0.0.1:8080/api/v1", "http://localhost/api/v1", "http://[::1]:9000/api/v1"] {
            assert!(options(&[url]).is_loopback(), "{url}");
        }
        for url in ["https://survey.example.gov.cn/api/v1", "http://10.0.0.1/api/v1", "http://127.0.0.1.example.com/"] {
            assert!(!options(&[url]).is_loopback(), "{url}");
        }
    }

    #[test]
    fn a_place_is_one_to_three_codes() {
        assert_eq!(options(&["http://localhost/", "--place", "130000"]).place, ["130000"]);
        assert_eq!(
            options(&["http://localhost/", "--place", "130000, 130100,130102"]).place,
            ["130000", "130100", "130102"]
        );
    }

    #[test]
    fn bad_command_lines_name_what_is_wrong() {
        let message = |args: &[&str]| parse(args).unwrap_err().to_string();
        assert!(message(&[]).contains("no endpoint"));
        assert!(message(&["survey.example.gov.cn/api/v1"]).contains("not an endpoint base URL"));
        assert!(message(&["http://localhost/", "--origin", "https://www.gov.cn/page"]).contains("not an origin"));
        assert!(message(&["http://localhost/", "--place", "1100"]).contains("--place"));
        assert!(message(&["http://localhost/", "--timeout", "0"]).contains("--timeout"));
        assert!(message(&["http://localhost/", "--code-log"]).contains("--code-log needs a value"));
        assert!(message(&["http://localhost/", "--frobnicate"]).contains("unknown flag"));
        assert!(message(&["http://localhost/", "http://localhost/"]).contains("a second endpoint"));
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
    }
}
