//! Any bytes as a preview given to apply_preview: a typed error or a valid plan.
//! The checks live in tests/support/src/fuzzing.rs, shared with the test suite.

#![no_main]

use time_crunch_test_support::fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::preview_json(data));
