//! The server twin: the same engine natively, behind the feature flag.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-server -- [--addr 127.0.0.1:8080] [--flags FILE] \
//!     [--static-dir www/dist] [--pkg-dir pkg]
//! ```
//!
//! - `POST /v1/time-crunch/preview`: the preview the browser module computes,
//!   byte for byte; 404 `feature_not_available` when the flag is off for the
//!   caller (`userKey` query parameter or `x-user-key` header).
//! - `GET /v1/flags/{key}?userKey=K`: flag evaluation, OpenFeature shape;
//!   the flags file is re-read when it changes, and with
//!   `TIME_CRUNCH_ADMIN_TOKEN` set, `PUT /v1/admin/flags/{key}` (bearer
//!   token, one rule as the body) changes a flag at run time and
//!   `GET /v1/admin/flags/{key}` reads the rule in force.
//! - `POST /v1/telemetry`: a batch of the browser module's events, stored in
//!   SQLite before the 202; `GET /v1/admin/telemetry?since=SEQ` (token)
//!   exports them as JSON lines.
//! - `GET /metrics` on `--metrics-addr` (default 127.0.0.1:9464): Prometheus.
//! - `GET /healthz`, `GET /readyz`; the built page at `/` and the npm
//!   package at `/pkg`.

mod config;
mod error;
mod flags;
mod metrics;
mod serve;
mod telemetry;

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::services::{ServeDir, ServeFile};

use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderName, Method};
use config::{Config, MAX_BODY_BYTES, MAX_CONCURRENT_REQUESTS, REQUEST_TIMEOUT_SECONDS};
use error::AppError;
use flags::{FlagRule, FlagStore, TIME_CRUNCH_FLAG};
use metrics::Metrics;
use telemetry::TelemetryStore;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How often the flags file is checked for changes (a rollback through the
/// file takes effect within this, well under a second).
const FLAGS_POLL: Duration = Duration::from_millis(250);

/// Shared state of every handler.
#[derive(Debug)]
pub struct AppState {
    /// The flag rules in force.
    pub flags: FlagStore,
    /// Bearer token of the admin routes; `None` turns them off.
    pub admin_token: Option<String>,
    /// Where accepted telemetry is stored.
    pub telemetry: Arc<TelemetryStore>,
    /// Origins allowed by CORS (none: same-origin only).
    pub cors_origins: Vec<String>,
    /// Requests handled at once before shedding with 503.
    pub max_concurrent: usize,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Per-client (IP address) limit on telemetry batches; `None`: no limit.
    pub telemetry_limiter: Option<TelemetryLimiter>,
}

impl AppState {
    /// Evaluates a flag for a user and counts the evaluation (unknown keys
    /// share one label value, so arbitrary keys cannot grow the series).
    pub fn evaluate_flag(&self, key: &str, user_key: &str) -> flags::Evaluation {
        let evaluation = self.flags.evaluate(key, user_key);
        let flag = if key == TIME_CRUNCH_FLAG { TIME_CRUNCH_FLAG } else { "other" };
        let value = if evaluation.value { "true" } else { "false" };
        self.metrics.flag_evaluations.with_label_values(&[flag, value, evaluation.reason, "server"]).inc();
        evaluation
    }
}

/// A rate limiter keyed by client address.
pub type TelemetryLimiter = governor::DefaultKeyedRateLimiter<std::net::IpAddr>;

/// A limiter of `rate` batches per second per client, bursts of twice that.
pub fn telemetry_limiter(rate: u32) -> Option<TelemetryLimiter> {
    let rate = std::num::NonZeroU32::new(rate)?;
    let burst = rate.saturating_mul(std::num::NonZeroU32::new(2)?);
    Some(governor::RateLimiter::keyed(governor::Quota::per_second(rate).allow_burst(burst)))
}

/// The API routes (the page and package are added by [`with_static`]).
pub fn app(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .route("/v1/time-crunch/preview", post(preview))
        .route("/v1/flags/{key}", get(flag))
        .route("/v1/telemetry", post(ingest_telemetry));
    if state.admin_token.is_some() {
        router = router
            .route("/v1/admin/flags/{key}", get(get_flag).put(put_flag))
            .route("/v1/admin/telemetry", get(export_telemetry));
    }
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.cors_origins.iter().filter_map(|o| o.parse().ok())))
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static("x-user-key")]);
    router
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A request not answered in time (a slow body, or slow work) gets
        // the error envelope like every other error.
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async { timed_out() }))
                .timeout(Duration::from_secs(REQUEST_TIMEOUT_SECONDS)),
        )
        .layer(cors)
        // Per-request spans and logs; RUST_LOG=tower_http=debug shows them.
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async { overloaded() }))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(state.max_concurrent)),
        )
        // Outermost, so shed and timed-out requests are counted too.
        .layer(axum::middleware::from_fn_with_state(state.clone(), track_requests))
        .with_state(state)
}

