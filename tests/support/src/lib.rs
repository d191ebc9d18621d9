//! Checks shared by the engine's tests and its fuzz targets, so every test
//! states the rules the same way: the SPEC §8 invariants as one checker
//! ([`invariants`]), what every fuzz input must satisfy ([`fuzzing`]), a
//! proptest generator of valid requests ([`generate`], feature `generate`),
//! and where the shared test data lives.

pub mod fuzzing;
#[cfg(feature = "generate")]
pub mod generate;
pub mod invariants;

use std::path::{Path, PathBuf};

/// The repository's `tests/` folder.
pub fn tests_dir() -> PathBuf {
    // This crate lives in tests/support.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("tests"), Path::to_path_buf)
}

/// The golden cases: `<case>.request.json` → `<case>.preview.json` or `<case>.error.json`.
pub fn fixtures_dir() -> PathBuf {
    tests_dir().join("fixtures")
}

/// The realistic plans (`*.plan.json`).
pub fn corpus_dir() -> PathBuf {
    tests_dir().join("corpus")
}

/// The real Strong and Hevy exports the project tests against
/// (`tests/data/exports/<folder>/`, copies of `shared/data/exports`; its README
/// names each source and licence).
pub fn exports_dir() -> PathBuf {
    // The copies in tests/data/exports, each beside its LICENSE.
    tests_dir().join("data/exports")
}

/// Every golden request as `(case, request JSON)`, sorted by case name.
pub fn fixture_requests() -> Vec<(String, String)> {
    let dir = fixtures_dir();
    let mut cases: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            let case = name.strip_suffix(".request.json")?.to_owned();
            let text = std::fs::read_to_string(dir.join(&name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
            Some((case, text))
        })
        .collect();
    cases.sort();
    cases
}
