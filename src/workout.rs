//! The engine's working view of a validated request: exercises flattened in
//! plan order with everything the strategies ask about them precomputed
//! (set time, rest floor, set floor, role), and the author's supersets.

use crate::config::{ACCESSORY_MIN_SETS, MAIN_LIFT_MIN_SETS};
use crate::estimate::{author_items, clamp_u32, exercise_set_seconds};
use crate::pace::Pace;
use crate::request::{BlockKind, Exercise, Goal, Plan, PreviewRequest, Priority};
use crate::rest::RestFloor;

/// One planned exercise and its precomputed facts.
#[derive(Debug)]
pub(crate) struct Planned<'a> {
    /// The exercise as written.
    pub source: &'a Exercise,
    /// Index of its block.
    pub block: usize,
    /// Seconds per set.
    pub set_seconds: f64,
    /// Planned sets.
    pub sets: u32,
    /// Planned rest between sets.
    pub rest: u32,
    /// Which rest floor applies (for the reason shown to users).
    pub rest_floor_kind: RestFloor,
    /// min(planned rest, floor): the lowest rest allowed.
    pub rest_floor: u32,
    /// Fewest sets it keeps while retained.
    pub min_sets: u32,
    /// A core or primary lift (or one playing the core role): keeps at
    /// least two sets.
    pub main_lift: bool,
    /// Plays the core role: priority `core`, or the plan's highest priority
    /// when it has no `core` exercise.
    pub plays_core: bool,
    /// Listed in `options.keep`: never removed.
    pub kept: bool,
    /// Index into [`Workout::author_groups`] when in an author superset.
    pub author_group: Option<usize>,
}

impl Planned<'_> {
    /// Whether the engine may remove this exercise at all.
    pub fn removable(&self) -> bool {
        !self.kept && !self.plays_core
    }

    /// Its priority as written.
    pub fn priority(&self) -> Priority {
        self.source.priority
    }
}

/// A validated request, prepared for the strategies.
#[derive(Debug)]
pub(crate) struct Workout<'a> {
    /// The plan as written.
    pub plan: &'a Plan,
    /// Training goal.
    pub goal: Goal,
    /// Whether new supersets may be formed.
    pub allow_supersets: bool,
    /// The pace every duration is computed at.
    pub pace: Pace,
    /// Every exercise, in plan order.
    pub exercises: Vec<Planned<'a>>,
    /// Author supersets of 2–3 members (exercise indices, plan order).
    pub author_groups: Vec<Vec<usize>>,
    /// The pairing zone of each block: exercises pair only inside a zone.
    /// A zone is one block, except that consecutive working blocks (main,
    /// accessory, core, conditioning) form one zone: an accessory may fill
    /// a main lift's rest, an ab exercise an accessory's.
    pub zone_of_block: Vec<usize>,
    /// Exercise ranges of each zone, in plan order.
    pub zones: Vec<std::ops::Range<usize>>,
}

impl<'a> Workout<'a> {
    /// Prepares a request that passed [`crate::validate`].
    pub fn new(request: &'a PreviewRequest) -> Self {
        let options = request.options.clone().unwrap_or_default();
        let goal = options.goal.unwrap_or_default();
        let keep = options.keep.unwrap_or_default();
        let pace = options.pace.unwrap_or_default();
        Self::build(&request.plan, goal, options.allow_supersets.unwrap_or(true), &keep, pace)
    }

    fn build(plan: &'a Plan, goal: Goal, allow_supersets: bool, keep: &[String], pace: Pace) -> Self {
        let top_priority =
            plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.priority).min().unwrap_or(Priority::Core);
        let mut exercises = Vec::new();
        let mut block_start = Vec::with_capacity(plan.blocks.len() + 1);
        let mut author_groups = Vec::new();
        for (block_index, block) in plan.blocks.iter().enumerate() {
            let first = exercises.len();
            block_start.push(first);
            for exercise in &block.exercises {
                let plays_core = exercise.priority == top_priority;
                let rest_floor_kind = RestFloor::of(exercise, plays_core);
                let rest = clamp_u32(exercise.rest_seconds);
                let sets = clamp_u32(exercise.sets);
                let main_lift = plays_core || matches!(exercise.priority, Priority::Core | Priority::Primary);
                exercises.push(Planned {
                    source: exercise,
                    block: block_index,
                    set_seconds: exercise_set_seconds(exercise, &pace),
                    sets,
                    rest,
                    rest_floor_kind,
                    rest_floor: rest.min(rest_floor_kind.seconds(goal)),
                    min_sets: sets.min(if main_lift { MAIN_LIFT_MIN_SETS } else { ACCESSORY_MIN_SETS }),
                    main_lift,
                    plays_core,
                    kept: keep.contains(&exercise.id),
                    author_group: None,
                });
            }
            for item in author_items(block) {
                if item.len() >= 2 {
                    let group = author_groups.len();
                    let members: Vec<usize> = item.iter().map(|&i| first + i).collect();
                    for &member in &members {
                        exercises[member].author_group = Some(group);
                    }
                    author_groups.push(members);
                }
            }
        }
        block_start.push(exercises.len());
        let mut zone_of_block = Vec::with_capacity(plan.blocks.len());
        let mut zones: Vec<std::ops::Range<usize>> = Vec::new();
        for (b, block) in plan.blocks.iter().enumerate() {
            let joins = b > 0 && shares_zone(plan.blocks[b - 1].kind) && shares_zone(block.kind);
            match zones.last_mut() {
                Some(zone) if joins => zone.end = block_start[b + 1],
                _ => zones.push(block_start[b]..block_start[b + 1]),
            }
            zone_of_block.push(zones.len() - 1);
        }
        Workout { plan, goal, allow_supersets, pace, exercises, author_groups, zone_of_block, zones }
    }

    /// The pairing zone an exercise is in.
    pub fn zone(&self, index: usize) -> usize {
        self.zone_of_block[self.exercises[index].block]
    }

    /// Whether new supersets may be formed in this block at all: warm-ups
    /// and cool-downs are done as written.
    pub fn pairs_in_block(&self, block: usize) -> bool {
        self.allow_supersets && !matches!(self.plan.blocks[block].kind, BlockKind::Warmup | BlockKind::Cooldown)
    }
}

/// Whether blocks of this kind pair across with a neighbouring block of
/// such a kind: every working block (warm-ups and cool-downs are done as
/// written).
fn shares_zone(kind: BlockKind) -> bool {
    matches!(kind, BlockKind::Main | BlockKind::Accessory | BlockKind::Core | BlockKind::Conditioning)
}
