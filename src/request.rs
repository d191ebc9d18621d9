//! The request contract (SPEC §2): a planned session plus a target length.
//!
//! These types mirror the JSON exactly (camelCase, unknown fields rejected,
//! because an unknown field is almost always a typo). Numbers are read as
//! wide integers so that out-of-range values reach [`crate::validate`] and get
//! a precise error with a path instead of a generic type error.

use serde::{Deserialize, Serialize};

use crate::pace::Pace;

/// What the host app sends: the plan, the minutes the athlete has, options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreviewRequest {
    /// The session as planned.
    pub plan: Plan,
    /// Minutes available, 15..=180.
    pub target_minutes: i64,
    /// Optional tuning; defaults apply when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Options>,
}

/// Options that steer the compression.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// Training goal; changes rest floors and pairing rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
    /// Exercise ids that are never removed (their sets may still be trimmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep: Option<Vec<String>>,
    /// Whether the engine may pair exercises into supersets (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_supersets: Option<bool>,
    /// The athlete's own pace (from `calibrate`); the documented constants
    /// of the duration model when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<Pace>,
}

/// Training goal of the session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Heavy, low-rep work: longer rest floors, core lifts never supersetted.
    Strength,
    /// Muscle growth.
    Hypertrophy,
    /// General fitness (the default).
    #[default]
    General,
}

impl Goal {
    /// Every variant, in declaration order.
    pub const ALL: [Goal; 3] = [Goal::Strength, Goal::Hypertrophy, Goal::General];
}

/// A planned session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Plan {
    /// The host app's id for the plan.
    pub id: String,
    /// Display name (untrusted text).
    pub name: String,
    /// Blocks in session order, 1..=50.
    pub blocks: Vec<Block>,
}

/// A block of the session (warm-up, main work, accessories, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Block {
    /// Block id.
    pub id: String,
    /// Optional display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the block is for.
    pub kind: BlockKind,
    /// Exercises in order, 1..=50.
    pub exercises: Vec<Exercise>,
}

/// What a block is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Warm-up.
    Warmup,
    /// Main lifts.
    Main,
    /// Accessory work.
    Accessory,
    /// Trunk work.
    Core,
    /// Conditioning.
    Conditioning,
    /// Cool-down.
    Cooldown,
}

impl BlockKind {
    /// Every variant, in declaration order.
    pub const ALL: [BlockKind; 6] = [
        BlockKind::Warmup,
        BlockKind::Main,
        BlockKind::Accessory,
        BlockKind::Core,
        BlockKind::Conditioning,
        BlockKind::Cooldown,
    ];
}

/// One exercise as planned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Exercise {
    /// Unique within the plan.
    pub id: String,
    /// Display name (untrusted text).
    pub name: String,
    /// How much the exercise matters to the session.
    pub priority: Priority,
    /// Movement pattern.
    pub pattern: Pattern,
    /// Primary muscles worked (non-empty).
    pub muscles: Vec<Muscle>,
    /// Equipment used.
    pub equipment: Equipment,
    /// Working sets, 1..=20.
    pub sets: i64,
    /// Reps per set, 1..=100 (exactly one of `reps` / `durationSeconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<i64>,
    /// Seconds of work per set, 5..=3600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
    /// Rest between sets in seconds, 0..=600.
    pub rest_seconds: i64,
    /// Tempo, 1..=12 seconds per rep (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_per_rep: Option<f64>,
    /// One side at a time: work time counts twice (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unilateral: Option<bool>,
    /// Author-made superset: exercises of one block sharing this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superset_group: Option<String>,
}

/// Priority, most to least important.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// The lifts the session is built around.
    Core,
    /// Important work.
    Primary,
    /// Supporting work.
    Secondary,
    /// Nice to have.
    Optional,
}

impl Priority {
    /// Every variant, in declaration order.
    pub const ALL: [Priority; 4] = [Priority::Core, Priority::Primary, Priority::Secondary, Priority::Optional];
}

/// Movement pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Pattern {
    Squat,
    Hinge,
    Lunge,
    HorizontalPush,
    VerticalPush,
    HorizontalPull,
    VerticalPull,
    Carry,
    Core,
    Isolation,
    Conditioning,
    Mobility,
}

impl Pattern {
    /// Every variant, in declaration order.
    pub const ALL: [Pattern; 12] = [
        Pattern::Squat,
        Pattern::Hinge,
        Pattern::Lunge,
        Pattern::HorizontalPush,
        Pattern::VerticalPush,
        Pattern::HorizontalPull,
        Pattern::VerticalPull,
        Pattern::Carry,
        Pattern::Core,
        Pattern::Isolation,
        Pattern::Conditioning,
        Pattern::Mobility,
    ];

    /// Squat, hinge, lunge, push and pull: the multi-joint lifts.
    pub fn is_compound(self) -> bool {
        matches!(
            self,
            Pattern::Squat
                | Pattern::Hinge
                | Pattern::Lunge
                | Pattern::HorizontalPush
                | Pattern::VerticalPush
                | Pattern::HorizontalPull
                | Pattern::VerticalPull
        )
    }
}

/// Equipment an exercise uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Equipment {
    Barbell,
    Dumbbell,
    Kettlebell,
    Cable,
    Machine,
    Bodyweight,
    Band,
    Other,
}

impl Equipment {
    /// Every variant, in declaration order.
    pub const ALL: [Equipment; 8] = [
        Equipment::Barbell,
        Equipment::Dumbbell,
        Equipment::Kettlebell,
        Equipment::Cable,
        Equipment::Machine,
        Equipment::Bodyweight,
        Equipment::Band,
        Equipment::Other,
    ];

    /// Equipment an athlete can carry next to a fixed station.
    pub fn is_movable(self) -> bool {
        matches!(self, Equipment::Dumbbell | Equipment::Bodyweight | Equipment::Band | Equipment::Kettlebell)
    }
}

/// Primary muscle worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Muscle {
    Chest,
    Back,
    Lats,
    Traps,
    FrontDelts,
    SideDelts,
    RearDelts,
    Biceps,
    Triceps,
    Forearms,
    Quads,
    Hamstrings,
    Glutes,
    Calves,
    Adductors,
    Abs,
    Obliques,
    LowerBack,
    FullBody,
}

impl Muscle {
    /// Every variant, in declaration order.
    pub const ALL: [Muscle; 19] = [
        Muscle::Chest,
        Muscle::Back,
        Muscle::Lats,
        Muscle::Traps,
        Muscle::FrontDelts,
        Muscle::SideDelts,
        Muscle::RearDelts,
        Muscle::Biceps,
        Muscle::Triceps,
        Muscle::Forearms,
        Muscle::Quads,
        Muscle::Hamstrings,
        Muscle::Glutes,
        Muscle::Calves,
        Muscle::Adductors,
        Muscle::Abs,
        Muscle::Obliques,
        Muscle::LowerBack,
        Muscle::FullBody,
    ];
}
