//! From the name a logging app gives a lift (`Bench Press (Barbell)`,
//! `Lat Pulldown (Cable)`, `Chin Up (Assisted)`) to an entry of
//! [free-exercise-db](super::exercise_db), or to *unmatched*.
//!
//! # How a name is read
//!
//! 1. **Parts.** Text in parentheses, and text after a free-standing hyphen
//!    (`Bench Press - Close Grip`, `Straight Arm Pulldown - Cable`), is a
//!    *qualifier*; the rest is the *main* part. A hyphen between letters
//!    (`Pull-Up`, `Close-Grip`) only joins words.
//! 2. **Words.** Lowercase, split at punctuation, apostrophes dropped,
//!    plurals made singular (`Pull-Ups` → `pull up`).
//! 3. **Typos.** A word of six letters or more that neither the db nor the
//!    tables below know is read as the known word one edit away (a letter
//!    added, dropped, changed or two swapped: `dumbell`, `barbel`), if that
//!    word is a word of the tables or one at least three db entries use;
//!    the most common one if several are. A rare word is never a
//!    correction (`state` is not a typo of *Tate Press*).
//! 4. **Aliases.** The phrases of [`ALIASES`] are replaced, longest first.
//! 5. **Equipment words** ([`EQUIPMENT_WORDS`]) are taken out of the words
//!    and give the equipment the name states: the first one inside
//!    parentheses, else the first one anywhere. **Stop words**
//!    ([`STOP_WORDS`]) are dropped.
//! 6. **Head.** The movement the name is about is its last word found in
//!    [`HEADS`] (`press` in *Incline Bench Press*), looked for in the main
//!    part first.
//!
//! db names are read the same way (steps 1, 2, 4, 5, 6).
//!
//! # How an entry is scored
//!
//! Each word weighs its rarity in the db, `ln(1 + 873 / entries using it)`
//! (a word the db does not have weighs as much as the rarest); words of a
//! qualifier weigh half. For each db entry:
//!
//! - **words**: the weighted Dice overlap,
//!   `2 × Σ shared weights / (Σ name weights + Σ entry weights)`, 0..=1;
//! - **head**: 1 when both name the same movement (or one of a family in
//!   [`HEADS`]: *crunch* and *sit-up*; *fly*, *crossover* and *butterfly*),
//!   0.25 when the name gives no movement word, 0 otherwise;
//! - **equipment**: 1 when the stated equipment is the entry's, 0 when it
//!   differs, 0.5 when the entry's is `other`; when the name states none,
//!   1 for an entry whose own name states none either (the plain version:
//!   `Pull Up` is *Pullups*, not *Band Assisted Pull-Up*), else 0.5. An
//!   entry's equipment is the one its own name states, else the db's
//!   field;
//! - a **stretch** penalty of 0.3 for an entry of the db's `stretching`
//!   category unless the name says *stretch*, *mobility*, *SMR* or *foam*
//!   (logs hold lifts; a stretch is matched only when asked for);
//! - a **body part** penalty of 0.2 when the name mentions body parts
//!   ([`BODY_PARTS`]) and the entry's name and primary muscles cover none
//!   of them (`Bicep Extension` is not *Leg Extensions*, `Chest Fly` is not
//!   *Reverse Machine Flyes*, a rear-delt lift);
//! - a **second movement** penalty of 0.15 when the entry names a movement
//!   of [`HEADS`] that the name does not (`Side Plank` is not *Push Up to
//!   Side Plank*).
//!
//! `confidence = 0.65 × words + 0.2 × head + 0.15 × equipment − penalties`,
//! clamped to 0..=1 and rounded to 0.001. The entry with the highest
//! confidence wins, except that an entry whose own name states equipment
//! other than the name's ranks 0.15 lower (`Dumbbell Row` prefers a
//! dumbbell row to *Bent Over Barbell Row*, the barbell variant of the same
//! lift; the penalty orders the entries and is not part of the confidence,
//! since the lift is the same). Ties go to the entry with fewer extra
//! words, then to the db's order. Below
//! [`MATCH_THRESHOLD`] the name is **unmatched**: the caller lists it for
//! the athlete to describe; it is never guessed silently.
//!
//! # What a match gives
//!
//! The entry's name, primary muscles, pattern and whether it is compound
//! ([`super::exercise_db`]); the equipment the app name states wins over
//! the entry's (`Lat Pulldown (Machine)` may match a cable entry and still
//! be `machine`), and the entry's is the one its name states before the
//! db's field.
//!
//! The db's words are indexed once (the first call); a name is then
//! scored only against the entries sharing a word with it.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::exercise_db::{exercises, DbExercise};
use super::words::words;
use crate::request::{Equipment, Muscle, Pattern};

