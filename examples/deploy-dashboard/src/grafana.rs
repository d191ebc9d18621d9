//! The three calls of Grafana's HTTP API a deployment makes, as Grafana
//! documents them, and what each of its answers means for the operator.
//!
//! - `GET /api/health` (no key): `{"commit", "database": "ok", "version"}`,
//!   503 with `"database": "failing"` when Grafana's database is down;
//! - `POST /api/dashboards/db` with `{"dashboard", "folderUid", "overwrite",
//!   "message"}`: `{"id", "uid", "url", "status": "success", "version",
//!   "slug"}`; 400 (bad data; `folder not found`), 401, 403, 412
//!   (`version-mismatch`, `name-exists`, `plugin-dashboard`);
//! - `GET /api/dashboards/uid/{uid}`: `{"dashboard", "meta": {"url",
//!   "folderUid", ...}}`; 401, 403, 404 `Dashboard not found`.
//!
//! Error answers carry `{"message"}` (and for 412 a `status`), which every
//! sentence quotes. Redirects are not followed: a Grafana URL that redirects
//! points at a login page or a proxy, not at the API.

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{redirect, StatusCode, Url};
use serde::Deserialize;
use serde_json::Value;

use crate::error::DeployError;
use crate::profile::Profile;

/// The health check's path.
pub const HEALTH_PATH: &str = "api/health";
/// The save (create or update) path.
pub const SAVE_PATH: &str = "api/dashboards/db";
/// The read-back path, before the dashboard's uid.
pub const BY_UID_PATH: &str = "api/dashboards/uid/";
/// Most bytes of a non-JSON answer quoted in a message.
const QUOTED_BYTES: usize = 80;

/// `GET /api/health`.
#[derive(Debug, Deserialize)]
pub struct Health {
    /// Grafana's version, e.g. `11.3.0`.
    pub version: String,
    /// `ok` when Grafana can use its database.
    pub database: String,
}

/// `POST /api/dashboards/db`, answered 200.
#[derive(Debug, Deserialize)]
pub struct Saved {
    /// The dashboard's uid (ours: the file's).
    pub uid: String,
    /// Its path below Grafana's root, e.g. `/d/time-crunch/time-crunch`.
    pub url: String,
    /// `success`.
    pub status: String,
    /// The version Grafana gave this save.
    pub version: i64,
}

/// `GET /api/dashboards/uid/{uid}`, answered 200.
#[derive(Debug, Deserialize)]
pub struct Stored {
    /// The dashboard model as Grafana keeps it.
    pub dashboard: serde_json::Map<String, Value>,
    /// Where it is: its folder.
    pub meta: StoredMeta,
}

/// The `meta` of a read dashboard.
#[derive(Debug, Deserialize)]
pub struct StoredMeta {
    /// The folder's uid; empty (or absent) for the General folder.
    #[serde(default, rename = "folderUid")]
    pub folder_uid: String,
}

/// Which call an answer belongs to, for the sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Health,
    Save,
    Read,
}

impl Call {
    fn doing(self) -> &'static str {
        match self {
            Call::Health => "checking connectivity (GET /api/health)",
            Call::Save => "uploading the dashboard (POST /api/dashboards/db)",
            Call::Read => "reading the dashboard back (GET /api/dashboards/uid/…)",
        }
    }
}

/// A Grafana, reached through one profile.
pub struct Grafana {
    client: Client,
    profile: Profile,
    timeout: Duration,
}

