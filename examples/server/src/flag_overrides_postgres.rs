//! The admin API's flag overrides in the shared PostgreSQL database, so a
//! change made through any instance is in force on all of them.
//!
//! `flag_overrides` holds the overrides in force, `flag_changes` every
//! change (a `NULL` rule: cleared), and the single row of `flag_version` a
//! number each change raises in the same transaction. Instances poll that
//! row (every [`crate::housekeeping::FLAGS_POLL`], one indexed read) and
//! reload the overrides when it moved: simpler to keep right across
//! database restarts than LISTEN/NOTIFY, which needs a dedicated
//! connection re-established and a reload after every gap anyway. Raising
//! the row also locks it, so changes from several instances take turns.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::flag_overrides::SaveError;
use crate::flag_rules::{FlagRule, FlagsFile};
use crate::flags_file::MAX_FLAGS_FILE_BYTES;
use crate::postgres_database::Database;

/// The overrides as of one version of `flag_version`.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The version they are at.
    pub version: i64,
    /// Flag key to override.
    pub flags: BTreeMap<String, FlagRule>,
}

/// The overrides of the shared database.
#[derive(Debug, Clone)]
pub struct PostgresOverrides {
    database: Arc<Database>,
}

impl PostgresOverrides {
    /// The overrides of `database`.
    pub fn new(database: Arc<Database>) -> Self {
        PostgresOverrides { database }
    }

    /// The version of the overrides now.
    pub async fn version(&self) -> Result<i64, String> {
        let read = async {
            let client = self.database.client().await.map_err(|e| e.to_string())?;
            client
                .query_one("SELECT version FROM flag_version WHERE id = 1", &[])
                .await
                .map_err(|e| self.database.store_error(&e).to_string())
        };
        Ok(self.database.within(read, |late| late.to_string()).await?.get(0))
    }

    /// Every override with its version, read in one statement (one snapshot).
    pub async fn load(&self) -> Result<Snapshot, String> {
        let read = async {
            let client = self.database.client().await.map_err(|e| e.to_string())?;
            client
                .query(
                    "SELECT v.version, o.key, o.rule::text FROM flag_version v \
                     LEFT JOIN flag_overrides o ON true WHERE v.id = 1",
                    &[],
                )
                .await
                .map_err(|e| self.database.store_error(&e).to_string())
        };
        let rows = self.database.within(read, |late| late.to_string()).await?;
        let mut snapshot = Snapshot { version: 0, flags: BTreeMap::new() };
        for row in rows {
            snapshot.version = row.get(0);
            if let (Some(key), Some(rule)) = (row.get::<_, Option<String>>(1), row.get::<_, Option<String>>(2)) {
                let rule: FlagRule = serde_json::from_str(&rule)
                    .map_err(|e| format!("the override of {key} in PostgreSQL is not a flag rule: {e}"))?;
                snapshot.flags.insert(key, rule);
            }
        }
        Ok(snapshot)
    }

    /// Sets (`Some`) or clears (`None`) one flag's override and records the
    /// change; returns the overrides after it, and whether the flag had one
    /// before.
    pub async fn change(&self, key: &str, rule: Option<&FlagRule>) -> Result<(Snapshot, bool), SaveError> {
        let unsaved = |detail: String| SaveError::Io(format!("flag override not saved: {detail}"));
        self.database.within(self.change_now(key, rule), |late| unsaved(late.to_string())).await
    }

    async fn change_now(&self, key: &str, rule: Option<&FlagRule>) -> Result<(Snapshot, bool), SaveError> {
        let unsaved = |detail: String| SaveError::Io(format!("flag override not saved: {detail}"));
        let failed = |e: tokio_postgres::Error| unsaved(self.database.store_error(&e).to_string());
        let mut client = self.database.client().await.map_err(|e| unsaved(e.to_string()))?;
        let transaction = client.transaction().await.map_err(failed)?;
        let version: i64 = transaction
            .query_one("UPDATE flag_version SET version = version + 1 WHERE id = 1 RETURNING version", &[])
            .await
            .map_err(failed)?
            .get(0);
        let text = rule.map(|rule| serde_json::to_string(rule).unwrap_or_default());
        let had =
            transaction.query("SELECT 1 FROM flag_overrides WHERE key = $1", &[&key]).await.map_err(failed)?.len() == 1;
        match &text {
            Some(text) => transaction
                .execute(
                    "INSERT INTO flag_overrides (key, rule) VALUES ($1, $2::text::jsonb) \
                     ON CONFLICT (key) DO UPDATE SET rule = excluded.rule, changed_at = now()",
                    &[&key, text],
                )
                .await
                .map_err(failed)?,
            None => transaction.execute("DELETE FROM flag_overrides WHERE key = $1", &[&key]).await.map_err(failed)?,
        };
        transaction
            .execute("INSERT INTO flag_changes (key, rule) VALUES ($1, $2::text::jsonb)", &[&key, &text])
            .await
            .map_err(failed)?;
        let rows = transaction.query("SELECT key, rule::text FROM flag_overrides", &[]).await.map_err(failed)?;
        let mut flags = BTreeMap::new();
        for row in rows {
            let rule: String = row.get(1);
            let rule: FlagRule = serde_json::from_str(&rule)
                .map_err(|e| unsaved(format!("a stored override is not a flag rule: {e}")))?;
            flags.insert(row.get(0), rule);
        }
        // The same bound as the overrides file's, so both stores take the same changes.
        let size = serde_json::to_vec_pretty(&FlagsFile { flags: flags.clone() }).map_or(0, |text| text.len());
        if size as u64 > MAX_FLAGS_FILE_BYTES {
            return Err(SaveError::TooLarge);
        }
        transaction.commit().await.map_err(failed)?;
        Ok((Snapshot { version, flags }, had))
    }
}
