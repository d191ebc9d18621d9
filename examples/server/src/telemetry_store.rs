//! Durable telemetry storage (SPEC §9): accepted events are stored, and
//! only then acknowledged, in one of two stores behind one seam:
//!
//! - [`sqlite`]: the embedded default, a database file in the data
//!   directory (one instance);
//! - [`postgres`]: PostgreSQL shared by every instance (`--database-url`),
//!   so an event retried against another instance is stored once and the
//!   export reads every instance's events.
//!
//! Both deduplicate by event id: a retried event (same `id`, same content)
//! is stored and counted once; the same `id` with other content is refused.

pub mod postgres;
pub mod sqlite;

use std::sync::Arc;

use time_crunch::telemetry::TelemetryEvent;

use crate::store_error::StoreError;
use crate::telemetry_retention::{Pruned, StoreLimits};
use postgres::PostgresTelemetry;
use sqlite::SqliteTelemetry;

/// What became of one event of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored now.
    New,
    /// Already stored with the same content (a retry): acknowledged again.
    Retry,
    /// Its id is already stored with other content: refused.
    Conflict,
}

/// Where accepted telemetry is stored.
#[derive(Debug)]
pub enum TelemetryStore {
    /// The data directory's SQLite file (its calls block, so they run on a
    /// blocking thread).
    Sqlite(Arc<SqliteTelemetry>),
    /// The shared PostgreSQL database.
    Postgres(PostgresTelemetry),
}

impl TelemetryStore {
    /// Opens the SQLite store of `dir` ([`SqliteTelemetry::open`]).
    pub fn open(dir: &std::path::Path, limits: StoreLimits) -> Result<Self, String> {
        SqliteTelemetry::open(dir, limits).map(|store| TelemetryStore::Sqlite(Arc::new(store)))
    }

    /// A SQLite store in memory only, for tests that do not exercise durability.
    #[cfg(test)]
    pub fn in_memory() -> Self {
        TelemetryStore::Sqlite(Arc::new(SqliteTelemetry::in_memory()))
    }

    /// Makes every later write of a SQLite store fail, as a read-only disk would.
    #[cfg(test)]
    pub fn break_for_tests(&self) {
        if let TelemetryStore::Sqlite(store) = self {
            store.break_for_tests();
        }
    }

    /// Stores a batch (committed with the batches that came meanwhile);
    /// returns what became of each event, and what was pruned to stay
    /// under the cap.
    pub async fn insert(
        &self,
        events: Arc<[TelemetryEvent]>,
        now_ms: i64,
    ) -> Result<(Vec<Outcome>, Pruned), StoreError> {
        match self {
            TelemetryStore::Sqlite(store) => blocking(store, move |store| store.insert(events, now_ms)).await,
            TelemetryStore::Postgres(store) => {
                store.insert(events, now_ms).await.map(|outcomes| (outcomes, Pruned::default()))
            }
        }
    }

    /// Stored events after sequence number `since`, oldest first, at most
    /// `limit`: `(seq, event JSON)`.
    pub async fn since(&self, since: i64, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        match self {
            TelemetryStore::Sqlite(store) => blocking(store, move |store| store.since(since, limit)).await,
            TelemetryStore::Postgres(store) => store.since(since, limit).await,
        }
    }

    /// Readiness: whether events can be stored and read now.
    pub async fn probe(&self) -> Result<(), StoreError> {
        match self {
            TelemetryStore::Sqlite(store) => blocking(store, |store| store.probe()).await,
            TelemetryStore::Postgres(store) => store.probe().await,
        }
    }

    /// Prunes by age and size (periodic, [`crate::telemetry_retention::run`]).
    pub async fn maintain(&self, now_ms: i64) -> Result<Pruned, StoreError> {
        match self {
            TelemetryStore::Sqlite(store) => blocking(store, move |store| store.maintain(now_ms)).await,
            TelemetryStore::Postgres(store) => store.maintain(now_ms).await,
        }
    }
}

/// Runs a SQLite call on a blocking thread (each commit waits for the disk).
async fn blocking<T: Send + 'static>(
    store: &Arc<SqliteTelemetry>,
    call: impl FnOnce(&SqliteTelemetry) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || call(&store))
        .await
        .unwrap_or_else(|e| Err(StoreError::Broken(format!("the telemetry writer stopped: {e}"))))
}
