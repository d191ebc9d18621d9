//! How well estimates match real sessions, with and without a personal
//! pace, measured the way an athlete meets them: on sessions the pace was
//! not fitted on.
//!
//! For one lifter (one export): the usable sessions (a plausible duration
//! and at least one set done), in date order; the pace is calibrated on the
//! earlier half and both the documented constants and the pace predict the
//! later half, each from the plan [`plan_from_session`] makes of the
//! session. A lifter with too few sessions to calibrate on gets no pace and
//! is predicted with the documented constants both ways (what the product
//! does for them). Errors are |predicted − actual| / actual.

use serde::Serialize;

use crate::estimate::plan_seconds;
use crate::history::calibrate::{calibrate, median};
use crate::history::log::{History, LoggedSession};
use crate::history::plan_from_session::plan_from_session;
use crate::pace::Pace;
use crate::request::Plan;

/// A prediction is "close" within this relative error.
pub const CLOSE: f64 = 0.20;

/// Median error and share of close predictions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    /// Median |predicted − actual| / actual, a fraction.
    pub median_ape: f64,
    /// Share of predictions within [`CLOSE`].
    pub within20: f64,
}

impl Scores {
    /// The scores of a list of relative errors (absolute values).
    pub fn of(errors: &[f64]) -> Scores {
        let close = errors.iter().filter(|e| **e <= CLOSE).count();
        Scores {
            median_ape: round4(median(errors)),
            within20: round4(if errors.is_empty() { 0.0 } else { close as f64 / errors.len() as f64 }),
        }
    }
}

/// One lifter's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LifterAccuracy {
    /// Which lifter (the export's name, as the caller gives it).
    pub lifter: String,
    /// Sessions in the export.
    pub sessions: usize,
    /// Sessions with a plausible duration and a plan.
    pub usable: usize,
    /// Sessions the pace was fitted on (0: too few to calibrate).
    pub calibrated_on: usize,
    /// Sessions predicted.
    pub predicted: usize,
    /// The pace fitted on the earlier half, if there were enough sessions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pace: Option<Pace>,
    /// With the documented constants.
    pub default: Scores,
    /// With the lifter's own pace.
    pub personal: Scores,
    /// Each predicted session's error with the documented constants.
    #[serde(skip)]
    pub default_errors: Vec<f64>,
    /// Each predicted session's error with the pace.
    #[serde(skip)]
    pub personal_errors: Vec<f64>,
}

/// Every lifter's predicted sessions pooled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Lifters measured.
    pub lifters: usize,
    /// Sessions predicted, over all lifters.
    pub sessions: usize,
    /// With the documented constants.
    pub default: Scores,
    /// With each lifter's own pace.
    pub personal: Scores,
}

/// Measures one lifter (see the module doc).
pub fn lifter_accuracy(lifter: &str, history: &History) -> LifterAccuracy {
    let usable: Vec<(&LoggedSession, Plan)> = history
        .sessions
        .iter()
        .filter(|s| s.implausible.is_none())
        .filter_map(|s| plan_from_session(s, "accuracy").ok().map(|made| (s, made.plan)))
        .collect();
    let split = usable.len() / 2;
    let earlier = History {
        format: history.format,
        sessions: usable[..split].iter().map(|(s, _)| (*s).clone()).collect(),
        skipped: Vec::new(),
    };
    let calibration = calibrate(&earlier).ok();
    let pace = calibration.as_ref().map(|c| c.pace);
    let later = &usable[split..];
    let error = |plan: &Plan, session: &LoggedSession, pace: &Pace| {
        let actual = session.actual_minutes * 60.0;
        (plan_seconds(plan, pace) - actual).abs() / actual
    };
    let default_errors: Vec<f64> = later.iter().map(|(s, plan)| error(plan, s, &Pace::DEFAULT)).collect();
    let personal_errors: Vec<f64> =
        later.iter().map(|(s, plan)| error(plan, s, &pace.unwrap_or(Pace::DEFAULT))).collect();
    LifterAccuracy {
        lifter: lifter.to_owned(),
        sessions: history.sessions.len(),
        usable: usable.len(),
        calibrated_on: calibration.as_ref().map_or(0, |c| c.used.len()),
        predicted: later.len(),
        pace,
        default: Scores::of(&default_errors),
        personal: Scores::of(&personal_errors),
        default_errors,
        personal_errors,
    }
}

/// Pools every lifter's predicted sessions.
pub fn summary(lifters: &[LifterAccuracy]) -> Summary {
    let default: Vec<f64> = lifters.iter().flat_map(|l| l.default_errors.iter().copied()).collect();
    let personal: Vec<f64> = lifters.iter().flat_map(|l| l.personal_errors.iter().copied()).collect();
    Summary {
        lifters: lifters.len(),
        sessions: default.len(),
        default: Scores::of(&default),
        personal: Scores::of(&personal),
    }
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}
