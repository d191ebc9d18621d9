//! Bytes decoded into a structured request, so every run reaches the engine:
//! every invariant, for one target and for a whole sweep.
//! The checks live in tests/common/fuzzing.rs, shared with the test suite.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/invariants.rs"]
mod invariants;

#[allow(dead_code)]
#[path = "../../tests/common/fuzzing.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::engine(data));
