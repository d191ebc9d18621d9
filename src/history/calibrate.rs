//! Personal pace: the duration model's constants fitted to a lifter's own
//! sessions, so "it fits your minutes" holds on their clock.
//!
//! Method, for sessions whose duration can be trusted and that make a plan
//! ([`plan_from_session`]):
//!
//! - the duration model is affine in the four constants of a [`Pace`], so
//!   each session's predicted seconds are `c + a · pace`, with `c` and `a`
//!   read off [`plan_seconds`] itself (the formula lives only there);
//! - the fit minimises the squared *relative* error of every session (a
//!   long session weighs as much as a short one), with Huber weights (an
//!   error beyond [`HUBER_DELTA`] counts linearly, so a forgotten timer
//!   cannot drag the pace), plus a pull towards the *one-factor pace*: the
//!   documented constants all scaled by the lifter's median actual /
//!   planned. Constants a log cannot tell apart (setup and rest both grow
//!   with the number of sets) then stay in the documented proportion
//!   instead of trading off wildly;
//! - how hard that pull is comes from the lifter's own log: each strength
//!   of [`PRIOR_WEIGHTS`] is fitted on the earlier two thirds of the
//!   sessions and scored (mean Huber loss) on the latest third, and the best
//!   one is fitted on them all. A log that can tell the constants apart
//!   gets a weak pull, a noisy one the one-factor pace, and one whose latest
//!   sessions the documented constants predict best keeps those (a pace
//!   must earn its place on sessions it was not fitted on);
//! - each constant stays within its plausible range
//!   (`crate::config::PACE_*`): one that would leave it is pinned to the
//!   bound and the others are fitted again;
//! - after a first fit, sessions off by more than [`OUTLIER_FACTOR`] median
//!   absolute deviations (and more than [`OUTLIER_FLOOR`]) are left out as
//!   outliers and the fit is repeated without them.

use serde::Serialize;

use crate::config::{
    PACE_REST_FACTOR_RANGE, PACE_SECONDS_PER_REP_RANGE, PACE_SETUP_SECONDS_RANGE, PACE_TRANSITION_SECONDS_RANGE,
};
use crate::estimate::plan_seconds;
use crate::history::error::{HistoryError, HistoryErrorCode};
use crate::history::log::{History, Implausible};
use crate::history::plan_from_session::plan_from_session;
use crate::pace::Pace;
use crate::request::Plan;

/// Fewest usable sessions a pace is fitted from.
pub const MIN_CALIBRATION_SESSIONS: usize = 5;
/// Relative error beyond which a session's error counts linearly.
pub const HUBER_DELTA: f64 = 0.15;
/// The strengths of the pull towards the one-factor pace that are tried,
/// in sessions' worth of a 10 % error per typical deviation of one
/// constant, weakest first.
pub const PRIOR_WEIGHTS: [f64; 6] = [0.01, 0.1, 1.0, 10.0, 100.0, 10_000.0];
/// Fewest sessions scored when choosing the pull's strength.
const MIN_VALIDATION_SESSIONS: usize = 2;
/// Outliers: farther than this many median absolute deviations ...
pub const OUTLIER_FACTOR: f64 = 4.0;
/// ... and more than this relative error.
pub const OUTLIER_FLOOR: f64 = 0.35;

/// How far each constant typically strays from its default, for the prior.
const TYPICAL_DEVIATION: [f64; 4] = [15.0, 1.5, 0.5, 60.0];
const RANGES: [(f64, f64); 4] =
    [PACE_SETUP_SECONDS_RANGE, PACE_SECONDS_PER_REP_RANGE, PACE_REST_FACTOR_RANGE, PACE_TRANSITION_SECONDS_RANGE];
const IRLS_ROUNDS: usize = 30;

/// A fitted pace and how it was fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Calibration {
    /// The athlete's pace, for `options.pace`.
    pub pace: Pace,
    /// Whether the pace is their own: false when the log did not predict
    /// its latest sessions better than the documented constants, which
    /// `pace` then holds.
    pub personal: bool,
    /// Indices (into `History::sessions`) of the sessions it was fitted on.
    pub used: Vec<usize>,
    /// Sessions it was not fitted on, and why.
    pub left_out: Vec<UnusedSession>,
    /// Median |predicted − actual| / actual over the sessions used, with
    /// the documented constants.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub error_before: f64,
    /// The same with the fitted pace.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub error_after: f64,
    /// Median actual / predicted with the documented constants: 1.25 means
    /// the sessions run about 25 % longer than planned.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub actual_to_planned: f64,
}

