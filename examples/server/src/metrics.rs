//! Prometheus metrics of the server twin, served on their own address
//! ([`router`]), and the middleware that counts every API request
//! ([`track_requests`]).
//!
//! Names follow Prometheus conventions (base units, `_total` counters),
//! labels are bounded (matched route, not path; strategy and reason names
//! from the contract), and every histogram has explicit buckets.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};
use time_crunch::api::FLAG_KEY;
use time_crunch::telemetry::{TelemetryEvent, TelemetryEventType};
use time_crunch::{ErrorCode, Preview};

use crate::completed_sessions::CompletedSessions;
use crate::state::AppState;

/// Request durations: 0.5 ms to 10 s.
const DURATION_BUCKETS: &[f64] =
    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Preview generation: 10 µs to 100 ms (the browser budget is 50 µs).
const GENERATION_BUCKETS: &[f64] =
    &[0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

/// Every metric the server exports.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    /// `time_crunch_http_requests_total{route, method, status}`.
    pub http_requests: IntCounterVec,
    /// `time_crunch_http_request_duration_seconds{route, method}`.
    pub http_duration: HistogramVec,
    /// `time_crunch_previews_total{source, strategy, fits, fallback_reason}`.
    pub previews: IntCounterVec,
    /// `time_crunch_preview_failures_total{source, code}`.
    pub preview_failures: IntCounterVec,
    /// `time_crunch_preview_generation_seconds{source}`.
    pub generation: HistogramVec,
    /// `time_crunch_flag_evaluations_total{flag, value, reason, source}`.
    pub flag_evaluations: IntCounterVec,
    /// `time_crunch_modal_events_total{event}` (opened, applied).
    pub modal_events: IntCounterVec,
    /// `time_crunch_telemetry_events_total{outcome}` (accepted, duplicate,
    /// rejected; `rate_limited` counts refused batches).
    pub telemetry_events: IntCounterVec,
    /// `time_crunch_telemetry_pruned_events_total{reason}` (age, size).
    pub telemetry_pruned: IntCounterVec,
    /// Sessions athletes finished, from client telemetry.
    pub completed: CompletedSessions,
}

