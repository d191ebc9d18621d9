//! What can go wrong with the telemetry database (SQLite or PostgreSQL),
//! sorted by what it means for readiness.

use rusqlite::ErrorCode;

/// A telemetry database failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No room to write: a full disk, a quota, a file size limit, or free
    /// space below the floor. Telemetry answers 503 and stores again once
    /// there is room; previews and readiness go on (restarting or removing
    /// the instance would not make room).
    Full(String),
    /// The database cannot be used or trusted: deleted, replaced, truncated,
    /// corrupted, read-only. Telemetry and the export answer 503 and the
    /// instance is not ready.
    Broken(String),
    /// The shared database (PostgreSQL) does not answer, or not yet: down,
    /// restarting, unreachable. Telemetry answers 503 with nothing
    /// acknowledged and the instance is not ready; it stores again by
    /// itself once the database answers.
    Unreachable(String),
}

impl StoreError {
    /// Sorts a SQLite error. A write refused by the operating system (EFBIG
    /// at a file size limit is `SQLITE_IOERR_WRITE`, ENOSPC is
    /// `SQLITE_FULL`) is lack of room; every other failure is breakage.
    pub fn from_sqlite(error: rusqlite::Error) -> Self {
        match &error {
            rusqlite::Error::SqliteFailure(failure, _)
                if failure.code == ErrorCode::DiskFull
                    || failure.extended_code == rusqlite::ffi::SQLITE_IOERR_WRITE =>
            {
                StoreError::Full(error.to_string())
            }
            _ => StoreError::Broken(error.to_string()),
        }
    }

    /// Whether the database file itself is damaged (then it stays refused
    /// until a restart, which checks it and refuses to start on it).
    pub fn is_corruption(error: &rusqlite::Error) -> bool {
        matches!(error.sqlite_error_code(), Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase))
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Full(detail) => write!(f, "no room to store telemetry: {detail}"),
            StoreError::Broken(detail) | StoreError::Unreachable(detail) => f.write_str(detail),
        }
    }
}
