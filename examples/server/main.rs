//! The server twin: the same engine natively, behind the feature flag.
//!
//! Run with
//! ```not_rust
//! cargo run --release --example server -- [--addr 127.0.0.1:8080] [--flags FILE] \
//!     [--static-dir www/dist] [--pkg-dir pkg]
//! ```
//!
//! - `POST /v1/time-crunch/preview`: the preview the browser module computes,
//!   byte for byte; 404 `feature_not_available` when the flag is off for the
//!   caller (`userKey` query parameter or `x-user-key` header).
//! - `GET /v1/flags/{key}?userKey=K`: flag evaluation, OpenFeature shape.
//! - `GET /healthz`, `GET /readyz`; the built page at `/` and the npm
//!   package at `/pkg`.

mod config;
mod error;
mod flags;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
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
use tower_http::timeout::TimeoutLayer;

use config::{Config, MAX_BODY_BYTES, REQUEST_TIMEOUT_SECONDS};
use error::AppError;
use flags::{FlagRule, FlagsFile, TIME_CRUNCH_FLAG};

/// Shared state of every handler.
#[derive(Debug)]
pub struct AppState {
    /// Current flag rules by key; replaced whole on reload.
    pub flags: RwLock<BTreeMap<String, FlagRule>>,
}

impl AppState {
    /// State with the given flag rules.
    pub fn new(flags: FlagsFile) -> Self {
        AppState { flags: RwLock::new(flags.flags) }
    }

    fn evaluate(&self, key: &str, user_key: &str) -> flags::Evaluation {
        let flags = self.flags.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        flags::evaluate(key, flags.get(key), user_key)
    }
}

/// The API routes (the page and package are added by [`with_static`]).
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/time-crunch/preview", post(preview))
        .route("/v1/flags/{key}", get(flag))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(|| async { "ready" }))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(REQUEST_TIMEOUT_SECONDS),
        ))
        .with_state(state)
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
    if !state.evaluate(TIME_CRUNCH_FLAG, &user_key(&query, &headers)).value {
        return Err(AppError::feature_not_available());
    }
    let body = body.map_err(|rejection| {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "invalid_request" };
        AppError::Status(status, code, rejection.body_text())
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::Status(StatusCode::BAD_REQUEST, "invalid_request", "The body is not UTF-8.".into()))?;
    let request = time_crunch::json::request_from_json(text).map_err(AppError::Engine)?;
    let preview = time_crunch::preview(&request).map_err(AppError::Engine)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], time_crunch::json::to_json(&preview)).into_response())
}

async fn flag(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    Query(query): Query<UserQuery>,
    headers: HeaderMap,
) -> Json<flags::Evaluation> {
    Json(state.evaluate(&key, &user_key(&query, &headers)))
}

fn load_flags(config: &Config) -> Result<FlagsFile, String> {
    let Some(path) = &config.flags else {
        return Ok(FlagsFile { flags: BTreeMap::from([(TIME_CRUNCH_FLAG.to_owned(), FlagRule::everyone())]) });
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read flags file {}: {e}", path.display()))?;
    let file: FlagsFile =
        serde_json::from_str(&text).map_err(|e| format!("flags file {} is invalid: {e}", path.display()))?;
    for (key, rule) in &file.flags {
        rule.check().map_err(|e| format!("flag {key}: {e}"))?;
    }
    Ok(file)
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
    let flags = match load_flags(&config) {
        Ok(flags) => flags,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let state = Arc::new(AppState::new(flags));
    let router = with_static(app(state), &config);
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {}: {err}", config.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let url = format!("http://{}/", listener.local_addr().map(|a| a.to_string()).unwrap_or_default());
    tracing::info!(%url, "serving Time Crunch");
    println!("Time Crunch is running at {url}");
    if let Err(err) = axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await {
        eprintln!("server error: {err}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests;
