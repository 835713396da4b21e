//! How many verification codes may be sent, per phone number and per client
//! address. The times codes were sent are kept in the database (see
//! [`crate::store`]), so every collector behind a load balancer applies the
//! same limit and a restart forgets nothing. Keys are HMACs of the number or
//! address under the server secret, so the table never holds either.
//!
//! This module holds the rules; each engine reads the times of both keys
//! under a lock, asks [`CodeLimits::check`], and writes them back.

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

/// The longest window: older times no longer matter and are dropped.
pub const HORIZON_S: i64 = 3600;

pub type Key = [u8; 32];

/// The limits in force: the per-phone rules and the operator's per-address one.
#[derive(Clone, Debug)]
pub struct CodeLimits {
    per_address: [Rule; 1],
}

impl Default for CodeLimits {
    fn default() -> Self {
        Self::new(DEFAULT_PER_ADDRESS_HOURLY)
    }
}

impl CodeLimits {
    /// Limits allowing `per_address_hourly` codes an hour from one address.
    pub fn new(per_address_hourly: usize) -> Self {
        Self { per_address: [Rule { limit: per_address_hourly, window_s: ADDRESS_WINDOW_S }] }
    }

    /// Whether one more code may go to a phone that had codes at
    /// `phone_times`, asked from an address that had codes at
    /// `address_times` (`None` when the client's address is unknown: then
    /// only the phone is limited). `Err` holds the seconds until both
    /// would allow it.
    pub fn check(&self, phone_times: &[i64], address_times: Option<&[i64]>, now: i64) -> Result<(), u64> {
        let mut wait = wait_s(phone_times, &PER_PHONE, now);
        if let Some(times) = address_times {
            wait = wait.max(wait_s(times, &self.per_address, now));
        }
        if wait > 0 { Err(wait.unsigned_abs()) } else { Ok(()) }
    }
}

/// The times a key keeps after a code is sent at `now`: the recent ones and `now`.
pub fn with_new_code(times: &[i64], now: i64) -> Vec<i64> {
    let mut kept: Vec<i64> = times.iter().copied().filter(|&t| now - t < HORIZON_S).collect();
    kept.push(now);
    kept
}

/// Times as stored: 8 bytes each, little-endian.
pub fn encode_times(times: &[i64]) -> Vec<u8> {
    times.iter().flat_map(|t| t.to_le_bytes()).collect()
}

/// Times from their stored bytes; a partial trailing entry is ignored.
pub fn decode_times(bytes: &[u8]) -> Vec<i64> {
    bytes.chunks_exact(8).map(|c| i64::from_le_bytes(c.try_into().expect("chunks of 8"))).collect()
}

/// Seconds until one more code keeps every rule; 0 if it does now.
fn wait_s(times: &[i64], rules: &[Rule], now: i64) -> i64 {
    rules
        .iter()
        .map(|rule| {
            let mut recent: Vec<i64> = times.iter().copied().filter(|&t| now - t < rule.window_s).collect();
            recent.sort_unstable();
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

    /// Sends codes through `limits` the way a store does, keeping the times
    /// (a store keeps both kinds in one table: their HMACs never collide).
    #[derive(Default)]
    struct Table {
        phones: std::collections::HashMap<Key, Vec<i64>>,
        addresses: std::collections::HashMap<Key, Vec<i64>>,
    }

    impl Table {
        fn try_acquire(&mut self, limits: &CodeLimits, phone: Key, address: Option<Key>, now: i64) -> Result<(), u64> {
            let phone_times = self.phones.get(&phone).cloned().unwrap_or_default();
            let address_times = address.map(|a| self.addresses.get(&a).cloned().unwrap_or_default());
            limits.check(&phone_times, address_times.as_deref(), now)?;
            self.phones.insert(phone, with_new_code(&phone_times, now));
            if let (Some(address), Some(times)) = (address, address_times) {
                self.addresses.insert(address, with_new_code(&times, now));
            }
            Ok(())
        }
    }

    #[test]
    fn a_phone_gets_one_code_a_minute_and_five_an_hour() {
        let (limits, mut table) = (CodeLimits::default(), Table::default());
        let phone = [1; 32];
        assert_eq!(table.try_acquire(&limits, phone, None, T), Ok(()));
        assert_eq!(table.try_acquire(&limits, phone, None, T + 10), Err(50));
        for minute in 1..5 {
            assert_eq!(table.try_acquire(&limits, phone, None, T + 60 * minute), Ok(()));
        }
        assert_eq!(table.try_acquire(&limits, phone, None, T + 300), Err(3300));
        assert_eq!(table.try_acquire(&limits, phone, None, T + 3600), Ok(()));
        assert_eq!(table.try_acquire(&limits, [2; 32], None, T + 3600), Ok(()), "another phone has its own limit");
    }

    #[test]
    fn an_address_gets_twenty_codes_an_hour_and_a_refusal_counts_nothing() {
        let (limits, mut table) = (CodeLimits::default(), Table::default());
        let address = Some([9; 32]);
        for i in 0..20 {
            assert_eq!(table.try_acquire(&limits, [i; 32], address, T + i64::from(i)), Ok(()));
        }
        assert_eq!(table.try_acquire(&limits, [100; 32], address, T + 30), Err(3570));
        // The refused phone was not counted, so it may have a code from elsewhere.
        assert_eq!(table.try_acquire(&limits, [100; 32], Some([8; 32]), T + 30), Ok(()));
        assert_eq!(table.try_acquire(&limits, [101; 32], address, T + 3600), Ok(()));
    }

    #[test]
    fn the_operator_sets_how_many_codes_an_address_gets() {
        let (limits, mut table) = (CodeLimits::new(2), Table::default());
        let address = Some([9; 32]);
        assert_eq!(table.try_acquire(&limits, [1; 32], address, T), Ok(()));
        assert_eq!(table.try_acquire(&limits, [2; 32], address, T + 1), Ok(()));
        assert_eq!(table.try_acquire(&limits, [3; 32], address, T + 2), Err(3598));
    }

    #[test]
    fn times_older_than_an_hour_are_dropped_and_the_rest_survive_storage() {
        let times = with_new_code(&[T - 3600, T - 3599, T - 10], T);
        assert_eq!(times, [T - 3599, T - 10, T]);
        assert_eq!(decode_times(&encode_times(&times)), times);
    }
}
