//! The preview contract (SPEC §7): the compressed session, every change with
//! its reason, what training is retained, and the fallback when nothing fits.
//!
//! Deliberate extension of the contract: a preview also carries `planId`,
//! `planName` and, per exercise, `priority`, `pattern`, `muscles` and
//! `equipment`, so that [`crate::apply_preview`] can turn a preview back into
//! a complete [`Plan`](crate::Plan) without the original request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::pace::Pace;
use crate::request::{BlockKind, Equipment, Muscle, Pattern, Priority};

/// The five strategies, least to most aggressive (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The plan as written.
    FullAccessoryBlocks,
    /// Every exercise and set kept; rest cut toward floors.
    ReducedRest,
    /// Every exercise kept; compatible exercises paired, accessory sets trimmed.
    Supersets,
    /// Core lifts plus the most valuable remaining work, paired.
    CorePlusSupersets,
    /// Core lifts only.
    CoreOnly,
}

impl Strategy {
    /// All strategies in ladder order.
    pub const ALL: [Strategy; 5] = [
        Strategy::FullAccessoryBlocks,
        Strategy::ReducedRest,
        Strategy::Supersets,
        Strategy::CorePlusSupersets,
        Strategy::CoreOnly,
    ];

    /// The wire name, e.g. `"reduced_rest"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::FullAccessoryBlocks => "full_accessory_blocks",
            Strategy::ReducedRest => "reduced_rest",
            Strategy::Supersets => "supersets",
            Strategy::CorePlusSupersets => "core_plus_supersets",
            Strategy::CoreOnly => "core_only",
        }
    }
}

/// A compressed session and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Preview {
    /// Id of the plan this preview compresses.
    pub plan_id: String,
    /// Name of that plan.
    pub plan_name: String,
    /// The strategy that produced this session.
    pub strategy: Strategy,
    /// Whether the session fits in `target_minutes`.
    pub fits: bool,
    /// Minutes requested.
    pub target_minutes: i64,
    /// The plan's own length, minutes rounded to 0.1.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub original_minutes: f64,
    /// This session's length, minutes rounded to 0.1.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub estimated_minutes: f64,
    /// Blocks that still hold exercises, in plan order.
    pub blocks: Vec<PreviewBlock>,
    /// Every difference from the plan, with its reason.
    pub changes: Vec<Change>,
    /// How much training is kept.
    pub retained: Retained,
    /// Set when even the most compact session does not fit.
    #[cfg_attr(feature = "wasm", tsify(type = "Fallback | null"))]
    pub fallback: Option<Fallback>,
    /// Things the athlete should know that are not changes.
    pub warnings: Vec<String>,
    /// The athlete's pace the estimates use, when the request gave one
    /// (absent: the documented constants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<Pace>,
}

/// A block of the compressed session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreviewBlock {
    /// Block id from the plan.
    pub id: String,
    /// Block kind from the plan.
    pub kind: BlockKind,
    /// Block name from the plan, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Items in the order they are performed.
    pub items: Vec<Item>,
}

/// One thing done in sequence: a single exercise, or a superset of 2–3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Item {
    /// One member (single exercise) or 2–3 (superset).
    pub exercises: Vec<ItemExercise>,
    /// Rest between sets (single) or between rounds (superset), seconds.
    pub rest_seconds: u32,
}

/// An exercise as it will be performed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemExercise {
    /// Exercise id from the plan.
    pub id: String,
    /// Exercise name from the plan.
    pub name: String,
    /// Sets to perform.
    pub sets: u32,
    /// Reps per set, for rep-based exercises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Seconds per set, for timed exercises.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// Rest after each set; inside a superset, never more than the item's rest.
    pub rest_seconds: u32,
    /// Tempo used for the estimate.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub seconds_per_rep: f64,
    /// Whether work time counts twice.
    pub unilateral: bool,
    /// Priority from the plan (extension, for applying the preview).
    pub priority: Priority,
    /// Pattern from the plan (extension).
    pub pattern: Pattern,
    /// Muscles from the plan (extension).
    pub muscles: Vec<Muscle>,
    /// Equipment from the plan (extension).
    pub equipment: Equipment,
}

/// What kind of change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The exercise is not in the compressed session.
    Removed,
    /// Fewer sets (`from` → `to`).
    SetsReduced,
    /// Shorter rest (`from` → `to` seconds).
    RestReduced,
    /// Exercises performed together as a superset.
    Paired,
}

/// One change and why it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The exercises concerned.
    pub exercise_ids: Vec<String>,
    /// Value before, for set and rest changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<u32>,
    /// Value after, for set and rest changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<u32>,
    /// Why, in words an athlete understands.
    pub reason: String,
}

/// Training kept, as fractions of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retained {
    /// Kept working sets / planned working sets, 0..=1 (rounded to 0.001).
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub working_sets: f64,
    /// The same fraction per muscle the plan works (rounded to 0.001).
    #[cfg_attr(feature = "wasm", tsify(type = "Partial<Record<Muscle, number>>"))]
    #[serde(serialize_with = "crate::wire::number::serialize_map")]
    pub by_muscle: BTreeMap<Muscle, f64>,
}

/// Why the preview does not fit, and what would.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fallback {
    /// Machine-readable reason; today always `target_below_minimum`.
    pub reason: String,
    /// A sentence for the athlete.
    pub message: String,
    /// Length of the most compact session, minutes rounded up to 0.1.
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub minimum_minutes: f64,
}
