//! Host tests of reading a response body under a size limit (`src/body_text.rs`).
#![cfg(not(target_arch = "wasm32"))]

use bottleneck_survey::body_text::{BodyText, TooLarge};

fn read(pieces: &[&[u8]], limit: usize) -> Result<String, TooLarge> {
    let mut body = BodyText::new(limit);
    for piece in pieces {
        body.push(piece)?;
    }
    Ok(body.finish())
}

#[test]
fn pieces_are_joined_even_when_a_character_is_split_between_them() {
    let text = "堵点".as_bytes();
    assert_eq!(read(&[&text[..2], &text[2..4], &text[4..]], 100), Ok("堵点".to_owned()));
}

#[test]
fn a_body_exactly_at_the_limit_is_taken_and_one_byte_more_is_refused() {
    assert_eq!(read(&[b"1234", b"5678"], 8), Ok("12345678".to_owned()));
    assert_eq!(read(&[b"1234", b"5678", b"9"], 8), Err(TooLarge));
    assert_eq!(read(&[b"123456789"], 8), Err(TooLarge));
}

#[test]
fn an_empty_body_is_empty_text() {
    assert_eq!(read(&[], 8), Ok(String::new()));
}

#[test]
fn a_leading_byte_order_mark_is_dropped_as_fetch_does() {
    assert_eq!(read(&[b"\xEF\xBB\xBF{\"a\":1}"], 100), Ok("{\"a\":1}".to_owned()));
    assert_eq!(read(&[b"\xEF\xBB", b"\xBF[]"], 100), Ok("[]".to_owned()));
    // Only at the start: one in the middle is text.
    assert_eq!(read(&[b"a\xEF\xBB\xBFb"], 100), Ok("a\u{feff}b".to_owned()));
}

#[test]
fn bytes_that_are_not_utf8_become_replacement_characters() {
    assert_eq!(read(&[b"ok \xFF here"], 100), Ok("ok \u{fffd} here".to_owned()));
}
