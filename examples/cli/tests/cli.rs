//! The `preview` program as a user runs it: one line per preview, 166 with
//! `--sweep`, stdin with `-`, and the error envelope with status 2; the
//! `import` program: a history or its calibration as JSON, errors with status 2.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Cargo builds the crate's programs before its integration tests.
fn preview_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_preview"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(preview_binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo builds the preview program for its tests");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// The repository's golden cases (this crate lives in examples/cli).
fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures"))
}

fn fixture(case: &str) -> String {
    fixtures_dir().join(format!("{case}.request.json")).to_string_lossy().into_owned()
}

#[test]
fn prints_one_line_of_json_per_preview() {
    let out = run(&[&fixture("supersets-pull-day")], None);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let preview: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(preview["targetMinutes"], 40);
}

#[test]
fn sweep_prints_166_previews_in_target_order() {
    let out = run(&["--sweep", &fixture("supersets-pull-day")], None);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let targets: Vec<i64> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["targetMinutes"].as_i64().unwrap())
        .collect();
    assert_eq!(targets, (15..=180).collect::<Vec<_>>());
}

#[test]
fn reads_stdin_with_a_dash() {
    let request = std::fs::read_to_string(fixture("fits-as-written")).unwrap();
    let out = run(&["-"], Some(&request));
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("\"strategy\":\"full_accessory_blocks\""));
}

#[test]
fn invalid_input_prints_the_error_envelope_and_exits_2() {
    let out = run(&[&fixture("error-sets-out-of-range")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["code"], "invalid_plan");
    assert_eq!(error["error"]["path"], "plan.blocks[1].exercises[0].sets");

    let out = run(&["-"], Some("not json"));
    assert_eq!(out.status.code(), Some(2));
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["code"], "invalid_request");

    assert_eq!(run(&["/no/such/file.json"], None).status.code(), Some(2));
    assert_eq!(run(&[], None).status.code(), Some(2));
}

/// The `import` program (the native twin of the training-log module).
fn import(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_import"))
        .args(args)
        .output()
        .expect("cargo builds the import program for its tests")
}

fn export(path: &str) -> String {
    format!("{}/../../tests/data/exports/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn import_prints_the_history_and_its_calibration_as_json() {
    let file = export("breinsp+strong-charts/strong.csv");
    let out = import(&[&file]);
    assert!(out.status.success());
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(history["format"], "strong_classic");
    assert!(!history["sessions"].as_array().unwrap().is_empty());

    let out = import(&["--calibrate", &file]);
    assert!(out.status.success());
    let calibration: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(calibration["pace"]["setupSeconds"].is_number());
}

#[test]
fn import_of_a_file_that_is_no_export_prints_the_error_and_exits_2() {
    let out = import(&[&fixture("fits-as-written")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(error["error"]["code"], "not_an_export");
    assert_eq!(import(&[]).status.code(), Some(2));
}
