//! `GET /v1/flags/{key}?userKey=K`: a flag's value for a user, in the
//! OpenFeature remote-evaluation shape.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;

use crate::extract::{Path, UserKey};
use crate::flag_rules::Evaluation;
use crate::state::AppState;

/// Evaluates the flag `key` for the caller.
pub async fn flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    UserKey(user_key): UserKey,
) -> Json<Evaluation> {
    Json(state.evaluate_flag(&key, &user_key))
}
