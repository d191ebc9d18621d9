//! When a rollback trigger fired: its condition, evaluated at every step
//! over the window, must hold at consecutive steps spanning its duration,
//! as Prometheus holds an alert `for` a duration before it fires.

use jiff::Timestamp;
use serde::Serialize;

use crate::criteria::Trigger;

/// One firing of a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Firing {
    /// The trigger's name.
    pub name: &'static str,
    /// When it fired: its condition had held for the trigger's duration.
    pub fired_at: Timestamp,
    /// When its condition started to hold.
    #[serde(skip)]
    pub since: Timestamp,
    /// The last step at which the condition still held.
    #[serde(skip)]
    pub until: Timestamp,
}

/// Every firing of `trigger` in `points` (unix seconds, value; in time
/// order, `step` seconds apart). A missing step breaks a run, as does a
/// step where the condition does not hold.
pub fn firings(trigger: &Trigger, points: &[(i64, f64)], step: i64) -> Vec<Firing> {
    let mut found = Vec::new();
    let mut run: Option<(i64, Option<i64>)> = None; // (condition since, fired at)
    let mut last_time: Option<i64> = None;
    let close = |run: &mut Option<(i64, Option<i64>)>, until: i64, found: &mut Vec<Firing>| {
        if let Some((since, Some(fired))) = run.take() {
            found.push(Firing { name: trigger.name, fired_at: ts(fired), since: ts(since), until: ts(until) });
        }
    };
    for &(t, value) in points {
        let contiguous = last_time.is_some_and(|last| t - last <= step);
        if !contiguous {
            if let Some(last) = last_time {
                close(&mut run, last, &mut found);
            }
        }
        if trigger.holds(value) {
            let (since, fired) = run.get_or_insert((t, None));
            if fired.is_none() && t - *since >= trigger.for_seconds {
                *fired = Some(t);
            }
        } else if let Some(last) = last_time {
            close(&mut run, last, &mut found);
            run = None;
        }
        last_time = Some(t);
    }
    if let Some(last) = last_time {
        close(&mut run, last, &mut found);
    }
    found
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::TRIGGERS;

    fn minutes(values: &[f64]) -> Vec<(i64, f64)> {
        values.iter().enumerate().map(|(i, v)| (i as i64 * 60, *v)).collect()
    }

    #[test]
    fn fires_once_the_condition_has_held_for_the_duration() {
        let errors = &TRIGGERS[1]; // above 10 % for 5 minutes
        let mut values = vec![0.01; 30];
        values[10..17].fill(0.3); // true at minutes 10..=16
        let found = firings(errors, &minutes(&values), 60);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].since.as_second(), 600);
        assert_eq!(found[0].fired_at.as_second(), 900);
        assert_eq!(found[0].until.as_second(), 960);
    }

    #[test]
    fn a_shorter_run_a_gap_or_nan_does_not_fire() {
        let errors = &TRIGGERS[1];
        let mut values = vec![0.01; 30];
        values[10..15].fill(0.3); // 4 minutes apart: first to last
        assert!(firings(errors, &minutes(&values), 60).is_empty());
        values[15] = f64::NAN;
        assert!(firings(errors, &minutes(&values), 60).is_empty());
        let mut gapped = minutes(&[0.3; 10]);
        gapped.remove(4);
        assert!(firings(errors, &gapped, 60).is_empty());
    }

    #[test]
    fn each_run_fires_once() {
        let stops = &TRIGGERS[3]; // zero for 30 minutes
        let mut values = vec![1.0; 200];
        values[10..60].fill(0.0);
        values[100..150].fill(0.0);
        let fired: Vec<i64> = firings(stops, &minutes(&values), 60).iter().map(|f| f.fired_at.as_second()).collect();
        assert_eq!(fired, vec![40 * 60, 130 * 60]);
    }
}
