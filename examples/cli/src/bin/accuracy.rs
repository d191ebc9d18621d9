//! How close estimates come to real sessions, with and without a personal
//! pace (method: `time_crunch::history::accuracy`).
//!
//! Run with
//! ```not_rust
//! scripts/accuracy.sh ../shared/data/exports
//! ```
//!
//! Reads every `*.csv` under the folders given (one file = one lifter) and
//! prints one JSON line per lifter and, last, the summary line
//! `{"lifters", "sessions", "default": {"medianApe", "within20"}, "personal": {...}}`.
//! A file that is not an export is reported on stderr and left out; no
//! readable export at all exits with status 2.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use time_crunch::history::accuracy::{lifter_accuracy, summary};
use time_crunch::history::import;

fn main() -> ExitCode {
    let folders: Vec<String> = std::env::args().skip(1).collect();
    if folders.is_empty() {
        eprintln!("usage: accuracy FOLDER...");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for folder in &folders {
        if let Err(err) = collect_csv(Path::new(folder), &mut files) {
            eprintln!("accuracy: cannot read {folder}: {err}");
            return ExitCode::from(2);
        }
    }
    files.sort();
    let mut lifters = Vec::new();
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("accuracy: {}: {err}", file.display());
                continue;
            }
        };
        match import(&text) {
            Ok(history) => {
                let lifter = lifter_accuracy(&lifter_name(file), &history);
                println!("{}", serde_json::to_string(&lifter).unwrap_or_default());
                lifters.push(lifter);
            }
            Err(err) => eprintln!("accuracy: {}: {err}", file.display()),
        }
    }
    if lifters.is_empty() {
        eprintln!("accuracy: no readable export under {}", folders.join(", "));
        return ExitCode::from(2);
    }
    println!("{}", serde_json::to_string(&summary(&lifters)).unwrap_or_default());
    ExitCode::SUCCESS
}

/// The lifter's name: the export's folder (one folder per lifter in the
/// shared data), or the file name when files sit side by side.
fn lifter_name(file: &Path) -> String {
    let parent = file.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match parent {
        Some(parent) => format!("{parent}/{name}"),
        None => name,
    }
}

fn collect_csv(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_csv(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            out.push(path);
        }
    }
    Ok(())
}
