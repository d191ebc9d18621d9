//! The reports: an hour's update, the 24-hour checkpoint and the go/no-go,
//! each computed from Prometheus over its window and judged against the
//! plan's targets and triggers ([`crate::criteria`]).

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::criteria::{self, TRIGGERS};
use crate::error::CheckpointError;
use crate::prometheus::Prometheus;
use crate::queries::{self, Query};
use crate::triggers::{firings, Firing};
use crate::window::{self, hours_of, window_of, Checkpoint, Window};

/// Green: every target met; Yellow: a target missed, no trigger; Red: a
/// rollback trigger fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every target met.
    Green,
    /// A target missed, no rollback trigger.
    Yellow,
    /// A rollback trigger fired.
    Red,
}

/// The go/no-go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Every success criterion met.
    #[serde(rename = "GO")]
    Go,
    /// A criterion missed.
    #[serde(rename = "NO-GO")]
    NoGo,
}

/// The figures of one window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Previews that fit per preview (`None`: no previews).
    pub success_rate: Option<f64>,
    /// Mean response time of the preview endpoint, seconds.
    pub mean_response_seconds: Option<f64>,
    /// p95 response time of the preview endpoint, seconds.
    pub p95_response_seconds: Option<f64>,
    /// Failed previews per attempted preview.
    pub error_rate: Option<f64>,
    /// Previews per second.
    pub previews_per_second: f64,
    /// Resident memory (the largest instance's mean over the window's last 30 minutes), bytes.
    pub memory_bytes: Option<f64>,
    /// Its growth since the rollout's first hour (0.05 = 5 %).
    pub memory_growth: Option<f64>,
}

/// One figure against its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// What is checked, as the update template names it.
    pub name: &'static str,
    /// The figure, as shown.
    pub figure: String,
    /// The target, as shown.
    pub target: String,
    /// Whether it is met.
    pub met: bool,
}

/// A count by label: strategy, fallback reason, flag value, telemetry outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// The label values, e.g. `supersets` or `target_below_minimum (client)`.
    pub label: String,
    /// How many in the window.
    pub count: f64,
    /// Share of the breakdown's total.
    pub share: f64,
}

/// A figure at the start of the rollout and at the end of the day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trend {
    /// The figure.
    pub name: &'static str,
    /// Over hours 1–4.
    pub first_hours: String,
    /// Over hours 21–24.
    pub last_hours: String,
}

/// A report, whichever kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// `hour`, `day` or `final`.
    pub report: &'static str,
    /// The hour the update is for (the window's last hour).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hour: Option<u32>,
    /// Hours of the rollout covered: (from, to).
    pub hours: (u32, u32),
    /// The window's start.
    pub window_start: Timestamp,
    /// The window's end.
    pub window_end: Timestamp,
    /// The figures over the window.
    pub figures: Figures,
    /// Each target (hour, day) or success criterion (final), with its figure.
    pub checks: Vec<Check>,
    /// The 24-hour checkpoint's breakdowns: strategies, fallback reasons,
    /// flag evaluations, telemetry outcomes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<(String, Vec<Share>)>,
    /// The 24-hour checkpoint's trends against the first hours.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trends: Vec<Trend>,
    /// The 24-hour checkpoint's beta-readiness: ready, or the reasons not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta_ready: Option<bool>,
    /// Observations, and for Red what to do.
    pub notes: Vec<String>,
    /// What the next checkpoint is.
    pub next: String,
    /// Green, Yellow or Red.
    pub status: Status,
    /// The rollback triggers that fired in the window.
    pub triggers: Vec<Firing>,
    /// The go/no-go (final only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

/// Where and what a report reads.
#[derive(Debug, Clone)]
pub struct Context {
    /// The Prometheus.
    pub prometheus: Prometheus,
    /// The server twin's job (a regular expression).
    pub job: String,
    /// When the rollout started.
    pub rollout_start: Timestamp,
    /// The time now.
    pub now: Timestamp,
}

/// Makes the report of `checkpoint`.
pub fn make(context: &Context, checkpoint: Checkpoint) -> Result<Report, CheckpointError> {
    let window = window_of(checkpoint, context.rollout_start, context.now)?;
    context.ensure_project_metrics()?;
    context.ensure_coverage(window, checkpoint)?;
    let (from, to) = hours_of(checkpoint)?;
    let figures = context.figures(window)?;
    let fired = context.firings(window)?;
    match checkpoint {
        Checkpoint::Hour(hour) => Ok(hour_report(hour, (from, to), window, figures, fired)),
        Checkpoint::Day => context.day_report(window, figures, fired),
        Checkpoint::Final => context.final_report(window, figures, fired),
    }
}

