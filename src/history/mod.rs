//! The training-log path: read a lifter's Strong or Hevy export into a
//! [`History`], and turn it into what the engine uses.

pub mod error;
pub mod import;
pub mod log;

pub use error::{HistoryError, HistoryErrorCode};
pub use import::{import, MAX_EXPORT_BYTES};
pub use log::{ExportFormat, History, Implausible, LoggedExercise, LoggedSession, LoggedSet, SetKind, SkippedRow};
