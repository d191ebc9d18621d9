//! The strategy ladder (SPEC §5).
//!
//! Compression is a single walk from the plan as written toward the most
//! compact session, one small step at a time:
//!
//! 1. `full_accessory_blocks`: the plan (rung 0, rest as written);
//! 2. `reduced_rest`: rung 0 with rest cut toward the floors;
//! 3. `supersets`: form the best superset, then the next, ... (inside each
//!    block first, then across a pairing zone, see [`crate::pairing`]);
//! 4. then one compress step at a time, each the move that saves the most
//!    seconds (at the rest floors) per set lost: one set of a non-core
//!    exercise above its set floor, or a removable exercise of the lowest
//!    priority present, coverage first (one whose muscles other exercises
//!    still train goes before one that alone trains a muscle). The name
//!    stays `supersets` while only accessory sets are trimmed and becomes
//!    `core_plus_supersets` once a primary set or an exercise goes;
//! 5. `core_only`: once only core lifts (and `keep` exercises) remain, trim
//!    their sets one at a time to the floor.
//!
//! Every rung is timed with rest cut anywhere from "as written" to "at
//! the floors". For a target, the engine takes the first rung whose most
//! compact timing fits, then the *least* rest cut that fits on that rung, so
//! the session uses the time the athlete has. Because sets only ever go down
//! along the walk, more time can never mean less training for any exercise;
//! because exercises are dropped lowest priority first, priority order holds.

use crate::candidate::{Candidate, LaidItem};
use crate::config::REST_STEPS;
use crate::estimate::{item_seconds, Timed};
use crate::pairing::{self, PairStep};
use crate::preview::Strategy;
use crate::request::{Goal, Muscle, Pattern, Priority};
use crate::rest::superset_floor;
use crate::workout::Workout;

/// Number of muscles in the contract (for coverage counts).
const MUSCLES: usize = Muscle::ALL.len();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Planned,
    Pairing,
    Compress,
    TrimCore,
    Exhausted,
}

/// A walk down the ladder; the current rung is `candidate`.
pub(crate) struct Ladder<'w, 'a> {
    workout: &'w Workout<'a>,
    /// The current rung's candidate session.
    pub candidate: Candidate,
    /// Its layout.
    pub items: Vec<LaidItem>,
    /// The strategy that produced the current rung (rung 0 says
    /// `full_accessory_blocks`; [`Ladder::strategy_at`] refines it).
    strategy: Strategy,
    stage: Stage,
    pairings: Vec<PairStep>,
    next_pairing: usize,
    /// How many present exercises work each muscle.
    muscle_count: [u32; MUSCLES],
}

impl<'w, 'a> Ladder<'w, 'a> {
    /// Rung 0: the plan as written.
    pub fn new(workout: &'w Workout<'a>) -> Self {
        let candidate = Candidate::planned(workout);
        let items = candidate.lay_out(workout);
        let mut muscle_count = [0; MUSCLES];
        for exercise in &workout.exercises {
            for muscle in unique_muscles(exercise.source) {
                muscle_count[muscle] += 1;
            }
        }
        Ladder {
            workout,
            candidate,
            items,
            strategy: Strategy::FullAccessoryBlocks,
            stage: Stage::Planned,
            pairings: Vec::new(),
            next_pairing: 0,
            muscle_count,
        }
    }

    /// Seconds the current rung takes with rest cut `rest_cut` steps.
    pub fn seconds(&self, rest_cut: u32) -> f64 {
        self.candidate.seconds(self.workout, &self.items, rest_cut)
    }

    /// The strategy name for the current rung with rest cut `rest_cut` steps.
    pub fn strategy_at(&self, rest_cut: u32) -> Strategy {
        if self.strategy == Strategy::FullAccessoryBlocks && rest_cut > 0 {
            Strategy::ReducedRest
        } else {
            self.strategy
        }
    }

