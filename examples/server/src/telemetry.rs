//! `POST /v1/telemetry`: a batch of the browser module's events, validated
//! one by one with the engine's own checks, stored durably, then answered
//! 202 `{accepted, rejected: [{index, reason}]}`. A batch that is not one
//! (wrong shape, 0 or too many events) is refused whole.

use std::sync::Arc;

use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};
use time_crunch::telemetry::{check_batch_len, read_event};

use crate::client_slots::{client_ip, client_key};
use crate::error::AppError;
use crate::extract::{Expected, Json};
use crate::state::AppState;

/// The batch with its events still unread, so each is judged on its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBatch {
    events: Vec<Value>,
}

impl Expected for RawBatch {
    const WHAT: &'static str = "a telemetry batch";
}

/// Stores the valid events of a batch (the rate limit is checked before the
/// body is read).
pub async fn ingest(
    State(state): State<Arc<AppState>>,
    request: Request,
) -> Result<(StatusCode, axum::Json<Value>), AppError> {
    if let Some(limiter) = &state.telemetry_limiter {
        if limiter.check_key(&client_key(client_ip(&request))).is_err() {
            state.metrics.telemetry_events.with_label_values(&["rate_limited"]).inc();
            return Err(AppError::status(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many telemetry batches from this client; send fewer, larger batches.",
            ));
        }
    }
    let Json(batch) = Json::<RawBatch>::from_request(request, &state).await?;
    check_batch_len(batch.events.len()).map_err(AppError::invalid_request)?;
    let now = now_ms();
    let (mut valid, mut rejected) = (Vec::new(), Vec::new());
    for (index, value) in batch.events.into_iter().enumerate() {
        match read_event(value, now) {
            Ok(event) => valid.push(event),
            Err(reason) => rejected.push(json!({ "index": index, "reason": reason })),
        }
    }
    let accepted = valid.len();
    let store = state.telemetry.clone();
    let (valid, fresh) = tokio::task::spawn_blocking(move || store.insert(&valid, now).map(|fresh| (valid, fresh)))
        .await
        .map_err(|e| AppError::Unavailable(format!("telemetry writer stopped: {e}")))?
        .map_err(|e| AppError::Unavailable(format!("telemetry not stored: {e}")))?;
    // Counted only once stored, and a retried event only once.
    let metrics = &state.metrics;
    for (event, is_new) in valid.iter().zip(fresh) {
        if is_new {
            metrics.telemetry_events.with_label_values(&["accepted"]).inc();
            metrics.client_event(event);
        } else {
            metrics.telemetry_events.with_label_values(&["duplicate"]).inc();
        }
    }
    metrics.telemetry_events.with_label_values(&["rejected"]).inc_by(rejected.len() as u64);
    Ok((StatusCode::ACCEPTED, axum::Json(json!({ "accepted": accepted, "rejected": rejected }))))
}

/// The server's clock, milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
