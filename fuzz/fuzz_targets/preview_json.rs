//! Any bytes as a preview given to apply_preview: a typed error or a valid plan.
//! The checks live in tests/common/fuzzing.rs, shared with the test suite.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/invariants.rs"]
mod invariants;

#[allow(dead_code)]
#[path = "../../tests/common/fuzzing.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::preview_json(data));
