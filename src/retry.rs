//! When to try a vote again: exponential backoff with jitter for failures
//! that may pass, and the endpoint's own `Retry-After` when it gives one.

use survey_protocol::time::days_from_civil;

/// The first retry waits about this long.
const BASE_MS: f64 = 2_000.0;
/// No automatic retry waits longer than this.
pub const CAP_MS: f64 = 60_000.0;

/// The wait before retry number `attempt` (1 for the first retry): doubling
/// from 2 s up to a minute, scaled by `jitter` in `[0, 1)` to between half
/// and all of it, so that phones that lost the network together do not all
/// come back in the same second.
pub fn backoff_ms(attempt: u32, jitter: f64) -> f64 {
    let exponent = attempt.saturating_sub(1).min(16);
    let full = (BASE_MS * f64::from(1u32 << exponent)).min(CAP_MS);
    full * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Seconds to wait from a `Retry-After` value: delay-seconds (`120`) or an
/// HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) compared with `now_unix_s`.
/// A date in the past means "now"; anything unreadable is `None`.
pub fn parse_retry_after(value: &str, now_unix_s: i64) -> Option<u32> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse::<u64>().map_or(u32::MAX, |s| u32::try_from(s).unwrap_or(u32::MAX)));
    }
    let at = parse_http_date(value)?;
    Some(u32::try_from((at - now_unix_s).max(0)).unwrap_or(u32::MAX))
}

/// Unix seconds of an IMF-fixdate, the form HTTP servers must send.
fn parse_http_date(value: &str) -> Option<i64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_weekday, day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let day: u32 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let mut hms = time.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}
