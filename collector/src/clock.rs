//! The current time as Unix seconds, the unit every date here is compared in.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX)
}
