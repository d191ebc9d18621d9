//! The flag through OpenFeature's remote evaluation protocol (OFREP, the
//! OpenAPI document `service/openapi.yaml` of open-feature/protocol, version
//! 0.3.0), beside `GET /v1/flags/{key}`:
//!
//! - `POST /ofrep/v1/evaluate/flags/{key}`: one flag (server-side providers);
//! - `POST /ofrep/v1/evaluate/flags`: every known flag (client-side providers
//!   such as `@openfeature/ofrep-web-provider`, which poll it), with an `ETag`;
//!   a request whose `If-None-Match` names the current one gets 304 and no body.
//!
//! Both take `{"context": {"targetingKey": "<user key>", ...}}` and evaluate
//! through the flag store, so the rules, the value, the variant and the
//! metrics are those of `GET /v1/flags/{key}`. Other context attributes are
//! accepted and unused (the rules target user keys only).
//!
//! The protocol's rules kept here:
//! - reasons are the protocol's enum (`STATIC`, `TARGETING_MATCH`, `SPLIT`,
//!   `DISABLED`, `UNKNOWN`): a rollout of 100 %, which `GET /v1/flags` calls
//!   `DEFAULT`, is `STATIC` (the same value for everyone, no targeting);
//! - errors are `{key, errorCode, errorDetails}` (the bulk endpoint's without
//!   `key`): a body that is not JSON, or not an object, is 400 `PARSE_ERROR`; no
//!   `context` object, or a `targetingKey` that is not a string, 400
//!   `INVALID_CONTEXT`; no or an empty `targetingKey`, 400
//!   `TARGETING_KEY_MISSING`; an unknown flag, 404 `FLAG_NOT_FOUND`. What every
//!   route shares (a body too large or too slow, overload, rate limits) keeps
//!   the server's error envelope.
//! - the `ETag` is a digest of the answer itself, so it changes exactly when
//!   this user's answer does (a rule change that leaves it alone is still a
//!   304), whatever store the rules come from.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use sha1::{Digest, Sha1};

use crate::error::AppError;
use crate::extract::{Path, Text};
use crate::flag_rules::Evaluation;
use crate::state::AppState;

/// `POST /ofrep/v1/evaluate/flags/{key}`: one flag for the context's user.
pub async fn evaluate_flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    body: Result<Text, AppError>,
) -> Response {
    let user_key = match targeting_key(body) {
        Ok(user_key) => user_key,
        Err(Refused::Shared(error)) => return error.into_response(),
        Err(Refused::Protocol(code, details)) => return Failure { key: Some(key), code, details }.into_response(),
    };
    let evaluation = state.evaluate_flag(&key, &user_key);
    if !evaluation.flag_is_known() {
        let details = format!("Flag '{key}' was not found");
        return Failure { key: Some(key), code: ErrorCode::FlagNotFound, details }.into_response();
    }
    Json(Success::from(&evaluation)).into_response()
}

/// `POST /ofrep/v1/evaluate/flags`: every known flag for the context's user,
/// or 304 when `If-None-Match` names this answer's `ETag`.
pub async fn evaluate_flags(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Text, AppError>,
) -> Response {
    let user_key = match targeting_key(body) {
        Ok(user_key) => user_key,
        Err(Refused::Shared(error)) => return error.into_response(),
        Err(Refused::Protocol(code, details)) => return Failure { key: None, code, details }.into_response(),
    };
    let evaluations = state.evaluate_all_flags(&user_key);
    let bulk = Bulk { flags: evaluations.iter().map(Success::from).collect() };
    // Strings and booleans only, which serde_json always serializes.
    let body = serde_json::to_string(&bulk).unwrap_or_default();
    let etag = etag_of(&body);
    if none_match_names(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (StatusCode::OK, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (header::ETAG, etag)], body)
        .into_response()
}

/// A successful evaluation (`evaluationSuccess`, a boolean flag).
#[derive(Debug, Serialize)]
struct Success<'a> {
    key: &'a str,
    value: bool,
    reason: &'static str,
    variant: &'static str,
}

