//! A rehearsed rollout: the series the server twin would have exported
//! over a 48-hour soak, minute by minute, for one scenario: a healthy
//! rollout, one per rollback trigger (an error burst, slow responses, a
//! success collapse, traffic that stops), and memory that keeps growing.
//!
//! The series are those of `examples/server/src/metrics.rs` (names, labels,
//! histogram buckets), with the `job` and `instance` labels a scrape adds.
//! Traffic follows a day's curve (±30 %) with a small deterministic
//! wobble, so every run of a scenario writes the same file.

use jiff::Timestamp;

use crate::openmetrics::{Family, Kind, Series};

/// The preview route's request durations: the server twin's buckets
/// (`DURATION_BUCKETS` in examples/server/src/metrics.rs).
pub const DURATION_BUCKETS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// A healthy request's duration: share of requests per bucket above (the
/// last entry is `+Inf`), mean about 8 ms.
const HEALTHY_DURATIONS: [f64; 15] = [0.0, 0.0, 0.05, 0.55, 0.30, 0.08, 0.02, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
/// A slow request: between 5 and 10 s.
const SLOW_DURATIONS: [f64; 15] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0];
/// The strategies of previews that fit, and their shares.
const STRATEGIES: [(&str, f64); 4] =
    [("full_accessory_blocks", 0.3), ("supersets", 0.4), ("core_plus_supersets", 0.2), ("core_only", 0.1)];
/// The preview route, as the server labels it.
pub const PREVIEW_ROUTE: &str = "/v1/time-crunch/preview";

/// A rehearsal scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// Every target met all along.
    Healthy,
    /// 30 % of previews fail for 20 minutes from 5 h 20 min (error rate trigger, hour 6).
    ErrorBurst,
    /// Every preview takes 5–10 s for 15 minutes from 10 h 10 min (response time trigger, hour 12).
    SlowResponses,
    /// Only 70 % of previews fit for 25 minutes from 3 h 15 min (success rate trigger, hour 4).
    SuccessCollapse,
    /// No traffic at all for 60 minutes from 30 h (zero requests trigger, hour 32).
    TrafficStops,
    /// Resident memory grows steadily from 60 MB to 180 MB over 48 h (not stable).
    MemoryGrowth,
}

/// When a scenario's incident happens: minutes from the rollout's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Incident {
    /// Its first minute.
    pub from_minute: u32,
    /// How many minutes it lasts.
    pub minutes: u32,
}

impl Scenario {
    /// The scenario's incident at its default time (none for healthy and
    /// memory growth, which grows all along).
    pub fn default_incident(self) -> Option<Incident> {
        let at = |from_minute, minutes| Some(Incident { from_minute, minutes });
        match self {
            Scenario::Healthy | Scenario::MemoryGrowth => None,
            Scenario::ErrorBurst => at(5 * 60 + 20, 20),
            Scenario::SlowResponses => at(10 * 60 + 10, 15),
            Scenario::SuccessCollapse => at(3 * 60 + 15, 25),
            Scenario::TrafficStops => at(30 * 60, 60),
        }
    }
}

/// A rehearsal: which scenario, when, and the labels a scrape would add.
#[derive(Debug, Clone, PartialEq)]
pub struct Rehearsal {
    /// The scenario.
    pub scenario: Scenario,
    /// The incident (default: the scenario's).
    pub incident: Option<Incident>,
    /// When the rollout started.
    pub start: Timestamp,
    /// How many hours to write.
    pub hours: u32,
    /// Seconds between samples (a scrape interval).
    pub step_seconds: i64,
    /// The `job` label.
    pub job: String,
    /// The `instance` label.
    pub instance: String,
    /// Previews attempted per minute on average.
    pub previews_per_minute: f64,
}

/// What happens in one step.
#[derive(Debug, Clone, Copy)]
struct Step {
    attempts: f64,
    failure_share: f64,
    fits_share: f64,
    slow: bool,
    memory_bytes: f64,
}

impl Rehearsal {
    /// The sample times: the rollout's start, then every step to its end.
    pub fn timestamps(&self) -> Vec<i64> {
        let start = self.start.as_second();
        let steps = i64::from(self.hours) * 3600 / self.step_seconds;
        (0..=steps).map(|i| start + i * self.step_seconds).collect()
    }