/// Below this confidence a name is unmatched. An exact match scores from
/// 0.925 to 1; a name that shares its movement and most of its weighted
/// words with an entry scores 0.7 or more. In the real exports the tests
/// read, the names left under it are ones a person would ask about too
/// (`Landmine Press`, `Indian club rotation - Shoulder`, `Ohio State`).
pub const MATCH_THRESHOLD: f64 = 0.6;

/// Aliases: how apps and lifters write a lift → how it is read. Both sides
/// are lowercase singular words (plurals are handled before), applied to
/// app names and db names alike; an empty reading drops the phrase.
/// General naming habits only, not the names of one log.
pub const ALIASES: &[(&str, &str)] = &[
    // Abbreviations
    ("db", "dumbbell"),
    ("bb", "barbell"),
    ("kb", "kettlebell"),
    ("ohp", "overhead press"),
    ("rdl", "romanian deadlift"),
    ("sldl", "stiff leg deadlift"),
    ("ghr", "glute ham raise"),
    // One lift, several names
    ("shoulder press", "overhead press"),
    ("military press", "overhead press"),
    ("bicep curl", "curl"),
    ("skull crusher", "lying tricep extension"),
    ("skullcrusher", "lying tricep extension"),
    ("lying tricep press", "lying tricep extension"),
    ("back extension", "hyperextension"),
    ("hyper extension", "hyperextension"),
    ("pec deck", "butterfly"),
    ("ab wheel", "ab rollout"),
    ("ab roller", "ab rollout"),
    ("farmer carry", "farmer walk"),
    ("stiff legged", "stiff leg"),
    ("straight leg", "stiff leg"),
    ("single arm", "one arm"),
    ("1 arm", "one arm"),
    ("single leg", "one leg"),
    ("1 leg", "one leg"),
    ("one legged", "one leg"),
    ("single legged", "one leg"),
    ("narrow grip", "close grip"),
    ("flye", "fly"),
    // Hammer Strength's machines: "lateral" here is not a lateral raise.
    ("iso lateral", "iso"),
    // A support, not the muscle worked.
    ("chest supported", "supported"),
    // The default variant, said or not
    ("bent over", ""),
    ("back squat", "squat"),
    ("high bar squat", "squat"),
    ("low bar squat", "squat"),
    // One word or two
    ("pull down", "pulldown"),
    ("pull up", "pullup"),
    ("chin up", "chinup"),
    ("push up", "pushup"),
    ("push down", "pushdown"),
    ("press down", "pushdown"),
    ("pressdown", "pushdown"),
    ("sit up", "situp"),
    ("step up", "stepup"),
    ("roll out", "rollout"),
    ("good morning", "goodmorning"),
    ("t bar", "tbar"),
    ("ez bar", "ez"),
    ("ez curl bar", "ez"),
    ("e z", "ez"),
    ("trap bar", "trapbar"),
    ("hex bar", "trapbar"),
    ("smith machine", "smith"),
    ("plate loaded", "machine"),
    ("body weight", "bodyweight"),
    ("body only", "bodyweight"),
    ("resistance band", "band"),
];

