//! Feature flag rules (SPEC §9): rules per flag, LaunchDarkly-compatible
//! percentage bucketing (a user who is in at 10 % stays in at 20 %), and the
//! store of the rules in force, read from the flags file and changed by the
//! admin API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};
use time_crunch::api::FLAG_KEY;

/// One flag's rules, as in the flags file and the admin API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FlagRule {
    /// Master switch: off means off for everyone, allow list included.
    pub enabled: bool,
    /// Share of users in, 0..=100 with 0.001 precision.
    #[serde(default = "full_rollout")]
    pub rollout_percent: f64,
    /// Salt of the bucketing hash; changing it reshuffles users.
    #[serde(default)]
    pub salt: String,
    /// User keys always in (while enabled).
    #[serde(default)]
    pub allow: Vec<String>,
    /// User keys always out.
    #[serde(default)]
    pub deny: Vec<String>,
}

fn full_rollout() -> f64 {
    100.0
}

impl FlagRule {
    /// On for everyone: the demo default when no flags file is given.
    pub fn everyone() -> Self {
        FlagRule { enabled: true, rollout_percent: 100.0, salt: String::new(), allow: Vec::new(), deny: Vec::new() }
    }

    /// Rejects rules that cannot mean anything.
    pub fn check(&self) -> Result<(), &'static str> {
        if !(0.0..=100.0).contains(&self.rollout_percent) {
            return Err("rolloutPercent must be from 0 to 100");
        }
        Ok(())
    }
}

/// The flags file: `{"flags": {"<key>": FlagRule}}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagsFile {
    /// Rules by flag key.
    pub flags: BTreeMap<String, FlagRule>,
}

/// An evaluation in the OpenFeature remote-evaluation shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Flag key.
    pub key: String,
    /// The flag's value for this user.
    pub value: bool,
    /// Why: `DISABLED`, `TARGETING_MATCH`, `SPLIT`, `DEFAULT` or `ERROR`.
    pub reason: &'static str,
    /// `on` or `off`.
    pub variant: &'static str,
}

/// The user's bucket in [0, 1): SHA-1 of `flagKey.salt.userKey`, first 15
/// hex digits over 0xFFFFFFFFFFFFFFF, as LaunchDarkly computes it.
pub fn bucket(flag_key: &str, salt: &str, user_key: &str) -> f64 {
    let digest = Sha1::digest(format!("{flag_key}.{salt}.{user_key}").as_bytes());
    // 15 hex digits = the first 7.5 bytes: take 8 bytes and drop the last nibble.
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let value = u64::from_be_bytes(first) >> 4;
    value as f64 / 0xFFF_FFFF_FFFF_FFFFu64 as f64
}

/// Evaluates a flag for a user. `None` rules: the flag is unknown (off).
pub fn evaluate(key: &str, rule: Option<&FlagRule>, user_key: &str) -> Evaluation {
    let (value, reason) = match rule {
        None => (false, "ERROR"),
        Some(rule) if !rule.enabled => (false, "DISABLED"),
        Some(rule) if rule.deny.iter().any(|k| k == user_key) => (false, "TARGETING_MATCH"),
        Some(rule) if rule.allow.iter().any(|k| k == user_key) => (true, "TARGETING_MATCH"),
        Some(rule) if rule.rollout_percent >= 100.0 => (true, "DEFAULT"),
        Some(rule) => {
            // Weights in thousandths of a percent, like LaunchDarkly's 100000ths.
            let weight = (rule.rollout_percent * 1000.0).round() / 100_000.0;
            (bucket(key, &rule.salt, user_key) < weight, "SPLIT")
        }
    };
    Evaluation { key: key.to_owned(), value, reason, variant: if value { "on" } else { "off" } }
}

/// Reads and checks a flags file.
pub fn load_file(path: &Path) -> Result<FlagsFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read flags file {}: {e}", path.display()))?;
    let file: FlagsFile =
        serde_json::from_str(&text).map_err(|e| format!("flags file {} is invalid: {e}", path.display()))?;
    for (key, rule) in &file.flags {
        rule.check().map_err(|e| format!("flag {key}: {e}"))?;
    }
    Ok(file)
}

