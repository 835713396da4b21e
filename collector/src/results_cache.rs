//! Tallies as last read, per batch and region, so that a crowd reading the
//! results (every citizen of an `after_vote` batch reads them once) costs
//! the database one read at a time rather than one per citizen.
//!
//! An entry is good for [`TTL`], and only until this collector commits
//! another vote: a citizen then sees their own vote counted at once, and
//! votes taken by other collectors show within the TTL. When an entry is
//! stale, one request reads the database and the others waiting for the
//! same entry take its answer. When the database cannot be read, the last
//! tallies read are served as they are (their `updated_at` says when), and
//! the database is tried again a TTL later rather than by every request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use crate::error::Error;
use crate::store::Store;
use crate::store::tally::{Region, Tallies};

/// How long tallies read from the database are served as they are.
pub const TTL: Duration = Duration::from_secs(1);

type Slot = Arc<tokio::sync::Mutex<Option<Entry>>>;

#[derive(Default)]
pub struct ResultsCache {
    /// Bumped by every commit of this collector that counted a vote.
    generation: AtomicU64,
    slots: Mutex<HashMap<(String, Region), Slot>>,
}

struct Entry {
    /// When the database was last read or tried.
    read_at: Instant,
    generation: u64,
    snapshot: Arc<Snapshot>,
}

/// Tallies as read at one moment, and the answer made of them.
pub struct Snapshot {
    pub tallies: Tallies,
    /// Unix seconds of the read, the results' `updated_at`.
    pub updated_at: i64,
    /// The response body, made once by the first request that needs it.
    pub body: OnceLock<Bytes>,
}

impl ResultsCache {
    /// Marks every entry stale: a vote was just counted here.
    pub fn counted(&self) {
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// The tallies of `batch_id` in `region` and when they were read
    /// (`now()`, Unix seconds), from the cache while fresh.
    pub async fn tallies(
        &self,
        store: &Store,
        batch_id: &str,
        region: &Region,
        now: impl FnOnce() -> i64,
    ) -> Result<Arc<Snapshot>, Error> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(slots.entry((batch_id.to_owned(), region.clone())).or_default())
        };
        let mut entry = slot.lock().await;
        // Read before the database is: a commit during the read makes the
        // entry stale rather than lost.
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(fresh) = entry.as_ref().filter(|e| e.generation == generation && e.read_at.elapsed() < TTL) {
            return Ok(Arc::clone(&fresh.snapshot));
        }
        let read_at = Instant::now();
        let tallies = match store.tallies(batch_id, region).await {
            Ok(tallies) => tallies,
            Err(err) => {
                let Some(stale) = entry.as_mut() else { return Err(err) };
                (stale.read_at, stale.generation) = (read_at, generation);
                return Ok(Arc::clone(&stale.snapshot));
            }
        };
        let snapshot = Arc::new(Snapshot { tallies, updated_at: now(), body: OnceLock::new() });
        *entry = Some(Entry { read_at, generation, snapshot: Arc::clone(&snapshot) });
        Ok(snapshot)
    }
}
