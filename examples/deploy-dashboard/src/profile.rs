//! Where a deployment goes: the Grafana URL, API key and folder of an
//! environment, read from the environment variables of its profile.
//!
//! `deploy-dashboard staging` reads `GRAFANA_URL_STAGING`,
//! `GRAFANA_API_KEY_STAGING` and `GRAFANA_FOLDER_UID_STAGING`, each falling
//! back to the plain name (`GRAFANA_URL`, ...); without an environment name
//! only the plain names are read. A name is letters, digits, `-` and `_`;
//! in the variable it is upper case with `-` as `_` (`prod-eu` →
//! `GRAFANA_URL_PROD_EU`). `--folder-uid` wins over both folder variables.

use reqwest::Url;

use crate::error::DeployError;

/// The variable name stems; each is read as `{stem}_{ENV}`, then `{stem}`.
const URL_VAR: &str = "GRAFANA_URL";
const API_KEY_VAR: &str = "GRAFANA_API_KEY";
const FOLDER_UID_VAR: &str = "GRAFANA_FOLDER_UID";

/// Grafana's limit on a folder or dashboard uid.
const MAX_UID_LEN: usize = 40;

/// One environment's Grafana, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Grafana's root URL, ending in `/` so API paths join below it (a sub-path like `/grafana/` is kept).
    pub url: Url,
    /// The variable the URL came from, for messages.
    pub url_var: String,
    /// The API key or service account token, sent as `Authorization: Bearer`.
    pub api_key: String,
    /// The variable the key came from, for messages (the key itself is never printed).
    pub api_key_var: String,
    /// The folder to deploy into; `None` is Grafana's General folder.
    pub folder_uid: Option<String>,
}

/// Resolves the profile of `env` (or the plain names without one) through `lookup`, the process environment in `main`.
pub fn resolve(
    env: Option<&str>,
    folder_flag: Option<&str>,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Profile, DeployError> {
    let suffix = match env {
        Some(name) => Some(variable_suffix(name)?),
        None => None,
    };
    let read = |stem: &str| -> Option<(String, String)> {
        let names = suffix.iter().map(|s| format!("{stem}_{s}")).chain([stem.to_string()]);
        for name in names {
            if let Some(value) = lookup(&name).filter(|v| !v.trim().is_empty()) {
                return Some((name, value.trim().to_string()));
            }
        }
        None
    };
    let looked_for = |stem: &str| match &suffix {
        Some(s) => format!("{stem}_{s} or {stem}"),
        None => stem.to_string(),
    };

    let (url_var, url_text) = read(URL_VAR).ok_or_else(|| {
        DeployError::Config(format!(
            "no Grafana URL: set {} to the Grafana root URL, e.g. https://grafana.example.com/",
            looked_for(URL_VAR)
        ))
    })?;
    let url = grafana_url(&url_text).map_err(|why| DeployError::Config(format!("{url_var}={url_text:?} {why}")))?;
    let (api_key_var, api_key) = read(API_KEY_VAR).ok_or_else(|| {
        DeployError::Config(format!(
            "no Grafana API key: set {} to a service account token (or API key) with the Editor role",
            looked_for(API_KEY_VAR)
        ))
    })?;
    if api_key.chars().any(|c| c.is_control() || c == ' ') {
        return Err(DeployError::Config(format!(
            "{api_key_var} holds spaces or control characters: it must be the token alone"
        )));
    }
    let folder_uid = match folder_flag {
        Some(uid) => Some(("--folder-uid".to_string(), uid.trim().to_string())),
        None => read(FOLDER_UID_VAR),
    };
    let folder_uid = match folder_uid {
        Some((source, uid)) => {
            if uid.is_empty()
                || uid.len() > MAX_UID_LEN
                || !uid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(DeployError::Config(format!(
                    "{source} {uid:?} is not a Grafana folder uid (1 to {MAX_UID_LEN} letters, digits, - or _)"
                )));
            }
            Some(uid)
        }
        None => None,
    };
    Ok(Profile { url, url_var, api_key, api_key_var, folder_uid })
}

/// `staging` → `STAGING`, `prod-eu` → `PROD_EU`; anything else is refused rather than guessed at.
fn variable_suffix(env: &str) -> Result<String, DeployError> {
    if env.is_empty() || !env.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(DeployError::Config(format!(
            "environment {env:?} is not a profile name (letters, digits, - and _, e.g. staging)"
        )));
    }
    Ok(env.to_ascii_uppercase().replace('-', "_"))
}

/// An http(s) URL with a host, without credentials, query or fragment, ending in `/`.
fn grafana_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text).map_err(|e| format!("is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must start with https:// or http://".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user or password: the API key authenticates".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must be Grafana's root URL, without ? or #".into());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_profile_variables_win_over_the_plain_names() {
        let lookup = env(&[
            ("GRAFANA_URL", "http://plain.example"),
            ("GRAFANA_URL_STAGING", "https://staging.example/grafana"),
            ("GRAFANA_API_KEY", "plain-key"),
            ("GRAFANA_FOLDER_UID_STAGING", "rollout"),
        ]);
        let profile = resolve(Some("staging"), None, &lookup).unwrap();
        assert_eq!(profile.url.as_str(), "https://staging.example/grafana/");
        assert_eq!(profile.url_var, "GRAFANA_URL_STAGING");
        assert_eq!((profile.api_key.as_str(), profile.api_key_var.as_str()), ("plain-key", "GRAFANA_API_KEY"));
        assert_eq!(profile.folder_uid.as_deref(), Some("rollout"));
        // Without an environment only the plain names count.
        let plain = resolve(None, Some("other"), &lookup).unwrap();
        assert_eq!(plain.url.as_str(), "http://plain.example/");
        assert_eq!(plain.folder_uid.as_deref(), Some("other"));
    }

    #[test]
    fn a_dashed_environment_name_reads_underscored_variables() {
        let lookup = env(&[("GRAFANA_URL_PROD_EU", "https://eu.example"), ("GRAFANA_API_KEY_PROD_EU", "k")]);
        let profile = resolve(Some("prod-eu"), None, &lookup).unwrap();
        assert_eq!(profile.url_var, "GRAFANA_URL_PROD_EU");
        assert_eq!(profile.folder_uid, None);
    }

    #[test]
    fn missing_or_unusable_settings_are_sentences_naming_the_variables() {
        let message = |pairs: &[(&str, &str)], env_name: Option<&str>, folder: Option<&str>| {
            resolve(env_name, folder, env(pairs)).unwrap_err().to_string()
        };
        assert!(message(&[], Some("staging"), None).contains("GRAFANA_URL_STAGING or GRAFANA_URL"));
        assert!(message(&[("GRAFANA_URL", "https://g.example")], None, None).contains("set GRAFANA_API_KEY "));
        assert!(message(&[("GRAFANA_URL", "grafana.example")], None, None).contains("is not a URL"));
        assert!(message(&[("GRAFANA_URL", "ftp://g.example")], None, None).contains("https://"));
        assert!(message(&[("GRAFANA_URL", "https://u:p@g.example")], None, None).contains("user or password"));
        let with_key = [("GRAFANA_URL", "https://g.example"), ("GRAFANA_API_KEY", "k")];
        assert!(
            message(&with_key, None, Some("no/such")).contains("--folder-uid \"no/such\" is not a Grafana folder uid")
        );
        assert!(message(&with_key, Some("stag ing"), None).contains("is not a profile name"));
        assert!(message(&[("GRAFANA_URL", "https://g.example"), ("GRAFANA_API_KEY", "two words")], None, None)
            .contains("spaces or control characters"));
    }
}