/// Words that name equipment, and the equipment they name.
pub const EQUIPMENT_WORDS: &[(&str, Equipment)] = &[
    ("barbell", Equipment::Barbell),
    ("ez", Equipment::Barbell),
    ("dumbbell", Equipment::Dumbbell),
    ("kettlebell", Equipment::Kettlebell),
    ("cable", Equipment::Cable),
    ("pulley", Equipment::Cable),
    ("machine", Equipment::Machine),
    ("smith", Equipment::Machine),
    // Hammer Strength's "leverage" machines, and assisted pull-up machines.
    ("leverage", Equipment::Machine),
    ("assisted", Equipment::Machine),
    ("band", Equipment::Band),
    ("bodyweight", Equipment::Bodyweight),
];

/// Words that say nothing about which lift it is.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "with",
    "on",
    "of",
    "to",
    "in",
    "at",
    "for",
    "from",
    "into",
    "your",
    "using",
    "grip",
    "medium",
    "standard",
    "regular",
    "normal",
    "conventional",
    "attachment",
    "version",
    "style",
    "position",
    "bar",
];

/// Movement words; the words of one slice are one movement.
pub const HEADS: &[&[&str]] = &[
    &["press"],
    &["curl"],
    &["row"],
    &["squat"],
    &["deadlift"],
    &["pulldown"],
    &["pullup"],
    &["chinup"],
    &["pushup"],
    &["crunch", "situp"],
    &["raise"],
    &["fly", "crossover", "butterfly"],
    &["extension"],
    &["hyperextension"],
    &["pushdown"],
    &["kickback"],
    &["plank"],
    &["dip"],
    &["shrug"],
    &["lunge"],
    &["stepup"],
    &["thrust"],
    &["bridge"],
    &["pullover"],
    &["twist"],
    &["bend"],
    &["rollout"],
    &["carry", "walk"],
    &["swing"],
    &["clean"],
    &["snatch"],
    &["jerk"],
    &["goodmorning"],
    &["stretch"],
    &["pull"],
    &["rotation"],
    &["thruster"],
    &["jump"],
];

/// Words that name a body part; the words of one slice are one part (the
/// legs are one: *leg*, *hip* and *knee* raises are the same lift).
pub const BODY_PARTS: &[&[&str]] = &[
    &["chest", "pec", "pectoral"],
    &["back", "lat"],
    &["shoulder", "delt", "deltoid"],
    &["trap", "neck"],
    &["bicep"],
    &["tricep"],
    &["forearm", "wrist"],
    &["leg", "quad", "quadricep", "thigh", "hip", "knee", "glute", "hamstring", "calf", "shin", "ankle"],
    &["ab", "abdominal", "oblique", "core", "waist"],
];

/// How much lower an entry ranks when its own name states other equipment
/// than the app name (module doc).
const OTHER_EQUIPMENT_RANK_PENALTY: f64 = 0.15;

/// Shortest word read as a possible typo.
const MIN_TYPO_LEN: usize = 6;
/// A correction is a table word or a word at least this many db entries use.
const MIN_CORRECTION_USES: usize = 3;

/// Words that ask for a stretch.
const STRETCH_WORDS: &[&str] = &["stretch", "stretching", "mobility", "smr", "foam"];

/// What a name matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Match {
    /// The name as the app wrote it.
    pub name: String,
    /// The matched exercise; absent when the name is unmatched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise: Option<MatchedExercise>,
    /// How sure the match is, 0..=1. For an unmatched name, the best score
    /// found, below the threshold of 0.6 (`MATCH_THRESHOLD`).
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub confidence: f64,
}

impl Match {
    /// Whether the name matched an entry.
    pub fn is_matched(&self) -> bool {
        self.exercise.is_some()
    }
}

/// A matched exercise on the engine's terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm-history", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatchedExercise {
    /// The free-exercise-db entry's name.
    pub db_name: String,
    /// Primary muscles.
    pub muscles: Vec<Muscle>,
    /// The equipment the app name states, else the entry's.
    pub equipment: Equipment,
    /// Movement pattern.
    pub pattern: Pattern,
    /// A multi-joint lift.
    pub compound: bool,
}

