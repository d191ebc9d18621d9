//! Numbers on the wire as JavaScript writes them: a whole number prints
//! without a fraction (`3`, not `3.0`). serde_json and `JSON.stringify` then
//! produce the same bytes for every engine output, so the server twin can
//! answer byte-for-byte what the browser computes.

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
}