impl Metrics {
    /// Registers every metric, plus the process collector (memory, CPU).
    pub fn new() -> Self {
        let registry = Registry::new();
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let metric = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
            registry.register(Box::new(metric.clone())).expect("unique metric");
            metric
        };
        let histogram = |name: &str, help: &str, labels: &[&str], buckets: &[f64]| {
            let metric = HistogramVec::new(HistogramOpts::new(name, help).buckets(buckets.to_vec()), labels)
                .expect("valid metric");
            registry.register(Box::new(metric.clone())).expect("unique metric");
            metric
        };
        let http_requests = counter(
            "time_crunch_http_requests_total",
            "HTTP requests by matched route, method and status.",
            &["route", "method", "status"],
        );
        let http_duration = histogram(
            "time_crunch_http_request_duration_seconds",
            "HTTP response time by matched route and method.",
            &["route", "method"],
            DURATION_BUCKETS,
        );
        let previews = counter(
            "time_crunch_previews_total",
            "Previews computed, by where (server or client), strategy, fit and fallback reason.",
            &["source", "strategy", "fits", "fallback_reason"],
        );
        let preview_failures = counter(
            "time_crunch_preview_failures_total",
            "Preview requests that failed, by where and error code.",
            &["source", "code"],
        );
        let generation = histogram(
            "time_crunch_preview_generation_seconds",
            "Time to compute one preview, by where.",
            &["source"],
            GENERATION_BUCKETS,
        );
        let flag_evaluations = counter(
            "time_crunch_flag_evaluations_total",
            "Feature flag evaluations by flag, value, reason and where.",
            &["flag", "value", "reason", "source"],
        );
        let modal_events = counter(
            "time_crunch_modal_events_total",
            "Time Crunch modal opened and previews applied, from client telemetry.",
            &["event"],
        );
        let telemetry_events = counter(
            "time_crunch_telemetry_events_total",
            "Telemetry events received, by outcome (accepted, duplicate, rejected); rate_limited counts refused batches.",
            &["outcome"],
        );
        let telemetry_pruned = counter(
            "time_crunch_telemetry_pruned_events_total",
            "Stored telemetry events deleted, oldest first: past the retention period (age) or the size cap (size).",
            &["reason"],
        );
        let completed = CompletedSessions::register(&registry);
        #[cfg(target_os = "linux")]
        registry
            .register(Box::new(prometheus::process_collector::ProcessCollector::for_self()))
            .expect("process collector");
        Metrics {
            registry,
            http_requests,
            http_duration,
            previews,
            preview_failures,
            generation,
            flag_evaluations,
            modal_events,
            telemetry_events,
            telemetry_pruned,
            completed,
        }
    }

    /// Events pruned from the store.
    pub fn pruned(&self, pruned: crate::telemetry_retention::Pruned) {
        self.telemetry_pruned.with_label_values(&["age"]).inc_by(pruned.age);
        self.telemetry_pruned.with_label_values(&["size"]).inc_by(pruned.size);
    }

    /// A preview the server computed in `seconds`.
    pub fn server_preview(&self, preview: &Preview, seconds: f64) {
        let reason = preview.fallback.as_ref().map_or("none", |f| f.reason.as_str());
        self.previews.with_label_values(&["server", preview.strategy.as_str(), bool_label(preview.fits), reason]).inc();
        self.generation.with_label_values(&["server"]).observe(seconds);
    }

    /// A newly stored client event.
    pub fn client_event(&self, event: &TelemetryEvent) {
        match event.kind {
            TelemetryEventType::PreviewGenerated => {
                let strategy = event.strategy.map_or("unknown", |s| s.as_str());
                let reason = fallback_label(event.fallback_reason.as_deref());
                self.previews
                    .with_label_values(&["client", strategy, bool_label(event.fits == Some(true)), reason])
                    .inc();
                if let Some(ms) = event.generation_ms {
                    self.generation.with_label_values(&["client"]).observe(ms / 1000.0);
                }
            }
            TelemetryEventType::PreviewFailed => {
                let code = code_label(event.error_code.as_deref());
                self.preview_failures.with_label_values(&["client", code]).inc();
            }
            TelemetryEventType::FlagEvaluated => {
                let value = bool_label(event.flag_value == Some(true));
                self.flag_evaluations.with_label_values(&[FLAG_KEY, value, "unknown", "client"]).inc();
            }
            TelemetryEventType::ModalOpened => self.modal_events.with_label_values(&["opened"]).inc(),
            TelemetryEventType::PreviewApplied => self.modal_events.with_label_values(&["applied"]).inc(),
            TelemetryEventType::SessionCompleted => self.completed.observe(event),
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        // Encoding into a Vec cannot fail for well-formed metric families.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buffer);
        String::from_utf8(buffer).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

pub(crate) fn bool_label(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// Client-supplied label values are mapped onto a fixed set, so a client
/// cannot grow the number of series.
fn fallback_label(reason: Option<&str>) -> &'static str {
    match reason {
        None => "none",
        Some("target_below_minimum") => "target_below_minimum",
        Some(_) => "other",
    }
}

fn code_label(code: Option<&str>) -> &'static str {
    code.and_then(ErrorCode::from_wire).map_or("other", ErrorCode::as_str)
}

/// The metrics listener's router: `GET /metrics`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(|State(state): State<Arc<AppState>>| async move { state.metrics.render() }))
        .with_state(state)
}

/// The method as a label: the standard ones, every other (a client may
/// send any token) as `other`, so requests cannot grow the series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// Counts every API request and its duration by matched route.
pub async fn track_requests(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(request.method());
    let start = std::time::Instant::now();
    let response = next.run(request).await;
    state.metrics.http_duration.with_label_values(&[&route, method]).observe(start.elapsed().as_secs_f64());
    state.metrics.http_requests.with_label_values(&[&route, method, response.status().as_str()]).inc();
    response
}
