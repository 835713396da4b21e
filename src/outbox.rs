//! The outbox: a vote the citizen submitted, kept on this device until the
//! endpoint has answered for certain, and the rules for what each answer
//! means. Plain Rust; the browser half (storage, timers, the `online`
//! event) is in `courier.rs`.
//!
//! Every try sends the same vote with the same `vote_id`, which is the
//! `Idempotency-Key`: however often a vote is sent, it is counted once.

use survey_protocol::{Receipt, Vote};

use crate::error::Error;
use crate::retry::backoff_ms;

/// How long a tab's claim on sending an entry lasts without being renewed.
/// Longer than a request's time limit, so a slow request is not doubled.
pub const LEASE_MS: f64 = 30_000.0;

/// A vote waiting for its final answer. Holds no name, ID number or phone:
/// a vote never does; its verification token goes along while it is valid.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxEntry {
    pub vote: Vote,
    /// Tries so far that failed in a way that may pass.
    pub attempts: u32,
    /// When the next automatic try is due, in ms since the epoch.
    pub next_try_ms: f64,
    /// The tab sending it, so two open tabs do not both send.
    pub lease: Option<Lease>,
}

/// One tab's claim on sending an entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Lease {
    pub owner: String,
    pub until_ms: f64,
}

/// What to do after a try.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// Counted: remember the receipt, forget the entry.
    Delivered(Receipt),
    /// Keep the entry and try again at this time (ms since the epoch).
    RetryAt(f64),
    /// A final answer: the vote was not counted and never will be as sent;
    /// forget the entry and tell the citizen.
    Refused(Error),
}

/// Longest wait an endpoint's `Retry-After` may impose before the widget
/// tries anyway: a misconfigured server must not park a vote for days.
const MAX_RETRY_AFTER_MS: f64 = 10.0 * 60_000.0;

impl OutboxEntry {
    /// A fresh entry for a vote just submitted, due at once.
    pub fn new(vote: Vote) -> Self {
        Self { vote, attempts: 0, next_try_ms: 0.0, lease: None }
    }

    /// Claims the entry for `tab` unless another tab holds a live claim.
    pub fn claim(&mut self, tab: &str, now_ms: f64) -> bool {
        let free = match &self.lease {
            None => true,
            Some(lease) => lease.owner == tab || lease.until_ms <= now_ms,
        };
        if free {
            self.lease = Some(Lease { owner: tab.to_owned(), until_ms: now_ms + LEASE_MS });
        }
        free
    }

    /// Applies the outcome of a try; `jitter` in `[0, 1)` spreads retries.
    pub fn after_try(&mut self, outcome: Result<Receipt, Error>, now_ms: f64, jitter: f64) -> Next {
        self.lease = None;
        match outcome {
            Ok(receipt) => Next::Delivered(receipt),
            Err(error) if error.is_retryable() => {
                self.attempts += 1;
                let wait = match error {
                    Error::Busy { retry_after_s: Some(s) } => (f64::from(s) * 1000.0).min(MAX_RETRY_AFTER_MS),
                    _ => backoff_ms(self.attempts, jitter),
                };
                self.next_try_ms = now_ms + wait;
                Next::RetryAt(self.next_try_ms)
            }
            Err(error) => Next::Refused(error),
        }
    }
}
