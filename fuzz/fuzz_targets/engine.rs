//! Bytes decoded into a structured request, so every run reaches the engine:
//! every invariant, for one target and for a whole sweep.
//! The checks live in tests/support/src/fuzzing.rs, shared with the test suite.

#![no_main]

use time_crunch_test_support::fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::engine(data));
