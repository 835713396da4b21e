//! Receipt codes such as `7KQM-4ZPA`: short enough to read out over the
//! phone, from an alphabet without 0/O or 1/I so nobody misreads one.
//!
//! A code is the vote's number enciphered under the server secret
//! ([`Numbering`]). Each engine hands out every number once (SQLite's one
//! writer counts on from the last vote stored, PostgreSQL's collectors take
//! blocks of a sequence), and two numbers never share a code, so no unique
//! index on receipts has to be kept up to date: with codes drawn at random,
//! each vote wrote a page of one somewhere in the database. Without the
//! secret a code tells nothing of its number, the order of votes or their
//! count.

mod symbols;

use aes::Aes256;
use fpe::ff1::FF1;

use crate::error::Error;
use symbols::Symbols;

/// 32 symbols: five bits each.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Eight symbols, 40 bits: the length of the random codes stored before
/// numbering, so old and new receipts look alike.
const LENGTH: usize = 8;

/// How many codes there are, 32⁸ = 2⁴⁰: the numbers [`Numbering`] takes.
pub const CODES: i64 = 1 << 40;

/// Codes from vote numbers: FF1 (NIST SP 800-38G), the format-preserving
/// cipher, over eight symbols of radix 32 with AES-256. A keyed permutation
/// of all 2⁴⁰ codes, so distinct numbers give distinct codes.
pub struct Numbering(FF1<Aes256>);

impl Numbering {
    /// Codes under `key`, an AES-256 key derived from the server secret
    /// (see [`crate::secret::Secret::receipt_key`]).
    pub fn new(key: &[u8; 32]) -> Self {
        Self(FF1::new(key, 32).expect("32 is a radix FF1 takes"))
    }

    /// The code of vote number `number`, in `0..CODES`.
    pub fn code(&self, number: i64) -> Result<String, Error> {
        if !(0..CODES).contains(&number) {
            return Err(Error::internal(format!("vote number {number} has no receipt code: there are {CODES}")));
        }
        let plain = Symbols { value: number as u64, count: LENGTH };
        let enciphered = self.0.encrypt(&[], &plain).expect("eight symbols of radix 32 are a string FF1 takes");
        Ok(spell(enciphered.digits()))
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
        let error = format!("{:?}", numbering.code(CODES).unwrap_err());
        assert!(error.contains("1099511627776"), "{error}");
    }
}
