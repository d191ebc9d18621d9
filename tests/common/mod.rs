//! Shared by the integration tests: a generator of valid requests and the
//! SPEC §8 invariants as one checker, so every test states them the same way.

#![allow(dead_code)]

pub mod fuzzing;
pub mod generate;
pub mod invariants;

use std::path::{Path, PathBuf};

/// The repository's `tests/` folder.
pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}
