//! Reads a Strong or Hevy CSV export into a [`History`].
//!
//! Rules:
//! - the size is checked before anything is parsed ([`MAX_EXPORT_BYTES`]);
//!   a UTF-8 byte-order mark is dropped; CRLF and LF line ends both work;
//! - the format is told by the header ([`format`]); every row is then read
//!   by its format's reader ([`strong`], [`hevy`]) and sessions are put
//!   together from the rows ([`assemble`]);
//! - a row that cannot be read (a wrong number of fields, a date, duration
//!   or number that does not parse) is skipped and counted with its line
//!   and the reason; the header of the same format repeated (two exports
//!   pasted together) is skipped the same way, and its columns read the
//!   rows after it;
//! - what makes the whole file unreadable is a typed error, never a part of
//!   a history: an empty file or a header alone (`empty_file`), a file too
//!   large (`too_large`), a header of no known export (`not_an_export`), a
//!   quote never closed (`broken_csv`, at the line of the quote), the
//!   header of another format inside the file (`mixed_formats`), and a file
//!   whose every row was skipped (`no_readable_sessions`).

mod assemble;
mod datetime;
mod duration_text;
mod format;
mod hevy;
mod quote;
mod set;
mod strong;

use csv::StringRecord;

use crate::history::{ExportFormat, History, HistoryError, HistoryErrorCode, LoggedSet, SkippedRow};
use format::{Header, DELIMITERS};
use quote::Lines;

/// The largest export read, in bytes: 20 MiB. A lifter's 1,000 sessions
/// export to a few MB (the 397-session Hevy log in the test data is 0.8 MB),
/// so this leaves room for decades of training while keeping a browser tab
/// from parsing whatever file it is handed by mistake.
pub const MAX_EXPORT_BYTES: usize = 20 * 1024 * 1024;

/// One row read: what it tells of its session, exercise and set.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    /// The session's start, normalised.
    start: String,
    /// The session's name.
    name: String,
    /// The session's minutes as this row states them.
    minutes: f64,
    /// The exercise's name.
    exercise: String,
    /// The exercise's superset id (Hevy).
    superset: Option<String>,
    /// A set, or the exercise's rest timer.
    entry: Entry,
}

/// What a row adds to its exercise.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    /// One set.
    Set(LoggedSet),
    /// Strong's rest-timer row: the seconds, if the timer was on.
    RestTimer(Option<u32>),
}

/// Reads a Strong or Hevy export.
///
/// ```
/// let text = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds\n\
///             2021-02-10 16:46:13,Push,1h 5m,Bench Press (Barbell),1,60,8,0,0\n\
///             2021-02-10 16:46:13,Push,1h 5m,Bench Press (Barbell),2,60,8,0,0\n";
/// let history = time_crunch::history::import(text).unwrap();
/// assert_eq!(history.sessions.len(), 1);
/// assert_eq!(history.sessions[0].actual_minutes, 65.0);
/// assert_eq!(history.sessions[0].exercises[0].sets.len(), 2);
/// ```
pub fn import(text: &str) -> Result<History, HistoryError> {
    if text.len() > MAX_EXPORT_BYTES {
        return Err(HistoryError::new(
            HistoryErrorCode::TooLarge,
            format!(
                "The file is {:.1} MiB; an export is read up to {} MiB.",
                text.len() as f64 / 1_048_576.0,
                MAX_EXPORT_BYTES / 1_048_576
            ),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(HistoryError::new(HistoryErrorCode::EmptyFile, "The file is empty."));
    }
    let mut header = detect(text)?;
    let format = header.format;

    let mut reader = format::reader(text, header.delimiter);
    let mut lines = Lines::new(text);
    let mut record = StringRecord::new();
    let mut rows: Vec<(u64, Row)> = Vec::new();
    let mut skipped: Vec<SkippedRow> = Vec::new();
    // The rows that follow a repeated header (another export pasted after).
    let mut exports: Vec<usize> = Vec::new();
    let mut data_rows = 0usize;
    // Where the last record starts: the only one a quote open at the end can be in.
    let mut last = (0usize, 1u64);
    let mut first = true;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let byte = error.position().map_or(last.0, |p| p.byte() as usize);
                let (_, line) = lines.at(byte.max(last.0));
                return Err(HistoryError::at_line(
                    HistoryErrorCode::BrokenCsv,
                    format!("Unreadable CSV: {error}."),
                    line,
                ));
            }
        }
        let (byte, line) = lines.at(record.position().map_or(last.0, |p| p.byte() as usize));
        last = (byte, line);
        if std::mem::take(&mut first) {
            continue; // the header
        }
        data_rows += 1;
        if let Some(repeated) = header_in_row(&record, &text[byte..], &header) {
            if repeated.format != format || repeated.delimiter != header.delimiter {
                return Err(HistoryError::at_line(
                    HistoryErrorCode::MixedFormats,
                    format!(
                        "The header of a {} export is inside this {} export: one file holds one export.",
                        describe(&repeated),
                        describe(&header)
                    ),
                    line,
                ));
            }
            skipped.push(SkippedRow {
                line,
                reason: "It is the header again (two exports pasted together?); its columns read the rows after it."
                    .to_owned(),
            });
            header = repeated;
            exports.push(rows.len());
            continue;
        }
        if record.len() != header.columns.width {
            // Over a line end with the wrong fields: a quote left open ran
            // on into the next rows.
            if let Some(breaks) = quote::scan(&text[byte..], header.delimiter).spanning {
                return Err(broken_quote(line + breaks));
            }
            skipped.push(SkippedRow {
                line,
                reason: format!("It has {} fields where the header has {}.", record.len(), header.columns.width),
            });
            continue;
        }
        let row = match format {
            ExportFormat::Hevy => hevy::row(&record, &header.columns),
            _ => strong::row(&record, &header.columns),
        };
        match row {
            Ok(row) => rows.push((line, row)),
            Err(reason) => skipped.push(SkippedRow { line, reason: sentence(&reason) }),
        }
    }
    if let Some(breaks) = quote::scan(&text[last.0..], header.delimiter).open_at_end {
        return Err(broken_quote(last.1 + breaks));
    }
    if data_rows == 0 {
        return Err(HistoryError::new(HistoryErrorCode::EmptyFile, "The file holds a header and no rows."));
    }
    assemble::history(format, rows, &exports, skipped)
}

