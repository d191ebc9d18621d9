//! The checkpoint tool's command line.

use clap::{ArgGroup, Parser};
use jiff::Timestamp;

use crate::window::Checkpoint;

/// The rollout plan's checkpoint reports, from Prometheus.
///
/// Exit status: 0 for a Green or Yellow update and for `verdict: GO`, 1 for
/// a Red update and for `verdict: NO-GO`, 2 when no report can be made (a
/// sentence on stderr says why).
#[derive(Debug, Parser)]
#[command(name = "checkpoint", version)]
#[command(group(ArgGroup::new("report").required(true).args(["hour", "day", "final_"])))]
pub struct Args {
    /// Prometheus' base URL, e.g. http://127.0.0.1:9090
    #[arg(long, value_name = "URL")]
    pub prometheus: reqwest::Url,
    /// When the rollout started, RFC 3339 (2026-12-01T09:00:00Z).
    #[arg(long, value_name = "TIME", value_parser = parse_rfc3339)]
    pub start: Timestamp,
    /// The update for hour N (1–8, then 12, 16, … 48: each covers 4 hours).
    #[arg(long, value_name = "N")]
    pub hour: Option<u32>,
    /// The 24-hour checkpoint.
    #[arg(long)]
    pub day: bool,
    /// The go/no-go at hour 48.
    #[arg(long = "final")]
    pub final_: bool,
    /// One JSON object instead of markdown.
    #[arg(long)]
    pub json: bool,
    /// The server twin's Prometheus job, a regular expression (the
    /// dashboard's `job` variable; dashboards/prometheus.yml names it time-crunch).
    #[arg(long, default_value = "time-crunch")]
    pub job: String,
}

impl Args {
    /// Which report was asked for.
    pub fn checkpoint(&self) -> Checkpoint {
        match self.hour {
            Some(n) => Checkpoint::Hour(n),
            None if self.day => Checkpoint::Day,
            None => Checkpoint::Final,
        }
    }
}

/// RFC 3339, with a sentence when it is not.
fn parse_rfc3339(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>().map_err(|e| format!("not an RFC 3339 time like 2026-12-01T09:00:00Z ({e})"))
}
