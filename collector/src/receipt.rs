//! Receipt codes such as `7KQM-4ZPA`: short enough to read out over the
//! phone, from an alphabet without 0/O or 1/I so nobody misreads one.

/// 32 symbols, so a random byte maps onto one without bias.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Eight symbols, 40 random bits: collisions are rare, and the caller
/// retries the few that happen.
const LENGTH: usize = 8;

/// A fresh random code, four symbols, a dash, four symbols.
pub fn new_code() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; LENGTH];
    getrandom::fill(&mut bytes)?;
    let mut code = String::with_capacity(LENGTH + 1);
    for (i, byte) in bytes.iter().enumerate() {
        if i == LENGTH / 2 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[usize::from(byte % 32)]));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_two_groups_of_four_unambiguous_symbols() {
        for _ in 0..100 {
            let code = new_code().unwrap();
            let (left, right) = code.split_once('-').unwrap();
            assert_eq!((left.len(), right.len()), (4, 4), "{code}");
            assert!(left.chars().chain(right.chars()).all(|c| ALPHABET.contains(&(c as u8))), "{code}");
            assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
        }
    }

    #[test]
    fn codes_differ_from_one_another() {
        let codes: std::collections::HashSet<String> = (0..1000).map(|_| new_code().unwrap()).collect();
        assert_eq!(codes.len(), 1000);
    }
}
