//! Verifications waiting for their code, in memory only: a restart forgets
//! them, and the citizen asks for a new code. Each holds what confirming it
//! needs and nothing more: no name, no ID number, no phone number, and the
//! code only as an HMAC.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use subtle::ConstantTimeEq;

use crate::secret::PersonKey;

/// Wrong codes a verification takes before it closes.
pub const MAX_WRONG_TRIES: u8 = 5;

/// How long an expired verification is kept, so that a late confirmation
/// hears "expired, ask for a new code" (410) rather than "no such
/// verification" (404).
const KEEP_AFTER_EXPIRY_S: i64 = 15 * 60;

/// How often the whole table is swept of verifications past keeping.
const SWEEP_EVERY_S: i64 = 60;

pub struct Pending {
    pub batch_id: String,
    pub person: PersonKey,
    /// HMAC of the code, see [`crate::api::verifications`].
    pub code_hash: [u8; 32],
    /// Unix seconds; the code is refused after this.
    pub expires_at: i64,
    pub wrong_tries: u8,
    /// The masked name, e.g. `张*`.
    pub display_name: String,
}

/// A confirmed verification, taken out of the table.
#[derive(Debug)]
pub struct Confirmed {
    pub batch_id: String,
    pub person: PersonKey,
    pub display_name: String,
}

/// Why a code was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such verification: never made, confirmed already, replaced, or long expired.
    Unknown,
    Expired,
    /// Wrong, and this many tries are left.
    Wrong { tries_left: u8 },
    /// Too many wrong codes: closed, whatever is sent now.
    Closed,
}

#[derive(Default)]
pub struct PendingVerifications {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    by_id: HashMap<String, Pending>,
    /// (batch, person) is in the key already; the latest verification's id.
    by_person: HashMap<PersonKey, String>,
    swept_at: i64,
}

impl PendingVerifications {
    /// Adds a verification under `id`, replacing the person's earlier one in
    /// the same batch, whose code then stops working.
    pub fn insert(&self, id: String, pending: Pending, now: i64) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if now - inner.swept_at >= SWEEP_EVERY_S {
            inner.by_id.retain(|_, p| now - p.expires_at <= KEEP_AFTER_EXPIRY_S);
            let Inner { by_id, by_person, .. } = &mut *inner;
            by_person.retain(|_, id| by_id.contains_key(id));
            inner.swept_at = now;
        }
        if let Some(earlier) = inner.by_person.insert(pending.person, id.clone()) {
            inner.by_id.remove(&earlier);
        }
        inner.by_id.insert(id, pending);
    }

    /// Takes a verification out, e.g. when its code could not be sent.
    pub fn remove(&self, id: &str) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(pending) = inner.by_id.remove(id)
            && inner.by_person.get(&pending.person).is_some_and(|latest| latest == id)
        {
            inner.by_person.remove(&pending.person);
        }
    }

    /// Checks `code_hash` against verification `id` at `now`. A right code
    /// takes the verification out of the table (it is good for one token); a
    /// wrong one uses up a try.
    pub fn confirm(&self, id: &str, code_hash: &[u8; 32], now: i64) -> Result<Confirmed, Refusal> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let pending = inner.by_id.get_mut(id).ok_or(Refusal::Unknown)?;
        if pending.wrong_tries >= MAX_WRONG_TRIES {
            return Err(Refusal::Closed);
        }
        if now > pending.expires_at {
            return Err(Refusal::Expired);
        }
        if !bool::from(pending.code_hash.ct_eq(code_hash)) {
            pending.wrong_tries += 1;
            return match MAX_WRONG_TRIES - pending.wrong_tries {
                0 => Err(Refusal::Closed),
                tries_left => Err(Refusal::Wrong { tries_left }),
            };
        }
        let pending = inner.by_id.remove(id).expect("found above");
        inner.by_person.remove(&pending.person);
        Ok(Confirmed { batch_id: pending.batch_id, person: pending.person, display_name: pending.display_name })
    }

    /// How many verifications are held; for tests.
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_531_102_425;

    fn pending(person: u8, code: u8) -> Pending {
        Pending {
            batch_id: "2018-3".into(),
            person: PersonKey([person; 32]),
            code_hash: [code; 32],
            expires_at: T + 300,
            wrong_tries: 0,
            display_name: "张*".into(),
        }
    }

    #[test]
    fn a_right_code_confirms_once() {
        let table = PendingVerifications::default();
        table.insert("a".into(), pending(1, 7), T);
        let confirmed = table.confirm("a", &[7; 32], T + 300).unwrap();
        assert_eq!((confirmed.person, confirmed.display_name.as_str()), (PersonKey([1; 32]), "张*"));
        assert_eq!(table.confirm("a", &[7; 32], T + 300).unwrap_err(), Refusal::Unknown);
        assert!(table.is_empty());
    }

    #[test]
    fn five_wrong_codes_close_a_verification() {
        let table = PendingVerifications::default();
        table.insert("a".into(), pending(1, 7), T);
        for tries_left in (1..=4).rev() {
            assert_eq!(table.confirm("a", &[0; 32], T).unwrap_err(), Refusal::Wrong { tries_left });
        }
        assert_eq!(table.confirm("a", &[0; 32], T).unwrap_err(), Refusal::Closed);
        assert_eq!(table.confirm("a", &[7; 32], T).unwrap_err(), Refusal::Closed);
    }

    #[test]
    fn a_new_verification_replaces_the_same_persons_earlier_one() {
        let table = PendingVerifications::default();
        table.insert("a".into(), pending(1, 7), T);
        table.insert("other".into(), pending(2, 7), T);
        table.insert("b".into(), pending(1, 8), T + 60);
        assert_eq!(table.confirm("a", &[7; 32], T + 60).unwrap_err(), Refusal::Unknown);
        assert!(table.confirm("other", &[7; 32], T + 60).is_ok());
        assert!(table.confirm("b", &[8; 32], T + 60).is_ok());
    }

    #[test]
    fn an_expired_code_is_refused_and_forgotten_a_while_later() {
        let table = PendingVerifications::default();
        table.insert("a".into(), pending(1, 7), T);
        assert_eq!(table.confirm("a", &[7; 32], T + 301).unwrap_err(), Refusal::Expired);
        table.insert("b".into(), pending(2, 7), T + 300 + KEEP_AFTER_EXPIRY_S + 1);
        assert_eq!(table.confirm("a", &[7; 32], T + 2000).unwrap_err(), Refusal::Unknown);
        assert_eq!(table.len(), 1);
    }
}
