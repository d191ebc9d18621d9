//! The rollout plan's figures and the go/no-go verdict (SPEC §9).
//!
//! Definitions, the same as the dashboards' (dashboards/alerts.yml):
//! - success rate: previews answered that fit the athlete's time, per
//!   preview answered (the time-constraint success rate);
//! - error rate: calls that failed (transport error, timeout, 5xx, or any
//!   answer other than the expected one), per call; an invalid request that
//!   gets its typed 4xx error is a correct answer, not an error;
//! - response time: from sending a call to its last body byte, every call;
//! - memory: the server's resident memory after the warm-up against the end.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::traffic::Kind;

/// Soak go/no-go thresholds from the rollout plan.
pub const MIN_SUCCESS_RATE: f64 = 0.95;
/// Mean response time must stay below this.
pub const MAX_MEAN: Duration = Duration::from_secs(2);
/// 95th percentile response time must stay below this.
pub const MAX_P95: Duration = Duration::from_secs(5);
/// Error rate must stay below this.
pub const MAX_ERROR_RATE: f64 = 0.05;
/// Largest growth of resident memory from the end of the warm-up to the end.
pub const MAX_MEMORY_GROWTH: f64 = 0.10;

/// The outcome of one call.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The expected answer; for previews, whether it fits.
    Ok { fits: Option<bool> },
    /// Anything else, with a short reason (grouped in the report).
    Failed(String),
}

/// Everything recorded during the run.
#[derive(Debug, Default)]
pub struct Figures {
    /// Response times in microseconds, by kind.
    latencies: BTreeMap<Kind, Vec<u32>>,
    /// Calls that failed, by kind.
    failed: BTreeMap<Kind, u64>,
    /// Why calls failed, with counts.
    reasons: BTreeMap<String, u64>,
    /// Previews answered, and how many fit.
    previews: u64,
    fitting: u64,
}

/// Resident memory samples, bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Memory {
    /// Before any traffic.
    pub start: Option<f64>,
    /// After the warm-up: the baseline growth is measured from.
    pub warm: Option<f64>,
    /// After the last call.
    pub end: Option<f64>,
    /// Highest sample seen.
    pub peak: Option<f64>,
}

impl Memory {
    /// Records a sample as the peak if it is one.
    pub fn observe(&mut self, bytes: f64) {
        self.peak = Some(self.peak.map_or(bytes, |p| p.max(bytes)));
    }

    /// Growth from the warm baseline to the end, as a fraction.
    pub fn growth(&self) -> Option<f64> {
        Some(self.end? / self.warm? - 1.0)
    }
}

impl Figures {
    /// Records one call.
    pub fn record(&mut self, kind: Kind, elapsed: Duration, outcome: Outcome) {
        let micros = u32::try_from(elapsed.as_micros()).unwrap_or(u32::MAX);
        self.latencies.entry(kind).or_default().push(micros);
        match outcome {
            Outcome::Ok { fits } => {
                if let Some(fits) = fits {
                    self.previews += 1;
                    self.fitting += u64::from(fits);
                }
            }
            Outcome::Failed(reason) => {
                *self.failed.entry(kind).or_default() += 1;
                *self.reasons.entry(reason).or_default() += 1;
            }
        }
    }

    /// Calls recorded so far.
    pub fn calls(&self) -> u64 {
        self.latencies.values().map(|l| l.len() as u64).sum()
    }

    /// Failed calls so far.
    pub fn failures(&self) -> u64 {
        self.failed.values().sum()
    }

    /// Response times of every call (or one kind), sorted, microseconds.
    fn sorted(&self, kind: Option<Kind>) -> Vec<u32> {
        let mut all: Vec<u32> = self
            .latencies
            .iter()
            .filter(|(k, _)| kind.is_none_or(|kind| **k == kind))
            .flat_map(|(_, l)| l.iter().copied())
            .collect();
        all.sort_unstable();
        all
    }

