//! Any bytes as the body of POST /v1/time-crunch/preview: a typed error, or a
//! preview that keeps every SPEC §8 invariant and applies back exactly.
//! The checks live in tests/support/src/fuzzing.rs, shared with the test suite.

#![no_main]

use time_crunch_test_support::fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzzing::request_json(data));
