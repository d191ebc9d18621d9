//! The rollout plan's checkpoint reports, read from Prometheus: the update
//! for an hour of the 48-hour soak, the 24-hour checkpoint, and the go/no-go.
//!
//! Run with
//! ```not_rust
//! scripts/checkpoint.sh --prometheus http://127.0.0.1:9090 --start 2026-12-01T09:00:00Z \
//!     (--hour N | --day | --final) [--json] [--job time-crunch]
//! ```
//!
//! Markdown by default, one JSON object with `--json`. Exit status 0 for a
//! Green or Yellow update and `verdict: GO`, 1 for Red and `verdict: NO-GO`,
//! 2 with a sentence on stderr when no report can be made.

use std::process::ExitCode;

use clap::Parser;
use time_crunch_checkpoint::args::Args;
use time_crunch_checkpoint::error::{CheckpointError, EXIT_CANNOT_JUDGE};
use time_crunch_checkpoint::markdown;
use time_crunch_checkpoint::prometheus::Prometheus;
use time_crunch_checkpoint::report::{self, Context, Status, Verdict};

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("checkpoint: {error}");
            ExitCode::from(EXIT_CANNOT_JUDGE)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, CheckpointError> {
    let context = Context {
        prometheus: Prometheus::new(args.prometheus.clone())?,
        job: args.job.clone(),
        rollout_start: args.start,
        now: jiff::Timestamp::now(),
    };
    let report = report::make(&context, args.checkpoint())?;
    if args.json {
        let line =
            serde_json::to_string(&report).map_err(|e| CheckpointError::new(format!("cannot write JSON: {e}")))?;
        println!("{line}");
    } else {
        print!("{}", markdown::render(&report));
    }
    let failed = report.verdict == Some(Verdict::NoGo) || (report.verdict.is_none() && report.status == Status::Red);
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
