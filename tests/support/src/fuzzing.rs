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
//!   typed error or a valid plan.

use time_crunch::config::{
    PACE_REST_FACTOR_RANGE, PACE_SECONDS_PER_REP_RANGE, PACE_SETUP_SECONDS_RANGE, PACE_TRANSITION_SECONDS_RANGE,
};
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
