//! Checks a running deployment of the server twin end to end, after each
//! deployment of the rollout plan.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-verify -- --url http://127.0.0.1:8080 \
//!     [--admin-token T] [--metrics-url http://127.0.0.1:9464/metrics]
//! ```
//! (the token may also come from `TIME_CRUNCH_ADMIN_TOKEN`, which keeps it
//! out of the process list).
//!
//! Prints one `PASS`, `FAIL` or `SKIP` line per check and exits 0 only when
//! none failed: health and readiness; flag evaluation; a preview; parity
//! (every golden fixture and corpus plans at 15, 60 and 180 minutes answer
//! byte for byte what this build's engine writes, errors included);
//! telemetry accepted; metrics present and counting it; and, with the admin
//! token, the telemetry read back through the admin export (a retry stored
//! once) and the flag turned off for one user (404 `feature_not_available`)
//! and restored (the admin override cleared, or the earlier one put back).
//! The flag change touches only the verifier's own user key, so real users
//! are not affected. About 100 requests in all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use reqwest::{Client, StatusCode, Url};
use serde_json::{json, Value};
use time_crunch::api::{DEFAULT_HOST, DEFAULT_METRICS_PORT, FLAG_KEY, USER_KEY_HEADER};

/// The flag the preview endpoint is behind.
/// User keys tried to find one the flag is on for.
const CANDIDATE_USERS: usize = 50;
/// Most export pages read back looking for the verifier's events.
const MAX_EXPORT_PAGES: usize = 100;
/// Targets each corpus plan is checked at.
const PARITY_TARGETS: [i64; 3] = [15, 60, 180];

