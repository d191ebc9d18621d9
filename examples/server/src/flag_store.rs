//! The flag rules in force, in two layers: the admin API's overrides over
//! the flags file's rules (re-read when the file changes) or, without a
//! flags file, the demo default. An override stays in force until it is
//! cleared with `DELETE /v1/admin/flags/{key}`, whatever the file says
//! meanwhile.
//!
//! Overrides are kept in one of two places: the data directory
//! ([`crate::flag_overrides`], one instance), or the PostgreSQL database
//! every instance shares ([`crate::flag_overrides_postgres`]), from which
//! each instance reloads them when their version moves
//! ([`FlagStore::sync_shared`], polled by [`crate::housekeeping`]). Rules are
//! always evaluated from memory, so previews and the flag go on with the
//! last rules in force while the database does not answer.
//!
//! The methods that touch files or the database block: call them on a
//! blocking thread.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use serde::Serialize;
use time_crunch::api::FLAG_KEY;

use crate::flag_overrides::{OverridesFile, SaveError};
use crate::flag_overrides_postgres::{PostgresOverrides, Snapshot};
use crate::flag_rules::{evaluate, Evaluation, FlagRule};
use crate::flags_file::{self, Stamp};

/// Where the rule in force for a flag comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Set through the admin API (in force until cleared).
    Admin,
    /// The flags file.
    File,
    /// The built-in default (no flags file given).
    Default,
}

#[derive(Debug, Default)]
struct Layers {
    /// The flags file's rules, or the default without a file.
    file: BTreeMap<String, FlagRule>,
    /// The admin API's overrides.
    admin: BTreeMap<String, FlagRule>,
    /// The shared database's version of `admin`; `None` until first loaded.
    admin_version: Option<i64>,
}

/// Where admin overrides are saved.
#[derive(Debug)]
enum Overrides {
    /// `DATA_DIR/flag-overrides.json`.
    File(OverridesFile),
    /// The shared PostgreSQL database.
    Postgres(PostgresOverrides),
}

/// The rules in force (see the module's doc).
#[derive(Debug)]
pub struct FlagStore {
    layers: RwLock<Layers>,
    /// The flags file, when there is one.
    path: Option<PathBuf>,
    /// The flags file's stamp as last loaded.
    loaded: Mutex<Stamp>,
    /// Where overrides are saved; `None`: in memory only (router tests).
    overrides: Option<Overrides>,
    /// Admin changes one at a time: each saves the whole set (file), or
    /// puts in force the set its transaction read back (database).
    writer: Mutex<()>,
}

impl FlagStore {
    /// Rules from the flags file at `path` (without one, the time-crunch
    /// flag on for everyone) under the overrides saved in `data_dir`.
    pub fn open(path: Option<PathBuf>, data_dir: &Path) -> Result<Self, String> {
        let overrides = OverridesFile::in_dir(data_dir);
        let admin = overrides.load()?;
        FlagStore::with_overrides(path, admin, Overrides::File(overrides))
    }

    /// Rules from the flags file at `path` (or the default) under the
    /// overrides of the shared database, loaded by the first
    /// [`FlagStore::sync_shared`] that reaches it.
    pub fn open_shared(path: Option<PathBuf>, overrides: PostgresOverrides) -> Result<Self, String> {
        FlagStore::with_overrides(path, BTreeMap::new(), Overrides::Postgres(overrides))
    }

    fn with_overrides(
        path: Option<PathBuf>,
        admin: BTreeMap<String, FlagRule>,
        overrides: Overrides,
    ) -> Result<Self, String> {
        let (file, loaded) = match &path {
            Some(path) => {
                let loaded = flags_file::stamp(path);
                (flags_file::read(path, "flags file")?.flags, loaded)
            }
            None => (BTreeMap::from([(FLAG_KEY.to_owned(), FlagRule::everyone())]), None),
        };
        Ok(FlagStore {
            layers: RwLock::new(Layers { file, admin, admin_version: None }),
            path,
            loaded: Mutex::new(loaded),
            overrides: Some(overrides),
            writer: Mutex::new(()),
        })
    }

    /// A store holding exactly these rules, with no file behind it.
    pub fn with_rules(rules: BTreeMap<String, FlagRule>) -> Self {
        FlagStore {
            layers: RwLock::new(Layers { file: rules, admin: BTreeMap::new(), admin_version: None }),
            path: None,
            loaded: Mutex::new(None),
            overrides: None,
            writer: Mutex::new(()),
        }
    }

