//! The JavaScript faces of the engine: thin conversions at the edge, built
//! only with the `js` features. Two modules come out of this one crate:
//! the preview module (`wasm`: [`engine`] and the flag and telemetry
//! [`client`]) and the training-log module (`wasm-history`: [`history`]),
//! loaded only when an athlete opens the training-log path, so the preview
//! module stays small.
//!
//! Results leave as plain JS objects built by serde-wasm-bindgen with one
//! serializer configuration ([`to_js`]): numbers cross as numbers, so once
//! `JSON.stringify`-ed they equal the server twin's bytes. Errors are thrown
//! as `Error` objects carrying `code` (and `path` or `line`).

#[cfg(feature = "bench")]
mod bench;
#[cfg(feature = "wasm")]
mod client;
#[cfg(feature = "wasm")]
mod engine;
#[cfg(feature = "wasm-history")]
mod history;
#[cfg(feature = "wasm")]
mod input;

#[cfg(feature = "wasm")]
pub use client::{ClientOptions, TimeCrunchClient, TrackedEvent};
#[cfg(feature = "wasm")]
pub use engine::*;
#[cfg(feature = "wasm-history")]
pub use history::*;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::Error;

// Installs the panic hook (a panic's message goes to console.error) when
// init/initSync instantiates the module. `private` keeps it out of the JS
// exports and the .d.ts: it runs by itself, so it is not API.
#[wasm_bindgen(start, private)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The thrown `Error` object for an engine error.
impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        let js = thrown("TimeCrunchError", &error.message, error.code.as_str());
        if let Some(path) = &error.path {
            set(&js, "path", &path.into());
        }
        js
    }
}

/// An `Error` named `name` carrying `code`.
pub(crate) fn thrown(name: &str, message: &str, code: &str) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name(name);
    let js: JsValue = js.into();
    set(&js, "code", &code.into());
    js
}

/// Sets a property of a fresh object.
pub(crate) fn set(object: &JsValue, key: &str, value: &JsValue) {
    // Reflect.set only fails on frozen objects; a fresh Error is not one.
    let _ = js_sys::Reflect::set(object, &key.into(), value);
}

/// The one serializer configuration of every result: maps as plain objects,
/// like serde_json writes them.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Engine outputs hold only strings, safe integers, finite floats and
    // string-keyed maps, which serde-wasm-bindgen always serializes.
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}