const USAGE: &str = "usage: verify --url http://127.0.0.1:8080 [--admin-token T] [--metrics-url URL]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut url, mut token, mut metrics) = (None, std::env::var("TIME_CRUNCH_ADMIN_TOKEN").ok(), None);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--url" => &mut url,
            "--admin-token" => &mut token,
            "--metrics-url" => &mut metrics,
            _ => {
                eprintln!("unknown option {arg}\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        *slot = args.next();
    }
    let parse = |text: &str| Url::parse(text).map_err(|e| format!("{text} is not a URL: {e}"));
    let url = match url.as_deref().map(parse) {
        Some(Ok(url)) => url,
        Some(Err(message)) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
        None => {
            eprintln!("--url is required\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Without a metrics URL, the server twin's default metrics address on the same host.
    let metrics = metrics
        .unwrap_or_else(|| format!("http://{}:{DEFAULT_METRICS_PORT}/metrics", url.host_str().unwrap_or(DEFAULT_HOST)));
    let metrics = match parse(&metrics) {
        Ok(metrics) => metrics,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let client = match Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cannot build the HTTP client: {error}");
            return ExitCode::FAILURE;
        }
    };
    let token = token.filter(|t| !t.is_empty());
    let mut verifier = Verifier { client, url, metrics, token, failed: 0, user: None };
    verifier.run().await;
    let failed = verifier.failed;
    println!("verify: {}", if failed == 0 { "all checks passed".into() } else { format!("{failed} check(s) failed") });
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A check's result: `Ok(detail)` passes, `Err(detail)` fails.
type Check = Result<String, String>;

struct Verifier {
    client: Client,
    url: Url,
    metrics: Url,
    token: Option<String>,
    failed: usize,
    /// A user the flag is on for, once found.
    user: Option<String>,
}

/// An answer: status and body bytes.
struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Verifier {
    async fn run(&mut self) {
        let r = self.health().await;
        self.report("health and readiness", r);
        let r = self.flag().await;
        self.report("flag evaluation", r);
        let r = self.preview().await;
        self.report("preview", r);
        let r = self.parity().await;
        self.report("parity with the local engine", r);
        let before = self.metrics_text().await.ok();
        let tail = match &self.token {
            Some(_) => self.export_tail().await.map(Some),
            None => Ok(None),
        };
        let (r, sent) = self.telemetry().await;
        self.report("telemetry accepted", r);
        let r = self.metrics_check(before.as_deref(), sent.len()).await;
        self.report("metrics present and counting", r);
        if self.token.is_some() {
            let r = match tail {
                Ok(tail) => self.read_back(tail.unwrap_or(0), &sent).await,
                Err(message) => Err(message),
            };
            self.report("telemetry read back through the admin export, a retry stored once", r);
            let r = self.flag_off().await;
            self.report("flag off for a user: 404 feature_not_available, then restored", r);
        } else {
            println!("SKIP telemetry read back (needs --admin-token)");
            println!("SKIP flag off and restored (needs --admin-token)");
        }
    }

    fn report(&mut self, name: &str, result: Check) {
        match result {
            Ok(detail) => println!("PASS {name}: {detail}"),
            Err(detail) => {
                self.failed += 1;
                println!("FAIL {name}: {detail}");
            }
        }
    }

    fn join(&self, path: &str) -> Result<Url, String> {
        self.url.join(path).map_err(|e| format!("{}{path}: {e}", self.url))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, String> {
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| e.to_string())?.to_vec();
        Ok(Answer { status, body })
    }

    async fn get(&self, path: &str) -> Result<Answer, String> {
        self.send(self.client.get(self.join(path)?)).await
    }

    async fn post_preview(&self, body: &str, user: &str) -> Result<Answer, String> {
        let request = self
            .client
            .post(self.join("/v1/time-crunch/preview")?)
            .header("content-type", "application/json")
            .header(USER_KEY_HEADER, user)
            .body(body.to_owned());
        self.send(request).await
    }

    fn admin(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request.bearer_auth(self.token.as_deref().unwrap_or_default())
    }

    async fn health(&self) -> Check {
        let health = self.get("/healthz").await?;
        let ready = self.get("/readyz").await?;
        if health.status != StatusCode::OK || ready.status != StatusCode::OK {
            return Err(format!(
                "/healthz {} {:?}, /readyz {} {:?}",
                health.status,
                health.text(),
                ready.status,
                ready.text()
            ));
        }
        Ok(format!("/healthz {:?}, /readyz {:?}", health.text(), ready.text()))
    }

    /// Evaluates the flag for candidate users and keeps the first one in.
    async fn flag(&mut self) -> Check {
        for n in 0..CANDIDATE_USERS {
            let user = format!("verify-user-{n}");
            let answer = self.get(&format!("/v1/flags/{FLAG_KEY}?userKey={user}")).await?;
            let value = answer.json();
            let well_formed = answer.status == StatusCode::OK
                && value["key"] == FLAG_KEY
                && value["value"].is_boolean()
                && value["variant"] == if value["value"] == true { "on" } else { "off" }
                && ["DISABLED", "TARGETING_MATCH", "SPLIT", "DEFAULT", "ERROR"]
                    .contains(&value["reason"].as_str().unwrap_or(""));
            if !well_formed {
                return Err(format!("{user}: status {} body {}", answer.status, answer.text()));
            }
            if value["value"] == true {
                self.user = Some(user.clone());
                return Ok(format!("on for {user} (reason {}); {n} candidate(s) before it were off", value["reason"]));
            }
        }
        Err(format!("the flag is off for all {CANDIDATE_USERS} candidate users; previews cannot be checked"))
    }

    fn user(&self) -> Result<&str, String> {
        self.user.as_deref().ok_or_else(|| "no user the flag is on for".into())
    }

    async fn preview(&self) -> Check {
        let request = std::fs::read_to_string(fixtures_dir().join("supersets-pull-day.request.json"))
            .map_err(|e| format!("cannot read the fixture: {e}"))?;
        let answer = self.post_preview(&request, self.user()?).await?;
        if answer.status != StatusCode::OK {
            return Err(format!("status {}: {}", answer.status, answer.text()));
        }
        let preview =
            time_crunch::wire::json::preview_from_json(&answer.text()).map_err(|e| format!("not a preview: {e}"))?;
        Ok(format!(
            "{} for {} min, {} min estimated",
            preview.strategy.as_str(),
            preview.target_minutes,
            preview.estimated_minutes
        ))
    }

    /// Every request the local engine is compared on: the golden fixtures
    /// and the corpus plans at a few targets.
    fn parity_cases() -> Result<Vec<(String, String)>, String> {
        let mut cases = Vec::new();
        for (name, text) in read_dir(&fixtures_dir(), ".request.json")? {
            cases.push((name, text));
        }
        for (name, text) in read_dir(&tests_dir().join("corpus"), ".plan.json")? {
            let plan: Value = serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
            for target in PARITY_TARGETS {
                cases.push((
                    format!("{name} at {target} min"),
                    json!({ "plan": plan, "targetMinutes": target }).to_string(),
                ));
            }
        }
        Ok(cases)
    }

    async fn parity(&self) -> Check {
        let user = self.user()?;
        let cases = Self::parity_cases()?;
        let mut differ = Vec::new();
        for (name, request) in &cases {
            let answer = self.post_preview(request, user).await?;
            // What this build's engine answers, as the server would write it.
            let (status, expected) =
                match time_crunch::wire::json::request_from_json(request).and_then(|r| time_crunch::preview(&r)) {
                    Ok(preview) => (StatusCode::OK, time_crunch::wire::json::to_json(&preview)),
                    Err(error) => {
                        let status = StatusCode::from_u16(error.code.http_status())
                            .expect("the engine's error statuses are valid HTTP statuses");
                        (status, time_crunch::wire::json::to_json(&error.envelope()))
                    }
                };
            if answer.status != status || answer.body != expected.as_bytes() {
                differ.push(format!("{name} (status {} vs {status})", answer.status));
            }
        }
        if differ.is_empty() {
            Ok(format!("{} requests answered byte for byte as the local engine", cases.len()))
        } else {
            Err(format!("{} of {} differ: {}", differ.len(), cases.len(), differ.join(", ")))
        }
    }

    /// Posts one event of each type with ids unique to this run.
    async fn telemetry(&self) -> (Check, Vec<Value>) {
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        let run = format!("verify-{}-{now}", std::process::id());
        let user = self.user.clone().unwrap_or_else(|| "verify".into());
        let base = |n: usize, kind: &str| json!({ "id": format!("{run}-{n}"), "type": kind, "at": now, "sessionId": run, "userKey": user });
        let mut events = vec![
            base(0, "modal_opened"),
            base(1, "preview_generated"),
            base(2, "preview_applied"),
            base(3, "preview_failed"),
            base(4, "flag_evaluated"),
        ];
        for (key, value) in [
            ("strategy", json!("supersets")),
            ("targetMinutes", json!(30)),
            ("fits", json!(true)),
            ("generationMs", json!(0.25)),
        ] {
            events[1][key] = value;
        }
        events[3]["errorCode"] = json!("invalid_plan");
        events[4]["flagValue"] = json!(true);
        (self.post_telemetry(&events).await, events)
    }

    async fn post_telemetry(&self, events: &[Value]) -> Check {
        let request = self
            .client
            .post(self.join("/v1/telemetry")?)
            .header("content-type", "application/json")
            .body(json!({ "events": events }).to_string());
        let answer = self.send(request).await?;
        let value = answer.json();
        if answer.status == StatusCode::ACCEPTED && value["accepted"] == events.len() && value["rejected"] == json!([])
        {
            Ok(format!("202, {} events accepted", events.len()))
        } else {
            Err(format!("status {}: {}", answer.status, answer.text()))
        }
    }

    async fn metrics_text(&self) -> Result<String, String> {
        let answer = self.send(self.client.get(self.metrics.clone())).await?;
        if answer.status != StatusCode::OK {
            return Err(format!("{} answered {}", self.metrics, answer.status));
        }
        Ok(answer.text())
    }

    async fn metrics_check(&self, before: Option<&str>, sent: usize) -> Check {
        let text = self.metrics_text().await?;
        let series = [
            "time_crunch_http_requests_total",
            "time_crunch_http_request_duration_seconds_bucket",
            "time_crunch_previews_total",
            "time_crunch_flag_evaluations_total",
            "time_crunch_telemetry_events_total",
            "process_resident_memory_bytes",
        ];
        let missing: Vec<&str> = series.iter().copied().filter(|s| !text.lines().any(|l| l.starts_with(s))).collect();
        if !missing.is_empty() {
            return Err(format!("{} lacks {}", self.metrics, missing.join(", ")));
        }
        let accepted = r#"time_crunch_telemetry_events_total{outcome="accepted"}"#;
        let (Some(after), Some(before)) = (sample(&text, accepted), before.map(|b| sample(b, accepted).unwrap_or(0.0)))
        else {
            return Err(format!("{accepted} could not be read before and after posting"));
        };
        // Other clients may post at the same time: at least ours were counted.
        if after - before < sent as f64 {
            return Err(format!("{accepted} went from {before} to {after} after {sent} events were accepted"));
        }
        Ok(format!("{} series present; accepted telemetry counted ({before} → {after})", series.len()))
    }

    /// Exported events after `since`, as `(seq, event)`.
    async fn export(&self, since: i64) -> Result<Vec<(i64, Value)>, String> {
        let request = self.admin(self.client.get(self.join(&format!("/v1/admin/telemetry?since={since}"))?));
        let answer = self.send(request).await?;
        if answer.status != StatusCode::OK {
            return Err(format!("the admin export answered {}: {}", answer.status, answer.text()));
        }
        answer
            .text()
            .lines()
            .map(|line| {
                let row: Value = serde_json::from_str(line).map_err(|e| format!("export line not JSON: {e}"))?;
                Ok((row["seq"].as_i64().ok_or("export line without seq")?, row["event"].clone()))
            })
            .collect()
    }

    /// The highest stored sequence number, found without reading every event:
    /// rows after `s` exist exactly when `s` is below it, so gallop then bisect.
    async fn export_tail(&self) -> Result<i64, String> {
        let (mut lo, mut hi): (i64, Option<i64>) = (0, None);
        for _ in 0..200 {
            if hi == Some(lo) {
                return Ok(lo);
            }
            let probe = match hi {
                None => lo.saturating_mul(2),
                Some(hi) => lo + (hi - lo) / 2,
            };
            match self.export(probe).await?.last() {
                Some((seq, _)) => lo = lo.max(*seq),
                None => hi = Some(probe),
            }
        }
        Err("could not find the end of the telemetry export".into())
    }

    async fn read_back(&self, tail: i64, sent: &[Value]) -> Check {
        let wanted: BTreeMap<&str, &Value> = sent.iter().filter_map(|e| Some((e["id"].as_str()?, e))).collect();
        let found = self.collect(tail, &wanted).await?;
        let check = |found: &BTreeMap<String, Vec<Value>>| -> Result<(), String> {
            for (id, event) in &wanted {
                match found.get(*id).map(Vec::as_slice) {
                    Some([stored]) if stored == *event => {}
                    Some([stored]) => return Err(format!("{id} stored as {stored}, sent as {event}")),
                    Some(copies) => return Err(format!("{id} stored {} times", copies.len())),
                    None => return Err(format!("{id} was acknowledged but is not in the export")),
                }
            }
            Ok(())
        };
        check(&found)?;
        // A client retrying the same batch (same ids) is acknowledged again but stored once.
        self.post_telemetry(sent).await.map_err(|e| format!("retry: {e}"))?;
        check(&self.collect(tail, &wanted).await?).map_err(|e| format!("after a retry: {e}"))?;
        Ok(format!("{} events stored as sent, once each, also after a retry", sent.len()))
    }

    /// The wanted events exported after `tail`, by id (several copies if stored twice).
    async fn collect(
        &self,
        tail: i64,
        wanted: &BTreeMap<&str, &Value>,
    ) -> Result<BTreeMap<String, Vec<Value>>, String> {
        let (mut found, mut since) = (BTreeMap::<String, Vec<Value>>::new(), tail);
        for _ in 0..MAX_EXPORT_PAGES {
            let rows = self.export(since).await?;
            let Some((last, _)) = rows.last() else { break };
            since = *last;
            for (_, event) in rows {
                if let Some(id) = event["id"].as_str().filter(|id| wanted.contains_key(id)) {
                    found.entry(id.to_owned()).or_default().push(event.clone());
                }
            }
        }
        Ok(found)
    }

    /// Denies the flag to this verifier's user only, checks the preview
    /// endpoint degrades to 404 `feature_not_available`, then restores the
    /// rule as it was and checks previews come back. A PUT is an admin
    /// override that stays in force over the flags file, so a rule that came
    /// from the file (or the default) is restored by clearing the override
    /// with DELETE; an earlier admin override (or a server that does not say
    /// where its rule comes from) by putting it back.
    async fn flag_off(&self) -> Check {
        let user = self.user()?.to_owned();
        let rule_url = self.join(&format!("/v1/admin/flags/{FLAG_KEY}"))?;
        let wrong = self
            .send(
                self.client
                    .put(rule_url.clone())
                    .bearer_auth("not-the-token")
                    .header("content-type", "application/json")
                    .body(r#"{"enabled":false}"#),
            )
            .await?;
        if wrong.status != StatusCode::UNAUTHORIZED {
            return Err(format!("a wrong admin token got {}, not 401", wrong.status));
        }
        let current = self.send(self.admin(self.client.get(rule_url.clone()))).await?;
        if current.status != StatusCode::OK {
            return Err(format!(
                "cannot read the rule to restore it ({}), so the flag was not touched",
                current.status
            ));
        }
        let original = current.json()["rule"].clone();
        let clear_to_restore = matches!(current.json()["source"].as_str(), Some("file" | "default"));
        let mut denied = original.clone();
        match denied["deny"].as_array_mut() {
            Some(deny) => deny.push(json!(user)),
            None => denied["deny"] = json!([user]),
        }
        let put = |rule: &Value| {
            self.admin(
                self.client.put(rule_url.clone()).header("content-type", "application/json").body(rule.to_string()),
            )
        };
        let changed = self.send(put(&denied)).await?;
        let outcome = if changed.status == StatusCode::OK {
            self.previews_refused(&user).await
        } else {
            Err(format!("PUT answered {}", changed.status))
        };
        // Restore whatever happened above.
        let (restored, by_hand) = if clear_to_restore {
            let delete = self.admin(self.client.delete(rule_url.clone()));
            (self.send(delete).await?, format!("clear the override by hand: DELETE {rule_url}"))
        } else {
            (self.send(put(&original)).await?, format!("put this rule back by hand: {original}"))
        };
        if restored.status != StatusCode::OK {
            return Err(format!("RESTORE FAILED ({}): {by_hand}", restored.status));
        }
        let now = self.send(self.admin(self.client.get(rule_url.clone()))).await?.json();
        if now["rule"] != original {
            return Err(format!("RESTORE FAILED: the rule in force is {}, not {original}", now["rule"]));
        }
        let detail = outcome?;
        let back =
            std::fs::read_to_string(fixtures_dir().join("fits-as-written.request.json")).map_err(|e| e.to_string())?;
        let answer = self.post_preview(&back, &user).await?;
        if answer.status != StatusCode::OK {
            return Err(format!("after restoring the rule, previews answer {}", answer.status));
        }
        Ok(format!("{detail}; rule restored and previews answer 200 again"))
    }

    async fn previews_refused(&self, user: &str) -> Check {
        let evaluation = self.get(&format!("/v1/flags/{FLAG_KEY}?userKey={user}")).await?.json();
        if evaluation["value"] != false {
            return Err(format!("the flag still evaluates {} for {user}", evaluation["value"]));
        }
        let request =
            std::fs::read_to_string(fixtures_dir().join("fits-as-written.request.json")).map_err(|e| e.to_string())?;
        let answer = self.post_preview(&request, user).await?;
        if answer.status != StatusCode::NOT_FOUND || answer.json()["error"]["code"] != "feature_not_available" {
            return Err(format!("a preview for {user} answered {}: {}", answer.status, answer.text()));
        }
        Ok(format!("{user} denied: flag false, preview 404 feature_not_available"))
    }
}

/// The repository's `tests/` folder (this crate lives in examples/verify).
fn tests_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests")).to_path_buf()
}

fn fixtures_dir() -> PathBuf {
    tests_dir().join("fixtures")
}

fn read_dir(dir: &Path, suffix: &str) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<(String, String)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let case = name.strip_suffix(suffix)?.to_owned();
            Some(std::fs::read_to_string(entry.path()).map(|text| (case, text)).map_err(|e| format!("{name}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    files.sort();
    Ok(files)
}

/// The value of one series in Prometheus text.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
}
