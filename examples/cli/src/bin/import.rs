//! Read a Strong or Hevy export natively, as the training-log module does in
//! the browser.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-cli --bin import -- tests/data/exports/breinsp+strong-charts/strong.csv
//! cargo run --release -p time-crunch-cli --bin import -- --calibrate strong.csv   # the fitted pace instead
//! cat strong.csv | cargo run --release -p time-crunch-cli --bin import -- -
//! ```
//!
//! Prints the imported `History` (with `--calibrate`, the `Calibration` of
//! it) as one line of JSON, the values `importLog` and `calibrate` of
//! `time-crunch/history` return (tests/consumer/history.test.mjs compares
//! them). serde_json writes a whole-number float with a fraction (`60.0`)
//! where `JSON.stringify` writes `60`; the values are the same. A file that
//! cannot be read as an export prints `{"error": {code, message, line}}` on
//! stderr and exits with status 2.

use std::io::Read;
use std::process::ExitCode;

use time_crunch::history::{HistoryError, HistoryErrorCode};

const USAGE: &str = "usage: import [--calibrate] FILE   (FILE is a Strong or Hevy CSV export, - for stdin)";

fn main() -> ExitCode {
    let mut calibrate = false;
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--calibrate" => calibrate = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if file.is_none() => file = Some(arg),
            _ => return error(&HistoryError::new(HistoryErrorCode::InvalidInput, USAGE)),
        }
    }
    let Some(file) = file else {
        return error(&HistoryError::new(HistoryErrorCode::InvalidInput, USAGE));
    };
    let text = match read_input(&file) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("import: cannot read {file}: {err}");
            return ExitCode::from(2);
        }
    };
    match run(&text, calibrate) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(err) => error(&err),
    }
}

fn run(text: &str, calibrate: bool) -> Result<String, HistoryError> {
    let history = time_crunch::history::import(text)?;
    if calibrate {
        Ok(time_crunch::wire::json::to_json(&time_crunch::history::calibrate::calibrate(&history)?))
    } else {
        Ok(time_crunch::wire::json::to_json(&history))
    }
}

fn read_input(file: &str) -> std::io::Result<String> {
    if file == "-" {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        Ok(input)
    } else {
        std::fs::read_to_string(file)
    }
}

fn error(err: &HistoryError) -> ExitCode {
    eprintln!("{}", serde_json::json!({ "error": err }));
    ExitCode::from(2)
}
