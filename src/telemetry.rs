//! Telemetry events (SPEC §9): the contract's batch and event, their limits,
//! and the checks an event must pass to be stored. The server validates with
//! this code, so what the server accepts is what the contract defines.
//! `TelemetryEvent` is the contract's `Event`, renamed so it does not shadow
//! the DOM's `Event` type in TypeScript. How the browser client batches them
//! is [`crate::batching`].

use serde::{Deserialize, Serialize};

use crate::config::TARGET_MINUTES;
use crate::preview::Strategy;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum TelemetryEventType {
    /// The athlete opened the modal.
    ModalOpened,
    /// A preview was computed in the browser.
    PreviewGenerated,
    /// The athlete applied a preview.
    PreviewApplied,
    /// Computing a preview failed.
    PreviewFailed,
    /// The feature flag was evaluated.
    FlagEvaluated,
    /// The athlete finished a session from a preview: how long it really took.
    SessionCompleted,
}

impl TelemetryEventType {
    /// Every variant, in declaration order.
    pub const ALL: [TelemetryEventType; 6] = [
        TelemetryEventType::ModalOpened,
        TelemetryEventType::PreviewGenerated,
        TelemetryEventType::PreviewApplied,
        TelemetryEventType::PreviewFailed,
        TelemetryEventType::FlagEvaluated,
        TelemetryEventType::SessionCompleted,
    ];
}

/// One telemetry event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TelemetryEvent {
    /// Client-made unique id; a retry reuses it and is counted once.
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: TelemetryEventType,
    /// When, in milliseconds since the Unix epoch.
    pub at: i64,
    /// The browser session.
    pub session_id: String,
    /// The user, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_key: Option<String>,
    /// Strategy of a generated preview, or of a completed session's preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// Target of a generated preview, or of a completed session's preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_minutes: Option<i64>,
    /// Whether a generated preview fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fits: Option<bool>,
    /// Fallback reason of a generated preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
    /// Time the browser took to compute it, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_ms: Option<f64>,
    /// Error code of a failed preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Value of an evaluated flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag_value: Option<bool>,
    /// Minutes the preview of a completed session estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_minutes: Option<f64>,
    /// Minutes a completed session really took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_minutes: Option<f64>,
}

/// What the client posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct TelemetryBatch {
    /// 1..=500 events.
    pub events: Vec<TelemetryEvent>,
}

/// Most events in one batch (SPEC §9).
pub const MAX_BATCH_EVENTS: usize = 500;
/// Longest string accepted in an event, characters.
pub const MAX_EVENT_STRING_CHARS: usize = 200;
/// How far in the past an event may be stamped (a client that was offline), ms.
pub const MAX_EVENT_AGE_MS: i64 = 7 * 24 * 3600 * 1000;
/// How far in the future an event may be stamped (client clock skew), ms.
pub const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;
/// Longest plausible preview generation time, milliseconds.
pub const MAX_GENERATION_MS: f64 = 60_000.0;
/// Longest plausible session, minutes: a day. An estimate or a time taken
/// beyond it (or not above 0) is a client's bug, not a workout.
pub const MAX_SESSION_MINUTES: f64 = 24.0 * 60.0;

/// Whether `minutes` is a plausible session length: finite, above 0 and at
/// most [`MAX_SESSION_MINUTES`] (`estimatedMinutes`, `actualMinutes`).
pub fn plausible_session_minutes(minutes: f64) -> bool {
    minutes.is_finite() && minutes > 0.0 && minutes <= MAX_SESSION_MINUTES
}

/// Whether a batch holds an acceptable number of events; `Err` says why not.
pub fn check_batch_len(len: usize) -> Result<(), String> {
    if (1..=MAX_BATCH_EVENTS).contains(&len) {
        Ok(())
    } else {
        Err(format!("A batch holds from 1 to {MAX_BATCH_EVENTS} events."))
    }
}

/// Reads one event of a batch from its JSON text and checks it against the
/// server's clock (`now_ms`); `Err` is the reason it is refused. Read from
/// the text, not a `serde_json::Value`, so a key given twice is refused
/// rather than the last one silently kept.
pub fn read_event(json: &str, now_ms: i64) -> Result<TelemetryEvent, String> {
    let event: TelemetryEvent = serde_json::from_str(json).map_err(|e| format!("invalid event: {e}"))?;
    event.check(now_ms)?;
    Ok(event)
}

