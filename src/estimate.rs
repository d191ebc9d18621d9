//! The duration model (SPEC §4), in one place so that every estimate the
//! engine makes (of a plan, of a candidate session, of a finished preview)
//! goes through the same arithmetic in the same order.
//!
//! - one set = setup + (reps × secondsPerRep, or durationSeconds), doubled
//!   when unilateral;
//! - an item is performed in rounds: round j holds the members with at least
//!   j sets; a round costs its members' work plus a switch between members;
//!   rounds are separated by the item's rest (a single exercise is an item of
//!   one member, so this is s × work + (s − 1) × rest);
//! - a session is its items plus a transition between consecutive items.
//!
//! Setup, the default tempo, the rest actually taken per second planned and
//! the transition come from a [`Pace`]: [`Pace::DEFAULT`] holds the
//! documented constants, an athlete's own pace replaces them.

use serde::{Deserialize, Serialize};

use crate::config::SUPERSET_SWITCH_SECONDS;
use crate::pace::Pace;
use crate::preview::Preview;
use crate::request::{Block, Exercise, Plan};

/// How long a plan takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Estimate {
    /// Exact seconds.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub seconds: f64,
    /// Seconds / 60, rounded to 0.1.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub minutes: f64,
}

/// Seconds one set takes, the pace's setup included.
pub fn set_seconds(
    reps: Option<u32>,
    duration_seconds: Option<u32>,
    seconds_per_rep: f64,
    unilateral: bool,
    pace: &Pace,
) -> f64 {
    let effort = match (reps, duration_seconds) {
        (Some(reps), _) => f64::from(reps) * seconds_per_rep,
        (None, Some(seconds)) => f64::from(seconds),
        (None, None) => 0.0,
    };
    let side = if unilateral { 2.0 } else { 1.0 };
    (pace.setup_seconds + effort) * side
}

/// Seconds one set of a plan exercise takes.
pub fn exercise_set_seconds(exercise: &Exercise, pace: &Pace) -> f64 {
    set_seconds(
        exercise.reps.map(clamp_u32),
        exercise.duration_seconds.map(clamp_u32),
        seconds_per_rep(exercise, pace),
        exercise.unilateral.unwrap_or(false),
        pace,
    )
}

/// The tempo an exercise is timed at: its own, else the pace's.
pub fn seconds_per_rep(exercise: &Exercise, pace: &Pace) -> f64 {
    exercise.seconds_per_rep.unwrap_or(pace.seconds_per_rep)
}

/// One member of an item, as far as timing goes.
#[derive(Debug, Clone, Copy)]
pub struct Timed {
    /// Seconds per set.
    pub set_seconds: f64,
    /// Sets performed.
    pub sets: u32,
}

/// Seconds an item takes: its rounds plus the rest between them (the
/// planned rest times the pace's rest factor).
pub fn item_seconds(members: &[Timed], rest_seconds: u32, pace: &Pace) -> f64 {
    let rounds = members.iter().map(|m| m.sets).max().unwrap_or(0);
    let mut total = 0.0;
    for round in 1..=rounds {
        let mut in_round = 0u32;
        for member in members.iter().filter(|m| m.sets >= round) {
            total += member.set_seconds;
            in_round += 1;
        }
        total += f64::from(in_round.saturating_sub(1)) * SUPERSET_SWITCH_SECONDS;
    }
    total + f64::from(rounds.saturating_sub(1)) * f64::from(rest_seconds) * pace.rest_factor
}

/// Seconds a session of items takes, given each item's own seconds in order.
pub fn session_seconds(item_seconds: impl IntoIterator<Item = f64>, pace: &Pace) -> f64 {
    let mut total = 0.0;
    let mut count = 0u32;
    for seconds in item_seconds {
        total += seconds;
        count += 1;
    }
    total + f64::from(count.saturating_sub(1)) * pace.transition_seconds
}

/// Seconds → minutes rounded to 0.1, as every `*Minutes` field reports them.
pub fn minutes(seconds: f64) -> f64 {
    (seconds / 6.0).round() / 10.0
}

/// Seconds → minutes rounded *up* to 0.1 (a minimum must not be understated).
pub fn minutes_ceil(seconds: f64) -> f64 {
    (seconds / 6.0).ceil() / 10.0
}

/// The items of a block as the author wrote it: exercises sharing a
/// `supersetGroup` form one item placed where its first member stands; every
/// other exercise is an item of its own. Returns exercise indices per item.
pub fn author_items(block: &Block) -> Vec<Vec<usize>> {
    let mut items: Vec<Vec<usize>> = Vec::new();
    let mut group_item: Vec<(&str, usize)> = Vec::new();
    for (index, exercise) in block.exercises.iter().enumerate() {
        match exercise.superset_group.as_deref() {
            Some(group) => match group_item.iter().find(|(name, _)| *name == group) {
                Some(&(_, item)) => items[item].push(index),
                None => {
                    group_item.push((group, items.len()));
                    items.push(vec![index]);
                }
            },
            None => items.push(vec![index]),
        }
    }
    items
}

/// How long a (validated) plan takes as written. A superset item rests the
/// largest `restSeconds` of its members between rounds.
pub fn plan_seconds(plan: &Plan, pace: &Pace) -> f64 {
    let mut per_item = Vec::new();
    for block in &plan.blocks {
        for item in author_items(block) {
            let members: Vec<Timed> = item
                .iter()
                .map(|&i| Timed {
                    set_seconds: exercise_set_seconds(&block.exercises[i], pace),
                    sets: clamp_u32(block.exercises[i].sets),
                })
                .collect();
            let rest = item.iter().map(|&i| clamp_u32(block.exercises[i].rest_seconds)).max().unwrap_or(0);
            per_item.push(item_seconds(&members, rest, pace));
        }
    }
    session_seconds(per_item, pace)
}

/// Recomputes a preview's length from the preview alone (with the pace it
/// records, if any).
pub fn preview_seconds(preview: &Preview) -> f64 {
    let pace = preview.pace.unwrap_or_default();
    let pace = &pace;
    let items = preview.blocks.iter().flat_map(|block| &block.items).map(|item| {
        let members: Vec<Timed> = item
            .exercises
            .iter()
            .map(|e| Timed {
                set_seconds: set_seconds(e.reps, e.duration_seconds, e.seconds_per_rep, e.unilateral, pace),
                sets: e.sets,
            })
            .collect();
        item_seconds(&members, item.rest_seconds, pace)
    });
    session_seconds(items, pace)
}

/// Validated plan numbers are small and non-negative; this keeps the
/// conversion total anyway.
pub(crate) fn clamp_u32(value: i64) -> u32 {
    value.clamp(0, i64::from(u32::MAX)) as u32
}