/// A session calibration did not use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct UnusedSession {
    /// Index into `History::sessions`.
    pub session: usize,
    /// Why.
    pub reason: UnusedReason,
}

/// Why a session was left out of calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum UnusedReason {
    /// Its duration is implausible (see [`Implausible`]).
    TimerLeftRunning,
    /// Its duration is implausible (see [`Implausible`]).
    LoggedAfterwards,
    /// No plan can be made from it (no set was done).
    NoSets,
    /// Far off every other session even at the fitted pace.
    Outlier,
}

/// One session as the fit sees it: predicted seconds = `constant + slope · pace`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Seconds that do not depend on the pace (timed work, own tempos, switches).
    pub constant: f64,
    /// Seconds per unit of each constant: setup, tempo, rest factor, transition.
    pub slope: [f64; 4],
    /// Seconds it really took.
    pub actual: f64,
}

impl Sample {
    /// The sample of a plan that really took `actual_seconds`.
    pub fn of(plan: &Plan, actual_seconds: f64) -> Sample {
        let at = |values: [f64; 4]| plan_seconds(plan, &pace_of(values));
        let constant = at([0.0; 4]);
        let mut slope = [0.0; 4];
        for (k, slot) in slope.iter_mut().enumerate() {
            let mut unit = [0.0; 4];
            unit[k] = 1.0;
            *slot = at(unit) - constant;
        }
        Sample { constant, slope, actual: actual_seconds }
    }

    /// Predicted seconds at a pace.
    pub fn predict(&self, pace: &Pace) -> f64 {
        let values = values_of(pace);
        self.constant + (0..4).map(|k| self.slope[k] * values[k]).sum::<f64>()
    }

    fn relative_error(&self, pace: &Pace) -> f64 {
        (self.predict(pace) - self.actual) / self.actual
    }
}

/// Fits the athlete's pace on their history (see the module doc).
pub fn calibrate(history: &History) -> Result<Calibration, HistoryError> {
    let mut samples = Vec::new();
    let mut used = Vec::new();
    let mut left_out = Vec::new();
    for (index, session) in history.sessions.iter().enumerate() {
        let reason = match session.implausible {
            Some(Implausible::TimerLeftRunning) => Some(UnusedReason::TimerLeftRunning),
            Some(Implausible::LoggedAfterwards) => Some(UnusedReason::LoggedAfterwards),
            None => None,
        };
        if let Some(reason) = reason {
            left_out.push(UnusedSession { session: index, reason });
            continue;
        }
        match plan_from_session(session, "calibration") {
            Ok(made) => {
                samples.push(Sample::of(&made.plan, session.actual_minutes * 60.0));
                used.push(index);
            }
            Err(_) => left_out.push(UnusedSession { session: index, reason: UnusedReason::NoSets }),
        }
    }
    let enough = |count: usize| {
        if count < MIN_CALIBRATION_SESSIONS {
            Err(HistoryError::new(
                HistoryErrorCode::NotEnoughHistory,
                format!(
                    "a personal pace needs at least {MIN_CALIBRATION_SESSIONS} sessions with a plausible duration; \
                     this history has {count}"
                ),
            ))
        } else {
            Ok(())
        }
    };
    enough(samples.len())?;

    let first = fit_from_log(&samples);
    let errors: Vec<f64> = samples.iter().map(|s| s.relative_error(&first)).collect();
    let center = median(&errors);
    let spread = median(&errors.iter().map(|e| (e - center).abs()).collect::<Vec<_>>());
    let limit = (OUTLIER_FACTOR * spread).max(OUTLIER_FLOOR);
    let mut kept_samples = Vec::new();
    let mut kept = Vec::new();
    for ((sample, index), error) in samples.iter().zip(&used).zip(&errors) {
        if (error - center).abs() > limit {
            left_out.push(UnusedSession { session: *index, reason: UnusedReason::Outlier });
        } else {
            kept_samples.push(*sample);
            kept.push(*index);
        }
    }
    enough(kept_samples.len())?;
    left_out.sort_by_key(|l| l.session);
    let pace = rounded(fit_from_log(&kept_samples));
    Ok(Calibration {
        pace,
        personal: pace != Pace::DEFAULT,
        error_before: median_ape(&kept_samples, &Pace::DEFAULT),
        error_after: median_ape(&kept_samples, &pace),
        actual_to_planned: median(
            &kept_samples.iter().map(|s| s.actual / s.predict(&Pace::DEFAULT)).collect::<Vec<_>>(),
        ),
        used: kept,
        left_out,
    })
}

