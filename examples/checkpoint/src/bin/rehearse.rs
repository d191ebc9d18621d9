//! Writes the series of a rehearsed 48-hour rollout as OpenMetrics, ready
//! for `promtool tsdb create-blocks-from openmetrics FILE DIR`, so an
//! operator (and the tests) can run the checkpoints against a real
//! Prometheus before the real soak.
//!
//! Run with
//! ```not_rust
//! scripts/rehearse.sh --scenario error-burst --start 2026-12-01T09:00:00Z [--out FILE] \
//!     [--hours 48] [--step 60] [--job time-crunch] [--instance 127.0.0.1:9464] [--incident-at MIN]
//! ```
//!
//! Exit status 0, or 2 with a sentence (bad options, a file that cannot be written).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use jiff::Timestamp;
use time_crunch_checkpoint::openmetrics;
use time_crunch_checkpoint::rehearsal::{Incident, Rehearsal, Scenario};

/// Writes a rehearsed rollout's series as OpenMetrics.
#[derive(Debug, Parser)]
#[command(name = "rehearse", version)]
struct Args {
    /// What happens during the rollout.
    #[arg(long, value_enum)]
    scenario: Scenario,
    /// When the rollout starts, RFC 3339. Prometheus keeps backfilled
    /// blocks only within its retention, so rehearse recent days.
    #[arg(long, value_parser = |s: &str| s.parse::<Timestamp>().map_err(|e| format!("not an RFC 3339 time like 2026-12-01T09:00:00Z ({e})")))]
    start: Timestamp,
    /// Hours of history to write (1–48).
    #[arg(long, default_value_t = 48, value_parser = clap::value_parser!(u32).range(1..=48))]
    hours: u32,
    /// Seconds between samples, like a scrape interval (10–300).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(i64).range(10..=300))]
    step: i64,
    /// The `job` label.
    #[arg(long, default_value = "time-crunch")]
    job: String,
    /// The `instance` label.
    #[arg(long, default_value = "127.0.0.1:9464")]
    instance: String,
    /// Minutes from the start when the incident begins (default: the scenario's).
    #[arg(long, value_name = "MIN")]
    incident_at: Option<u32>,
    /// Previews attempted per minute on average.
    #[arg(long, default_value_t = 120.0)]
    previews_per_minute: f64,
    /// Where to write (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let incident = match (args.scenario.default_incident(), args.incident_at) {
        (Some(incident), Some(from_minute)) => Some(Incident { from_minute, ..incident }),
        (None, Some(_)) => {
            eprintln!("rehearse: --incident-at needs a scenario with an incident (not {:?})", args.scenario);
            return ExitCode::from(2);
        }
        (incident, None) => incident,
    };
    if !(args.previews_per_minute.is_finite() && args.previews_per_minute > 0.0 && args.previews_per_minute <= 1e6) {
        eprintln!("rehearse: --previews-per-minute must be above 0 and at most 1000000");
        return ExitCode::from(2);
    }
    let rehearsal = Rehearsal {
        scenario: args.scenario,
        incident,
        start: args.start,
        hours: args.hours,
        step_seconds: args.step,
        job: args.job,
        instance: args.instance,
        previews_per_minute: args.previews_per_minute,
    };
    let written = match &args.out {
        Some(path) => File::create(path).and_then(|file| write(&rehearsal, BufWriter::new(file))),
        None => write(&rehearsal, BufWriter::new(io::stdout().lock())),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let target = args.out.map_or("standard output".to_owned(), |p| p.display().to_string());
            eprintln!("rehearse: cannot write {target}: {error}");
            ExitCode::from(2)
        }
    }
}

fn write(rehearsal: &Rehearsal, mut out: impl Write) -> io::Result<()> {
    openmetrics::write(&mut out, &rehearsal.families(), &rehearsal.timestamps())?;
    out.flush()
}
