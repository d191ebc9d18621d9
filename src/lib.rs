//! Time Crunch: turn a planned strength session into the best shorter one
//! that fits the time an athlete has, and explain every change.
//!
//! The engine is pure Rust with no JavaScript types; the WebAssembly
//! bindings and the server twin are thin layers over the functions here.
//!
//! ```
//! let request = time_crunch::wire::json::request_from_json(r#"{
//!   "plan": {"id": "p", "name": "Push", "blocks": [{"id": "b", "kind": "main", "exercises": [
//!     {"id": "bench", "name": "Bench press", "priority": "core", "pattern": "horizontal_push",
//!      "muscles": ["chest"], "equipment": "barbell", "sets": 5, "reps": 5, "restSeconds": 180}]}]},
//!   "targetMinutes": 15
//! }"#).unwrap();
//! let preview = time_crunch::preview(&request).unwrap();
//! assert!(preview.fits);
//! ```

#![forbid(unsafe_code)]

// ---- The contract (SPEC §2, §3, §7, §9) ----------------------------------
pub mod api;
pub mod error;
pub mod preview;
pub mod request;
pub mod telemetry;

// ---- The documented numbers and the duration model (SPEC §4, §5) ---------
pub mod config;
pub mod estimate;
pub mod pace;

// ---- Training logs: import, exercise metadata, plans, personal pace ----
pub mod history;

// ---- Text in and out, the same natively and in the browser ---------------
pub mod wire;

// ---- The browser client's telemetry batching, and its bindings -----------
pub mod batching;
#[cfg(feature = "js")]
pub mod bindings;

// ---- How the engine compresses: internal, reached through the entry points
mod candidate;
mod explain;
mod pairing;
mod rest;
mod strategy;
mod translate;
mod validate;
mod workout;

pub use error::{Error, ErrorCode};
pub use estimate::Estimate;
pub use pace::Pace;
pub use preview::{Change, ChangeKind, Fallback, Item, ItemExercise, Preview, PreviewBlock, Retained, Strategy};
pub use request::{
    Block, BlockKind, Equipment, Exercise, Goal, Muscle, Options, Pattern, Plan, PreviewRequest, Priority,
};
pub use translate::{apply_preview, apply_session, PreviewSession};

use explain::Chosen;
use strategy::Ladder;
use validate::{validate_plan, validate_request, validate_request_for_sweep};
use workout::Workout;

/// Compresses the plan to fit `targetMinutes`.
pub fn preview(request: &PreviewRequest) -> Result<Preview, Error> {
    validate_request(request)?;
    let workout = Workout::new(request);
    let mut ladder = Ladder::new(&workout);
    let original = ladder.seconds(0);
    Ok(choose(&workout, &mut ladder, request.target_minutes, original))
}

/// One preview per target from 15 to 180 minutes, in that order (the
/// request's own `targetMinutes` is ignored). Walks the ladder once.
pub fn sweep(request: &PreviewRequest) -> Result<Vec<Preview>, Error> {
    validate_request_for_sweep(request)?;
    let workout = Workout::new(request);
    let mut ladder = Ladder::new(&workout);
    let original = ladder.seconds(0);
    // Longest target first: each shorter target continues the walk where the
    // previous one stopped.
    let mut previews: Vec<Preview> =
        config::TARGET_MINUTES.rev().map(|target| choose(&workout, &mut ladder, target, original)).collect();
    previews.reverse();
    Ok(previews)
}

fn choose(workout: &Workout, ladder: &mut Ladder, target_minutes: i64, original_seconds: f64) -> Preview {
    let target_seconds = target_minutes as f64 * 60.0;
    let (rest_cut, fits) = match ladder.walk_to(target_seconds) {
        Some(rest_cut) => (rest_cut, true),
        None => (config::REST_STEPS, false),
    };
    let chosen = Chosen {
        candidate: &ladder.candidate,
        items: &ladder.items,
        rest_cut,
        // Past the last rung the session is, by construction, core lifts (and
        // kept exercises) only: the most compact core_only session.
        strategy: if fits { ladder.strategy_at(rest_cut) } else { Strategy::CoreOnly },
        fits,
        seconds: ladder.seconds(rest_cut),
    };
    explain::preview(workout, &chosen, target_minutes, original_seconds)
}

/// How long a plan takes as written.
pub fn estimate(plan: &Plan) -> Result<Estimate, Error> {
    validate_plan(plan)?;
    estimate_at(plan, &Pace::DEFAULT)
}

/// How long a plan takes as written, at an athlete's own pace.
pub fn estimate_at(plan: &Plan, pace: &Pace) -> Result<Estimate, Error> {
    validate_plan(plan)?;
    validate::validate_pace(pace, &error::Path::root())?;
    let seconds = estimate::plan_seconds(plan, pace);
    Ok(Estimate { seconds, minutes: estimate::minutes(seconds) })
}
