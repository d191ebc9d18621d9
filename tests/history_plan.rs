//! Plans from logged sessions (src/history/plan_from_session.rs): sessions
//! of each shape, built by hand, become plans the engine validates
//! (`estimate`) and compresses (`preview`).

use proptest::prelude::*;
use time_crunch::history::plan_from_session::{
    plan_from_session, LeftOutReason, SessionPlan, DEFAULT_REST_COMPOUND_SECONDS, DEFAULT_REST_CORE_LIFT_SECONDS,
    DEFAULT_REST_CORE_SECONDS, DEFAULT_REST_ISOLATION_SECONDS,
};
use time_crunch::history::{HistoryErrorCode, LoggedExercise, LoggedSession, LoggedSet, SetKind};
use time_crunch::{BlockKind, Equipment, Exercise, Muscle, Pattern, PreviewRequest, Priority};

fn set(kind: SetKind, reps: Option<u32>, seconds: Option<u32>) -> LoggedSet {
    LoggedSet { kind, reps, seconds, weight: Some(50.0) }
}

fn reps(list: &[u32]) -> Vec<LoggedSet> {
    list.iter().map(|&r| set(SetKind::Normal, Some(r), None)).collect()
}

fn exercise(name: &str, sets: Vec<LoggedSet>) -> LoggedExercise {
    LoggedExercise { name: name.to_string(), sets, rest_timer_seconds: None, superset: None }
}

fn in_superset(mut e: LoggedExercise, id: &str) -> LoggedExercise {
    e.superset = Some(id.to_string());
    e
}

fn session(name: &str, exercises: Vec<LoggedExercise>) -> LoggedSession {
    LoggedSession {
        start: "2026-01-03T17:29".to_string(),
        name: name.to_string(),
        actual_minutes: 69.0,
        exercises,
        implausible: None,
    }
}

/// The plan validates, and previews work for short and long targets.
fn assert_usable(made: &SessionPlan) {
    let estimate = time_crunch::estimate(&made.plan).expect("the plan validates");
    assert!(estimate.seconds > 0.0);
    for target in [15, 30, 45, 60, 90, 180] {
        let request = PreviewRequest { plan: made.plan.clone(), target_minutes: target, options: None };
        let preview = time_crunch::preview(&request).expect("a preview");
        assert!(preview.fits || preview.fallback.is_some(), "target {target}");
    }
    let ids: Vec<&str> = made.plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.id.as_str()).collect();
    let sourced: Vec<&str> = made.sources.iter().map(|s| s.exercise_id.as_str()).collect();
    assert_eq!(ids, sourced, "one source per exercise, in plan order");
}

fn find<'a>(made: &'a SessionPlan, id: &str) -> &'a Exercise {
    made.plan.blocks.iter().flat_map(|b| &b.exercises).find(|e| e.id == id).unwrap_or_else(|| panic!("{id}"))
}