    fn step(&self, index: usize) -> Step {
        let seconds = index as f64 * self.step_seconds as f64;
        let minute = (seconds / 60.0) as u32;
        let during = self.incident.is_some_and(|i| minute >= i.from_minute && minute < i.from_minute + i.minutes);
        let day = (seconds / 86_400.0 * std::f64::consts::TAU).sin();
        // A deterministic wobble of ±5 %, so the series are not perfectly smooth.
        let wobble = ((index as f64 * 12.9898).sin() * 43_758.545).fract() * 0.1 - 0.05;
        let per_step = self.previews_per_minute * self.step_seconds as f64 / 60.0;
        let mut step = Step {
            attempts: if index == 0 { 0.0 } else { per_step * (1.0 + 0.3 * day + wobble) },
            failure_share: 0.01,
            fits_share: 0.97,
            slow: false,
            memory_bytes: 62e6 + 1e6 * (seconds / 3600.0).sin(),
        };
        match self.scenario {
            Scenario::ErrorBurst if during => step.failure_share = 0.30,
            Scenario::SlowResponses if during => step.slow = true,
            Scenario::SuccessCollapse if during => step.fits_share = 0.70,
            Scenario::TrafficStops if during => step.attempts = 0.0,
            Scenario::MemoryGrowth => step.memory_bytes = 60e6 + 120e6 * seconds / (48.0 * 3600.0),
            _ => {}
        }
        step
    }

    /// Every family and series of the rehearsal, one value per timestamp.
    pub fn families(&self) -> Vec<Family> {
        let steps: Vec<Step> = (0..self.timestamps().len()).map(|i| self.step(i)).collect();
        let labels = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            let mut all: Vec<(String, String)> =
                pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            all.push(("instance".to_owned(), self.instance.clone()));
            all.push(("job".to_owned(), self.job.clone()));
            all
        };
        // A counter: the running total of a per-step amount, whole counts
        // (floored), as a real counter only ever counts whole events.
        let counter = |name: &str, pairs: &[(&str, &str)], amount: &dyn Fn(&Step) -> f64| {
            let mut total = 0.0;
            let values = steps
                .iter()
                .map(|s| {
                    total += amount(s);
                    total.floor()
                })
                .collect();
            Series { name: name.to_owned(), labels: labels(pairs), values }
        };
        let previews = |s: &Step| s.attempts * (1.0 - s.failure_share);
        let mut preview_series = Vec::new();
        for (source, share) in [("server", 0.6), ("client", 0.4)] {
            for (strategy, strategy_share) in STRATEGIES {
                preview_series.push(counter(
                    "time_crunch_previews_total",
                    &[("source", source), ("strategy", strategy), ("fits", "true"), ("fallback_reason", "none")],
                    &|s| previews(s) * share * s.fits_share * strategy_share,
                ));
            }
            preview_series.push(counter(
                "time_crunch_previews_total",
                &[
                    ("source", source),
                    ("strategy", "core_only"),
                    ("fits", "false"),
                    ("fallback_reason", "target_below_minimum"),
                ],
                &|s| previews(s) * share * (1.0 - s.fits_share),
            ));
        }
        let failures = vec![
            counter("time_crunch_preview_failures_total", &[("source", "client"), ("code", "invalid_plan")], &|s| {
                s.attempts * s.failure_share * 0.4
            }),
            counter("time_crunch_preview_failures_total", &[("source", "server"), ("code", "invalid_plan")], &|s| {
                s.attempts * s.failure_share * 0.6
            }),
        ];
        let server_requests = |s: &Step| s.attempts * 0.6;
        let http = vec![
            counter(
                "time_crunch_http_requests_total",
                &[("route", PREVIEW_ROUTE), ("method", "POST"), ("status", "200")],
                &|s| previews(s) * 0.6,
            ),
            counter(
                "time_crunch_http_requests_total",
                &[("route", PREVIEW_ROUTE), ("method", "POST"), ("status", "422")],
                &|s| s.attempts * s.failure_share * 0.6,
            ),
            counter(
                "time_crunch_http_requests_total",
                &[("route", "/v1/flags/{key}"), ("method", "GET"), ("status", "200")],
                &|s| s.attempts * 0.5,
            ),
            counter(
                "time_crunch_http_requests_total",
                &[("route", "/v1/telemetry"), ("method", "POST"), ("status", "202")],
                &|s| s.attempts * 0.05,
            ),
        ];
        let shares = |s: &Step| if s.slow { SLOW_DURATIONS } else { HEALTHY_DURATIONS };
        let mut duration = Vec::new();
        let route = [("route", PREVIEW_ROUTE), ("method", "POST")];
        let bounds: Vec<String> = DURATION_BUCKETS.iter().map(|b| b.to_string()).chain(["+Inf".to_owned()]).collect();
        for (i, le) in bounds.iter().enumerate() {
            duration.push(counter(
                "time_crunch_http_request_duration_seconds_bucket",
                &[route[0], route[1], ("le", le)],
                &|s| server_requests(s) * shares(s)[..=i].iter().sum::<f64>(),
            ));
        }
        duration.push(counter("time_crunch_http_request_duration_seconds_count", &route, &server_requests));
        // The sum: each request at its bucket's midpoint (7.5 s for 5–10 s).
        let mean_of = |s: &Step| {
            let mut lower = 0.0;
            let mut mean = 0.0;
            for (share, upper) in shares(s).iter().zip(DURATION_BUCKETS) {
                mean += share * (lower + upper) / 2.0;
                lower = upper;
            }
            mean
        };
        let mut sum = 0.0;
        duration.push(Series {
            name: "time_crunch_http_request_duration_seconds_sum".to_owned(),
            labels: labels(&route),
            values: steps
                .iter()
                .map(|s| {
                    sum += server_requests(s).floor() * mean_of(s);
                    sum
                })
                .collect(),
        });
        let flags = vec![
            counter(
                "time_crunch_flag_evaluations_total",
                &[
                    ("flag", "feature.stream5_time_crunch_mode"),
                    ("value", "true"),
                    ("reason", "SPLIT"),
                    ("source", "server"),
                ],
                &|s| s.attempts * 0.45,
            ),
            counter(
                "time_crunch_flag_evaluations_total",
                &[
                    ("flag", "feature.stream5_time_crunch_mode"),
                    ("value", "false"),
                    ("reason", "SPLIT"),
                    ("source", "server"),
                ],
                &|s| s.attempts * 0.05,
            ),
        ];
        let telemetry = vec![
            counter("time_crunch_telemetry_events_total", &[("outcome", "accepted")], &|s| s.attempts * 0.8),
            counter("time_crunch_telemetry_events_total", &[("outcome", "duplicate")], &|s| s.attempts * 0.004),
            counter("time_crunch_telemetry_events_total", &[("outcome", "rejected")], &|s| s.attempts * 0.001),
        ];
        let modal = vec![
            counter("time_crunch_modal_events_total", &[("event", "opened")], &|s| s.attempts * 0.2),
            counter("time_crunch_modal_events_total", &[("event", "applied")], &|s| s.attempts * 0.08),
        ];
        let memory = Series {
            name: "process_resident_memory_bytes".to_owned(),
            labels: labels(&[]),
            values: steps.iter().map(|s| s.memory_bytes.round()).collect(),
        };
        vec![
            family(
                "time_crunch_previews",
                "Previews computed, by where (server or client), strategy, fit and fallback reason.",
                Kind::Counter,
                preview_series,
            ),
            family(
                "time_crunch_preview_failures",
                "Preview requests that failed, by where and error code.",
                Kind::Counter,
                failures,
            ),
            family(
                "time_crunch_http_requests",
                "HTTP requests by matched route, method and status.",
                Kind::Counter,
                http,
            ),
            family(
                "time_crunch_http_request_duration_seconds",
                "HTTP response time by matched route and method.",
                Kind::Histogram,
                duration,
            ),
            family(
                "time_crunch_flag_evaluations",
                "Feature flag evaluations by flag, value, reason and where.",
                Kind::Counter,
                flags,
            ),
            family("time_crunch_telemetry_events", "Telemetry events received, by outcome.", Kind::Counter, telemetry),
            family(
                "time_crunch_modal_events",
                "Time Crunch modal opened and previews applied, from client telemetry.",
                Kind::Counter,
                modal,
            ),
            family("process_resident_memory_bytes", "Resident memory size in bytes.", Kind::Gauge, vec![memory]),
        ]
    }
}

