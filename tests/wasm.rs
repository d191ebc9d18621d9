//! The WebAssembly module in a real browser (headless Chromium through
//! wasm-bindgen-test): the golden fixtures give the same previews and the
//! same errors as the native engine, and the JS boundary behaves.
//!
//! Run with `scripts/test.sh` (or `wasm-pack test --headless --chrome -- --features wasm`).

#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

use js_sys::{Reflect, JSON};
use serde_json::Value;
use time_crunch::bindings;
use tsify::Ts;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixtures {
    ($name:ident, $expected:literal, [$($case:literal),* $(,)?]) => {
        const $name: &[(&str, &str, &str)] = &[$((
            $case,
            include_str!(concat!("fixtures/", $case, ".request.json")),
            include_str!(concat!("fixtures/", $case, ".", $expected, ".json")),
        )),*];
    };
}

fixtures!(
    PREVIEW_FIXTURES,
    "preview",
    [
        "bodyweight-home-short",
        "core-only-powerlifting",
        "core-plus-supersets-athletic",
        "fits-as-written",
        "keep-and-no-supersets",
        "kettlebell-timed-work",
        "no-core-priority-plan",
        "personal-pace-fast-lifter",
        "personal-pace-slow-lifter",
        "reduced-rest-only",
        "strength-goal-never-supersets-core-lifts",
        "supersets-keep-author-pairs",
        "supersets-pull-day",
        "target-below-minimum",
    ]
);

fixtures!(
    ERROR_FIXTURES,
    "error",
    [
        "error-duplicate-exercise-id",
        "error-fractional-target",
        "error-keep-unknown-id",
        "error-no-muscles",
        "error-pace-out-of-range",
        "error-reps-and-duration",
        "error-sets-out-of-range",
        "error-target-out-of-range",
        "error-too-many-exercises",
        "error-unknown-field",
        "error-unknown-pattern",
        "error-wrong-type",
    ]
);

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn to_value(value: &JsValue) -> Value {
    serde_json::from_str(&String::from(JSON::stringify(value).unwrap())).unwrap()
}

fn field(error: &JsValue, name: &str) -> JsValue {
    Reflect::get(error, &name.into()).unwrap()
}

#[wasm_bindgen_test]
fn previews_match_the_native_golden_fixtures() {
    for (case, request, expected) in PREVIEW_FIXTURES {
        let preview = bindings::preview(Ts::new_unchecked(js(request))).unwrap_or_else(|_| panic!("{case} threw"));
        let expected: Value = serde_json::from_str(expected).unwrap();
        assert_eq!(to_value(&preview.js_value()), expected, "{case}");
    }
}

#[wasm_bindgen_test]
fn bad_input_throws_the_same_typed_errors_as_native() {
    for (case, request, expected) in ERROR_FIXTURES {
        let Err(error) = bindings::preview(Ts::new_unchecked(js(request))) else {
            panic!("{case} did not throw");
        };
        assert!(error.is_instance_of::<js_sys::Error>(), "{case}: not an Error");
        assert_eq!(field(&error, "name").as_string().as_deref(), Some("TimeCrunchError"));
        let expected: Value = serde_json::from_str(expected).unwrap();
        let expected = &expected["error"];
        assert_eq!(field(&error, "code").as_string().as_deref(), expected["code"].as_str(), "{case}");
        assert_eq!(field(&error, "path").as_string().as_deref(), expected["path"].as_str(), "{case}");
        assert_eq!(field(&error, "message").as_string().as_deref(), expected["message"].as_str(), "{case}");
    }
}

#[wasm_bindgen_test]
fn sweep_gives_every_target_in_order_and_matches_preview() {
    let (_, request, _) = PREVIEW_FIXTURES[0];
    let previews: js_sys::Array = bindings::sweep(Ts::new_unchecked(js(request))).unwrap().unchecked_into();
    assert_eq!(previews.length(), 166);
    for target in [15u32, 42, 90, 180] {
        let at = previews.get(target - 15);
        assert_eq!(field(&at, "targetMinutes").as_f64(), Some(f64::from(target)));
        let request = js(request);
        Reflect::set(&request, &"targetMinutes".into(), &target.into()).unwrap();
        let single = bindings::preview(Ts::new_unchecked(request)).unwrap();
        assert_eq!(to_value(&at), to_value(&single.js_value()));
    }
}

#[wasm_bindgen_test]
fn apply_preview_gives_a_plan_that_estimates_like_the_preview() {
    for (case, request, _) in PREVIEW_FIXTURES {
        let preview = bindings::preview(Ts::new_unchecked(js(request))).unwrap().js_value();
        let plan = bindings::apply_preview(Ts::new_unchecked(preview.clone())).unwrap().js_value();
        // At the pace the preview records, when it records one.
        let pace = field(&preview, "pace");
        let pace = (!pace.is_undefined()).then(|| Ts::new_unchecked(pace));
        let estimate = bindings::estimate(Ts::new_unchecked(plan), pace).unwrap().js_value();
        assert_eq!(field(&estimate, "minutes").as_f64(), field(&preview, "estimatedMinutes").as_f64(), "{case}");
    }
}

