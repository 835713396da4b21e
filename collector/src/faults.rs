//! Test-only fault injection: what the end-to-end tests ask the collector to
//! get wrong on purpose, and a record of the vote requests it received.
//!
//! Off unless the collector is started with `--fault-injection`
//! (`BSV_FAULT_INJECTION=1`). The tests queue faults with `POST /__faults`
//! (see [`crate::fault_routes`], which applies them); this module holds the
//! plan and the counters, with no HTTP in it.
//!
//! ```json
//! {"votes": [{"fail": 503, "retry_after": "1", "times": 2},
//!            {"delay_ms": 3000},
//!            {"drop": "after_storing"}],
//!  "batch": {"status": 502, "content_type": "text/html", "body": "<h1>502</h1>",
//!            "stream": {"chunk_bytes": 64, "every_ms": 500}}}
//! ```
//!
//! Vote faults form a queue: each applies to the next `times` (default 1)
//! requests to `POST /api/v1/votes`, then the next one takes over, then
//! votes pass untouched. A batch override answers every
//! `GET /api/v1/batches/current` until the faults are cleared.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The most requests [`Faults::snapshot`] lists one by one; counts go on.
const LOG_LIMIT: usize = 1000;

/// Where a dropped vote's connection is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropPoint {
    /// Before the handler runs: the vote is not stored.
    BeforeStoring,
    /// After the handler has committed the vote: it is counted, but the
    /// client never hears so. The case idempotency exists for.
    AfterStoring,
}

/// One queued vote fault as the tests write it: exactly one of `fail`,
/// `delay_ms` and `drop`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteFaultSpec {
    /// How many vote requests in a row this fault applies to; 1 if left out.
    #[serde(default = "one")]
    pub times: u32,
    /// Answer with this status (400–599) before the vote is looked at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<u16>,
    /// With `fail`: the `Retry-After` header, as sent (`"1"`, or an HTTP date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    /// With `fail`: the body's content type; `application/problem+json` if left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// With `fail`: the body, as sent; a problem naming the fault if left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Store the vote, then wait this long before answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Close the connection without any answer, before or after storing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<DropPoint>,
}

fn one() -> u32 {
    1
}

/// What to do to one vote request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VoteFault {
    Fail { status: u16, retry_after: Option<String>, content_type: Option<String>, body: Option<String> },
    Delay { ms: u64 },
    Drop(DropPoint),
}

impl VoteFault {
    /// The name the request log gives it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Fail { .. } => "fail",
            Self::Delay { .. } => "delay",
            Self::Drop(DropPoint::BeforeStoring) => "drop_before_storing",
            Self::Drop(DropPoint::AfterStoring) => "drop_after_storing",
        }
    }
}

impl VoteFaultSpec {
    /// The fault it asks for, or why it makes no sense.
    pub fn fault(&self) -> Result<VoteFault, String> {
        let extras = self.retry_after.is_some() || self.content_type.is_some() || self.body.is_some();
        match (self.fail, self.delay_ms, self.drop) {
            (Some(status), None, None) if (400..=599).contains(&status) => Ok(VoteFault::Fail {
                status,
                retry_after: self.retry_after.clone(),
                content_type: self.content_type.clone(),
                body: self.body.clone(),
            }),
            (Some(status), None, None) => Err(format!("fail: {status} is not a 4xx or 5xx status")),
            (None, Some(_), None) | (None, None, Some(_)) if extras => {
                Err("retry_after, content_type and body go with fail only".to_owned())
            }
            (None, Some(ms), None) => Ok(VoteFault::Delay { ms }),
            (None, None, Some(point)) => Ok(VoteFault::Drop(point)),
            _ => Err("a vote fault has exactly one of fail, delay_ms and drop".to_owned()),
        }
    }
}

/// What `GET /batches/current` answers instead of the real batch.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchOverride {
    /// 200 if left out.
    #[serde(default = "ok")]
    pub status: u16,
    /// `application/json` if left out.
    #[serde(default = "json")]
    pub content_type: String,
    /// The body, as sent (it may be megabytes, or not JSON at all).
    #[serde(default)]
    pub body: String,
    /// Send the body in pieces, without a `Content-Length`; at once if left out.
    #[serde(default)]
    pub stream: Option<Stream>,
}

/// How a batch override's body is sent in pieces: a server streaming a
/// body of unknown length, or one that trickles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stream {
    /// Bytes per piece, at least 1.
    pub chunk_bytes: usize,
    /// The pause after each piece.
    #[serde(default)]
    pub every_ms: u64,
}

fn ok() -> u16 {
    200
}

fn json() -> String {
    "application/json".to_owned()
}

