//! A plan from any logged session: the session as the engine's [`Plan`], so
//! that an athlete can ask "what if I had 40 minutes for *that* workout?".
//!
//! # Rules
//!
//! - **Sets.** Every logged set that was done counts, whatever its kind
//!   (warm-up, normal, drop, failure: all take time). A set was done when it
//!   has at least 1 rep or at least 5 seconds; a set with 0 reps and no
//!   seconds (or only a distance) is left out. An exercise with no set done
//!   is left out of the plan (listed in [`SessionPlan::left_out`]); a session
//!   with none at all is refused with [`HistoryErrorCode::EmptySession`].
//! - **Long runs.** The contract allows 1..=20 sets per exercise. A run of
//!   more than 20 sets is split, in order, into as few exercises as hold
//!   them (`ceil(n / 20)`), of sizes differing by at most one, larger first
//!   (25 sets → 13 + 12), rather than losing sets. Each part is its own
//!   exercise with its own id.
//! - **Reps or time.** When any set done has reps, the exercise is done for
//!   `reps` = the median reps of those sets (the mean of the middle two for
//!   an even count, rounded), clamped to 1..=100. Otherwise it is timed:
//!   `durationSeconds` = the median seconds, clamped to 5..=3600.
//! - **Blocks.** The exercises stay in logged order. One `main` block holds
//!   the leading run: everything up to the first exercise that is not a
//!   compound lift and comes after at least one compound lift; one
//!   `accessory` block holds the rest. A session with no compound lift is
//!   all accessory. Empty blocks are omitted; a block of more than 50
//!   exercises continues in another of the same kind (`main-2`), and
//!   exercises past the contract's 200 are left out.
//! - **Priority.** The first two compound lifts (by distinct name, so two
//!   runs of one lift, or the parts of a long run, share a priority) are
//!   `core`, other compound lifts `primary`, other matched lifts (isolation,
//!   carries) `secondary`; `core`, `mobility` and `conditioning` patterns
//!   and unmatched names are `optional`.
//! - **What the lift is.** Pattern, muscles and equipment come from the
//!   name's match ([`super::matcher`]). An unmatched name becomes pattern
//!   `isolation`, muscles `[full_body]`, the equipment the name states
//!   (`(Barbell)`, `Dumbbell …`) or `other`, priority `optional`, and is
//!   listed in [`SessionPlan::unmatched`] with the ids it became, for the
//!   athlete to describe.
//! - **Rest.** The rest timer the log records for the exercise, clamped to
//!   0..=600 s; else a default by kind of lift (the `DEFAULT_REST_*`
//!   constants below).
//! - **Supersets.** Exercises of one block sharing the log's superset id get
//!   a `supersetGroup` (the log's id). The engine pairs 2–3 exercises; a
//!   group of one, or of more than three, is left unpaired.
//! - **Not in the logs.** `unilateral` is false (logs do not say) and
//!   `secondsPerRep` is absent (the engine default, or the athlete's pace,
//!   applies).
//! - **Names and ids.** The plan's name is the session's; each exercise's
//!   name is the logged name, and its id the name slugified (lowercase
//!   letters and digits, runs of anything else as one `-`:
//!   `bench-press-barbell`), made unique with `-2`, `-3` … for the next
//!   uses; a name with no letter or digit becomes `exercise`. Text past the
//!   contract's 200 characters is cut; an empty plan id becomes `session`.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::error::{HistoryError, HistoryErrorCode};
use super::log::{LoggedExercise, LoggedSession, LoggedSet};
use super::matcher::{match_exercise, stated_equipment, Match};
use crate::config::{
    DURATION_SECONDS_RANGE, MAX_EXERCISES, MAX_EXERCISES_PER_BLOCK, MAX_STRING_CHARS, MAX_SUPERSET_SIZE, REPS_RANGE,
    REST_SECONDS_RANGE, SETS_RANGE,
};
use crate::request::{Block, BlockKind, Equipment, Exercise, Muscle, Pattern, Plan, Priority};
use crate::wire::number::push_decimal;

// ---- Default rest, when the log has no rest timer ---------------------------
//
// Seconds between sets by kind of lift: the long rests heavy compound work
// is usually given, shorter for single-joint and trunk work, and little for
// conditioning and mobility, where the work itself is the point.