fn family(name: &'static str, help: &'static str, kind: Kind, series: Vec<Series>) -> Family {
    Family { name, help, kind, series }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rehearsal(scenario: Scenario) -> Rehearsal {
        Rehearsal {
            scenario,
            incident: scenario.default_incident(),
            start: "2026-12-01T09:00:00Z".parse().expect("time"),
            hours: 48,
            step_seconds: 60,
            job: "time-crunch".to_owned(),
            instance: "127.0.0.1:9464".to_owned(),
            previews_per_minute: 120.0,
        }
    }

    #[test]
    fn counters_never_go_down_and_buckets_are_cumulative() {
        for scenario in [Scenario::Healthy, Scenario::SlowResponses, Scenario::TrafficStops] {
            let families = rehearsal(scenario).families();
            for family in families.iter().filter(|f| f.kind != Kind::Gauge) {
                for series in &family.series {
                    assert!(series.values.windows(2).all(|w| w[0] <= w[1]), "{} {:?}", series.name, series.labels);
                }
            }
            let histogram = families.iter().find(|f| f.kind == Kind::Histogram).expect("histogram");
            let buckets: Vec<&Series> = histogram.series.iter().filter(|s| s.name.ends_with("_bucket")).collect();
            let count = histogram.series.iter().find(|s| s.name.ends_with("_count")).expect("count");
            for i in 0..count.values.len() {
                assert!(buckets.windows(2).all(|w| w[0].values[i] <= w[1].values[i]));
                assert!((buckets[buckets.len() - 1].values[i] - count.values[i]).abs() <= 1.0);
            }
        }
    }

    #[test]
    fn the_incident_is_where_the_scenario_says() {
        let r = rehearsal(Scenario::TrafficStops);
        let families = r.families();
        let previews = &families[0].series[0].values;
        let from = r.incident.expect("incident").from_minute as usize;
        assert_eq!(previews[from + 1], previews[from + 50], "no previews during the stop");
        assert!(previews[from - 10] < previews[from - 1]);
        assert_eq!(r.timestamps().len(), 48 * 60 + 1);
    }
}