#[wasm_bindgen_test]
fn non_objects_are_rejected_not_panicked_on() {
    for input in [JsValue::NULL, JsValue::from(42), JsValue::from("plan"), js("[]"), js("{}")] {
        let Err(error) = bindings::preview(Ts::new_unchecked(input)) else {
            panic!("accepted a non-request");
        };
        assert_eq!(field(&error, "code").as_string().as_deref(), Some("invalid_request"));
    }
    // What JSON.stringify cannot write: a BigInt, a cycle. A typed error, no panic.
    let with_bigint = js(r#"{"plan": {}, "targetMinutes": 30}"#);
    Reflect::set(&with_bigint, &"targetMinutes".into(), &js_sys::BigInt::from(30u32).into()).unwrap();
    let cyclic = js(r#"{"plan": {}, "targetMinutes": 30}"#);
    Reflect::set(&cyclic, &"plan".into(), &cyclic).unwrap();
    for input in [with_bigint, cyclic] {
        let Err(error) = bindings::preview(Ts::new_unchecked(input)) else {
            panic!("accepted a value JSON cannot carry");
        };
        assert_eq!(field(&error, "code").as_string().as_deref(), Some("invalid_request"));
        let message = field(&error, "message").as_string().unwrap();
        assert!(message.starts_with("the value cannot be written as JSON: "), "{message}");
    }
    let Err(error) = bindings::estimate(Ts::new_unchecked(js(r#"{"id":"p","name":"n","blocks":[]}"#)), None) else {
        panic!("accepted an empty plan");
    };
    assert_eq!(field(&error, "code").as_string().as_deref(), Some("invalid_plan"));
    assert_eq!(field(&error, "path").as_string().as_deref(), Some("blocks"));
}

#[wasm_bindgen_test]
fn estimate_at_a_pace_checks_the_pace() {
    let plan = js(include_str!("fixtures/fits-as-written.request.json"));
    let plan = field(&plan, "plan");
    let slow = js(r#"{"setupSeconds": 30, "secondsPerRep": 4, "restFactor": 1.5, "transitionSeconds": 120}"#);
    let standard = bindings::estimate(Ts::new_unchecked(plan.clone()), None).unwrap().js_value();
    let at_pace =
        bindings::estimate(Ts::new_unchecked(plan.clone()), Some(Ts::new_unchecked(slow))).unwrap().js_value();
    assert!(field(&at_pace, "seconds").as_f64() > field(&standard, "seconds").as_f64());
    let wild = js(r#"{"setupSeconds": 30, "secondsPerRep": 4, "restFactor": 9, "transitionSeconds": 120}"#);
    let Err(error) = bindings::estimate(Ts::new_unchecked(plan), Some(Ts::new_unchecked(wild))) else {
        panic!("accepted a rest factor of 9");
    };
    assert_eq!(field(&error, "code").as_string().as_deref(), Some("invalid_request"));
    assert_eq!(field(&error, "path").as_string().as_deref(), Some("restFactor"));
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(bindings::version(), env!("CARGO_PKG_VERSION"));
}

/// One fault put at one place of a request, as a JS object.
fn with_fault(request: &str, path: &[&str], fault: &JsValue) -> JsValue {
    let root = js(request);
    let mut at = root.clone();
    for key in &path[..path.len() - 1] {
        at = Reflect::get(&at, &(*key).into()).unwrap();
    }
    Reflect::set(&at, &(*path.last().unwrap()).into(), fault).unwrap();
    root
}

/// The native reader's verdict on the JSON text `JSON.stringify` makes of `value`.
fn native_verdict(value: &JsValue) -> Result<(), (String, String, Option<String>)> {
    let text = String::from(JSON::stringify(value).unwrap());
    let request = time_crunch::wire::json::request_from_json(&text)
        .map_err(|e| (e.code.as_str().to_owned(), e.message, e.path))?;
    time_crunch::preview(&request).map(|_| ()).map_err(|e| (e.code.as_str().to_owned(), e.message, e.path))
}

#[wasm_bindgen_test]
fn js_objects_are_read_exactly_as_their_json_text_is_natively() {
    let (_, request, _) = PREVIEW_FIXTURES[0];
    let exercise = ["plan", "blocks", "0", "exercises", "0"];
    let places: Vec<Vec<&str>> = vec![
        vec!["targetMinutes"],
        vec!["options"],
        vec!["plan", "name"],
        vec!["plan", "blocks"],
        vec!["plan", "blocks", "0", "kind"],
        [&exercise[..], &["sets"]].concat(),
        [&exercise[..], &["reps"]].concat(),
        [&exercise[..], &["secondsPerRep"]].concat(),
        [&exercise[..], &["muscles"]].concat(),
        [&exercise[..], &["pattern"]].concat(),
        [&exercise[..], &["unilateral"]].concat(),
        [&exercise[..], &["restSecs"]].concat(),
        vec!["plan", "extra"],
    ];
    let faults = [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(f64::NAN),
        JsValue::from(f64::INFINITY),
        JsValue::from(5),
        JsValue::from(-5),
        JsValue::from(2.5),
        JsValue::from(1e-7),
        JsValue::from(1e21),
        JsValue::from(true),
        JsValue::from("five"),
        JsValue::from("quote \" and \\ and \n"),
        js("[]"),
        js("[1, null]"),
        js("{}"),
        js(r#"{"a": 1}"#),
        js_sys::Function::new_no_args("return 1").into(),
    ];
    let mut checked = 0;
    for place in &places {
        for fault in &faults {
            let input = with_fault(request, place, fault);
            let browser = bindings::preview(Ts::new_unchecked(input.clone())).map(|_| ()).map_err(|error| {
                (
                    field(&error, "code").as_string().unwrap(),
                    field(&error, "message").as_string().unwrap(),
                    field(&error, "path").as_string(),
                )
            });
            let native = native_verdict(&input);
            // The one deliberate difference: serde_json also reads a struct
            // from an array of its fields; the browser wants an object.
            let struct_as_array = js_sys::Array::is_array(fault)
                && browser.as_ref().is_err_and(|(_, message, path)| {
                    message.starts_with("invalid type: sequence, expected struct")
                        && path.as_deref() == Some(place.join(".").replace(".0", "[0]").as_str())
                });
            if !struct_as_array {
                assert_eq!(browser, native, "{} = {:?}", place.join("."), fault);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, places.len() * faults.len());
}
