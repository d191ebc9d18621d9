//! Where in a JSON text an error happened, as a path like
//! `plan.blocks[0].exercises[2].sets`.
//!
//! serde_json reports the line and column where it stopped; scanning the
//! text up to there with a small tokenizer tells which key and index it was
//! in. This gives the same paths serde_path_to_error gives (the tests check
//! it against that crate) without wrapping every `Deserialize`
//! implementation, which was a third of the WebAssembly module's code.

use crate::wire::number::push_decimal;

enum Frame {
    Object { key: Option<String>, expect_key: bool },
    Array { index: usize },
}

/// The byte offset of a 1-based line and column, as serde_json counts them.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.bytes().enumerate().filter(|&(_, b)| b == b'\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + column).min(text.len())
}

/// The path of the value being read when a reader stopped at `offset`;
/// `None` at the top level.
pub fn path_at(text: &str, offset: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let mut end = offset.min(bytes.len());
    // An enum given an array stops just inside its `[`: the array is the
    // offending value, not its first element. (A container element that is
    // wrong is reported before its own bracket is read, so when one follows
    // the `[` belongs to the parent array.)
    let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
    if end > 0 && bytes[end - 1] == b'[' && !matches!(next, Some(b'[' | b'{')) {
        end -= 1;
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, expect_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { key, expect_key }) => {
                    *key = None;
                    *expect_key = true;
                }
                None => {}
            },
            b'"' => {
                let (string, next) = read_string(bytes, i + 1);
                if let Some(Frame::Object { key, expect_key: expect @ true }) = stack.last_mut() {
                    *key = Some(string);
                    *expect = false;
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => {
                path.push('[');
                push_decimal(&mut path, *index as u64);
                path.push(']');
            }
        }
    }
    (!path.is_empty()).then_some(path)
}

/// Reads a string body starting after its opening quote; returns the text
/// (common escapes decoded) and the index after the closing quote.
fn read_string(bytes: &[u8], mut i: usize) -> (String, usize) {
    let mut out = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return (String::from_utf8_lossy(&out).into_owned(), i + 1),
            b'\\' if i + 1 < bytes.len() => {
                let escaped = bytes[i + 1];
                i += 2;
                match escaped {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'u' => {
                        let code = bytes.get(i..i + 4).and_then(|h| std::str::from_utf8(h).ok());
                        let decoded = code.and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32);
                        let mut buffer = [0u8; 4];
                        out.extend_from_slice(decoded.unwrap_or('\u{fffd}').encode_utf8(&mut buffer).as_bytes());
                        i += 4;
                    }
                    other => out.push(other),
                }
                continue;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    (String::from_utf8_lossy(&out).into_owned(), bytes.len())
}
