//! What the fuzz targets (fuzz/) check for one input, shared with the
//! normal test suite (tests/fuzz_regressions.rs), which replays the seeds
//! and every crasher kept in fuzz/regressions/. A failed check panics: the
//! fuzzer records the input, the test fails.
//!
//! - [`request_json`]: any bytes as a preview request, as the server reads
//!   them: a typed error or a preview that satisfies every SPEC §8
//!   invariant, writes and reads back as the same JSON, and applies back
//!   into a plan that times exactly like it; and the browser module's
//!   reader never panics and, on the compact JSON text `JSON.stringify`
//!   would write, answers exactly what serde_json answers;
//! - [`engine`]: bytes decoded into a structured request (mostly valid, now
//!   and then out of range), so the engine itself is reached on every run;
//!   the same checks, plus a whole sweep;
//! - [`preview_json`]: any bytes as a preview given to `apply_preview`: a
//!   typed error or a valid plan;
//! - [`import`]: any bytes as a training-log export: a typed error or a
//!   history that keeps [`check_history`], the same on every run.

use time_crunch::config::{
    PACE_REST_FACTOR_RANGE, PACE_SECONDS_PER_REP_RANGE, PACE_SETUP_SECONDS_RANGE, PACE_TRANSITION_SECONDS_RANGE,
};
use time_crunch::history::{History, HistoryErrorCode, Implausible};
use time_crunch::wire::json::{plan_from_json, preview_from_json, request_from_json, to_json};
use time_crunch::wire::reader::read_text;
use time_crunch::Pace;
use time_crunch::{
    apply_preview, Block, BlockKind, Equipment, Error, ErrorCode, Exercise, Goal, Muscle, Options, Pattern, Plan,
    Preview, PreviewRequest, Priority, Strategy,
};

use crate::invariants::{check_preview, check_sweep};

/// The codes validation of a well-formed request may answer.
const VALIDATION: &[ErrorCode] = &[ErrorCode::InvalidRequest, ErrorCode::InvalidPlan, ErrorCode::TargetOutOfRange];

/// Bytes as the body of `POST /v1/time-crunch/preview`.
pub fn request_json(data: &[u8]) {
    // The server refuses a body that is not UTF-8 before parsing it.
    let Ok(text) = std::str::from_utf8(data) else { return };
    check_browser_reader(text);
    let request = match request_from_json(text) {
        Ok(request) => request,
        Err(error) => return check_error(&error, &[ErrorCode::InvalidRequest]),
    };
    match time_crunch::preview(&request) {
        Ok(preview) => check_valid(&request, &preview),
        Err(error) => check_error(&error, VALIDATION),
    }
}

/// The browser's reader: no panic on any text; on compact JSON (what
/// `JSON.stringify` writes) the same values and errors as serde_json, except
/// that it wants a struct as an object where serde_json also takes an array.
fn check_browser_reader(text: &str) {
    let parse_float = |token: &str| token.parse().unwrap_or(f64::NAN);
    let _ = read_text::<PreviewRequest>(text, ErrorCode::InvalidRequest, parse_float);
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return };
    let compact = value.to_string();
    let browser = read_text::<PreviewRequest>(&compact, ErrorCode::InvalidRequest, parse_float);
    if browser.as_ref().is_err_and(|error| error.message.starts_with("invalid type: sequence, expected struct")) {
        return;
    }
    assert_eq!(browser, request_from_json(&compact), "the browser's reader differs from serde_json\ntext: {compact}");
}

/// Bytes decoded into a request by [`Decoder`].
pub fn engine(data: &[u8]) {
    let mut decoder = Decoder { data, at: 0 };
    // A sweep costs about 55 previews: one input in eight, so the fuzzer
    // still tries many plans per second.
    let sweep = decoder.byte() % 8 == 0;
    let request = decoder.request();
    match time_crunch::preview(&request) {
        Ok(preview) => check_valid(&request, &preview),
        Err(error) => check_error(&error, VALIDATION),
    }
    if sweep {
        match time_crunch::sweep(&request) {
            Ok(previews) => {
                if let Err(problem) = check_sweep(&request, &previews) {
                    panic!("{problem}\nrequest: {}", to_json(&request));
                }
            }
            Err(error) => check_error(&error, VALIDATION),
        }
    }
}

/// Bytes as a preview handed to `apply_preview`.
pub fn preview_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let preview = match preview_from_json(text) {
        Ok(preview) => preview,
        Err(error) => return check_error(&error, &[ErrorCode::InvalidPreview]),
    };
    match apply_preview(&preview) {
        Ok(plan) => {
            // A plan apply_preview returns is one the engine accepts, and
            // reads back from its own JSON unchanged.
            if let Err(error) = time_crunch::estimate(&plan) {
                panic!("apply_preview returned a plan the engine refuses: {error}\npreview: {text}");
            }
            assert_eq!(plan_from_json(&to_json(&plan)).as_ref(), Ok(&plan), "plan JSON round trip\npreview: {text}");
        }
        Err(error) => check_error(&error, &[ErrorCode::InvalidPreview]),
    }
}

