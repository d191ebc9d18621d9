//! Embeds free-exercise-db without what the engine never reads: the build
//! keeps each exercise's id, name, force, mechanic, equipment, primary
//! muscles and category (src/history/exercise_db.rs) and drops the
//! instructions and image paths, four fifths of the file. The file in
//! src/history/free-exercise-db/ stays as published.

use std::path::Path;

const SOURCE: &str = "src/history/free-exercise-db/exercises.json";
const KEPT: [&str; 7] = ["id", "name", "force", "mechanic", "equipment", "primaryMuscles", "category"];

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    let text = std::fs::read_to_string(SOURCE).expect("src/history/free-exercise-db/exercises.json is readable");
    let all: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_str(&text).expect("exercises.json is a list of exercises");
    let slim: Vec<serde_json::Map<String, serde_json::Value>> = all
        .into_iter()
        .map(|exercise| exercise.into_iter().filter(|(key, _)| KEPT.contains(&key.as_str())).collect())
        .collect();
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("exercises.json");
    std::fs::write(out, serde_json::to_string(&slim).expect("JSON values serialise")).expect("OUT_DIR is writable");
}
