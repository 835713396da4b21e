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
//!
//! Listings of every province, or of every city of a province (results by
//! region, maps), read many more rows: under a steady flow of votes each
//! commit would send the next reader to the database, so a listing is read
//! at most once per [`LISTING_MIN_AGE`] whatever is committed meanwhile.
//! So is the list of batches with their totals, which every citizen who
//! opens the earlier batches reads: made anew for each, it cost more than
//! any other read.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use survey_protocol::BatchList;

use crate::error::Error;
use crate::store::Store;
use crate::store::tally::{Listing, Region, RegionRange, Tallies};

/// How long tallies read from the database are served as they are.
pub const TTL: Duration = Duration::from_secs(1);

/// How long a listing of regions is served even after this collector
/// counted a vote.
pub const LISTING_MIN_AGE: Duration = Duration::from_millis(250);

#[derive(Default)]
pub struct ResultsCache {
    /// Bumped by every commit of this collector that counted a vote.
    generation: AtomicU64,
    regions: Slots<(String, Region), Tallies>,
    listings: Slots<(String, RegionRange), Listing>,
    /// By the language each batch is served in, as `Accept-Language` picks.
    lists: Slots<Vec<String>, BatchList>,
}

type Slot<T> = Arc<tokio::sync::Mutex<Option<Entry<T>>>>;

/// One entry per key, each behind a lock of its own.
struct Slots<K, T>(Mutex<HashMap<K, Slot<T>>>);

impl<K, T> Default for Slots<K, T> {
    fn default() -> Self {
        Self(Mutex::default())
    }
}

struct Entry<T> {
    /// When the database was last read or tried.
    read_at: Instant,
    generation: u64,
    snapshot: Arc<Snapshot<T>>,
}

/// Tallies (or the list of batches with theirs) as read at one moment, and
/// the answer made of them.
pub struct Snapshot<T = Tallies> {
    pub tallies: T,
    /// Unix seconds of the read, the results' `updated_at`.
    pub updated_at: i64,
    /// The response body, made once by the first request that needs it.
    pub body: OnceLock<Bytes>,
}

impl<T> Snapshot<T> {
    /// The answer's JSON: what `answer` makes of the snapshot, written by
    /// the first request that needs it and shared by the rest.
    pub fn json<V: serde::Serialize>(&self, answer: impl FnOnce(&Self) -> V) -> Result<Bytes, Error> {
        if let Some(body) = self.body.get() {
            return Ok(body.clone());
        }
        let body = Bytes::from(serde_json::to_vec(&answer(self)).map_err(Error::internal)?);
        Ok(self.body.get_or_init(|| body).clone())
    }
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
        let key = (batch_id.to_owned(), region.clone());
        self.cached(&self.regions, key, Duration::ZERO, store.tallies(batch_id, region), now).await
    }

    /// The tallies of every region of `range` that has votes, from the
    /// cache while fresh (and for at least [`LISTING_MIN_AGE`]).
    pub async fn listing(
        &self,
        store: &Store,
        batch_id: &str,
        range: &RegionRange,
        now: impl FnOnce() -> i64,
    ) -> Result<Arc<Snapshot<Listing>>, Error> {
        let key = (batch_id.to_owned(), range.clone());
        self.cached(&self.listings, key, LISTING_MIN_AGE, store.region_tallies(batch_id, range), now).await
    }

    /// The list of batches in `languages` (one per batch, in catalog
    /// order), from the cache while fresh (and for at least
    /// [`LISTING_MIN_AGE`]); otherwise what `make` makes.
    pub async fn batch_list(
        &self,
        languages: Vec<String>,
        make: impl Future<Output = Result<BatchList, Error>>,
        now: impl FnOnce() -> i64,
    ) -> Result<Arc<Snapshot<BatchList>>, Error> {
        self.cached(&self.lists, languages, LISTING_MIN_AGE, make, now).await
    }

    /// The entry of `key` while it is fresh: younger than `min_age`, or
    /// younger than [`TTL`] with no vote counted here since. Otherwise what
    /// `read` reads, or the stale entry when the read fails.
    async fn cached<K: Eq + Hash, T>(
        &self,
        slots: &Slots<K, T>,
        key: K,
        min_age: Duration,
        read: impl Future<Output = Result<T, Error>>,
        now: impl FnOnce() -> i64,
    ) -> Result<Arc<Snapshot<T>>, Error> {
        let slot = Arc::clone(slots.0.lock().unwrap_or_else(PoisonError::into_inner).entry(key).or_default());
        let mut entry = slot.lock().await;
        // Read before the database is: a commit during the read makes the
        // entry stale rather than lost.
        let generation = self.generation.load(Ordering::Acquire);
        let fresh = |e: &&Entry<T>| {
            let age = e.read_at.elapsed();
            age < min_age || (e.generation == generation && age < TTL)
        };
        if let Some(fresh) = entry.as_ref().filter(fresh) {
            return Ok(Arc::clone(&fresh.snapshot));
        }
        let read_at = Instant::now();
        let tallies = match read.await {
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
