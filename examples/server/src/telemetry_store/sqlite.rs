//! The embedded telemetry store (the default, one instance): accepted
//! events are written to SQLite (WAL, `synchronous=FULL`: each commit is on disk before it
//! returns) and only then acknowledged. Batches that arrive while one is
//! being committed are committed together, with one flush (group commit):
//! the flush, not the insert, is what costs. A retried event (same `id`,
//! same content) is stored and counted once; the same `id` with other
//! content is refused.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rusqlite::{params, Connection};
use time_crunch::telemetry::TelemetryEvent;

use super::Outcome;
use crate::store_error::StoreError;
use crate::store_identity::OpenedFile;
mod probe;

use crate::telemetry_retention::{check_free_space, prune_by_age, prune_by_size, Pruned, StoreLimits};

/// One row per accepted event; `seq` orders exports, `id` deduplicates;
/// `meta` holds the database's id; `probe` the readiness probe's row.
pub(crate) const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);";

/// A batch waiting for the next group commit.
struct Pending {
    events: Arc<[TelemetryEvent]>,
    now_ms: i64,
    reply: SyncSender<Result<(Vec<Outcome>, Pruned), StoreError>>,
}

/// The SQLite store of accepted events.
pub struct SqliteTelemetry {
    connection: Mutex<Connection>,
    queue: Mutex<Vec<Pending>>,
    limits: StoreLimits,
    /// The data directory and the database file (`None` in memory).
    files: Option<(PathBuf, OpenedFile)>,
    /// Set when the database is found damaged or gone; refused from then on.
    fault: Mutex<Option<String>>,
    last_probe: Mutex<Option<(Instant, Result<(), StoreError>)>>,
}

impl std::fmt::Debug for SqliteTelemetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteTelemetry")
    }
}

impl SqliteTelemetry {
    /// Opens (creating if needed) `telemetry.sqlite3` in `dir`, after
    /// checking it is whole and the one this directory had
    /// ([`crate::store_open`]).
    pub fn open(dir: &Path, limits: StoreLimits) -> Result<Self, String> {
        let (connection, opened) = crate::store_open::open(dir)?;
        let store = SqliteTelemetry::with(connection, limits, Some((dir.to_owned(), opened)));
        match store.probe_now() {
            // Lack of room passes (telemetry answers 503 until there is some).
            Err(StoreError::Full(detail)) => tracing::warn!(%detail, "no room to store telemetry at start"),
            Err(StoreError::Broken(detail) | StoreError::Unreachable(detail)) => {
                return Err(format!("cannot store telemetry in {}: {detail}", dir.display()))
            }
            Ok(()) => {}
        }
        Ok(store)
    }

    fn with(connection: Connection, limits: StoreLimits, files: Option<(PathBuf, OpenedFile)>) -> Self {
        let (queue, fault, last_probe) = Default::default();
        SqliteTelemetry { connection: Mutex::new(connection), queue, limits, files, fault, last_probe }
    }

    /// A store that lives in memory only, for tests that do not exercise
    /// durability.
    #[cfg(test)]
    pub fn in_memory() -> Self {
        let connection = Connection::open_in_memory().expect("in-memory SQLite");
        connection.execute_batch(SCHEMA).expect("schema");
        let limits = StoreLimits { retention_days: 0, max_bytes: u64::MAX, min_free_bytes: 0 };
        SqliteTelemetry::with(connection, limits, None)
    }

    /// Makes every later write fail, as a read-only disk would.
    #[cfg(test)]
    pub fn break_for_tests(&self) {
        let connection = self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        connection.execute_batch("PRAGMA query_only = ON;").expect("pragma");
    }

    /// Stores events in one transaction (shared with the batches that came
    /// meanwhile); returns what became of each, and what was pruned to
    /// stay under the cap.
    pub fn insert(&self, events: Arc<[TelemetryEvent]>, now_ms: i64) -> Result<(Vec<Outcome>, Pruned), StoreError> {
        let (reply, answer) = sync_channel(1);
        lock(&self.queue).push(Pending { events, now_ms, reply });
        let mut connection = lock(&self.connection);
        // A leader that held the connection before may have committed ours.
        if let Ok(result) = answer.try_recv() {
            return result;
        }
        let group = std::mem::take(&mut *lock(&self.queue));
        let result = self.commit(&mut connection, &group);
        for (n, pending) in group.into_iter().enumerate() {
            let answer = match &result {
                Ok((outcomes, pruned)) => Ok((outcomes[n].clone(), if n == 0 { *pruned } else { Pruned::default() })),
                Err(error) => Err(error.clone()),
            };
            let _ = pending.reply.send(answer);
        }
        drop(connection);
        answer.recv().unwrap_or_else(|_| Err(StoreError::Broken("telemetry writer stopped".into())))
    }

