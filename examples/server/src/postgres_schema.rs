//! The PostgreSQL schema and its versioned migrations, applied by the server
//! at start.
//!
//! A small table of our own, `time_crunch_schema` (one row per migration
//! applied), rather than a migrations crate: there are a few statements,
//! and what matters is exact here: every instance migrates under one
//! advisory lock in one transaction (two instances starting at once cannot
//! both apply a step, and a failed step leaves nothing half done), and a
//! database migrated by a newer build is refused with a sentence instead
//! of being written with an older idea of the tables.
//!
//! Migrations are only ever added at the end, never edited.

use deadpool_postgres::Object;

use crate::postgres_database::{full_text, refusal, Refusal};

/// One step of the schema.
#[derive(Debug)]
pub struct Migration {
    /// Its number, from 1, one more than the step before.
    pub version: i32,
    /// What it does, recorded beside it.
    pub name: &'static str,
    /// The statements.
    pub sql: &'static str,
}

/// Every step, oldest first.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "telemetry events; flag overrides, their changes and their version",
    sql: "
CREATE TABLE telemetry_events (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    body text NOT NULL,
    received_at bigint NOT NULL
);
CREATE TABLE flag_overrides (
    key text PRIMARY KEY,
    rule jsonb NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE flag_changes (
    seq bigserial PRIMARY KEY,
    key text NOT NULL,
    rule jsonb,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE flag_version (
    id integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO flag_version (id, version) VALUES (1, 0);
",
}];

/// The schema version this build writes.
pub fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |migration| migration.version)
}

/// Held while migrating, so instances starting together take turns.
const MIGRATION_LOCK: i64 = 0x7463_5f73_6368; // "tc_sch"

/// Brings the schema to [`latest`]; returns the version it is at.
pub async fn migrate(client: &mut Object, target: &str) -> Result<i32, Refusal> {
    // A statement refused (no right to create tables, say) is fatal; a
    // connection lost or a server shutting down meanwhile is worth another try.
    let failed = |error: tokio_postgres::Error| match refusal(&error, target) {
        Refusal::Fatal(_) if error.code().is_some() => Refusal::Fatal(format!(
            "cannot create or migrate the schema in PostgreSQL at {target}: {}",
            full_text(&error)
        )),
        other => other,
    };
    let transaction = client.transaction().await.map_err(failed)?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(failed)?;
    transaction
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS time_crunch_schema (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )",
        )
        .await
        .map_err(failed)?;
    let current: i32 = transaction
        .query_one("SELECT coalesce(max(version), 0) FROM time_crunch_schema", &[])
        .await
        .map_err(failed)?
        .get(0);
    if current > latest() {
        return Err(Refusal::Fatal(format!(
            "PostgreSQL at {target} holds schema version {current}, newer than the {} this server knows: it was \
             migrated by a newer release; run that release (or a newer one), or point this one at another database",
            latest()
        )));
    }
    for migration in MIGRATIONS.iter().filter(|migration| migration.version > current) {
        transaction.batch_execute(migration.sql).await.map_err(failed)?;
        transaction
            .execute(
                "INSERT INTO time_crunch_schema (version, name) VALUES ($1, $2)",
                &[&migration.version, &migration.name],
            )
            .await
            .map_err(failed)?;
        tracing::info!(version = migration.version, name = migration.name, "PostgreSQL schema migrated");
    }
    transaction.commit().await.map_err(failed)?;
    Ok(latest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one() {
        for (n, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, n as i32 + 1, "{}", migration.name);
        }
    }
}