/// The codes importing an export may answer.
const IMPORT_ERRORS: &[HistoryErrorCode] = &[
    HistoryErrorCode::EmptyFile,
    HistoryErrorCode::TooLarge,
    HistoryErrorCode::NotAnExport,
    HistoryErrorCode::BrokenCsv,
    HistoryErrorCode::MixedFormats,
    HistoryErrorCode::NoReadableSessions,
];

/// Bytes as a training-log export handed to `history::import`; bytes that
/// are not UTF-8 are read as a browser's `TextDecoder` would (replaced).
pub fn import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let result = time_crunch::history::import(&text);
    assert_eq!(time_crunch::history::import(&text), result, "importing is not deterministic\ninput: {text:?}");
    match result {
        Ok(history) => {
            if let Err(problem) = check_history(&history) {
                panic!("{problem}\ninput: {text:?}");
            }
        }
        Err(error) => {
            assert!(IMPORT_ERRORS.contains(&error.code), "unexpected error code {:?}: {error}", error.code);
            assert!(!error.message.trim().is_empty(), "an error without a message");
            assert!(error.line != Some(0), "an error at line 0: {error}");
        }
    }
}

/// What every imported history keeps: at least one session, each with at
/// least one exercise of at least one set; sessions sorted by a start in
/// the documented form; minutes that are a number, marked as
/// [`Implausible::of`] says; skipped rows at increasing lines, each with a
/// reason; and JSON that reads back as the same history.
pub fn check_history(history: &History) -> Result<(), String> {
    if history.sessions.is_empty() {
        return Err("a history without a session".to_owned());
    }
    for session in &history.sessions {
        let at = || format!("session {} `{}`", session.start, session.name);
        if !is_start(&session.start) {
            return Err(format!("{}: start is not YYYY-MM-DDTHH:MM[:SS]", at()));
        }
        if session.exercises.is_empty() {
            return Err(format!("{}: no exercise", at()));
        }
        if let Some(empty) = session.exercises.iter().find(|e| e.sets.is_empty()) {
            return Err(format!("{}: exercise `{}` has no set", at(), empty.name));
        }
        if session.exercises.iter().any(|e| e.name.trim().is_empty()) {
            return Err(format!("{}: an exercise without a name", at()));
        }
        if !session.actual_minutes.is_finite() || session.actual_minutes < 0.0 {
            return Err(format!("{}: actual minutes {}", at(), session.actual_minutes));
        }
        if session.implausible != Implausible::of(session.actual_minutes) {
            return Err(format!("{}: marked {:?} at {} minutes", at(), session.implausible, session.actual_minutes));
        }
    }
    if let Some(pair) = history.sessions.windows(2).find(|pair| pair[0].start > pair[1].start) {
        return Err(format!("sessions out of order: {} before {}", pair[0].start, pair[1].start));
    }
    if let Some(first) = history.skipped.first() {
        if first.line == 0 {
            return Err("a skipped row at line 0".to_owned());
        }
    }
    if let Some(pair) = history.skipped.windows(2).find(|pair| pair[0].line >= pair[1].line) {
        return Err(format!("skipped lines not increasing: {} then {}", pair[0].line, pair[1].line));
    }
    if let Some(row) = history.skipped.iter().find(|row| row.reason.trim().is_empty()) {
        return Err(format!("skipped line {} has no reason", row.line));
    }
    let json = serde_json::to_string(history).map_err(|e| format!("history JSON: {e}"))?;
    match serde_json::from_str::<History>(&json) {
        Ok(back) if back == *history => Ok(()),
        Ok(_) => Err("the history's JSON reads back differently".to_owned()),
        Err(e) => Err(format!("the history's JSON does not read back: {e}")),
    }
}

/// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`.
fn is_start(start: &str) -> bool {
    let pattern = "dddd-dd-ddTdd:dd:dd";
    (start.len() == 16 || start.len() == 19)
        && start.bytes().zip(pattern.bytes()).all(|(c, p)| if p == b'd' { c.is_ascii_digit() } else { c == p })
}

