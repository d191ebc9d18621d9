//! Behaviour users rely on, case by case: validation of every limit, the
//! ladder's choices, the fallback, and robustness against hostile input.

#![cfg(not(target_arch = "wasm32"))]

use time_crunch_test_support as support;

use proptest::prelude::*;
use proptest::strategy::Strategy as _;
use serde_json::{json, Value};
use time_crunch::wire::json::request_from_json;
use time_crunch::{preview, ErrorCode, Strategy};

fn corpus_plan(name: &str) -> Value {
    let path = support::corpus_dir().join(format!("{name}.plan.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn request(plan: Value, target: i64, options: Value) -> Value {
    json!({ "plan": plan, "targetMinutes": target, "options": options })
}

fn run(request: &Value) -> Result<time_crunch::Preview, time_crunch::Error> {
    request_from_json(&request.to_string()).and_then(|r| preview(&r))
}

fn error_of(request: &Value) -> (ErrorCode, Option<String>) {
    let error = run(request).expect_err("should be rejected");
    assert!(!error.message.is_empty());
    (error.code, error.path)
}

/// Breaks one thing in a valid request.
type Mutation = Box<dyn Fn(&mut Value)>;

#[test]
fn every_limit_is_a_typed_error_with_a_path() {
    let base = || request(corpus_plan("full-body-beginner"), 30, json!({}));
    let cases: Vec<(Mutation, ErrorCode, &str)> = vec![
        (Box::new(|r| r["plan"]["name"] = json!("x".repeat(201))), ErrorCode::InvalidPlan, "plan.name"),
        (Box::new(|r| r["plan"]["id"] = json!("")), ErrorCode::InvalidPlan, "plan.id"),
        (Box::new(|r| r["plan"]["blocks"] = json!([])), ErrorCode::InvalidPlan, "plan.blocks"),
        (
            Box::new(|r| {
                let block = r["plan"]["blocks"][0].clone();
                r["plan"]["blocks"] = json!((0..51)
                    .map(|i| {
                        let mut b = block.clone();
                        b["id"] = json!(format!("b{i}"));
                        b
                    })
                    .collect::<Vec<_>>());
            }),
            ErrorCode::InvalidPlan,
            "plan.blocks",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][0]["exercises"] = json!([])),
            ErrorCode::InvalidPlan,
            "plan.blocks[0].exercises",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["id"] = r["plan"]["blocks"][0]["id"].clone()),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].id",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["exercises"][0]["reps"] = json!(101)),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].exercises[0].reps",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["exercises"][0]["restSeconds"] = json!(601)),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].exercises[0].restSeconds",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["exercises"][0]["restSeconds"] = json!(-1)),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].exercises[0].restSeconds",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["exercises"][0]["sets"] = json!(0)),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].exercises[0].sets",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["exercises"][0]["secondsPerRep"] = json!(12.5)),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].exercises[0].secondsPerRep",
        ),
        (
            Box::new(|r| {
                r["plan"]["blocks"][1]["exercises"][0]["reps"] = Value::Null;
                r["plan"]["blocks"][1]["exercises"][0]["durationSeconds"] = json!(4);
            }),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].exercises[0].durationSeconds",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["exercises"][0]["name"] = json!(7)),
            ErrorCode::InvalidRequest,
            "plan.blocks[1].exercises[0].name",
        ),
        (
            Box::new(|r| r["plan"]["blocks"][1]["kind"] = json!("cardio")),
            ErrorCode::InvalidRequest,
            "plan.blocks[1].kind",
        ),
        (Box::new(|r| r["targetMinutes"] = json!(14)), ErrorCode::TargetOutOfRange, "targetMinutes"),
        (Box::new(|r| r["targetMinutes"] = json!(181)), ErrorCode::TargetOutOfRange, "targetMinutes"),
        (Box::new(|r| r["options"]["goal"] = json!("power")), ErrorCode::InvalidRequest, "options.goal"),
        (Box::new(|r| r["options"]["colour"] = json!("red")), ErrorCode::InvalidRequest, "options.colour"),
        (
            Box::new(|r| {
                for e in r["plan"]["blocks"][1]["exercises"].as_array_mut().unwrap() {
                    e["supersetGroup"] = json!("all");
                }
                let extra = r["plan"]["blocks"][1]["exercises"][0].clone();
                let exercises = r["plan"]["blocks"][1]["exercises"].as_array_mut().unwrap();
                while exercises.len() < 4 {
                    let mut e = extra.clone();
                    e["id"] = json!(format!("extra-{}", exercises.len()));
                    exercises.push(e);
                }
            }),
            ErrorCode::InvalidPlan,
            "plan.blocks[1].exercises[3].supersetGroup",
        ),
    ];
    for (n, (mutate, code, path)) in cases.iter().enumerate() {
        let mut r = base();
        mutate(&mut r);
        assert_eq!(error_of(&r), (*code, Some(path.to_string())), "case {n}");
    }
}

