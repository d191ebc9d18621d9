//! The admin API's flag changes, kept in the data directory so that neither
//! a change of the flags file nor a restart undoes them (a kill switch must
//! stay off until someone clears it).
//!
//! A small JSON file in the flags file's format, [`OVERRIDES_FILE`], rather
//! than a table in the telemetry database: it is written a few times a day,
//! an operator can read it (or copy it into the flags file) with any tool,
//! and the flags keep working whatever state the telemetry database is in.
//! Each change replaces the file atomically: a temporary file written and
//! flushed to disk, renamed over the old one, then the directory flushed,
//! so after a crash the file holds either the old or the new rules, whole.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::flag_rules::{FlagRule, FlagsFile};
use crate::flags_file::{self, MAX_FLAGS_FILE_BYTES};

/// The overrides' file name in the data directory.
pub const OVERRIDES_FILE: &str = "flag-overrides.json";

/// What names the file in messages.
const WHAT: &str = "admin flag overrides file";

/// Why overrides were not saved.
#[derive(Debug, PartialEq)]
pub enum SaveError {
    /// They would make the file larger than the most read back at start.
    TooLarge,
    /// The file could not be written (the message says why).
    Io(String),
}

/// Where the overrides of a data directory live.
#[derive(Debug, Clone)]
pub struct OverridesFile {
    path: PathBuf,
}

impl OverridesFile {
    /// The overrides file of `data_dir` (which must exist).
    pub fn in_dir(data_dir: &Path) -> Self {
        OverridesFile { path: data_dir.join(OVERRIDES_FILE) }
    }

    /// The overrides saved last; none when the file does not exist yet.
    pub fn load(&self) -> Result<BTreeMap<String, FlagRule>, String> {
        match std::fs::symlink_metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            _ => flags_file::read(&self.path, WHAT)
                .map(|file| file.flags)
                .map_err(|e| format!("{e}; fix it, or remove it to drop every admin override")),
        }
    }

    /// Replaces the saved overrides with `flags`, durably, or not at all.
    pub fn save(&self, flags: &BTreeMap<String, FlagRule>) -> Result<(), SaveError> {
        let text = serde_json::to_vec_pretty(&FlagsFile { flags: flags.clone() })
            .map_err(|e| SaveError::Io(format!("cannot encode the overrides: {e}")))?;
        if text.len() as u64 > MAX_FLAGS_FILE_BYTES {
            return Err(SaveError::TooLarge);
        }
        let io = |e: std::io::Error| SaveError::Io(format!("cannot write {}: {e}", self.path.display()));
        let temporary = self.path.with_extension("json.tmp");
        let mut file = std::fs::File::create(&temporary).map_err(io)?;
        file.write_all(&text).and_then(|()| file.sync_all()).map_err(io)?;
        drop(file);
        std::fs::rename(&temporary, &self.path).map_err(io)?;
        // The rename itself is durable only once the directory is flushed.
        if let Some(dir) = self.path.parent() {
            std::fs::File::open(dir).and_then(|dir| dir.sync_all()).map_err(io)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_overrides_load_back_and_a_missing_file_is_none() {
        let dir = std::env::temp_dir().join(format!("tc-overrides-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = OverridesFile::in_dir(&dir);
        assert_eq!(file.load(), Ok(BTreeMap::new()));
        let flags = BTreeMap::from([("a".to_owned(), FlagRule { enabled: false, ..FlagRule::everyone() })]);
        file.save(&flags).unwrap();
        assert_eq!(file.load(), Ok(flags));
        let huge = FlagRule { allow: vec!["x".repeat(1000); 2000], ..FlagRule::everyone() };
        assert_eq!(file.save(&BTreeMap::from([("b".to_owned(), huge)])), Err(SaveError::TooLarge));
        std::fs::write(dir.join(OVERRIDES_FILE), "{").unwrap();
        assert!(file.load().unwrap_err().contains("remove it"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
