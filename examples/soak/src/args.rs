//! Command-line options of the soak, with hard caps: whatever is asked, a
//! run is bounded in time, requests, concurrency and rate, and only talks
//! to loopback addresses.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;
use time_crunch::api::{DEFAULT_HOST, DEFAULT_METRICS_PORT};

/// Longest soak accepted.
pub const MAX_DURATION: Duration = Duration::from_secs(2 * 3600);
/// Most requests one run sends, whatever `--max-requests` says.
pub const MAX_REQUESTS: u64 = 5_000_000;
/// Most requests in flight at once.
pub const MAX_CONCURRENCY: usize = 256;
/// Highest fixed rate, requests per second.
pub const MAX_RATE: f64 = 20_000.0;
/// Longest one request may take before it counts as failed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What to run.
#[derive(Debug, Clone)]
pub struct Args {
    /// Base URL of the server (loopback only).
    pub url: Url,
    /// How long to send traffic.
    pub duration: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Fixed rate in requests per second; `None`: as fast as the workers go.
    pub rate: Option<f64>,
    /// Stop after this many requests even if time remains.
    pub max_requests: u64,
    /// The server's Prometheus endpoint, read for `process_resident_memory_bytes`.
    pub metrics_url: Option<Url>,
    /// The server's process id, read from /proc when no metrics URL answers.
    pub pid: Option<u32>,
    /// Seconds between progress lines.
    pub progress: Duration,
    /// Seed of the traffic mix (same seed, same sequence of requests).
    pub seed: u64,
    /// Folder of `*.plan.json` plans.
    pub corpus: PathBuf,
    /// Folder of golden `*.request.json` cases.
    pub fixtures: PathBuf,
}

const USAGE: &str = "usage: soak --url http://127.0.0.1:8080 --duration 10m --concurrency N [--rate R] \
[--max-requests N] [--metrics-url http://127.0.0.1:9464/metrics | --pid PID] [--progress 10s] [--seed S] \
[--corpus DIR] [--fixtures DIR]";

/// The repository's `tests/` folder (this crate lives in examples/soak):
/// the default corpus and fixtures.
pub const TESTS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests");

impl Args {
    /// Reads the options; `Err` holds a message for the user.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let tests = PathBuf::from(TESTS_DIR);
        let mut url = None;
        let mut duration = None;
        let mut concurrency = None;
        let mut rate = None;
        let mut max_requests = MAX_REQUESTS;
        let mut metrics_url = None;
        let mut pid = None;
        let mut progress = None;
        let mut seed = 1;
        let mut corpus = tests.join("corpus");
        let mut fixtures = tests.join("fixtures");
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Err(USAGE.into());
            }
            let value = args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
            match arg.as_str() {
                "--url" => url = Some(parse_url(&value)?),
                "--duration" => duration = Some(parse_duration(&value)?),
                "--concurrency" => concurrency = Some(parse_number::<usize>(&arg, &value)?),
                "--rate" => rate = Some(parse_number::<f64>(&arg, &value)?),
                "--max-requests" => max_requests = parse_number::<u64>(&arg, &value)?,
                "--metrics-url" => metrics_url = Some(parse_url(&value)?),
                "--pid" => pid = Some(parse_number::<u32>(&arg, &value)?),
                "--progress" => progress = Some(parse_duration(&value)?),
                "--seed" => seed = parse_number::<u64>(&arg, &value)?,
                "--corpus" => corpus = value.into(),
                "--fixtures" => fixtures = value.into(),
                _ => return Err(format!("unknown option {arg}\n{USAGE}")),
            }
        }
        let url = url.ok_or_else(|| format!("--url is required\n{USAGE}"))?;
        let duration = duration.ok_or_else(|| format!("--duration is required\n{USAGE}"))?;
        let concurrency = concurrency.ok_or_else(|| format!("--concurrency is required\n{USAGE}"))?;
        if duration.is_zero() || duration > MAX_DURATION {
            return Err(format!("--duration must be from 1 s to {} h", MAX_DURATION.as_secs() / 3600));
        }
        if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
            return Err(format!("--concurrency must be from 1 to {MAX_CONCURRENCY}"));
        }
        if let Some(rate) = rate {
            if !(rate.is_finite() && rate > 0.0 && rate <= MAX_RATE) {
                return Err(format!("--rate must be above 0 and at most {MAX_RATE}"));
            }
        }
        if max_requests == 0 || max_requests > MAX_REQUESTS {
            return Err(format!("--max-requests must be from 1 to {MAX_REQUESTS}"));
        }
        // Without a metrics URL, the server twin's default metrics address on the same host.
        let metrics_url = match metrics_url {
            Some(metrics_url) => Some(metrics_url),
            None if pid.is_none() => Some(
                Url::parse(&format!(
                    "http://{}:{DEFAULT_METRICS_PORT}/metrics",
                    url.host_str().unwrap_or(DEFAULT_HOST)
                ))
                .map_err(|e| format!("cannot derive the metrics URL from {url}: {e}; pass --metrics-url or --pid"))?,
            ),
            None => None,
        };
        // At most one progress line every second, at least four in a run.
        let progress = progress.unwrap_or_else(|| Duration::from_secs(10).min(duration / 4));
        Ok(Args {
            url,
            duration,
            concurrency,
            rate,
            max_requests,
            metrics_url,
            pid,
            progress: progress.max(Duration::from_secs(1)),
            seed,
            corpus,
            fixtures,
        })
    }
}

