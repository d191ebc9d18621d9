//! Typed errors of the training-log path: a stable code, a sentence, and the
//! line of the file where it happened when there is one.

use serde::Serialize;

/// Stable, machine-readable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryErrorCode {
    /// Nothing to read: the file is empty or holds only a header.
    EmptyFile,
    /// Larger than [`crate::history::MAX_EXPORT_BYTES`].
    TooLarge,
    /// The header is not one of a known export.
    NotAnExport,
    /// The file is not readable CSV (e.g. a quote never closed).
    BrokenCsv,
    /// Rows of another export format inside this one.
    MixedFormats,
    /// Every row was skipped: no session could be read.
    NoReadableSessions,
    /// The session has no set a plan can be made from.
    EmptySession,
    /// Fewer usable sessions than calibration needs.
    NotEnoughHistory,
    /// A value given from JavaScript is not the type asked for.
    InvalidInput,
}

impl HistoryErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [HistoryErrorCode; 9] = [
        HistoryErrorCode::EmptyFile,
        HistoryErrorCode::TooLarge,
        HistoryErrorCode::NotAnExport,
        HistoryErrorCode::BrokenCsv,
        HistoryErrorCode::MixedFormats,
        HistoryErrorCode::NoReadableSessions,
        HistoryErrorCode::EmptySession,
        HistoryErrorCode::NotEnoughHistory,
        HistoryErrorCode::InvalidInput,
    ];

    /// The wire name, e.g. `"not_an_export"`.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryErrorCode::EmptyFile => "empty_file",
            HistoryErrorCode::TooLarge => "too_large",
            HistoryErrorCode::NotAnExport => "not_an_export",
            HistoryErrorCode::BrokenCsv => "broken_csv",
            HistoryErrorCode::MixedFormats => "mixed_formats",
            HistoryErrorCode::NoReadableSessions => "no_readable_sessions",
            HistoryErrorCode::EmptySession => "empty_session",
            HistoryErrorCode::NotEnoughHistory => "not_enough_history",
            HistoryErrorCode::InvalidInput => "invalid_input",
        }
    }
}

/// Why a log, a session or a history was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryError {
    /// Stable code.
    pub code: HistoryErrorCode,
    /// A human sentence.
    pub message: String,
    /// 1-based line of the file, when the error is at one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl HistoryError {
    /// An error with no line.
    pub fn new(code: HistoryErrorCode, message: impl Into<String>) -> Self {
        HistoryError { code, message: message.into(), line: None }
    }

    /// An error at a line of the file.
    pub fn at_line(code: HistoryErrorCode, message: impl Into<String>, line: u64) -> Self {
        HistoryError { code, message: message.into(), line: Some(line) }
    }
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}: {} (line {})", self.code.as_str(), self.message, line),
            None => write!(f, "{}: {}", self.code.as_str(), self.message),
        }
    }
}

impl std::error::Error for HistoryError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_wire_name_that_serde_agrees_with() {
        for code in HistoryErrorCode::ALL {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.as_str()));
        }
    }
}
