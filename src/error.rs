//! Typed errors (SPEC §3): a stable `code`, a sentence, and where it happened.
//!
//! Messages are static strings and paths are built by hand so that no
//! `core::fmt` machinery lands on the WebAssembly hot path.

use serde::Serialize;

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

/// Appends `n` in decimal without going through `core::fmt`.
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits[..len].iter().rev() {
        out.push(d as char);
    }
}

/// Appends `tenths / 10` with one decimal, e.g. 175 → `17.5`.
pub fn push_tenths(out: &mut String, tenths: u64) {
    push_decimal(out, tenths / 10);
    out.push('.');
    push_decimal(out, tenths % 10);
}
