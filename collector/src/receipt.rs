//! Receipt codes such as `7KQM-4ZPA`: short enough to read out over the
//! phone, from an alphabet without 0/O or 1/I so nobody misreads one.
//!
//! Two ways to make one. On SQLite, whose one writer numbers the votes, a
//! code is the vote's number enciphered under the server secret
//! ([`Numbering`]): two numbers never share a code, so no unique index has
//! to be kept up to date, and without the secret a code tells nothing of the
//! number, the order of votes or their count. On PostgreSQL, where many
//! collectors write at once with nothing to number their votes in one
//! sequence without a round trip, a code is drawn at random ([`new_code`])
//! and a unique index keeps codes apart.

use aes::Aes256;
use fpe::ff1::{FF1, FlexibleNumeralString};

/// 32 symbols, so a random byte (or five bits) maps onto one without bias.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Eight symbols, 40 bits: random collisions are rare, and the caller
/// retries the few that happen.
const LENGTH: usize = 8;

/// How many codes there are, 32⁸ = 2⁴⁰: the numbers [`Numbering`] takes.
pub const CODES: i64 = 1 << 40;

/// A fresh random code, four symbols, a dash, four symbols.
pub fn new_code() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; LENGTH];
    getrandom::fill(&mut bytes)?;
    Ok(spell(bytes.iter().map(|byte| byte % 32)))
}

/// Codes from vote numbers: FF1 (NIST SP 800-38G), the format-preserving
/// cipher, over eight symbols of radix 32 with AES-256. A keyed permutation
/// of all 2⁴⁰ codes, so distinct numbers give distinct codes.
pub struct Numbering(FF1<Aes256>);

/// Why a number has no code: it is negative or past [`CODES`].
#[derive(Debug)]
pub struct OutOfCodes(i64);

impl std::fmt::Display for OutOfCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "vote number {} has no receipt code: there are {CODES}", self.0)
    }
}

impl std::error::Error for OutOfCodes {}

impl Numbering {
    /// Codes under `key`, an AES-256 key derived from the server secret
    /// (see [`crate::secret::Secret::receipt_key`]).
    pub fn new(key: &[u8; 32]) -> Self {
        Self(FF1::new(key, 32).expect("32 is a radix FF1 takes"))
    }

    /// The code of vote number `number`, in `0..CODES`.
    pub fn code(&self, number: i64) -> Result<String, OutOfCodes> {
        if !(0..CODES).contains(&number) {
            return Err(OutOfCodes(number));
        }
        let digits: Vec<u16> = (0..LENGTH).rev().map(|place| ((number >> (5 * place)) & 31) as u16).collect();
        let enciphered = self
            .0
            .encrypt(&[], &FlexibleNumeralString::from(digits))
            .expect("eight symbols of radix 32 are a string FF1 takes");
        Ok(spell(Vec::<u16>::from(enciphered).into_iter().map(|digit| digit as u8)))
    }
}

/// Eight symbols of `0..32` spelled as four, a dash, four.
fn spell(symbols: impl Iterator<Item = u8>) -> String {
    let mut code = String::with_capacity(LENGTH + 1);
    for (i, symbol) in symbols.enumerate() {
        if i == LENGTH / 2 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[usize::from(symbol)]));
    }
    code
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn assert_well_formed(code: &str) {
        let (left, right) = code.split_once('-').unwrap();
        assert_eq!((left.len(), right.len()), (4, 4), "{code}");
        assert!(left.chars().chain(right.chars()).all(|c| ALPHABET.contains(&(c as u8))), "{code}");
        assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
    }

    #[test]
    fn codes_are_two_groups_of_four_unambiguous_symbols() {
        let numbering = Numbering::new(&[7; 32]);
        for number in [0, 1, 2, 31, 32, 1_000_000, CODES - 1] {
            assert_well_formed(&numbering.code(number).unwrap());
        }
        for _ in 0..100 {
            assert_well_formed(&new_code().unwrap());
        }
    }

    #[test]
    fn random_codes_differ_from_one_another() {
        let codes: HashSet<String> = (0..1000).map(|_| new_code().unwrap()).collect();
        assert_eq!(codes.len(), 1000);
    }

    #[test]
    fn numbers_in_a_row_get_distinct_codes_with_no_visible_order() {
        let numbering = Numbering::new(&[7; 32]);
        let codes: Vec<String> = (1..=20_000).map(|n| numbering.code(n).unwrap()).collect();
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), codes.len());
        let ascending = codes.windows(2).filter(|pair| pair[0] < pair[1]).count();
        assert!((9_000..11_000).contains(&ascending), "{ascending} of 19,999 pairs ascend: the order shows");
    }

    #[test]
    fn a_number_keeps_its_code_under_one_key_and_not_under_another() {
        let (one, again, other) = (Numbering::new(&[7; 32]), Numbering::new(&[7; 32]), Numbering::new(&[8; 32]));
        assert_eq!(one.code(42).unwrap(), again.code(42).unwrap());
        let differ = (0..100).filter(|&n| one.code(n).unwrap() != other.code(n).unwrap()).count();
        assert!(differ >= 99, "{differ}");
    }

    #[test]
    fn numbers_without_a_code_are_refused() {
        let numbering = Numbering::new(&[7; 32]);
        assert!(numbering.code(-1).is_err());
        let error = numbering.code(CODES).unwrap_err().to_string();
        assert!(error.contains("1099511627776"), "{error}");
    }
}
