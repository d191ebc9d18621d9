//! `GET /healthz` (the process answers) and `GET /readyz` (it can also
//! store telemetry: the database answers).

use std::sync::Arc;

use axum::extract::State;

use crate::error::AppError;
use crate::state::AppState;

/// Alive.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the telemetry database answers.
pub async fn readyz(State(state): State<Arc<AppState>>) -> Result<&'static str, AppError> {
    let store = state.telemetry.clone();
    tokio::task::spawn_blocking(move || store.ping())
        .await
        .map_err(|e| AppError::Unavailable(format!("readiness check stopped: {e}")))?
        .map_err(|e| AppError::Unavailable(format!("telemetry database not answering: {e}")))?;
    Ok("ready")
}
