//! GB/T 2260 administrative division codes: the shape of a code, not whether
//! it exists (that needs the region data, which only callers hold).

/// The three levels a batch can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Province,
    City,
    County,
}

/// True for six ASCII digits.
pub fn is_six_digits(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// True for a provincial-level code such as `130000`.
pub fn is_province_code(code: &str) -> bool {
    is_six_digits(code) && code.ends_with("0000") && !code.starts_with("00")
}

/// The `130000` a code such as `130102` belongs to.
pub fn province_of(code: &str) -> Option<String> {
    is_six_digits(code).then(|| format!("{}0000", &code[..2]))
}