/// A `core`-priority compound lift (the session's first two).
pub const DEFAULT_REST_CORE_LIFT_SECONDS: i64 = 180;
/// Any other compound lift.
pub const DEFAULT_REST_COMPOUND_SECONDS: i64 = 120;
/// Isolation work, carries, and unmatched names.
pub const DEFAULT_REST_ISOLATION_SECONDS: i64 = 90;
/// Trunk work (pattern `core`: abs, obliques).
pub const DEFAULT_REST_CORE_SECONDS: i64 = 60;
/// Conditioning and mobility.
pub const DEFAULT_REST_CONDITIONING_SECONDS: i64 = 30;

/// A set counts as done with at least this many seconds (and no reps).
pub const MIN_DONE_SECONDS: u32 = 5;

/// A plan made from a logged session, with what the page needs to ask about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionPlan {
    /// A valid engine plan.
    pub plan: Plan,
    /// Where each plan exercise came from, in plan order.
    pub sources: Vec<ExerciseSource>,
    /// Names that matched no exercise, in first-logged order, with the ids
    /// they became: the athlete is asked to describe them.
    pub unmatched: Vec<Unmatched>,
    /// Logged exercises that are not in the plan, in logged order.
    pub left_out: Vec<LeftOut>,
}

/// Where one plan exercise came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExerciseSource {
    /// The plan exercise's id.
    pub exercise_id: String,
    /// The name as logged.
    pub logged_name: String,
    /// The free-exercise-db entry it matched, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_name: Option<String>,
    /// The match's confidence, 0..=1.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub confidence: f64,
}

/// A logged name that matched nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Unmatched {
    /// The name as logged.
    pub name: String,
    /// The plan exercises it became.
    pub exercise_ids: Vec<String>,
}

/// A logged exercise that is not in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeftOut {
    /// The name as logged.
    pub name: String,
    /// Why.
    pub reason: LeftOutReason,
}

/// Why a logged exercise is not in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    /// No set with a rep or 5 seconds.
    NoSetDone,
    /// The plan already holds the contract's 200 exercises.
    PlanFull,
}

/// One plan exercise before it is placed in a block.
struct Part<'a> {
    logged: &'a LoggedExercise,
    /// Index into the distinct names' matches.
    name: usize,
    sets: Vec<&'a LoggedSet>,
}

/// Makes a plan from `session` (module doc); `id` becomes the plan's id.
pub fn plan_from_session(session: &LoggedSession, id: &str) -> Result<SessionPlan, HistoryError> {
    // Distinct names, matched once each, in first-logged order.
    let mut names: Vec<(&str, Match)> = Vec::new();
    let mut left_out = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    for logged in &session.exercises {
        let done: Vec<&LoggedSet> = logged.sets.iter().filter(|set| was_done(set)).collect();
        if done.is_empty() {
            left_out.push(LeftOut { name: logged.name.clone(), reason: LeftOutReason::NoSetDone });
            continue;
        }
        let name = match names.iter().position(|(n, _)| *n == logged.name) {
            Some(i) => i,
            None => {
                names.push((&logged.name, match_exercise(&logged.name)));
                names.len() - 1
            }
        };
        for chunk in split_run(&done) {
            parts.push(Part { logged, name, sets: chunk.to_vec() });
        }
    }
    if parts.is_empty() {
        return Err(HistoryError::new(
            HistoryErrorCode::EmptySession,
            "The session has no set with a rep or 5 seconds to make a plan from.",
        ));
    }
    if parts.len() > MAX_EXERCISES {
        for part in parts.drain(MAX_EXERCISES..) {
            left_out.push(LeftOut { name: part.logged.name.clone(), reason: LeftOutReason::PlanFull });
        }
    }

    // Priority per distinct name: the first two compound names are core.
    let mut compound_names = 0;
    let priorities: Vec<Priority> = names
        .iter()
        .map(|(_, m)| match &m.exercise {
            Some(e) if e.compound => {
                compound_names += 1;
                if compound_names <= 2 {
                    Priority::Core
                } else {
                    Priority::Primary
                }
            }
            Some(e) if !matches!(e.pattern, Pattern::Core | Pattern::Mobility | Pattern::Conditioning) => {
                Priority::Secondary
            }
            _ => Priority::Optional,
        })
        .collect();

    let is_compound = |part: &Part| names[part.name].1.exercise.as_ref().is_some_and(|e| e.compound);
    let main_len = match parts.iter().position(&is_compound) {
        None => 0,
        Some(first) => parts[first..].iter().position(|p| !is_compound(p)).map_or(parts.len(), |k| first + k),
    };

    let mut used_ids = BTreeSet::new();
    let mut sources = Vec::with_capacity(parts.len());
    let mut unmatched: Vec<Unmatched> = Vec::new();
    let mut exercises = Vec::with_capacity(parts.len());
    for part in &parts {
        let (logged_name, found) = (&names[part.name].0, &names[part.name].1);
        let priority = priorities[part.name];
        let exercise_id = unique_id(&slug(logged_name), &mut used_ids);
        let exercise = to_exercise(part, found, priority, exercise_id.clone());
        sources.push(ExerciseSource {
            exercise_id: exercise_id.clone(),
            logged_name: logged_name.to_string(),
            db_name: found.exercise.as_ref().map(|e| e.db_name.clone()),
            confidence: found.confidence,
        });
        if found.exercise.is_none() {
            match unmatched.iter_mut().find(|u| u.name == *logged_name) {
                Some(u) => u.exercise_ids.push(exercise_id),
                None => unmatched.push(Unmatched { name: logged_name.to_string(), exercise_ids: vec![exercise_id] }),
            }
        }
        exercises.push((exercise, part.logged.superset.as_deref()));
    }

    let mut blocks = Vec::new();
    let accessory = exercises.split_off(main_len);
    push_blocks(&mut blocks, BlockKind::Main, "main", "Main lifts", exercises);
    push_blocks(&mut blocks, BlockKind::Accessory, "accessory", "Accessories", accessory);

    let plan_id = if id.is_empty() { "session".to_string() } else { cut(id) };
    Ok(SessionPlan { plan: Plan { id: plan_id, name: cut(&session.name), blocks }, sources, unmatched, left_out })
}

