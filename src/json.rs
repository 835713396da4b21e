//! A small JSON reader and writer for the widget's wire format.
//!
//! The widget does not use serde_json in the browser: its generic
//! deserialisers and float tables cost about a tenth of the wasm, and the
//! first load has a size budget. This module parses into one plain tree that
//! [`crate::wire`] reads the protocol types from; the host tests check both
//! against serde_json on every example in `docs/examples/`. Numbers are kept
//! as text and read as integers only where the protocol has integers.

use std::fmt;

/// A parsed JSON value. Objects keep their members in document order.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number exactly as written, e.g. `3` or `-1.5e3`.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// The text is not JSON; `at` is the byte offset where reading stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    pub at: usize,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not JSON (at byte {})", self.at)
    }
}

/// Nesting deeper than this is refused: a hostile endpoint must not be able
/// to exhaust the stack. Protocol bodies nest four levels at most.
const MAX_DEPTH: usize = 64;

/// Parses a whole document; anything but whitespace after the value is an error.
pub fn parse(text: &str) -> Result<Json, Malformed> {
    let mut reader = Reader { bytes: text.as_bytes(), text, pos: 0 };
    let value = reader.value(0)?;
    reader.skip_whitespace();
    if reader.pos != reader.bytes.len() {
        return Err(reader.malformed());
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn malformed(&self) -> Malformed {
        Malformed { at: self.pos }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, literal: &str, value: Json) -> Result<Json, Malformed> {
        if self.text[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            Ok(value)
        } else {
            Err(self.malformed())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, Malformed> {
        if depth > MAX_DEPTH {
            return Err(self.malformed());
        }
        self.skip_whitespace();
        match self.bytes.get(self.pos) {
            Some(b'n') => self.expect("null", Json::Null),
            Some(b't') => self.expect("true", Json::Bool(true)),
            Some(b'f') => self.expect("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.malformed()),
        }
    }

    /// After the opening bracket: values separated by commas.
    fn array(&mut self, depth: usize) -> Result<Json, Malformed> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.malformed()),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, Malformed> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.malformed());
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.malformed());
            }
            self.pos += 1;
            members.push((key, self.value(depth + 1)?));
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.malformed()),
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    fn number(&mut self) -> Result<Json, Malformed> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.bytes.get(r.pos).is_some_and(u8::is_ascii_digit) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let leading_zero = self.bytes.get(self.pos) == Some(&b'0');
        if !digits(self) || (leading_zero && self.pos - start > 1 + usize::from(self.bytes[start] == b'-')) {
            return Err(self.malformed());
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.malformed());
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.malformed());
            }
        }
        Ok(Json::Number(self.text[start..self.pos].to_owned()))
    }

    /// After the opening quote: characters up to the closing quote, escapes decoded.
    fn string(&mut self) -> Result<String, Malformed> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.malformed()),
                    };
                    self.pos += 1;
                    out.push(escaped);
                }
                _ => return Err(self.malformed()),
            }
        }
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`; leaves `pos` on the last hex digit.
    fn unicode_escape(&mut self) -> Result<char, Malformed> {
        let high = self.hex4(self.pos + 1)?;
        self.pos += 4;
        let code = if (0xD800..0xDC00).contains(&high) {
            if self.bytes.get(self.pos + 1..self.pos + 3) != Some(b"\\u") {
                return Err(self.malformed());
            }
            let low = self.hex4(self.pos + 3)?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.malformed());
            }
            self.pos += 6;
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.malformed())
    }

    fn hex4(&self, at: usize) -> Result<u32, Malformed> {
        let digits = self.text.get(at..at + 4).ok_or_else(|| self.malformed())?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.malformed());
        }
        u32::from_str_radix(digits, 16).map_err(|_| self.malformed())
    }
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value as a whole non-negative integer, if it is one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }
}

/// Appends `value` as a JSON string literal, quotes included.
pub fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[n >> 4]));
                out.push(char::from(HEX[n & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