/// The body of `POST /__faults`: vote faults to add to the queue, and a
/// batch override to put in place. Either may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    #[serde(default)]
    pub votes: Vec<VoteFaultSpec>,
    #[serde(default)]
    pub batch: Option<BatchOverride>,
}

/// One vote request as the collector saw it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VoteRequest {
    /// Its `Idempotency-Key` (the widget's `vote_id`); empty if it had none.
    pub key: String,
    /// The fault applied to it, if any.
    pub fault: Option<&'static str>,
    /// The status the client was sent; `None` when the connection was dropped.
    pub status: Option<u16>,
}

/// What `GET /__faults` answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub votes: VoteCounts,
    pub batch: BatchCounts,
    /// Vote faults still queued, the next first.
    pub pending: Vec<VoteFaultSpec>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VoteCounts {
    /// Requests to `POST /api/v1/votes`, whatever became of them.
    pub received: u64,
    /// The same, per `Idempotency-Key`.
    pub by_key: BTreeMap<String, u64>,
    /// Each request in order of arrival (the first [`LOG_LIMIT`]).
    pub log: Vec<VoteRequest>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchCounts {
    /// Requests to `GET /api/v1/batches/current`.
    pub served: u64,
    /// The override in place, without its body (which may be megabytes).
    #[serde(rename = "override")]
    pub replaced_by: Option<OverrideSummary>,
    /// Bytes of streamed override bodies handed to the connection: how far
    /// a client read before it hung up.
    pub bytes_streamed: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverrideSummary {
    pub status: u16,
    pub content_type: String,
    pub bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<Stream>,
}

#[derive(Debug, Default)]
struct Plan {
    /// Queued vote faults with how many requests each still applies to.
    votes: VecDeque<(VoteFaultSpec, VoteFault)>,
    batch: Option<BatchOverride>,
    counts: Snapshot,
}

/// The fault plan and counters of one collector, shared by every request.
#[derive(Debug, Default)]
pub struct Faults {
    plan: Mutex<Plan>,
}

impl Faults {
    fn plan(&self) -> std::sync::MutexGuard<'_, Plan> {
        // A panic while holding the lock leaves plain data behind: go on.
        self.plan.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds vote faults to the queue and puts a batch override in place;
    /// nothing changes if any vote fault makes no sense.
    pub fn add(&self, request: FaultRequest) -> Result<(), String> {
        let faults = request
            .votes
            .into_iter()
            .enumerate()
            .map(|(i, spec)| spec.fault().map(|fault| (spec, fault)).map_err(|e| format!("votes[{i}]: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        if request.batch.as_ref().and_then(|b| b.stream).is_some_and(|s| s.chunk_bytes == 0) {
            return Err("batch.stream.chunk_bytes must be at least 1".to_owned());
        }
        let mut plan = self.plan();
        plan.votes.extend(faults.into_iter().filter(|(spec, _)| spec.times > 0));
        if let Some(batch) = request.batch {
            plan.batch = Some(batch);
        }
        Ok(())
    }

    /// Removes every queued fault and the batch override; the counters stay.
    pub fn clear(&self) {
        let mut plan = self.plan();
        plan.votes.clear();
        plan.batch = None;
    }

    /// Counts a vote request and takes the fault it gets, if any. Returns
    /// the request's index for [`Faults::answered`].
    pub fn next_vote(&self, key: &str) -> (usize, Option<VoteFault>) {
        let mut plan = self.plan();
        let fault = match plan.votes.front_mut() {
            Some((spec, fault)) => {
                let fault = fault.clone();
                spec.times -= 1;
                if spec.times == 0 {
                    plan.votes.pop_front();
                }
                Some(fault)
            }
            None => None,
        };
        let counts = &mut plan.counts.votes;
        counts.received += 1;
        *counts.by_key.entry(key.to_owned()).or_default() += 1;
        let index = counts.log.len();
        if index < LOG_LIMIT {
            counts.log.push(VoteRequest { key: key.to_owned(), fault: fault.as_ref().map(VoteFault::name), status: None });
        }
        (index, fault)
    }

    /// Records the status vote request `index` was answered with.
    pub fn answered(&self, index: usize, status: u16) {
        if let Some(entry) = self.plan().counts.votes.log.get_mut(index) {
            entry.status = Some(status);
        }
    }

    /// Counts a batch request and returns the override to serve, if any.
    pub fn next_batch(&self) -> Option<BatchOverride> {
        let mut plan = self.plan();
        plan.counts.batch.served += 1;
        plan.batch.clone()
    }

    /// Counts bytes of a streamed override body as they go out.
    pub fn streamed(&self, bytes: usize) {
        self.plan().counts.batch.bytes_streamed += bytes as u64;
    }

    /// The counters and what is still queued.
    pub fn snapshot(&self) -> Snapshot {
        let plan = self.plan();
        let mut snapshot = plan.counts.clone();
        snapshot.pending = plan.votes.iter().map(|(spec, _)| spec.clone()).collect();
        snapshot.batch.replaced_by = plan.batch.as_ref().map(|b| OverrideSummary {
            status: b.status,
            content_type: b.content_type.clone(),
            bytes: b.body.len(),
            stream: b.stream,
        });
        snapshot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: &str) -> FaultRequest {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    fn spec(json: &str) -> VoteFaultSpec {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    #[test]
    fn each_vote_fault_applies_to_its_number_of_requests_in_queue_order() {
        let faults = Faults::default();
        faults.add(request(r#"{"votes": [{"fail": 503, "times": 2}, {"drop": "after_storing"}]}"#)).unwrap();
        let names: Vec<_> = (0..4).map(|_| faults.next_vote("k").1.map(|f| f.name())).collect();
        assert_eq!(names, [Some("fail"), Some("fail"), Some("drop_after_storing"), None]);
        assert!(faults.snapshot().pending.is_empty());
    }

    #[test]
    fn vote_requests_are_counted_per_key_with_or_without_a_fault() {
        let faults = Faults::default();
        faults.add(request(r#"{"votes": [{"fail": 500}]}"#)).unwrap();
        let (first, _) = faults.next_vote("a");
        faults.answered(first, 500);
        faults.next_vote("a");
        faults.next_vote("b");
        let votes = faults.snapshot().votes;
        assert_eq!(votes.received, 3);
        assert_eq!(votes.by_key, BTreeMap::from([("a".to_owned(), 2), ("b".to_owned(), 1)]));
        assert_eq!(votes.log[0], VoteRequest { key: "a".into(), fault: Some("fail"), status: Some(500) });
        assert_eq!(votes.log[1], VoteRequest { key: "a".into(), fault: None, status: None });
    }

    #[test]
    fn clearing_drops_the_queue_and_the_override_but_keeps_the_counts() {
        let faults = Faults::default();
        faults.add(request(r#"{"votes": [{"delay_ms": 10, "times": 5}], "batch": {"status": 404}}"#)).unwrap();
        faults.next_vote("k");
        assert_eq!(faults.next_batch().map(|b| (b.status, b.content_type)), Some((404, "application/json".into())));
        faults.clear();
        assert_eq!(faults.next_vote("k").1, None);
        assert_eq!(faults.next_batch(), None);
        let snapshot = faults.snapshot();
        assert_eq!((snapshot.votes.received, snapshot.batch.served), (2, 2));
        assert!(snapshot.pending.is_empty() && snapshot.batch.replaced_by.is_none());
    }

    #[test]
    fn a_vote_fault_names_exactly_one_thing_to_do() {
        assert_eq!(spec(r#"{"delay_ms": 5}"#).fault(), Ok(VoteFault::Delay { ms: 5 }));
        assert_eq!(spec(r#"{"drop": "before_storing"}"#).fault(), Ok(VoteFault::Drop(DropPoint::BeforeStoring)));
        assert!(spec("{}").fault().is_err());
        assert!(spec(r#"{"fail": 503, "delay_ms": 5}"#).fault().is_err());
        assert!(spec(r#"{"fail": 201}"#).fault().is_err());
        assert!(spec(r#"{"drop": "after_storing", "retry_after": "1"}"#).fault().is_err());
        assert!(serde_json::from_str::<VoteFaultSpec>(r#"{"fial": 503}"#).is_err(), "a typo is refused");
        assert!(serde_json::from_str::<VoteFaultSpec>(r#"{"drop": "later"}"#).is_err());
    }

    #[test]
    fn a_streamed_batch_needs_pieces_of_at_least_one_byte() {
        let faults = Faults::default();
        let error = faults.add(request(r#"{"batch": {"body": "{}", "stream": {"chunk_bytes": 0}}}"#)).unwrap_err();
        assert!(error.contains("chunk_bytes"), "{error}");
        assert_eq!(faults.next_batch(), None);
        faults.add(request(r#"{"batch": {"body": "{}", "stream": {"chunk_bytes": 1, "every_ms": 5}}}"#)).unwrap();
        assert_eq!(faults.next_batch().and_then(|b| b.stream), Some(Stream { chunk_bytes: 1, every_ms: 5 }));
    }

    #[test]
    fn one_bad_fault_adds_nothing() {
        let faults = Faults::default();
        let error = faults.add(request(r#"{"votes": [{"fail": 503}, {"fail": 42}]}"#)).unwrap_err();
        assert!(error.starts_with("votes[1]:"), "{error}");
        assert_eq!(faults.next_vote("k").1, None);
    }
}
