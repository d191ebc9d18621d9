//! Which export a header belongs to, and which column holds what.
//!
//! Rules:
//! - the format is read from the header's column names, never from the file
//!   name or the column order: every row is then read through the positions
//!   found here;
//! - Strong localises its headers (English, German, French, Chinese are
//!   known), Hevy does not; a trailing unit in parentheses (`Weight (kg)`,
//!   `Duration (sec)`) is split off before the name is looked up;
//! - Strong needs a date, a workout name, an exercise name, a set order and
//!   a duration; Hevy a title, a start, an end and an exercise title. Other
//!   columns are optional (a missing `Reps` reads as empty);
//! - `Duration (sec)` or `Workout #` make a Strong 2025 export (`;` or `,`),
//!   otherwise `;` makes the semicolon format and `,` the classic one.

use csv::StringRecord;

use crate::history::ExportFormat;

/// What a column holds, as far as the importer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    /// Strong 2025's `Workout #`.
    WorkoutNumber,
    /// Strong's session start.
    Date,
    /// Strong's session name.
    WorkoutName,
    /// Strong's duration as text (`1h 5m`).
    Duration,
    /// Strong 2025's duration in seconds.
    DurationSeconds,
    /// Strong's exercise name.
    ExerciseName,
    /// Strong's set number, `W`/`D`/`F`, or a rest-timer row.
    SetOrder,
    /// Hevy's session name.
    Title,
    /// Hevy's session start.
    StartTime,
    /// Hevy's session end.
    EndTime,
    /// Hevy's exercise name.
    ExerciseTitle,
    /// Hevy's superset id.
    Superset,
    /// Hevy's `normal`/`warmup`/`dropset`/`failure`.
    SetType,
    /// Weight, in the unit of the export.
    Weight,
    /// Reps.
    Reps,
    /// Distance (only tells a cardio row).
    Distance,
    /// Seconds of a timed set (Strong's `Seconds`, Hevy's `duration_seconds`).
    Seconds,
    /// A column the importer knows and does not read (notes, RPE, units).
    Unused,
}

impl Column {
    /// How many columns [`Columns`] keeps a position for (all but `Unused`).
    const COUNT: usize = Column::Unused as usize;

    /// The English name, for messages.
    fn label(self) -> &'static str {
        match self {
            Column::WorkoutNumber => "Workout #",
            Column::Date => "Date",
            Column::WorkoutName => "Workout Name",
            Column::Duration | Column::DurationSeconds => "Duration",
            Column::ExerciseName => "Exercise Name",
            Column::SetOrder => "Set Order",
            Column::Title => "title",
            Column::StartTime => "start_time",
            Column::EndTime => "end_time",
            Column::ExerciseTitle => "exercise_title",
            Column::Superset => "superset_id",
            Column::SetType => "set_type",
            Column::Weight => "Weight",
            Column::Reps => "Reps",
            Column::Distance => "Distance",
            Column::Seconds => "Seconds",
            Column::Unused => "",
        }
    }
}

/// Strong's English names (classic, semicolon and 2025 exports).
const ENGLISH: &[(&str, Column)] = &[
    ("workout #", Column::WorkoutNumber),
    ("date", Column::Date),
    ("workout name", Column::WorkoutName),
    ("duration", Column::Duration),
    ("workout duration", Column::Duration),
    ("exercise name", Column::ExerciseName),
    ("set order", Column::SetOrder),
    ("weight", Column::Weight),
    ("weight unit", Column::Unused),
    ("reps", Column::Reps),
    ("rpe", Column::Unused),
    ("distance", Column::Distance),
    ("distance unit", Column::Unused),
    ("seconds", Column::Seconds),
    ("notes", Column::Unused),
    ("workout notes", Column::Unused),
];