#[test]
fn plan_that_fits_is_returned_unchanged() {
    let p = run(&request(corpus_plan("full-body-beginner"), 60, json!({}))).unwrap();
    assert_eq!(p.strategy, Strategy::FullAccessoryBlocks);
    assert!(p.fits && p.changes.is_empty() && p.warnings.is_empty());
    assert_eq!(p.retained.working_sets, 1.0);
}

#[test]
fn a_little_less_time_only_shortens_rest_and_uses_the_time() {
    let plan = corpus_plan("upper-push-hypertrophy");
    let original = run(&request(plan.clone(), 180, json!({}))).unwrap().original_minutes;
    let target = original.floor() as i64 - 2;
    let p = run(&request(plan, target, json!({}))).unwrap();
    assert_eq!(p.strategy, Strategy::ReducedRest);
    assert!(p.changes.iter().all(|c| c.kind == time_crunch::ChangeKind::RestReduced));
    assert!(p.estimated_minutes >= target as f64 - 0.5, "{} for {target}", p.estimated_minutes);
}

#[test]
fn author_supersets_are_kept_as_written() {
    let p = run(&request(corpus_plan("push-pull-legs-legs-day"), 50, json!({}))).unwrap();
    let plan = corpus_plan("push-pull-legs-legs-day");
    let groups: Vec<Vec<String>> = ["a1", "a2"]
        .iter()
        .map(|g| {
            plan["blocks"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|b| b["exercises"].as_array().unwrap())
                .filter(|e| e["supersetGroup"] == *g)
                .map(|e| e["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect();
    for group in groups {
        let item =
            p.blocks.iter().flat_map(|b| &b.items).find(|i| i.exercises.iter().any(|e| e.id == group[0])).unwrap();
        let ids: Vec<&str> = item.exercises.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, group.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

#[test]
fn without_a_core_exercise_the_top_priority_plays_core() {
    let p = run(&request(corpus_plan("upper-lower-upper"), 15, json!({}))).unwrap();
    let plan = corpus_plan("upper-lower-upper");
    for exercise in plan["blocks"].as_array().unwrap().iter().flat_map(|b| b["exercises"].as_array().unwrap()) {
        if exercise["priority"] == "primary" {
            let id = exercise["id"].as_str().unwrap();
            assert!(
                p.blocks.iter().flat_map(|b| &b.items).flat_map(|i| &i.exercises).any(|e| e.id == id),
                "{id} removed"
            );
        }
    }
}

#[test]
fn too_little_time_explains_the_minimum_that_would_fit() {
    let p = run(&request(corpus_plan("upper-lower-upper"), 15, json!({"goal": "strength"}))).unwrap();
    assert!(!p.fits);
    assert_eq!(p.strategy, Strategy::CoreOnly);
    let fallback = p.fallback.unwrap();
    assert_eq!(fallback.reason, "target_below_minimum");
    assert!(fallback.minimum_minutes > 15.0);
    let at_least = fallback.minimum_minutes.ceil() as i64;
    assert!(fallback.message.contains(&format!("at least {at_least} minutes")), "{}", fallback.message);
    let fits = run(&request(corpus_plan("upper-lower-upper"), at_least, json!({"goal": "strength"}))).unwrap();
    assert!(fits.fits, "the stated minimum must fit");
}

#[test]
fn kept_exercises_survive_and_supersets_can_be_turned_off() {
    let p = run(&request(
        corpus_plan("athletic-performance"),
        20,
        json!({"keep": ["copenhagen-plank"], "allowSupersets": false}),
    ))
    .unwrap();
    let ids: Vec<&str> =
        p.blocks.iter().flat_map(|b| &b.items).flat_map(|i| &i.exercises).map(|e| e.id.as_str()).collect();
    assert!(ids.contains(&"copenhagen-plank"));
    assert!(p.changes.iter().all(|c| c.kind != time_crunch::ChangeKind::Paired));
    assert!(p.warnings.iter().any(|w| w.contains("Supersets are turned off")));
}

#[test]
fn sweep_ignores_the_request_target() {
    let mut r: time_crunch::PreviewRequest =
        serde_json::from_value(request(corpus_plan("bodyweight-home"), 999, json!({}))).unwrap();
    assert_eq!(time_crunch::sweep(&r).unwrap().len(), 166);
    r.target_minutes = 999;
    assert_eq!(time_crunch::preview(&r).unwrap_err().code, ErrorCode::TargetOutOfRange);
}

proptest! {
    /// Whatever bytes arrive, parsing and previewing returns, never panics.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = request_from_json(&text).and_then(|r| preview(&r));
    }

    /// Fixture requests with one value replaced by junk are rejected or
    /// previewed, never panic.
    #[test]
    fn corrupted_fixtures_never_panic(case in 0usize..12, junk in prop_oneof![
        Just(json!(null)), Just(json!(-1)), Just(json!(1e308)), Just(json!("")), Just(json!([])), Just(json!({})),
        Just(json!(u64::MAX)), Just(json!("x".repeat(300))), Just(json!(0.5))
    ], pick in any::<prop::sample::Index>()) {
        let dir = support::fixtures_dir();
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".request.json") && !p.to_string_lossy().contains("error-")).collect();
        files.sort();
        let mut value: Value = serde_json::from_str(&std::fs::read_to_string(&files[case % files.len()]).unwrap()).unwrap();
        let mut slots = Vec::new();
        collect_pointers(&value, String::new(), &mut slots);
        let target = &slots[pick.index(slots.len())];
        *value.pointer_mut(target).unwrap() = junk;
        let _ = run(&value);
    }
}

fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| collect_pointers(v, format!("{at}/{k}"), out)),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| collect_pointers(v, format!("{at}/{i}"), out))
        }
        _ => {}
    }
}

