//! The admin routes, present only when `TIME_CRUNCH_ADMIN_TOKEN` is set and
//! answered only with `Authorization: Bearer <token>`:
//!
//! - `GET /v1/admin/flags/{key}`: the rule in force, so a tool that changes
//!   a flag (examples/verify) can put it back as it was;
//! - `PUT /v1/admin/flags/{key}` with one rule as the body: in force for the
//!   next request;
//! - `GET /v1/admin/telemetry?since=SEQ`: stored events as JSON lines
//!   `{"seq": N, "event": {...}}`, oldest first, at most [`EXPORT_LIMIT`].

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::AppError;
use crate::extract::{Expected, Json, Path, Query};
use crate::flag_rules::FlagRule;
use crate::state::AppState;

/// Most events one export returns; page with `since`.
pub const EXPORT_LIMIT: usize = 10_000;

impl Expected for FlagRule {
    const WHAT: &'static str = "a flag rule";
}

/// `GET /v1/admin/flags/{key}`.
pub async fn get_flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<axum::Json<Value>, AppError> {
    require_admin(&state, &headers)?;
    let rule = state.flags.rule(&key).ok_or_else(|| {
        AppError::status(StatusCode::NOT_FOUND, "unknown_flag", format!("No flag {key} is configured."))
    })?;
    Ok(axum::Json(json!({ "key": key, "rule": rule })))
}

/// `PUT /v1/admin/flags/{key}`.
pub async fn put_flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Result<Json<FlagRule>, AppError>,
) -> Result<axum::Json<Value>, AppError> {
    require_admin(&state, &headers)?;
    let Json(rule) = body?;
    rule.check().map_err(|message| AppError::status(StatusCode::UNPROCESSABLE_ENTITY, "invalid_flag", message))?;
    tracing::info!(%key, enabled = rule.enabled, rollout_percent = rule.rollout_percent, "flag changed through the admin API");
    state.flags.set(&key, rule.clone());
    Ok(axum::Json(json!({ "key": key, "rule": rule })))
}

#[derive(Debug, Deserialize)]
pub struct SinceQuery {
    since: Option<i64>,
}

/// `GET /v1/admin/telemetry?since=SEQ`.
pub async fn export_telemetry(
    State(state): State<Arc<AppState>>,
    Query(query): Query<SinceQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    require_admin(&state, &headers)?;
    let store = state.telemetry.clone();
    let since = query.since.unwrap_or(0);
    let rows = tokio::task::spawn_blocking(move || store.since(since, EXPORT_LIMIT))
        .await
        .map_err(|e| AppError::Unavailable(format!("telemetry reader stopped: {e}")))?
        .map_err(|e| AppError::Unavailable(format!("telemetry not readable: {e}")))?;
    let mut lines = String::new();
    for (seq, body) in rows {
        lines.push_str(&format!("{{\"seq\":{seq},\"event\":{body}}}\n"));
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], lines).into_response())
}

/// Admin routes need `Authorization: Bearer <TIME_CRUNCH_ADMIN_TOKEN>`.
fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let presented =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if presented.is_some() && presented == state.admin_token.as_deref() {
        Ok(())
    } else {
        Err(AppError::status(StatusCode::UNAUTHORIZED, "unauthorized", "A valid admin bearer token is required."))
    }
}
