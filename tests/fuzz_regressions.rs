//! The fuzz targets' checks (tests/support/src/fuzzing.rs) in the normal test
//! suite: over the seeds the fuzzer starts from (tests/fixtures) and every
//! input kept in `fuzz/regressions/<target>/` (a crasher the fuzzer found,
//! kept once fixed), so each stays fixed without cargo-fuzz or nightly.

#![cfg(not(target_arch = "wasm32"))]

use time_crunch_test_support as support;

use std::path::Path;

/// Every file in a folder, sorted; none if the folder does not exist.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn regressions(target: &str) -> Vec<(String, Vec<u8>)> {
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target))
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let seeds = files(&support::fixtures_dir());
    assert!(seeds.len() > 20, "the golden fixtures seed the fuzzer");
    seeds
}

/// Runs one check over inputs, naming the input that fails.
fn replay(inputs: Vec<(String, Vec<u8>)>, check: fn(&[u8])) {
    for (name, data) in inputs {
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{name} fails its fuzz check (see the panic above)");
        }
    }
}

#[test]
fn request_json_seeds_and_regressions_pass() {
    replay(seeds(), support::fuzzing::request_json);
    replay(regressions("request_json"), support::fuzzing::request_json);
}

#[test]
fn preview_json_seeds_and_regressions_pass() {
    replay(seeds(), support::fuzzing::preview_json);
    replay(regressions("preview_json"), support::fuzzing::preview_json);
}

#[test]
fn import_seeds_and_regressions_pass() {
    // The seeds: every real export (each LICENSE file beside them too: not an export).
    let mut seeds = Vec::new();
    for folder in std::fs::read_dir(support::exports_dir()).expect("the real exports (tests/data/exports)") {
        seeds.extend(files(&folder.unwrap().path()));
    }
    assert!(seeds.len() >= 12, "six exports and their licences seed the import fuzzer");
    // Cut as the fuzzer cuts them (-max_len=16384), and whole.
    let cut: Vec<(String, Vec<u8>)> = seeds
        .iter()
        .map(|(name, data)| (format!("{name} (first 16 KiB)"), data[..data.len().min(16384)].to_vec()))
        .collect();
    replay(cut, support::fuzzing::import);
    replay(seeds, support::fuzzing::import);
    replay(regressions("import"), support::fuzzing::import);
}

#[test]
fn engine_regressions_and_simple_inputs_pass() {
    // The empty input and a few byte patterns decode to small plans.
    let patterns: Vec<(String, Vec<u8>)> =
        [vec![], vec![0xff; 64], (0..=255).collect(), vec![1, 7, 3, 9, 200, 31, 0, 5]]
            .into_iter()
            .enumerate()
            .map(|(n, bytes)| (format!("pattern {n}"), bytes))
            .collect();
    replay(patterns, support::fuzzing::engine);
    replay(regressions("engine"), support::fuzzing::engine);
}