#[test]
fn a_typical_session_becomes_main_lifts_then_accessories() {
    let s = session(
        "Push",
        vec![
            exercise("Bench Press (Barbell)", reps(&[5, 5, 5, 5])),
            exercise("Overhead Press (Barbell)", reps(&[8, 8, 7])),
            exercise("Incline Bench Press (Dumbbell)", reps(&[10, 10, 9])),
            exercise("Lateral Raise (Dumbbell)", reps(&[15, 15, 12])),
            exercise("Bench Press (Barbell)", reps(&[12, 12])),
            exercise("Triceps Pushdown (Cable - Straight Bar)", reps(&[12, 12, 12])),
        ],
    );
    let made = plan_from_session(&s, "push-2026-01-03").unwrap();
    assert_usable(&made);
    assert_eq!(made.plan.id, "push-2026-01-03");
    assert_eq!(made.plan.name, "Push");
    let kinds: Vec<BlockKind> = made.plan.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(kinds, [BlockKind::Main, BlockKind::Accessory]);
    let main: Vec<&str> = made.plan.blocks[0].exercises.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(main, ["bench-press-barbell", "overhead-press-barbell", "incline-bench-press-dumbbell"]);

    let bench = find(&made, "bench-press-barbell");
    assert_eq!((bench.priority, bench.sets, bench.reps, bench.rest_seconds), (Priority::Core, 4, Some(5), 180));
    assert_eq!((bench.pattern, bench.equipment), (Pattern::HorizontalPush, Equipment::Barbell));
    assert_eq!(bench.muscles, [Muscle::Chest]);
    assert_eq!((bench.unilateral, bench.seconds_per_rep, &bench.superset_group), (Some(false), None, &None));
    assert_eq!(find(&made, "overhead-press-barbell").priority, Priority::Core);
    let incline = find(&made, "incline-bench-press-dumbbell");
    assert_eq!((incline.priority, incline.rest_seconds), (Priority::Primary, DEFAULT_REST_COMPOUND_SECONDS));
    let raise = find(&made, "lateral-raise-dumbbell");
    assert_eq!((raise.priority, raise.reps, raise.rest_seconds), (Priority::Secondary, Some(15), 90));
    // The second run of the bench press: its own id, the lift's priority.
    let again = find(&made, "bench-press-barbell-2");
    assert_eq!((again.priority, again.sets, again.reps), (Priority::Core, 2, Some(12)));
    assert_eq!(again.rest_seconds, DEFAULT_REST_CORE_LIFT_SECONDS);
    assert!(made.unmatched.is_empty() && made.left_out.is_empty());
    assert!(made.sources.iter().all(|s| s.db_name.is_some() && s.confidence >= 0.6));
}

#[test]
fn every_set_done_counts_warm_ups_included() {
    let mut sets = vec![set(SetKind::Warmup, Some(10), None), set(SetKind::Warmup, Some(8), None)];
    sets.extend(reps(&[5, 5, 5]));
    sets.push(set(SetKind::Drop, Some(12), None));
    sets.push(set(SetKind::Failure, Some(3), None));
    let made = plan_from_session(&session("Legs", vec![exercise("Squat (Barbell)", sets)]), "legs").unwrap();
    assert_usable(&made);
    let squat = find(&made, "squat-barbell");
    // reps 3, 5, 5, 5, 8, 10, 12: median 5.
    assert_eq!((squat.sets, squat.reps, squat.pattern), (7, Some(5), Pattern::Squat));
    assert_eq!(squat.muscles, [Muscle::Quads]);
}

#[test]
fn sets_with_no_rep_and_no_time_were_not_done() {
    let s = session(
        "Pull",
        vec![
            exercise("Deadlift (Barbell)", reps(&[5, 0, 5, 0, 3])),
            exercise("Lat Pulldown (Cable)", reps(&[0, 0])),
            exercise(
                "Bicep Curl (Dumbbell)",
                vec![set(SetKind::Normal, None, None), set(SetKind::Normal, Some(0), Some(3))],
            ),
            exercise("Face Pull (Cable)", reps(&[15, 15])),
        ],
    );
    let made = plan_from_session(&s, "pull").unwrap();
    assert_usable(&made);
    let deadlift = find(&made, "deadlift-barbell");
    assert_eq!((deadlift.sets, deadlift.reps, deadlift.pattern), (3, Some(5), Pattern::Hinge));
    let left: Vec<(&str, LeftOutReason)> = made.left_out.iter().map(|l| (l.name.as_str(), l.reason)).collect();
    assert_eq!(
        left,
        [("Lat Pulldown (Cable)", LeftOutReason::NoSetDone), ("Bicep Curl (Dumbbell)", LeftOutReason::NoSetDone)]
    );
    assert_eq!(made.sources.len(), 2);
}