fn status_of(checks: &[Check], fired: &[Firing]) -> Status {
    if !fired.is_empty() {
        Status::Red
    } else if checks.iter().all(|c| c.met) {
        Status::Green
    } else {
        Status::Yellow
    }
}

fn hour_report(hour: u32, hours: (u32, u32), window: Window, figures: Figures, fired: Vec<Firing>) -> Report {
    let checks = window_checks(&figures, &fired);
    let status = status_of(&checks, &fired);
    let mut notes = trigger_notes(&fired);
    notes.extend(missed_notes(&checks));
    if notes.is_empty() {
        notes.push("All targets met; no rollback trigger fired.".to_owned());
    }
    let next = if status == Status::Red {
        format!(
            "Roll back now ({}), then find the cause (runbook: dashboards/README.md#{}) before resuming the soak.",
            criteria::ROLLBACK_RUNBOOK,
            fired[0].name.to_lowercase()
        )
    } else {
        next_checkpoint(hour, window.end)
    };
    Report {
        report: "hour",
        hour: Some(hour),
        hours,
        window_start: window.start,
        window_end: window.end,
        figures,
        checks,
        breakdowns: Vec::new(),
        trends: Vec::new(),
        beta_ready: None,
        notes,
        next,
        status,
        triggers: fired,
        verdict: None,
    }
}

fn next_checkpoint(hour: u32, end: Timestamp) -> String {
    let next = if hour < window::HOURLY_UNTIL { hour + 1 } else { hour + window::LATER_WINDOW_HOURS };
    let at = |h: u32| end + SignedDuration::from_hours(i64::from(h - hour));
    match hour {
        window::SOAK_HOURS => "The go/no-go now: checkpoint --final.".to_owned(),
        window::DAY_HOURS => {
            format!("The 24-hour checkpoint now (checkpoint --day); hour {next} update at {}.", at(next))
        }
        _ => format!("Hour {next} update at {}.", at(next)),
    }
}

fn trigger_notes(fired: &[Firing]) -> Vec<String> {
    fired
        .iter()
        .map(|f| {
            let description = TRIGGERS.iter().find(|t| t.name == f.name).map_or("", |t| t.description);
            format!(
                "Rollback trigger {} fired at {} ({description}; condition held from {} to {}).",
                f.name, f.fired_at, f.since, f.until
            )
        })
        .collect()
}

fn missed_notes(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| !c.met)
        .map(|c| format!("Missed: {} {} (target {}).", c.name, c.figure, c.target))
        .collect()
}

