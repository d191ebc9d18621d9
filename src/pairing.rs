//! Pairing rules (SPEC §6): which exercises may share a superset, and which
//! pairings are best.
//!
//! 1. Never pair exercises that share a primary muscle (`full_body` shares
//!    with everything). Author-made supersets are kept as written.
//! 2. Never two barbell exercises in one superset.
//! 3. With goal `strength`, core lifts are never supersetted.
//! 4. At most 3 per superset; prefer antagonists (push/pull, quads/hamstrings,
//!    biceps/triceps) and movable equipment next to a fixed station.
//!
//! Only exercises of the same block pair, or of consecutive working blocks
//! (main, accessory, core, conditioning: one pairing zone, see
//! [`Workout::zones`]), and never in warm-ups or cool-downs, which are done
//! as written. Pairs inside one block come first. Among the pairs allowed,
//! the ones that save the most time come first (what a short session needs
//! most), and rule 4's preferences weigh in as seconds ([`rank`]).

use crate::candidate::{Candidate, Members};
use crate::config::SUPERSET_SWITCH_SECONDS;
use crate::request::{Equipment, Goal, Muscle, Pattern};
use crate::rest::superset_floor;
use crate::workout::Workout;

/// Whether an exercise may take part in a new superset at all.
pub(crate) fn may_pair(workout: &Workout, index: usize) -> bool {
    let exercise = &workout.exercises[index];
    workout.pairs_in_block(exercise.block) && !(workout.goal == Goal::Strength && exercise.plays_core)
}

fn shares_muscle(a: &[Muscle], b: &[Muscle]) -> bool {
    a.iter().any(|m| *m == Muscle::FullBody || b.contains(m)) || b.contains(&Muscle::FullBody)
}

/// Rules 1–3 for two exercises (both must also pass [`may_pair`]).
pub(crate) fn compatible(workout: &Workout, a: usize, b: usize) -> bool {
    let (x, y) = (&workout.exercises[a], &workout.exercises[b]);
    workout.zone(a) == workout.zone(b)
        && !shares_muscle(&x.source.muscles, &y.source.muscles)
        && !(x.source.equipment == Equipment::Barbell && y.source.equipment == Equipment::Barbell)
}

fn is_push(p: Pattern) -> bool {
    matches!(p, Pattern::HorizontalPush | Pattern::VerticalPush)
}

fn is_pull(p: Pattern) -> bool {
    matches!(p, Pattern::HorizontalPull | Pattern::VerticalPull)
}

fn opposes(a: &[Muscle], b: &[Muscle], one: Muscle, other: Muscle) -> bool {
    (a.contains(&one) && b.contains(&other)) || (a.contains(&other) && b.contains(&one))
}

/// Whether two exercises work opposing muscles, so each rests while the
/// other works.
pub(crate) fn antagonists(workout: &Workout, a: usize, b: usize) -> bool {
    let (x, y) = (workout.exercises[a].source, workout.exercises[b].source);
    (is_push(x.pattern) && is_pull(y.pattern))
        || (is_pull(x.pattern) && is_push(y.pattern))
        || opposes(&x.muscles, &y.muscles, Muscle::Quads, Muscle::Hamstrings)
        || opposes(&x.muscles, &y.muscles, Muscle::Biceps, Muscle::Triceps)
        || opposes(&x.muscles, &y.muscles, Muscle::Chest, Muscle::Back)
}

/// How good a superset two exercises make to do (rule 4); higher is better.
fn score(workout: &Workout, a: usize, b: usize) -> i32 {
    let (x, y) = (&workout.exercises[a], &workout.exercises[b]);
    let mut score = 0;
    if antagonists(workout, a, b) {
        score += 4;
        // The same plane of motion is the classic pairing.
        let plane = |p: Pattern| match p {
            Pattern::HorizontalPush | Pattern::HorizontalPull => 1,
            Pattern::VerticalPush | Pattern::VerticalPull => 2,
            _ => 0,
        };
        if plane(x.source.pattern) != 0 && plane(x.source.pattern) == plane(y.source.pattern) {
            score += 1;
        }
    }
    match (x.source.equipment.is_movable(), y.source.equipment.is_movable()) {
        (true, false) | (false, true) => score += 2,
        (true, true) => score += 1,
        (false, false) => {}
    }
    // Similar set counts keep the rounds full.
    score - x.sets.abs_diff(y.sets).min(3) as i32
}

