//! Any bytes as a training-log export given to `history::import`: a typed
//! error, or a history whose sessions each have exercises with sets, sorted
//! by start, with skipped rows at increasing lines; the same on every run.
//! The checks live in tests/support/src/fuzzing.rs, shared with the test suite.

#![no_main]

use time_crunch_test_support::fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::import(data));
