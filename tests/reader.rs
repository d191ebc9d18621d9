//! The browser module's reader (`time_crunch::reader`) against serde_json,
//! the native reader, on the same JSON text: the same values, and for bad
//! input the same code, message and path. (tests/wasm.rs checks in Chromium
//! that JS objects reach the reader as `JSON.stringify` text; the fuzz
//! target `request_json` compares the two readers on fuzzed text.)

use time_crunch_test_support as support;

use serde_json::{json, Value};
use time_crunch::wire::json::{preview_from_json, request_from_json, to_json};
use time_crunch::wire::reader::{read_text, struct_name_and_fields, variant_names};
use time_crunch::{
    apply_preview, apply_session, BlockKind, Equipment, Error, ErrorCode, Goal, Muscle, Pattern, PreviewRequest,
    PreviewSession, Priority, Strategy,
};

fn parse_float(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

fn browser(text: &str) -> Result<PreviewRequest, Error> {
    read_text(text, ErrorCode::InvalidRequest, parse_float)
}

fn fixture_texts(suffix: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(support::fixtures_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).unwrap()))
        .collect();
    out.sort();
    assert!(out.len() >= 10, "fixtures missing");
    out
}

#[test]
fn every_fixture_request_reads_as_serde_json_reads_it() {
    for (name, text) in fixture_texts(".request.json") {
        assert_eq!(browser(&text), request_from_json(&text), "{name}");
        // The compact text JSON.stringify writes, too.
        let compact = serde_json::from_str::<Value>(&text).unwrap().to_string();
        assert_eq!(browser(&compact), request_from_json(&compact), "{name} (compact)");
    }
}

#[test]
fn every_optional_field_is_read() {
    let text = json!({
        "plan": {"id": "p", "name": "P", "blocks": [{"id": "b", "name": "Main", "kind": "main", "exercises": [
            {"id": "e", "name": "E", "priority": "core", "pattern": "squat", "muscles": ["quads", "glutes"],
             "equipment": "barbell", "sets": 3, "reps": 5, "durationSeconds": 30, "restSeconds": 90,
             "secondsPerRep": 3.5, "unilateral": true, "supersetGroup": "a"}]}]},
        "targetMinutes": 30,
        "options": {"goal": "strength", "keep": ["e"], "allowSupersets": false}
    })
    .to_string();
    let read = browser(&text).unwrap();
    assert_eq!(Ok(&read), request_from_json(&text).as_ref());
    // Written back, nothing is lost.
    assert_eq!(serde_json::from_str::<Value>(&to_json(&read)).unwrap(), serde_json::from_str::<Value>(&text).unwrap());
}

#[test]
fn enum_variants_are_listed_in_serde_order() {
    fn check<T: serde::Serialize + serde::de::DeserializeOwned>(all: &[T]) {
        let names = variant_names::<T>();
        assert_eq!(names.len(), all.len(), "{}", std::any::type_name::<T>());
        for (value, name) in all.iter().zip(names) {
            assert_eq!(to_json(value), format!("\"{name}\""));
        }
    }
    check(&Goal::ALL);
    check(&BlockKind::ALL);
    check(&Priority::ALL);
    check(&Pattern::ALL);
    check(&Equipment::ALL);
    check(&Muscle::ALL);
    check(&Strategy::ALL);
    check(&time_crunch::telemetry::TelemetryEventType::ALL);
    assert_eq!(struct_name_and_fields::<time_crunch::Plan>(), ("Plan", &["id", "name", "blocks"][..]));
}

/// Sets the value at `path` (keys and array indexes) of `root`; `None` removes it.
fn with_fault(root: &Value, path: &[&str], fault: Option<&Value>) -> Value {
    let mut out = root.clone();
    let mut at = &mut out;
    for key in &path[..path.len() - 1] {
        at = match key.parse::<usize>() {
            Ok(index) => &mut at[index],
            Err(_) => &mut at[*key],
        };
    }
    let last = path[path.len() - 1];
    match (at, fault) {
        (Value::Object(map), Some(fault)) => {
            map.insert(last.to_owned(), fault.clone());
        }
        (Value::Object(map), None) => {
            map.remove(last);
        }
        (Value::Array(items), Some(fault)) => items[last.parse::<usize>().unwrap()] = fault.clone(),
        (Value::Array(items), None) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        (other, _) => panic!("no container at {path:?}: {other}"),
    }
    out
}

