//! The current time as Unix seconds, the unit every date here is compared in.
//! Handlers read it from [`AppState::clock`](crate::AppState), so a test can
//! stop it or move it on (to expire a code or a token) without waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// `None`: the system clock; `Some`: a clock that moves only when told.
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Self {
        Self { manual: None }
    }

    /// A clock standing still at `start` until [`Clock::advance`]d.
    pub fn manual(start: i64) -> Self {
        Self { manual: Some(Arc::new(AtomicI64::new(start))) }
    }

    pub fn now(&self) -> i64 {
        match &self.manual {
            Some(time) => time.load(Ordering::SeqCst),
            None => now(),
        }
    }

    /// Moves a manual clock (and every clone of it) on by `seconds`.
    ///
    /// # Panics
    /// On the system clock, which nobody moves.
    pub fn advance(&self, seconds: i64) {
        self.manual.as_ref().expect("only a manual clock can be moved").fetch_add(seconds, Ordering::SeqCst);
    }
}

/// The system clock's reading.
pub fn now() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX)
}
