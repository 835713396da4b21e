//! Group commit: one writer per process takes the votes that are waiting,
//! writes them in one transaction, and answers each only once that
//! transaction is committed. While one group commits, the next gathers, so
//! under load each commit (and its sync to disk) carries many votes, and
//! when it is quiet a vote is written at once, alone.
//!
//! Under load the writer also waits a moment after a commit before the next
//! one: up to [`GATHER`], or until as many votes wait as were in flight
//! during the last commit. Without that pause the clients answered by one
//! commit miss the next and the load splits into two half-size groups
//! taking turns, each paying a whole sync to disk.
//!
//! Votes that depend on each other are never in one group (see [`group`]):
//! a replay, a reused key, a second real-name vote of one person are
//! answered exactly as if each vote had its own transaction.

pub mod group;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};
use tokio::time::timeout_at;

use crate::error::Error;
use crate::metrics::Metrics;
use crate::results_cache::ResultsCache;
use crate::store::{DATABASE_RETRY_S, NewVote, Outcome, Store};
use group::{Identity, Place};

/// The most votes one transaction writes.
pub const MAX_GROUP: usize = 512;

/// The most votes waiting for the writer; beyond that a vote is answered
/// 503 at once (the client keeps it and retries) rather than queued for
/// seconds.
pub const QUEUE_LIMIT: usize = 8192;

/// How long after a commit the writer may wait for more votes before the
/// next; a vote that arrives when the writer has been idle longer is
/// written at once.
pub const GATHER: Duration = Duration::from_millis(2);

/// Retry-After when the queue is full: the writer drains it in well under a second.
const FULL_RETRY_S: u64 = 1;

struct Job {
    vote: NewVote,
    reply: oneshot::Sender<Result<Outcome, Error>>,
}

/// The handle through which requests hand votes to the writer.
#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
    metrics: Arc<Metrics>,
}

impl Writer {
    /// Starts the writer task on the current tokio runtime. It ends when
    /// every handle is dropped and the last group is answered.
    /// Each commit that counted a vote marks `results` stale.
    pub fn start(store: Store, metrics: Arc<Metrics>, results: Arc<ResultsCache>) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE_LIMIT);
        tokio::spawn(run(store, jobs, Arc::clone(&metrics), results));
        Self { queue, metrics }
    }

    /// Writes `vote` with the next group and gives its outcome once committed.
    pub async fn submit(&self, vote: NewVote) -> Result<Outcome, Error> {
        let (reply, answer) = oneshot::channel();
        self.metrics.queued();
        self.queue.try_send(Job { vote, reply }).map_err(|err| {
            self.metrics.answered(1);
            match err {
                mpsc::error::TrySendError::Full(_) => Error::Unavailable { retry_after_s: FULL_RETRY_S },
                mpsc::error::TrySendError::Closed(_) => Error::Unavailable { retry_after_s: DATABASE_RETRY_S },
            }
        })?;
        answer.await.map_err(|_| Error::internal("the writer stopped before answering"))?
    }
}

async fn run(store: Store, mut jobs: mpsc::Receiver<Job>, metrics: Arc<Metrics>, results: Arc<ResultsCache>) {
    // Votes waiting, in the order they came; a group takes from the front.
    let mut waiting: VecDeque<Job> = VecDeque::new();
    // When the last commit ended, and how many votes were in flight then.
    let mut last: Option<(tokio::time::Instant, usize)> = None;
    loop {
        if waiting.is_empty() {
            match jobs.recv().await {
                Some(job) => waiting.push_back(job),
                None => return,
            }
        }
        if let Some((ended, in_flight)) = last {
            let deadline = ended + GATHER;
            while waiting.len() < in_flight.min(MAX_GROUP) {
                match timeout_at(deadline, jobs.recv()).await {
                    Ok(Some(job)) => waiting.push_back(job),
                    Ok(None) | Err(_) => break,
                }
            }
        }
        while waiting.len() < 2 * MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => waiting.push_back(job),
                Err(_) => break,
            }
        }
        let identities: Vec<Identity<'_>> = waiting
            .iter()
            .map(|job| Identity {
                vote_id: &job.vote.vote.vote_id,
                body_hash: &job.vote.body_hash,
                person: job.vote.real_name_key.as_ref(),
            })
            .collect();
        let places = group::place(&identities, MAX_GROUP);
        let mut leads = Vec::new();
        let mut replies = Vec::new();
        // Index in the queue → index among the leads.
        let mut lead_of = vec![None; places.len()];
        let mut followers = Vec::new();
        let mut later = VecDeque::new();
        for (i, (job, place)) in waiting.drain(..).zip(places).enumerate() {
            match place {
                Place::Lead => {
                    lead_of[i] = Some(leads.len());
                    leads.push(job.vote);
                    replies.push(job.reply);
                }
                Place::Follow(first) => followers.push((job.reply, first)),
                Place::Defer => later.push_back(job),
            }
        }
        waiting = later;

        let started = Instant::now();
        metrics.group_started(leads.len());
        // A task of its own, so that a panic while writing fails this
        // group (500, the clients retry) and not the writer.
        let writing = store.clone();
        let written = tokio::spawn(async move { writing.write_group(leads).await })
            .await
            .unwrap_or_else(|panic| Err(Error::internal(panic)));
        metrics.group_committed(started);
        match written {
            Ok(outcomes) => {
                if outcomes.iter().any(|o| matches!(o, Outcome::Counted(_))) {
                    results.counted();
                }
                for (reply, first) in followers {
                    let outcome = lead_of[first].map(|lead| group::follow(&outcomes[lead]));
                    let _ = reply.send(outcome.ok_or_else(|| Error::internal("a follower lost its leader")));
                }
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    // The client may have gone; its vote is stored all the same.
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(err) => {
                for reply in replies.into_iter().chain(followers.into_iter().map(|(reply, _)| reply)) {
                    let _ = reply.send(Err(err.shared()));
                }
            }
        }
        metrics.answered(lead_of.len() - waiting.len());
        last = Some((tokio::time::Instant::now(), lead_of.len() + jobs.len()));
    }
}