    fn commit(
        &self,
        connection: &mut Connection,
        group: &[Pending],
    ) -> Result<(Vec<Vec<Outcome>>, Pruned), StoreError> {
        self.usable()?;
        if let Some((dir, _)) = &self.files {
            check_free_space(dir, &self.limits)?;
        }
        let result = (|| {
            let transaction = connection.transaction()?;
            let pruned = Pruned { age: 0, size: prune_by_size(&transaction, &self.limits)? };
            let mut outcomes = Vec::with_capacity(group.len());
            {
                let mut insert = transaction
                    .prepare_cached("INSERT OR IGNORE INTO events (id, body, received_at) VALUES (?1, ?2, ?3)")?;
                let mut stored = transaction.prepare_cached("SELECT body FROM events WHERE id = ?1")?;
                for pending in group {
                    let mut batch = Vec::with_capacity(pending.events.len());
                    for event in pending.events.iter() {
                        let body = serde_json::to_string(event).unwrap_or_default();
                        batch.push(if insert.execute(params![event.id, body, pending.now_ms])? == 1 {
                            Outcome::New
                        } else if stored.query_row([&event.id], |row| row.get::<_, String>(0))? == body {
                            Outcome::Retry
                        } else {
                            Outcome::Conflict
                        });
                    }
                    outcomes.push(batch);
                }
            }
            transaction.commit()?;
            Ok((outcomes, pruned))
        })();
        result.map_err(|e| self.failed(e))
    }

    /// `Err` when the database was found damaged, or its file is no longer
    /// the one opened (which then stays refused).
    fn usable(&self) -> Result<(), StoreError> {
        let mut fault = lock(&self.fault);
        if fault.is_none() {
            if let Some(Err(message)) = self.files.as_ref().map(|(_, file)| file.check()) {
                tracing::error!(%message, "telemetry database lost: telemetry and its export are refused until it is restored and the server restarted");
                *fault = Some(message);
            }
        }
        fault.clone().map_or(Ok(()), |message| Err(StoreError::Broken(message)))
    }

    /// Sorts a SQLite error, remembering a damaged database for good.
    fn failed(&self, error: rusqlite::Error) -> StoreError {
        if StoreError::is_corruption(&error) {
            let message = format!("the telemetry database is damaged: {error}");
            tracing::error!(%message, "telemetry and its export are refused; restore the database from a backup");
            *lock(&self.fault) = Some(message);
        }
        StoreError::from_sqlite(error)
    }

    /// Stored events after sequence number `since`, oldest first, at most
    /// `limit`: `(seq, event JSON)`.
    pub fn since(&self, since: i64, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        self.usable()?;
        let connection = lock(&self.connection);
        let result = (|| {
            let mut statement =
                connection.prepare_cached("SELECT seq, body FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
            let rows = statement.query_map(params![since, limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<rusqlite::Result<Vec<(i64, String)>>>()
        })();
        result.map_err(|e| self.failed(e))
    }

    /// Prunes by age and size, and records the highest `seq` beside the
    /// database (periodic, [`crate::telemetry_retention::run`]).
    pub fn maintain(&self, now_ms: i64) -> Result<Pruned, StoreError> {
        self.usable()?;
        let mut connection = lock(&self.connection);
        let result = (|| {
            let transaction = connection.transaction()?;
            let age = prune_by_age(&transaction, &self.limits, now_ms)?;
            let size = prune_by_size(&transaction, &self.limits)?;
            transaction.commit()?;
            Ok::<_, rusqlite::Error>(Pruned { age, size })
        })();
        let pruned = result.map_err(|e| self.failed(e))?;
        if let Some((dir, _)) = &self.files {
            crate::store_open::record(&connection, dir).map_err(StoreError::Broken)?;
        }
        Ok(pruned)
    }
}

/// Locks a mutex, going on after a panic elsewhere (the data is SQLite's).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