/// Strong's German names, as German exports write them (`Name der Übung`,
/// `Reihenfolge festlegen`, `Wiederh.`), plus the plainer forms
/// (`Übungsname`, `Satzreihenfolge`) some versions are reported to use.
const GERMAN: &[(&str, Column)] = &[
    ("datum", Column::Date),
    ("workout-name", Column::WorkoutName),
    ("trainingsname", Column::WorkoutName),
    ("dauer", Column::Duration),
    ("trainingsdauer", Column::Duration),
    ("name der übung", Column::ExerciseName),
    ("übungsname", Column::ExerciseName),
    ("reihenfolge festlegen", Column::SetOrder),
    ("satzreihenfolge", Column::SetOrder),
    ("gewicht", Column::Weight),
    ("gewichtseinheit", Column::Unused),
    ("wiederh.", Column::Reps),
    ("wiederholungen", Column::Reps),
    ("entfernung", Column::Distance),
    ("entfernungseinheit", Column::Unused),
    ("sekunden", Column::Seconds),
    ("notizen", Column::Unused),
    ("workout-notizen", Column::Unused),
    ("trainingsnotizen", Column::Unused),
];

/// Strong's French names.
const FRENCH: &[(&str, Column)] = &[
    ("nom de l'entraînement", Column::WorkoutName),
    ("nom de la séance", Column::WorkoutName),
    ("durée", Column::Duration),
    ("nom de l'exercice", Column::ExerciseName),
    ("ordre de la série", Column::SetOrder),
    ("ordre des séries", Column::SetOrder),
    ("poids", Column::Weight),
    ("réps", Column::Reps),
    ("répétitions", Column::Reps),
    ("secondes", Column::Seconds),
    ("notes de l'entraînement", Column::Unused),
    ("notes d'entraînement", Column::Unused),
];

/// Strong's Chinese names.
const CHINESE: &[(&str, Column)] = &[
    ("日期", Column::Date),
    ("锻炼名称", Column::WorkoutName),
    ("时长", Column::Duration),
    ("运动名称", Column::ExerciseName),
    ("设置顺序", Column::SetOrder),
    ("重量", Column::Weight),
    ("次", Column::Reps),
    ("距离", Column::Distance),
    ("秒", Column::Seconds),
    ("备注", Column::Unused),
    ("锻炼备注", Column::Unused),
];

/// Hevy's names (its export is not localised).
const HEVY: &[(&str, Column)] = &[
    ("title", Column::Title),
    ("start_time", Column::StartTime),
    ("end_time", Column::EndTime),
    ("description", Column::Unused),
    ("exercise_title", Column::ExerciseTitle),
    ("superset_id", Column::Superset),
    ("exercise_notes", Column::Unused),
    ("set_index", Column::Unused),
    ("set_type", Column::SetType),
    ("weight_kg", Column::Weight),
    ("weight_lbs", Column::Weight),
    ("reps", Column::Reps),
    ("distance_km", Column::Distance),
    ("distance_miles", Column::Distance),
    ("distance_meters", Column::Distance),
    ("duration_seconds", Column::Seconds),
    ("rpe", Column::Unused),
];

const LANGUAGES: [&[(&str, Column)]; 5] = [ENGLISH, GERMAN, FRENCH, CHINESE, HEVY];

/// Units that make a duration column a count of seconds (`Duration (sec)`).
const SECOND_UNITS: &[&str] = &["sec", "secs", "s", "seconds", "sek", "sek.", "sekunden", "secondes", "秒"];

/// The columns Strong cannot be read without.
const STRONG_REQUIRED: [Column; 4] = [Column::Date, Column::WorkoutName, Column::ExerciseName, Column::SetOrder];
/// The columns Hevy cannot be read without.
const HEVY_REQUIRED: [Column; 4] = [Column::Title, Column::StartTime, Column::EndTime, Column::ExerciseTitle];

/// The delimiters an export may use, in the order they are tried.
pub(super) const DELIMITERS: [u8; 2] = [b',', b';'];

/// A header's name made comparable: trimmed (and any byte-order mark),
/// lower-cased, typographic apostrophes made plain, and a trailing unit in
/// parentheses split off.
fn normalise(name: &str) -> (String, Option<String>) {
    let name = name.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').to_lowercase().replace('’', "'");
    if let Some(open) = name.rfind(" (") {
        if let Some(unit) = name[open + 2..].strip_suffix(')') {
            return (name[..open].trim_end().to_owned(), Some(unit.trim().to_owned()));
        }
    }
    (name, None)
}

