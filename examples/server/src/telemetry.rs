//! Durable telemetry ingestion (SPEC §9): events are validated one by one,
//! written to SQLite (WAL) in one transaction, and only then acknowledged.
//! A retried event (same `id`) is stored and counted once.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection};
use serde_json::Value;
use time_crunch::telemetry::{TelemetryEvent, TelemetryEventType};

/// Most events in one batch.
pub const MAX_BATCH_EVENTS: usize = 500;
/// Longest string accepted in an event, characters.
pub const MAX_EVENT_STRING_CHARS: usize = 200;
/// How far in the past an event may be stamped (a client that was offline).
pub const MAX_AGE_MS: i64 = 7 * 24 * 3600 * 1000;
/// How far in the future an event may be stamped (client clock skew).
pub const MAX_SKEW_MS: i64 = 5 * 60 * 1000;

/// Why an event was refused (the `reason` of a rejection).
pub fn check_event(value: Value, now_ms: i64) -> Result<TelemetryEvent, String> {
    let event: TelemetryEvent = serde_json::from_value(value).map_err(|e| format!("invalid event: {e}"))?;
    let strings = [
        Some(&event.id),
        Some(&event.session_id),
        event.user_key.as_ref(),
        event.fallback_reason.as_ref(),
        event.error_code.as_ref(),
    ];
    if event.id.is_empty() || event.session_id.is_empty() {
        return Err("id and sessionId must not be empty".into());
    }
    if strings.iter().flatten().any(|s| s.chars().count() > MAX_EVENT_STRING_CHARS) {
        return Err("a string is longer than 200 characters".into());
    }
    if event.at < now_ms - MAX_AGE_MS || event.at > now_ms + MAX_SKEW_MS {
        return Err("at is too far from the server's clock".into());
    }
    if event.target_minutes.is_some_and(|t| !(15..=180).contains(&t)) {
        return Err("targetMinutes must be from 15 to 180".into());
    }
    if event.generation_ms.is_some_and(|ms| !(ms.is_finite() && (0.0..=60_000.0).contains(&ms))) {
        return Err("generationMs must be from 0 to 60000".into());
    }
    let complete = match event.kind {
        TelemetryEventType::PreviewGenerated => {
            event.strategy.is_some() && event.target_minutes.is_some() && event.fits.is_some()
        }
        TelemetryEventType::PreviewFailed => event.error_code.is_some(),
        TelemetryEventType::FlagEvaluated => event.flag_value.is_some(),
        TelemetryEventType::ModalOpened | TelemetryEventType::PreviewApplied => true,
    };
    if !complete {
        return Err("fields required by this event type are missing".into());
    }
    Ok(event)
}

/// One row per accepted event; `seq` orders exports, `id` deduplicates.
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL
);";

/// The SQLite store of accepted events.
pub struct TelemetryStore {
    connection: Mutex<Connection>,
}

impl std::fmt::Debug for TelemetryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TelemetryStore")
    }
}

impl TelemetryStore {
    /// Opens (creating if needed) `telemetry.sqlite3` in `dir`.
    pub fn open(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create data dir {}: {e}", dir.display()))?;
        let path = dir.join("telemetry.sqlite3");
        let connection = Connection::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        // WAL with synchronous=NORMAL: a committed transaction survives the
        // process being killed (not a power cut), at a fraction of the
        // fsyncs of FULL.
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
            .and_then(|()| connection.execute_batch(SCHEMA))
            .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
        Ok(TelemetryStore { connection: Mutex::new(connection) })
    }

    /// A store that lives in memory only, for tests that do not exercise
    /// durability.
    #[cfg(test)]
    pub fn in_memory() -> Self {
        let connection = Connection::open_in_memory().expect("in-memory SQLite");
        connection.execute_batch(SCHEMA).expect("schema");
        TelemetryStore { connection: Mutex::new(connection) }
    }

    /// Makes every later write fail, as a full or read-only disk would.
    #[cfg(test)]
    pub fn break_for_tests(&self) {
        let connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        connection.execute_batch("PRAGMA query_only = ON;").expect("pragma");
    }

    /// Stores events in one transaction; returns those that were new (a
    /// retried id is acknowledged again but not stored or counted twice).
    pub fn insert(&self, events: &[TelemetryEvent], now_ms: i64) -> Result<Vec<bool>, rusqlite::Error> {
        let mut connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let transaction = connection.transaction()?;
        let mut fresh = Vec::with_capacity(events.len());
        {
            let mut statement = transaction
                .prepare_cached("INSERT OR IGNORE INTO events (id, body, received_at) VALUES (?1, ?2, ?3)")?;
            for event in events {
                let body = serde_json::to_string(event).unwrap_or_default();
                fresh.push(statement.execute(params![event.id, body, now_ms])? == 1);
            }
        }
        transaction.commit()?;
        Ok(fresh)
    }

    /// Whether the database answers (readiness).
    pub fn ping(&self) -> Result<(), rusqlite::Error> {
        let connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        connection.query_row("SELECT count(*) FROM events WHERE seq < 0", [], |_| Ok(()))
    }

    /// Stored events after sequence number `since`, oldest first, at most
    /// `limit`: `(seq, event JSON)`.
    pub fn since(&self, since: i64, limit: usize) -> Result<Vec<(i64, String)>, rusqlite::Error> {
        let connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut statement =
            connection.prepare_cached("SELECT seq, body FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = statement.query_map(params![since, limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect()
    }
}
