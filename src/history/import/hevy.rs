//! A row of a Hevy export.
//!
//! Rules: the session is `title` + `start_time`; its minutes are
//! `end_time` − `start_time` (Hevy writes minutes only); `set_type` is
//! `normal`, `warmup`, `dropset` or `failure` (empty reads as normal);
//! `superset_id` groups the exercises done as a superset.

use csv::StringRecord;

use super::datetime::Civil;
use super::format::{Column, Columns};
use super::set::{self, SetFields};
use super::{Entry, Row};
use crate::history::SetKind;

fn kind(text: &str) -> Result<SetKind, String> {
    match text.trim().to_lowercase().as_str() {
        "" | "normal" => Ok(SetKind::Normal),
        "warmup" => Ok(SetKind::Warmup),
        "dropset" => Ok(SetKind::Drop),
        "failure" => Ok(SetKind::Failure),
        _ => Err(format!("its set type `{}` is not normal, warmup, dropset or failure", text.trim())),
    }
}

/// Reads one row.
pub(super) fn row(record: &StringRecord, columns: &Columns) -> Result<Row, String> {
    let field = |column| columns.get(record, column);
    let start = Civil::parse(field(Column::StartTime)).map_err(|e| format!("its start: {e}"))?;
    let end = Civil::parse(field(Column::EndTime)).map_err(|e| format!("its end: {e}"))?;
    let seconds = end.seconds() - start.seconds();
    if seconds < 0 {
        return Err(format!("it ends ({}) before it starts ({})", end.start(), start.start()));
    }
    let exercise = field(Column::ExerciseTitle).trim();
    if exercise.is_empty() {
        return Err("it has no exercise title".to_owned());
    }
    let set = set::set(
        kind(field(Column::SetType))?,
        &SetFields {
            reps: field(Column::Reps),
            seconds: field(Column::Seconds),
            weight: field(Column::Weight),
            distance: field(Column::Distance),
        },
    )?;
    let superset = field(Column::Superset).trim();
    Ok(Row {
        start: start.start(),
        name: field(Column::Title).trim().to_owned(),
        minutes: seconds as f64 / 60.0,
        exercise: exercise.to_owned(),
        superset: (!superset.is_empty()).then(|| superset.to_owned()),
        entry: Entry::Set(set),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_types() {
        assert_eq!(kind("normal"), Ok(SetKind::Normal));
        assert_eq!(kind(""), Ok(SetKind::Normal));
        assert_eq!(kind("warmup"), Ok(SetKind::Warmup));
        assert_eq!(kind("dropset"), Ok(SetKind::Drop));
        assert_eq!(kind("failure"), Ok(SetKind::Failure));
        assert!(kind("superset").unwrap_err().contains("set type `superset`"));
    }
}
