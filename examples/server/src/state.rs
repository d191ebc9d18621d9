//! What every handler shares.

use std::sync::Arc;

use time_crunch::api::FLAG_KEY;

use crate::admin_auth::AdminGuard;
use crate::client_slots::ClientSlots;
use crate::cors::AllowedOrigins;
use crate::flag_rules::Evaluation;
use crate::flag_store::FlagStore;
use crate::metrics::Metrics;
use crate::telemetry_store::TelemetryStore;

/// Shared state of every handler.
#[derive(Debug)]
pub struct AppState {
    /// The flag rules in force.
    pub flags: FlagStore,
    /// The admin routes' token and failed attempts; `None` turns them off.
    pub admin: Option<AdminGuard>,
    /// Where accepted telemetry is stored.
    pub telemetry: Arc<TelemetryStore>,
    /// Origins allowed by CORS (none: same-origin only).
    pub cors_origins: AllowedOrigins,
    /// Requests handled at once before shedding with 503.
    pub max_concurrent: usize,
    /// Requests each client has in flight, at most `MAX_CONCURRENT_PER_CLIENT`.
    pub client_requests: Arc<ClientSlots>,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Per-client (IP address) limit on telemetry batches; `None`: no limit.
    pub telemetry_limiter: Option<TelemetryLimiter>,
}

impl AppState {
    /// Evaluates a flag for a user and counts the evaluation (unknown keys
    /// share one label value, so arbitrary keys cannot grow the series).
    pub fn evaluate_flag(&self, key: &str, user_key: &str) -> Evaluation {
        let evaluation = self.flags.evaluate(key, user_key);
        self.count_evaluation(&evaluation);
        evaluation
    }

    /// Evaluates every known flag for a user (OFREP's bulk evaluation),
    /// counting each evaluation as [`AppState::evaluate_flag`] does.
    pub fn evaluate_all_flags(&self, user_key: &str) -> Vec<Evaluation> {
        let evaluations = self.flags.evaluate_all(user_key);
        evaluations.iter().for_each(|evaluation| self.count_evaluation(evaluation));
        evaluations
    }

    fn count_evaluation(&self, evaluation: &Evaluation) {
        let flag = if evaluation.key == FLAG_KEY { FLAG_KEY } else { "other" };
        let value = if evaluation.value { "true" } else { "false" };
        self.metrics.flag_evaluations.with_label_values(&[flag, value, evaluation.reason, "server"]).inc();
    }
}

/// A rate limiter keyed by client address.
pub type TelemetryLimiter = governor::DefaultKeyedRateLimiter<std::net::IpAddr>;

/// `rate` batches per second per client with bursts of twice that; 0: no limit.
pub fn telemetry_limiter(rate: u32) -> Option<TelemetryLimiter> {
    let rate = std::num::NonZeroU32::new(rate)?;
    let burst = rate.saturating_mul(std::num::NonZeroU32::new(2)?);
    Some(governor::RateLimiter::keyed(governor::Quota::per_second(rate).allow_burst(burst)))
}