/// serde_path_to_error's path for the same text: the oracle.
fn oracle_path<T: serde::de::DeserializeOwned>(text: &str) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => None,
        Err(err) => Some(err.path().to_string()).filter(|p| p != "."),
    }
}

/// Equal paths, where the oracle's `?` (a map key it cannot print, such as
/// a muscle in `byMuscle`) matches any one key.
fn same_path(ours: &Option<String>, oracle: &Option<String>) -> bool {
    match (ours, oracle) {
        (Some(ours), Some(oracle)) => {
            let (ours, oracle): (Vec<&str>, Vec<&str>) = (ours.split('.').collect(), oracle.split('.').collect());
            ours.len() == oracle.len() && ours.iter().zip(&oracle).all(|(a, b)| a == b || *b == "?")
        }
        (ours, oracle) => ours == oracle,
    }
}

#[derive(Debug, Clone)]
enum Corruption {
    Replace(Value),
    Remove,
    AddField,
}

fn corruption() -> impl proptest::strategy::Strategy<Value = Corruption> {
    prop_oneof![
        prop_oneof![
            Just(json!(null)),
            Just(json!(-1)),
            Just(json!(2.5)),
            Just(json!("")),
            Just(json!("hinge")),
            Just(json!([])),
            Just(json!({})),
            Just(json!(true)),
            Just(json!([1, 2])),
        ]
        .prop_map(Corruption::Replace),
        Just(Corruption::Remove),
        Just(Corruption::AddField),
    ]
}

fn corrupt(value: &mut Value, pointer: &str, how: &Corruption) {
    match how {
        Corruption::Replace(junk) => *value.pointer_mut(pointer).unwrap() = junk.clone(),
        Corruption::Remove => {
            let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", ""));
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(last);
                }
                Some(Value::Array(items)) if !items.is_empty() => {
                    items.remove(last.parse::<usize>().unwrap_or(0).min(items.len() - 1));
                }
                _ => {}
            }
        }
        Corruption::AddField => {
            if let Some(Value::Object(map)) = value.pointer_mut(pointer) {
                map.insert("tpyo".into(), json!(1));
            }
        }
    }
}

proptest! {
    /// The error path computed from serde_json's position equals
    /// serde_path_to_error's, for requests and previews, pretty or compact.
    #[test]
    fn error_paths_match_serde_path_to_error(case in 0usize..64, how in corruption(), pick in any::<prop::sample::Index>(), pretty in any::<bool>()) {
        let dir = support::fixtures_dir();
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path())
            .filter(|p| !p.to_string_lossy().contains("error-")).collect();
        files.sort();
        let file = &files[case % files.len()];
        let mut value: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let mut slots = Vec::new();
        collect_pointers(&value, String::new(), &mut slots);
        corrupt(&mut value, &slots[pick.index(slots.len())], &how);
        let text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
        if file.to_string_lossy().ends_with(".request.json") {
            let expected = oracle_path::<time_crunch::PreviewRequest>(&text);
            if let Err(error) = time_crunch::wire::json::request_from_json(&text) {
                prop_assert!(same_path(&error.path, &expected), "{:?} != {:?}: {}", error.path, expected, text);
            }
        } else {
            let expected = oracle_path::<time_crunch::Preview>(&text);
            if let Err(error) = time_crunch::wire::json::preview_from_json(&text) {
                prop_assert!(same_path(&error.path, &expected), "{:?} != {:?}: {}", error.path, expected, text);
            }
        }
    }
}
