//! `POST /v1/time-crunch/preview`: the preview the browser module computes,
//! byte for byte; 404 `feature_not_available` when the flag is off for the
//! caller (checked before the body is read).

use std::sync::Arc;

use axum::extract::{FromRequest, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use time_crunch::api::FLAG_KEY;
use time_crunch::wire::json;

use crate::error::AppError;
use crate::extract::{Text, UserKey};
use crate::state::AppState;

/// Answers one preview request with the engine's JSON.
pub async fn preview(
    State(state): State<Arc<AppState>>,
    UserKey(user_key): UserKey,
    request: Request,
) -> Result<Response, AppError> {
    if !state.evaluate_flag(FLAG_KEY, &user_key).value {
        return Err(AppError::feature_not_available());
    }
    let Text(text) = Text::from_request(request, &state).await?;
    let start = std::time::Instant::now();
    let result = json::request_from_json(&text).and_then(|request| time_crunch::preview(&request));
    let seconds = start.elapsed().as_secs_f64();
    let preview = result.map_err(|error| {
        state.metrics.preview_failures.with_label_values(&["server", error.code.as_str()]).inc();
        AppError::Engine(error)
    })?;
    state.metrics.server_preview(&preview, seconds);
    Ok(([(header::CONTENT_TYPE, "application/json")], json::to_json(&preview)).into_response())
}