impl TelemetryEvent {
    /// Checks what the types cannot say: non-empty ids, string lengths, a
    /// time near `now_ms`, values in range, and the fields this event type
    /// needs. `Err` is the reason the event is refused.
    pub fn check(&self, now_ms: i64) -> Result<(), String> {
        if self.id.is_empty() || self.session_id.is_empty() {
            return Err("id and sessionId must not be empty".into());
        }
        let strings = [
            Some(&self.id),
            Some(&self.session_id),
            self.user_key.as_ref(),
            self.fallback_reason.as_ref(),
            self.error_code.as_ref(),
        ];
        if strings.iter().flatten().any(|s| s.chars().count() > MAX_EVENT_STRING_CHARS) {
            return Err(format!("a string is longer than {MAX_EVENT_STRING_CHARS} characters"));
        }
        if self.at < now_ms - MAX_EVENT_AGE_MS || self.at > now_ms + MAX_CLOCK_SKEW_MS {
            return Err("at is too far from the server's clock".into());
        }
        if self.target_minutes.is_some_and(|t| !TARGET_MINUTES.contains(&t)) {
            return Err(format!("targetMinutes must be from {} to {}", TARGET_MINUTES.start(), TARGET_MINUTES.end()));
        }
        if self.generation_ms.is_some_and(|ms| !(ms.is_finite() && (0.0..=MAX_GENERATION_MS).contains(&ms))) {
            return Err(format!("generationMs must be from 0 to {MAX_GENERATION_MS}"));
        }
        for (name, minutes) in [("estimatedMinutes", self.estimated_minutes), ("actualMinutes", self.actual_minutes)] {
            if minutes.is_some_and(|m| !plausible_session_minutes(m)) {
                return Err(format!("{name} must be above 0 and at most {MAX_SESSION_MINUTES}"));
            }
        }
        let complete = match self.kind {
            TelemetryEventType::PreviewGenerated => {
                self.strategy.is_some() && self.target_minutes.is_some() && self.fits.is_some()
            }
            TelemetryEventType::PreviewFailed => self.error_code.is_some(),
            TelemetryEventType::FlagEvaluated => self.flag_value.is_some(),
            TelemetryEventType::SessionCompleted => {
                self.strategy.is_some()
                    && self.target_minutes.is_some()
                    && self.estimated_minutes.is_some()
                    && self.actual_minutes.is_some()
            }
            TelemetryEventType::ModalOpened | TelemetryEventType::PreviewApplied => true,
        };
        if complete {
            Ok(())
        } else {
            Err("fields required by this event type are missing".into())
        }
    }
}

/// A complete `preview_generated` event with id `e{n}`, for tests.
#[cfg(test)]
pub(crate) fn sample_event(n: usize) -> TelemetryEvent {
    TelemetryEvent {
        id: format!("e{n}"),
        kind: TelemetryEventType::PreviewGenerated,
        at: 1_700_000_000_000,
        session_id: "s".into(),
        user_key: None,
        strategy: Some(Strategy::Supersets),
        target_minutes: Some(30),
        fits: Some(true),
        fallback_reason: None,
        generation_ms: Some(0.05),
        error_code: None,
        flag_value: None,
        estimated_minutes: None,
        actual_minutes: None,
    }
}