    fn layers(&self) -> std::sync::RwLockReadGuard<'_, Layers> {
        self.layers.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn layers_mut(&self) -> std::sync::RwLockWriteGuard<'_, Layers> {
        self.layers.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Evaluates a flag for a user.
    pub fn evaluate(&self, key: &str, user_key: &str) -> Evaluation {
        let layers = self.layers();
        evaluate(key, layers.admin.get(key).or_else(|| layers.file.get(key)), user_key)
    }

    /// Every known flag (overrides and file alike), evaluated for a user
    /// under one read of the rules, in key order: the bulk evaluation of
    /// OFREP (`crate::ofrep`) sees one consistent set.
    pub fn evaluate_all(&self, user_key: &str) -> Vec<Evaluation> {
        let layers = self.layers();
        let keys: std::collections::BTreeSet<&String> = layers.admin.keys().chain(layers.file.keys()).collect();
        keys.into_iter()
            .map(|key| evaluate(key, layers.admin.get(key).or_else(|| layers.file.get(key)), user_key))
            .collect()
    }

    /// One flag's rule in force and where it comes from, if the flag is known.
    pub fn rule(&self, key: &str) -> Option<(FlagRule, Source)> {
        let layers = self.layers();
        if let Some(rule) = layers.admin.get(key) {
            return Some((rule.clone(), Source::Admin));
        }
        let source = if self.path.is_some() { Source::File } else { Source::Default };
        layers.file.get(key).map(|rule| (rule.clone(), source))
    }

    /// Puts an admin override in force, once it is saved (blocks).
    pub fn set_override(&self, key: &str, rule: FlagRule) -> Result<(), SaveError> {
        self.change_override(key, Some(rule)).map(|_| ())
    }

    /// Clears a flag's admin override (blocks); `false` when it had none.
    pub fn clear_override(&self, key: &str) -> Result<bool, SaveError> {
        self.change_override(key, None)
    }

    /// Saves one flag's override (`None`: cleared), then puts the
    /// overrides in force; whether the flag had one before.
    fn change_override(&self, key: &str, rule: Option<FlagRule>) -> Result<bool, SaveError> {
        let _writer = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &self.overrides {
            Some(Overrides::Postgres(shared)) => {
                let (snapshot, had) = block_on(shared.change(key, rule.as_ref())).map_err(SaveError::Io)??;
                self.apply(snapshot);
                Ok(had)
            }
            file => {
                let mut admin = self.layers().admin.clone();
                let had = match rule {
                    Some(rule) => admin.insert(key.to_owned(), rule).is_some(),
                    None => admin.remove(key).is_some(),
                };
                if let Some(Overrides::File(file)) = file {
                    file.save(&admin)?;
                }
                self.layers_mut().admin = admin;
                Ok(had)
            }
        }
    }

    /// Reloads the shared database's overrides when their version moved
    /// (blocks); `Ok(true)` when they were reloaded. Without a shared
    /// database there is nothing to do. On `Err` the rules in force stay.
    pub fn sync_shared(&self) -> Result<bool, String> {
        let Some(Overrides::Postgres(shared)) = &self.overrides else {
            return Ok(false);
        };
        let version = block_on(shared.version())??;
        if self.layers().admin_version == Some(version) {
            return Ok(false);
        }
        let snapshot = block_on(shared.load())??;
        Ok(self.apply(snapshot))
    }

    /// Puts a snapshot of the shared overrides in force unless a newer one
    /// already is (a reload and an own change can cross).
    fn apply(&self, snapshot: Snapshot) -> bool {
        let mut layers = self.layers_mut();
        if layers.admin_version.is_some_and(|version| version >= snapshot.version) {
            return false;
        }
        layers.admin = snapshot.flags;
        layers.admin_version = Some(snapshot.version);
        true
    }

    /// Whether the admin overrides are known: always with a file, and with
    /// the shared database once loaded from it (readiness waits for that).
    pub fn overrides_loaded(&self) -> bool {
        !matches!(self.overrides, Some(Overrides::Postgres(_))) || self.layers().admin_version.is_some()
    }

