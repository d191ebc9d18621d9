//! Reading requests from any serde format with errors that say where:
//! `serde_path_to_error` tracks the path while the format's deserializer
//! (serde_json natively, serde-wasm-bindgen in the browser) does the work.

use serde::de::DeserializeOwned;
use serde::Deserializer;

use crate::error::{Error, ErrorCode};
use crate::preview::Preview;
use crate::request::{Plan, PreviewRequest};

/// Deserializes a value, turning a shape error into an `invalid_request`
/// (or `code`) error with the path of the offending value.
pub fn decode<'de, D, T>(deserializer: D, code: ErrorCode) -> Result<T, Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        Error { code, message: err.into_inner().to_string(), path: (path != ".").then_some(path) }
    })
}

fn from_json<T: DeserializeOwned>(json: &str, code: ErrorCode) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = decode(&mut deserializer, code)
        .and_then(|value| {
            deserializer.end().map(|()| value).map_err(|err| Error { code, message: err.to_string(), path: None })
        })
        .map_err(without_position)?;
    Ok(value)
}

/// serde_json ends messages with " at line L column C"; the path already
/// says where, and dropping it keeps messages equal to the browser's.
fn without_position(mut error: Error) -> Error {
    if let Some(at) = error.message.rfind(" at line ") {
        let tail = &error.message[at + " at line ".len()..];
        if tail.split(" column ").all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
            error.message.truncate(at);
        }
    }
    error
}

/// Parses a [`PreviewRequest`] from JSON (shape only; see [`crate::validate`]).
pub fn request_from_json(json: &str) -> Result<PreviewRequest, Error> {
    from_json(json, ErrorCode::InvalidRequest)
}

/// Parses a [`Plan`] from JSON (shape only).
pub fn plan_from_json(json: &str) -> Result<Plan, Error> {
    from_json(json, ErrorCode::InvalidPlan)
}

/// Parses a [`Preview`] from JSON (shape only).
pub fn preview_from_json(json: &str) -> Result<Preview, Error> {
    from_json(json, ErrorCode::InvalidPreview)
}

/// Serializes any engine output as compact JSON, the wire format shared by
/// the CLI and the server twin.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Engine types hold only strings, integers, finite floats and string-keyed
    // maps, which serde_json always serializes.
    serde_json::to_string(value).unwrap_or_default()
}