    /// p95 of the calls recorded after the first `skip` (progress lines).
    pub fn recent_p95(&self, skip: &BTreeMap<Kind, usize>) -> Option<Duration> {
        let mut recent: Vec<u32> = self
            .latencies
            .iter()
            .flat_map(|(k, l)| l[skip.get(k).copied().unwrap_or(0).min(l.len())..].iter().copied())
            .collect();
        recent.sort_unstable();
        percentile(&recent, 0.95)
    }

    /// How many calls of each kind have been recorded.
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        self.latencies.iter().map(|(k, l)| (*k, l.len())).collect()
    }

    /// Prints the figures and the verdict; returns whether it is GO.
    pub fn report(&self, elapsed: Duration, rate: Option<f64>, memory: &Memory, memory_note: &str) -> bool {
        let calls = self.calls();
        let achieved = calls as f64 / elapsed.as_secs_f64().max(1e-9);
        let asked = rate.map_or_else(String::new, |r| format!(", asked {r}/s"));
        println!("soak: {:.1} s, {calls} calls ({achieved:.1}/s{asked})", elapsed.as_secs_f64());
        for kind in Kind::ALL {
            let sorted = self.sorted(Some(kind));
            let failed = self.failed.get(&kind).copied().unwrap_or(0);
            println!(
                "  {:<9} {:>9} calls  {:>6} failed  mean {:>9}  p95 {:>9}  max {:>9}",
                kind.name(),
                sorted.len(),
                failed,
                show(mean(&sorted)),
                show(percentile(&sorted, 0.95)),
                show(sorted.last().map(|m| Duration::from_micros(u64::from(*m))))
            );
        }
        for (reason, count) in &self.reasons {
            println!("  failed: {count} × {reason}");
        }
        let all = self.sorted(None);
        let (mean, p95) = (mean(&all), percentile(&all, 0.95));
        let success = (self.previews > 0).then(|| self.fitting as f64 / self.previews as f64);
        let error_rate = (calls > 0).then(|| self.failures() as f64 / calls as f64);
        let mb = |b: Option<f64>| b.map_or("?".into(), |b| format!("{:.1} MB", b / 1e6));
        println!(
            "server memory ({memory_note}): start {}, after warm-up {}, end {}, peak {}",
            mb(memory.start),
            mb(memory.warm),
            mb(memory.end),
            mb(memory.peak)
        );

        println!("rollout criteria (SPEC §9):");
        let mut reasons = Vec::new();
        let mut criterion = |ok: bool, text: String| {
            println!("  {} {text}", if ok { "PASS" } else { "FAIL" });
            if !ok {
                reasons.push(text);
            }
        };
        match success {
            Some(s) => criterion(
                s > MIN_SUCCESS_RATE,
                format!(
                    "success rate {:.2} % ({} of {} previews fit), needs > 95 %",
                    s * 100.0,
                    self.fitting,
                    self.previews
                ),
            ),
            None => criterion(false, "success rate unknown: no preview was answered".into()),
        }
        match mean {
            Some(m) => criterion(m < MAX_MEAN, format!("mean response {}, needs < 2 s", show(Some(m)))),
            None => criterion(false, "mean response unknown: no call was made".into()),
        }
        match p95 {
            Some(p) => criterion(p < MAX_P95, format!("p95 response {}, needs < 5 s", show(Some(p)))),
            None => criterion(false, "p95 response unknown: no call was made".into()),
        }
        match error_rate {
            Some(e) => criterion(
                e < MAX_ERROR_RATE,
                format!("error rate {:.2} % ({} of {calls} calls), needs < 5 %", e * 100.0, self.failures()),
            ),
            None => criterion(false, "error rate unknown: no call was made".into()),
        }
        match memory.growth() {
            Some(g) => criterion(
                g <= MAX_MEMORY_GROWTH,
                format!("memory stable: {:+.1} % from after the warm-up to the end, needs ≤ +10 %", g * 100.0),
            ),
            None => criterion(false, format!("memory not measured ({memory_note})")),
        }
        if let Some(rate) = rate {
            criterion(achieved >= 0.9 * rate, format!("rate held: {achieved:.1}/s of {rate}/s asked (at least 90 %)"));
        }
        if reasons.is_empty() {
            println!("verdict: GO");
            true
        } else {
            println!("verdict: NO-GO");
            for reason in &reasons {
                println!("  because: {reason}");
            }
            false
        }
    }
}