/// Seconds a superset of `members` saves over doing them one after
/// another, at the rest floors with their planned sets, counting the
/// transitions it spares. The work is the same either way, so what
/// differs is the rest (each member's own between its sets, against the
/// superset's between rounds), the switches inside rounds and the
/// transitions: [`crate::estimate::item_seconds`] with the work taken
/// out (a test holds the two together).
fn seconds_saved(workout: &Workout, members: &[usize]) -> f64 {
    let pace = &workout.pace;
    let (mut own_rest, mut sets, mut rounds, mut longest) = (0u32, 0u32, 0u32, 0u32);
    for &m in members {
        let exercise = &workout.exercises[m];
        own_rest += exercise.sets.saturating_sub(1) * exercise.rest_floor;
        sets += exercise.sets;
        rounds = rounds.max(exercise.sets);
        longest = longest.max(exercise.rest);
    }
    let round_rest = rounds.saturating_sub(1) * superset_floor(longest);
    let rest_saved = (f64::from(own_rest) - f64::from(round_rest)) * pace.rest_factor;
    let switches = f64::from(sets - rounds) * SUPERSET_SWITCH_SECONDS;
    let transitions = f64::from(members.len() as u32 - 1) * pace.transition_seconds;
    rest_saved + transitions - switches
}

/// How good a pairing is, time first: the seconds it saves, then (per
/// point of [`score`]) what makes it a good superset to do.
fn rank(workout: &Workout, members: &[usize]) -> i32 {
    let quality = match *members {
        [a, b] => score(workout, a, b),
        [a, b, c] => score(workout, a, b) + score(workout, a, c) + score(workout, b, c),
        _ => 0,
    };
    // Whole seconds: finer differences do not make a better superset.
    (seconds_saved(workout, members) + QUALITY_SECONDS * f64::from(quality)) as i32
}

/// Seconds saved one point of pairing quality is worth in [`rank`].
const QUALITY_SECONDS: f64 = 15.0;

/// A step that forms or grows one superset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairStep {
    /// Two free exercises become a superset.
    Pair(usize, usize),
    /// A free exercise joins the superset that holds `member`.
    Join { member: usize, newcomer: usize },
}

/// The supersets to form in a session, best first, zone by zone: inside
/// each block, a greedy matching of the best-ranked compatible pairs,
/// then free exercises joining a pair as a third member where they are
/// compatible with both; then the same across the blocks of the zone for
/// what is still free.
pub(crate) fn plan_pairings(workout: &Workout, session: &Candidate) -> Vec<PairStep> {
    let mut steps = Vec::new();
    let mut taken = vec![false; session.sets.len()];
    let mut partner: Vec<Option<Members>> = vec![None; session.sets.len()];
    let block = |i: usize| workout.exercises[i].block;
    for range in &workout.zones {
        for within_block in [true, false] {
            let free: Vec<usize> =
                range.clone().filter(|&i| !taken[i] && session.is_free(workout, i) && may_pair(workout, i)).collect();
            let mut candidates: Vec<(i32, usize, usize)> = Vec::new();
            for (n, &a) in free.iter().enumerate() {
                for &b in &free[n + 1..] {
                    if compatible(workout, a, b) && (!within_block || block(a) == block(b)) {
                        candidates.push((rank(workout, &[a, b]), a, b));
                    }
                }
            }
            // Best score first; earlier exercises first among equals (pairs
            // are distinct, so the order is total and an unstable sort is exact).
            candidates.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
            let first_new = steps.len();
            for (_, a, b) in candidates {
                if !taken[a] && !taken[b] {
                    taken[a] = true;
                    taken[b] = true;
                    let mut members = Members::one(a);
                    members.push(b);
                    partner[a] = Some(members);
                    steps.push(PairStep::Pair(a, b));
                }
            }
            let leftovers: Vec<usize> = free.iter().copied().filter(|&c| !taken[c]).collect();
            for c in leftovers {
                let best = steps
                    .iter()
                    .enumerate()
                    .filter_map(|(at, step)| match *step {
                        PairStep::Pair(a, b) if range.contains(&a) => Some((at, a, b)),
                        _ => None,
                    })
                    // Inside a block, only its own pairs of this pass.
                    .filter(|&(at, a, _)| !within_block || (at >= first_new && block(a) == block(c)))
                    .map(|(_, a, b)| (a, b))
                    // Compatible pairwise, so at most one barbell among the three.
                    .filter(|&(a, b)| {
                        partner[a].is_some_and(|m| m.len() == 2)
                            && compatible(workout, a, c)
                            && compatible(workout, b, c)
                    })
                    .max_by(|&(a1, b1), &(a2, b2)| {
                        let r1 = rank(workout, &[a1, b1, c]);
                        let r2 = rank(workout, &[a2, b2, c]);
                        // The best superset the newcomer makes; on equal ranks the
                        // earlier pair (max_by keeps the last).
                        r1.cmp(&r2).then(a2.cmp(&a1))
                    });
                if let Some((a, _)) = best {
                    taken[c] = true;
                    if let Some(m) = partner[a].as_mut() {
                        m.push(c);
                    }
                    steps.push(PairStep::Join { member: a, newcomer: c });
                }
            }
        }
    }
    steps
}