/// Counts every API request and its duration by matched route.
async fn track_requests(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let start = std::time::Instant::now();
    let response = next.run(request).await;
    state.metrics.http_duration.with_label_values(&[&route, &method]).observe(start.elapsed().as_secs_f64());
    state.metrics.http_requests.with_label_values(&[&route, &method, response.status().as_str()]).inc();
    response
}

/// The metrics listener's router: `GET /metrics`.
pub fn metrics_app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(|State(state): State<Arc<AppState>>| async move { state.metrics.render() }))
        .with_state(state)
}

/// Ready when the telemetry database answers.
async fn ready(State(state): State<Arc<AppState>>) -> Result<&'static str, AppError> {
    let store = state.telemetry.clone();
    tokio::task::spawn_blocking(move || store.ping())
        .await
        .map_err(|e| AppError::Unavailable(format!("readiness check stopped: {e}")))?
        .map_err(|e| AppError::Unavailable(format!("telemetry database not answering: {e}")))?;
    Ok("ready")
}

/// The answer to a request shed under overload.
fn overloaded() -> Response {
    AppError::Status(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "The server is busy; try again shortly.".into())
        .into_response()
}

/// The answer to a request that took longer than the request timeout.
fn timed_out() -> Response {
    AppError::Status(
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        "The request was not complete within the time allowed; try again.".into(),
    )
    .into_response()
}

/// Adds the built page at `/` and the npm package at `/pkg`.
pub fn with_static(router: Router, config: &Config) -> Router {
    let page = ServeDir::new(&config.static_dir).fallback(ServeFile::new(config.static_dir.join("index.html")));
    router.nest_service("/pkg", ServeDir::new(&config.pkg_dir)).fallback_service(page)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserQuery {
    user_key: Option<String>,
}

fn user_key(query: &UserQuery, headers: &HeaderMap) -> String {
    query
        .user_key
        .clone()
        .or_else(|| headers.get("x-user-key").and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_default()
}

async fn preview(
    State(state): State<Arc<AppState>>,
    Query(query): Query<UserQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let evaluation = state.evaluate_flag(TIME_CRUNCH_FLAG, &user_key(&query, &headers));
    if !evaluation.value {
        return Err(AppError::feature_not_available());
    }
    let body = body?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::Status(StatusCode::BAD_REQUEST, "invalid_request", "The body is not UTF-8.".into()))?;
    let start = std::time::Instant::now();
    let result = time_crunch::wire::json::request_from_json(text).and_then(|request| time_crunch::preview(&request));
    let seconds = start.elapsed().as_secs_f64();
    let preview = result.map_err(|error| {
        state.metrics.preview_failures.with_label_values(&["server", error.code.as_str()]).inc();
        AppError::Engine(error)
    })?;
    state.metrics.server_preview(&preview, seconds);
    Ok(([(header::CONTENT_TYPE, "application/json")], time_crunch::wire::json::to_json(&preview)).into_response())
}

async fn flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    Query(query): Query<UserQuery>,
    headers: HeaderMap,
) -> Json<flags::Evaluation> {
    let evaluation = state.evaluate_flag(&key, &user_key(&query, &headers));
    Json(evaluation)
}

