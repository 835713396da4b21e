//! Host tests of delivery: the backoff schedule, Retry-After, and what each
//! answer does to a vote in the outbox.
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::error::Error;
use bottleneck_survey::outbox::{Next, OutboxEntry, LEASE_MS};
use bottleneck_survey::retry::{backoff_ms, parse_retry_after, CAP_MS};
use bottleneck_survey::wire::{decode_outbox_entry, encode_outbox_entry};
use survey_protocol::{Receipt, Vote};

fn vote() -> Vote {
    serde_json::from_str(include_str!("../docs/examples/vote.json")).unwrap()
}

fn receipt() -> Receipt {
    serde_json::from_str(include_str!("../docs/examples/receipt.json")).unwrap()
}

#[test]
fn backoff_doubles_from_two_seconds_and_stops_at_a_minute() {
    let full: Vec<f64> = (1..=8).map(|n| backoff_ms(n, 1.0)).collect();
    assert_eq!(full, [2_000.0, 4_000.0, 8_000.0, 16_000.0, 32_000.0, 60_000.0, 60_000.0, 60_000.0]);
    assert_eq!(backoff_ms(1_000, 1.0), CAP_MS);
}

#[test]
fn jitter_spreads_a_wait_between_half_and_all_of_it() {
    assert_eq!(backoff_ms(3, 0.0), 4_000.0);
    assert_eq!(backoff_ms(3, 0.5), 6_000.0);
    assert!(backoff_ms(3, 0.999) < 8_000.0);
    assert_eq!(backoff_ms(3, 7.0), 8_000.0, "out-of-range jitter is clamped");
}

#[test]
fn retry_after_is_read_as_seconds_or_as_an_http_date() {
    let now = 784_111_717; // Sun, 06 Nov 1994 08:48:37 GMT
    assert_eq!(parse_retry_after("120", now), Some(120));
    assert_eq!(parse_retry_after(" 0 ", now), Some(0));
    assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(60));
    assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:40:00 GMT", now), Some(0), "a date in the past means now");
    for bad in ["", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:49:37 CET", "Sunday, 06-Nov-94 08:49:37 GMT"] {
        assert_eq!(parse_retry_after(bad, now), None, "{bad}");
    }
}

#[test]
fn a_receipt_delivers_the_vote() {
    let mut entry = OutboxEntry::new(vote());
    assert_eq!(entry.after_try(Ok(receipt()), 0.0, 0.5), Next::Delivered(receipt()));
}

#[test]
fn network_failures_and_server_errors_are_retried_later_each_time_longer() {
    let mut entry = OutboxEntry::new(vote());
    assert_eq!(entry.after_try(Err(Error::Network), 1_000.0, 1.0), Next::RetryAt(3_000.0));
    assert_eq!(entry.after_try(Err(Error::Server(502)), 3_000.0, 1.0), Next::RetryAt(7_000.0));
    assert_eq!(entry.after_try(Err(Error::Timeout), 7_000.0, 1.0), Next::RetryAt(15_000.0));
    assert_eq!(entry.attempts, 3);
}

#[test]
fn busy_answers_wait_as_long_as_retry_after_says_within_reason() {
    let mut entry = OutboxEntry::new(vote());
    assert_eq!(entry.after_try(Err(Error::Busy { retry_after_s: Some(30) }), 0.0, 0.0), Next::RetryAt(30_000.0));
    assert_eq!(entry.after_try(Err(Error::Busy { retry_after_s: Some(86_400) }), 0.0, 0.0), Next::RetryAt(600_000.0));
    assert_eq!(entry.after_try(Err(Error::Busy { retry_after_s: None }), 0.0, 1.0), Next::RetryAt(8_000.0));
}

#[test]
fn final_answers_take_the_vote_out_of_the_outbox() {
    for error in [Error::Closed, Error::AlreadyVoted, Error::VerificationNeeded, Error::Invalid(vec![]), Error::Refused(400)] {
        let mut entry = OutboxEntry::new(vote());
        assert_eq!(entry.after_try(Err(error.clone()), 0.0, 0.0), Next::Refused(error));
    }
}

#[test]
fn only_one_tab_at_a_time_may_claim_an_entry() {
    let mut entry = OutboxEntry::new(vote());
    assert!(entry.claim("tab-a", 0.0));
    assert!(!entry.claim("tab-b", 1_000.0), "tab b waits while a's claim is live");
    assert!(entry.claim("tab-a", 1_000.0), "a renews its own claim");
    assert!(entry.claim("tab-b", 1_000.0 + LEASE_MS), "a's claim lapses if a goes away");
}

#[test]
fn a_try_releases_the_claim() {
    let mut entry = OutboxEntry::new(vote());
    entry.claim("tab-a", 0.0);
    entry.after_try(Err(Error::Network), 0.0, 0.0);
    assert!(entry.claim("tab-b", 1.0));
}

#[test]
fn an_entry_survives_storage_with_its_vote_attempts_and_claim() {
    let mut entry = OutboxEntry::new(Vote { verification_token: Some("v1.token".into()), ..vote() });
    entry.after_try(Err(Error::Network), 1_700_000_000_000.0, 0.25);
    entry.claim("tab-a", 1_700_000_000_500.0);
    let stored = encode_outbox_entry(&entry);
    assert_eq!(decode_outbox_entry(&stored), Ok(entry));
}