#[test]
fn timed_sets_become_duration_seconds() {
    let timed = |seconds: &[u32]| seconds.iter().map(|&s| set(SetKind::Normal, None, Some(s))).collect();
    let s = session(
        "Core",
        vec![
            exercise("Plank", timed(&[60, 45, 50, 4])),
            exercise("Farmers Walk", timed(&[40, 40])),
            exercise("Treadmill", timed(&[5000])),
        ],
    );
    let made = plan_from_session(&s, "core").unwrap();
    assert_usable(&made);
    let plank = find(&made, "plank");
    // The 4-second set was not done.
    assert_eq!((plank.sets, plank.reps, plank.duration_seconds), (3, None, Some(50)));
    assert_eq!(
        (plank.pattern, plank.priority, plank.rest_seconds),
        (Pattern::Core, Priority::Optional, DEFAULT_REST_CORE_SECONDS)
    );
    let carry = find(&made, "farmers-walk");
    assert_eq!(
        (carry.pattern, carry.priority, carry.duration_seconds),
        (Pattern::Carry, Priority::Secondary, Some(40))
    );
    let treadmill = find(&made, "treadmill");
    assert_eq!((treadmill.duration_seconds, treadmill.pattern), (Some(3600), Pattern::Conditioning));
    assert_eq!((treadmill.priority, treadmill.rest_seconds), (Priority::Optional, 30));
    // No compound lift: all accessory.
    assert_eq!(made.plan.blocks.len(), 1);
    assert_eq!(made.plan.blocks[0].kind, BlockKind::Accessory);
}

#[test]
fn a_run_of_more_than_20_sets_is_split_not_cut() {
    let s = session(
        "Volume",
        vec![
            exercise("Bench Press (Barbell)", reps(&[10; 25])),
            exercise("Pull Up", reps(&[8; 41])),
            exercise("Plank", reps(&[1; 20])),
        ],
    );
    let made = plan_from_session(&s, "volume").unwrap();
    assert_usable(&made);
    let sets: Vec<(&str, i64, Priority)> =
        made.plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| (e.id.as_str(), e.sets, e.priority)).collect();
    assert_eq!(
        sets,
        [
            ("bench-press-barbell", 13, Priority::Core),
            ("bench-press-barbell-2", 12, Priority::Core),
            ("pull-up", 14, Priority::Core),
            ("pull-up-2", 14, Priority::Core),
            ("pull-up-3", 13, Priority::Core),
            ("plank", 20, Priority::Optional),
        ]
    );
    let total: i64 = made.plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.sets).sum();
    assert_eq!(total, 25 + 41 + 20);
}

#[test]
fn supersets_of_two_or_three_are_kept_larger_ones_left_unpaired() {
    let s = session(
        "Arms",
        vec![
            exercise("Squat (Barbell)", reps(&[5, 5, 5])),
            in_superset(exercise("Bicep Curl (Dumbbell)", reps(&[12, 12, 12])), "0"),
            in_superset(exercise("Triceps Pushdown (Cable - Straight Bar)", reps(&[12, 12, 12])), "0"),
            in_superset(exercise("Lateral Raise (Dumbbell)", reps(&[15, 15])), "1"),
            in_superset(exercise("Face Pull (Cable)", reps(&[15, 15])), "1"),
            in_superset(exercise("Hammer Curl (Dumbbell)", reps(&[10, 10])), "1"),
            in_superset(exercise("Leg Extension (Machine)", reps(&[12, 12])), "1"),
            in_superset(exercise("Plank", reps(&[1, 1])), "2"),
        ],
    );
    let made = plan_from_session(&s, "arms").unwrap();
    assert_usable(&made);
    let groups: Vec<(&str, Option<&str>)> =
        made.plan.blocks[1].exercises.iter().map(|e| (e.id.as_str(), e.superset_group.as_deref())).collect();
    assert_eq!(
        groups,
        [
            ("bicep-curl-dumbbell", Some("0")),
            ("triceps-pushdown-cable-straight-bar", Some("0")),
            ("lateral-raise-dumbbell", None),
            ("face-pull-cable", None),
            ("hammer-curl-dumbbell", None),
            ("leg-extension-machine", None),
            ("plank", None),
        ]
    );
    // The pair is one item: 3 rounds of both, not two exercises one after
    // the other (SPEC §4).
    let paired = time_crunch::estimate(&made.plan).unwrap().seconds;
    let mut unpaired = made.plan.clone();
    for e in unpaired.blocks.iter_mut().flat_map(|b| b.exercises.iter_mut()) {
        e.superset_group = None;
    }
    assert!(paired < time_crunch::estimate(&unpaired).unwrap().seconds);
}

