//! Any bytes as the body of POST /v1/time-crunch/preview: a typed error, or a
//! preview that keeps every SPEC §8 invariant and applies back exactly.
//! The checks live in tests/common/fuzzing.rs, shared with the test suite.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/invariants.rs"]
mod invariants;

#[allow(dead_code)]
#[path = "../../tests/common/fuzzing.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::request_json(data));
