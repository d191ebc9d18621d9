//! Soak test of a running server twin, ending in the rollout plan's go/no-go
//! verdict (SPEC §9: success > 95 %, mean response < 2 s, p95 < 5 s, error
//! rate < 5 %, memory stable).
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-soak -- --url http://127.0.0.1:8080 --duration 10m \
//!     --concurrency 8 [--rate 100] [--metrics-url http://127.0.0.1:9464/metrics | --pid PID] \
//!     [--max-requests N] [--progress 10s] [--seed 1]
//! ```
//!
//! Sends a realistic mix (previews of the corpus plans and golden fixtures
//! at targets from 15 to 180 minutes, flag evaluations, telemetry batches)
//! from `--concurrency` workers, at `--rate` calls per second in all or as
//! fast as they go; prints progress, then the figures and `verdict: GO` or
//! `verdict: NO-GO` with the reasons. Exit status 0 for GO, 1 for NO-GO, 2
//! for bad options. Loopback addresses only; every run is bounded in time
//! (at most 2 h) and calls (at most 5 million).
//!
//! The previews are sent for users the flag is on for: the soak evaluates
//! the flag for 100 candidate users first and keeps those in the rollout.

mod args;
mod figures;
mod memory;
mod traffic;

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use args::{Args, REQUEST_TIMEOUT};
use figures::{show, Figures, Memory, Outcome};
use reqwest::{Client, StatusCode, Url};
use serde_json::Value;
use time_crunch::api::{FLAG_KEY, USER_KEY_HEADER};
use traffic::{Call, Expect, Traffic};

/// Longest warm-up: memory growth is measured from its end, once the
/// server's allocator, connection pool and database cache have settled.
const MAX_WARM_UP: Duration = Duration::from_secs(60);
/// User keys tried before the run; those the flag is on for send previews.
const CANDIDATE_USERS: usize = 100;

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            println!("verdict: NO-GO\n  because: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<bool, String> {
    let client = Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let run_id = format!(
        "soak-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis())
    );
    let mut traffic = Traffic::load(&args.corpus, &args.fixtures, run_id)?;

    let health = client.get(join(&args.url, "/healthz")?).send().await;
    if !health.as_ref().is_ok_and(|r| r.status() == StatusCode::OK) {
        return Err(format!("the server at {} is not healthy (GET /healthz: {})", args.url, describe(health)));
    }
    let users = users_in_rollout(&client, &args.url, traffic.candidate_users(CANDIDATE_USERS)).await?;
    println!("soak: {} of {CANDIDATE_USERS} candidate users are in the rollout", users.len());
    traffic.set_users(users);

    let source = match (&args.metrics_url, args.pid) {
        (Some(url), _) => memory::Source::Metrics(url.clone()),
        (None, Some(pid)) => memory::Source::Proc(pid),
        (None, None) => unreachable!("Args::parse derives a metrics URL when no pid is given"),
    };
    let mut note = source.describe();
    let memory = Arc::new(Mutex::new(Memory::default()));
    match source.sample(&client).await {
        Ok(bytes) => {
            let mut m = memory.lock().unwrap_or_else(|p| p.into_inner());
            m.start = Some(bytes);
            m.observe(bytes);
        }
        Err(message) => note = format!("unavailable: {message}"),
    }
    let measure_memory = memory.lock().unwrap_or_else(|p| p.into_inner()).start.is_some();

    println!(
        "soak: {} for {:.0} s, {} workers, {}; progress every {:.0} s",
        args.url,
        args.duration.as_secs_f64(),
        args.concurrency,
        args.rate.map_or("as fast as they go".into(), |r| format!("{r} calls/s")),
        args.progress.as_secs_f64()
    );
    let start = Instant::now();
    let deadline = start + args.duration;
    let shared = Arc::new(Shared {
        client: client.clone(),
        url: args.url.clone(),
        traffic,
        seed: args.seed,
        max_calls: args.max_requests,
        deadline,
        next: AtomicU64::new(0),
        figures: Mutex::new(Figures::default()),
        pacer: args.rate.map(|rate| {
            let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            tokio::sync::Mutex::new(interval)
        }),
    });
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency {
        workers.spawn(worker(shared.clone()));
    }

    // Progress lines, and the memory baseline once the warm-up is over.
    let warm_up = (args.duration / 5).min(MAX_WARM_UP);
    let monitor = {
        let (shared, memory, source, client) = (shared.clone(), memory.clone(), source.clone(), client.clone());
        let progress = args.progress;
        tokio::spawn(async move {
            let warm_at = tokio::time::Instant::from_std(start + warm_up);
            let mut next = tokio::time::Instant::from_std(start + progress);
            let mut warm_taken = !measure_memory;
            let mut seen = shared.figures.lock().unwrap_or_else(|p| p.into_inner()).counts();
            loop {
                let wake = if warm_taken { next } else { next.min(warm_at) };
                tokio::time::sleep_until(wake).await;
                let rss = if measure_memory { source.sample(&client).await.ok() } else { None };
                let mut m = memory.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(bytes) = rss {
                    m.observe(bytes);
                    if !warm_taken && tokio::time::Instant::now() >= warm_at {
                        m.warm = Some(bytes);
                        warm_taken = true;
                    }
                }
                drop(m);
                if tokio::time::Instant::now() >= next {
                    next += progress;
                    let figures = shared.figures.lock().unwrap_or_else(|p| p.into_inner());
                    let elapsed = start.elapsed().as_secs_f64();
                    println!(
                        "[{elapsed:>6.1} s] {} calls ({:.1}/s), {} failed, p95 of the last {:.0} s {}, server RSS {}",
                        figures.calls(),
                        figures.calls() as f64 / elapsed,
                        figures.failures(),
                        progress.as_secs_f64(),
                        show(figures.recent_p95(&seen)),
                        rss.map_or("?".into(), |b| format!("{:.1} MB", b / 1e6)),
                    );
                    seen = figures.counts();
                }
            }
        })
    };
    while workers.join_next().await.is_some() {}
    let elapsed = start.elapsed();
    monitor.abort();

    if measure_memory {
        match source.sample(&client).await {
            Ok(bytes) => {
                let mut m = memory.lock().unwrap_or_else(|p| p.into_inner());
                m.end = Some(bytes);
                m.observe(bytes);
            }
            Err(message) => note = format!("unavailable at the end: {message}"),
        }
    }
    let memory = *memory.lock().unwrap_or_else(|p| p.into_inner());
    if measure_memory && memory.warm.is_none() {
        note = format!("{note}; the run ended before the {:.0} s warm-up", warm_up.as_secs_f64());
    }
    let figures = shared.figures.lock().unwrap_or_else(|p| p.into_inner());
    Ok(figures.report(elapsed, args.rate, &memory, &note))
}