    /// The least rest cut at which the current rung fits, if any.
    pub fn fit(&self, target_seconds: f64) -> Option<u32> {
        if self.seconds(REST_STEPS) > target_seconds {
            return None;
        }
        let (mut low, mut high) = (0, REST_STEPS);
        while low < high {
            let mid = (low + high) / 2;
            if self.seconds(mid) <= target_seconds {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        Some(low)
    }

    /// Walks down from the current rung to the first that fits and returns
    /// its rest cut; `None` (staying on the last rung) when none does.
    pub fn walk_to(&mut self, target_seconds: f64) -> Option<u32> {
        loop {
            if let Some(rest_cut) = self.fit(target_seconds) {
                return Some(rest_cut);
            }
            if !self.advance() {
                return None;
            }
        }
    }

    /// Takes one step down the ladder; false when the session is as compact
    /// as it can be.
    pub fn advance(&mut self) -> bool {
        loop {
            let stepped = match self.stage {
                Stage::Planned => {
                    if self.workout.allow_supersets {
                        self.pairings = pairing::plan_pairings(self.workout, &self.candidate);
                    }
                    false
                }
                Stage::Pairing => self.pair_next(),
                Stage::Compress => self.compress_one(),
                Stage::TrimCore => self.trim_core(),
                Stage::Exhausted => return false,
            };
            if stepped {
                self.items = self.candidate.lay_out(self.workout);
                return true;
            }
            self.stage = match self.stage {
                Stage::Planned => Stage::Pairing,
                Stage::Pairing => Stage::Compress,
                Stage::Compress => Stage::TrimCore,
                Stage::TrimCore | Stage::Exhausted => Stage::Exhausted,
            };
        }
    }

    fn pair_next(&mut self) -> bool {
        let Some(&step) = self.pairings.get(self.next_pairing) else {
            return false;
        };
        self.next_pairing += 1;
        pairing::apply(&mut self.candidate, step);
        self.strategy = Strategy::Supersets;
        true
    }

    /// `core_only`: takes one set from the exercise with the most sets above
    /// its floor (lowest priority first, then least valuable, then latest).
    /// Only core lifts have sets to spare by then: the compress steps took
    /// every other exercise to its floor or out.
    fn trim_core(&mut self) -> bool {
        let workout = self.workout;
        let best = (0..self.candidate.sets.len())
            .filter(|&i| self.candidate.present(i) && self.candidate.sets[i] > workout.exercises[i].min_sets)
            .max_by_key(|&i| {
                let room = self.candidate.sets[i] - workout.exercises[i].min_sets;
                (workout.exercises[i].priority(), room, -self.value(i), i)
            });
        let Some(index) = best else {
            return false;
        };
        self.candidate.sets[index] -= 1;
        self.strategy = Strategy::CoreOnly;
        true
    }

    /// One step of `supersets` / `core_plus_supersets`: of every set that
    /// may go (one set of a non-core exercise above its set floor) and every
    /// exercise that may go (removable, of the lowest priority present, and,
    /// coverage first, one whose muscles others still train when there is
    /// one), takes the move that saves the most seconds per set lost, at the
    /// rest floors. Ties go to the lower priority, then a trim, then the
    /// less valuable, then the later exercise.
    fn compress_one(&mut self) -> bool {
        let workout = self.workout;
        let n = self.candidate.sets.len();
        let removable = |i: usize| self.candidate.present(i) && workout.exercises[i].removable();
        let lowest = (0..n).filter(|&i| removable(i)).map(|i| workout.exercises[i].priority()).max();
        let droppable: Vec<usize> =
            (0..n).filter(|&i| removable(i) && Some(workout.exercises[i].priority()) == lowest).collect();
        let covered_only = droppable.iter().any(|&i| !self.sole_cover(i));
        let mut item_of = vec![usize::MAX; n];
        for (at, item) in self.items.iter().enumerate() {
            for &member in item.members.as_slice() {
                item_of[member] = at;
            }
        }
        // (seconds saved, sets lost, priority, is a drop, value, index)
        let mut best: Option<(f64, f64, Priority, bool, i32, usize)> = None;
        let mut consider = |index: usize, drop: bool| {
            let saved = self.saved_seconds(&self.items[item_of[index]], index, drop);
            let lost = f64::from(if drop { self.candidate.sets[index] } else { 1 });
            let move_ = (saved, lost, workout.exercises[index].priority(), drop, self.value(index), index);
            let better = match &best {
                None => true,
                Some(b) => {
                    let (x, y) = (saved * b.1, b.0 * lost);
                    x > y || (x == y && (move_.2, !move_.3, -move_.4, move_.5) > (b.2, !b.3, -b.4, b.5))
                }
            };
            if better {
                best = Some(move_);
            }
        };
        for i in (0..n).filter(|&i| {
            self.candidate.present(i)
                && !workout.exercises[i].plays_core
                && self.candidate.sets[i] > workout.exercises[i].min_sets
        }) {
            consider(i, false);
        }
        for &i in droppable.iter().filter(|&&i| !covered_only || !self.sole_cover(i)) {
            consider(i, true);
        }
        let Some((_, _, _, drop, _, index)) = best else {
            return false;
        };
        if drop {
            self.drop(index);
        } else {
            self.candidate.sets[index] -= 1;
        }
        let changed_main = (0..n).any(|i| {
            !self.candidate.present(i)
                || (workout.exercises[i].main_lift && self.candidate.sets[i] < workout.exercises[i].sets)
        });
        self.strategy = if changed_main { self.removal_strategy() } else { Strategy::Supersets };
        true
    }

    /// Seconds a move saves on its item, at the rest floors: one set less
    /// of `index`, or (`drop`) `index` gone, with the transition when the
    /// item goes. Pairs re-formed after a drop are not foreseen.
    fn saved_seconds(&self, item: &LaidItem, index: usize, drop: bool) -> f64 {
        let workout = self.workout;
        let pace = &workout.pace;
        let timed = |member: usize, sets: u32| Timed { set_seconds: workout.exercises[member].set_seconds, sets };
        let members = item.members.as_slice();
        let before: Vec<Timed> = members.iter().map(|&m| timed(m, self.candidate.sets[m])).collect();
        let before = item_seconds(&before, item.rest_floor, pace);
        let after: Vec<usize> = members.iter().copied().filter(|&m| !(drop && m == index)).collect();
        if after.is_empty() {
            let transition = if self.items.len() > 1 { pace.transition_seconds } else { 0.0 };
            return before + transition;
        }
        let floor = match after[..] {
            [single] => workout.exercises[single].rest_floor,
            _ => superset_floor(after.iter().map(|&m| workout.exercises[m].rest).max().unwrap_or(0)),
        };
        let after: Vec<Timed> = after
            .iter()
            .map(|&m| timed(m, if m == index { self.candidate.sets[m] - 1 } else { self.candidate.sets[m] }))
            .collect();
        before - item_seconds(&after, floor, pace)
    }

    /// Removes an exercise, re-pairing what its removal left alone.
    fn drop(&mut self, index: usize) {
        let workout = self.workout;
        for muscle in unique_muscles(workout.exercises[index].source) {
            self.muscle_count[muscle] -= 1;
        }
        if let Some(orphan) = self.candidate.remove(index) {
            if let Some(step) = pairing::repair(workout, &self.candidate, orphan) {
                pairing::apply(&mut self.candidate, step);
            }
        }
        // An author superset reduced to one exercise frees it for pairing.
        if let Some(group) = workout.exercises[index].author_group {
            let left: Vec<usize> =
                workout.author_groups[group].iter().copied().filter(|&m| self.candidate.present(m)).collect();
            if let [alone] = left[..] {
                if let Some(step) = pairing::repair(workout, &self.candidate, alone) {
                    pairing::apply(&mut self.candidate, step);
                }
            }
        }
    }

    /// `core_only` once nothing removable is left, else `core_plus_supersets`.
    fn removal_strategy(&self) -> Strategy {
        let any_removable =
            (0..self.candidate.sets.len()).any(|i| self.candidate.present(i) && self.workout.exercises[i].removable());
        if any_removable {
            Strategy::CorePlusSupersets
        } else {
            Strategy::CoreOnly
        }
    }

    /// Whether an exercise is the only present one training some muscle.
    fn sole_cover(&self, index: usize) -> bool {
        unique_muscles(self.workout.exercises[index].source).any(|m| self.muscle_count[m] == 1)
    }

    /// How much an exercise is worth keeping, given what else remains:
    /// multi-joint work first, an exercise that alone covers a muscle is
    /// protected, the goal tilts the balance, and planned volume counts.
    fn value(&self, index: usize) -> i32 {
        let exercise = self.workout.exercises[index].source;
        let mut value = match exercise.pattern {
            p if p.is_compound() => 30,
            Pattern::Carry | Pattern::Core => 20,
            Pattern::Conditioning => 15,
            Pattern::Isolation => 10,
            _ => 5,
        };
        if self.sole_cover(index) {
            value += 25;
        }
        value += match (self.workout.goal, exercise.pattern) {
            (Goal::Strength, p) if p.is_compound() => 10,
            (Goal::Hypertrophy, Pattern::Isolation) => 10,
            _ => 0,
        };
        value + 2 * self.workout.exercises[index].sets as i32
    }
}

/// An exercise's muscles as coverage indices, each once.
fn unique_muscles(exercise: &crate::request::Exercise) -> impl Iterator<Item = usize> + '_ {
    exercise.muscles.iter().enumerate().filter(|(n, m)| !exercise.muscles[..*n].contains(m)).map(|(_, m)| *m as usize)
}