fn parse_number<T: std::str::FromStr>(option: &str, value: &str) -> Result<T, String> {
    value.parse().map_err(|_| format!("{option} {value} is not a number"))
}

/// `10m`, `30s`, `1h`, `500ms` or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("{text} is not a duration like 10m, 30s or 1h"))?;
    let seconds = match unit {
        "" | "s" => number,
        "ms" => number / 1000.0,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        _ => return Err(format!("{text} is not a duration like 10m, 30s or 1h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{text} is not a duration like 10m, 30s or 1h"))
}

/// An `http://` URL whose host is a loopback address: a soak is a load
/// test, and load goes to this machine only.
fn parse_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("{text} is not a URL: {e}"))?;
    if url.scheme() != "http" {
        return Err(format!("{text}: only http:// URLs (the server twin on this machine)"));
    }
    let host = url.host_str().unwrap_or_default();
    let loopback = match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    };
    if !loopback {
        return Err(format!("{text}: the soak only targets loopback addresses (127.0.0.0/8, [::1], localhost)"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("ten minutes").is_err());
        assert!(parse_duration("5d").is_err());
    }

    #[test]
    fn only_loopback_urls_are_accepted() {
        for ok in ["http://127.0.0.1:8080", "http://127.3.4.5/", "http://[::1]:9000", "http://localhost:8080"] {
            assert!(parse_url(ok).is_ok(), "{ok}");
        }
        for refused in ["http://10.0.0.1:8080", "http://192.168.1.2", "http://example.com", "https://127.0.0.1"] {
            assert!(parse_url(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn caps_hold_whatever_is_asked() {
        let base = |extra: &[&str]| {
            let mut args: Vec<String> =
                ["--url", "http://127.0.0.1:1", "--duration", "10s", "--concurrency", "4"].map(String::from).into();
            args.extend(extra.iter().map(|s| s.to_string()));
            Args::parse(args)
        };
        assert!(base(&[]).is_ok());
        assert!(base(&["--duration", "3h"]).is_err());
        assert!(base(&["--concurrency", "100000"]).is_err());
        assert!(base(&["--rate", "0"]).is_err());
        assert!(base(&["--max-requests", "999999999"]).is_err());
        assert_eq!(base(&[]).unwrap().metrics_url.unwrap().as_str(), "http://127.0.0.1:9464/metrics");
    }
}
