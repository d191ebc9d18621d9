//! Compress a session from the command line.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-cli --bin preview -- request.json        # one preview
//! cargo run --release -p time-crunch-cli --bin preview -- --sweep request.json # 166 lines, targets 15..=180
//! cat request.json | cargo run --release -p time-crunch-cli --bin preview -- -
//! ```
//!
//! Reads a PreviewRequest and prints each preview as one line of JSON.
//! Invalid input prints the error envelope on stderr and exits with status 2.

use std::io::{Read, Write};
use std::process::ExitCode;

use time_crunch::wire::json;
use time_crunch::{Error, ErrorCode};

const USAGE: &str = "usage: preview [--sweep] FILE   (FILE is a PreviewRequest as JSON, - for stdin)";

fn main() -> ExitCode {
    let mut sweep = false;
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--sweep" => sweep = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if file.is_none() => file = Some(arg),
            _ => return usage_error(),
        }
    }
    let Some(file) = file else {
        return usage_error();
    };
    let input = match read_input(&file) {
        Ok(input) => input,
        Err(err) => {
            eprintln!("preview: cannot read {file}: {err}");
            return ExitCode::from(2);
        }
    };
    match run(&input, sweep) {
        Ok(lines) => {
            let mut stdout = std::io::stdout().lock();
            for line in lines {
                if writeln!(stdout, "{line}").is_err() {
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{}", json::to_json(&err.envelope()));
            ExitCode::from(2)
        }
    }
}

fn run(input: &str, sweep: bool) -> Result<Vec<String>, Error> {
    let request = json::request_from_json(input)?;
    if sweep {
        Ok(time_crunch::sweep(&request)?.iter().map(json::to_json).collect())
    } else {
        Ok(vec![json::to_json(&time_crunch::preview(&request)?)])
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

fn usage_error() -> ExitCode {
    let err = Error { code: ErrorCode::InvalidRequest, message: USAGE.to_owned(), path: None };
    eprintln!("{}", json::to_json(&err.envelope()));
    ExitCode::from(2)
}
