//! The training-log path: read a lifter's Strong or Hevy export into a
//! [`History`], and turn it into what the engine uses.

pub mod accuracy;
pub mod calibrate;
pub mod error;
pub mod exercise_db;
pub mod import;
pub mod log;
pub mod matcher;
pub mod plan_from_session;
mod words;

pub use error::{HistoryError, HistoryErrorCode};
pub use exercise_db::DbExercise;
pub use import::{import, MAX_EXPORT_BYTES};
pub use log::{ExportFormat, History, Implausible, LoggedExercise, LoggedSession, LoggedSet, SetKind, SkippedRow};
pub use matcher::{match_exercise, Match, MatchedExercise};
pub use plan_from_session::{plan_from_session, SessionPlan};