/// What a header name holds, if it is one an export uses.
fn lookup(name: &str) -> Option<Column> {
    let (base, unit) = normalise(name);
    let column = LANGUAGES.iter().flat_map(|language| language.iter()).find(|(alias, _)| *alias == base)?.1;
    let in_seconds = unit.is_some_and(|unit| SECOND_UNITS.contains(&unit.as_str()));
    Some(if column == Column::Duration && in_seconds { Column::DurationSeconds } else { column })
}

/// True when `field` is a name some export gives a column: the cheap test
/// that a row might be a header before [`recognise`] looks at the whole row.
pub(super) fn is_column_name(field: &str) -> bool {
    lookup(field).is_some()
}

/// Where each column is in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Columns {
    at: [Option<usize>; Column::COUNT],
    /// Fields every row must have: the header's.
    pub(super) width: usize,
}

impl Columns {
    fn new<'a>(names: impl Iterator<Item = &'a str>) -> Columns {
        let mut at = [None; Column::COUNT];
        let mut width = 0;
        for (index, name) in names.enumerate() {
            width = index + 1;
            match lookup(name) {
                // The first of two columns of one name wins.
                Some(column) if column != Column::Unused && at[column as usize].is_none() => {
                    at[column as usize] = Some(index)
                }
                _ => {}
            }
        }
        Columns { at, width }
    }

    /// True when the header has the column.
    pub(super) fn has(&self, column: Column) -> bool {
        column != Column::Unused && self.at[column as usize].is_some()
    }

    /// The row's field for the column, `""` when the header has none.
    pub(super) fn get<'r>(&self, record: &'r StringRecord, column: Column) -> &'r str {
        if column == Column::Unused {
            return "";
        }
        self.at[column as usize].and_then(|index| record.get(index)).unwrap_or("")
    }

    fn missing(&self, required: &[Column]) -> Vec<Column> {
        required.iter().copied().filter(|&column| !self.has(column)).collect()
    }

    fn has_duration(&self) -> bool {
        self.has(Column::Duration) || self.has(Column::DurationSeconds)
    }
}

/// A recognised header: the export's format and how to read its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    /// The export's format.
    pub(super) format: ExportFormat,
    /// Its field delimiter.
    pub(super) delimiter: u8,
    /// Its columns.
    pub(super) columns: Columns,
}

/// The header a row of names is, or why it is none.
pub(super) fn recognise(record: &StringRecord, delimiter: u8) -> Result<Header, String> {
    let columns = Columns::new(record.iter());
    let hevy_missing = columns.missing(&HEVY_REQUIRED);
    if hevy_missing.is_empty() {
        return Ok(Header { format: ExportFormat::Hevy, delimiter, columns });
    }
    let strong_missing = columns.missing(&STRONG_REQUIRED);
    if strong_missing.is_empty() {
        if !columns.has_duration() {
            return Err("It looks like a Strong export but has no duration column (`Duration`, `Workout Duration` \
                        or `Duration (sec)`): without each session's length there is nothing to learn from it."
                .to_owned());
        }
        let format = if columns.has(Column::WorkoutNumber) || columns.has(Column::DurationSeconds) {
            ExportFormat::Strong2025
        } else if delimiter == b';' {
            ExportFormat::StrongSemicolon
        } else {
            ExportFormat::StrongClassic
        };
        return Ok(Header { format, delimiter, columns });
    }
    // Name what is missing when the header is most of one export's.
    let (app, missing) =
        if hevy_missing.len() < strong_missing.len() { ("Hevy", hevy_missing) } else { ("Strong", strong_missing) };
    let known = HEVY_REQUIRED.len().max(STRONG_REQUIRED.len()) - missing.len();
    if known >= 2 {
        let names: Vec<String> = missing.iter().map(|column| format!("`{}`", column.label())).collect();
        return Err(format!("It looks like a {app} export but has no {} column.", names.join(", ")));
    }
    Err("The first line is not the header of a Strong or Hevy export (columns such as `Date`, `Workout Name`, \
         `Exercise Name`, or Hevy's `title`, `start_time`, `exercise_title`)."
        .to_owned())
}

