//! Bounds on stored telemetry: events older than the retention period and,
//! beyond the size cap, the oldest events are pruned, and below a floor of
//! free disk space nothing more is written.
//!
//! Size is the database's live pages, `(page_count - freelist_count) *
//! page_size`: SQLite does not shrink its file on DELETE, it reuses the
//! freed pages, so keeping the live pages under the cap keeps the file at
//! about the cap too (a VACUUM would need as much space again, and
//! auto_vacuum moves pages on every commit).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;

use crate::state::AppState;
use crate::store_error::StoreError;

/// How often the retention period and the cap are enforced (the cap is also
/// enforced on insert, so a burst cannot pass it in between).
pub const PRUNE_INTERVAL: Duration = Duration::from_secs(60);
/// Pruning for size goes this far under the cap (a twentieth), so it runs
/// once per so much growth rather than on every insert.
const SIZE_HEADROOM_DIVISOR: u64 = 20;
/// Most events one DELETE removes (keeps each statement short).
const PRUNE_CHUNK: i64 = 20_000;

/// The bounds of [`crate::config::Config`] the store enforces.
#[derive(Debug, Clone, Copy)]
pub struct StoreLimits {
    /// Events received longer ago than this are pruned; 0: no age limit.
    pub retention_days: u32,
    /// Live database bytes beyond which the oldest events are pruned.
    pub max_bytes: u64,
    /// Free bytes below which nothing is written; 0: no floor.
    pub min_free_bytes: u64,
}

/// Events pruned in one pass, by reason.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    /// Older than the retention period.
    pub age: u64,
    /// Beyond the size cap.
    pub size: u64,
}

/// Bytes in use by the database (its live pages).
pub fn live_bytes(connection: &Connection) -> rusqlite::Result<u64> {
    let pragma = |name: &str| connection.query_row(&format!("PRAGMA {name}"), [], |row| row.get::<_, i64>(0));
    let live = pragma("page_count")? - pragma("freelist_count")?;
    Ok(live.max(0) as u64 * pragma("page_size")?.max(0) as u64)
}

/// Free bytes for an unprivileged writer on the filesystem holding `dir`.
/// rustix (already under tokio's dependencies) calls statvfs(2) without
/// unsafe code.
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let stats = rustix::fs::statvfs(dir)?;
    Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
}

/// Refuses to write below the free-space floor.
pub fn check_free_space(dir: &Path, limits: &StoreLimits) -> Result<(), StoreError> {
    if limits.min_free_bytes == 0 {
        return Ok(());
    }
    match free_bytes(dir) {
        Ok(free) if free < limits.min_free_bytes => Err(StoreError::Full(format!(
            "{free} bytes free in {}, below the floor of {} (--telemetry-min-free-bytes)",
            dir.display(),
            limits.min_free_bytes
        ))),
        Ok(_) => Ok(()),
        Err(e) => Err(StoreError::Full(format!("cannot tell the free space in {}: {e}", dir.display()))),
    }
}

/// Deletes events received before `now_ms` minus the retention period,
/// oldest first (within a transaction the caller holds or not).
pub fn prune_by_age(connection: &Connection, limits: &StoreLimits, now_ms: i64) -> rusqlite::Result<u64> {
    if limits.retention_days == 0 {
        return Ok(0);
    }
    let cutoff = now_ms - i64::from(limits.retention_days) * 24 * 3600 * 1000;
    let mut statement = connection.prepare_cached(
        "DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?1) AND received_at < ?2",
    )?;
    let mut pruned = 0;
    loop {
        let deleted = statement.execute(rusqlite::params![PRUNE_CHUNK, cutoff])? as u64;
        pruned += deleted;
        if deleted == 0 {
            return Ok(pruned);
        }
    }
}

/// Deletes the oldest events until the live bytes are a twentieth under
/// the cap, when they are over it.
pub fn prune_by_size(connection: &Connection, limits: &StoreLimits) -> rusqlite::Result<u64> {
    let mut live = live_bytes(connection)?;
    if live <= limits.max_bytes {
        return Ok(0);
    }
    let target = limits.max_bytes - limits.max_bytes / SIZE_HEADROOM_DIVISOR;
    let mut statement =
        connection.prepare_cached("DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?1)")?;
    let mut pruned = 0;
    while live > target {
        // As many of the oldest events as the excess is of the live bytes.
        let rows: i64 =
            connection.query_row("SELECT coalesce(max(seq) - min(seq) + 1, 0) FROM events", [], |r| r.get(0))?;
        let share = (rows as f64 * (live - target) as f64 / live as f64).ceil() as i64;
        let deleted = statement.execute([share.clamp(1, PRUNE_CHUNK)])? as u64;
        if deleted == 0 {
            break; // nothing left to prune: the rest is the schema
        }
        pruned += deleted;
        live = live_bytes(connection)?;
    }
    Ok(pruned)
}

/// Enforces the retention period and the cap every [`PRUNE_INTERVAL`],
/// from the start, and records the highest `seq` for the identity check.
pub async fn run(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(PRUNE_INTERVAL);
    loop {
        tick.tick().await;
        match state.telemetry.maintain(crate::telemetry::now_ms()).await {
            Ok(pruned) => state.metrics.pruned(pruned),
            Err(error) => tracing::warn!(%error, "telemetry not pruned; tried again later"),
        }
    }
}

#[cfg(test)]
impl StoreLimits {
    /// The configuration's defaults.
    pub fn default_for_tests() -> Self {
        use crate::config::*;
        StoreLimits {
            retention_days: DEFAULT_TELEMETRY_RETENTION_DAYS,
            max_bytes: DEFAULT_TELEMETRY_MAX_BYTES,
            min_free_bytes: DEFAULT_TELEMETRY_MIN_FREE_BYTES,
        }
    }
}