impl Grafana {
    /// A client for the profile's Grafana; each request must be answered within `timeout`.
    pub fn new(profile: Profile, timeout: Duration) -> Result<Grafana, DeployError> {
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(redirect::Policy::none())
            .user_agent(concat!("time-crunch-deploy-dashboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| DeployError::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Grafana { client, profile, timeout })
    }

    /// The URL of an API path below Grafana's root.
    pub fn endpoint(&self, path: &str) -> Url {
        self.profile.url.join(path).expect("API paths are relative and valid")
    }

    /// Connectivity: Grafana answers and its database is ok.
    pub fn health(&self) -> Result<Health, DeployError> {
        let request = self.client.get(self.endpoint(HEALTH_PATH)).header(ACCEPT, "application/json");
        let health: Health = self.call(Call::Health, request)?;
        if health.database != "ok" {
            return Err(DeployError::Refused(format!(
                "Grafana {} at {} answers, but its database is {:?}: fix Grafana before deploying",
                health.version, self.profile.url, health.database
            )));
        }
        Ok(health)
    }

    /// Saves the dashboard (`body` as [`crate::dashboard::Dashboard::save_request`] makes it).
    pub fn save(&self, body: &Value) -> Result<Saved, DeployError> {
        let request = self.authorized(self.client.post(self.endpoint(SAVE_PATH))).json(body);
        let saved: Saved = self.call(Call::Save, request)?;
        if saved.status != "success" {
            return Err(DeployError::BadAnswer(format!(
                "{}: Grafana answered 200 with status {:?}, not \"success\"",
                Call::Save.doing(),
                saved.status
            )));
        }
        Ok(saved)
    }

    /// Reads a dashboard back by its uid.
    pub fn read(&self, uid: &str) -> Result<Stored, DeployError> {
        let mut url = self.endpoint(BY_UID_PATH);
        url.path_segments_mut().expect("an http(s) URL has path segments").pop_if_empty().push(uid);
        let request = self.authorized(self.client.get(url));
        self.call(Call::Read, request)
    }

    /// The full URL of a path Grafana answered (`/d/uid/slug`), resolved against the Grafana URL.
    pub fn page(&self, path: &str) -> Result<Url, DeployError> {
        self.profile.url.join(path).map_err(|e| {
            DeployError::BadAnswer(format!("Grafana answered the dashboard URL {path:?}, which is not a path: {e}"))
        })
    }

    fn authorized(&self, request: RequestBuilder) -> RequestBuilder {
        request.bearer_auth(&self.profile.api_key).header(ACCEPT, "application/json")
    }

    /// Sends one request and reads its documented answer, or says what went wrong.
    fn call<T: for<'de> Deserialize<'de>>(&self, call: Call, request: RequestBuilder) -> Result<T, DeployError> {
        let response = request.send().map_err(|e| self.unreachable(call, &e))?;
        let status = response.status();
        let content_type =
            response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("no content type").to_string();
        let location =
            response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(String::from);
        let text = read_text(response).map_err(|e| self.unreachable(call, &e))?;
        let json: Option<Value> = serde_json::from_str(&text).ok();
        if status.is_redirection() {
            return Err(DeployError::Refused(format!(
                "{}: Grafana answered {status} to {}: {} should be Grafana's root URL itself, not a login page or proxy in front of it",
                call.doing(),
                location.as_deref().unwrap_or("somewhere else"),
                self.profile.url_var
            )));
        }
        if !status.is_success() {
            return Err(self.refusal(call, status, json.as_ref(), &text));
        }
        let Some(json) = json else {
            return Err(DeployError::BadAnswer(format!(
                "{}: the answer is not JSON ({content_type}, starting {:?}): is {} ({}) a Grafana server?",
                call.doing(),
                quote(&text),
                self.profile.url_var,
                self.profile.url
            )));
        };
        serde_json::from_value(json).map_err(|e| {
            DeployError::BadAnswer(format!(
                "{}: the answer is JSON but not what Grafana's API documents ({e}): starting {:?}",
                call.doing(),
                quote(&text)
            ))
        })
    }

    fn unreachable(&self, call: Call, error: &reqwest::Error) -> DeployError {
        let url = &self.profile.url;
        let why = if error.is_timeout() {
            format!("no answer within {} s (--timeout)", self.timeout.as_secs_f64())
        } else if error.is_connect() && root_cause(error).contains("certificate") {
            format!(
                "its TLS certificate is not trusted here ({}): a private CA goes into the system's trusted roots, or SSL_CERT_FILE",
                root_cause(error)
            )
        } else if error.is_connect() {
            format!("could not connect ({})", root_cause(error))
        } else {
            root_cause(error)
        };
        DeployError::Unreachable(format!(
            "{}: Grafana at {url} ({}) cannot be reached: {why}",
            call.doing(),
            self.profile.url_var
        ))
    }

    /// The sentence for an error status, with Grafana's own message.
    fn refusal(&self, call: Call, status: StatusCode, json: Option<&Value>, text: &str) -> DeployError {
        let field = |name: &str| json.and_then(|j| j.get(name)).and_then(Value::as_str).unwrap_or_default().to_string();
        let message = field("message");
        let database = field("database");
        let said = match (message.is_empty(), database.is_empty()) {
            (false, _) => format!("{status} {message:?}"),
            (true, false) => format!("{status} (database {database:?})"),
            (true, true) => format!("{status} ({:?})", quote(text)),
        };
        let key = &self.profile.api_key_var;
        let advice = match (call, status.as_u16()) {
            (_, 401) => format!("{key} is not a valid API key or service account token for {}", self.profile.url),
            (Call::Save, 403) => format!(
                "the account of {key} may not save dashboards{}: it needs the Editor role (or dashboards:write)",
                self.folder_phrase()
            ),
            (_, 403) => format!("the account of {key} may not read this dashboard"),
            (Call::Save, 400 | 404) if message.to_ascii_lowercase().contains("folder") => format!(
                "the folder{} does not exist in this Grafana: create it, or pick another with --folder-uid or GRAFANA_FOLDER_UID",
                self.folder_phrase()
            ),
            (Call::Save, 412) => match field("status").as_str() {
                "version-mismatch" => {
                    "someone changed the dashboard in Grafana since: rerun without --no-overwrite to replace their change".into()
                }
                "name-exists" => {
                    "another dashboard in that folder has the same title: rename or move it, or rerun without --no-overwrite"
                        .into()
                }
                other => format!("Grafana refused the save ({other:?})"),
            },
            (Call::Read, 404) => "the dashboard just saved is not there: check that the account can see its folder".into(),
            (Call::Health, 503) => "Grafana is up but not healthy: check its database".into(),
            (_, 500..=599) => "Grafana failed: see its server log".into(),
            _ => "see Grafana's message".into(),
        };
        DeployError::Refused(format!("{}: Grafana answered {said}: {advice}", call.doing()))
    }

    fn folder_phrase(&self) -> String {
        match &self.profile.folder_uid {
            Some(uid) => format!(" {uid:?}"),
            None => " (General)".into(),
        }
    }
}

/// The body as text, at most Grafana's answer's worth (the client's timeout bounds the time).
fn read_text(response: Response) -> Result<String, reqwest::Error> {
    let bytes = response.bytes()?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The start of an answer, for a message.
fn quote(text: &str) -> String {
    let trimmed = text.trim();
    match trimmed.char_indices().nth(QUOTED_BYTES) {
        Some((end, _)) => format!("{}…", &trimmed[..end]),
        None => trimmed.to_string(),
    }
}

/// The innermost cause ("Connection refused (os error 111)"), which says more than reqwest's outer text.
fn root_cause(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(inner) = source.source() {
        source = inner;
    }
    source.to_string()
}
