//! Opening the telemetry database: a private file in a private directory,
//! durable settings, an integrity check, and the identity check of
//! [`crate::store_identity`]. Every refusal is a sentence for the operator
//! (the server then exits with status 2).

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use crate::store_identity::{self, OpenedFile, Recorded};
use crate::telemetry_store::sqlite::SCHEMA;

/// The database's file name in the data directory.
pub const DATABASE_FILE: &str = "telemetry.sqlite3";
/// The identity file's name in the data directory.
pub const IDENTITY_FILE: &str = "telemetry.identity";

/// Opens the database of `dir` after checking it, creating both if the
/// directory holds neither.
pub fn open(dir: &Path) -> Result<(Connection, OpenedFile), String> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| format!("cannot create data dir {}: {e}", dir.display()))?;
    // A read-only filesystem or directory is said plainly (SQLite would only
    // say it cannot open the database).
    let trial = dir.join(".telemetry-write-test");
    store_identity::private_file(&trial)
        .and_then(|_| std::fs::remove_file(&trial))
        .map_err(|e| format!("the data dir {} is not writable: {e}", dir.display()))?;
    let path = dir.join(DATABASE_FILE);
    let identity_path = dir.join(IDENTITY_FILE);
    let recorded = store_identity::read(&identity_path)?;
    let existed = std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false);
    let undo = format!(
        "restore it from a backup, or remove {} to start again with an empty database on purpose",
        identity_path.display()
    );
    if let (Some(recorded), false) = (&recorded, existed) {
        return Err(format!(
            "the telemetry database {} is missing or empty, but this data directory held database {} with events \
             up to seq {}: it was deleted, truncated or replaced; {undo}",
            path.display(),
            recorded.id,
            recorded.seq
        ));
    }
    // SQLite gives its WAL and shared-memory files the database's mode.
    if existed {
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    } else {
        store_identity::private_file(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    }
    let connection = Connection::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    // synchronous=FULL: each commit is flushed to disk before it returns, so
    // an acknowledged event survives a power cut. The WAL is cut back to
    // 64 MiB after a checkpoint rather than keep its largest size.
    connection
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; \
             PRAGMA journal_size_limit = 67108864;",
        )
        .map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
    if existed {
        let verdict: String = connection
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(|e| format!("cannot check {}: {e}", path.display()))?;
        if verdict != "ok" {
            return Err(format!("the telemetry database {} is damaged ({verdict}); {undo}", path.display()));
        }
    }
    connection.execute_batch(SCHEMA).map_err(|e| format!("cannot prepare {}: {e}", path.display()))?;
    let id = database_id(&connection).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let seq = highest_seq(&connection).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match (&recorded, &id) {
        (Some(recorded), Some(id)) if *id != recorded.id => {
            return Err(format!(
            "the telemetry database {} is database {id}, not {} that this data directory held: it was replaced; {undo}",
            path.display(),
            recorded.id
        ))
        }
        (Some(recorded), None) => {
            return Err(format!(
            "the telemetry database {} has no id, but this data directory held database {}: it was replaced; {undo}",
            path.display(),
            recorded.id
        ))
        }
        (Some(recorded), Some(_)) if seq < recorded.seq => {
            return Err(format!(
                "the telemetry database {} ends at seq {seq}, behind the {} it had reached: it was rolled back or \
                 truncated, and exports would hand out those numbers again; {undo}",
                path.display(),
                recorded.seq
            ))
        }
        _ => {}
    }
    if id.is_none() {
        // A new database, or one from before ids: give it one.
        connection
            .execute("INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))))", [])
            .map_err(|e| format!("cannot store telemetry in {}: {e}", path.display()))?;
    }
    record(&connection, dir)?;
    let opened = OpenedFile::note(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((connection, opened))
}

/// Writes the identity file with the database's id and highest `seq`.
pub fn record(connection: &Connection, dir: &Path) -> Result<(), String> {
    let path = dir.join(IDENTITY_FILE);
    let id = database_id(connection).map_err(|e| e.to_string())?.unwrap_or_default();
    let seq = highest_seq(connection).map_err(|e| e.to_string())?;
    store_identity::write(&path, &Recorded { id, seq }).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn database_id(connection: &Connection) -> rusqlite::Result<Option<String>> {
    connection.query_row("SELECT value FROM meta WHERE key = 'database_id'", [], |row| row.get(0)).optional()
}

/// The highest `seq` ever handed out (AUTOINCREMENT never reuses one, even
/// after pruning).
fn highest_seq(connection: &Connection) -> rusqlite::Result<i64> {
    let seq = connection
        .query_row("SELECT seq FROM sqlite_sequence WHERE name = 'events'", [], |row| row.get(0))
        .optional()?;
    Ok(seq.unwrap_or(0))
}
