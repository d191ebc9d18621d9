//! The server twin: the same engine natively, behind the feature flag.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-server -- [--addr 127.0.0.1:8080] [--flags FILE] \
//!     [--static-dir www/dist] [--pkg-dir pkg] [--ready-file FILE]
//! ```
//!
//! Each endpoint has its file: `POST /v1/time-crunch/preview` ([`preview`]),
//! `GET /v1/flags/{key}` ([`flag`]), `POST /v1/telemetry` ([`telemetry`]),
//! the admin routes ([`admin`]), `GET /healthz` and `/readyz` ([`health`]),
//! and `GET /metrics` on its own address ([`metrics`]). The built page is
//! served at `/` and the npm package at `/pkg`.

mod admin;
mod client_slots;
mod config;
mod connection_activity;
mod connection_budget;
mod error;
mod extract;
mod flag;
mod flag_rules;
mod health;
mod housekeeping;
mod metrics;
mod preview;
mod ready_file;
mod serve;
mod shutdown;
mod state;
mod telemetry;
mod telemetry_store;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::http::{header, HeaderName, Method};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use time_crunch::api::USER_KEY_HEADER;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use client_slots::ClientSlots;
use config::{Config, MAX_BODY_BYTES, MAX_CONCURRENT_PER_CLIENT, MAX_CONCURRENT_REQUESTS, REQUEST_TIMEOUT_SECONDS};
use error::AppError;
use flag_rules::FlagStore;
use metrics::Metrics;
use ready_file::Bound;
use state::{telemetry_limiter, AppState};
use telemetry_store::TelemetryStore;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.exit_status)
        }
    }
}

/// Why the server could not start, for the user.
#[derive(Debug)]
struct StartFailure {
    /// 2 when the settings are wrong (config, flags file, data directory),
    /// 1 when the machine refuses (an address in use, a file not written).
    exit_status: u8,
    message: String,
}

impl StartFailure {
    fn settings(message: String) -> Self {
        StartFailure { exit_status: 2, message }
    }

    fn machine(message: String) -> Self {
        StartFailure { exit_status: 1, message }
    }
}

/// Starts both listeners, then serves until SIGTERM or Ctrl-C.
async fn run() -> Result<(), StartFailure> {
    let config = Config::from_args_and_env(std::env::args().skip(1)).map_err(StartFailure::settings)?;
    let flags = FlagStore::open(config.flags.clone()).map_err(StartFailure::settings)?;
    let telemetry = TelemetryStore::open(&config.data_dir).map_err(StartFailure::settings)?;
    let state = Arc::new(AppState {
        flags,
        admin_token: config.admin_token.clone(),
        telemetry: Arc::new(telemetry),
        cors_origins: config.cors_origins.clone(),
        max_concurrent: MAX_CONCURRENT_REQUESTS,
        client_requests: ClientSlots::new(MAX_CONCURRENT_PER_CLIENT),
        metrics: Metrics::new(),
        telemetry_limiter: telemetry_limiter(config.telemetry_rate),
    });
    let bind = |addr, what: &'static str| async move {
        tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|err| StartFailure::machine(format!("cannot listen on {addr} for {what}: {err}")))
    };
    let metrics_listener = bind(config.metrics_addr, "metrics").await?;
    let listener = bind(config.addr, "the API").await?;
    let bound = Bound {
        addr: listener.local_addr().unwrap_or(config.addr),
        metrics_addr: metrics_listener.local_addr().unwrap_or(config.metrics_addr),
    };
    let budget = connection_budget::from_process_limit();
    tracing::info!(file_limit = budget.file_limit, api = ?budget.api, metrics = ?budget.metrics, "connection limits");
    // Served until the process ends: metrics stay up while the API drains.
    let metrics_router = metrics::router(state.clone());
    tokio::spawn(serve::serve(metrics_listener, metrics_router, budget.metrics, std::future::pending()));
    tokio::spawn(housekeeping::run(state.clone()));
    let url = bound.url();
    tracing::info!(%url, metrics = %bound.metrics_addr, "serving Time Crunch");
    println!("Time Crunch is running at {url} (metrics at http://{}/metrics)", bound.metrics_addr);
    if let Some(path) = &config.ready_file {
        bound
            .write(path)
            .map_err(|err| StartFailure::machine(format!("cannot write the ready file {}: {err}", path.display())))?;
    }
    serve::serve(listener, with_static(app(state), &config), budget.api, shutdown::signal()).await;
    Ok(())
}

/// The API routes (the page and package are added by [`with_static`]).
pub fn app(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .route("/v1/time-crunch/preview", post(preview::preview))
        .route("/v1/flags/{key}", get(flag::flag))
        .route("/v1/telemetry", post(telemetry::ingest));
    if state.admin_token.is_some() {
        router = router
            .route("/v1/admin/flags/{key}", get(admin::get_flag).put(admin::put_flag))
            .route("/v1/admin/telemetry", get(admin::export_telemetry));
    }
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(state.cors_origins.iter().filter_map(|o| o.parse().ok())))
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static(USER_KEY_HEADER)]);
    router
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A request not answered in time (slow work; a slow body is cut
        // sooner by the body read timeout) gets the error envelope like
        // every other error.
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async { AppError::timed_out().into_response() }))
                .timeout(Duration::from_secs(REQUEST_TIMEOUT_SECONDS)),
        )
        .layer(cors)
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: tower::BoxError| async { AppError::overloaded().into_response() }))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(state.max_concurrent)),
        )
        // Outside the global limit, so a client over its share takes no slot.
        .layer(axum::middleware::from_fn_with_state(state.clone(), client_slots::limit_per_client))
        // Added after the limits, so never shed: an orchestrator must not
        // restart a busy but healthy instance.
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        // Per-request spans and logs; RUST_LOG=tower_http=debug shows them.
        .layer(tower_http::trace::TraceLayer::new_for_http())
        // Outermost, so shed and timed-out requests are counted too.
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track_requests))
        .with_state(state)
}

/// Adds the built page at `/` and the npm package at `/pkg`.
pub fn with_static(router: Router, config: &Config) -> Router {
    let page = ServeDir::new(&config.static_dir).fallback(ServeFile::new(config.static_dir.join("index.html")));
    router.nest_service("/pkg", ServeDir::new(&config.pkg_dir)).fallback_service(page)
}

#[cfg(test)]
mod tests;
