//! The training-log path: read a lifter's Strong or Hevy export into a
//! [`History`], and turn it into what the engine uses.

pub mod accuracy;
pub mod calibrate;
pub mod error;
pub mod log;

pub use error::{HistoryError, HistoryErrorCode};
pub use log::{ExportFormat, History, Implausible, LoggedExercise, LoggedSession, LoggedSet, SetKind, SkippedRow};
