//! The server twin: the same engine natively, behind the feature flag.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-server -- [--addr 127.0.0.1:8080] [--flags FILE] \
//!     [--database-url postgres://USER:PASSWORD@HOST/DB] [--static-dir www/dist] [--pkg-dir pkg] [--ready-file FILE]
//! ```
//!
//! Without `--database-url` telemetry and admin overrides live in the data
//! directory (SQLite and a file, one instance); with it, in PostgreSQL,
//! shared by every instance ([`postgres_database`]).
//!
//! Each endpoint has its file: `POST /v1/time-crunch/preview` ([`preview`]),
//! `GET /v1/flags/{key}` ([`flag`]), the flag through OpenFeature's OFREP
//! `POST /ofrep/v1/evaluate/flags[/{key}]` ([`ofrep`]), `POST /v1/telemetry` ([`telemetry`]),
//! the admin routes ([`admin`]), `GET /healthz` and `/readyz` ([`health`]),
//! and `GET /metrics` on its own address ([`metrics`]). The built page is
//! served at `/` and the npm package at `/pkg` ([`static_files`]).

mod admin;
mod admin_auth;
mod client_slots;
mod completed_sessions;
mod config;
mod connection_activity;
mod connection_budget;
mod cors;
mod error;
mod extract;
mod fallbacks;
mod file_size_limit;
mod flag;
mod flag_overrides;
mod flag_overrides_postgres;
mod flag_rules;
mod flag_store;
mod flags_file;
mod health;
mod housekeeping;
mod metrics;
mod ofrep;
mod postgres_database;
mod postgres_schema;
mod preview;
mod ready_file;
mod security_headers;
mod serve;
mod shutdown;
mod state;
mod static_files;
mod store_error;
mod store_identity;
mod store_open;
mod telemetry;
mod telemetry_retention;
mod telemetry_store;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;

