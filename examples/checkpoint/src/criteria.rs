//! The rollout plan's numbers: the targets each report checks, the rollback
//! triggers, and what a window needs to be judged at all. Defined once;
//! the reports, the markdown and the tests read them from here.

use crate::queries::{self, Query};

/// Success rate (previews that fit per preview) must be above this.
pub const SUCCESS_RATE_MIN: f64 = 0.95;
/// …and, for the go/no-go, for at least this many consecutive hours.
pub const SUCCESS_HOURS_MIN: usize = 24;
/// Mean response time of the preview endpoint must be below this, in seconds.
pub const MEAN_RESPONSE_MAX: f64 = 2.0;
/// p95 response time must be below this, in seconds (the soak's target).
pub const P95_RESPONSE_MAX: f64 = 5.0;
/// Error rate (failed previews per attempted preview) must be below this.
pub const ERROR_RATE_MAX: f64 = 0.05;
/// Resident memory may grow at most this much from the rollout's first hour
/// (the soak's "memory stable").
pub const MEMORY_GROWTH_MAX: f64 = 0.10;
/// Memory "now" is its mean over this last part of a window, in seconds, so
/// one sample's spike does not decide.
pub const MEMORY_RECENT_SECONDS: i64 = 30 * 60;

/// A window is judged only if the project's series were sampled at this
/// share of its minutes; less is "not enough data".
pub const MIN_COVERAGE: f64 = 0.9;
/// Step of every evaluation over time: triggers minute by minute.
pub const STEP_SECONDS: i64 = 60;

/// No regression between the soak's first and second day: success and
/// error rates worse by at most this (absolute share)…
pub const REGRESSION_RATE_POINTS: f64 = 0.02;
/// …and mean response time at most this factor slower, once it is also
/// slower by more than [`REGRESSION_RESPONSE_FLOOR`] seconds (milliseconds
/// going from 8 to 13 are noise, not a regression).
pub const REGRESSION_RESPONSE_FACTOR: f64 = 1.5;
/// See [`REGRESSION_RESPONSE_FACTOR`].
pub const REGRESSION_RESPONSE_FLOOR: f64 = 0.1;

/// How a trigger's condition compares its figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// The figure is below the threshold.
    Below,
    /// The figure is above the threshold.
    Above,
    /// The figure equals the threshold.
    Equal,
}

/// A rollback trigger: its condition over a range, held for a duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trigger {
    /// The name (the alert of `dashboards/alerts.yml` that watches it).
    pub name: &'static str,
    /// The plan's words for it.
    pub description: &'static str,
    /// The figure it watches.
    pub query: Query,
    /// The range of the figure, in seconds (the alert's `rate5m`/`rate10m`).
    pub range_seconds: i64,
    /// How the figure compares with [`Trigger::threshold`].
    pub comparison: Comparison,
    /// The threshold.
    pub threshold: f64,
    /// How long the condition must hold, in seconds (the alert's `for`).
    pub for_seconds: i64,
}

impl Trigger {
    /// Whether a figure meets the condition; an undefined figure (no
    /// previews, so no ratio) never does.
    pub fn holds(&self, value: f64) -> bool {
        match self.comparison {
            Comparison::Below => value < self.threshold,
            Comparison::Above => value > self.threshold,
            Comparison::Equal => value == self.threshold,
        }
    }
}

/// The plan's four rollback triggers.
pub const TRIGGERS: [Trigger; 4] = [
    Trigger {
        name: "TimeCrunchLowSuccessRate",
        description: "success rate below 90 % for 10 minutes",
        query: queries::SUCCESS_RATE,
        range_seconds: 600,
        comparison: Comparison::Below,
        threshold: 0.90,
        for_seconds: 600,
    },
    Trigger {
        name: "TimeCrunchHighErrorRate",
        description: "error rate above 10 % for 5 minutes",
        query: queries::ERROR_RATE,
        range_seconds: 300,
        comparison: Comparison::Above,
        threshold: 0.10,
        for_seconds: 300,
    },
    Trigger {
        name: "TimeCrunchSlowResponses",
        description: "p95 response time above 5 s for 5 minutes",
        query: queries::P95_RESPONSE,
        range_seconds: 300,
        comparison: Comparison::Above,
        threshold: 5.0,
        for_seconds: 300,
    },
    Trigger {
        name: "TimeCrunchNoRequests",
        description: "no previews at all for 30 minutes",
        query: queries::PREVIEW_RATE,
        range_seconds: 300,
        comparison: Comparison::Equal,
        threshold: 0.0,
        for_seconds: 1800,
    },
];

/// Where the runbook says how to roll back.
pub const ROLLBACK_RUNBOOK: &str = "dashboards/README.md#rolling-back-with-the-flag";

#[cfg(test)]
mod tests {
    use super::*;

    const ALERTS: &str = include_str!("../../../dashboards/alerts.yml");

    /// Each trigger is the alert of the same name: same threshold, same `for`.
    #[test]
    fn every_trigger_is_its_alert() {
        for trigger in TRIGGERS {
            let block = ALERTS.split(&format!("- alert: {}\n", trigger.name)).nth(1).expect(trigger.name);
            let block = block.split("- alert:").next().unwrap_or(block);
            let op = match trigger.comparison {
                Comparison::Below => "<",
                Comparison::Above => ">",
                Comparison::Equal => "==",
            };
            let expr = block.lines().find_map(|l| l.trim().strip_prefix("expr: ")).expect("expr");
            let (_, threshold) = expr.rsplit_once(&format!(" {op} ")).expect(trigger.name);
            assert_eq!(threshold.trim().parse::<f64>().ok(), Some(trigger.threshold), "{}", trigger.name);
            let minutes = trigger.for_seconds / 60;
            assert!(block.contains(&format!("for: {minutes}m")), "{} for {minutes}m", trigger.name);
        }
    }

    #[test]
    fn an_undefined_figure_never_holds() {
        assert!(TRIGGERS.iter().all(|t| !t.holds(f64::NAN)));
        assert!(TRIGGERS[0].holds(0.89) && !TRIGGERS[0].holds(0.90));
        assert!(TRIGGERS[3].holds(0.0) && !TRIGGERS[3].holds(0.01));
    }
}
