//! Checks of a citizen's name, resident ID number and mobile number, made in
//! the page before anything is sent and again by the endpoint. Nothing here
//! keeps or prints what it checks.

use crate::time::is_valid_date;

/// What is wrong with a resident ID number, in the order it is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 18 characters.
    Length,
    /// Not 17 digits followed by a digit or `X`.
    Characters,
    /// The first two digits name no province.
    Region,
    /// Characters 7–14 are not a real date, or the date is in the future.
    BirthDate,
    /// The last character does not match the other 17 (GB 11643-1999).
    Checksum,
}

/// Provincial-level codes that issue resident ID numbers: the 31 of the
/// mainland, and 81/82/83 used on residence permits of Hong Kong, Macao and
/// Taiwan residents.
const ISSUING_PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
    61, 62, 63, 64, 65, 81, 82, 83,
];

/// ISO 7064 MOD 11-2 weights of the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder 0–10.
const CHECK_CHARACTERS: &[u8; 11] = b"10X98765432";

/// Checks an 18-character resident ID number (`x` is accepted for `X`);
/// `today` is (year, month, day), for the birth date.
pub fn check_id_number(id: &str, today: (i64, u32, u32)) -> Result<(), IdNumberError> {
    let id = id.trim().as_bytes();
    if id.len() != 18 {
        return Err(IdNumberError::Length);
    }
    let (body, check) = id.split_at(17);
    let check = check[0].to_ascii_uppercase();
    if !body.iter().all(u8::is_ascii_digit) || !(check.is_ascii_digit() || check == b'X') {
        return Err(IdNumberError::Characters);
    }
    let digit = |i: usize| u32::from(body[i] - b'0');
    let number = |range: std::ops::Range<usize>| range.fold(0, |n, i| n * 10 + digit(i));
    let province = (digit(0) * 10 + digit(1)) as u8;
    if !ISSUING_PROVINCES.contains(&province) {
        return Err(IdNumberError::Region);
    }
    let (year, month, day) = (i64::from(number(6..10)), number(10..12), number(12..14));
    if year < 1800 || !is_valid_date(year, month, day) || (year, month, day) > today {
        return Err(IdNumberError::BirthDate);
    }
    let sum: u32 = WEIGHTS.iter().enumerate().map(|(i, w)| w * digit(i)).sum();
    if CHECK_CHARACTERS[(sum % 11) as usize] != check {
        return Err(IdNumberError::Checksum);
    }
    Ok(())
}

/// A mainland mobile number, `1[3-9]` and nine more digits, as 11 digits:
/// spaces, hyphens and a leading `+86` or `86` are dropped. `None` if it is
/// not one.
pub fn normalize_phone(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("86").filter(|d| d.len() == 11)).unwrap_or(&digits);
    let b = digits.as_bytes();
    let ok = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit);
    ok.then(|| digits.to_owned())
}

/// True for a name as written on an ID card: 2–40 characters, letters (any
/// script), spaces and the middle dot of minority and foreign names.
pub fn is_plausible_name(name: &str) -> bool {
    let name = name.trim();
    let count = name.chars().count();
    (2..=40).contains(&count) && name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '·' | '•' | '.'))
}

/// The name as a widget may show it back: the first character, the rest
/// masked, e.g. `张三` → `张*`, `欧阳娜娜` → `欧***`.
pub fn masked_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    first + &"*".repeat(chars.count().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (i64, u32, u32) = (2026, 11, 29);

    #[test]
    fn known_good_id_numbers_pass() {
        for id in ["11010519491231002X", "11010519491231002x", "440524188001010014", " 11010519491231002X "] {
            assert_eq!(check_id_number(id, TODAY), Ok(()), "{id}");
        }
    }

    #[test]
    fn each_kind_of_bad_id_number_is_named() {
        let cases = [
            ("11010519491231002", IdNumberError::Length),
            ("11010519491231002XX", IdNumberError::Length),
            ("1101051949123100Y2", IdNumberError::Characters),
            ("11010519491231002Y", IdNumberError::Characters),
            ("99010519491231002X", IdNumberError::Region),
            ("71010519491231002X", IdNumberError::Region),
            ("110105194902300023", IdNumberError::BirthDate),
            ("110105203001010010", IdNumberError::BirthDate),
            ("110105170001010010", IdNumberError::BirthDate),
            ("110105194912310021", IdNumberError::Checksum),
            ("440524188001010013", IdNumberError::Checksum),
        ];
        for (id, expected) in cases {
            assert_eq!(check_id_number(id, TODAY), Err(expected), "{id}");
        }
    }

    #[test]
    fn a_birth_date_of_today_is_allowed_and_tomorrow_is_not() {
        // 110105 20261129 001 + check; the check characters were computed for these bodies.
        let body_today = "11010520261129001";
        let body_tomorrow = "11010520261130001";
        let with_check = |body: &str| {
            let sum: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
            format!("{body}{}", CHECK_CHARACTERS[(sum % 11) as usize] as char)
        };
        assert_eq!(check_id_number(&with_check(body_today), TODAY), Ok(()));
        assert_eq!(check_id_number(&with_check(body_tomorrow), TODAY), Err(IdNumberError::BirthDate));
    }

    #[test]
    fn mainland_mobile_numbers_are_normalised() {
        for (raw, expected) in [
            ("13800138000", "13800138000"),
            ("+86 138 0013 8000", "13800138000"),
            ("86-138-0013-8000", "13800138000"),
            ("19912345678", "19912345678"),
        ] {
            assert_eq!(normalize_phone(raw).as_deref(), Some(expected), "{raw}");
        }
        for bad in ["12800138000", "1380013800", "138001380001", "+85213800138000", "1380013800a", ""] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_checked_loosely_and_masked_after_the_first_character() {
        assert!(is_plausible_name("张三"));
        assert!(is_plausible_name("阿卜杜拉·买买提"));
        assert!(is_plausible_name("Anna Li"));
        assert!(!is_plausible_name("张"));
        assert!(!is_plausible_name("张3"));
        assert!(!is_plausible_name("<script>"));
        assert_eq!(masked_name("张三"), "张*");
        assert_eq!(masked_name("欧阳娜娜"), "欧***");
    }
}
