//! The shared telemetry store: every instance writes to one PostgreSQL
//! table, `telemetry_events`, so an event is deduplicated by its id across
//! instances and the export reads every instance's events.
//!
//! Each batch is committed before its 202. Batches that arrive while a
//! commit is under way go in the next one (group commit, as the SQLite
//! store does): [`WRITERS`] tasks each take whatever is queued, write it
//! with one `INSERT … SELECT FROM unnest(…) ON CONFLICT (id) DO NOTHING`,
//! read back the stored body of every id that was already there (same
//! body: a retry; another: refused), and commit.
//!
//! Exports page by `seq` (`since`), so `seq` must grow in commit order:
//! a sequence alone does not (a transaction that took 7 can commit after
//! one that took 8, and a reader past 8 would never see 7). Every insert
//! therefore takes one advisory lock, [`SEQ_LOCK`], for its transaction:
//! inserts from all instances commit one at a time, each carrying a group.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time_crunch::telemetry::TelemetryEvent;
use tokio::sync::{mpsc, oneshot};

use super::Outcome;
use crate::postgres_database::Database;
use crate::store_error::StoreError;
use crate::telemetry_retention::{Pruned, StoreLimits};

/// Tasks committing groups: while one holds [`SEQ_LOCK`] and waits for its
/// commit, the other gathers the next group.
pub const WRITERS: usize = 2;
/// Most events one group commits (a hundred batches of 50).
pub const MAX_GROUP_EVENTS: usize = 5_000;
/// Batches waiting for a writer at most; more wait for room.
const QUEUE: usize = 1_024;
/// Taken by every insert's transaction (see the module's doc).
const SEQ_LOCK: i64 = 0x7463_5f73_6571; // "tc_seq"
/// How long a readiness probe's answer is reused.
const PROBE_REUSE: Duration = Duration::from_secs(1);
/// Most events one pruning DELETE removes.
const PRUNE_CHUNK: i64 = 20_000;

/// A batch waiting for the next group commit.
struct Pending {
    events: Arc<[TelemetryEvent]>,
    now_ms: i64,
    reply: oneshot::Sender<Result<Vec<Outcome>, StoreError>>,
}

/// The PostgreSQL store of accepted events.
pub struct PostgresTelemetry {
    database: Arc<Database>,
    queue: mpsc::Sender<Pending>,
    limits: StoreLimits,
    last_probe: Mutex<Option<(Instant, Result<(), StoreError>)>>,
}

impl std::fmt::Debug for PostgresTelemetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostgresTelemetry({:?})", self.database)
    }
}

impl PostgresTelemetry {
    /// Starts the writers (inside the runtime).
    pub fn start(database: Arc<Database>, limits: StoreLimits) -> Self {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        for _ in 0..WRITERS {
            tokio::spawn(write_groups(database.clone(), receiver.clone()));
        }
        PostgresTelemetry { database, queue, limits, last_probe: Mutex::new(None) }
    }

