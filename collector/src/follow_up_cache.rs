//! The published follow-ups as last read from the database. Every batch
//! served carries them (`batches/current` is asked once per page load), so
//! they are read at most once per [`TTL`] per collector, and a request
//! never waits for the database while an earlier reading is there to serve:
//! one request reads, the others serve what was read before. Publishing
//! shows on every collector within the TTL.
//!
//! A follow-up is never worth a citizen's survey: when the database cannot
//! be read the last reading is served (none at all before the first), and
//! the database is tried again a TTL later.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::follow_ups::FollowUps;
use crate::store::Store;

/// How long a reading is served as it is.
pub const TTL: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct FollowUpCache {
    /// The last reading and when it was made (or tried).
    last: Mutex<Option<(Instant, Arc<FollowUps>)>>,
    /// Held by the one request reading the database.
    reading: tokio::sync::Mutex<()>,
}

impl FollowUpCache {
    /// The follow-ups to serve now.
    pub async fn get(&self, store: &Store) -> Arc<FollowUps> {
        if let Some(fresh) = self.fresh() {
            return fresh;
        }
        let _reading = match self.reading.try_lock() {
            Ok(guard) => guard,
            Err(_) => match self.last() {
                Some(stale) => return stale,
                None => self.reading.lock().await,
            },
        };
        // Another request may have read while this one waited.
        if let Some(fresh) = self.fresh() {
            return fresh;
        }
        let read = match store.follow_ups().await {
            Ok(rows) => Arc::new(FollowUps::from_rows(rows)),
            Err(err) => {
                tracing::warn!(error = ?err, "the published follow-ups could not be read; serving the last reading");
                self.last().unwrap_or_default()
            }
        };
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), Arc::clone(&read)));
        read
    }

    fn fresh(&self) -> Option<Arc<FollowUps>> {
        let last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        last.as_ref().filter(|(read_at, _)| read_at.elapsed() < TTL).map(|(_, f)| Arc::clone(f))
    }

    fn last(&self) -> Option<Arc<FollowUps>> {
        self.last.lock().unwrap_or_else(PoisonError::into_inner).as_ref().map(|(_, f)| Arc::clone(f))
    }
}