/// The first record of `text` read with `delimiter`, and the byte where it starts.
pub(super) fn first_record(text: &str, delimiter: u8) -> Option<(StringRecord, u64)> {
    let mut reader = reader(text, delimiter);
    let mut record = StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {
            let byte = record.position().map_or(0, |position| position.byte());
            Some((record, byte))
        }
        _ => None,
    }
}

/// The one way the importer reads CSV: no header handling (rows are matched
/// to the header here), rows of any length (counted and skipped instead).
pub(super) fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str, delimiter: u8) -> Result<Header, String> {
        let (record, _) = first_record(line, delimiter).unwrap();
        recognise(&record, delimiter)
    }

    #[test]
    fn names_are_compared_without_case_space_bom_or_unit() {
        assert_eq!(normalise("\u{feff} Weight (kg) "), ("weight".to_owned(), Some("kg".to_owned())));
        assert_eq!(lookup("Duration (sec)"), Some(Column::DurationSeconds));
        assert_eq!(lookup("Duration"), Some(Column::Duration));
        assert_eq!(lookup("Nom de l’exercice"), Some(Column::ExerciseName));
        assert_eq!(lookup("WIEDERH."), Some(Column::Reps));
        assert_eq!(lookup("Colour"), None);
    }

    #[test]
    fn every_format_and_language_is_told_by_its_header() {
        let cases = [
            ("Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE", b',', ExportFormat::StrongClassic),
            ("Datum,Workout-Name,Dauer,Name der Übung,Reihenfolge festlegen,Gewicht,Wiederh.,Entfernung,Sekunden,Notizen,Workout-Notizen,RPE", b',', ExportFormat::StrongClassic),
            ("Date,Nom de l'entraînement,Durée,Nom de l'exercice,Ordre de la série,Poids,Réps,Distance,Secondes,RPE,Notes", b',', ExportFormat::StrongClassic),
            ("日期,锻炼名称,时长,运动名称,设置顺序,重量,次,距离,秒,备注,锻炼备注,RPE", b',', ExportFormat::StrongClassic),
            ("Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration", b';', ExportFormat::StrongSemicolon),
            (r#""Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes""#, b';', ExportFormat::Strong2025),
            (r#""Workout #","Date","Workout Name","Duration (sec)","Exercise Name","Set Order","Weight (kg)","Reps","RPE","Distance (meters)","Seconds","Notes","Workout Notes""#, b',', ExportFormat::Strong2025),
            ("title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_lbs,reps,distance_miles,duration_seconds,rpe", b',', ExportFormat::Hevy),
        ];
        for (line, delimiter, format) in cases {
            assert_eq!(header(line, delimiter).map(|h| h.format), Ok(format), "{line}");
        }
    }

    #[test]
    fn columns_are_found_by_name_in_any_order() {
        let h = header("Reps,Exercise Name,Duration,Set Order,Workout Name,Date", b',').unwrap();
        assert_eq!(h.format, ExportFormat::StrongClassic);
        assert_eq!(h.columns.width, 6);
        let row = StringRecord::from(vec!["5", "Squat", "1h", "1", "Legs", "2024-01-01 10:00:00"]);
        assert_eq!(h.columns.get(&row, Column::Reps), "5");
        assert_eq!(h.columns.get(&row, Column::Date), "2024-01-01 10:00:00");
        assert_eq!(h.columns.get(&row, Column::Weight), "", "a missing column reads as empty");
    }

    #[test]
    fn an_unknown_header_says_what_it_lacks() {
        let no_duration = header("Date;Workout Name;Exercise Name;Set Order;Weight;Reps", b';').unwrap_err();
        assert!(no_duration.contains("no duration column"), "{no_duration}");
        let no_end = header("title,start_time,exercise_title,reps", b',').unwrap_err();
        assert!(no_end.contains("Hevy") && no_end.contains("`end_time`"), "{no_end}");
        let other = header("name,age,city", b',').unwrap_err();
        assert!(other.contains("not the header of a Strong or Hevy export"), "{other}");
    }
}
