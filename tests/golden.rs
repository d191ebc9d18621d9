//! Golden fixtures: `tests/fixtures/<case>.request.json` and the expected
//! `<case>.preview.json` (or `<case>.error.json` for bad input). The same
//! files drive the WebAssembly tests and the server parity tests.
//!
//! After an intended engine change, regenerate with
//! `BLESS=1 cargo test --test golden` and review the diff.

#![cfg(not(target_arch = "wasm32"))]

use time_crunch_test_support as support;

use std::fs;

use serde_json::Value;
use time_crunch::wire::json::{request_from_json, to_json};

fn run(request: &str) -> Value {
    let result = request_from_json(request).and_then(|r| time_crunch::preview(&r));
    let json = match result {
        Ok(preview) => to_json(&preview),
        Err(error) => to_json(&error.envelope()),
    };
    serde_json::from_str(&json).unwrap()
}

#[test]
fn every_fixture_matches_its_expected_output() {
    let dir = support::fixtures_dir();
    let bless = std::env::var_os("BLESS").is_some();
    let mut cases = 0;
    let mut entries: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(case) = name.strip_suffix(".request.json") else { continue };
        cases += 1;
        let actual = run(&fs::read_to_string(&path).unwrap());
        let kind = if actual.get("error").is_some() { "error" } else { "preview" };
        let expected_path = dir.join(format!("{case}.{kind}.json"));
        if bless {
            fs::write(&expected_path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value = match fs::read_to_string(&expected_path) {
            Ok(text) => serde_json::from_str(&text).unwrap(),
            Err(_) => panic!("{case}: no {kind} expected in {}; run with BLESS=1", expected_path.display()),
        };
        assert_eq!(actual, expected, "{case}: output differs from {}", expected_path.display());
        // Error cases must be named for what they test, and only they fail.
        assert_eq!(case.starts_with("error-"), kind == "error", "{case}: unexpected {kind}");
    }
    assert!(cases >= 20, "only {cases} fixtures found");
}

/// The WebAssembly tests list the fixtures at compile time; they must list
/// every one, or the browser would silently test less than native.
#[test]
fn wasm_tests_list_every_fixture() {
    let listed = fs::read_to_string(support::tests_dir().join("wasm.rs")).unwrap();
    for entry in fs::read_dir(support::fixtures_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(case) = name.strip_suffix(".request.json") {
            assert!(listed.contains(&format!("\"{case}\"")), "tests/wasm.rs does not list fixture {case}");
        }
    }
}