use admin_auth::AdminGuard;
use client_slots::ClientSlots;
use config::{
    Config, MAX_BODY_BYTES, MAX_CONCURRENT_PER_CLIENT, MAX_CONCURRENT_REQUESTS, MAX_TELEMETRY_BODY_BYTES,
    REQUEST_TIMEOUT_SECONDS,
};
use error::AppError;
use extract::BodyLimit;
use flag_overrides_postgres::PostgresOverrides;
use flag_store::FlagStore;
use metrics::Metrics;
use postgres_database::{Database, Refusal};
use ready_file::Bound;
use state::{telemetry_limiter, AppState};
use static_files::with_static;
use telemetry_retention::StoreLimits;
use telemetry_store::postgres::PostgresTelemetry;
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
    let config = Config::from_args_and_env(std::env::args_os().skip(1)).map_err(StartFailure::settings)?;
    // Before any file is written.
    let file_size_signals =
        file_size_limit::survive().map_err(|e| StartFailure::machine(format!("cannot handle SIGXFSZ: {e}")))?;
    tokio::spawn(file_size_signals);
    let limits = StoreLimits {
        retention_days: config.telemetry_retention_days,
        max_bytes: config.telemetry_max_bytes,
        min_free_bytes: config.telemetry_min_free_bytes,
    };
    // A refusal the wait for PostgreSQL finds after the listeners are up
    // still stops the start (exit 2).
    let (refused, start_refusal) = tokio::sync::oneshot::channel::<String>();
    let (telemetry, flags) = match &config.database_url {
        Some(url) => open_shared(url, &config, limits, refused).await?,
        None => {
            // Opened first: it creates the data directory the flag overrides live in.
            let telemetry = TelemetryStore::open(&config.data_dir, limits).map_err(StartFailure::settings)?;
            let (flags_path, data_dir) = (config.flags.clone(), config.data_dir.clone());
            (telemetry, blocking(move || FlagStore::open(flags_path, &data_dir)).await?)
        }
    };
    let state = Arc::new(AppState {
        flags,
        admin: config.admin_token.as_deref().map(AdminGuard::new),
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
    tokio::spawn(telemetry_retention::run(state.clone()));
    let url = bound.url();
    tracing::info!(%url, metrics = %bound.metrics_addr, "serving Time Crunch");
    println!("Time Crunch is running at {url} (metrics at http://{}/metrics)", bound.metrics_addr);
    if let Some(path) = &config.ready_file {
        bound
            .write(path)
            .map_err(|err| StartFailure::machine(format!("cannot write the ready file {}: {err}", path.display())))?;
    }
    let refusal = Arc::new(std::sync::Mutex::new(None));
    let stop = {
        let refusal = refusal.clone();
        async move {
            tokio::select! {
                () = shutdown::signal() => {}
                Ok(message) = start_refusal => {
                    *refusal.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(message);
                }
            }
        }
    };
    serve::serve(listener, with_static(app(state), &config), budget.api, stop).await;
    let refused = refusal.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
    refused.map_or(Ok(()), |message| Err(StartFailure::settings(message)))
}

/// Telemetry and flag overrides in the shared PostgreSQL database: refused
/// now for a malformed URL, a refused login or a newer schema; a database
/// that does not answer yet is waited for in the background (a refusal
/// found then is sent on `refused`).
async fn open_shared(
    url: &str,
    config: &Config,
    limits: StoreLimits,
    refused: tokio::sync::oneshot::Sender<String>,
) -> Result<(TelemetryStore, FlagStore), StartFailure> {
    let database = Arc::new(Database::from_url(url).map_err(StartFailure::settings)?);
    match database.prepare().await {
        Ok(()) => {}
        Err(Refusal::Fatal(message)) => return Err(StartFailure::settings(message)),
        Err(Refusal::Unreachable(reason)) => {
            tracing::warn!(%reason, "PostgreSQL does not answer yet; serving, not ready, until it does");
            let waiting = database.clone();
            tokio::spawn(async move {
                if let Some(message) = waiting.wait_until_prepared().await {
                    let _ = refused.send(message);
                }
            });
        }
    }
    let telemetry = TelemetryStore::Postgres(PostgresTelemetry::start(database.clone(), limits));
    let (flags_path, overrides) = (config.flags.clone(), PostgresOverrides::new(database.clone()));
    let flags = blocking(move || {
        let flags = FlagStore::open_shared(flags_path, overrides)?;
        if database.is_prepared() {
            // In force before the first request; later changes come by
            // polling (which also retries this, not ready meanwhile).
            if let Err(reason) = flags.sync_shared() {
                tracing::warn!(%reason, "flag overrides not read yet; not ready until they are");
            }
        }
        Ok(flags)
    })
    .await?;
    Ok((telemetry, flags))
}

/// Runs a start step that reads files or waits for the database off the async workers.
async fn blocking<T: Send + 'static>(
    step: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, StartFailure> {
    tokio::task::spawn_blocking(step)
        .await
        .map_err(|e| StartFailure::machine(format!("a start step stopped: {e}")))?
        .map_err(StartFailure::settings)
}

/// The API routes (the page and package are added by [`with_static`]).
pub fn app(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .route("/v1/time-crunch/preview", post(preview::preview))
        .route("/v1/flags/{key}", get(flag::flag))
        .route("/ofrep/v1/evaluate/flags", post(ofrep::evaluate_flags))
        .route("/ofrep/v1/evaluate/flags/{key}", post(ofrep::evaluate_flag))
        // The contract's largest valid batch fits (it is larger than a plan).
        .route("/v1/telemetry", post(telemetry::ingest).layer(BodyLimit::layer(MAX_TELEMETRY_BODY_BYTES)));
    if state.admin.is_some() {
        router = router
            .route("/v1/admin/flags/{key}", get(admin::get_flag).put(admin::put_flag).delete(admin::delete_flag))
            .route("/v1/admin/telemetry", get(admin::export_telemetry));
    }
    let cors = state.cors_origins.layer();
    // The envelope for unknown /v1 paths and wrong methods, inside the
    // layers (CORS answers a preflight before a method is refused).
    let router = fallbacks::add(router)
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
        .layer(axum::middleware::from_fn_with_state(state.clone(), client_slots::limit_per_client));
    router
        // Added after the limits, so never shed: an orchestrator must not
        // restart a busy but healthy instance.
        .route("/healthz", get(health::healthz).fallback(fallbacks::method_not_allowed))
        .route("/readyz", get(health::readyz).fallback(fallbacks::method_not_allowed))
        // Per-request spans and logs; RUST_LOG=tower_http=debug shows them.
        .layer(tower_http::trace::TraceLayer::new_for_http())
        // Outermost, so shed and timed-out requests are counted too.
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track_requests))
        .with_state(state)
}

#[cfg(test)]
mod ofrep_tests;
#[cfg(test)]
mod surface_tests;
#[cfg(test)]
mod tests;
