//! Vote ids: UUID v4, minted from 16 random bytes the browser's
//! `crypto.getRandomValues` supplies. The formatting is plain Rust so the
//! version and variant bits are tested on the host.

/// Formats 16 random bytes as a version-4, RFC 4122-variant UUID.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}