/// A complete `session_completed` event with id `c{n}`, for tests.
#[cfg(test)]
pub(crate) fn sample_completed(n: usize) -> TelemetryEvent {
    TelemetryEvent {
        id: format!("c{n}"),
        kind: TelemetryEventType::SessionCompleted,
        strategy: Some(Strategy::Supersets),
        target_minutes: Some(30),
        fits: None,
        generation_ms: None,
        estimated_minutes: Some(29.5),
        actual_minutes: Some(34.0),
        ..sample_event(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: usize) -> TelemetryEvent {
        sample_event(n)
    }

    #[test]
    fn events_round_trip_in_the_contract_shape() {
        let json = serde_json::to_string(&TelemetryBatch { events: vec![event(1)] }).unwrap();
        assert!(json.contains("\"type\":\"preview_generated\"") && json.contains("\"sessionId\":\"s\""));
        let back: TelemetryBatch = serde_json::from_str(&json).unwrap();
        assert_eq!(back.events[0], event(1));
        assert!(serde_json::from_str::<TelemetryEvent>(
            r#"{"id":"x","type":"modal_opened","at":1,"sessionId":"s","extra":1}"#
        )
        .is_err());
    }

    #[test]
    fn the_checks_refuse_what_the_contract_refuses() {
        let now = event(1).at;
        assert_eq!(event(1).check(now), Ok(()));
        let refused = |change: fn(&mut TelemetryEvent)| {
            let mut e = event(1);
            change(&mut e);
            e.check(now).unwrap_err()
        };
        assert!(refused(|e| e.id.clear()).contains("must not be empty"));
        assert!(refused(|e| e.session_id = "x".repeat(MAX_EVENT_STRING_CHARS + 1)).contains("200 characters"));
        assert!(refused(|e| e.at -= MAX_EVENT_AGE_MS + 1).contains("server's clock"));
        assert!(refused(|e| e.at += MAX_CLOCK_SKEW_MS + 1).contains("server's clock"));
        assert!(refused(|e| e.target_minutes = Some(14)).contains("from 15 to 180"));
        assert!(refused(|e| e.target_minutes = Some(181)).contains("from 15 to 180"));
        assert!(refused(|e| e.generation_ms = Some(f64::NAN)).contains("generationMs"));
        assert!(refused(|e| e.fits = None).contains("required by this event type"));
        let mut longest = event(1);
        longest.session_id = "x".repeat(MAX_EVENT_STRING_CHARS);
        longest.target_minutes = Some(180);
        longest.generation_ms = Some(MAX_GENERATION_MS);
        assert_eq!(longest.check(now), Ok(()));
        assert!(check_batch_len(0).is_err() && check_batch_len(MAX_BATCH_EVENTS + 1).is_err());
        assert!(check_batch_len(1).is_ok() && check_batch_len(MAX_BATCH_EVENTS).is_ok());
        let json = serde_json::json!({"id": "x", "type": "modal_opened", "at": now, "sessionId": "s"}).to_string();
        assert_eq!(read_event(&json, now).map(|e| e.kind), Ok(TelemetryEventType::ModalOpened));
        assert!(read_event(r#"{"id": "x"}"#, now).unwrap_err().starts_with("invalid event: "));
        let twice = format!(r#"{{"id": "x", "type": "modal_opened", "at": {now}, "sessionId": "s", "id": "y"}}"#);
        assert!(read_event(&twice, now).unwrap_err().contains("duplicate field `id`"));
    }

    #[test]
    fn a_completed_session_needs_its_preview_and_plausible_minutes() {
        let completed = sample_completed(1);
        let now = completed.at;
        assert_eq!(completed.check(now), Ok(()));
        let json = serde_json::to_string(&completed).unwrap();
        assert!(json.contains(r#""type":"session_completed""#), "{json}");
        assert!(json.contains(r#""estimatedMinutes":29.5"#) && json.contains(r#""actualMinutes":34.0"#), "{json}");
        assert_eq!(read_event(&json, now), Ok(completed));
        let refused = |change: fn(&mut TelemetryEvent)| {
            let mut e = sample_completed(1);
            change(&mut e);
            e.check(now).unwrap_err()
        };
        for missing in [
            refused(|e| e.strategy = None),
            refused(|e| e.target_minutes = None),
            refused(|e| e.estimated_minutes = None),
            refused(|e| e.actual_minutes = None),
        ] {
            assert!(missing.contains("required by this event type"), "{missing}");
        }
        for bad in [0.0, -1.0, MAX_SESSION_MINUTES + 0.1, f64::NAN, f64::INFINITY] {
            let mut e = sample_completed(1);
            e.actual_minutes = Some(bad);
            assert_eq!(e.check(now).unwrap_err(), "actualMinutes must be above 0 and at most 1440", "{bad}");
            let mut e = sample_completed(1);
            e.estimated_minutes = Some(bad);
            assert_eq!(e.check(now).unwrap_err(), "estimatedMinutes must be above 0 and at most 1440", "{bad}");
        }
        let mut longest = sample_completed(1);
        longest.actual_minutes = Some(MAX_SESSION_MINUTES);
        longest.estimated_minutes = Some(0.1);
        assert_eq!(longest.check(now), Ok(()));
        // Like every type-specific field, the new ones are checked for range
        // on any event type, and required only where they belong.
        let mut generated = event(1);
        generated.actual_minutes = Some(f64::NAN);
        assert!(generated.check(now).unwrap_err().contains("actualMinutes"));
        generated.actual_minutes = Some(20.0);
        assert_eq!(generated.check(now), Ok(()));
    }
}
