//! Exercise metadata from [free-exercise-db] (873 exercises, public domain;
//! the copy, its README and its licence sit in `free-exercise-db/` beside
//! this file), on the engine's terms: the primary muscles, the equipment,
//! the movement pattern and whether the lift is compound.
//!
//! The file is embedded in the module and read once, the first time
//! [`exercises`] is called; only the fields below are kept.
//!
//! # Muscles
//!
//! Each entry's primary muscles (the db lists one), mapped:
//!
//! | db | engine |
//! |---|---|
//! | abdominals | `obliques` when the name says *oblique*, *twist*, *side bend* or *woodchop*; else `abs` |
//! | abductors | `glutes` (the engine has no abductors; the glutes do the work) |
//! | adductors | `adductors` |
//! | biceps, calves, chest, forearms, glutes, hamstrings, lats, traps, triceps | the same |
//! | lower back | `lower_back` |
//! | middle back | `back` |
//! | neck | `traps` |
//! | quadriceps | `quads` |
//! | shoulders | by the name first: *rear*, *face pull*, *reverse fly*, *back fly*, *pull apart* → `rear_delts`; *lateral*, *side raise*, *upright* → `side_delts`; else by the force: push → `front_delts`, pull → `rear_delts`, none or static → `front_delts` |
//!
//! An entry listing no muscle gets `full_body`.
//!
//! # Equipment
//!
//! `barbell`, `dumbbell`, `cable` and `machine` are the same; `body only` →
//! `bodyweight`; `e-z curl bar` → `barbell`; `kettlebells` → `kettlebell`;
//! `bands` → `band`; `medicine ball`, `exercise ball`, `foam roll`,
//! `other` and none → `other`.
//!
//! # Movement pattern
//!
//! The first rule that applies, in this order. Names are read by words,
//! case and plural aside (`Step-Ups` says *step up*).
//!
//! 1. category `stretching` → `mobility`;
//! 2. category `cardio` or `plyometrics` → `conditioning`;
//! 3. the name says *lunge*, *split squat* or *step up* → `lunge`;
//! 4. the name says *squat* or *leg press* and the primary muscle is a leg
//!    muscle (quadriceps, glutes, hamstrings, adductors, abductors) →
//!    `squat`;
//! 5. the name says *deadlift*, *RDL*, *good morning*, *hip thrust*,
//!    *swing*, *pull through* or *rack pull* (or, with force pull, *clean*
//!    or *snatch*: the pull from the floor), the mechanic is compound and
//!    the primary muscle is hamstrings, glutes, lower back, quadriceps or
//!    adductors (a trap-bar deadlift is listed under quadriceps) → `hinge`;
//! 6. the name says *carry* or *farmer* → `carry`;
//! 7. the primary muscle is abdominals → `core`;
//! 8. the mechanic is not compound (isolation, or none given) → `isolation`;
//! 9. the name says *upright* and *row* → `isolation` (a shoulder raise, not
//!    a row);
//! 10. the name says *row* → `horizontal_pull`; *pulldown*, *pull-up* or
//!     *chin* → `vertical_pull` (whatever the force);
//! 11. force push: the name says *dip*, *overhead*, *military*, *shoulder
//!     press*, *push press*, *jerk* or *handstand*, or the primary muscle is
//!     shoulders →
//!     `vertical_push`; primary chest or triceps → `horizontal_push`
//!     (close-grip bench presses list triceps);
//! 12. force pull: primary middle back → `horizontal_pull`; primary lats →
//!     `vertical_pull`;
//! 13. anything else (a compound face pull, a sled drag) → `isolation`.
//!
//! # Compound
//!
//! An entry is compound when the db says its mechanic is compound **and**
//! its pattern is one the engine treats as a multi-joint lift (squat,
//! hinge, lunge, push or pull: [`Pattern::is_compound`]); a compound
//! crunch or a compound stretch is not.
//!
//! [free-exercise-db]: https://github.com/yuhonas/free-exercise-db

use std::sync::OnceLock;

use serde::Deserialize;

use super::words::words;
use crate::request::{Equipment, Muscle, Pattern};

