//! Typed errors (SPEC §3): a stable `code`, a sentence, and where it happened.
//!
//! Messages are static strings and paths are built by hand (numbers by
//! [`crate::wire::number`]) so that no `core::fmt` machinery lands on the
//! WebAssembly hot path.

use serde::Serialize;

use crate::wire::number::push_decimal;

/// Stable, machine-readable error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is not the expected shape (unknown field, wrong type, ...).
    InvalidRequest,
    /// The plan breaks a rule of the contract (limits, duplicate ids, ...).
    InvalidPlan,
    /// `targetMinutes` is outside 15..=180.
    TargetOutOfRange,
    /// A preview given to `apply_preview` is not one this engine could make.
    InvalidPreview,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 4] =
        [ErrorCode::InvalidRequest, ErrorCode::InvalidPlan, ErrorCode::TargetOutOfRange, ErrorCode::InvalidPreview];

    /// The HTTP status the server twin answers it with: 400 when the input
    /// is not the contract's shape, 422 when it is but breaks a rule.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest => 400,
            ErrorCode::InvalidPlan | ErrorCode::TargetOutOfRange | ErrorCode::InvalidPreview => 422,
        }
    }

    /// The code with this wire name, if there is one.
    pub fn from_wire(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|code| code.as_str() == name)
    }

    /// The wire name, e.g. `"invalid_plan"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidPlan => "invalid_plan",
            ErrorCode::TargetOutOfRange => "target_out_of_range",
            ErrorCode::InvalidPreview => "invalid_preview",
        }
    }
}

/// An input the engine refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    /// Stable code.
    pub code: ErrorCode,
    /// A human sentence.
    pub message: String,
    /// Where in the input, e.g. `plan.blocks[0].exercises[2].sets`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Error {
    /// An error at `path`.
    pub fn at(code: ErrorCode, message: &str, path: &Path) -> Self {
        Error { code, message: message.to_owned(), path: Some(path.render()) }
    }

    /// The `{"error": {...}}` envelope the CLI and server print.
    pub fn envelope(&self) -> ErrorEnvelope<'_> {
        ErrorEnvelope { error: self }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {} (at {})", self.code.as_str(), self.message, path),
            None => write!(f, "{}: {}", self.code.as_str(), self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Serialises as `{"error": {"code", "message", "path"}}`.
#[derive(Debug, Serialize)]
pub struct ErrorEnvelope<'a> {
    /// The error.
    pub error: &'a Error,
}

/// A JSON-ish location such as `plan.blocks[0].exercises[2]`, kept as
/// segments until an error needs it rendered.
#[derive(Debug, Clone, Default)]
pub struct Path {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone)]
enum Segment {
    Field(&'static str),
    Index(usize),
}

impl Path {
    /// The root of the document.
    pub fn root() -> Self {
        Path::default()
    }

    /// This path extended by a field name.
    pub fn field(&self, name: &'static str) -> Self {
        let mut next = self.clone();
        next.segments.push(Segment::Field(name));
        next
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.segments.push(Segment::Index(index));
        next
    }

    /// Renders the path, e.g. `plan.blocks[0].sets`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(i) => {
                    out.push('[');
                    push_decimal(&mut out, *i as u64);
                    out.push(']');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_wire_name_that_serde_agrees_with() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.as_str()));
            assert_eq!(ErrorCode::from_wire(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::from_wire("overloaded"), None);
    }
}
