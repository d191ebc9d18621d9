//! `POST /v1/telemetry`: a batch of the browser module's events, validated
//! one by one with the engine's own checks, stored durably, then answered
//! 202 `{accepted, rejected: [{index, reason}]}`. A batch that is not one
//! (wrong shape, 0 or too many events) is refused whole. An event whose id
//! is already stored with other content is rejected, reason `duplicate_id`.

use std::sync::Arc;

use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use time_crunch::telemetry::{check_batch_len, read_event};

use crate::client_slots::{client_ip, client_key};
use crate::error::AppError;
use crate::extract::{Expected, Json};
use crate::state::AppState;
use crate::store_error::StoreError;
use crate::telemetry_store::Outcome;

/// The reason given for an event whose id is stored with other content.
pub const DUPLICATE_ID: &str = "duplicate_id: an event with this id is already stored with other content";

/// The batch with its events still unread text, so each is judged on its
/// own (and a key given twice in one is seen).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBatch {
    events: Vec<Box<RawValue>>,
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
        if limiter.check_key(&client_key(client_ip(request.extensions()))).is_err() {
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
    let (mut valid, mut indices, mut rejected) = (Vec::new(), Vec::new(), Vec::new());
    for (index, raw) in batch.events.iter().enumerate() {
        match read_event(raw.get(), now) {
            Ok(event) => {
                valid.push(event);
                indices.push(index);
            }
            Err(reason) => rejected.push((index, reason)),
        }
    }
    // Shared with the writer, not copied: the metrics read them afterwards.
    let valid: Arc<[_]> = valid.into();
    let (outcomes, pruned) = state.telemetry.insert(valid.clone(), now).await.map_err(|e| match e {
        StoreError::Full(_) => AppError::Unavailable(format!("telemetry not stored: {e}")),
        StoreError::Broken(_) => AppError::Unavailable(format!("telemetry not stored, the database is unusable: {e}")),
        StoreError::Unreachable(_) => {
            AppError::Unavailable(format!("telemetry not stored, the database does not answer: {e}"))
        }
    })?;
    // Counted only once stored, and a retried event only once.
    let metrics = &state.metrics;
    metrics.pruned(pruned);
    let mut accepted = 0;
    for ((event, index), outcome) in valid.iter().zip(indices).zip(outcomes) {
        match outcome {
            Outcome::New => {
                metrics.telemetry_events.with_label_values(&["accepted"]).inc();
                metrics.client_event(event);
            }
            Outcome::Retry => metrics.telemetry_events.with_label_values(&["duplicate"]).inc(),
            Outcome::Conflict => rejected.push((index, DUPLICATE_ID.to_owned())),
        }
        accepted += usize::from(outcome != Outcome::Conflict);
    }
    metrics.telemetry_events.with_label_values(&["rejected"]).inc_by(rejected.len() as u64);
    rejected.sort_by_key(|(index, _)| *index);
    let rejected: Vec<Value> =
        rejected.into_iter().map(|(index, reason)| json!({ "index": index, "reason": reason })).collect();
    Ok((StatusCode::ACCEPTED, axum::Json(json!({ "accepted": accepted, "rejected": rejected }))))
}

/// The server's clock, milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
