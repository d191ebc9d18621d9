//! Rest floors (SPEC §5): how far rest may be cut, and the cut itself.
//!
//! Rest is never raised above the original and never cut below
//! min(original, floor). Floors: heavy core lifts (reps ≤ 6) 120 s, or 180 s
//! with goal strength; other squat/hinge/lunge/push/pull work 90 s;
//! everything else 45 s; a superset rests at least min(60 s, its members'
//! longest original rest) between rounds.
//!
//! A cut rest is one a timer can show: the planned rest, its floor, or a
//! multiple of 15 s between the two (never 1:17).

use crate::config::{
    COMPOUND_REST_FLOOR, HEAVY_CORE_REST_FLOOR, HEAVY_CORE_REST_FLOOR_STRENGTH, HEAVY_REPS_MAX, OTHER_REST_FLOOR,
    REST_GRID_SECONDS, REST_STEPS, SUPERSET_REST_FLOOR,
};
use crate::request::{Exercise, Goal};

/// Which floor applies to an exercise; also picks the reason shown to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestFloor {
    /// A core lift of at most 6 reps.
    HeavyCore,
    /// Squat, hinge, lunge, push or pull work.
    Compound,
    /// Everything else.
    Other,
}

impl RestFloor {
    /// Classifies an exercise; `plays_core` is true for the plan's core lifts.
    pub fn of(exercise: &Exercise, plays_core: bool) -> Self {
        if plays_core && exercise.reps.is_some_and(|reps| reps <= HEAVY_REPS_MAX) {
            RestFloor::HeavyCore
        } else if exercise.pattern.is_compound() {
            RestFloor::Compound
        } else {
            RestFloor::Other
        }
    }

    /// The floor in seconds for this class and goal.
    pub fn seconds(self, goal: Goal) -> u32 {
        match (self, goal) {
            (RestFloor::HeavyCore, Goal::Strength) => HEAVY_CORE_REST_FLOOR_STRENGTH,
            (RestFloor::HeavyCore, _) => HEAVY_CORE_REST_FLOOR,
            (RestFloor::Compound, _) => COMPOUND_REST_FLOOR,
            (RestFloor::Other, _) => OTHER_REST_FLOOR,
        }
    }
}

/// The lowest rest a superset may have between rounds.
pub fn superset_floor(longest_original_rest: u32) -> u32 {
    longest_original_rest.min(SUPERSET_REST_FLOOR)
}

/// Rest after cutting `rest_cut` of [`REST_STEPS`] of the way from `original`
/// down to `floor` (already at most `original`), snapped to the timer grid:
/// the nearest multiple of [`REST_GRID_SECONDS`], kept within
/// `floor..=original` (so the planned rest and the floor themselves stay
/// reachable). Integer arithmetic, so native and WebAssembly agree to the
/// second, and non-increasing in `rest_cut` (the exact cut is, and snapping
/// to the nearest grid point and clamping keep that order).
pub fn cut_rest(original: u32, floor: u32, rest_cut: u32) -> u32 {
    let room = u64::from(original.saturating_sub(floor));
    let cut = (room * u64::from(rest_cut.min(REST_STEPS)) + u64::from(REST_STEPS / 2)) / u64::from(REST_STEPS);
    let exact = original - cut as u32;
    if exact == original {
        return original;
    }
    let snapped = (exact + REST_GRID_SECONDS / 2) / REST_GRID_SECONDS * REST_GRID_SECONDS;
    snapped.clamp(floor.min(original), original)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_rest_spans_original_to_floor() {
        assert_eq!(cut_rest(120, 90, 0), 120);
        assert_eq!(cut_rest(120, 90, REST_STEPS), 90);
        assert_eq!(cut_rest(120, 90, REST_STEPS / 2), 105);
        assert_eq!(cut_rest(30, 30, REST_STEPS), 30);
        let mut previous = u32::MAX;
        for rest_cut in 0..=REST_STEPS {
            let rest = cut_rest(600, 45, rest_cut);
            assert!(rest <= previous && rest >= 45);
            previous = rest;
        }
    }

    #[test]
    fn cut_rest_stays_on_the_timer_grid() {
        for (original, floor) in [(211, 90), (77, 45), (600, 180), (100, 60), (50, 45), (44, 44), (0, 0), (137, 120)] {
            let mut previous = u32::MAX;
            for rest_cut in 0..=REST_STEPS {
                let rest = cut_rest(original, floor, rest_cut);
                assert!(
                    rest == original || rest == floor || rest % REST_GRID_SECONDS == 0,
                    "{original} {floor} {rest}"
                );
                assert!((floor..=original).contains(&rest) && rest <= previous);
                previous = rest;
            }
            assert_eq!(cut_rest(original, floor, REST_STEPS), floor);
        }
    }

    #[test]
    fn superset_floor_never_exceeds_longest_rest() {
        assert_eq!(superset_floor(45), 45);
        assert_eq!(superset_floor(180), 60);
    }
}
