//! Only in the benchmark build (`--features bench`, made by
//! `scripts/build-pkg.sh --bench`), never in the shipped package: the
//! engine timed inside WebAssembly, without the JS boundary, for the
//! WebAssembly/native ratio that tests/consumer/speed.mjs reports.

use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::input;
use crate::error::ErrorCode;
use crate::PreviewRequest;

/// Reads `request` once, then runs the engine's preview `runs` times. The
/// caller times the call; the sum of the estimates is returned so that the
/// work cannot be optimized away.
#[wasm_bindgen(js_name = benchEngine)]
pub fn bench_engine(request: Ts<PreviewRequest>, runs: u32) -> Result<f64, JsValue> {
    let request: PreviewRequest = input::read(&request.into(), ErrorCode::InvalidRequest)?;
    let mut minutes = 0.0;
    for _ in 0..runs {
        minutes += crate::preview(&request)?.estimated_minutes;
    }
    Ok(minutes)
}
