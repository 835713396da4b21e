//! How many verification codes may be sent, per phone number and per client
//! address, kept in memory: a restart forgets them, which costs at most one
//! more round of codes. Keys are HMACs of the number or address under the
//! server secret, so the limiter never holds either.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

/// At most `limit` codes in any `window_s` seconds.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub limit: usize,
    pub window_s: i64,
}

/// One code a minute (the protocol's `resend_after_s`), five an hour: a
/// citizen who mistypes or misses a code has room to try again, and nobody
/// can flood one phone.
pub const PER_PHONE: [Rule; 2] = [Rule { limit: 1, window_s: 60 }, Rule { limit: 5, window_s: 3600 }];

/// Twenty codes an hour from one address (an IPv6 /64) unless the
/// operator says otherwise (`--codes-per-address`): a family or an office
/// behind one address fits; one machine cannot send codes to thousands of
/// phones. Behind a carrier's NAT many citizens share an address, so a
/// large survey may need a higher number.
pub const DEFAULT_PER_ADDRESS_HOURLY: usize = 20;

/// One hour: the window of the per-address limit.
const ADDRESS_WINDOW_S: i64 = 3600;

/// The longest window: older entries no longer matter.
const HORIZON_S: i64 = 3600;

/// How often the whole table is swept of keys with nothing recent.
const SWEEP_EVERY_S: i64 = 60;

pub type Key = [u8; 32];

pub struct CodeLimits {
    inner: Mutex<Inner>,
    per_address: [Rule; 1],
}

impl Default for CodeLimits {
    fn default() -> Self {
        Self::new(DEFAULT_PER_ADDRESS_HOURLY)
    }
}

#[derive(Default)]
struct Inner {
    /// Key → when codes were sent, oldest first.
    phones: HashMap<Key, VecDeque<i64>>,
    addresses: HashMap<Key, VecDeque<i64>>,
    swept_at: i64,
}

impl CodeLimits {
    /// Limits allowing `per_address_hourly` codes an hour from one address.
    pub fn new(per_address_hourly: usize) -> Self {
        Self {
            inner: Mutex::default(),
            per_address: [Rule { limit: per_address_hourly, window_s: ADDRESS_WINDOW_S }],
        }
    }

    /// Counts one code for `phone` and `address` if both are under their
    /// limits at `now`; otherwise counts nothing and returns the seconds
    /// until both would be. `address` is `None` when the client's address is
    /// unknown, and then only the phone is limited.
    pub fn try_acquire(&self, phone: Key, address: Option<Key>, now: i64) -> Result<(), u64> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let inner = &mut *inner;
        if now - inner.swept_at >= SWEEP_EVERY_S {
            for table in [&mut inner.phones, &mut inner.addresses] {
                table.retain(|_, times| {
                    forget_old(times, now);
                    !times.is_empty()
                });
            }
            inner.swept_at = now;
        }
        let phone_times = inner.phones.entry(phone).or_default();
        forget_old(phone_times, now);
        let mut wait = wait_s(phone_times, &PER_PHONE, now);
        if let Some(address) = address {
            let address_times = inner.addresses.entry(address).or_default();
            forget_old(address_times, now);
            wait = wait.max(wait_s(address_times, &self.per_address, now));
        }
        if wait > 0 {
            return Err(wait.unsigned_abs());
        }
        inner.phones.entry(phone).or_default().push_back(now);
        if let Some(address) = address {
            inner.addresses.entry(address).or_default().push_back(now);
        }
        Ok(())
    }
}

fn forget_old(times: &mut VecDeque<i64>, now: i64) {
    while times.front().is_some_and(|&t| now - t >= HORIZON_S) {
        times.pop_front();
    }
}

/// Seconds until one more code keeps every rule; 0 if it does now.
fn wait_s(times: &VecDeque<i64>, rules: &[Rule], now: i64) -> i64 {
    rules
        .iter()
        .map(|rule| {
            let recent: Vec<i64> = times.iter().copied().filter(|&t| now - t < rule.window_s).collect();
            if recent.len() < rule.limit {
                0
            } else {
                // Enough of the oldest must leave the window to make room for one.
                let leaving = recent[recent.len() - rule.limit];
                (leaving + rule.window_s - now).max(1)
            }
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_531_102_425;

    #[test]
    fn a_phone_gets_one_code_a_minute_and_five_an_hour() {
        let limits = CodeLimits::default();
        let phone = [1; 32];
        assert_eq!(limits.try_acquire(phone, None, T), Ok(()));
        assert_eq!(limits.try_acquire(phone, None, T + 10), Err(50));
        for minute in 1..5 {
            assert_eq!(limits.try_acquire(phone, None, T + 60 * minute), Ok(()));
        }
        assert_eq!(limits.try_acquire(phone, None, T + 300), Err(3300));
        assert_eq!(limits.try_acquire(phone, None, T + 3600), Ok(()));
        assert_eq!(limits.try_acquire([2; 32], None, T + 3600), Ok(()), "another phone has its own limit");
    }

    #[test]
    fn an_address_gets_twenty_codes_an_hour_and_a_refusal_counts_nothing() {
        let limits = CodeLimits::default();
        let address = Some([9; 32]);
        for i in 0..20 {
            assert_eq!(limits.try_acquire([i; 32], address, T + i64::from(i)), Ok(()));
        }
        assert_eq!(limits.try_acquire([100; 32], address, T + 30), Err(3570));
        // The refused phone was not counted, so it may have a code from elsewhere.
        assert_eq!(limits.try_acquire([100; 32], Some([8; 32]), T + 30), Ok(()));
        assert_eq!(limits.try_acquire([101; 32], address, T + 3600), Ok(()));
    }

    #[test]
    fn the_operator_sets_how_many_codes_an_address_gets() {
        let limits = CodeLimits::new(2);
        let address = Some([9; 32]);
        assert_eq!(limits.try_acquire([1; 32], address, T), Ok(()));
        assert_eq!(limits.try_acquire([2; 32], address, T + 1), Ok(()));
        assert_eq!(limits.try_acquire([3; 32], address, T + 2), Err(3598));
    }
}