/// The pace that best explains the samples (in date order), with the
/// pull's centre and strength chosen on the latest third (see the module
/// doc).
pub fn fit_from_log(samples: &[Sample]) -> Pace {
    let validation = (samples.len() / 3).max(MIN_VALIDATION_SESSIONS).min(samples.len() / 2);
    let (earlier, latest) = samples.split_at(samples.len() - validation);
    // The pull's strength with the least loss on the latest sessions
    // (strongest first: a weaker pull must be strictly better).
    let center = one_factor_pace(earlier);
    let mut best = (f64::INFINITY, PRIOR_WEIGHTS[PRIOR_WEIGHTS.len() - 1], Pace::DEFAULT);
    for &weight in PRIOR_WEIGHTS.iter().rev() {
        let pace = fit(earlier, &center, weight);
        let loss = huber_loss(latest, &pace);
        if loss < best.0 - 1e-12 {
            best = (loss, weight, pace);
        }
    }
    let (loss, weight, pace) = best;
    // A pace must earn its place: better than the documented constants on
    // the latest sessions by their mean loss and by their median error.
    let earned =
        loss < huber_loss(latest, &Pace::DEFAULT) && median_ape(latest, &pace) < median_ape(latest, &Pace::DEFAULT);
    if earned {
        fit(samples, &one_factor_pace(samples), weight)
    } else {
        Pace::DEFAULT
    }
}

/// The documented constants all scaled by the median actual / planned
/// (each kept in its range).
pub fn one_factor_pace(samples: &[Sample]) -> Pace {
    let factor = median(&samples.iter().map(|s| s.actual / s.predict(&Pace::DEFAULT)).collect::<Vec<_>>());
    let mut values = values_of(&Pace::DEFAULT);
    for (k, value) in values.iter_mut().enumerate() {
        *value = (*value * factor).clamp(RANGES[k].0, RANGES[k].1);
    }
    pace_of(values)
}

/// The pace that best explains the samples with a pull of `prior_weight`
/// towards `center` (see the module doc).
pub fn fit(samples: &[Sample], center: &Pace, prior_weight: f64) -> Pace {
    let default = values_of(center);
    let mut values = default;
    for _ in 0..IRLS_ROUNDS {
        let pace = pace_of(values);
        let weights: Vec<f64> = samples
            .iter()
            .map(|s| {
                let error = s.relative_error(&pace).abs();
                if error <= HUBER_DELTA {
                    1.0
                } else {
                    HUBER_DELTA / error
                }
            })
            .collect();
        let next = weighted_fit(samples, &weights, &default, prior_weight);
        let settled = (0..4).all(|k| (next[k] - values[k]).abs() <= 1e-9 * (1.0 + values[k].abs()));
        values = next;
        if settled {
            break;
        }
    }
    pace_of(values)
}

