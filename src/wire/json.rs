//! JSON in and out for the CLI and the server twin. Input is read by
//! serde_json; on a shape error the path of the offending value comes from
//! [`crate::wire::json_path`]. The browser module reads the same text (what
//! `JSON.stringify` makes of a JS object) with [`crate::wire::reader`], and the
//! tests check both give the same values and errors.

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorCode};
use crate::preview::Preview;
use crate::request::{Plan, PreviewRequest};
use crate::wire::json_path::{offset_of, path_at};

fn from_json<T: DeserializeOwned>(json: &str, code: ErrorCode) -> Result<T, Error> {
    serde_json::from_str(json).map_err(|err| {
        let path = if err.line() == 0 { None } else { path_at(json, offset_of(json, err.line(), err.column())) };
        Error { code, message: without_position(err.to_string()), path }
    })
}

/// serde_json ends messages with " at line L column C"; the path says where,
/// and dropping it keeps messages equal to the browser's.
fn without_position(mut message: String) -> String {
    if let Some(at) = message.rfind(" at line ") {
        let tail = &message[at + " at line ".len()..];
        if tail.split(" column ").all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
            message.truncate(at);
        }
    }
    message
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
