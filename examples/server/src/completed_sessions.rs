//! Metrics of sessions athletes finished (`session_completed` telemetry):
//! the real time-constraint success rate, next to the model's (previews
//! that fit, [`crate::metrics`]), and how far the estimate was from the
//! time really taken.
//!
//! A session is within target when `actualMinutes <= targetMinutes`. The
//! engine's checks ([`time_crunch::telemetry`]) guarantee the fields are
//! present and the minutes plausible before an event is counted here.

use prometheus::{Histogram, HistogramOpts, IntCounterVec, Opts, Registry};
use time_crunch::telemetry::TelemetryEvent;

use crate::metrics::bool_label;

/// Actual / estimated minutes: from half the estimate to three times it,
/// finest around 1 (an accurate estimate).
const RATIO_BUCKETS: &[f64] = &[0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0];

/// The completed-session metrics.
#[derive(Debug, Clone)]
pub struct CompletedSessions {
    /// `time_crunch_sessions_completed_total{within_target}` ("true", "false").
    pub sessions: IntCounterVec,
    /// `time_crunch_session_actual_to_estimated_ratio`.
    pub ratio: Histogram,
}

impl CompletedSessions {
    /// Creates the metrics and registers them in `registry`.
    pub fn register(registry: &Registry) -> Self {
        let sessions = IntCounterVec::new(
            Opts::new(
                "time_crunch_sessions_completed_total",
                "Sessions athletes finished from a preview, by whether they took at most the target time (client telemetry).",
            ),
            &["within_target"],
        )
        .expect("valid metric");
        let ratio = Histogram::with_opts(
            HistogramOpts::new(
                "time_crunch_session_actual_to_estimated_ratio",
                "Minutes a finished session really took per minute its preview estimated (client telemetry).",
            )
            .buckets(RATIO_BUCKETS.to_vec()),
        )
        .expect("valid metric");
        registry.register(Box::new(sessions.clone())).expect("unique metric");
        registry.register(Box::new(ratio.clone())).expect("unique metric");
        CompletedSessions { sessions, ratio }
    }

    /// A newly stored `session_completed` event.
    pub fn observe(&self, event: &TelemetryEvent) {
        let (Some(target), Some(estimated), Some(actual)) =
            (event.target_minutes, event.estimated_minutes, event.actual_minutes)
        else {
            return; // not a complete session_completed event; the checks refuse those
        };
        self.sessions.with_label_values(&[bool_label(actual <= target as f64)]).inc();
        self.ratio.observe(actual / estimated);
    }
}
