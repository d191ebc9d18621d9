//! A row of a Strong export (classic, semicolon or 2025, any language).
//!
//! Rules:
//! - the session is `Date` + `Workout Name`; its minutes are the `Duration`
//!   text (`1h 5m`) or `Duration (sec)`, written again on every row;
//! - `Set Order` is the set's number (a normal set), `W` a warm-up, `D` a
//!   drop set, `F` a set to failure (alone or with a number, `W1`), or
//!   `Rest Timer` / `Ruhezeit`: no set, but the rest timer the lifter had
//!   set for the exercise, in `Seconds`.

use csv::StringRecord;

use super::datetime::Civil;
use super::format::{Column, Columns};
use super::set::{self, SetFields};
use super::{duration_text, Entry, Row};
use crate::history::SetKind;

/// The `Set Order` of rest-timer rows, lower-case, by language.
const REST_TIMER: &[&str] = &["rest timer", "ruhezeit"];

/// What a `Set Order` says.
#[derive(Debug, PartialEq)]
enum Order {
    Set(SetKind),
    RestTimer,
}

fn order(text: &str) -> Result<Order, String> {
    let text = text.trim();
    if text.is_empty() || text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Order::Set(SetKind::Normal));
    }
    if REST_TIMER.contains(&text.to_lowercase().as_str()) {
        return Ok(Order::RestTimer);
    }
    let mut chars = text.chars();
    let letter = chars.next().map(|c| c.to_ascii_uppercase());
    if chars.as_str().bytes().all(|b| b.is_ascii_digit()) {
        match letter {
            Some('W') => return Ok(Order::Set(SetKind::Warmup)),
            Some('D') => return Ok(Order::Set(SetKind::Drop)),
            Some('F') => return Ok(Order::Set(SetKind::Failure)),
            _ => {}
        }
    }
    Err(format!("its set order `{text}` is not a set number, `W`, `D`, `F` or a rest timer"))
}

/// Reads one row.
pub(super) fn row(record: &StringRecord, columns: &Columns) -> Result<Row, String> {
    let field = |column| columns.get(record, column);
    let start = Civil::parse(field(Column::Date)).map_err(|e| format!("its date: {e}"))?.start();
    let seconds = if columns.has(Column::DurationSeconds) {
        set::seconds(field(Column::DurationSeconds), "duration")?.ok_or("it has no duration")?.into()
    } else {
        duration_text::seconds(field(Column::Duration)).map_err(|e| format!("its duration: {e}"))?
    };
    let exercise = field(Column::ExerciseName).trim();
    if exercise.is_empty() {
        return Err("it has no exercise name".to_owned());
    }
    let entry = match order(field(Column::SetOrder))? {
        Order::RestTimer => {
            let seconds = set::seconds(field(Column::Seconds), "rest timer")?;
            Entry::RestTimer(seconds.filter(|&s| s > 0))
        }
        Order::Set(kind) => Entry::Set(set::set(
            kind,
            &SetFields {
                reps: field(Column::Reps),
                seconds: field(Column::Seconds),
                weight: field(Column::Weight),
                distance: field(Column::Distance),
            },
        )?),
    };
    Ok(Row {
        start,
        name: field(Column::WorkoutName).trim().to_owned(),
        minutes: seconds as f64 / 60.0,
        exercise: exercise.to_owned(),
        superset: None,
        entry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_orders() {
        assert_eq!(order("1"), Ok(Order::Set(SetKind::Normal)));
        assert_eq!(order("12"), Ok(Order::Set(SetKind::Normal)));
        assert_eq!(order(""), Ok(Order::Set(SetKind::Normal)));
        assert_eq!(order("W"), Ok(Order::Set(SetKind::Warmup)));
        assert_eq!(order("W1"), Ok(Order::Set(SetKind::Warmup)));
        assert_eq!(order("D"), Ok(Order::Set(SetKind::Drop)));
        assert_eq!(order("F"), Ok(Order::Set(SetKind::Failure)));
        assert_eq!(order("Rest Timer"), Ok(Order::RestTimer));
        assert_eq!(order("Ruhezeit"), Ok(Order::RestTimer));
        assert!(order("X").unwrap_err().contains("set order `X`"));
        assert!(order("Wx").is_err());
        assert!(order("秒").is_err(), "a multi-byte first character is refused, not split");
    }
}