/// The rules in force: loaded from the flags file (and re-read when it
/// changes) or the demo default, and changed at run time by the admin API.
#[derive(Debug)]
pub struct FlagStore {
    rules: RwLock<BTreeMap<String, FlagRule>>,
    /// The flags file, when there is one.
    path: Option<PathBuf>,
    /// Modification time of the file as last loaded.
    loaded: Mutex<Option<SystemTime>>,
}

impl FlagStore {
    /// Rules from `path`, or the time-crunch flag on for everyone without one.
    pub fn open(path: Option<PathBuf>) -> Result<Self, String> {
        let (rules, loaded) = match &path {
            Some(path) => (load_file(path)?.flags, modified(path)),
            None => (BTreeMap::from([(FLAG_KEY.to_owned(), FlagRule::everyone())]), None),
        };
        Ok(FlagStore { rules: RwLock::new(rules), path, loaded: Mutex::new(loaded) })
    }

    /// A store holding exactly these rules, with no file behind it.
    pub fn with_rules(rules: BTreeMap<String, FlagRule>) -> Self {
        FlagStore { rules: RwLock::new(rules), path: None, loaded: Mutex::new(None) }
    }

    /// Evaluates a flag for a user.
    pub fn evaluate(&self, key: &str, user_key: &str) -> Evaluation {
        let rules = self.rules.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        evaluate(key, rules.get(key), user_key)
    }

    /// One flag's rule in force, if the flag is known (admin API).
    pub fn rule(&self, key: &str) -> Option<FlagRule> {
        self.rules.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(key).cloned()
    }

    /// Replaces one flag's rule (admin API).
    pub fn set(&self, key: &str, rule: FlagRule) {
        self.rules.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(key.to_owned(), rule);
    }

    /// Re-reads the file if it changed since it was loaded. A file that does
    /// not parse leaves the rules in force untouched (and says why).
    pub fn reload_if_changed(&self) -> Result<bool, String> {
        let Some(path) = &self.path else {
            return Ok(false);
        };
        let now = modified(path);
        let mut loaded = self.loaded.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if now == *loaded {
            return Ok(false);
        }
        *loaded = now;
        let file = load_file(path)?;
        *self.rules.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = file.flags;
        Ok(true)
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_is_stable_and_in_range() {
        let b = bucket(FLAG_KEY, "s1", "user-1");
        assert_eq!(b, bucket(FLAG_KEY, "s1", "user-1"));
        assert!((0.0..1.0).contains(&b));
        assert_ne!(b, bucket(FLAG_KEY, "s2", "user-1"));
    }

    #[test]
    fn a_user_in_at_ten_percent_stays_in_at_twenty() {
        let rule = |percent| FlagRule { rollout_percent: percent, salt: "s1".into(), ..FlagRule::everyone() };
        let users: Vec<String> = (0..2000).map(|n| format!("user-{n}")).collect();
        let at = |p: f64| -> Vec<bool> { users.iter().map(|u| evaluate(FLAG_KEY, Some(&rule(p)), u).value).collect() };
        let (ten, twenty) = (at(10.0), at(20.0));
        assert!(ten.iter().zip(&twenty).all(|(a, b)| !a || *b));
        let share = ten.iter().filter(|v| **v).count() as f64 / users.len() as f64;
        assert!((0.07..0.13).contains(&share), "{share}");
    }

    #[test]
    fn the_file_is_reread_when_it_changes_and_a_bad_file_keeps_the_old_rules() {
        let dir = std::env::temp_dir().join(format!("tc-flags-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("flags.json");
        let write = |enabled: bool| {
            let file = format!(r#"{{"flags": {{"{FLAG_KEY}": {{"enabled": {enabled}, "rolloutPercent": 100}}}}}}"#);
            std::fs::write(&path, file).unwrap();
        };
        write(true);
        let store = FlagStore::open(Some(path.clone())).unwrap();
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
    fn deny_beats_allow_and_disabled_beats_both() {
        let mut rule =
            FlagRule { rollout_percent: 0.0, allow: vec!["a".into()], deny: vec!["a".into()], ..FlagRule::everyone() };
        assert!(!evaluate(FLAG_KEY, Some(&rule), "a").value);
        rule.deny.clear();
        assert!(evaluate(FLAG_KEY, Some(&rule), "a").value);
        rule.enabled = false;
        assert_eq!(evaluate(FLAG_KEY, Some(&rule), "a").reason, "DISABLED");
    }
}