/// Finds the best partner for an exercise left on its own after a removal:
/// another free exercise of its zone, or a formed pair it can join.
pub(crate) fn repair(workout: &Workout, session: &Candidate, orphan: usize) -> Option<PairStep> {
    if !session.is_free(workout, orphan) || !may_pair(workout, orphan) {
        return None;
    }
    let zone = workout.zone(orphan);
    let single = workout.zones[zone]
        .clone()
        .filter(|&i| {
            i != orphan && session.is_free(workout, i) && may_pair(workout, i) && compatible(workout, orphan, i)
        })
        .max_by(|&a, &b| score(workout, orphan, a).cmp(&score(workout, orphan, b)).then(b.cmp(&a)));
    if let Some(partner) = single {
        return Some(PairStep::Pair(orphan.min(partner), orphan.max(partner)));
    }
    session
        .groups
        .iter()
        .filter(|g| g.len() == 2 && workout.zone(g.as_slice()[0]) == zone)
        .filter(|g| {
            let members = g.as_slice();
            members.iter().all(|&m| compatible(workout, m, orphan))
                && members
                    .iter()
                    .chain(std::iter::once(&orphan))
                    .filter(|&&i| workout.exercises[i].source.equipment == Equipment::Barbell)
                    .count()
                    <= 1
        })
        .map(|g| g.as_slice()[0])
        .next()
        .map(|member| PairStep::Join { member, newcomer: orphan })
}

/// Applies a pairing step to a session.
pub(crate) fn apply(session: &mut Candidate, step: PairStep) {
    match step {
        PairStep::Pair(a, b) => {
            let mut members = Members::one(a);
            members.push(b);
            session.form_group(members);
        }
        PairStep::Join { member, newcomer } => {
            if let Some(group) = session.formed_group[member] {
                session.extend_group(group, newcomer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::{item_seconds, Timed};
    use crate::wire::json;

    /// [`seconds_saved`] is the duration model's own difference: doing the
    /// members apart (each at its floor, with transitions) minus together.
    #[test]
    fn seconds_saved_is_the_model_difference() {
        let exercise = |id: &str, sets: u32, rest: u32, reps: u32| {
            format!(
                r#"{{"id":"{id}","name":"{id}","priority":"secondary","pattern":"isolation","muscles":["biceps"],
                "equipment":"dumbbell","sets":{sets},"reps":{reps},"restSeconds":{rest}}}"#
            )
        };
        let exercises = [exercise("a", 4, 120, 8), exercise("b", 2, 30, 12), exercise("c", 3, 75, 5)].join(",");
        let request = json::request_from_json(&format!(
            r#"{{"plan":{{"id":"p","name":"p","blocks":[{{"id":"x","kind":"accessory","exercises":[{exercises}]}}]}},
            "targetMinutes":30,"options":{{"pace":{{"setupSeconds":20,"secondsPerRep":4,"restFactor":1.5,"transitionSeconds":90}}}}}}"#
        ))
        .unwrap();
        let workout = Workout::new(&request);
        let timed = |m: usize| Timed { set_seconds: workout.exercises[m].set_seconds, sets: workout.exercises[m].sets };
        for members in [&[0, 1][..], &[1, 2], &[0, 1, 2]] {
            let pace = &workout.pace;
            let apart: f64 =
                members.iter().map(|&m| item_seconds(&[timed(m)], workout.exercises[m].rest_floor, pace)).sum::<f64>()
                    + (members.len() - 1) as f64 * pace.transition_seconds;
            let longest = members.iter().map(|&m| workout.exercises[m].rest).max().unwrap();
            let together: Vec<Timed> = members.iter().map(|&m| timed(m)).collect();
            let expected = apart - item_seconds(&together, superset_floor(longest), pace);
            assert!((seconds_saved(&workout, members) - expected).abs() < 1e-9, "{members:?}");
        }
    }
}
