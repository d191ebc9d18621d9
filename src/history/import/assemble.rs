//! Rows into sessions.
//!
//! Rules:
//! - a session is the rows sharing (start, name); an exercise is a run of
//!   consecutive rows of one exercise name within it, so one exercise done
//!   in two runs stays two;
//! - a later run of rows of a session already read (after other sessions'
//!   rows, or after a repeated header) that repeats an earlier run row for
//!   row is the same session written twice (two exports pasted together):
//!   its rows are skipped, each with its line;
//! - a rest-timer row sets its exercise's rest timer (a later one wins); a
//!   run with no set at all is no exercise, and its rest-timer rows are
//!   skipped; a session with no exercise left does not exist;
//! - a session takes the minutes of its first row, and is marked when
//!   they cannot be trusted ([`Implausible::of`]);
//! - sessions are sorted by start, oldest first, keeping the file's order
//!   between equal starts; skipped rows are in file order.

use std::collections::HashMap;

use super::{Entry, Row};
use crate::history::{
    ExportFormat, History, HistoryError, HistoryErrorCode, Implausible, LoggedExercise, LoggedSession, SkippedRow,
};

/// An exercise being read, with the lines of its rest-timer rows.
struct Exercise {
    exercise: LoggedExercise,
    rest_lines: Vec<u64>,
}

/// A session being read.
struct Session {
    start: String,
    name: String,
    minutes: f64,
    first_line: u64,
    exercises: Vec<Exercise>,
    /// The runs of consecutive rows read into it, as ranges of the rows.
    runs: Vec<std::ops::Range<usize>>,
}

impl Session {
    fn add(&mut self, row: &Row, line: u64) {
        let continues = self.exercises.last().is_some_and(|last| last.exercise.name == row.exercise);
        if !continues {
            self.exercises.push(Exercise {
                exercise: LoggedExercise {
                    name: row.exercise.clone(),
                    sets: Vec::new(),
                    rest_timer_seconds: None,
                    superset: None,
                },
                rest_lines: Vec::new(),
            });
        }
        let Some(current) = self.exercises.last_mut() else { return };
        match &row.entry {
            Entry::Set(set) => current.exercise.sets.push(set.clone()),
            Entry::RestTimer(seconds) => {
                current.rest_lines.push(line);
                if seconds.is_some() {
                    current.exercise.rest_timer_seconds = *seconds;
                }
            }
        }
        if current.exercise.superset.is_none() {
            current.exercise.superset.clone_from(&row.superset);
        }
    }
}

/// The history the rows (each with its line) make, or why there is none.
/// `exports` are the indices of the rows that follow a repeated header:
/// a run of a session's rows ends there too.
pub(super) fn history(
    format: ExportFormat,
    rows: Vec<(u64, Row)>,
    exports: &[usize],
    mut skipped: Vec<SkippedRow>,
) -> Result<History, HistoryError> {
    let mut sessions: Vec<Session> = Vec::new();
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::new();
    let mut at = 0;
    while at < rows.len() {
        let key = (rows[at].1.start.as_str(), rows[at].1.name.as_str());
        let next_export = exports.iter().copied().find(|&index| index > at).unwrap_or(rows.len());
        let end = rows[at..next_export]
            .iter()
            .position(|(_, row)| (row.start.as_str(), row.name.as_str()) != key)
            .map_or(next_export, |length| at + length);
        let run = at..end;
        at = end;
        let index = *by_key.entry(key).or_insert_with(|| {
            let (line, first) = &rows[run.start];
            sessions.push(Session {
                start: first.start.clone(),
                name: first.name.clone(),
                minutes: first.minutes,
                first_line: *line,
                exercises: Vec::new(),
                runs: Vec::new(),
            });
            sessions.len() - 1
        });
        let session = &mut sessions[index];
        let same_rows = |earlier: &std::ops::Range<usize>| {
            earlier.len() == run.len() && rows[earlier.clone()].iter().zip(&rows[run.clone()]).all(|(a, b)| a.1 == b.1)
        };
        if session.runs.iter().any(same_rows) {
            for (line, _) in &rows[run] {
                skipped.push(SkippedRow {
                    line: *line,
                    reason: format!(
                        "It repeats the session `{}` of {} read from line {}: the same session twice, \
                         as in two exports pasted together.",
                        session.name, session.start, session.first_line
                    ),
                });
            }
            continue;
        }
        for (line, row) in &rows[run.clone()] {
            session.add(row, *line);
        }
        session.runs.push(run);
    }

    let mut history = Vec::with_capacity(sessions.len());
    for session in sessions {
        let mut exercises = Vec::with_capacity(session.exercises.len());
        for Exercise { exercise, rest_lines } in session.exercises {
            if exercise.sets.is_empty() {
                for line in rest_lines {
                    skipped.push(SkippedRow {
                        line,
                        reason: format!("It is a rest timer for `{}` with no set of it beside it.", exercise.name),
                    });
                }
            } else {
                exercises.push(exercise);
            }
        }
        if !exercises.is_empty() {
            history.push(LoggedSession {
                start: session.start,
                name: session.name,
                actual_minutes: session.minutes,
                implausible: Implausible::of(session.minutes),
                exercises,
            });
        }
    }
    history.sort_by(|a, b| a.start.cmp(&b.start));
    skipped.sort_by_key(|row| row.line);
    if history.is_empty() {
        let first = skipped.first().map_or_else(String::new, |row| format!(" Line {}: {}", row.line, row.reason));
        let message =
            format!("None of the export's {} rows could be read, so it holds no session.{first}", skipped.len());
        return Err(match skipped.first() {
            Some(row) => HistoryError::at_line(HistoryErrorCode::NoReadableSessions, message, row.line),
            None => HistoryError::new(HistoryErrorCode::NoReadableSessions, message),
        });
    }
    Ok(History { format, sessions: history, skipped })
}
