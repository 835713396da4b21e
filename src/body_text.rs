//! A response body, read piece by piece, turned into text the way `fetch`'s
//! `text()` would (UTF-8, a leading byte order mark dropped, bytes that are
//! not UTF-8 shown as U+FFFD) but never past a size limit: a hostile or
//! broken endpoint may send megabytes without a `Content-Length`, and a
//! phone must stop taking them in at the limit, not after the last byte.

/// The body was longer than the limit; what came so far is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge;

/// The pieces of one body received so far.
#[derive(Debug)]
pub struct BodyText {
    bytes: Vec<u8>,
    limit: usize,
}

impl BodyText {
    /// An empty body that will take at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self { bytes: Vec::new(), limit }
    }

    /// Adds the next piece, or says the body has gone past the limit (the
    /// caller then stops reading).
    pub fn push(&mut self, piece: &[u8]) -> Result<(), TooLarge> {
        if piece.len() > self.limit - self.bytes.len() {
            self.bytes = Vec::new();
            return Err(TooLarge);
        }
        self.bytes.extend_from_slice(piece);
        Ok(())
    }

    /// The whole body as text.
    pub fn finish(self) -> String {
        let bytes = self.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&self.bytes);
        String::from_utf8_lossy(bytes).into_owned()
    }
}
