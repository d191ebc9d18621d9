//! Input from JavaScript. The caller's object is written as JSON text by
//! `JSON.stringify` (one native call, instead of a JS call per property) and
//! read by [`crate::wire::reader`], which answers exactly what the native engine
//! answers for that text: the same values, and the same error messages and
//! paths. So a JS object means what its JSON means: `undefined` properties
//! and functions are absent, `NaN` is `null`, a `Date` is its ISO string.

use wasm_bindgen::{JsCast, JsValue};

use crate::error::{Error, ErrorCode};
use crate::wire::reader::{read_text, FromText};

/// Reads `value` as a `T`; a failure is an engine error of `code`.
pub fn read<T: FromText>(value: &JsValue, code: ErrorCode) -> Result<T, Error> {
    let text = match js_sys::JSON::stringify(value) {
        // `undefined`, a function or a symbol has no JSON text; as a
        // property JSON would write it as null.
        Ok(text) => text.as_string().unwrap_or_else(|| String::from("null")),
        // A BigInt or a cycle: JSON.stringify throws.
        Err(thrown) => {
            let mut message = String::from("the value cannot be written as JSON: ");
            match thrown.dyn_ref::<js_sys::Error>() {
                Some(error) => message.push_str(&String::from(error.message())),
                None => message.push_str("JSON.stringify failed"),
            }
            return Err(Error { code, message, path: None });
        }
    };
    read_text(&text, code, parse_float)
}

/// JavaScript's own float parsing, so the module carries none.
fn parse_float(text: &str) -> f64 {
    js_sys::parse_float(text)
}