    /// Stores a batch; returns what became of each event once committed.
    pub async fn insert(&self, events: Arc<[TelemetryEvent]>, now_ms: i64) -> Result<Vec<Outcome>, StoreError> {
        // Refused at once while the database is not there yet.
        if !self.database.is_prepared() {
            return Err(self.database.waiting());
        }
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Broken("the telemetry writer stopped".into());
        self.queue.send(Pending { events, now_ms, reply }).await.map_err(|_| stopped())?;
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    /// Stored events after `since`, oldest first, at most `limit`.
    pub async fn since(&self, since: i64, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        let read = async {
            let client = self.database.client().await?;
            client
                .query(
                    "SELECT seq, body FROM telemetry_events WHERE seq > $1 ORDER BY seq LIMIT $2",
                    &[&since, &(limit as i64)],
                )
                .await
                .map_err(|e| self.database.store_error(&e))
        };
        let rows = self.database.within(read, |late| late).await?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    /// Readiness: the database answers a query. Reused for [`PROBE_REUSE`].
    pub async fn probe(&self) -> Result<(), StoreError> {
        if let Some((_, result)) = lock(&self.last_probe).as_ref().filter(|(at, _)| at.elapsed() < PROBE_REUSE) {
            return result.clone();
        }
        let answer = async {
            let client = self.database.client().await?;
            client.query_one("SELECT 1", &[]).await.map_err(|e| self.database.store_error(&e))?;
            Ok(())
        };
        let result = self.database.within(answer, |late| late).await;
        *lock(&self.last_probe) = Some((Instant::now(), result.clone()));
        result
    }

    /// Prunes events older than the retention period. (The size cap and
    /// the free-space floor are the SQLite store's: PostgreSQL's disk is
    /// sized and watched where the database runs, and a full one answers
    /// 503 here.)
    pub async fn maintain(&self, now_ms: i64) -> Result<Pruned, StoreError> {
        if self.limits.retention_days == 0 {
            return Ok(Pruned::default());
        }
        let cutoff = now_ms - i64::from(self.limits.retention_days) * 24 * 3600 * 1000;
        let mut age = 0;
        loop {
            let chunk = async {
                let client = self.database.client().await?;
                client
                    .execute(
                        "DELETE FROM telemetry_events WHERE seq IN \
                         (SELECT seq FROM telemetry_events ORDER BY seq LIMIT $1) AND received_at < $2",
                        &[&PRUNE_CHUNK, &cutoff],
                    )
                    .await
                    .map_err(|e| self.database.store_error(&e))
            };
            let deleted = self.database.within(chunk, |late| late).await?;
            age += deleted;
            if deleted == 0 {
                return Ok(Pruned { age, size: 0 });
            }
        }
    }
}

/// One writer: takes what is queued, commits it, answers each batch.
async fn write_groups(database: Arc<Database>, receiver: Arc<tokio::sync::Mutex<mpsc::Receiver<Pending>>>) {
    loop {
        let group = {
            let mut receiver = receiver.lock().await;
            let Some(first) = receiver.recv().await else {
                return;
            };
            let mut events = first.events.len();
            let mut group = vec![first];
            while events < MAX_GROUP_EVENTS {
                match receiver.try_recv() {
                    Ok(pending) => {
                        events += pending.events.len();
                        group.push(pending);
                    }
                    Err(_) => break,
                }
            }
            group
        };
        let result = database.within(commit(&database, &group), |late| late).await;
        for (n, pending) in group.into_iter().enumerate() {
            let answer = match &result {
                Ok(outcomes) => Ok(outcomes[n].clone()),
                Err(error) => Err(error.clone()),
            };
            let _ = pending.reply.send(answer);
        }
    }
}

/// Commits a group in one transaction; what became of each event of each batch.
async fn commit(database: &Database, group: &[Pending]) -> Result<Vec<Vec<Outcome>>, StoreError> {
    let bodies: Vec<Vec<String>> = group
        .iter()
        .map(|pending| pending.events.iter().map(|event| serde_json::to_string(event).unwrap_or_default()).collect())
        .collect();
    // Each id once, at its first place in the group (a retry can race
    // itself into one group).
    let mut first: HashMap<&str, (usize, usize)> = HashMap::new();
    let (mut ids, mut texts, mut received) = (Vec::new(), Vec::new(), Vec::new());
    for (b, pending) in group.iter().enumerate() {
        for (e, event) in pending.events.iter().enumerate() {
            if !first.contains_key(event.id.as_str()) {
                first.insert(&event.id, (b, e));
                ids.push(event.id.as_str());
                texts.push(bodies[b][e].as_str());
                received.push(pending.now_ms);
            }
        }
    }
    let failed = |e: tokio_postgres::Error| database.store_error(&e);
    let mut client = database.client().await?;
    let transaction = client.transaction().await.map_err(failed)?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&SEQ_LOCK]).await.map_err(failed)?;
    let insert = transaction
        .prepare_cached(
            "INSERT INTO telemetry_events (id, body, received_at) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::int8[]) ON CONFLICT (id) DO NOTHING RETURNING id",
        )
        .await
        .map_err(failed)?;
    let inserted: HashSet<String> = transaction
        .query(&insert, &[&ids, &texts, &received])
        .await
        .map_err(failed)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let already: Vec<&str> = ids.iter().copied().filter(|id| !inserted.contains(*id)).collect();
    let mut stored: HashMap<String, String> = HashMap::new();
    if !already.is_empty() {
        let rows = transaction
            .query("SELECT id, body FROM telemetry_events WHERE id = ANY($1)", &[&already])
            .await
            .map_err(failed)?;
        stored.extend(rows.iter().map(|row| (row.get(0), row.get(1))));
    }
    if stored.len() != already.len() {
        // Pruned between the insert and the read: nothing is acknowledged,
        // and the client's retry finds a clear answer.
        return Err(StoreError::Unreachable("stored events changed while the batch was written; try again".into()));
    }
    transaction.commit().await.map_err(failed)?;
    let outcomes = group
        .iter()
        .enumerate()
        .map(|(b, pending)| {
            pending
                .events
                .iter()
                .enumerate()
                .map(|(e, event)| {
                    let (fb, fe) = first[event.id.as_str()];
                    if inserted.contains(&event.id) && (fb, fe) == (b, e) {
                        return Outcome::New;
                    }
                    let kept = stored.get(&event.id).map(String::as_str).unwrap_or(bodies[fb][fe].as_str());
                    if kept == bodies[b][e] {
                        Outcome::Retry
                    } else {
                        Outcome::Conflict
                    }
                })
                .collect()
        })
        .collect();
    Ok(outcomes)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