/// Matches one app name against the db (module doc).
pub fn match_exercise(name: &str) -> Match {
    let index = index();
    let query = Query::new(index, name);
    let stated = query.parsed.stated_equipment();
    match index.best(&query) {
        Some((entry, confidence)) if confidence >= MATCH_THRESHOLD => {
            let db: &DbExercise = &exercises()[entry];
            let entry_equipment = index.entries[entry].equipment;
            Match {
                name: name.to_string(),
                exercise: Some(MatchedExercise {
                    db_name: db.name.clone(),
                    muscles: db.muscles.clone(),
                    equipment: stated.unwrap_or(entry_equipment),
                    pattern: db.pattern,
                    compound: db.compound,
                }),
                confidence,
            }
        }
        best => Match { name: name.to_string(), exercise: None, confidence: best.map_or(0.0, |(_, c)| c) },
    }
}

/// The equipment an app name states (module doc, step 5), if it states one:
/// `Pull Up (Band)` → band, `Dumbbell Row` → dumbbell, `Plank` → none.
pub fn stated_equipment(name: &str) -> Option<Equipment> {
    Parsed::new(name, |w| w).stated_equipment()
}

// ---- Reading a name ---------------------------------------------------------

/// Where in a name a word stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Main,
    Tail,
    Parens,
}

/// A name read by steps 1–6 of the module doc.
#[derive(Debug, Default)]
struct Parsed {
    /// Identifying words with the part they stood in (deduplicated).
    tokens: Vec<(String, Part)>,
    /// The head's family, an index into [`HEADS`].
    head: Option<usize>,
    /// Every movement it names, as a bit per family of [`HEADS`].
    movements: u64,
    /// First equipment word inside parentheses.
    parens_equipment: Option<Equipment>,
    /// First equipment word elsewhere.
    other_equipment: Option<Equipment>,
    /// Whether the name asks for a stretch.
    wants_stretch: bool,
    /// The body parts it names, as a bit per slice of [`BODY_PARTS`].
    body_parts: u32,
}

impl Parsed {
    /// Reads `name`; `fix` corrects each word before the aliases apply.
    fn new(name: &str, mut fix: impl FnMut(String) -> String) -> Parsed {
        let (main, tail, parens) = split_parts(name);
        let mut parsed = Parsed::default();
        let mut heads: [Option<usize>; 3] = [None; 3];
        for (text, part, slot) in [(&main, Part::Main, 0), (&tail, Part::Tail, 1), (&parens, Part::Parens, 2)] {
            let fixed: Vec<String> = words(text).into_iter().map(&mut fix).collect();
            for word in apply_aliases(&fixed) {
                if STRETCH_WORDS.contains(&word.as_str()) {
                    parsed.wants_stretch = true;
                }
                if let Some(part) = BODY_PARTS.iter().position(|words| words.contains(&word.as_str())) {
                    parsed.body_parts |= 1 << part;
                }
                if let Some(equipment) = equipment_word(&word) {
                    let seen =
                        if part == Part::Parens { &mut parsed.parens_equipment } else { &mut parsed.other_equipment };
                    seen.get_or_insert(equipment);
                    continue;
                }
                if STOP_WORDS.contains(&word.as_str()) {
                    continue;
                }
                if let Some(family) = head_family(&word) {
                    heads[slot] = Some(family);
                    parsed.movements |= 1 << family;
                }
                match parsed.tokens.iter_mut().find(|(w, _)| *w == word) {
                    Some((_, seen)) if *seen != Part::Main && part == Part::Main => *seen = Part::Main,
                    Some(_) => {}
                    None => parsed.tokens.push((word, part)),
                }
            }
        }
        parsed.head = heads[0].or(heads[1]).or(heads[2]);
        parsed
    }

    fn stated_equipment(&self) -> Option<Equipment> {
        self.parens_equipment.or(self.other_equipment)
    }
}

