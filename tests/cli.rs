//! The `preview` example as a user runs it: one line per preview, 166 with
//! `--sweep`, stdin with `-`, and the error envelope with status 2.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// `cargo test` builds examples next to the test binaries' `deps` folder.
fn preview_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("examples").join(format!("preview{}", std::env::consts::EXE_SUFFIX))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(preview_binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the preview example is built by cargo test");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn fixture(case: &str) -> String {
    common::tests_dir().join("fixtures").join(format!("{case}.request.json")).to_string_lossy().into_owned()
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