/// What the workers share.
struct Shared {
    client: Client,
    url: Url,
    traffic: Traffic,
    seed: u64,
    max_calls: u64,
    deadline: Instant,
    /// Number of the next call; also how many were started.
    next: AtomicU64,
    figures: Mutex<Figures>,
    /// Paces the workers at the fixed rate, if one was asked.
    pacer: Option<tokio::sync::Mutex<tokio::time::Interval>>,
}

async fn worker(shared: Arc<Shared>) {
    loop {
        if let Some(pacer) = &shared.pacer {
            pacer.lock().await.tick().await;
        }
        if Instant::now() >= shared.deadline {
            return;
        }
        let n = shared.next.fetch_add(1, Ordering::Relaxed);
        if n >= shared.max_calls {
            return;
        }
        let call = shared.traffic.call(shared.seed, n);
        let sent = Instant::now();
        let outcome = send(&shared.client, &shared.url, &call).await;
        let elapsed = sent.elapsed();
        shared.figures.lock().unwrap_or_else(|p| p.into_inner()).record(call.kind, elapsed, outcome);
    }
}

fn join(base: &Url, path: &str) -> Result<Url, String> {
    base.join(path).map_err(|e| format!("{base}{path}: {e}"))
}

/// Sends one call and judges the answer.
async fn send(client: &Client, base: &Url, call: &Call) -> Outcome {
    let Ok(url) = join(base, &call.path) else {
        return Outcome::Failed("bad path".into());
    };
    let request = match &call.body {
        Some(body) => client.post(url).header("content-type", "application/json").body(body.clone()),
        None => client.get(url),
    };
    let response = match request.header(USER_KEY_HEADER, &call.user).send().await {
        Ok(response) => response,
        Err(error) => return Outcome::Failed(format!("{}: {}", call.kind.name(), transport(&error))),
    };
    let status = response.status();
    match response.bytes().await {
        Ok(body) => judge(call, status, &body),
        Err(error) => Outcome::Failed(format!("{}: body {}", call.kind.name(), transport(&error))),
    }
}

/// A short, low-cardinality name for a transport failure.
fn transport(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "transport error"
    }
}

/// Whether the answer is the one `call.expect` describes.
fn judge(call: &Call, status: StatusCode, body: &[u8]) -> Outcome {
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let ok = match &call.expect {
        Expect::Preview { target } => {
            let fits = value["fits"].as_bool();
            if status == StatusCode::OK && value["targetMinutes"].as_i64() == Some(*target) && fits.is_some() {
                return Outcome::Ok { fits };
            }
            false
        }
        Expect::Error { code } => status.is_client_error() && value["error"]["code"].as_str() == Some(code),
        Expect::Accepted { events } => {
            status == StatusCode::ACCEPTED
                && value["accepted"].as_u64() == Some(*events as u64)
                && value["rejected"].as_array().is_some_and(Vec::is_empty)
        }
        Expect::Evaluation => status == StatusCode::OK && value["value"].is_boolean(),
    };
    if ok {
        return Outcome::Ok { fits: None };
    }
    let code = value["error"]["code"].as_str().unwrap_or("unexpected body");
    Outcome::Failed(format!("{}: {} {code}", call.kind.name(), status.as_u16()))
}

/// The candidate users the flag is on for (a browser only offers the
/// feature, and so only previews, when it is).
async fn users_in_rollout(client: &Client, base: &Url, candidates: Vec<String>) -> Result<Vec<String>, String> {
    let mut users = Vec::new();
    for user in candidates {
        let url = join(base, &format!("/v1/flags/{FLAG_KEY}?userKey={user}"))?;
        let response = client.get(url).send().await.map_err(|e| format!("flag evaluation: {e}"))?;
        let value = json_body(response).await?;
        if value["value"] == Value::Bool(true) {
            users.push(user);
        }
    }
    if users.is_empty() {
        return Err(format!("the flag {FLAG_KEY} is off for all {CANDIDATE_USERS} candidate users"));
    }
    Ok(users)
}

/// Reads a body as JSON (reqwest's `json` feature is off).
async fn json_body(response: reqwest::Response) -> Result<Value, String> {
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| format!("not JSON: {e}"))
}

fn describe(result: Result<reqwest::Response, reqwest::Error>) -> String {
    match result {
        Ok(response) => format!("status {}", response.status()),
        Err(error) => error.to_string(),
    }
}
