//! Durable telemetry storage (SPEC §9): accepted events are written to
//! SQLite (WAL) in one transaction, and only then acknowledged. A retried
//! event (same `id`) is stored and counted once.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection};
use time_crunch::telemetry::TelemetryEvent;

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