#[test]
fn a_superset_split_by_the_blocks_is_left_unpaired() {
    let s = session(
        "Full",
        vec![
            in_superset(exercise("Bench Press (Barbell)", reps(&[5, 5])), "a"),
            in_superset(exercise("Bicep Curl (Dumbbell)", reps(&[10, 10])), "a"),
        ],
    );
    let made = plan_from_session(&s, "full").unwrap();
    assert_usable(&made);
    assert_eq!(made.plan.blocks.len(), 2);
    assert!(made.plan.blocks.iter().flat_map(|b| &b.exercises).all(|e| e.superset_group.is_none()));
}

#[test]
fn unmatched_names_are_listed_with_their_ids() {
    let s = session(
        "Mystery",
        vec![
            exercise("Deadlift (Barbell)", reps(&[5, 5])),
            exercise("Zorblax Quantum Wiggle (Dumbbell)", reps(&[10, 10, 10])),
            exercise("卧推", reps(&[8, 8])),
            exercise("Zorblax Quantum Wiggle (Dumbbell)", reps(&[6])),
        ],
    );
    let made = plan_from_session(&s, "mystery").unwrap();
    assert_usable(&made);
    let wiggle = find(&made, "zorblax-quantum-wiggle-dumbbell");
    assert_eq!(
        (wiggle.pattern, wiggle.muscles.as_slice(), wiggle.equipment, wiggle.priority, wiggle.rest_seconds),
        (
            Pattern::Isolation,
            [Muscle::FullBody].as_slice(),
            Equipment::Dumbbell,
            Priority::Optional,
            DEFAULT_REST_ISOLATION_SECONDS
        )
    );
    let chinese = find(&made, "卧推");
    assert_eq!((chinese.equipment, chinese.name.as_str()), (Equipment::Other, "卧推"));
    let unmatched: Vec<(&str, Vec<&str>)> =
        made.unmatched.iter().map(|u| (u.name.as_str(), u.exercise_ids.iter().map(String::as_str).collect())).collect();
    assert_eq!(
        unmatched,
        [
            (
                "Zorblax Quantum Wiggle (Dumbbell)",
                vec!["zorblax-quantum-wiggle-dumbbell", "zorblax-quantum-wiggle-dumbbell-2"]
            ),
            ("卧推", vec!["卧推"]),
        ]
    );
    let source = made.sources.iter().find(|s| s.exercise_id == "卧推").unwrap();
    assert_eq!((source.db_name.as_deref(), source.logged_name.as_str()), (None, "卧推"));
    assert!(source.confidence < 0.6);
}

#[test]
fn the_logged_rest_timer_is_used_clamped() {
    let mut bench = exercise("Bench Press (Barbell)", reps(&[5, 5, 5]));
    bench.rest_timer_seconds = Some(150);
    let mut curl = exercise("Bicep Curl (Dumbbell)", reps(&[10, 10]));
    curl.rest_timer_seconds = Some(900);
    let made = plan_from_session(&session("Rest", vec![bench, curl]), "rest").unwrap();
    assert_usable(&made);
    assert_eq!(find(&made, "bench-press-barbell").rest_seconds, 150);
    assert_eq!(find(&made, "bicep-curl-dumbbell").rest_seconds, 600);
}

#[test]
fn a_session_with_nothing_done_is_refused() {
    for s in [
        session("Empty", vec![]),
        session("Zeros", vec![exercise("Bench Press (Barbell)", reps(&[0, 0])), exercise("Plank", vec![])]),
    ] {
        let error = plan_from_session(&s, "x").unwrap_err();
        assert_eq!(error.code, HistoryErrorCode::EmptySession, "{}", s.name);
    }
}

#[test]
fn a_huge_session_fills_blocks_of_50_and_stops_at_200() {
    let exercises = (0..210).map(|_| exercise("Bicep Curl (Dumbbell)", reps(&[10]))).collect();
    let made = plan_from_session(&session("Huge", exercises), "huge").unwrap();
    assert_usable(&made);
    let blocks: Vec<(&str, usize)> = made.plan.blocks.iter().map(|b| (b.id.as_str(), b.exercises.len())).collect();
    assert_eq!(blocks, [("accessory", 50), ("accessory-2", 50), ("accessory-3", 50), ("accessory-4", 50)]);
    assert_eq!(made.left_out.len(), 10);
    assert!(made.left_out.iter().all(|l| l.reason == LeftOutReason::PlanFull));
    assert_eq!(find(&made, "bicep-curl-dumbbell-200").sets, 1);
}