/// The embedded copy of free-exercise-db's `exercises.json`.
// The published file without instructions and images (build.rs).
const EXERCISES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/exercises.json"));

/// One exercise of free-exercise-db, mapped onto the engine's types.
#[derive(Debug, Clone, PartialEq)]
pub struct DbExercise {
    /// The db's id (also the folder of its images there), e.g. `Barbell_Squat`.
    pub id: String,
    /// The db's name, e.g. `Barbell Squat`.
    pub name: String,
    /// Primary muscles, mapped (never empty).
    pub muscles: Vec<Muscle>,
    /// Equipment, mapped.
    pub equipment: Equipment,
    /// Movement pattern, by the rules of the module doc.
    pub pattern: Pattern,
    /// A multi-joint lift (module doc).
    pub compound: bool,
}

/// The fields of an entry that the mapping reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExercise {
    id: String,
    name: String,
    force: Option<String>,
    mechanic: Option<String>,
    equipment: Option<String>,
    primary_muscles: Vec<String>,
    category: String,
}

/// Every exercise of the db, in the file's order (parsed on first use).
pub fn exercises() -> &'static [DbExercise] {
    static EXERCISES: OnceLock<Vec<DbExercise>> = OnceLock::new();
    EXERCISES.get_or_init(|| {
        let raw: Vec<RawExercise> =
            serde_json::from_str(EXERCISES_JSON).expect("the embedded free-exercise-db copy is valid JSON");
        raw.into_iter().map(map_exercise).collect()
    })
}

fn map_exercise(raw: RawExercise) -> DbExercise {
    let name_words = words(&raw.name);
    let force = raw.force.as_deref();
    let mut muscles: Vec<Muscle> = Vec::new();
    for db_muscle in &raw.primary_muscles {
        if let Some(muscle) = map_muscle(db_muscle, force, &name_words) {
            if !muscles.contains(&muscle) {
                muscles.push(muscle);
            }
        }
    }
    if muscles.is_empty() {
        muscles.push(Muscle::FullBody);
    }
    let primary = raw.primary_muscles.first().map(String::as_str).unwrap_or("");
    let mechanic_compound = raw.mechanic.as_deref() == Some("compound");
    let pattern = map_pattern(&raw.category, raw.mechanic.as_deref(), force, primary, &name_words);
    DbExercise {
        id: raw.id,
        name: raw.name,
        muscles,
        equipment: map_equipment(raw.equipment.as_deref()),
        pattern,
        compound: mechanic_compound && pattern.is_compound(),
    }
}

/// Whether `words` holds the words of `phrase` (space-separated) in a row.
fn says(words: &[String], phrase: &str) -> bool {
    let wanted: Vec<&str> = phrase.split(' ').collect();
    words.windows(wanted.len()).any(|window| window.iter().zip(&wanted).all(|(w, p)| w == p))
}

fn says_any(words: &[String], phrases: &[&str]) -> bool {
    phrases.iter().any(|phrase| says(words, phrase))
}

/// A db muscle on the engine's terms (module doc, *Muscles*).
fn map_muscle(db_muscle: &str, force: Option<&str>, name: &[String]) -> Option<Muscle> {
    Some(match db_muscle {
        "abdominals" => {
            if says_any(name, &["oblique", "twist", "side bend", "woodchop", "wood chop"]) {
                Muscle::Obliques
            } else {
                Muscle::Abs
            }
        }
        "abductors" => Muscle::Glutes,
        "adductors" => Muscle::Adductors,
        "biceps" => Muscle::Biceps,
        "calves" => Muscle::Calves,
        "chest" => Muscle::Chest,
        "forearms" => Muscle::Forearms,
        "glutes" => Muscle::Glutes,
        "hamstrings" => Muscle::Hamstrings,
        "lats" => Muscle::Lats,
        "lower back" => Muscle::LowerBack,
        "middle back" => Muscle::Back,
        "neck" | "traps" => Muscle::Traps,
        "quadriceps" => Muscle::Quads,
        "triceps" => Muscle::Triceps,
        "shoulders" => {
            if says_any(
                name,
                &["rear", "face pull", "reverse fly", "reverse flye", "back fly", "back flye", "pull apart"],
            ) {
                Muscle::RearDelts
            } else if says_any(name, &["lateral", "side raise", "upright"]) {
                Muscle::SideDelts
            } else if force == Some("pull") {
                Muscle::RearDelts
            } else {
                Muscle::FrontDelts
            }
        }
        _ => return None,
    })
}