/// `GET /v1/admin/flags/{key}` (bearer token): the rule in force, so a
/// tool that changes a flag (examples/verify) can put it back as it was.
async fn get_flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, AppError> {
    require_admin(&state, &headers)?;
    let rule = state.flags.rule(&key).ok_or_else(|| {
        AppError::Status(StatusCode::NOT_FOUND, "unknown_flag", format!("No flag {key} is configured."))
    })?;
    Ok(Json(serde_json::json!({ "key": key, "rule": rule })))
}

/// `PUT /v1/admin/flags/{key}` with `Authorization: Bearer <token>` and one
/// flag rule as the body: takes effect for the next request.
async fn put_flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Result<Json<FlagRule>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    require_admin(&state, &headers)?;
    let Json(rule) =
        body.map_err(|rejection| AppError::Status(rejection.status(), "invalid_request", rejection.body_text()))?;
    rule.check()
        .map_err(|message| AppError::Status(StatusCode::UNPROCESSABLE_ENTITY, "invalid_flag", message.into()))?;
    tracing::info!(%key, enabled = rule.enabled, rollout_percent = rule.rollout_percent, "flag changed through the admin API");
    state.flags.set(&key, rule.clone());
    Ok(Json(serde_json::json!({ "key": key, "rule": rule })))
}

/// Admin routes need `Authorization: Bearer <TIME_CRUNCH_ADMIN_TOKEN>`.
fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let presented =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if presented.is_some() && presented == state.admin_token.as_deref() {
        Ok(())
    } else {
        Err(AppError::Status(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A valid admin bearer token is required.".into(),
        ))
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
    events: Vec<serde_json::Value>,
}

/// `POST /v1/telemetry`: validates each event, stores the valid ones durably,
/// then answers 202 `{accepted, rejected: [{index, reason}]}`.
async fn ingest_telemetry(
    State(state): State<Arc<AppState>>,
    client: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), AppError> {
    if let Some(limiter) = &state.telemetry_limiter {
        let ip = client.map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0 .0.ip());
        if limiter.check_key(&ip).is_err() {
            state.metrics.telemetry_events.with_label_values(&["rate_limited"]).inc();
            return Err(AppError::Status(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many telemetry batches from this client; send fewer, larger batches.".into(),
            ));
        }
    }
    let body = body?;
    let batch: RawBatch = serde_json::from_slice(&body).map_err(|e| {
        AppError::Status(StatusCode::BAD_REQUEST, "invalid_request", format!("not a telemetry batch: {e}"))
    })?;
    if batch.events.is_empty() || batch.events.len() > telemetry::MAX_BATCH_EVENTS {
        return Err(AppError::Status(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "A batch holds from 1 to 500 events.".into(),
        ));
    }
    let now = now_ms();
    let (mut valid, mut rejected) = (Vec::new(), Vec::new());
    for (index, value) in batch.events.into_iter().enumerate() {
        match telemetry::check_event(value, now) {
            Ok(event) => valid.push(event),
            Err(reason) => rejected.push(serde_json::json!({ "index": index, "reason": reason })),
        }
    }
    let accepted = valid.len();
    let store = state.telemetry.clone();
    let (valid, fresh) = tokio::task::spawn_blocking(move || store.insert(&valid, now).map(|fresh| (valid, fresh)))
        .await
        .map_err(|e| AppError::Unavailable(format!("telemetry writer stopped: {e}")))?
        .map_err(|e| AppError::Unavailable(format!("telemetry not stored: {e}")))?;
    // Counted only once stored, and a retried event only once.
    let metrics = &state.metrics;
    for (event, is_new) in valid.iter().zip(fresh) {
        if is_new {
            metrics.telemetry_events.with_label_values(&["accepted"]).inc();
            metrics.client_event(event);
        } else {
            metrics.telemetry_events.with_label_values(&["duplicate"]).inc();
        }
    }
    metrics.telemetry_events.with_label_values(&["rejected"]).inc_by(rejected.len() as u64);
    Ok((StatusCode::ACCEPTED, Json(serde_json::json!({ "accepted": accepted, "rejected": rejected }))))
}

#[derive(Debug, Deserialize)]
struct SinceQuery {
    since: Option<i64>,
}