#[test]
fn names_and_ids_fit_the_contract() {
    let long = "Bench Press ".repeat(30);
    let made = plan_from_session(&session(&long, vec![exercise(&long, reps(&[5]))]), "").unwrap();
    assert_usable(&made);
    assert_eq!(made.plan.id, "session");
    assert_eq!(made.plan.name.chars().count(), 200);
    assert!(made.plan.blocks[0].exercises[0].name.chars().count() <= 200);
}

#[test]
fn the_session_plan_serializes_in_camel_case() {
    let s = session("Push", vec![exercise("Bench Press (Barbell)", reps(&[5])), exercise("Zorblax", reps(&[5]))]);
    let json = serde_json::to_value(plan_from_session(&s, "p").unwrap()).unwrap();
    assert_eq!(json["sources"][0]["exerciseId"], "bench-press-barbell");
    assert_eq!(json["sources"][0]["loggedName"], "Bench Press (Barbell)");
    assert!(json["sources"][0]["dbName"].is_string());
    assert_eq!(json["unmatched"][0]["exerciseIds"][0], "zorblax");
    assert_eq!(json["leftOut"], serde_json::json!([]));
    // The plan is the engine's own JSON.
    let plan: time_crunch::Plan = serde_json::from_value(json["plan"].clone()).unwrap();
    assert_eq!(plan.blocks[0].exercises[0].rest_seconds, 180);
}

const NAMES: &[&str] = &[
    "Bench Press (Barbell)",
    "Squat (Barbell)",
    "Deadlift (Barbell)",
    "Pull Up",
    "Bicep Curl (Dumbbell)",
    "Plank",
    "Treadmill",
    "Zorblax",
    "卧推",
    "",
    "-",
];

fn any_set() -> impl Strategy<Value = LoggedSet> {
    (
        prop_oneof![Just(SetKind::Warmup), Just(SetKind::Normal), Just(SetKind::Drop), Just(SetKind::Failure)],
        proptest::option::of(0u32..300),
        proptest::option::of(0u32..5000),
    )
        .prop_map(|(kind, reps, seconds)| LoggedSet { kind, reps, seconds, weight: None })
}

fn any_exercise() -> impl Strategy<Value = LoggedExercise> {
    (
        proptest::sample::select(NAMES),
        proptest::collection::vec(any_set(), 0..45),
        proptest::option::of(0u32..1000),
        proptest::option::of(proptest::sample::select(&["0", "1", "2", ""][..])),
    )
        .prop_map(|(name, sets, rest_timer_seconds, superset)| LoggedExercise {
            name: name.to_string(),
            sets,
            rest_timer_seconds,
            superset: superset.map(str::to_string),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever was logged, the plan is valid or the session is refused as
    /// empty; and no set that was done is lost unless the plan is full.
    #[test]
    fn any_session_gives_a_valid_plan(exercises in proptest::collection::vec(any_exercise(), 0..70)) {
        let s = session("Any", exercises);
        match plan_from_session(&s, "any") {
            Ok(made) => {
                prop_assert!(time_crunch::estimate(&made.plan).is_ok(), "{:?}", time_crunch::estimate(&made.plan));
                let done = |e: &LoggedExercise| {
                    e.sets.iter().filter(|set| set.reps.is_some_and(|r| r >= 1) || set.seconds.is_some_and(|s| s >= 5)).count() as i64
                };
                if !made.left_out.iter().any(|l| l.reason == LeftOutReason::PlanFull) {
                    let planned: i64 = made.plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.sets).sum();
                    prop_assert_eq!(planned, s.exercises.iter().map(done).sum::<i64>());
                }
            }
            Err(error) => prop_assert_eq!(error.code, HistoryErrorCode::EmptySession),
        }
    }
}
