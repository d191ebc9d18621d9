//! The admin routes, present only when `TIME_CRUNCH_ADMIN_TOKEN` is set and
//! answered only with `Authorization: Bearer <token>` ([`crate::admin_auth`]):
//!
//! - `GET /v1/admin/flags/{key}`: `{key, rule, source}`, the rule in force
//!   and where it comes from (`admin`, `file` or `default`), so a tool that
//!   changes a flag (examples/verify) can put it back as it was;
//! - `PUT /v1/admin/flags/{key}` with one rule as the body: saved in the data
//!   directory (or the shared database), then in force from the next request
//!   on (on other instances within a second), over the flags file and
//!   across restarts, until cleared;
//! - `DELETE /v1/admin/flags/{key}`: clears the override; the flags file's
//!   rule (or the default) is in force again. Answers `{key, cleared, rule,
//!   source}` (`rule` and `source` null when the flag is now unknown);
//! - `GET /v1/admin/telemetry?since=SEQ`: stored events as JSON lines
//!   `{"seq": N, "event": {...}}`, oldest first, at most [`EXPORT_LIMIT`]
//!   (with a shared database, every instance's events).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::admin_auth::Admin;
use crate::error::AppError;
use crate::extract::{Expected, Json, Path, Query};
use crate::flag_overrides::SaveError;
use crate::flag_rules::FlagRule;
use crate::flags_file::MAX_FLAGS_FILE_BYTES;
use crate::state::AppState;

/// Most events one export returns; page with `since`.
pub const EXPORT_LIMIT: usize = 10_000;

impl Expected for FlagRule {
    const WHAT: &'static str = "a flag rule";
}

/// `GET /v1/admin/flags/{key}`.
pub async fn get_flag(
    State(state): State<Arc<AppState>>,
    _: Admin,
    Path(key): Path<String>,
) -> Result<axum::Json<Value>, AppError> {
    let (rule, source) = state.flags.rule(&key).ok_or_else(|| {
        AppError::status(StatusCode::NOT_FOUND, "unknown_flag", format!("No flag {key} is configured."))
    })?;
    Ok(axum::Json(json!({ "key": key, "rule": rule, "source": source })))
}

/// `PUT /v1/admin/flags/{key}`.
pub async fn put_flag(
    State(state): State<Arc<AppState>>,
    _: Admin,
    Path(key): Path<String>,
    body: Result<Json<FlagRule>, AppError>,
) -> Result<axum::Json<Value>, AppError> {
    let Json(rule) = body?;
    rule.check().map_err(|message| AppError::status(StatusCode::UNPROCESSABLE_ENTITY, "invalid_flag", message))?;
    let (store, saved_key, saved_rule) = (state.clone(), key.clone(), rule.clone());
    blocking(move || store.flags.set_override(&saved_key, saved_rule)).await?;
    tracing::info!(%key, enabled = rule.enabled, rollout_percent = rule.rollout_percent, "flag changed through the admin API");
    let source = state.flags.rule(&key).map(|(_, source)| source);
    Ok(axum::Json(json!({ "key": key, "rule": rule, "source": source })))
}

/// `DELETE /v1/admin/flags/{key}`.
pub async fn delete_flag(
    State(state): State<Arc<AppState>>,
    _: Admin,
    Path(key): Path<String>,
) -> Result<axum::Json<Value>, AppError> {
    let (store, cleared_key) = (state.clone(), key.clone());
    let cleared = blocking(move || store.flags.clear_override(&cleared_key)).await?;
    if cleared {
        tracing::info!(%key, "flag override cleared through the admin API");
    }
    let (rule, source) = state.flags.rule(&key).unzip();
    Ok(axum::Json(json!({ "key": key, "cleared": cleared, "rule": rule, "source": source })))
}

/// Saves overrides on a blocking thread (the file is flushed to disk).
async fn blocking<T: Send + 'static>(
    save: impl FnOnce() -> Result<T, SaveError> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::task::spawn_blocking(save).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(SaveError::TooLarge)) => Err(AppError::status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_flag",
            format!(
                "The admin overrides would take more than {MAX_FLAGS_FILE_BYTES} bytes; clear some with DELETE first."
            ),
        )),
        Ok(Err(SaveError::Io(detail))) => Err(AppError::Unavailable(format!("flag override not saved: {detail}"))),
        Err(e) => Err(AppError::Unavailable(format!("flag override writer stopped: {e}"))),
    }
}

#[derive(Debug, Deserialize)]
pub struct SinceQuery {
    since: Option<i64>,
}

/// `GET /v1/admin/telemetry?since=SEQ`.
pub async fn export_telemetry(
    State(state): State<Arc<AppState>>,
    _: Admin,
    Query(query): Query<SinceQuery>,
) -> Result<Response, AppError> {
    let since = query.since.unwrap_or(0);
    let rows = state
        .telemetry
        .since(since, EXPORT_LIMIT)
        .await
        .map_err(|e| AppError::Unavailable(format!("telemetry not readable: {e}")))?;
    let mut lines = String::new();
    for (seq, body) in rows {
        lines.push_str(&format!("{{\"seq\":{seq},\"event\":{body}}}\n"));
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], lines).into_response())
}