/// Most events one export returns; page with `since`.
const EXPORT_LIMIT: usize = 10_000;

/// `GET /v1/admin/telemetry?since=SEQ`: stored events as JSON lines
/// `{"seq": N, "event": {...}}`, oldest first.
async fn export_telemetry(
    State(state): State<Arc<AppState>>,
    Query(query): Query<SinceQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    require_admin(&state, &headers)?;
    let store = state.telemetry.clone();
    let since = query.since.unwrap_or(0);
    let rows = tokio::task::spawn_blocking(move || store.since(since, EXPORT_LIMIT))
        .await
        .map_err(|e| AppError::Unavailable(format!("telemetry reader stopped: {e}")))?
        .map_err(|e| AppError::Unavailable(format!("telemetry not readable: {e}")))?;
    let mut lines = String::new();
    for (seq, body) in rows {
        lines.push_str(&format!("{{\"seq\":{seq},\"event\":{body}}}\n"));
    }
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], lines).into_response())
}

/// Re-reads the flags file whenever it changes, and lets the rate limiter
/// forget clients it has not seen lately (so its memory stays bounded).
async fn watch_flags(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(FLAGS_POLL);
    loop {
        tick.tick().await;
        if let Some(limiter) = &state.telemetry_limiter {
            limiter.retain_recent();
        }
        match state.flags.reload_if_changed() {
            Ok(true) => tracing::info!("flags file reloaded"),
            Ok(false) => {}
            Err(message) => tracing::warn!(%message, "flags file not reloaded; the previous rules stay in force"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: draining in-flight requests");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let config = match Config::from_args_and_env(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let flags = match FlagStore::open(config.flags.clone()) {
        Ok(flags) => flags,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let telemetry = match TelemetryStore::open(&config.data_dir) {
        Ok(store) => Arc::new(store),
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let state = Arc::new(AppState {
        flags,
        admin_token: config.admin_token.clone(),
        telemetry,
        cors_origins: config.cors_origins.clone(),
        max_concurrent: MAX_CONCURRENT_REQUESTS,
        metrics: Metrics::new(),
        telemetry_limiter: telemetry_limiter(config.telemetry_rate),
    });
    let metrics_listener = match tokio::net::TcpListener::bind(config.metrics_addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {} for metrics: {err}", config.metrics_addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let metrics_listener_addr = metrics_listener.local_addr().map_or(config.metrics_addr, |a| a);
    tokio::spawn(axum::serve(metrics_listener, metrics_app(state.clone())).into_future());
    tokio::spawn(watch_flags(state.clone()));
    let router = with_static(app(state), &config);
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {}: {err}", config.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let bound = Bound { addr: listener.local_addr().map_or(config.addr, |a| a), metrics_addr: metrics_listener_addr };
    let url = bound.url();
    tracing::info!(%url, metrics = %bound.metrics_addr, "serving Time Crunch");
    println!("Time Crunch is running at {url} (metrics at http://{}/metrics)", bound.metrics_addr);
    if let Some(path) = &config.ready_file {
        if let Err(err) = bound.write(path) {
            eprintln!("cannot write the ready file {}: {err}", path.display());
            return std::process::ExitCode::FAILURE;
        }
    }
    serve::serve(listener, router, shutdown_signal()).await;
    std::process::ExitCode::SUCCESS
}

/// The addresses the server listens on, once both are bound (port 0 in the
/// configuration means any free port; this says which one it got).
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Bound {
    addr: std::net::SocketAddr,
    metrics_addr: std::net::SocketAddr,
}

impl Bound {
    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Writes `{"url", "addr", "metricsAddr"}` to `path` all at once (a
    /// temporary file renamed over it), so a reader never sees half of it.
    fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        let mut body = serde_json::json!({ "url": self.url() });
        body["addr"] = self.addr.to_string().into();
        body["metricsAddr"] = self.metrics_addr.to_string().into();
        let partial = path.with_extension("partial");
        std::fs::write(&partial, body.to_string())?;
        std::fs::rename(&partial, path)
    }
}

#[cfg(test)]
mod tests;
