//! The server's periodic work: the flags file re-read when it changes, the
//! shared database's flag overrides reloaded when their version moves, and
//! the rate limiters (telemetry, failed admin attempts) forgetting clients
//! they have not seen lately (so their memory stays bounded).

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// How often the flags file and the shared overrides' version are checked
/// for changes (a rollback through the file, or through another instance,
/// takes effect within this, well under a second).
pub const FLAGS_POLL: Duration = Duration::from_millis(250);

/// How often the limiters forget idle clients: each pass walks every key,
/// and a client's allowance refills over seconds, so a flag-file pace
/// would only repeat the work.
pub const LIMITER_PRUNE: Duration = Duration::from_secs(5);

/// Runs until the process ends.
pub async fn run(state: Arc<AppState>) {
    tokio::join!(watch_flags_file(state.clone()), watch_shared_overrides(state.clone()), prune_limiters(state));
}

/// Reads happen on a blocking thread: a slow or stuck file system delays
/// the next check, never a request.
async fn watch_flags_file(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(FLAGS_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let store = state.clone();
        match tokio::task::spawn_blocking(move || store.flags.reload_if_changed()).await {
            Ok(Ok(true)) => tracing::info!("flags file reloaded"),
            Ok(Ok(false)) => {}
            // `reason`, not `message`: the event's own text is its `message`.
            Ok(Err(reason)) => tracing::warn!(%reason, "flags file not reloaded; the previous rules stay in force"),
            Err(error) => tracing::error!(%error, "the flags file reader stopped"),
        }
    }
}

/// Like the file: a database that does not answer delays the next check,
/// never a request, and the rules in force stay. Said once per outage.
async fn watch_shared_overrides(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(FLAGS_POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tick.tick().await;
        let store = state.clone();
        match tokio::task::spawn_blocking(move || store.flags.sync_shared()).await {
            Ok(Ok(reloaded)) => {
                if reloaded {
                    tracing::info!("flag overrides reloaded from the database");
                }
                if std::mem::take(&mut failing) {
                    tracing::info!("flag overrides readable again");
                }
            }
            Ok(Err(reason)) if !failing => {
                failing = true;
                tracing::warn!(%reason, "flag overrides not reloaded; the rules in force stay until the database answers");
            }
            Ok(Err(_)) => {}
            Err(error) => tracing::error!(%error, "the flag overrides reader stopped"),
        }
    }
}

async fn prune_limiters(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(LIMITER_PRUNE);
    loop {
        tick.tick().await;
        if let Some(limiter) = &state.telemetry_limiter {
            limiter.retain_recent();
        }
        if let Some(admin) = &state.admin {
            admin.retain_recent();
        }
    }
}