/// Weighted, regularised least squares of the relative errors, each
/// constant kept in its range by pinning it to the bound it would cross.
fn weighted_fit(samples: &[Sample], weights: &[f64], center: &[f64; 4], prior_weight: f64) -> [f64; 4] {
    let mut pinned: [Option<f64>; 4] = [None; 4];
    loop {
        let free: Vec<usize> = (0..4).filter(|&k| pinned[k].is_none()).collect();
        let n = free.len();
        let mut matrix = vec![vec![0.0; n]; n];
        let mut rhs = vec![0.0; n];
        for (sample, &weight) in samples.iter().zip(weights) {
            // Residual / actual = (constant + Σ pinned + Σ free·x − actual) / actual.
            let scale = 1.0 / sample.actual;
            let fixed: f64 = (0..4).filter_map(|k| pinned[k].map(|v| sample.slope[k] * v)).sum();
            let target = (sample.actual - sample.constant - fixed) * scale;
            for (i, &ki) in free.iter().enumerate() {
                let xi = sample.slope[ki] * scale;
                rhs[i] += weight * xi * target;
                for (j, &kj) in free.iter().enumerate() {
                    matrix[i][j] += weight * xi * sample.slope[kj] * scale;
                }
            }
        }
        // The pull: prior_weight sessions' worth of a 10 % error per typical deviation.
        for (i, &k) in free.iter().enumerate() {
            let strength = prior_weight * 0.01 / (TYPICAL_DEVIATION[k] * TYPICAL_DEVIATION[k]);
            matrix[i][i] += strength;
            rhs[i] += strength * center[k];
        }
        let solution = solve(matrix, rhs);
        let mut values = [0.0; 4];
        let mut crossed = false;
        for k in 0..4 {
            values[k] = match pinned[k] {
                Some(v) => v,
                None => solution[free.iter().position(|&f| f == k).unwrap_or(0)],
            };
        }
        for k in 0..4 {
            let (min, max) = RANGES[k];
            if pinned[k].is_none() && !(min..=max).contains(&values[k]) {
                pinned[k] = Some(values[k].clamp(min, max));
                crossed = true;
            }
        }
        if !crossed {
            return values;
        }
    }
}

/// Gaussian elimination with partial pivoting of a small symmetric
/// positive-definite system (the prior keeps it so).
fn solve(mut matrix: Vec<Vec<f64>>, mut rhs: Vec<f64>) -> Vec<f64> {
    let n = rhs.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&a, &b| matrix[a][col].abs().total_cmp(&matrix[b][col].abs())).unwrap_or(col);
        matrix.swap(col, pivot);
        rhs.swap(col, pivot);
        let diagonal = matrix[col][col];
        let pivot_row = matrix[col].clone();
        for row in col + 1..n {
            let factor = matrix[row][col] / diagonal;
            for (cell, above) in matrix[row].iter_mut().zip(&pivot_row).skip(col) {
                *cell -= factor * above;
            }
            rhs[row] -= factor * rhs[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let known: f64 = (row + 1..n).map(|k| matrix[row][k] * x[k]).sum();
        x[row] = (rhs[row] - known) / matrix[row][row];
    }
    x
}

/// Mean Huber loss of the relative errors: how candidates are compared
/// (smoother than the median on a few sessions, and one wild session
/// cannot decide).
fn huber_loss(samples: &[Sample], pace: &Pace) -> f64 {
    let loss = |error: f64| {
        let error = error.abs();
        if error <= HUBER_DELTA {
            error * error / 2.0
        } else {
            HUBER_DELTA * (error - HUBER_DELTA / 2.0)
        }
    };
    samples.iter().map(|s| loss(s.relative_error(pace))).sum::<f64>() / samples.len().max(1) as f64
}

/// Median |predicted − actual| / actual.
pub fn median_ape(samples: &[Sample], pace: &Pace) -> f64 {
    median(&samples.iter().map(|s| s.relative_error(pace).abs()).collect::<Vec<_>>())
}

/// Median of a non-empty list (0 for an empty one).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A pace as shown to athletes: seconds to 0.1, tempo and factor to 0.01.
fn rounded(pace: Pace) -> Pace {
    // Multiply then divide: 17.4, not 17.400000000000002.
    let to = |value: f64, per_unit: f64| (value * per_unit).round() / per_unit;
    Pace {
        setup_seconds: to(pace.setup_seconds, 10.0),
        seconds_per_rep: to(pace.seconds_per_rep, 100.0),
        rest_factor: to(pace.rest_factor, 100.0),
        transition_seconds: to(pace.transition_seconds, 10.0),
    }
}

fn values_of(pace: &Pace) -> [f64; 4] {
    [pace.setup_seconds, pace.seconds_per_rep, pace.rest_factor, pace.transition_seconds]
}

fn pace_of(values: [f64; 4]) -> Pace {
    Pace { setup_seconds: values[0], seconds_per_rep: values[1], rest_factor: values[2], transition_seconds: values[3] }
}