fn mean(sorted: &[u32]) -> Option<Duration> {
    (!sorted.is_empty()).then(|| {
        let total: u64 = sorted.iter().map(|&m| u64::from(m)).sum();
        Duration::from_micros(total / sorted.len() as u64)
    })
}

/// Nearest-rank percentile of sorted microseconds.
fn percentile(sorted: &[u32], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(Duration::from_micros(u64::from(sorted[rank - 1])))
}

/// A duration as people read it: µs, ms or s.
pub fn show(d: Option<Duration>) -> String {
    match d {
        None => "-".into(),
        Some(d) if d < Duration::from_millis(1) => format!("{} µs", d.as_micros()),
        Some(d) if d < Duration::from_secs(1) => format!("{:.1} ms", d.as_secs_f64() * 1e3),
        Some(d) => format!("{:.2} s", d.as_secs_f64()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(ok: u64, fits: u64, failed: u64, each: Duration) -> Figures {
        let mut f = Figures::default();
        for n in 0..ok {
            f.record(Kind::Preview, each, Outcome::Ok { fits: Some(n < fits) });
        }
        for _ in 0..failed {
            f.record(Kind::Telemetry, each, Outcome::Failed("status 503".into()));
        }
        f
    }

    fn memory(warm: f64, end: f64) -> Memory {
        Memory { start: Some(warm), warm: Some(warm), end: Some(end), peak: Some(end) }
    }

    #[test]
    fn a_healthy_run_is_go() {
        let f = figures(100, 99, 0, Duration::from_millis(3));
        assert!(f.report(Duration::from_secs(1), None, &memory(10e6, 10.5e6), "test"));
    }

    #[test]
    fn each_threshold_alone_makes_it_no_go() {
        let ms = Duration::from_millis(3);
        // 95 % fitting is not above 95 %.
        assert!(!figures(100, 95, 0, ms).report(Duration::from_secs(1), None, &memory(1.0, 1.0), "test"));
        // 5 failed of 100 calls is not below 5 %.
        assert!(!figures(95, 95, 5, ms).report(Duration::from_secs(1), None, &memory(1.0, 1.0), "test"));
        assert!(!figures(100, 100, 0, Duration::from_secs(2)).report(
            Duration::from_secs(1),
            None,
            &memory(1.0, 1.0),
            "test"
        ));
        assert!(!figures(100, 100, 0, ms).report(Duration::from_secs(1), None, &memory(10e6, 11.1e6), "test"));
        assert!(!figures(100, 100, 0, ms).report(Duration::from_secs(1), None, &Memory::default(), "test"));
        // 100 calls in 1 s hold 100/s but not 200/s.
        assert!(figures(100, 100, 0, ms).report(Duration::from_secs(1), Some(100.0), &memory(1.0, 1.0), "test"));
        assert!(!figures(100, 100, 0, ms).report(Duration::from_secs(1), Some(200.0), &memory(1.0, 1.0), "test"));
        assert!(!Figures::default().report(Duration::from_secs(1), None, &memory(1.0, 1.0), "test"));
    }

    #[test]
    fn p95_is_the_nearest_rank() {
        let sorted: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&sorted, 0.95), Some(Duration::from_micros(95)));
        assert_eq!(percentile(&[7], 0.95), Some(Duration::from_micros(7)));
        let mut slow = figures(100, 100, 0, Duration::from_millis(1));
        for _ in 0..6 {
            slow.record(Kind::Flag, Duration::from_secs(6), Outcome::Ok { fits: None });
        }
        assert!(!slow.report(Duration::from_secs(1), None, &memory(1.0, 1.0), "test"), "6 of 106 over 5 s");
    }
}