/// A db equipment on the engine's terms (module doc, *Equipment*).
fn map_equipment(db_equipment: Option<&str>) -> Equipment {
    match db_equipment {
        Some("barbell" | "e-z curl bar") => Equipment::Barbell,
        Some("dumbbell") => Equipment::Dumbbell,
        Some("cable") => Equipment::Cable,
        Some("machine") => Equipment::Machine,
        Some("body only") => Equipment::Bodyweight,
        Some("kettlebells") => Equipment::Kettlebell,
        Some("bands") => Equipment::Band,
        _ => Equipment::Other,
    }
}

const LEG_MUSCLES: [&str; 5] = ["quadriceps", "glutes", "hamstrings", "adductors", "abductors"];
const HINGE_MUSCLES: [&str; 5] = ["hamstrings", "glutes", "lower back", "quadriceps", "adductors"];

/// The movement pattern (module doc, *Movement pattern*; the rule numbers
/// are the doc's).
fn map_pattern(category: &str, mechanic: Option<&str>, force: Option<&str>, primary: &str, name: &[String]) -> Pattern {
    let compound = mechanic == Some("compound");
    // 1, 2
    match category {
        "stretching" => return Pattern::Mobility,
        "cardio" | "plyometrics" => return Pattern::Conditioning,
        _ => {}
    }
    // 3
    if says_any(name, &["lunge", "split squat", "step up", "stepup"]) {
        return Pattern::Lunge;
    }
    // 4
    if says_any(name, &["squat", "leg press"]) && LEG_MUSCLES.contains(&primary) {
        return Pattern::Squat;
    }
    // 5
    let hinge_name =
        says_any(name, &["deadlift", "rdl", "good morning", "hip thrust", "swing", "pull through", "rack pull"])
            || (force == Some("pull") && says_any(name, &["clean", "snatch"]));
    if compound && HINGE_MUSCLES.contains(&primary) && hinge_name {
        return Pattern::Hinge;
    }
    // 6
    if says_any(name, &["carry", "farmer"]) {
        return Pattern::Carry;
    }
    // 7
    if primary == "abdominals" {
        return Pattern::Core;
    }
    // 8
    if !compound {
        return Pattern::Isolation;
    }
    // 9
    if says(name, "upright") && says(name, "row") {
        return Pattern::Isolation;
    }
    // 10
    if says(name, "row") {
        return Pattern::HorizontalPull;
    }
    if says_any(name, &["pulldown", "pull down", "pullup", "pull up", "chin", "chinup"]) {
        return Pattern::VerticalPull;
    }
    // 11, 12
    match force {
        Some("push") => {
            if primary == "shoulders"
                || says_any(name, &["dip", "overhead", "military", "shoulder press", "push press", "jerk", "handstand"])
            {
                return Pattern::VerticalPush;
            }
            if primary == "chest" || primary == "triceps" {
                return Pattern::HorizontalPush;
            }
        }
        Some("pull") => match primary {
            "middle back" => return Pattern::HorizontalPull,
            "lats" => return Pattern::VerticalPull,
            _ => {}
        },
        _ => {}
    }
    // 13
    Pattern::Isolation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_name(name: &str) -> &'static DbExercise {
        exercises().iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name} is in the db"))
    }

    #[test]
    fn the_embedded_db_is_read_whole() {
        assert_eq!(exercises().len(), 873);
        assert!(exercises().iter().all(|e| !e.muscles.is_empty() && !e.name.is_empty() && !e.id.is_empty()));
    }

    #[test]
    fn staple_lifts_map_onto_the_engine() {
        use Equipment as E;
        use Muscle as M;
        use Pattern as P;
        for (name, pattern, muscle, equipment, compound) in [
            ("Barbell Bench Press - Medium Grip", P::HorizontalPush, M::Chest, E::Barbell, true),
            ("Barbell Squat", P::Squat, M::Quads, E::Barbell, true),
            ("Barbell Deadlift", P::Hinge, M::LowerBack, E::Barbell, true),
            ("Romanian Deadlift", P::Hinge, M::Hamstrings, E::Barbell, true),
            ("Trap Bar Deadlift", P::Hinge, M::Quads, E::Other, true),
            ("Barbell Hip Thrust", P::Hinge, M::Glutes, E::Barbell, true),
            ("One-Arm Kettlebell Swings", P::Hinge, M::Hamstrings, E::Kettlebell, true),
            ("Standing Military Press", P::VerticalPush, M::FrontDelts, E::Barbell, true),
            ("Dips - Triceps Version", P::VerticalPush, M::Triceps, E::Bodyweight, true),
            ("Close-Grip Barbell Bench Press", P::HorizontalPush, M::Triceps, E::Barbell, true),
            ("Wide-Grip Lat Pulldown", P::VerticalPull, M::Lats, E::Cable, true),
            ("Pullups", P::VerticalPull, M::Lats, E::Bodyweight, true),
            ("Chin-Up", P::VerticalPull, M::Lats, E::Bodyweight, true),
            ("Bent Over Barbell Row", P::HorizontalPull, M::Back, E::Barbell, true),
            ("Seated Cable Rows", P::HorizontalPull, M::Back, E::Cable, true),
            ("Leg Press", P::Squat, M::Quads, E::Machine, true),
            ("Barbell Lunge", P::Lunge, M::Quads, E::Barbell, true),
            ("Dumbbell Step Ups", P::Lunge, M::Quads, E::Dumbbell, true),
            ("Farmer's Walk", P::Carry, M::Forearms, E::Other, false),
            ("Plank", P::Core, M::Abs, E::Bodyweight, false),
            ("Russian Twist", P::Core, M::Obliques, E::Bodyweight, false),
            ("Dumbbell Side Bend", P::Core, M::Obliques, E::Dumbbell, false),
            ("Dumbbell Bicep Curl", P::Isolation, M::Biceps, E::Dumbbell, false),
            ("EZ-Bar Curl", P::Isolation, M::Biceps, E::Barbell, false),
            ("Triceps Pushdown", P::Isolation, M::Triceps, E::Cable, false),
            ("Side Lateral Raise", P::Isolation, M::SideDelts, E::Dumbbell, false),
            ("Front Dumbbell Raise", P::Isolation, M::FrontDelts, E::Dumbbell, false),
            ("Face Pull", P::Isolation, M::RearDelts, E::Cable, false),
            ("Reverse Machine Flyes", P::Isolation, M::RearDelts, E::Machine, false),
            ("Upright Barbell Row", P::Isolation, M::SideDelts, E::Barbell, false),
            ("Seated Leg Curl", P::Isolation, M::Hamstrings, E::Machine, false),
            ("Thigh Abductor", P::Isolation, M::Glutes, E::Machine, false),
            ("Hamstring Stretch", P::Mobility, M::Hamstrings, E::Other, false),
            ("Jogging, Treadmill", P::Conditioning, M::Quads, E::Machine, false),
            ("Power Clean", P::Hinge, M::Hamstrings, E::Barbell, true),
            ("Snatch", P::Hinge, M::Quads, E::Barbell, true),
            ("Rack Pulls", P::Hinge, M::LowerBack, E::Barbell, true),
            ("Split Jerk", P::VerticalPush, M::Quads, E::Barbell, true),
            ("Clean and Press", P::VerticalPush, M::FrontDelts, E::Barbell, true),
        ] {
            let entry = by_name(name);
            assert_eq!(
                (entry.pattern, entry.muscles.as_slice(), entry.equipment, entry.compound),
                (pattern, [muscle].as_slice(), equipment, compound),
                "{name}"
            );
        }
    }

    #[test]
    fn every_pattern_the_rules_can_give_occurs() {
        for pattern in Pattern::ALL {
            assert!(exercises().iter().any(|e| e.pattern == pattern), "{pattern:?}");
        }
    }
}
