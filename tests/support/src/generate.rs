//! proptest strategies for valid plans and requests.

use proptest::prelude::*;
use time_crunch::config::{
    PACE_REST_FACTOR_RANGE, PACE_SECONDS_PER_REP_RANGE, PACE_SETUP_SECONDS_RANGE, PACE_TRANSITION_SECONDS_RANGE,
};
use time_crunch::Pace;
use time_crunch::{
    Block, BlockKind, Equipment, Exercise, Goal, Muscle, Options, Pattern, Plan, PreviewRequest, Priority,
};

fn exercise() -> impl Strategy<Value = Exercise> {
    (
        (
            0..Priority::ALL.len(),
            0..Pattern::ALL.len(),
            prop::collection::vec(0..Muscle::ALL.len(), 1..3),
            0..Equipment::ALL.len(),
        ),
        (1..=6i64, prop::bool::weighted(0.8), 1..=15i64, 10..=90i64),
        (
            prop::sample::select(vec![0i64, 30, 45, 60, 75, 90, 120, 150, 180, 240, 300]),
            prop::option::weighted(0.2, 1.0..=6.0f64),
            prop::bool::weighted(0.15),
        ),
        prop::option::weighted(0.15, 0..3u8),
    )
        .prop_map(
            |(
                (priority, pattern, muscles, equipment),
                (sets, by_reps, reps, seconds),
                (rest, tempo, unilateral),
                group,
            )| {
                let mut muscles: Vec<Muscle> = muscles.into_iter().map(|m| Muscle::ALL[m]).collect();
                muscles.dedup();
                Exercise {
                    id: String::new(),
                    name: String::from("Exercise"),
                    priority: Priority::ALL[priority],
                    pattern: Pattern::ALL[pattern],
                    muscles,
                    equipment: Equipment::ALL[equipment],
                    sets,
                    reps: by_reps.then_some(reps),
                    duration_seconds: (!by_reps).then_some(seconds),
                    rest_seconds: rest,
                    seconds_per_rep: tempo.map(|t| (t * 4.0).round() / 4.0),
                    unilateral: unilateral.then_some(true),
                    superset_group: group.map(|g| format!("g{g}")),
                }
            },
        )
}

fn block() -> impl Strategy<Value = Block> {
    (0..BlockKind::ALL.len(), prop::collection::vec(exercise(), 1..8)).prop_map(|(kind, exercises)| Block {
        id: String::new(),
        name: None,
        kind: BlockKind::ALL[kind],
        exercises,
    })
}

/// A valid plan of 1–5 blocks; ids are unique and author groups hold at most
/// three exercises.
pub fn plan() -> impl Strategy<Value = Plan> {
    prop::collection::vec(block(), 1..5).prop_map(|mut blocks| {
        let mut n = 0;
        for (b, block) in blocks.iter_mut().enumerate() {
            block.id = format!("b{b}");
            let mut counts = std::collections::HashMap::new();
            for exercise in &mut block.exercises {
                exercise.id = format!("e{n}");
                exercise.name = format!("Exercise {n}");
                n += 1;
                if let Some(group) = &exercise.superset_group {
                    let count = counts.entry(group.clone()).or_insert(0);
                    *count += 1;
                    if *count > 3 {
                        exercise.superset_group = None;
                    }
                }
            }
        }
        Plan { id: String::from("generated"), name: String::from("Generated plan"), blocks }
    })
}

/// A valid request over [`plan`] with random options.
pub fn request() -> impl Strategy<Value = PreviewRequest> {
    (
        plan(),
        15..=180i64,
        0..4usize,
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        prop::option::of(any::<bool>()),
        prop::option::of(pace()),
    )
        .prop_map(|(plan, target, goal, keep, allow_supersets, pace)| {
            let ids: Vec<String> = plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.id.clone()).collect();
            let mut keep: Vec<String> = keep.iter().map(|i| ids[i.index(ids.len())].clone()).collect();
            keep.sort();
            keep.dedup();
            let goal = [None, Some(Goal::Strength), Some(Goal::Hypertrophy), Some(Goal::General)][goal];
            let options = Options { goal, keep: Some(keep), allow_supersets, pace };
            PreviewRequest { plan, target_minutes: target, options: Some(options) }
        })
}

/// A pace anywhere in the plausible ranges of `time_crunch::config`.
pub fn pace() -> impl Strategy<Value = Pace> {
    let range = |(min, max): (f64, f64)| min..=max;
    (
        range(PACE_SETUP_SECONDS_RANGE),
        range(PACE_SECONDS_PER_REP_RANGE),
        range(PACE_REST_FACTOR_RANGE),
        range(PACE_TRANSITION_SECONDS_RANGE),
    )
        .prop_map(|(setup_seconds, seconds_per_rep, rest_factor, transition_seconds)| Pace {
            setup_seconds,
            seconds_per_rep,
            rest_factor,
            transition_seconds,
        })
}
