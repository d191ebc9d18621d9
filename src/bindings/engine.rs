//! The preview module's exports: the engine's entry points (the flag and
//! telemetry client is [`super::client`]). Input is read by
//! [`super::input`], which checks it exactly as the native engine checks
//! JSON text (unknown fields rejected, same messages and paths).

use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::{input, to_js};
use crate::error::ErrorCode;
use crate::{Estimate, Pace, Plan, Preview, PreviewRequest, PreviewSession};

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &'static str = r#"
/**
 * What `preview`, `sweep`, `estimate`, `applyPreview` and the
 * `TimeCrunchClient` constructor throw on bad input: an `Error`, not a class
 * of its own, so recognise it by `name` rather than `instanceof`.
 */
export interface TimeCrunchError extends Error {
  /** Always "TimeCrunchError". */
  name: "TimeCrunchError";
  /** Stable code: "invalid_request" | "invalid_plan" | "target_out_of_range" | "invalid_preview". */
  code: string;
  /** Where in the input, e.g. "plan.blocks[0].exercises[2].sets", when known. */
  path?: string;
}
"#;

/// Compresses a plan to fit `targetMinutes`.
///
/// ```js
/// const result = preview({ plan, targetMinutes: 30 });
/// if (!result.fits) console.log(result.fallback.message);
/// ```
#[wasm_bindgen]
pub fn preview(request: Ts<PreviewRequest>) -> Result<Ts<Preview>, JsValue> {
    let request = input::read(&request.into(), ErrorCode::InvalidRequest)?;
    let preview = crate::preview(&request)?;
    Ok(Ts::new_unchecked(to_js(&preview)?))
}

/// One preview per target from 15 to 180 minutes (166 in all, index 0 is
/// 15 minutes), for a slider; `targetMinutes` is ignored.
///
/// ```js
/// const previews = sweep({ plan, targetMinutes: 60 });
/// const at = (minutes) => previews[minutes - 15];
/// ```
#[wasm_bindgen(unchecked_return_type = "Preview[]")]
pub fn sweep(request: Ts<PreviewRequest>) -> Result<JsValue, JsValue> {
    let request = input::read(&request.into(), ErrorCode::InvalidRequest)?;
    let previews = crate::sweep(&request)?;
    to_js(&previews)
}

/// How long a plan takes as written, at the athlete's pace when one is
/// given (`calibrate` in `time-crunch/history`).
///
/// ```js
/// const { minutes } = estimate(plan);
/// const mine = estimate(plan, pace).minutes;
/// ```
#[wasm_bindgen]
pub fn estimate(plan: Ts<Plan>, pace: Option<Ts<Pace>>) -> Result<Ts<Estimate>, JsValue> {
    let plan = input::read(&plan.into(), ErrorCode::InvalidPlan)?;
    let pace = match pace {
        Some(pace) => input::read(&pace.into(), ErrorCode::InvalidRequest)?,
        None => Pace::DEFAULT,
    };
    let estimate = crate::estimate_at(&plan, &pace)?;
    Ok(Ts::new_unchecked(to_js(&estimate)?))
}

/// The plan a preview describes, ready to save. It uses the preview's
/// `planId`, `planName` and `blocks`; the other fields describe the session
/// for the athlete and are not read (unknown fields are still rejected).
///
/// ```js
/// const compressed = applyPreview(preview({ plan, targetMinutes: 30 }));
/// ```
#[wasm_bindgen(js_name = applyPreview)]
pub fn apply_preview(preview: Ts<Preview>) -> Result<Ts<Plan>, JsValue> {
    let session: PreviewSession = input::read(&preview.into(), ErrorCode::InvalidPreview)?;
    let plan = crate::apply_session(&session.plan_id, &session.plan_name, &session.blocks)?;
    Ok(Ts::new_unchecked(to_js(&plan)?))
}

/// The engine's version (the crate version).
///
/// ```js
/// console.log(version()); // "0.1.0"
/// ```
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}