/// A typed error: an expected code, a sentence, a path that is not empty.
fn check_error(error: &Error, codes: &[ErrorCode]) {
    assert!(codes.contains(&error.code), "unexpected error code {:?}: {error}", error.code);
    assert!(!error.message.trim().is_empty(), "an error without a message");
    assert!(error.path.as_deref() != Some(""), "an error with an empty path: {error}");
    assert!(to_json(&error.envelope()).starts_with(r#"{"error":{"code":""#));
}

/// Everything a valid request's preview must satisfy.
fn check_valid(request: &PreviewRequest, preview: &Preview) {
    let show = || to_json(request);
    if let Err(problem) = check_preview(request, preview) {
        panic!("{problem}\nrequest: {}", show());
    }
    // The same request gives the same bytes, and the bytes read back as the same preview.
    let json = to_json(preview);
    assert_eq!(to_json(&time_crunch::preview(request).unwrap()), json, "not deterministic\nrequest: {}", show());
    assert_eq!(preview_from_json(&json).as_ref(), Ok(preview), "preview JSON round trip\nrequest: {}", show());
    // Applying it gives a valid plan that times exactly like the preview and,
    // when the preview fits, needs no further compression.
    let plan = apply_preview(preview).unwrap_or_else(|e| panic!("apply_preview: {e}\nrequest: {}", show()));
    let pace = preview.pace.unwrap_or_default();
    let estimate =
        time_crunch::estimate_at(&plan, &pace).unwrap_or_else(|e| panic!("applied plan: {e}\nrequest: {}", show()));
    assert_eq!(
        estimate.seconds,
        time_crunch::estimate::preview_seconds(preview),
        "applied timing\nrequest: {}",
        show()
    );
    if preview.fits {
        let options = preview.pace.map(|pace| Options { pace: Some(pace), ..Options::default() });
        let again = PreviewRequest { plan, target_minutes: request.target_minutes, options };
        let again = time_crunch::preview(&again).unwrap_or_else(|e| panic!("re-preview: {e}\nrequest: {}", show()));
        assert_eq!(again.strategy, Strategy::FullAccessoryBlocks, "applied plan compressed again\nrequest: {}", show());
        assert_eq!(again.blocks, preview.blocks, "applied plan previews differently\nrequest: {}", show());
    }
}

const RESTS: [i64; 11] = [0, 30, 45, 60, 75, 90, 120, 150, 180, 240, 300];

/// Reads a request out of bytes; past the end every byte reads as 0, so any
/// input decodes. One byte in 32 of a number's selector picks a value
/// outside the contract, to exercise validation.
pub struct Decoder<'a> {
    data: &'a [u8],
    at: usize,
}

impl Decoder<'_> {
    fn byte(&mut self) -> u8 {
        let byte = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    /// A pace, each constant usually in its plausible range, sometimes out.
    fn pace(&mut self) -> Pace {
        let mut constant = |(min, max): (f64, f64)| {
            let fraction = f64::from(self.byte()) / 200.0; // up to 1.275: past the range sometimes
            min + (max - min) * fraction
        };
        Pace {
            setup_seconds: constant(PACE_SETUP_SECONDS_RANGE),
            seconds_per_rep: constant(PACE_SECONDS_PER_REP_RANGE),
            rest_factor: constant(PACE_REST_FACTOR_RANGE),
            transition_seconds: constant(PACE_TRANSITION_SECONDS_RANGE),
        }
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// Usually `lo..=hi`; sometimes any 16-bit value, in or out of range.
    fn number(&mut self, lo: i64, hi: i64) -> i64 {
        let selector = self.byte();
        let raw = i64::from(u16::from_le_bytes([self.byte(), self.byte()]));
        if selector % 32 == 31 {
            raw - 1000
        } else {
            lo + raw % (hi - lo + 1)
        }
    }

    fn exercise(&mut self, n: usize) -> Exercise {
        let flags = self.byte();
        let muscles = (0..1 + self.below(3)).map(|_| self.pick(&Muscle::ALL)).collect();
        let by_reps = flags & 0b111 != 0;
        Exercise {
            id: format!("e{n}"),
            name: format!("Exercise {n}"),
            priority: self.pick(&Priority::ALL),
            pattern: self.pick(&Pattern::ALL),
            muscles,
            equipment: self.pick(&Equipment::ALL),
            sets: self.number(1, 8),
            reps: by_reps.then(|| self.number(1, 20)),
            duration_seconds: (!by_reps).then(|| self.number(5, 120)),
            rest_seconds: if flags & 0b1000 != 0 { self.pick(&RESTS) } else { self.number(0, 600) },
            seconds_per_rep: (flags & 0b1_0000 != 0).then(|| self.number(4, 48) as f64 / 4.0),
            unilateral: (flags & 0b10_0000 != 0).then_some(true),
            superset_group: (flags & 0b1100_0000 == 0b1100_0000).then(|| format!("g{}", self.below(3))),
        }
    }

    fn request(&mut self) -> PreviewRequest {
        let mut n = 0;
        let blocks = (0..1 + self.below(4))
            .map(|b| {
                let kind = self.pick(&BlockKind::ALL);
                let exercises = (0..1 + self.below(6))
                    .map(|_| {
                        n += 1;
                        self.exercise(n)
                    })
                    .collect();
                Block { id: format!("b{b}"), name: None, kind, exercises }
            })
            .collect();
        let plan = Plan { id: "fuzz".into(), name: "Fuzzed plan".into(), blocks };
        let target_minutes = self.number(15, 180);
        let options = match self.byte() % 4 {
            0 => None,
            flags => {
                let ids: Vec<String> = plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.id.clone()).collect();
                let keep = (0..self.below(3)).map(|_| self.pick(&ids)).collect();
                Some(Options {
                    goal: [None, Some(Goal::Strength), Some(Goal::Hypertrophy), Some(Goal::General)][self.below(4)],
                    keep: (flags & 1 == 1).then_some(keep),
                    allow_supersets: (flags & 2 == 2).then(|| self.byte() & 1 == 1),
                    pace: (self.byte() % 2 == 1).then(|| self.pace()),
                })
            }
        };
        PreviewRequest { plan, target_minutes, options }
    }
}
