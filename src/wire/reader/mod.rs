//! The browser module's reader: JSON text (what `JSON.stringify` makes of
//! the caller's object) into engine types, with the errors serde_json gives
//! natively (same messages, same paths).
//!
//! Why not serde here: serde's derived visitors, instantiated for a
//! deserializer, were over a third of the WebAssembly module, and walking a
//! JS object property by property cost a JS call per value. `JSON.stringify`
//! is one native call; this reader walks its text with small non-generic
//! steps, and each type's reading ([`contract`]) is a list of its fields.
//! Field and variant names still come from serde's derives ([`names`]), so
//! they cannot drift, and the tests compare this reader with serde_json on
//! the golden fixtures, on faults at every place and on fuzzed text.
//!
//! Floats are turned into `f64` by a parser the caller passes
//! ([`Reader::new`]): `parseFloat` in the browser, so the module carries no
//! float parsing tables.

pub mod contract;
mod names;

use std::borrow::Cow;

use crate::error::{Error, ErrorCode};
use crate::wire::number::push_decimal;

pub use names::{struct_name_and_fields, variant_names};

/// Reads `text` as a `T`; a failure is an engine error of `code`.
pub fn read_text<T: FromText>(text: &str, code: ErrorCode, parse_float: fn(&str) -> f64) -> Result<T, Error> {
    let mut reader = Reader::new(text, parse_float);
    T::read(&mut reader).map_err(|fault| Error { code, path: fault.path(), message: fault.message })
}

/// A type the reader can read.
pub trait FromText: Sized {
    /// Reads one value of this type at the reader's position.
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault>;
}

/// What went wrong and where: the path is collected innermost first while
/// the fault travels up.
#[derive(Debug)]
pub struct Fault {
    message: String,
    reversed_path: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Field(&'static str),
    Key(String),
    Index(usize),
}

impl Fault {
    fn new(message: String) -> Self {
        Fault { message, reversed_path: Vec::new() }
    }

    fn within(mut self, segment: Segment) -> Self {
        self.reversed_path.push(segment);
        self
    }

    /// serde's words for a required field that is absent.
    pub fn missing_field(field: &str) -> Self {
        Fault::new(quoted("missing field ", field, ""))
    }

