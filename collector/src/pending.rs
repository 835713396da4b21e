//! Verifications waiting for their code. They are kept in the database (see
//! [`crate::store`]), so that a code asked for through one collector can be
//! confirmed through another, and a restart forgets nothing. Each holds what
//! confirming it needs and nothing more: no name, no ID number, no phone
//! number, and the code only as an HMAC.
//!
//! This module holds the rules; each engine applies them inside its own
//! statements.

use subtle::ConstantTimeEq;

use crate::secret::PersonKey;

/// Wrong codes a verification takes before it closes.
pub const MAX_WRONG_TRIES: u8 = 5;

/// How long an expired verification is kept, so that a late confirmation
/// hears "expired, ask for a new code" (410) rather than "no such
/// verification" (404).
pub const KEEP_AFTER_EXPIRY_S: i64 = 15 * 60;

/// How often a collector sweeps the table of verifications past keeping.
pub const SWEEP_EVERY_S: i64 = 60;

/// A verification as stored.
pub struct Pending {
    pub batch_id: String,
    pub person: PersonKey,
    /// HMAC of the code, see [`crate::api::verifications`].
    pub code_hash: [u8; 32],
    /// Unix seconds; the code is refused after this.
    pub expires_at: i64,
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

/// What a code does to a stored verification.
#[derive(Debug, PartialEq, Eq)]
pub enum Judgement {
    /// Right: take the verification out and issue a token.
    Right,
    /// Wrong: count one more wrong try.
    Wrong,
    /// Refused whatever the code: nothing changes.
    Refused(Refusal),
}

/// Judges `code_hash` against a stored verification with `wrong_tries`
/// wrong codes so far and this expiry, at `now`. The hashes are compared
/// in constant time.
pub fn judge(stored_hash: &[u8], wrong_tries: i64, expires_at: i64, code_hash: &[u8; 32], now: i64) -> Judgement {
    if wrong_tries >= i64::from(MAX_WRONG_TRIES) {
        return Judgement::Refused(Refusal::Closed);
    }
    if now > expires_at {
        return Judgement::Refused(Refusal::Expired);
    }
    if bool::from(stored_hash.ct_eq(code_hash)) { Judgement::Right } else { Judgement::Wrong }
}

/// The refusal after a wrong code brought the count to `wrong_tries`.
pub fn after_wrong_code(wrong_tries: i64) -> Refusal {
    match i64::from(MAX_WRONG_TRIES) - wrong_tries {
        left if left <= 0 => Refusal::Closed,
        left => Refusal::Wrong { tries_left: u8::try_from(left).unwrap_or(MAX_WRONG_TRIES) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_531_102_425;

    #[test]
    fn a_right_code_before_expiry_confirms_and_a_wrong_one_counts() {
        assert_eq!(judge(&[7; 32], 0, T + 300, &[7; 32], T + 300), Judgement::Right);
        assert_eq!(judge(&[7; 32], 4, T + 300, &[0; 32], T), Judgement::Wrong);
    }

    #[test]
    fn five_wrong_codes_close_a_verification_whatever_comes_next() {
        for tries_left in (1..=4).rev() {
            assert_eq!(after_wrong_code(i64::from(MAX_WRONG_TRIES - tries_left)), Refusal::Wrong { tries_left });
        }
        assert_eq!(after_wrong_code(5), Refusal::Closed);
        assert_eq!(judge(&[7; 32], 5, T + 300, &[7; 32], T), Judgement::Refused(Refusal::Closed));
    }

    #[test]
    fn an_expired_code_is_refused_even_when_right() {
        assert_eq!(judge(&[7; 32], 0, T + 300, &[7; 32], T + 301), Judgement::Refused(Refusal::Expired));
    }
}
