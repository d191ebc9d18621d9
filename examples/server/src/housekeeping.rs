//! The server's periodic work: the flags file re-read when it changes, and
//! the telemetry rate limiter forgetting clients it has not seen lately (so
//! its memory stays bounded).

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// How often the flags file is checked for changes (a rollback through the
/// file takes effect within this, well under a second).
pub const FLAGS_POLL: Duration = Duration::from_millis(250);

/// Runs until the process ends.
pub async fn run(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(FLAGS_POLL);
    loop {
        tick.tick().await;
        if let Some(limiter) = &state.telemetry_limiter {
            limiter.retain_recent();
        }
        match state.flags.reload_if_changed() {
            Ok(true) => tracing::info!("flags file reloaded"),
            Ok(false) => {}
            Err(message) => tracing::warn!(%message, "flags file not reloaded; the previous rules stay in force"),
        }
    }
}