    /// The message, as serde_json words it.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where, e.g. `plan.blocks[0].exercises[2].sets`; `None` at the top.
    pub fn path(&self) -> Option<String> {
        let mut out = String::new();
        for segment in self.reversed_path.iter().rev() {
            match segment {
                Segment::Field(key) => push_key(&mut out, key),
                Segment::Key(key) => push_key(&mut out, key),
                Segment::Index(index) => {
                    out.push('[');
                    push_decimal(&mut out, *index as u64);
                    out.push(']');
                }
            }
        }
        // As natively: a path of empty keys only is no path.
        (!out.is_empty()).then_some(out)
    }
}

fn push_key(out: &mut String, key: &str) {
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(key);
}

/// `` prefix`name`suffix ``.
fn quoted(prefix: &str, name: &str, suffix: &str) -> String {
    let mut out = String::from(prefix);
    out.push('`');
    out.push_str(name);
    out.push('`');
    out.push_str(suffix);
    out
}

/// serde's list of what was expected: `` `a` ``, `` `a` or `b` ``, or
/// `` one of `a`, `b`, `c` ``.
fn one_of(out: &mut String, names: &[&str]) {
    if names.len() > 2 {
        out.push_str("one of ");
    }
    for (n, name) in names.iter().enumerate() {
        if n > 0 {
            out.push_str(if names.len() == 2 { " or " } else { ", " });
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
}

/// serde's words for a name not in `names` (`what` is "field" or "variant").
fn unknown(what: &str, name: &str, names: &[&str]) -> Fault {
    let mut message = String::from("unknown ");
    message.push_str(what);
    message.push_str(" `");
    message.push_str(name);
    message.push_str("`, ");
    if names.is_empty() {
        message.push_str("there are no ");
        message.push_str(what);
        message.push('s');
    } else {
        message.push_str("expected ");
        one_of(&mut message, names);
    }
    Fault::new(message)
}

/// serde's openings of a wrong-kind and of an out-of-range error.
const INVALID_TYPE: &str = "invalid type: ";
const INVALID_VALUE: &str = "invalid value: ";

/// A number as serde_json reads it: whole numbers that fit are integers.
enum Number<'t> {
    Unsigned(u64),
    Signed(i64),
    Float(f64, &'t str),
}

/// A position in a JSON text.
pub struct Reader<'t> {
    text: &'t str,
    at: usize,
    parse_float: fn(&str) -> f64,
}

impl<'t> Reader<'t> {
    /// A reader at the start of `text`; `parse_float` turns a JSON number
    /// with a fraction or exponent into an `f64`.
    pub fn new(text: &'t str, parse_float: fn(&str) -> f64) -> Self {
        Reader { text, at: 0, parse_float }
    }

    /// The next byte that is not whitespace, without taking it.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    /// Takes a literal such as `null` after checking its first byte.
    fn literal(&mut self, word: &str) -> Result<(), Fault> {
        if self.text.as_bytes()[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(())
        } else {
            Err(Fault::new(String::from("expected ident")))
        }
    }

    /// Takes a number token.
    fn number(&mut self) -> Number<'t> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut end = start;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = bytes.get(end) {
            end += 1;
        }
        self.at = end;
        let token = &self.text[start..end];
        let (negative, digits) = match token.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, token),
        };
        if !digits.is_empty() && digits.bytes().all(|d| d.is_ascii_digit()) {
            let value =
                digits.bytes().try_fold(0u64, |value, d| value.checked_mul(10)?.checked_add(u64::from(d - b'0')));
            match value {
                Some(value) if !negative => return Number::Unsigned(value),
                // serde_json: a negative whole number that fits i64 (other
                // than -0) is an integer; anything else is read as a float.
                Some(value) if value != 0 && value <= i64::MIN.unsigned_abs() => {
                    return Number::Signed((value as i64).wrapping_neg())
                }
                _ => {}
            }
        }
        Number::Float((self.parse_float)(token), token)
    }

    /// Takes a string token (after checking the opening quote), borrowed
    /// from the text unless it holds escapes.
    fn string_token(&mut self) -> Result<Cow<'t, str>, Fault> {
        let text = self.text;
        let bytes = text.as_bytes();
        self.at += 1;
        let start = self.at;
        let mut out = String::new();
        let mut run_start = start;
        loop {
            while let Some(&byte) = bytes.get(self.at) {
                if byte == b'"' || byte == b'\\' {
                    break;
                }
                self.at += 1;
            }
            match bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    if run_start == start {
                        return Ok(Cow::Borrowed(&text[start..self.at - 1]));
                    }
                    out.push_str(&text[run_start..self.at - 1]);
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    out.push_str(&text[run_start..self.at]);
                    let escaped = bytes.get(self.at + 1).copied();
                    self.at += 2;
                    let plain = match escaped {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(Fault::new(String::from("invalid escape"))),
                    };
                    out.push(plain);
                    run_start = self.at;
                }
                _ => return Err(Fault::new(String::from("EOF while parsing a string"))),
            }
        }
    }

    /// The character of a `\uXXXX` escape (a surrogate pair takes two).
    fn unicode_escape(&mut self) -> Result<char, Fault> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text.as_bytes()[self.at..].starts_with(b"\\u") {
                    return Err(Fault::new(String::from("unexpected end of hex escape")));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Fault::new(String::from("lone leading surrogate in hex escape")));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(Fault::new(String::from("lone leading surrogate in hex escape"))),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| Fault::new(String::from("invalid unicode code point")))
    }

    fn hex4(&mut self) -> Result<u32, Fault> {
        let digits = self.text.get(self.at..self.at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
        self.at += 4;
        digits.ok_or_else(|| Fault::new(String::from("invalid escape")))
    }

    /// The error for a value of the wrong kind, in serde_json's words
    /// (`invalid type: string "x", expected u32`).
    fn invalid_type(&mut self, expected: &str) -> Fault {
        let mut message = String::from(INVALID_TYPE);
        match self.peek() {
            Some(b'n') => message.push_str("null"),
            Some(b't') => message.push_str("boolean `true`"),
            Some(b'f') => message.push_str("boolean `false`"),
            Some(b'"') => match self.string_token() {
                Ok(text) => {
                    message.push_str("string ");
                    message.push_str(&debug_quoted(&text));
                }
                Err(fault) => return fault,
            },
            Some(b'[') => message.push_str("sequence"),
            Some(b'{') => message.push_str("map"),
            Some(b'-' | b'0'..=b'9') => {
                let number = self.number();
                return Self::number_mismatch(INVALID_TYPE, &number, expected);
            }
            _ => return Fault::new(String::from("expected value")),
        }
        message.push_str(", expected ");
        message.push_str(expected);
        Fault::new(message)
    }

    /// The error for a number of the wrong kind (`invalid type: floating
    /// point `2.5`, expected u32`, with [`INVALID_TYPE`]) or out of range
    /// (`invalid value: integer `-1`, expected u32`, with [`INVALID_VALUE`]).
    fn number_mismatch(what: &str, number: &Number<'_>, expected: &str) -> Fault {
        let mut message = String::from(what);
        push_number(&mut message, number);
        message.push_str(", expected ");
        message.push_str(expected);
        Fault::new(message)
    }

    /// Takes `null` if it is next.
    pub fn null(&mut self) -> Result<bool, Fault> {
        if self.peek() == Some(b'n') {
            self.literal("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A string.
    pub fn string(&mut self) -> Result<String, Fault> {
        match self.peek() {
            Some(b'"') => self.string_token().map(Cow::into_owned),
            _ => Err(self.invalid_type("a string")),
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self) -> Result<bool, Fault> {
        match self.peek() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.invalid_type("a boolean")),
        }
    }

    fn a_number(&mut self, expected: &str) -> Result<Number<'t>, Fault> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => Ok(self.number()),
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// A whole number that fits an `i64`.
    pub fn i64(&mut self) -> Result<i64, Fault> {
        match self.a_number("i64")? {
            Number::Unsigned(n) => {
                i64::try_from(n).map_err(|_| Self::number_mismatch(INVALID_VALUE, &Number::Unsigned(n), "i64"))
            }
            Number::Signed(n) => Ok(n),
            float => Err(Self::number_mismatch(INVALID_TYPE, &float, "i64")),
        }
    }

    /// A whole number that fits a `u32`.
    pub fn u32(&mut self) -> Result<u32, Fault> {
        match self.a_number("u32")? {
            Number::Unsigned(n) => {
                u32::try_from(n).map_err(|_| Self::number_mismatch(INVALID_VALUE, &Number::Unsigned(n), "u32"))
            }
            Number::Signed(n) => Err(Self::number_mismatch(INVALID_VALUE, &Number::Signed(n), "u32")),
            float => Err(Self::number_mismatch(INVALID_TYPE, &float, "u32")),
        }
    }

    /// Any number.
    pub fn f64(&mut self) -> Result<f64, Fault> {
        Ok(match self.a_number("f64")? {
            Number::Unsigned(n) => n as f64,
            Number::Signed(n) => n as f64,
            Number::Float(n, _) => n,
        })
    }

    /// An array, each element read by `element` with its index.
    pub fn elements(&mut self, element: &mut dyn FnMut(&mut Self) -> Result<(), Fault>) -> Result<(), Fault> {
        if self.peek() != Some(b'[') {
            return Err(self.invalid_type("a sequence"));
        }
        self.at += 1;
        let mut index = 0;
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            element(self).map_err(|fault| fault.within(Segment::Index(index)))?;
            index += 1;
            if self.eat(b']') {
                return Ok(());
            }
            if !self.eat(b',') {
                return Err(Fault::new(String::from("expected `,` or `]`")));
            }
        }
    }

    /// A struct's object: `field` reads the value of each field present,
    /// given its index in `fields`. A name not in `fields` is an unknown
    /// field (every contract type rejects them); `name` names the struct
    /// in the wrong-kind error (`expected struct Plan`).
    pub fn fields(
        &mut self,
        name: &str,
        fields: &'static [&'static str],
        field: &mut dyn FnMut(&mut Self, usize) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        if self.peek() != Some(b'{') {
            let mut expected = String::from("struct ");
            expected.push_str(name);
            return Err(self.invalid_type(&expected));
        }
        self.at += 1;
        let mut seen = 0u64;
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(Fault::new(String::from("key must be a string")));
            }
            let key = self.string_token()?;
            let Some(index) = fields.iter().position(|name| *name == key) else {
                return Err(unknown("field", &key, fields).within(Segment::Key(key.into_owned())));
            };
            let name = fields[index];
            if seen & (1 << index) != 0 {
                return Err(Fault::new(quoted("duplicate field ", name, "")).within(Segment::Field(name)));
            }
            seen |= 1 << index;
            if !self.eat(b':') {
                return Err(Fault::new(String::from("expected `:`")).within(Segment::Field(name)));
            }
            field(self, index).map_err(|fault| fault.within(Segment::Field(name)))?;
            if self.eat(b'}') {
                return Ok(());
            }
            if !self.eat(b',') {
                return Err(Fault::new(String::from("expected `,` or `}`")));
            }
        }
    }

    /// A unit variant of an enum with these wire names: its index. Like
    /// serde_json it is a string, or an object `{"name": null}`.
    pub fn variant(&mut self, names: &'static [&'static str]) -> Result<usize, Fault> {
        let find = |name: &str| names.iter().position(|known| *known == name);
        match self.peek() {
            Some(b'"') => {
                let name = self.string_token()?;
                find(&name).ok_or_else(|| unknown("variant", &name, names))
            }
            Some(b'{') => {
                self.at += 1;
                if self.peek() != Some(b'"') {
                    return Err(Fault::new(String::from("expected value")));
                }
                let name = self.string_token()?;
                let Some(index) = find(&name) else {
                    return Err(unknown("variant", &name, names).within(Segment::Key(name.into_owned())));
                };
                let payload = if self.eat(b':') {
                    match self.null() {
                        Ok(true) => Ok(()),
                        Ok(false) => Err(self.invalid_type("unit")),
                        Err(fault) => Err(fault),
                    }
                } else {
                    Err(Fault::new(String::from("expected `:`")))
                };
                payload.map_err(|fault| fault.within(Segment::Key(name.clone().into_owned())))?;
                if self.eat(b'}') {
                    Ok(index)
                } else {
                    Err(Fault::new(String::from("expected value")).within(Segment::Key(name.into_owned())))
                }
            }
            _ => Err(Fault::new(String::from("expected value"))),
        }
    }

    /// Steps over one value of any kind (a field that is not read).
    pub fn skip(&mut self) -> Result<(), Fault> {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                Some(b'{' | b'[') => {
                    self.at += 1;
                    depth += 1;
                }
                Some(b'}' | b']') if depth > 0 => {
                    self.at += 1;
                    depth -= 1;
                }
                Some(b',' | b':') if depth > 0 => {
                    self.at += 1;
                    continue;
                }
                Some(b'"') => {
                    self.string_token()?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.number();
                }
                Some(b't') => self.literal("true")?,
                Some(b'f') => self.literal("false")?,
                Some(b'n') => self.literal("null")?,
                _ => return Err(Fault::new(String::from("expected value"))),
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }
}

