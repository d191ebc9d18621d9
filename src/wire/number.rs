//! Numbers as text, written the same way in the browser and natively.
//!
//! On the wire, as JavaScript writes them: a whole number prints without a
//! fraction (`3`, not `3.0`). serde_json and `JSON.stringify` then produce
//! the same bytes for every engine output, so the server twin can answer
//! byte-for-byte what the browser computes.
//!
//! In messages and paths, without `core::fmt` ([`push_decimal`],
//! [`push_tenths`]), which would be a large part of a small WebAssembly
//! module.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Serializes an `f64`, whole numbers as integers.
pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// Serializes an optional `f64` (skipped when absent by the field's own
/// `skip_serializing_if`), whole numbers as integers.
pub fn serialize_option<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serialize(value, serializer),
        None => serializer.serialize_none(),
    }
}

struct Number(f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, serializer)
    }
}

/// Serializes a map of `f64` values, whole numbers as integers.
pub fn serialize_map<K: Serialize, S: Serializer>(map: &BTreeMap<K, f64>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut out = serializer.serialize_map(Some(map.len()))?;
    for (key, value) in map {
        out.serialize_entry(key, &Number(*value))?;
    }
    out.end()
}

/// Appends `n` in decimal without going through `core::fmt`.
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits[..len].iter().rev() {
        out.push(d as char);
    }
}

/// Appends `tenths / 10` with one decimal, e.g. 175 → `17.5`.
pub fn push_tenths(out: &mut String, tenths: u64) {
    push_decimal(out, tenths / 10);
    out.push('.');
    push_decimal(out, tenths % 10);
}

#[cfg(test)]
mod tests {
    #[test]
    fn whole_numbers_lose_their_fraction_and_others_keep_it() {
        #[derive(serde::Serialize)]
        struct Row(#[serde(serialize_with = "super::serialize")] f64);
        assert_eq!(serde_json::to_string(&Row(3.0)).unwrap(), "3");
        assert_eq!(serde_json::to_string(&Row(-0.0)).unwrap(), "0");
        assert_eq!(serde_json::to_string(&Row(0.571)).unwrap(), "0.571");
        assert_eq!(serde_json::to_string(&Row(62.5)).unwrap(), "62.5");
    }

    #[test]
    fn decimals_and_tenths_are_written_without_fmt() {
        let mut out = String::new();
        super::push_decimal(&mut out, 0);
        out.push(' ');
        super::push_decimal(&mut out, u64::MAX);
        out.push(' ');
        super::push_tenths(&mut out, 175);
        out.push(' ');
        super::push_tenths(&mut out, 3);
        assert_eq!(out, "0 18446744073709551615 17.5 0.3");
    }
}
