//! A lifter's training log as the importers read it: sessions in date order,
//! each with the minutes it really took and what was done, plus every row
//! that could not be read, with its line and reason.

use serde::{Deserialize, Serialize};

/// Which app wrote the export (detected by its header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Strong, `,`-separated, `Duration` as text (`1h 5m`), any language.
    StrongClassic,
    /// Strong, `;`-separated with unit columns and `Workout Duration`.
    StrongSemicolon,
    /// Strong 2025: quoted, `;`- (or `,`-) separated, `Workout #` and
    /// `Duration (sec)`, rest-timer rows.
    Strong2025,
    /// Hevy: `start_time` / `end_time`, `set_type`.
    Hevy,
}

/// An imported training log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct History {
    /// The export's format.
    pub format: ExportFormat,
    /// Sessions by start time, oldest first.
    pub sessions: Vec<LoggedSession>,
    /// Rows that could not be read, in file order.
    pub skipped: Vec<SkippedRow>,
}

/// One logged session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoggedSession {
    /// Local start time as written by the app, normalised to
    /// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (sorts as text).
    pub start: String,
    /// The session's name in the app.
    pub name: String,
    /// Minutes the session really took (the app's duration, or end − start).
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub actual_minutes: f64,
    /// Exercises in the order they were done; one exercise done in two
    /// separate runs appears twice.
    pub exercises: Vec<LoggedExercise>,
    /// Why the session's duration cannot be trusted, if it cannot; such a
    /// session is kept but left out of calibration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implausible: Option<Implausible>,
}

/// Why a logged duration cannot be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Implausible {
    /// Over 4 hours: the timer was left running.
    TimerLeftRunning,
    /// Under 10 minutes: logged afterwards.
    LoggedAfterwards,
}

impl Implausible {
    /// Sessions longer than this many minutes had their timer left running.
    pub const TIMER_LEFT_RUNNING_OVER_MINUTES: f64 = 240.0;
    /// Sessions shorter than this many minutes were logged afterwards.
    pub const LOGGED_AFTERWARDS_UNDER_MINUTES: f64 = 10.0;

    /// Why a session of these minutes cannot be trusted, if it cannot.
    pub fn of(actual_minutes: f64) -> Option<Implausible> {
        if actual_minutes > Self::TIMER_LEFT_RUNNING_OVER_MINUTES {
            Some(Implausible::TimerLeftRunning)
        } else if actual_minutes < Self::LOGGED_AFTERWARDS_UNDER_MINUTES {
            Some(Implausible::LoggedAfterwards)
        } else {
            None
        }
    }
}

/// One exercise of a session: a run of consecutive sets of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoggedExercise {
    /// The name as the app writes it, e.g. `Bench Press (Barbell)`.
    pub name: String,
    /// Sets in order.
    pub sets: Vec<LoggedSet>,
    /// The rest timer the lifter had set, seconds, where the log has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest_timer_seconds: Option<u32>,
    /// The app's superset id, where the log has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superset: Option<String>,
}

/// One logged set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoggedSet {
    /// Warm-up, normal, drop or failure set.
    pub kind: SetKind,
    /// Reps, when the set counted reps (0 is kept: the log said so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Seconds, when the set was timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u32>,
    /// Weight in the lifter's unit (the export does not always say which).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::wire::number::serialize_option"
    )]
    pub weight: Option<f64>,
}

/// Kind of set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum SetKind {
    /// A warm-up set.
    Warmup,
    /// A working set (Strong's only kind).
    #[default]
    Normal,
    /// A drop set.
    Drop,
    /// A set taken to failure.
    Failure,
}

/// A row the importer could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SkippedRow {
    /// 1-based line of the file where the row starts.
    pub line: u64,
    /// Why it was skipped, a human sentence.
    pub reason: String,
}
