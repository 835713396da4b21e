//! The eight symbols of a receipt as FF1 sees them: a numeral string of
//! radix 32 held in one integer, five bits a symbol, the first symbol
//! highest. The `fpe` crate runs FF1 on any numeral string; its general
//! one keeps every half as a big integer, and a code took 8 µs, which the
//! SQLite writer spent inside each group's transaction for every vote. In
//! one integer the arithmetic FF1 asks for is a few shifts and a mask: a
//! code takes 1.5 µs, most of it the AES blocks (AMD EPYC, 2026-12-08).
//! The tests check every code against the crate's general string.

use fpe::ff1::{NumeralString, Operations};

/// Bits per symbol: the radix is 2⁵ = 32.
const BITS: usize = 5;

/// The only radix these strings are valid for.
const RADIX: u32 = 1 << BITS;

/// A string of `count` symbols of radix 32, packed into `value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbols {
    pub value: u64,
    pub count: usize,
}

impl Symbols {
    /// The symbols, first to last.
    pub fn digits(self) -> impl Iterator<Item = u8> {
        (0..self.count).rev().map(move |place| ((self.value >> (BITS * place)) & u64::from(RADIX - 1)) as u8)
    }

    /// `x mod radix^m` for FF1's rounds, whose halves have `m` symbols:
    /// the low `5·m` bits. A power of two divides 2⁶⁴, so sums may wrap.
    fn of(x: u64, m: usize) -> Self {
        Self { value: x & ((1 << (BITS * m)) - 1), count: m }
    }

    /// `NUM(S)` as far as its low 64 bits, all a power-of-two modulus of
    /// them keeps: the bytes of `S` read big-endian, the high ones shifted out.
    fn low_bits(bytes: impl Iterator<Item = u8>) -> u64 {
        bytes.fold(0, |acc, byte| (acc << 8) | u64::from(byte))
    }
}

impl NumeralString for Symbols {
    type Ops = Self;

    fn is_valid(&self, radix: u32) -> bool {
        radix == RADIX && self.count * BITS < 64 && self.value >> (self.count * BITS) == 0
    }

    fn numeral_count(&self) -> usize {
        self.count
    }

    fn split(&self) -> (Self, Self) {
        let back = self.count - self.count / 2;
        let front = Self { value: self.value >> (BITS * back), count: self.count / 2 };
        (front, Self::of(self.value, back))
    }

    fn concat(a: Self, b: Self) -> Self {
        Self { value: (a.value << (BITS * b.count)) | b.value, count: a.count + b.count }
    }
}

/// Up to eight bytes, big-endian, of which the last `len` are used.
pub struct BeBytes {
    bytes: [u8; 8],
    len: usize,
}

impl AsRef<[u8]> for BeBytes {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[8 - self.len..]
    }
}

impl Operations for Symbols {
    type Bytes = BeBytes;

    fn numeral_count(&self) -> usize {
        self.count
    }

    /// With radix 32 the number the symbols spell is `value` itself. A
    /// valid string has at most 12 symbols, so FF1 asks a half for 4 bytes at most.
    fn to_be_bytes(&self, _radix: u32, b: usize) -> BeBytes {
        assert!(b <= 8, "a half of {} symbols fits 8 bytes", self.count);
        BeBytes { bytes: self.value.to_be_bytes(), len: b }
    }

    fn add_mod_exp(self, other: impl Iterator<Item = u8>, _radix: u32, m: usize) -> Self {
        Self::of(self.value.wrapping_add(Self::low_bits(other)), m)
    }

    fn sub_mod_exp(self, other: impl Iterator<Item = u8>, _radix: u32, m: usize) -> Self {
        Self::of(self.value.wrapping_sub(Self::low_bits(other)), m)
    }
}

#[cfg(test)]
mod tests {
    use aes::Aes256;
    use fpe::ff1::{FF1, FlexibleNumeralString};

    use super::*;

    fn general(symbols: Symbols) -> FlexibleNumeralString {
        FlexibleNumeralString::from(symbols.digits().map(u16::from).collect::<Vec<_>>())
    }

    /// Every code matches the one the crate's general string gives, and
    /// deciphers to its number: the same permutation, so codes already
    /// handed out keep their meaning.
    #[test]
    fn ciphers_as_the_crates_general_numeral_string_does() {
        for key in [[7; 32], [0xA5; 32]] {
            let ff1 = FF1::<Aes256>::new(&key, RADIX).unwrap();
            let numbers = (0..3_000).chain([1 << 20, (1 << 40) - 2, (1 << 40) - 1]).chain((1..4_000).map(|n| n * 274_876_523));
            for number in numbers {
                let plain = Symbols { value: number % (1 << 40), count: 8 };
                let fast = ff1.encrypt(&[], &plain).unwrap();
                let slow: Vec<u16> = ff1.encrypt(&[], &general(plain)).unwrap().into();
                assert_eq!(fast.digits().map(u16::from).collect::<Vec<_>>(), slow, "number {number}");
                assert_eq!(ff1.decrypt(&[], &fast).unwrap(), plain, "number {number}");
            }
        }
    }

    #[test]
    fn odd_lengths_split_as_ff1_says() {
        let symbols = Symbols { value: 0b00001_00010_00011, count: 3 };
        let (front, back) = symbols.split();
        assert_eq!(front, Symbols { value: 1, count: 1 });
        assert_eq!(back, Symbols { value: 0b00010_00011, count: 2 });
        assert_eq!(Symbols::concat(front, back), symbols);
        assert_eq!(symbols.digits().collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn other_radixes_and_stray_bits_are_refused() {
        let symbols = Symbols { value: 1 << 40, count: 8 };
        assert!(!symbols.is_valid(RADIX), "a ninth symbol's bit");
        assert!(!Symbols { value: 5, count: 8 }.is_valid(10));
        let ff1 = FF1::<Aes256>::new(&[7; 32], 10).unwrap();
        assert!(ff1.encrypt(&[], &Symbols { value: 5, count: 8 }).is_err());
    }
}