/// The export's header: the first record, read with each delimiter in turn.
fn detect(text: &str) -> Result<Header, HistoryError> {
    let mut why = None;
    for delimiter in DELIMITERS {
        let Some((record, byte)) = format::first_record(text, delimiter) else { continue };
        match format::recognise(&record, delimiter) {
            Ok(header) => return Ok(header),
            Err(reason) => {
                // A quote gone wrong in what starts like a header; in
                // anything else (binary junk) it says nothing.
                if record.iter().any(format::is_column_name) {
                    let (start, line) = Lines::new(text).at(byte as usize);
                    let quotes = quote::scan(&text[start..], delimiter);
                    if let Some(breaks) = quotes.open_at_end.or(quotes.spanning) {
                        return Err(broken_quote(line + breaks));
                    }
                }
                // The more telling reason ("looks like a Strong export but ...") wins.
                if why.as_ref().is_none_or(|why: &String| why.starts_with("The first line")) {
                    why = Some(reason);
                }
            }
        }
    }
    let trimmed = text.trim_start();
    let why = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "This is JSON, not the CSV export Strong or Hevy writes.".to_owned()
    } else {
        why.unwrap_or_else(|| "The file has no header.".to_owned())
    };
    Err(HistoryError::new(HistoryErrorCode::NotAnExport, why))
}

/// The header a data row is, if it is one (checked only for rows whose
/// first field is a column name): with the export's delimiter, or, for a
/// row read as one field, with the other.
fn header_in_row(record: &StringRecord, raw: &str, header: &Header) -> Option<Header> {
    if record.get(0).is_some_and(format::is_column_name) {
        if let Ok(found) = format::recognise(record, header.delimiter) {
            return Some(found);
        }
    }
    if record.len() == 1 {
        let line = raw.lines().next().unwrap_or("");
        for delimiter in DELIMITERS.into_iter().filter(|&d| d != header.delimiter) {
            let (other, _) = format::first_record(line, delimiter)?;
            if other.get(0).is_some_and(format::is_column_name) {
                if let Ok(found) = format::recognise(&other, delimiter) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// `Strong classic (`,`)`, for messages.
fn describe(header: &Header) -> String {
    let name = match header.format {
        ExportFormat::StrongClassic => "Strong classic",
        ExportFormat::StrongSemicolon => "Strong semicolon",
        ExportFormat::Strong2025 => "Strong 2025",
        ExportFormat::Hevy => "Hevy",
    };
    format!("{name} (`{}`-separated)", char::from(header.delimiter))
}

fn broken_quote(line: u64) -> HistoryError {
    HistoryError::at_line(
        HistoryErrorCode::BrokenCsv,
        format!("A quote opened on line {line} is never closed, so the lines after it would read as one field."),
        line,
    )
}

/// A reason as a sentence: `it has no date` → `It has no date.`
fn sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
