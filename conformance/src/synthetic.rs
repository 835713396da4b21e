//! Made-up values the checker sends: vote ids, and a person for the
//! real-name path. The ID number is well-formed (it passes the protocol
//! crate's own check, so a server must take it) and random, so a second run
//! against the same endpoint is a new person and not a second vote.

use survey_protocol::identity::{check_id_number, normalize_phone};
use survey_protocol::vote_check::is_uuid_v4;

/// The name the synthetic person gives: "test" in Chinese, two characters as
/// on an ID card.
pub const NAME: &str = "测试";

/// Random bytes from the operating system; a machine without them cannot
/// run the checker at all.
fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).expect("the operating system gave no random bytes");
    bytes
}

/// A number below `n`, near enough uniform for made-up values.
fn below(n: u32) -> u32 {
    u32::from_le_bytes(random()) % n
}

/// A random UUID v4, as the widget mints one per vote.
pub fn uuid_v4() -> String {
    let mut b: [u8; 16] = random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
    let id = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
    debug_assert!(is_uuid_v4(&id));
    id
}

/// A random mainland mobile number: `1`, 3–9, nine digits.
pub fn phone() -> String {
    let digits: String = (0..9).map(|_| char::from(b'0' + below(10) as u8)).collect();
    let phone = format!("1{}{digits}", 3 + below(7));
    debug_assert!(normalize_phone(&phone).is_some());
    phone
}

/// A random resident ID number of Beijing's Chaoyang district (110105), born
/// 1950–1999, whose check character is whichever one the protocol crate's
/// own check accepts.
pub fn id_number() -> String {
    let body = format!("110105{}{:02}{:02}{:03}", 1950 + below(50), 1 + below(12), 1 + below(28), below(1000));
    "0123456789X"
        .chars()
        .map(|check| format!("{body}{check}"))
        .find(|id| check_id_number(id, (9999, 12, 31)).is_ok())
        .expect("one check character fits every 17 digits")
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey_protocol::identity::is_plausible_name;

    #[test]
    fn made_up_values_pass_the_protocols_own_checks() {
        for _ in 0..200 {
            assert!(is_uuid_v4(&uuid_v4()));
            assert!(normalize_phone(&phone()).is_some());
            assert_eq!(check_id_number(&id_number(), (2018, 7, 6)), Ok(()));
        }
        assert!(is_plausible_name(NAME));
    }

    #[test]
    fn two_made_up_people_differ() {
        assert_ne!(id_number(), id_number());
        assert_ne!(uuid_v4(), uuid_v4());
    }
}
