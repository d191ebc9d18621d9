//! `GET /healthz` (the process answers) and `GET /readyz` (it can also
//! store telemetry: the database takes a write and reads it back, and is
//! the file it opened; a full disk leaves it ready, see [`StoreError`]).

use std::sync::Arc;

use axum::extract::State;

use crate::error::AppError;
use crate::state::AppState;
use crate::store_error::StoreError;

/// Alive.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the telemetry database can store and read.
pub async fn readyz(State(state): State<Arc<AppState>>) -> Result<&'static str, AppError> {
    let store = state.telemetry.clone();
    let probe = tokio::task::spawn_blocking(move || store.probe())
        .await
        .map_err(|e| AppError::Unavailable(format!("readiness check stopped: {e}")))?;
    match probe {
        Ok(()) => Ok("ready"),
        Err(StoreError::Full(detail)) => {
            tracing::warn!(%detail, "ready, but telemetry has no room to be stored");
            Ok("ready")
        }
        Err(StoreError::Broken(detail)) => Err(AppError::Unavailable(format!("not ready: {detail}"))),
    }
}