    /// Re-reads the flags file if it changed since it was loaded (blocks).
    /// A file that cannot be read or does not parse leaves the rules in
    /// force untouched (and says why); overrides stay over whatever it says.
    pub fn reload_if_changed(&self) -> Result<bool, String> {
        let Some(path) = &self.path else {
            return Ok(false);
        };
        let now = flags_file::stamp(path);
        let mut loaded = self.loaded.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if now == *loaded {
            return Ok(false);
        }
        *loaded = now;
        let file = flags_file::read(path, "flags file")?;
        self.layers_mut().file = file.flags;
        Ok(true)
    }
}

/// Runs a database call from a blocking thread (the flag store's callers
/// are on one, see the module's doc).
fn block_on<T>(call: impl std::future::Future<Output = T>) -> Result<T, String> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|e| format!("no runtime for the database: {e}"))?;
    Ok(runtime.block_on(call))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tc-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_file_is_reread_when_it_changes_and_a_bad_file_keeps_the_old_rules() {
        let dir = temp_dir("store-flags");
        let path = dir.join("flags.json");
        let write = |enabled: bool| {
            let file = format!(r#"{{"flags": {{"{FLAG_KEY}": {{"enabled": {enabled}, "rolloutPercent": 100}}}}}}"#);
            std::fs::write(&path, file).unwrap();
        };
        write(true);
        let store = FlagStore::open(Some(path.clone()), &dir).unwrap();
        assert!(store.evaluate(FLAG_KEY, "u").value);
        assert_eq!(store.reload_if_changed(), Ok(false));
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(false);
        assert_eq!(store.reload_if_changed(), Ok(true));
        assert!(!store.evaluate(FLAG_KEY, "u").value);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, "{ not json").unwrap();
        assert!(store.reload_if_changed().is_err());
        assert!(!store.evaluate(FLAG_KEY, "u").value, "old rules stay");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_override_beats_the_file_survives_reopening_and_clears() {
        let dir = temp_dir("store-overrides");
        let path = dir.join("flags.json");
        std::fs::write(&path, format!(r#"{{"flags": {{"{FLAG_KEY}": {{"enabled": true}}}}}}"#)).unwrap();
        let store = FlagStore::open(Some(path.clone()), &dir).unwrap();
        assert_eq!(store.rule(FLAG_KEY).unwrap().1, Source::File);
        store.set_override(FLAG_KEY, FlagRule { enabled: false, ..FlagRule::everyone() }).unwrap();
        store.set_override("new.flag", FlagRule::everyone()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, format!(r#"{{"flags": {{"{FLAG_KEY}": {{"enabled": true, "salt": "s"}}}}}}"#)).unwrap();
        assert_eq!(store.reload_if_changed(), Ok(true));
        assert!(!store.evaluate(FLAG_KEY, "u").value, "the override stays over the file");
        let reopened = FlagStore::open(Some(path), &dir).unwrap();
        assert_eq!(
            reopened.rule(FLAG_KEY).unwrap(),
            (FlagRule { enabled: false, ..FlagRule::everyone() }, Source::Admin)
        );
        assert_eq!(reopened.rule("new.flag").unwrap().1, Source::Admin);
        assert_eq!(reopened.clear_override(FLAG_KEY), Ok(true));
        assert_eq!(reopened.clear_override(FLAG_KEY), Ok(false));
        assert_eq!(reopened.rule(FLAG_KEY).unwrap().0.salt, "s");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_snapshot_of_the_shared_overrides_older_than_the_one_in_force_is_ignored() {
        let store = FlagStore::with_rules(BTreeMap::from([(FLAG_KEY.to_owned(), FlagRule::everyone())]));
        let off = FlagRule { enabled: false, ..FlagRule::everyone() };
        let snapshot = |version, flags: &[(&str, FlagRule)]| Snapshot {
            version,
            flags: flags.iter().map(|(key, rule)| (key.to_string(), rule.clone())).collect(),
        };
        assert!(store.apply(snapshot(7, &[(FLAG_KEY, off.clone())])));
        assert!(!store.evaluate(FLAG_KEY, "u").value);
        // A reload that read version 6 and lost the race with our own change.
        assert!(!store.apply(snapshot(6, &[])));
        assert!(!store.evaluate(FLAG_KEY, "u").value, "the newer override stays");
        assert!(store.apply(snapshot(8, &[])));
        assert_eq!(store.rule(FLAG_KEY).unwrap().1, Source::Default);
    }
}
