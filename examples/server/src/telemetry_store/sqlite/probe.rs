//! The readiness probe of the telemetry store.

use std::time::{Duration, Instant};

use rusqlite::OptionalExtension;

use super::{lock, SqliteTelemetry};
use crate::store_error::StoreError;

/// How long a readiness probe's answer is reused (a flood of `/readyz`
/// costs one write a second).
const PROBE_REUSE: Duration = Duration::from_secs(1);

impl SqliteTelemetry {
    /// Readiness: a row written and read back, the oldest and newest events
    /// read, the file still the one opened. Reused for [`PROBE_REUSE`].
    pub fn probe(&self) -> Result<(), StoreError> {
        let mut last = lock(&self.last_probe);
        if let Some((_, result)) = last.as_ref().filter(|(at, _)| at.elapsed() < PROBE_REUSE) {
            return result.clone();
        }
        let result = self.probe_now();
        *last = Some((Instant::now(), result.clone()));
        result
    }

    pub(super) fn probe_now(&self) -> Result<(), StoreError> {
        self.usable()?;
        let connection = lock(&self.connection);
        let stamp = crate::telemetry::now_ms();
        let result = (|| {
            connection.execute("INSERT OR REPLACE INTO probe (id, at) VALUES (1, ?1)", [stamp])?;
            let read: i64 = connection.query_row("SELECT at FROM probe WHERE id = 1", [], |row| row.get(0))?;
            for order in ["ASC", "DESC"] {
                let sql = format!("SELECT seq, length(body) FROM events ORDER BY seq {order} LIMIT 1");
                connection.query_row(&sql, [], |row| row.get::<_, i64>(0)).optional()?;
            }
            Ok(read)
        })();
        match result.map_err(|e| self.failed(e))? {
            read if read == stamp => Ok(()),
            read => Err(StoreError::Broken(format!("the probe row read back {read}, not the {stamp} written"))),
        }
    }
}