/// Whether a logged set was done (module doc, *Sets*).
fn was_done(set: &LoggedSet) -> bool {
    set.reps.is_some_and(|r| r >= 1) || set.seconds.is_some_and(|s| s >= MIN_DONE_SECONDS)
}

/// A run's sets in as few parts of at most 20 as hold them, sizes differing
/// by at most one, larger first.
fn split_run<'a, 'b>(sets: &'b [&'a LoggedSet]) -> Vec<&'b [&'a LoggedSet]> {
    let max = SETS_RANGE.1 as usize;
    let parts = sets.len().div_ceil(max);
    let (base, extra) = (sets.len() / parts, sets.len() % parts);
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for i in 0..parts {
        let len = base + usize::from(i < extra);
        out.push(&sets[start..start + len]);
        start += len;
    }
    out
}

fn to_exercise(part: &Part, found: &Match, priority: Priority, id: String) -> Exercise {
    let reps: Vec<u32> = part.sets.iter().filter_map(|s| s.reps).filter(|&r| r >= 1).collect();
    let (reps, duration_seconds) = if reps.is_empty() {
        let seconds: Vec<u32> = part.sets.iter().filter_map(|s| s.seconds).collect();
        (None, Some(median(seconds).clamp(DURATION_SECONDS_RANGE.0, DURATION_SECONDS_RANGE.1)))
    } else {
        (Some(median(reps).clamp(REPS_RANGE.0, REPS_RANGE.1)), None)
    };
    let (pattern, muscles, equipment) = match &found.exercise {
        Some(e) => (e.pattern, e.muscles.clone(), e.equipment),
        None => (
            Pattern::Isolation,
            vec![Muscle::FullBody],
            stated_equipment(&part.logged.name).unwrap_or(Equipment::Other),
        ),
    };
    let compound = found.exercise.as_ref().is_some_and(|e| e.compound);
    let rest_seconds = match part.logged.rest_timer_seconds {
        Some(seconds) => i64::from(seconds).clamp(REST_SECONDS_RANGE.0, REST_SECONDS_RANGE.1),
        None => default_rest(pattern, compound, priority),
    };
    Exercise {
        id,
        name: cut(&part.logged.name),
        priority,
        pattern,
        muscles,
        equipment,
        sets: part.sets.len() as i64,
        reps,
        duration_seconds,
        rest_seconds,
        seconds_per_rep: None,
        unilateral: Some(false),
        superset_group: None,
    }
}