/// `string "..."` as serde words it: Rust's `Debug` quoting.
fn debug_quoted(text: &str) -> String {
    let mut out = String::new();
    use std::fmt::Write;
    let _ = write!(out, "{text:?}");
    out
}

/// `integer `5`` or `floating point `2.5`` as serde_json words a number.
fn push_number(out: &mut String, number: &Number<'_>) {
    match number {
        Number::Unsigned(n) => {
            out.push_str("integer `");
            push_decimal(out, *n);
        }
        Number::Signed(n) => {
            out.push_str("integer `");
            if *n < 0 {
                out.push('-');
            }
            push_decimal(out, n.unsigned_abs());
        }
        Number::Float(value, token) => {
            out.push_str("floating point `");
            push_shortest(out, *value, token);
        }
    }
    out.push('`');
}

/// Writes a float the way serde_json does (zmij's layout: `2.5`, `1e+21`,
/// `1.5e-7`, `100000.0`) from the shortest digits of its JSON token, which
/// `JSON.stringify` always writes.
fn push_shortest(out: &mut String, value: f64, token: &str) {
    if value.is_sign_negative() {
        out.push('-');
    }
    // The token's significant digits, and `point` such that the value is
    // 0.digits × 10^point.
    let mut digits = String::new();
    let (mut point, mut exponent, mut exponent_sign) = (0i32, 0i32, 1);
    let (mut after_point, mut in_exponent) = (false, false);
    for byte in token.bytes() {
        match byte {
            b'.' => after_point = true,
            b'e' | b'E' => in_exponent = true,
            b'-' if in_exponent => exponent_sign = -1,
            b'0'..=b'9' if in_exponent => exponent = exponent.saturating_mul(10).saturating_add(i32::from(byte - b'0')),
            b'0' if digits.is_empty() => point = point.saturating_sub(i32::from(after_point)),
            b'0'..=b'9' => {
                digits.push(char::from(byte));
                point = point.saturating_add(i32::from(!after_point));
            }
            _ => {}
        }
    }
    let point = point.saturating_add(exponent.saturating_mul(exponent_sign));
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        out.push_str("0.0");
        return;
    }
    let length = digits.len() as i32;
    // The power of ten of the first digit decides the layout.
    let power = point.saturating_sub(1);
    if (-5..=15).contains(&power) {
        if length <= point {
            out.push_str(digits);
            (0..point - length).for_each(|_| out.push('0'));
            out.push_str(".0");
        } else if point > 0 {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        } else {
            out.push_str("0.");
            (0..-point).for_each(|_| out.push('0'));
            out.push_str(digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if length > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(if power < 0 { "e-" } else { "e+" });
        push_decimal(out, u64::from(power.unsigned_abs()));
    }
}
