//! Turns a chosen rung of the ladder into a [`Preview`]: the session as the
//! athlete will do it, every difference from the plan with its reason, the
//! training retained, and the fallback when nothing fits.

use std::collections::BTreeMap;

use crate::candidate::{Candidate, ItemOrigin, LaidItem};
use crate::estimate::{minutes, minutes_ceil};
use crate::pace::Pace;
use crate::pairing::antagonists;
use crate::preview::{Change, ChangeKind, Fallback, Item, ItemExercise, Preview, PreviewBlock, Retained, Strategy};
use crate::request::{Muscle, Priority};
use crate::rest::{cut_rest, RestFloor};
use crate::wire::number::{push_decimal, push_tenths};
use crate::workout::Workout;

/// What the strategy ladder chose for one target.
pub(crate) struct Chosen<'s> {
    /// The candidate session at that rung.
    pub candidate: &'s Candidate,
    /// Its layout.
    pub items: &'s [LaidItem],
    /// How far rest is cut: 0 (as written) to [`crate::config::REST_STEPS`] (at the floors).
    pub rest_cut: u32,
    /// Strategy name.
    pub strategy: Strategy,
    /// Whether it fits.
    pub fits: bool,
    /// Its length in seconds.
    pub seconds: f64,
}

/// Builds the preview for a target.
pub(crate) fn preview(workout: &Workout, chosen: &Chosen, target_minutes: i64, original_seconds: f64) -> Preview {
    let (blocks, item_rest) = blocks(workout, chosen);
    let warnings = warnings(workout, chosen);
    Preview {
        plan_id: workout.plan.id.clone(),
        plan_name: workout.plan.name.clone(),
        strategy: chosen.strategy,
        fits: chosen.fits,
        target_minutes,
        original_minutes: minutes(original_seconds),
        estimated_minutes: minutes(chosen.seconds),
        blocks,
        changes: changes(workout, chosen, &item_rest),
        retained: retained(workout, chosen.candidate),
        fallback: (!chosen.fits).then(|| fallback(workout, chosen.seconds)),
        warnings,
        pace: (workout.pace != Pace::DEFAULT).then_some(workout.pace),
    }
}

/// Each exercise's rest inside its item: a single rests the item's rest;
/// a superset member never more than its own planned rest.
fn member_rest(workout: &Workout, item: &LaidItem, item_rest: u32, member: usize) -> u32 {
    if item.members.len() == 1 {
        item_rest
    } else {
        workout.exercises[member].rest.min(item_rest)
    }
}

fn blocks(workout: &Workout, chosen: &Chosen) -> (Vec<PreviewBlock>, Vec<u32>) {
    let mut blocks: Vec<PreviewBlock> = Vec::new();
    let mut rest_of = vec![0; workout.exercises.len()];
    let mut current_block = usize::MAX;
    for item in chosen.items {
        let first = item.members.as_slice()[0];
        let block_index = workout.exercises[first].block;
        if block_index != current_block {
            current_block = block_index;
            let block = &workout.plan.blocks[block_index];
            blocks.push(PreviewBlock {
                id: block.id.clone(),
                kind: block.kind,
                name: block.name.clone(),
                items: Vec::new(),
            });
        }
        let rest = cut_rest(item.rest_original, item.rest_floor, chosen.rest_cut);
        let exercises = item
            .members
            .as_slice()
            .iter()
            .map(|&member| {
                let planned = &workout.exercises[member];
                let source = planned.source;
                rest_of[member] = member_rest(workout, item, rest, member);
                ItemExercise {
                    id: source.id.clone(),
                    name: source.name.clone(),
                    sets: chosen.candidate.sets[member],
                    reps: source.reps.map(crate::estimate::clamp_u32),
                    duration_seconds: source.duration_seconds.map(crate::estimate::clamp_u32),
                    rest_seconds: rest_of[member],
                    seconds_per_rep: crate::estimate::seconds_per_rep(source, &workout.pace),
                    unilateral: source.unilateral.unwrap_or(false),
                    priority: source.priority,
                    pattern: source.pattern,
                    muscles: source.muscles.clone(),
                    equipment: source.equipment,
                }
            })
            .collect();
        if let Some(block) = blocks.last_mut() {
            block.items.push(Item { exercises, rest_seconds: rest });
        }
    }
    (blocks, rest_of)
}

fn ids(workout: &Workout, members: &[usize]) -> Vec<String> {
    members.iter().map(|&m| workout.exercises[m].source.id.clone()).collect()
}

fn change(kind: ChangeKind, exercise_ids: Vec<String>, from_to: Option<(u32, u32)>, reason: &str) -> Change {
    Change { kind, exercise_ids, from: from_to.map(|(f, _)| f), to: from_to.map(|(_, t)| t), reason: reason.to_owned() }
}

