//! One logged set from the fields both apps write: reps, seconds, weight,
//! distance, and the numbers in them.
//!
//! Rules:
//! - an empty field is absent; numbers may be written `10`, `10.0` or with a
//!   decimal comma (`232,5`); anything else, or `inf`/`NaN`, is refused;
//! - reps are whole (`10.0` is 10) and a zero is kept: the log said so;
//! - seconds are rounded to the second; 0 seconds beside reps is Strong's
//!   way of writing "not timed", so it is absent;
//! - a row with a distance or seconds and no reps (or Strong's 0 reps) is a
//!   timed set: a cardio row, a plank, a carry;
//! - weight is kept as written, in the export's unit (0 for body weight);
//! - distance only tells a cardio row: it is not kept.

use crate::history::{LoggedSet, SetKind};

/// A number, or `None` for an empty field.
pub(super) fn number(text: &str, what: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let refuse = || format!("its {what} `{text}` is not a number");
    // Only digits, one sign, one decimal mark and an exponent: Rust would
    // also read `inf` and `NaN`.
    if !text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+' | b'e' | b'E')) {
        return Err(refuse());
    }
    let decimal_comma = text.contains(',') && !text.contains('.') && text.matches(',').count() == 1;
    let value: f64 = if decimal_comma { text.replace(',', ".").parse() } else { text.parse() }.map_err(|_| refuse())?;
    if value.is_finite() {
        Ok(Some(value))
    } else {
        Err(refuse())
    }
}

/// A whole, non-negative count (`10` or `10.0`).
pub(super) fn count(text: &str, what: &str) -> Result<Option<u32>, String> {
    let Some(value) = number(text, what)? else { return Ok(None) };
    if value < 0.0 || value.fract() != 0.0 || value > f64::from(u32::MAX) {
        return Err(format!("its {what} `{}` is not a whole number of zero or more", text.trim()));
    }
    Ok(Some(value as u32))
}

/// Non-negative seconds, rounded to the second.
pub(super) fn seconds(text: &str, what: &str) -> Result<Option<u32>, String> {
    let Some(value) = number(text, what)? else { return Ok(None) };
    let rounded = value.round();
    if rounded < 0.0 || rounded > f64::from(u32::MAX) {
        return Err(format!("its {what} `{}` is not a number of seconds", text.trim()));
    }
    Ok(Some(rounded as u32))
}

/// The fields of one set row, as text.
pub(super) struct SetFields<'r> {
    pub(super) reps: &'r str,
    pub(super) seconds: &'r str,
    pub(super) weight: &'r str,
    pub(super) distance: &'r str,
}

/// The set a row logs.
pub(super) fn set(kind: SetKind, fields: &SetFields<'_>) -> Result<LoggedSet, String> {
    let reps = count(fields.reps, "reps")?;
    let seconds = seconds(fields.seconds, "seconds")?;
    let weight = number(fields.weight, "weight")?;
    let distance = number(fields.distance, "distance")?;
    let moved = seconds.is_some_and(|s| s > 0) || distance.is_some_and(|d| d > 0.0);
    let (reps, seconds) = match reps {
        // A timed set: Strong writes 0 reps on it, Hevy nothing.
        None | Some(0) if moved => (None, seconds.filter(|&s| s > 0)),
        Some(reps) => (Some(reps), seconds.filter(|&s| s > 0)),
        None => (None, seconds),
    };
    Ok(LoggedSet { kind, reps, seconds, weight })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(reps: &str, seconds: &str, weight: &str, distance: &str) -> Result<LoggedSet, String> {
        set(SetKind::Normal, &SetFields { reps, seconds, weight, distance })
    }

    fn logged(reps: Option<u32>, seconds: Option<u32>, weight: Option<f64>) -> LoggedSet {
        LoggedSet { kind: SetKind::Normal, reps, seconds, weight }
    }

    #[test]
    fn numbers() {
        assert_eq!(number("", "weight"), Ok(None));
        assert_eq!(number(" 61.23492 ", "weight"), Ok(Some(61.23492)));
        assert_eq!(number("232,5", "weight"), Ok(Some(232.5)));
        assert_eq!(number("-10", "weight"), Ok(Some(-10.0)));
        for junk in ["inf", "NaN", "1e999", "1,000.5", "1,2,3", "ten", "1 0", "0x10"] {
            assert!(number(junk, "weight").is_err(), "{junk}");
        }
        assert_eq!(count("10.0", "reps"), Ok(Some(10)));
        assert_eq!(count("0", "reps"), Ok(Some(0)));
        for junk in ["10.5", "-1", "1e10"] {
            assert!(count(junk, "reps").unwrap_err().contains("whole number"), "{junk}");
        }
        assert_eq!(seconds("59.6", "seconds"), Ok(Some(60)));
        assert!(seconds("-3", "seconds").is_err());
    }

    #[test]
    fn reps_sets_drop_strongs_zero_seconds() {
        assert_eq!(read("10", "0", "40.0", "0"), Ok(logged(Some(10), None, Some(40.0))));
        assert_eq!(read("10.0", "0.0", "", ""), Ok(logged(Some(10), None, None)));
        assert_eq!(read("8", "30", "20", ""), Ok(logged(Some(8), Some(30), Some(20.0))), "reps and seconds both kept");
    }

    #[test]
    fn zero_rep_sets_are_kept() {
        assert_eq!(read("0", "0", "100", "0"), Ok(logged(Some(0), None, Some(100.0))));
    }

    #[test]
    fn cardio_and_holds_are_timed_sets() {
        assert_eq!(read("0", "1800", "0", "5"), Ok(logged(None, Some(1800), Some(0.0))), "Strong cardio");
        assert_eq!(read("", "60", "", ""), Ok(logged(None, Some(60), None)), "a plank");
        assert_eq!(read("", "", "225", "0.01"), Ok(logged(None, None, Some(225.0))), "a carry over a distance");
        assert_eq!(read("", "0", "", ""), Ok(logged(None, Some(0), None)), "as the log says");
    }

    #[test]
    fn a_bad_number_names_its_field() {
        assert_eq!(read("ten", "", "", ""), Err("its reps `ten` is not a number".to_owned()));
        assert_eq!(read("5", "", "heavy", ""), Err("its weight `heavy` is not a number".to_owned()));
    }
}