/// Splits a name into its main part, the text after a free-standing hyphen,
/// and the text in parentheses (module doc, step 1).
fn split_parts(name: &str) -> (String, String, String) {
    let mut outside = String::new();
    let mut parens = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                parens.push(' ');
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                parens.push(' ');
            }
            _ if depth > 0 => parens.push(c),
            _ => outside.push(c),
        }
    }
    let chars: Vec<char> = outside.chars().collect();
    let split = chars.iter().enumerate().position(|(i, &c)| {
        matches!(c, '-' | '–' | '—')
            && (i == 0
                || i + 1 == chars.len()
                || chars[i - 1].is_whitespace()
                || chars.get(i + 1).is_some_and(|n| n.is_whitespace()))
    });
    match split {
        Some(at) => (chars[..at].iter().collect(), chars[at + 1..].iter().collect(), parens),
        None => (outside, String::new(), parens),
    }
}

/// The alias table applied to a run of words, longest phrase first.
fn apply_aliases(input: &[String]) -> Vec<String> {
    let table = alias_table();
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let found = table.iter().find(|(from, _)| {
            input.len() - i >= from.len() && from.iter().zip(&input[i..]).all(|(a, b)| *a == b.as_str())
        });
        match found {
            Some((from, to)) => {
                out.extend(to.iter().filter(|w| !w.is_empty()).map(|w| w.to_string()));
                i += from.len();
            }
            None => {
                out.push(input[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// [`ALIASES`] split into words, longest phrase first.
fn alias_table() -> &'static [(Vec<&'static str>, Vec<&'static str>)] {
    static TABLE: OnceLock<Vec<(Vec<&'static str>, Vec<&'static str>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(Vec<&str>, Vec<&str>)> =
            ALIASES.iter().map(|(from, to)| (from.split(' ').collect(), to.split(' ').collect())).collect();
        // Stable: among phrases of one length, the table's order.
        table.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        table
    })
}

fn equipment_word(word: &str) -> Option<Equipment> {
    EQUIPMENT_WORDS.iter().find(|(w, _)| *w == word).map(|&(_, e)| e)
}

fn head_family(word: &str) -> Option<usize> {
    HEADS.iter().position(|family| family.contains(&word))
}

// ---- The index --------------------------------------------------------------

/// One db entry, read.
struct Entry {
    /// Σ weights of its words.
    total: f64,
    head: Option<usize>,
    movements: u64,
    body_parts: u32,
    equipment: Equipment,
    /// The equipment the entry's own name states.
    named_equipment: Option<Equipment>,
    stretching: bool,
}

/// The slice of [`BODY_PARTS`] a primary muscle belongs to.
fn muscle_part(muscle: Muscle) -> Option<usize> {
    let word = match muscle {
        Muscle::Chest => "chest",
        Muscle::Back | Muscle::Lats | Muscle::LowerBack => "back",
        Muscle::Traps => "trap",
        Muscle::FrontDelts | Muscle::SideDelts | Muscle::RearDelts => "shoulder",
        Muscle::Biceps => "bicep",
        Muscle::Triceps => "tricep",
        Muscle::Forearms => "forearm",
        Muscle::Quads | Muscle::Hamstrings | Muscle::Glutes | Muscle::Calves | Muscle::Adductors => "leg",
        Muscle::Abs | Muscle::Obliques => "ab",
        Muscle::FullBody => return None,
    };
    BODY_PARTS.iter().position(|words| words.contains(&word))
}

/// The db, read once.
struct Index {
    /// Token → id.
    vocabulary: HashMap<String, usize>,
    /// Id → rarity weight.
    weights: Vec<f64>,
    /// Id → entries using it.
    postings: Vec<Vec<usize>>,
    /// Words a name may hold without a typo: the db's words before aliases
    /// and every word of the tables, with how many entries use them.
    known: HashMap<String, usize>,
    /// The weight of a word no entry uses.
    unknown_weight: f64,
    entries: Vec<Entry>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(Index::build)
}

impl Index {
    fn build() -> Index {
        let db = exercises();
        let mut vocabulary: HashMap<String, usize> = HashMap::new();
        let mut postings: Vec<Vec<usize>> = Vec::new();
        let mut known: HashMap<String, usize> = HashMap::new();
        let mut read: Vec<(Vec<usize>, Parsed)> = Vec::with_capacity(db.len());
        for (e, exercise) in db.iter().enumerate() {
            let mut raw = words(&exercise.name);
            raw.sort();
            raw.dedup();
            for word in raw {
                *known.entry(word).or_insert(0) += 1;
            }
            let parsed = Parsed::new(&exercise.name, |w| w);
            let mut ids = Vec::with_capacity(parsed.tokens.len());
            for (word, _) in &parsed.tokens {
                let next = vocabulary.len();
                let id = *vocabulary.entry(word.clone()).or_insert(next);
                if id == postings.len() {
                    postings.push(Vec::new());
                }
                postings[id].push(e);
                ids.push(id);
            }
            read.push((ids, parsed));
        }
        let table_words = ALIASES
            .iter()
            .flat_map(|(from, to)| from.split(' ').chain(to.split(' ')))
            .chain(EQUIPMENT_WORDS.iter().map(|(w, _)| *w))
            .chain(STOP_WORDS.iter().copied())
            .chain(HEADS.iter().flat_map(|family| family.iter().copied()))
            .chain(STRETCH_WORDS.iter().copied());
        // Table words are common vocabulary: always a possible correction.
        for word in table_words {
            known.insert(word.to_string(), usize::MAX);
        }
        let n = db.len() as f64;
        let weights: Vec<f64> = postings.iter().map(|p| (1.0 + n / p.len() as f64).ln()).collect();
        let entries = read
            .into_iter()
            .zip(db)
            .map(|((ids, parsed), exercise)| Entry {
                total: ids.iter().map(|&id| weights[id]).sum(),
                head: parsed.head,
                movements: parsed.movements,
                body_parts: exercise
                    .muscles
                    .iter()
                    .filter_map(|&m| muscle_part(m))
                    .fold(parsed.body_parts, |parts, part| parts | 1 << part),
                named_equipment: parsed.stated_equipment(),
                equipment: parsed.stated_equipment().unwrap_or(exercise.equipment),
                stretching: exercise.pattern == Pattern::Mobility,
            })
            .collect();
        Index { vocabulary, weights, postings, known, unknown_weight: (1.0 + n).ln(), entries }
    }

    /// The known word one edit from `word`, if `word` is unknown (module
    /// doc, step 3).
    fn fix(&self, word: String) -> String {
        if word.len() < MIN_TYPO_LEN || !word.bytes().all(|b| b.is_ascii_lowercase()) || self.known.contains_key(&word)
        {
            return word;
        }
        let mut best: Option<(&String, usize)> = None;
        for (candidate, &uses) in &self.known {
            if uses < MIN_CORRECTION_USES
                || candidate.len().abs_diff(word.len()) > 1
                || !one_edit_apart(candidate.as_bytes(), word.as_bytes())
            {
                continue;
            }
            let better = match best {
                None => true,
                Some((b, b_uses)) => uses > b_uses || (uses == b_uses && candidate < b),
            };
            if better {
                best = Some((candidate, uses));
            }
        }
        best.map_or(word, |(b, _)| b.clone())
    }

    /// The best entry for `query` with its confidence.
    fn best(&self, query: &Query) -> Option<(usize, f64)> {
        let mut overlap: HashMap<usize, f64> = HashMap::new();
        for &(id, weight) in &query.tokens {
            if let Some(id) = id {
                for &e in &self.postings[id] {
                    // The name's weight is at most the entry's (a qualifier
                    // weighs half), so the shared weight is the name's.
                    *overlap.entry(e).or_insert(0.0) += weight.min(self.weights[id]);
                }
            }
        }
        // (entry, rank, confidence)
        let mut best: Option<(usize, f64, f64)> = None;
        for (e, shared) in overlap {
            let entry = &self.entries[e];
            let confidence = self.confidence(query, entry, shared);
            let rank = match (query.parsed.stated_equipment(), entry.named_equipment) {
                (Some(stated), Some(named)) if stated != named => confidence - OTHER_EQUIPMENT_RANK_PENALTY,
                _ => confidence,
            };
            let better = match best {
                None => true,
                Some((b, b_rank, _)) => {
                    let b_total = self.entries[b].total;
                    rank > b_rank || (rank == b_rank && (entry.total < b_total || (entry.total == b_total && e < b)))
                }
            };
            if better {
                best = Some((e, rank, confidence));
            }
        }
        best.map(|(e, _, confidence)| (e, confidence))
    }

    fn confidence(&self, query: &Query, entry: &Entry, shared: f64) -> f64 {
        let dice = 2.0 * shared / (query.total + entry.total);
        let head = match (query.parsed.head, entry.head) {
            (None, _) => 0.25,
            (Some(q), Some(e)) if q == e => 1.0,
            _ => 0.0,
        };
        let equipment = match query.parsed.stated_equipment() {
            Some(stated) if stated == entry.equipment => 1.0,
            Some(_) if entry.equipment == Equipment::Other => 0.5,
            Some(_) => 0.0,
            None if entry.named_equipment.is_none() => 1.0,
            None => 0.5,
        };
        let stretch = if entry.stretching && !query.parsed.wants_stretch { 0.3 } else { 0.0 };
        let (named, listed) = (query.parsed.body_parts, entry.body_parts);
        let body_part = if named != 0 && named & listed == 0 { 0.2 } else { 0.0 };
        let second_movement = if entry.movements & !query.parsed.movements != 0 { 0.15 } else { 0.0 };
        let raw = 0.65 * dice + 0.2 * head + 0.15 * equipment - stretch - body_part - second_movement;
        (raw.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
    }
}

/// An app name, read and weighed.
struct Query {
    parsed: Parsed,
    /// (token id if the db has it, weight).
    tokens: Vec<(Option<usize>, f64)>,
    total: f64,
}

impl Query {
    fn new(index: &Index, name: &str) -> Query {
        let parsed = Parsed::new(name, |w| index.fix(w));
        let tokens: Vec<(Option<usize>, f64)> = parsed
            .tokens
            .iter()
            .map(|(word, part)| {
                let id = index.vocabulary.get(word).copied();
                let weight = id.map_or(index.unknown_weight, |id| index.weights[id]);
                (id, if *part == Part::Main { weight } else { weight / 2.0 })
            })
            .collect();
        let total = tokens.iter().map(|&(_, w)| w).sum();
        Query { parsed, tokens, total }
    }
}

/// Whether `a` and `b` differ by one insertion, deletion, substitution or
/// swap of neighbours.
fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let first = short.iter().zip(long).position(|(x, y)| x != y).unwrap_or(short.len());
    if short.len() == long.len() {
        let swapped = first + 1 < short.len()
            && short[first] == long[first + 1]
            && short[first + 1] == long[first]
            && short[first + 2..] == long[first + 2..];
        swapped || short[first + 1..] == long[first + 1..]
    } else {
        short[first..] == long[first + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(name: &str) -> MatchedExercise {
        let m = match_exercise(name);
        m.exercise.unwrap_or_else(|| panic!("{name} is matched (best {})", m.confidence))
    }

    #[test]
    fn the_tables_fit_their_bit_sets() {
        assert!(HEADS.len() <= 64 && BODY_PARTS.len() <= 32);
    }

    #[test]
    fn parts_of_a_name() {
        assert_eq!(
            split_parts("Triceps Pushdown (Cable - Straight Bar)"),
            ("Triceps Pushdown ".into(), String::new(), " Cable - Straight Bar ".into())
        );
        assert_eq!(
            split_parts("Bench Press - Close Grip"),
            ("Bench Press ".into(), " Close Grip".into(), String::new())
        );
        assert_eq!(split_parts("Rear Delt- Machine"), ("Rear Delt".into(), " Machine".into(), String::new()));
        assert_eq!(split_parts("Pull-Up"), ("Pull-Up".into(), String::new(), String::new()));
    }

    #[test]
    fn aliases_apply_longest_first() {
        let read = |s: &str| apply_aliases(&words(s)).join(" ");
        assert_eq!(read("Skull Crushers"), "lying tricep extension");
        assert_eq!(read("OHP"), "overhead press");
        assert_eq!(read("Lat Pull-Down"), "lat pulldown");
        assert_eq!(read("EZ Curl Bar Curl"), "ez curl");
        assert_eq!(read("Single-Arm Row"), "one arm row");
    }

    #[test]
    fn typos_one_edit_away() {
        assert!(one_edit_apart(b"dumbell", b"dumbbell"));
        assert!(one_edit_apart(b"barbel", b"barbell"));
        assert!(one_edit_apart(b"curl", b"crul"));
        assert!(one_edit_apart(b"press", b"prass"));
        assert!(!one_edit_apart(b"press", b"press"));
        assert!(!one_edit_apart(b"press", b"pr"));
        assert!(!one_edit_apart(b"squat", b"sqaut s"));
        assert_eq!(stated_equipment("Dumbell Kickback"), None, "typos are fixed only when matching");
        assert_eq!(matched("Dumbell Kickback").equipment, Equipment::Dumbbell);
    }

    #[test]
    fn stated_equipment_prefers_parentheses() {
        assert_eq!(stated_equipment("Triceps Pushdown (Cable - Straight Bar)"), Some(Equipment::Cable));
        assert_eq!(stated_equipment("Barbell Row (Smith Machine)"), Some(Equipment::Machine));
        assert_eq!(stated_equipment("Chin Up (Assisted)"), Some(Equipment::Machine));
        assert_eq!(stated_equipment("DB Row"), Some(Equipment::Dumbbell));
        assert_eq!(stated_equipment("Plank"), None);
    }

    #[test]
    fn names_written_differently_match_the_same_entry() {
        for group in [
            &["Pull Up", "Pull-Ups", "pullups", "PULL UPS"][..],
            &["Lat Pulldown (Cable)", "Lat Pull Down (Cable)", "lat pull-down (cable)", "Cable Lat Pulldown"],
            &["Overhead Press (Barbell)", "OHP (Barbell)", "Barbell Shoulder Press", "Military Press (Barbell)"],
            &["Romanian Deadlift (Barbell)", "RDL (Barbell)", "Barbell RDL", "romanian deadlifts - barbell"],
            &["Skullcrusher (Barbell)", "Skull Crushers (Barbell)", "Lying Triceps Extension (Barbell)"],
            &["Triceps Pushdown (Cable)", "Tricep Push-Down (Cable)", "Triceps Pressdown (Cable)"],
        ] {
            let first = matched(group[0]);
            for name in &group[1..] {
                assert_eq!(matched(name).db_name, first.db_name, "{name} reads as {}", group[0]);
            }
        }
    }

    #[test]
    fn the_app_equipment_wins() {
        let m = matched("Lat Pulldown (Machine)");
        assert_eq!((m.pattern, m.equipment), (Pattern::VerticalPull, Equipment::Machine));
        assert_eq!(matched("Pull Up (Band)").equipment, Equipment::Band);
        assert_eq!(matched("Pull Up").equipment, Equipment::Bodyweight);
    }

    #[test]
    fn nonsense_and_foreign_names_are_unmatched() {
        for name in ["Zorblax Quantum Wiggle", "卧推", "", "   ", "()", "Ohio State"] {
            let m = match_exercise(name);
            assert!(!m.is_matched(), "{name}: {:?}", m.exercise);
            assert!(m.confidence < MATCH_THRESHOLD);
        }
    }

    #[test]
    fn the_match_serializes_in_camel_case() {
        let json = serde_json::to_value(match_exercise("Plank")).unwrap();
        assert_eq!(json["exercise"]["pattern"], "core");
        assert!(json["exercise"]["dbName"].is_string());
        assert!(serde_json::to_value(match_exercise("Zorblax")).unwrap().get("exercise").is_none());
    }
}
