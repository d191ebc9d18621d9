//! Feature flag rules (SPEC §9): rules per flag and LaunchDarkly-compatible
//! percentage bucketing (a user who is in at 10 % stays in at 20 %). The
//! rules in force are kept by [`crate::flag_store`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

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

impl Evaluation {
    /// Whether the flag has rules (an unknown flag evaluates off with `ERROR`).
    pub fn flag_is_known(&self) -> bool {
        self.reason != UNKNOWN_FLAG_REASON
    }
}

/// The reason of an unknown flag's evaluation.
const UNKNOWN_FLAG_REASON: &str = "ERROR";

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
        None => (false, UNKNOWN_FLAG_REASON),
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

#[cfg(test)]
mod tests {
    use super::*;
    use time_crunch::api::FLAG_KEY;

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
