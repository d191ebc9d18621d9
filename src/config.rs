//! Every number the engine uses, in one place (SPEC §2, §4, §5, §6).
//!
//! With these constants and the formula in [`crate::estimate`], anyone can
//! recompute a preview's `estimatedMinutes` from the preview alone.

// ---- Duration model (SPEC §4) ----------------------------------------------

/// Setup time counted before every set, seconds.
pub const SET_SETUP_SECONDS: f64 = 15.0;
/// Tempo used when an exercise gives none, seconds per rep.
pub const DEFAULT_SECONDS_PER_REP: f64 = 3.0;
/// Switching from one superset member to the next inside a round, seconds.
pub const SUPERSET_SWITCH_SECONDS: f64 = 15.0;
/// Transition between two consecutive items of the session, seconds.
pub const ITEM_TRANSITION_SECONDS: f64 = 60.0;

// ---- Personal pace (crate::pace): the plausible range of each constant --

/// Setup before every set, seconds.
pub const PACE_SETUP_SECONDS_RANGE: (f64, f64) = (5.0, 90.0);
/// Tempo, seconds per rep (the same range as an exercise's own tempo).
pub const PACE_SECONDS_PER_REP_RANGE: (f64, f64) = SECONDS_PER_REP_RANGE;
/// Rest actually taken per second of planned rest.
pub const PACE_REST_FACTOR_RANGE: (f64, f64) = (0.5, 3.0);
/// Transition between consecutive items, seconds.
pub const PACE_TRANSITION_SECONDS_RANGE: (f64, f64) = (0.0, 600.0);

// ---- Rest floors (SPEC §5) -------------------------------------------------

/// Floor for core lifts of at most [`HEAVY_REPS_MAX`] reps, seconds.
pub const HEAVY_CORE_REST_FLOOR: u32 = 120;
/// The same floor when the goal is strength, seconds.
pub const HEAVY_CORE_REST_FLOOR_STRENGTH: u32 = 180;
/// A core lift with at most this many reps counts as heavy.
pub const HEAVY_REPS_MAX: i64 = 6;
/// Floor for other squat, hinge, lunge, push and pull work, seconds.
pub const COMPOUND_REST_FLOOR: u32 = 90;
/// Floor for everything else, seconds.
pub const OTHER_REST_FLOOR: u32 = 45;
/// A superset rests at least min(this, its longest original rest) between rounds.
pub const SUPERSET_REST_FLOOR: u32 = 60;

/// Rest is cut in this many equal steps between the original and the floor;
/// the engine picks the smallest step that fits.
pub const REST_STEPS: u32 = 1024;
/// A cut rest is shown on this grid (seconds) so a rest timer can be set to
/// it: the planned rest, its floor, or a multiple of this between the two.
pub const REST_GRID_SECONDS: u32 = 15;

// ---- Set floors (SPEC §5) --------------------------------------------------

/// Retained core and primary exercises keep at least min(original, this) sets.
pub const MAIN_LIFT_MIN_SETS: u32 = 2;
/// Every retained exercise keeps at least this many sets.
pub const ACCESSORY_MIN_SETS: u32 = 1;

// ---- Pairing (SPEC §6) -----------------------------------------------------

/// Most exercises in one superset.
pub const MAX_SUPERSET_SIZE: usize = 3;

// ---- Request limits (SPEC §2) ----------------------------------------------

/// Accepted target range, minutes.
pub const TARGET_MINUTES_MIN: i64 = 15;
/// Accepted target range, minutes.
pub const TARGET_MINUTES_MAX: i64 = 180;
/// Accepted targets, minutes; also the targets a sweep covers, in order.
pub const TARGET_MINUTES: std::ops::RangeInclusive<i64> = TARGET_MINUTES_MIN..=TARGET_MINUTES_MAX;
/// Blocks per plan.
pub const MAX_BLOCKS: usize = 50;
/// Exercises per block.
pub const MAX_EXERCISES_PER_BLOCK: usize = 50;
/// Exercises per plan.
pub const MAX_EXERCISES: usize = 200;
/// Characters per string.
pub const MAX_STRING_CHARS: usize = 200;
/// Sets per exercise.
pub const SETS_RANGE: (i64, i64) = (1, 20);
/// Reps per set.
pub const REPS_RANGE: (i64, i64) = (1, 100);
/// Seconds of work per timed set.
pub const DURATION_SECONDS_RANGE: (i64, i64) = (5, 3600);
/// Rest between sets, seconds.
pub const REST_SECONDS_RANGE: (i64, i64) = (0, 600);
/// Tempo, seconds per rep.
pub const SECONDS_PER_REP_RANGE: (f64, f64) = (1.0, 12.0);
