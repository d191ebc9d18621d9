//! Why a report could not be made: always a sentence, always exit status 2.
//! The tool never guesses: an unreachable Prometheus, a wrong job or a
//! window with too little data is said so, never reported as Green.

use std::fmt;

/// A report that cannot be made, with the sentence that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointError(pub String);

/// Exit status for every [`CheckpointError`].
pub const EXIT_CANNOT_JUDGE: u8 = 2;

impl CheckpointError {
    /// An error with this sentence.
    pub fn new(message: impl Into<String>) -> Self {
        CheckpointError(message.into())
    }
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CheckpointError {}