#[test]
fn faults_at_every_place_give_serde_json_errors() {
    let (_, text) = &fixture_texts(".request.json")[0];
    let mut request: Value = serde_json::from_str(text).unwrap();
    request["options"] = json!({"goal": "strength", "keep": ["x"], "allowSupersets": true});
    let exercise = ["plan", "blocks", "0", "exercises", "0"];
    let fields = [
        "id",
        "name",
        "priority",
        "pattern",
        "muscles",
        "equipment",
        "sets",
        "reps",
        "durationSeconds",
        "restSeconds",
        "secondsPerRep",
        "unilateral",
        "supersetGroup",
        "restSecs",
    ];
    let mut places: Vec<Vec<&str>> = vec![
        vec!["plan"],
        vec!["targetMinutes"],
        vec!["options"],
        vec!["options", "goal"],
        vec!["options", "keep"],
        vec!["options", "keep", "0"],
        vec!["options", "allowSupersets"],
        vec!["plan", "id"],
        vec!["plan", "name"],
        vec!["plan", "blocks"],
        vec!["plan", "blocks", "0"],
        vec!["plan", "blocks", "0", "id"],
        vec!["plan", "blocks", "0", "name"],
        vec!["plan", "blocks", "0", "kind"],
        vec!["plan", "blocks", "0", "exercises"],
        vec!["plan", "extra"],
        [&exercise[..], &["muscles", "0"]].concat(),
    ];
    places.extend(fields.iter().map(|field| [&exercise[..], &[*field]].concat()));
    // Numbers JSON.stringify writes that Value cannot hold are spliced in as text.
    let raw = ["100000000000000000000", "18446744073709552000", "-9223372036854776000", "1e+21", "1e-7", "1.5e-7"];
    let mut faults: Vec<Option<Value>> = vec![None];
    faults.extend(
        [
            json!(null),
            json!(5),
            json!(-5),
            json!(4294967296u64),
            json!(9223372036854775808u64),
            json!(2.5),
            json!(1e-7),
            json!(0.001),
            json!(123456.789),
            json!(true),
            json!(false),
            json!("five"),
            json!("quote \" and \\ and \n and \u{1} and é"),
            json!("core"),
            json!("squat"),
            json!([]),
            json!([1, null]),
            json!(["lats", "nope"]),
            json!({}),
            json!({"a": 1}),
            json!({"a": null}),
            json!({"warmup": null}),
            json!({"core": 5}),
            json!({"main": null, "b": null}),
        ]
        .into_iter()
        .map(Some),
    );
    faults.extend(raw.iter().map(|text| Some(json!(format!("__RAW__{text}")))));
    let mut checked = 0;
    let mut differences = Vec::new();
    for place in &places {
        for fault in &faults {
            let mut text = with_fault(&request, place, fault.as_ref()).to_string();
            for number in raw {
                text = text.replace(&format!("\"__RAW__{number}\""), number);
            }
            let native = request_from_json(&text);
            // The one deliberate difference: serde_json also reads a struct
            // from an array of its fields; the browser wants an object.
            let struct_as_array = browser(&text).is_err_and(|error| {
                error.message.starts_with("invalid type: sequence, expected struct")
                    && error.path.as_deref() == Some(place.join(".").replace(".0", "[0]").as_str())
            });
            if browser(&text) != native && !struct_as_array {
                differences.push(format!(
                    "{} = {fault:?}:\n  browser {:?}\n  native  {:?}",
                    place.join("."),
                    browser(&text),
                    native
                ));
            }
            checked += 1;
        }
    }
    assert!(differences.is_empty(), "{} of {checked} differ:\n{}", differences.len(), differences.join("\n"));
    assert_eq!(checked, places.len() * faults.len());
}

#[test]
fn non_objects_and_broken_text_are_typed_errors() {
    for text in ["null", "5", "\"plan\"", "[]", "true", "{", "{\"plan\"", "", "{\"plan\":{\"id\":\"\\ud800\"}}"] {
        let error = browser(text).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidRequest, "{text}");
        assert!(!error.message.is_empty());
    }
    for text in ["null", "5", "\"plan\"", "true"] {
        assert_eq!(browser(text), request_from_json(text), "{text}");
    }
    let error = browser("[]").unwrap_err();
    assert_eq!(error.message, "invalid type: sequence, expected struct PreviewRequest");
}

#[test]
fn applying_reads_the_session_of_every_fixture_preview() {
    for (name, text) in fixture_texts(".preview.json") {
        let preview = preview_from_json(&text).unwrap();
        let session: PreviewSession = read_text(&text, ErrorCode::InvalidPreview, parse_float).unwrap();
        assert_eq!(session.plan_id, preview.plan_id, "{name}");
        assert_eq!(session.blocks, preview.blocks, "{name}");
        assert_eq!(
            apply_session(&session.plan_id, &session.plan_name, &session.blocks),
            apply_preview(&preview),
            "{name}"
        );
    }
}

#[test]
fn applying_rejects_unknown_fields_and_a_broken_session() {
    let (_, text) = &fixture_texts(".preview.json")[0];
    let mut preview: Value = serde_json::from_str(text).unwrap();
    let read = |value: &Value| read_text::<PreviewSession>(&value.to_string(), ErrorCode::InvalidPreview, parse_float);
    preview["extra"] = json!(1);
    let error = read(&preview).unwrap_err();
    assert_eq!((error.code, error.path.as_deref()), (ErrorCode::InvalidPreview, Some("extra")));
    assert_eq!(Some(&error), preview_from_json(&preview.to_string()).err().as_ref());
    let mut preview: Value = serde_json::from_str(text).unwrap();
    preview["blocks"][0]["items"][0]["restSeconds"] = json!(-1);
    let error = read(&preview).unwrap_err();
    assert_eq!(Some(&error), preview_from_json(&preview.to_string()).err().as_ref());
    assert_eq!(error.path.as_deref(), Some("blocks[0].items[0].restSeconds"));
}