/// Every difference between plan and session, in plan order; a new
/// superset is announced where its first member stands.
fn changes(workout: &Workout, chosen: &Chosen, rest_of: &[u32]) -> Vec<Change> {
    let mut changes = Vec::new();
    // Inserted one by one: collecting into a B-tree sorts first, and that
    // sort's code would ship in the WebAssembly module for nothing.
    let mut formed_first: BTreeMap<usize, &LaidItem> = BTreeMap::new();
    for item in chosen.items.iter().filter(|item| matches!(item.origin, ItemOrigin::Formed(_))) {
        formed_first.insert(item.members.as_slice()[0], item);
    }
    for (index, planned) in workout.exercises.iter().enumerate() {
        let id = || vec![planned.source.id.clone()];
        let sets = chosen.candidate.sets[index];
        if sets == 0 {
            let reason = match planned.priority() {
                Priority::Optional => "Optional exercise left out first to fit the time.",
                Priority::Secondary => "Secondary exercise left out to fit the time, after all optional work.",
                _ => "Left out so the core lifts fit the time; all lower-priority work was already out.",
            };
            changes.push(change(ChangeKind::Removed, id(), None, reason));
            continue;
        }
        if let Some(item) = formed_first.get(&index) {
            let reason = if item.members.as_slice().windows(2).any(|w| antagonists(workout, w[0], w[1])) {
                "Done as a superset: they work opposing muscles, so each rests while the other works."
            } else {
                "Done as a superset: they share no primary muscle, so their rest periods overlap."
            };
            changes.push(change(ChangeKind::Paired, ids(workout, item.members.as_slice()), None, reason));
        }
        if sets < planned.sets {
            let reason = if planned.main_lift {
                "Sets trimmed to fit the time; main lifts keep at least 2 sets."
            } else {
                "Accessory sets trimmed to fit the time; the exercise stays in."
            };
            changes.push(change(ChangeKind::SetsReduced, id(), Some((planned.sets, sets)), reason));
        }
        if rest_of[index] < planned.rest {
            let in_superset =
                chosen.items.iter().any(|item| item.members.len() > 1 && item.members.as_slice().contains(&index));
            let reason = if in_superset {
                "Rests between superset rounds instead of between its own sets."
            } else {
                match planned.rest_floor_kind {
                    RestFloor::HeavyCore => "Rest shortened to fit the time; heavy core lifts keep a long rest floor.",
                    RestFloor::Compound => "Rest shortened to fit the time, but not below 90 s for a compound lift.",
                    RestFloor::Other => "Rest shortened to fit the time, but not below 45 s.",
                }
            };
            changes.push(change(ChangeKind::RestReduced, id(), Some((planned.rest, rest_of[index])), reason));
        }
    }
    changes
}

fn fraction(kept: u32, planned: u32) -> f64 {
    if planned == 0 {
        return 1.0;
    }
    (f64::from(kept) / f64::from(planned) * 1000.0).round() / 1000.0
}

fn retained(workout: &Workout, candidate: &Candidate) -> Retained {
    let mut by_muscle: BTreeMap<Muscle, (u32, u32)> = BTreeMap::new();
    let (mut kept, mut planned) = (0, 0);
    for (index, exercise) in workout.exercises.iter().enumerate() {
        kept += candidate.sets[index];
        planned += exercise.sets;
        for (n, muscle) in exercise.source.muscles.iter().enumerate() {
            if exercise.source.muscles[..n].contains(muscle) {
                continue;
            }
            let entry = by_muscle.entry(*muscle).or_insert((0, 0));
            entry.0 += candidate.sets[index];
            entry.1 += exercise.sets;
        }
    }
    let mut fractions = BTreeMap::new();
    for (muscle, (k, p)) in by_muscle {
        fractions.insert(muscle, fraction(k, p));
    }
    Retained { working_sets: fraction(kept, planned), by_muscle: fractions }
}

fn fallback(workout: &Workout, minimum_seconds: f64) -> Fallback {
    let minimum_minutes = minutes_ceil(minimum_seconds);
    let keeps_extra = workout.exercises.iter().any(|e| e.kept && !e.plays_core);
    let mut message = String::from(if keeps_extra {
        "Even the most compact session (core lifts and the exercises you chose to keep, minimum sets and rest) takes "
    } else {
        "Even the most compact session (core lifts only, minimum sets and rest) takes "
    });
    push_tenths(&mut message, (minimum_minutes * 10.0).round() as u64);
    message.push_str(" minutes. This is that session; choose at least ");
    push_decimal(&mut message, (minimum_seconds / 60.0).ceil() as u64);
    message.push_str(" minutes for it to fit.");
    Fallback { reason: String::from("target_below_minimum"), message, minimum_minutes }
}

fn warnings(workout: &Workout, chosen: &Chosen) -> Vec<String> {
    let mut warnings = Vec::new();
    if !workout.allow_supersets && chosen.strategy >= Strategy::Supersets {
        warnings.push(String::from(
            "Supersets are turned off in the options, so only rest, sets and exercise choice were changed.",
        ));
    }
    if workout.goal == crate::request::Goal::Strength
        && chosen.strategy >= Strategy::Supersets
        && workout.exercises.iter().any(|e| e.plays_core)
    {
        warnings.push(String::from("With a strength goal, core lifts are never put in a superset."));
    }
    warnings
}