/// The rest used when the log has no rest timer.
fn default_rest(pattern: Pattern, compound: bool, priority: Priority) -> i64 {
    match pattern {
        Pattern::Conditioning | Pattern::Mobility => DEFAULT_REST_CONDITIONING_SECONDS,
        Pattern::Core => DEFAULT_REST_CORE_SECONDS,
        _ if compound && priority == Priority::Core => DEFAULT_REST_CORE_LIFT_SECONDS,
        _ if compound => DEFAULT_REST_COMPOUND_SECONDS,
        _ => DEFAULT_REST_ISOLATION_SECONDS,
    }
}

/// The median, the mean of the middle two for an even count, rounded.
fn median(mut values: Vec<u32>) -> i64 {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return 0;
    }
    if n % 2 == 1 {
        i64::from(values[n / 2])
    } else {
        ((f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0).round() as i64
    }
}

/// Places exercises in blocks of `kind`, at most 50 to a block, and pairs
/// each block's superset members (module doc, *Supersets*).
fn push_blocks(
    blocks: &mut Vec<Block>,
    kind: BlockKind,
    id: &str,
    name: &str,
    exercises: Vec<(Exercise, Option<&str>)>,
) {
    for (n, chunk) in exercises.chunks(MAX_EXERCISES_PER_BLOCK).enumerate() {
        let mut sizes: HashMap<&str, usize> = HashMap::new();
        for (_, group) in chunk {
            if let Some(group) = group {
                *sizes.entry(group).or_insert(0) += 1;
            }
        }
        let exercises = chunk
            .iter()
            .map(|(exercise, group)| {
                let mut exercise = exercise.clone();
                if let Some(group) = group.filter(|g| (2..=MAX_SUPERSET_SIZE).contains(&sizes[g]) && !g.is_empty()) {
                    exercise.superset_group = Some(cut(group));
                }
                exercise
            })
            .collect();
        let mut block_id = id.to_string();
        if n > 0 {
            block_id.push('-');
            push_decimal(&mut block_id, n as u64 + 1);
        }
        blocks.push(Block { id: block_id, name: Some(name.to_string()), kind, exercises });
    }
}

/// `name` as an id: lowercase letters and digits, anything else as one `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("exercise");
    }
    // Room for a `-NNN` suffix within the contract's 200 characters.
    out.chars().take(MAX_STRING_CHARS - 8).collect::<String>().trim_end_matches('-').to_string()
}

/// `base`, or `base-2`, `base-3` … whichever is free first.
fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1u64;
    while used.contains(&id) {
        n += 1;
        id = base.to_string();
        id.push('-');
        push_decimal(&mut id, n);
    }
    used.insert(id.clone());
    id
}

/// `text` cut to the contract's 200 characters.
fn cut(text: &str) -> String {
    text.chars().take(MAX_STRING_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_unique_ids() {
        assert_eq!(slug("Bench Press (Barbell)"), "bench-press-barbell");
        assert_eq!(slug("  Triceps Pushdown (Cable - Straight Bar) "), "triceps-pushdown-cable-straight-bar");
        assert_eq!(slug("卧推"), "卧推");
        assert_eq!(slug("()"), "exercise");
        let mut used = BTreeSet::new();
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a-2", &mut used), "a-2");
        assert_eq!(unique_id("a", &mut used), "a-3");
        assert!(slug(&"x".repeat(500)).chars().count() <= MAX_STRING_CHARS - 8);
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![5]), 5);
        assert_eq!(median(vec![8, 5, 10]), 8);
        assert_eq!(median(vec![5, 6]), 6);
        assert_eq!(median(vec![5, 8]), 7);
    }

    #[test]
    fn long_runs_split_evenly() {
        let set = LoggedSet { kind: Default::default(), reps: Some(5), seconds: None, weight: None };
        let sets: Vec<&LoggedSet> = std::iter::repeat_n(&set, 25).collect();
        assert_eq!(split_run(&sets).iter().map(|p| p.len()).collect::<Vec<_>>(), [13, 12]);
        let sets: Vec<&LoggedSet> = std::iter::repeat_n(&set, 41).collect();
        assert_eq!(split_run(&sets).iter().map(|p| p.len()).collect::<Vec<_>>(), [14, 14, 13]);
        assert_eq!(split_run(&sets[..20]).len(), 1);
    }
}