impl<'a> From<&'a Evaluation> for Success<'a> {
    fn from(evaluation: &'a Evaluation) -> Self {
        Success {
            key: &evaluation.key,
            value: evaluation.value,
            reason: reason(evaluation.reason),
            variant: evaluation.variant,
        }
    }
}

/// The protocol's reason for one of the flag rules' reasons.
fn reason(rules_reason: &str) -> &'static str {
    match rules_reason {
        "DEFAULT" => "STATIC",
        "TARGETING_MATCH" => "TARGETING_MATCH",
        "SPLIT" => "SPLIT",
        "DISABLED" => "DISABLED",
        _ => "UNKNOWN",
    }
}

/// The bulk answer (`bulkEvaluationSuccess`).
#[derive(Debug, Serialize)]
struct Bulk<'a> {
    flags: Vec<Success<'a>>,
}

/// The protocol's error codes this server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The body is not a JSON object.
    ParseError,
    /// No `context` object, or a `targetingKey` that is not a string.
    InvalidContext,
    /// The context names no user.
    TargetingKeyMissing,
    /// No flag has this key.
    FlagNotFound,
}

impl ErrorCode {
    fn status(self) -> StatusCode {
        match self {
            ErrorCode::FlagNotFound => StatusCode::NOT_FOUND,
            ErrorCode::ParseError | ErrorCode::InvalidContext | ErrorCode::TargetingKeyMissing => {
                StatusCode::BAD_REQUEST
            }
        }
    }
}

/// A failed evaluation (`evaluationFailure`, `flagNotFound`, or without a
/// key `bulkEvaluationFailure`).
#[derive(Debug, Serialize)]
struct Failure {
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(rename = "errorCode")]
    code: ErrorCode,
    #[serde(rename = "errorDetails")]
    details: String,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.code.status(), Json(self)).into_response()
    }
}

/// Why a request was not evaluated.
#[derive(Debug)]
enum Refused {
    /// The protocol's error, answered in its shape.
    Protocol(ErrorCode, String),
    /// A limit every route shares, answered in the server's envelope.
    Shared(AppError),
}

/// The user key of a request body `{"context": {"targetingKey": …}}`.
fn targeting_key(body: Result<Text, AppError>) -> Result<String, Refused> {
    let text = match body {
        Ok(Text(text)) => text,
        // Not UTF-8: the body cannot be parsed.
        Err(AppError::Status { status: StatusCode::BAD_REQUEST, message, .. }) => {
            return Err(Refused::Protocol(ErrorCode::ParseError, message))
        }
        Err(other) => return Err(Refused::Shared(other)),
    };
    let protocol = |code, details: &str| Err(Refused::Protocol(code, details.to_owned()));
    let request: Value = match serde_json::from_str(&text) {
        Ok(request) => request,
        Err(error) => return Err(Refused::Protocol(ErrorCode::ParseError, format!("The body is not JSON: {error}"))),
    };
    let Some(request) = request.as_object() else {
        return protocol(ErrorCode::ParseError, r#"The body must be an object: {"context": {"targetingKey": "…"}}"#);
    };
    let Some(context) = request.get("context").and_then(Value::as_object) else {
        return protocol(ErrorCode::InvalidContext, "The request has no context object");
    };
    match context.get("targetingKey") {
        None | Some(Value::Null) => protocol(ErrorCode::TargetingKeyMissing, "The context has no targetingKey"),
        Some(Value::String(key)) if key.is_empty() => {
            protocol(ErrorCode::TargetingKeyMissing, "The context's targetingKey is empty")
        }
        Some(Value::String(key)) => Ok(key.clone()),
        Some(_) => protocol(ErrorCode::InvalidContext, "The context's targetingKey must be a string"),
    }
}

/// A strong entity tag of an answer: its SHA-1, quoted.
fn etag_of(body: &str) -> HeaderValue {
    let digest = Sha1::digest(body.as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    // Hex digits and quotes are always a valid header value.
    HeaderValue::from_str(&format!("\"{hex}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// Whether `If-None-Match` names `etag` or is `*` (RFC 9110 §13.1.2: a
/// list of tags, compared weakly, so a `W/` prefix a proxy added still
/// matches).
fn none_match_names(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let etag = etag.as_bytes();
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|value| value.to_str().ok()).any(|list| {
        list.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == etag)
    })
}