fn percent(value: Option<f64>, none: &str) -> String {
    value.map_or_else(|| none.to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn seconds(value: Option<f64>, none: &str) -> String {
    value.map_or_else(|| none.to_owned(), |v| if v < 0.1 { format!("{:.1}ms", v * 1000.0) } else { format!("{v:.2}s") })
}

/// The update's checks of a window's figures.
fn window_checks(f: &Figures, fired: &[Firing]) -> Vec<Check> {
    let stopped = fired.iter().any(|t| t.name == TRIGGERS[3].name);
    vec![
        Check {
            name: "Success Rate",
            figure: percent(f.success_rate, "no previews"),
            target: format!(">{:.0}%", criteria::SUCCESS_RATE_MIN * 100.0),
            met: f.success_rate.is_some_and(|v| v > criteria::SUCCESS_RATE_MIN),
        },
        mean_response_check(f),
        Check {
            name: "Response Time (p95)",
            figure: seconds(f.p95_response_seconds, "no preview requests"),
            target: format!("<{}s", criteria::P95_RESPONSE_MAX),
            met: f.p95_response_seconds.is_some_and(|v| v < criteria::P95_RESPONSE_MAX),
        },
        error_rate_check(f),
        Check {
            name: "Active Requests",
            figure: format!("{:.2} previews/s", f.previews_per_second),
            target: ">0, never 30 min without".to_owned(),
            met: f.previews_per_second > 0.0 && !stopped,
        },
        memory_check(f),
    ]
}

/// The mean response time against its target (hourly updates and the final decision).
fn mean_response_check(f: &Figures) -> Check {
    Check {
        name: "Response Time (mean)",
        figure: seconds(f.mean_response_seconds, "no preview requests"),
        target: format!("<{}s", criteria::MEAN_RESPONSE_MAX),
        met: f.mean_response_seconds.is_some_and(|v| v < criteria::MEAN_RESPONSE_MAX),
    }
}

/// The error rate against its target (hourly updates and the final decision).
fn error_rate_check(f: &Figures) -> Check {
    Check {
        name: "Error Rate",
        figure: percent(f.error_rate, "no previews"),
        target: format!("<{:.0}%", criteria::ERROR_RATE_MAX * 100.0),
        met: f.error_rate.is_some_and(|v| v < criteria::ERROR_RATE_MAX),
    }
}

fn memory_check(f: &Figures) -> Check {
    let figure = match (f.memory_bytes, f.memory_growth) {
        (Some(bytes), Some(growth)) => format!("{:.1} MB, {:+.1}% since hour 1", bytes / 1e6, growth * 100.0),
        (Some(bytes), None) => format!("{:.1} MB", bytes / 1e6),
        _ => "not exported".to_owned(),
    };
    Check {
        name: "Memory",
        figure,
        target: format!("at most {:.0}% growth", criteria::MEMORY_GROWTH_MAX * 100.0),
        met: f.memory_growth.is_some_and(|g| g <= criteria::MEMORY_GROWTH_MAX),
    }
}

impl Context {
    fn scalar(&self, query: &Query, range: i64, at: Timestamp) -> Result<Option<f64>, CheckpointError> {
        self.prometheus.scalar(&query.over(range, &self.job), at)
    }

    /// The project's series exist for the job since the rollout started.
    fn ensure_project_metrics(&self) -> Result<(), CheckpointError> {
        let selector = queries::scope_to_job(queries::PROJECT_SELECTOR, &self.job);
        if self.prometheus.series_count(&selector, self.rollout_start, self.now)? == 0 {
            return Err(CheckpointError::new(format!(
                "Prometheus has none of the project's metrics (time_crunch_*) with job=~\"{}\" since {}: \
                 is --job the server twin's scrape job, and does Prometheus scrape its metrics address?",
                self.job, self.rollout_start
            )));
        }
        Ok(())
    }

    /// The window has data at enough of its minutes to be judged.
    fn ensure_coverage(&self, window: Window, checkpoint: Checkpoint) -> Result<(), CheckpointError> {
        let step = criteria::STEP_SECONDS;
        let first = window.start + SignedDuration::from_secs(step);
        let series = self.prometheus.range(&queries::PROJECT_SERIES.over(0, &self.job), first, window.end, step)?;
        let present = series.first().map_or(0, |s| s.points.iter().filter(|(_, v)| *v > 0.0).count());
        let expected = (window.seconds() / step).max(1) as usize;
        let coverage = present as f64 / expected as f64;
        if coverage < criteria::MIN_COVERAGE {
            let what = match checkpoint {
                Checkpoint::Hour(n) => format!("hour {n}'s window"),
                Checkpoint::Day => "the first 24 hours".to_owned(),
                Checkpoint::Final => "the soak's 48 hours".to_owned(),
            };
            return Err(CheckpointError::new(format!(
                "not enough data: the project's metrics were sampled in {:.0}% of the minutes of {what} ({} to {}); \
                 at least {:.0}% are needed to judge it.",
                coverage * 100.0,
                window.start,
                window.end,
                criteria::MIN_COVERAGE * 100.0
            )));
        }
        Ok(())
    }

    /// The figures over a window.
    fn figures(&self, window: Window) -> Result<Figures, CheckpointError> {
        let range = window.seconds();
        let end = window.end;
        let memory_bytes = self.prometheus.scalar(
            &queries::MEMORY
                .wrapped(&format!("max(avg_over_time({{}}[{}s]))", criteria::MEMORY_RECENT_SECONDS), &self.job),
            end,
        )?;
        let first_hour_end = self.rollout_start + SignedDuration::from_hours(1);
        let baseline = self
            .prometheus
            .scalar(&queries::MEMORY.wrapped("max(avg_over_time({}[3600s]))", &self.job), first_hour_end)?;
        let memory_growth = match (memory_bytes, baseline) {
            (Some(now), Some(base)) if base > 0.0 => Some(now / base - 1.0),
            _ => None,
        };
        Ok(Figures {
            success_rate: self.scalar(&queries::SUCCESS_RATE, range, end)?,
            mean_response_seconds: self.scalar(&queries::MEAN_RESPONSE, range, end)?,
            p95_response_seconds: self.scalar(&queries::P95_RESPONSE, range, end)?,
            error_rate: self.scalar(&queries::ERROR_RATE, range, end)?,
            previews_per_second: self.scalar(&queries::PREVIEW_RATE, range, end)?.unwrap_or(0.0),
            memory_bytes,
            memory_growth,
        })
    }

    /// The triggers firing at some time in the window, evaluated minute by
    /// minute from the rollout's start (so a firing that began before the
    /// window shows when it really fired).
    fn firings(&self, window: Window) -> Result<Vec<Firing>, CheckpointError> {
        let step = criteria::STEP_SECONDS;
        let mut found = Vec::new();
        for trigger in &TRIGGERS {
            let expr = trigger.query.over(trigger.range_seconds, &self.job);
            let series =
                self.prometheus.range(&expr, self.rollout_start + SignedDuration::from_secs(step), window.end, step)?;
            let points = series.into_iter().next().map(|s| s.points).unwrap_or_default();
            found.extend(
                firings(trigger, &points, step)
                    .into_iter()
                    .filter(|f| f.fired_at <= window.end && f.until > window.start)
                    .take(1),
            );
        }
        found.sort_by_key(|f| f.fired_at);
        Ok(found)
    }

    fn breakdown(
        &self,
        title: &str,
        query: &Query,
        window: Window,
        labels: &[&str],
    ) -> Result<(String, Vec<Share>), CheckpointError> {
        let samples = self.prometheus.instant(&query.over(window.seconds(), &self.job), window.end)?;
        let mut shares: Vec<Share> = samples
            .iter()
            .filter(|s| s.value.is_finite())
            .map(|s| Share {
                label: match labels {
                    [one] => s.labels.get(*one).cloned().unwrap_or_default(),
                    [first, second] => format!(
                        "{} ({})",
                        s.labels.get(*first).cloned().unwrap_or_default(),
                        s.labels.get(*second).cloned().unwrap_or_default()
                    ),
                    _ => String::new(),
                },
                count: (s.value * window.seconds() as f64).round(),
                share: 0.0,
            })
            .collect();
        let total: f64 = shares.iter().map(|s| s.count).sum();
        for share in &mut shares {
            share.share = if total > 0.0 { share.count / total } else { 0.0 };
        }
        shares.sort_by(|a, b| b.count.total_cmp(&a.count).then(a.label.cmp(&b.label)));
        Ok((title.to_owned(), shares))
    }

    fn day_report(&self, window: Window, figures: Figures, fired: Vec<Firing>) -> Result<Report, CheckpointError> {
        let checks = window_checks(&figures, &fired);
        let status = status_of(&checks, &fired);
        let breakdowns = vec![
            self.breakdown("Strategy distribution", &queries::STRATEGIES, window, &["strategy"])?,
            self.breakdown("Fallback reasons", &queries::FALLBACK_REASONS, window, &["fallback_reason", "source"])?,
            self.breakdown("Flag evaluations", &queries::FLAG_EVALUATIONS, window, &["value", "source"])?,
            self.breakdown("Telemetry ingestion", &queries::TELEMETRY, window, &["outcome"])?,
        ];
        let first = self.figures(Window::hours(self.rollout_start, 0, window::FIRST_HOURS))?;
        let last = self.figures(Window::hours(
            self.rollout_start,
            window::DAY_HOURS - window::FIRST_HOURS,
            window::DAY_HOURS,
        ))?;
        let trends = vec![
            Trend {
                name: "Success Rate",
                first_hours: percent(first.success_rate, "-"),
                last_hours: percent(last.success_rate, "-"),
            },
            Trend {
                name: "Response Time (mean)",
                first_hours: seconds(first.mean_response_seconds, "-"),
                last_hours: seconds(last.mean_response_seconds, "-"),
            },
            Trend {
                name: "Response Time (p95)",
                first_hours: seconds(first.p95_response_seconds, "-"),
                last_hours: seconds(last.p95_response_seconds, "-"),
            },
            Trend {
                name: "Error Rate",
                first_hours: percent(first.error_rate, "-"),
                last_hours: percent(last.error_rate, "-"),
            },
            Trend {
                name: "Previews",
                first_hours: format!("{:.2}/s", first.previews_per_second),
                last_hours: format!("{:.2}/s", last.previews_per_second),
            },
            Trend {
                name: "Memory",
                first_hours: first.memory_bytes.map_or("-".to_owned(), |b| format!("{:.1} MB", b / 1e6)),
                last_hours: last.memory_bytes.map_or("-".to_owned(), |b| format!("{:.1} MB", b / 1e6)),
            },
        ];
        let mut notes = trigger_notes(&fired);
        notes.extend(missed_notes(&checks));
        let beta_ready = status == Status::Green;
        notes.push(if beta_ready {
            "Beta readiness: ready. Every target met over the first 24 hours and no rollback trigger fired; \
             the soak goes on to hour 48 for the go/no-go."
                .to_owned()
        } else {
            "Beta readiness: not ready (the reasons above).".to_owned()
        });
        Ok(Report {
            report: "day",
            hour: None,
            hours: (0, window::DAY_HOURS),
            window_start: window.start,
            window_end: window.end,
            figures,
            checks,
            breakdowns,
            trends,
            beta_ready: Some(beta_ready),
            notes,
            next: if status == Status::Red {
                format!("Roll back ({}) unless the cause is found and fixed.", criteria::ROLLBACK_RUNBOOK)
            } else {
                format!("Hour 28 update at {}; the go/no-go at hour 48.", window.end + SignedDuration::from_hours(4))
            },
            status,
            triggers: fired,
            verdict: None,
        })
    }

    /// The longest run of consecutive hours of the soak whose success rate was above target.
    fn success_hours(&self) -> Result<usize, CheckpointError> {
        let expr = queries::SUCCESS_RATE.over(3600, &self.job);
        let first = self.rollout_start + SignedDuration::from_hours(1);
        let last = self.rollout_start + SignedDuration::from_hours(i64::from(window::SOAK_HOURS));
        let series = self.prometheus.range(&expr, first, last, 3600)?;
        let points = series.into_iter().next().map(|s| s.points).unwrap_or_default();
        Ok(longest_run_above(&points, 3600, criteria::SUCCESS_RATE_MIN))
    }

    fn final_report(&self, window: Window, figures: Figures, fired: Vec<Firing>) -> Result<Report, CheckpointError> {
        let success_hours = self.success_hours()?;
        let day1 = self.figures(Window::hours(self.rollout_start, 0, window::DAY_HOURS))?;
        let day2 = self.figures(Window::hours(self.rollout_start, window::DAY_HOURS, window::SOAK_HOURS))?;
        let regressions = regressions(&day1, &day2);
        let mut no_regression = Vec::new();
        no_regression.extend(fired.iter().map(|f| format!("{} fired at {}", f.name, f.fired_at)));
        no_regression.extend(regressions.iter().cloned());
        let checks = vec![
            Check {
                name: "Success Rate",
                figure: format!(
                    "{} over 48 h; above {:.0}% for {success_hours} consecutive hours",
                    percent(figures.success_rate, "no previews"),
                    criteria::SUCCESS_RATE_MIN * 100.0
                ),
                target: format!(
                    ">{:.0}% for at least {} h",
                    criteria::SUCCESS_RATE_MIN * 100.0,
                    criteria::SUCCESS_HOURS_MIN
                ),
                met: figures.success_rate.is_some_and(|v| v > criteria::SUCCESS_RATE_MIN)
                    && success_hours >= criteria::SUCCESS_HOURS_MIN,
            },
            mean_response_check(&figures),
            error_rate_check(&figures),
            Check { name: "Memory Stable", ..memory_check(&figures) },
            Check {
                name: "No Regressions",
                figure: if no_regression.is_empty() { "none".to_owned() } else { no_regression.join("; ") },
                target: "no rollback trigger fired, day 2 no worse than day 1".to_owned(),
                met: no_regression.is_empty(),
            },
        ];
        let status = status_of(&checks, &fired);
        let verdict = if checks.iter().all(|c| c.met) { Verdict::Go } else { Verdict::NoGo };
        let mut notes = trigger_notes(&fired);
        notes.extend(
            checks
                .iter()
                .filter(|c| !c.met)
                .map(|c| format!("{} not met: {} (target {}).", c.name, c.figure, c.target)),
        );
        if notes.is_empty() {
            notes.push("Every success criterion met over the 48 hours; no rollback trigger fired.".to_owned());
        }
        Ok(Report {
            report: "final",
            hour: None,
            hours: (0, window::SOAK_HOURS),
            window_start: window.start,
            window_end: window.end,
            figures,
            checks,
            breakdowns: Vec::new(),
            trends: Vec::new(),
            beta_ready: None,
            notes,
            next: match verdict {
                Verdict::Go => "Proceed to the beta rollout.".to_owned(),
                Verdict::NoGo => {
                    format!("Do not proceed; roll back ({}) and fix the reasons above.", criteria::ROLLBACK_RUNBOOK)
                }
            },
            status,
            triggers: fired,
            verdict: Some(verdict),
        })
    }
}

/// The most consecutive points (`step` seconds apart) above `min`.
fn longest_run_above(points: &[(i64, f64)], step: i64, min: f64) -> usize {
    let (mut best, mut run, mut previous) = (0, 0, None::<i64>);
    for &(t, v) in points {
        let contiguous = previous.is_some_and(|p| t - p == step);
        run = match (v > min, contiguous) {
            (true, true) => run + 1,
            (true, false) => 1,
            (false, _) => 0,
        };
        best = best.max(run);
        previous = Some(t);
    }
    best
}

/// Day 2 against day 1: what got worse beyond the tolerances.
fn regressions(day1: &Figures, day2: &Figures) -> Vec<String> {
    let mut found = Vec::new();
    if let (Some(a), Some(b)) = (day1.success_rate, day2.success_rate) {
        if a - b > criteria::REGRESSION_RATE_POINTS {
            found.push(format!("success rate fell from {:.1}% on day 1 to {:.1}% on day 2", a * 100.0, b * 100.0));
        }
    }
    if let (Some(a), Some(b)) = (day1.error_rate, day2.error_rate) {
        if b - a > criteria::REGRESSION_RATE_POINTS {
            found.push(format!("error rate rose from {:.1}% on day 1 to {:.1}% on day 2", a * 100.0, b * 100.0));
        }
    }
    if let (Some(a), Some(b)) = (day1.mean_response_seconds, day2.mean_response_seconds) {
        if b > a * criteria::REGRESSION_RESPONSE_FACTOR && b - a > criteria::REGRESSION_RESPONSE_FLOOR {
            found.push(format!("mean response time rose from {a:.2}s on day 1 to {b:.2}s on day 2"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(success: f64, error: f64, mean: f64) -> Figures {
        Figures {
            success_rate: Some(success),
            mean_response_seconds: Some(mean),
            p95_response_seconds: Some(mean * 3.0),
            error_rate: Some(error),
            previews_per_second: 2.0,
            memory_bytes: Some(60e6),
            memory_growth: Some(0.01),
        }
    }

    #[test]
    fn runs_of_hours_break_at_a_miss_or_a_gap() {
        let hours = |values: &[f64]| values.iter().enumerate().map(|(i, v)| (i as i64 * 3600, *v)).collect::<Vec<_>>();
        assert_eq!(longest_run_above(&hours(&[0.97; 48]), 3600, 0.95), 48);
        let mut values = [0.97; 48];
        values[20] = 0.9;
        values[30] = f64::NAN;
        assert_eq!(longest_run_above(&hours(&values), 3600, 0.95), 20);
        let mut gapped = hours(&[0.97; 10]);
        gapped.remove(5);
        assert_eq!(longest_run_above(&gapped, 3600, 0.95), 5);
    }

    #[test]
    fn regressions_beyond_the_tolerances_only() {
        let day1 = figures(0.97, 0.01, 0.008);
        assert!(regressions(&day1, &figures(0.96, 0.02, 0.013)).is_empty(), "noise is no regression");
        let found = regressions(&day1, &figures(0.94, 0.04, 0.5));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("97.0% on day 1 to 94.0% on day 2"));
    }

    #[test]
    fn status_green_yellow_red() {
        let healthy = figures(0.97, 0.01, 0.008);
        assert_eq!(status_of(&window_checks(&healthy, &[]), &[]), Status::Green);
        let errors = figures(0.97, 0.06, 0.008);
        let checks = window_checks(&errors, &[]);
        assert_eq!(status_of(&checks, &[]), Status::Yellow);
        assert_eq!(checks.iter().filter(|c| !c.met).map(|c| c.name).collect::<Vec<_>>(), ["Error Rate"]);
        let at = Timestamp::UNIX_EPOCH;
        let fired = [Firing { name: TRIGGERS[1].name, fired_at: at, since: at, until: at }];
        assert_eq!(status_of(&window_checks(&healthy, &fired), &fired), Status::Red);
    }

    #[test]
    fn no_previews_is_a_missed_target_not_a_pass() {
        let none = Figures {
            success_rate: None,
            mean_response_seconds: None,
            p95_response_seconds: None,
            error_rate: None,
            previews_per_second: 0.0,
            memory_bytes: None,
            memory_growth: None,
        };
        let checks = window_checks(&none, &[]);
        assert!(checks.iter().all(|c| !c.met), "{checks:?}");
        assert_eq!(checks[0].figure, "no previews");
    }
}
