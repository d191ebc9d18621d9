//! The training-log module's exports (`time-crunch/history`): import a
//! Strong or Hevy export, match exercise names, make a plan from a logged
//! session, and fit the athlete's pace. Loaded only on the training-log
//! path, so the preview module does not carry the importers or the
//! exercise database.
//!
//! Input objects are written as JSON text by `JSON.stringify` and read with
//! serde_json; results leave through the shared serializer ([`to_js`]).

use serde::de::DeserializeOwned;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::{set, thrown, to_js};
use crate::history::calibrate::Calibration;
use crate::history::matcher::Match;
use crate::history::plan_from_session::SessionPlan;
use crate::history::{History, LoggedSession};
use crate::history::{HistoryError, HistoryErrorCode};

#[wasm_bindgen(typescript_custom_section)]
const TS_HISTORY_ERROR: &'static str = r#"
/**
 * What `importLog`, `planFromSession` and `calibrate` throw: an `Error`
 * named "TimeCrunchError" (as the preview module's), recognised by `name`.
 */
export interface TimeCrunchHistoryError extends Error {
  /** Always "TimeCrunchError". */
  name: "TimeCrunchError";
  /** Stable code, e.g. "not_an_export", "too_large", "broken_csv", "not_enough_history". */
  code: string;
  /** 1-based line of the file, when the error is at one. */
  line?: number;
}
"#;

/// The thrown `Error` object for a training-log error.
impl From<HistoryError> for JsValue {
    fn from(error: HistoryError) -> JsValue {
        let js = thrown("TimeCrunchError", &error.message, error.code.as_str());
        if let Some(line) = error.line {
            set(&js, "line", &JsValue::from_f64(line as f64));
        }
        js
    }
}

/// Reads a value the caller built (or got from this module) as a `T`.
fn read<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, HistoryError> {
    let text = js_sys::JSON::stringify(value).ok().and_then(|t| t.as_string()).unwrap_or_default();
    serde_json::from_str(&text)
        .map_err(|err| HistoryError::new(HistoryErrorCode::InvalidInput, format!("not a {what}: {err}")))
}

/// Reads a Strong or Hevy CSV export (every format the package README
/// lists, detected by its header) into the lifter's history. Rows that
/// cannot be read are skipped and listed in `skipped` with their line.
///
/// ```js
/// const history = importLog(await file.text());
/// console.log(history.sessions.length, history.skipped.length);
/// ```
#[wasm_bindgen(js_name = importLog)]
pub fn import_log(text: &str) -> Result<Ts<History>, JsValue> {
    let history = crate::history::import(text)?;
    Ok(Ts::new_unchecked(to_js(&history)?))
}

/// Matches an app's exercise name ("Bench Press (Barbell)") to the
/// exercise database; `exercise` is absent when no entry is close enough.
///
/// ```js
/// const { exercise, confidence } = matchExercise("Lat Pulldown (Cable)");
/// ```
#[wasm_bindgen(js_name = matchExercise)]
pub fn match_exercise(name: &str) -> Result<Ts<Match>, JsValue> {
    Ok(Ts::new_unchecked(to_js(&crate::history::matcher::match_exercise(name))?))
}

/// A valid plan from a logged session (the rules are in the package
/// README), with the exercises no database entry matched, to ask for.
///
/// ```js
/// const { plan, unmatched } = planFromSession(history.sessions.at(-1), "today");
/// ```
#[wasm_bindgen(js_name = planFromSession)]
pub fn plan_from_session(session: Ts<LoggedSession>, id: &str) -> Result<Ts<SessionPlan>, JsValue> {
    let session: LoggedSession = read(&session.into(), "logged session")?;
    let made = crate::history::plan_from_session::plan_from_session(&session, id)?;
    Ok(Ts::new_unchecked(to_js(&made)?))
}

/// Fits the athlete's own pace on their history (at least 5 sessions with
/// a plausible duration), for a preview request's `options.pace`.
///
/// ```js
/// const { pace, errorBefore, errorAfter } = calibrate(history);
/// preview({ plan, targetMinutes: 30, options: { pace } });
/// ```
#[wasm_bindgen]
pub fn calibrate(history: Ts<History>) -> Result<Ts<Calibration>, JsValue> {
    let history: History = read(&history.into(), "history")?;
    let calibration = crate::history::calibrate::calibrate(&history)?;
    Ok(Ts::new_unchecked(to_js(&calibration)?))
}
