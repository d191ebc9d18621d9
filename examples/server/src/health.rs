//! `GET /healthz` (the process answers) and `GET /readyz` (it can also
//! store telemetry: the SQLite database takes a write and reads it back,
//! and is the file it opened, or the shared PostgreSQL database answers
//! with its schema migrated and the flag overrides read from it; a full
//! disk leaves it ready, see [`StoreError`]).

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
    let probe = state.telemetry.probe().await;
    if probe.is_ok() && !state.flags.overrides_loaded() {
        return Err(AppError::Unavailable("not ready: the flag overrides are not read from the database yet".into()));
    }
    match probe {
        Ok(()) => Ok("ready"),
        Err(StoreError::Full(detail)) => {
            tracing::warn!(%detail, "ready, but telemetry has no room to be stored");
            Ok("ready")
        }
        Err(StoreError::Broken(detail) | StoreError::Unreachable(detail)) => {
            Err(AppError::Unavailable(format!("not ready: {detail}")))
        }
    }
}
