//! The host app's client of the server twin: the feature flag and
//! telemetry (SPEC §9), over gloo-net.
//!
//! Nothing here may hurt a preview: every method returns at once, never
//! throws and never rejects; a failed flag request means "off"; events wait
//! in the bounded queue of [`crate::batching::Batcher`] (its policy is
//! tested natively) and leave in batches, on size, on an interval, and by
//! `navigator.sendBeacon` when the page is hidden; failed batches are
//! retried with backoff.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::Interval;
use serde::Deserialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::input;
use crate::api::FLAG_KEY;
use crate::batching::{BatchPolicy, Batcher};
use crate::error::ErrorCode;
use crate::preview::Strategy;
use crate::telemetry::{
    plausible_session_minutes, TelemetryBatch, TelemetryEvent, TelemetryEventType, MAX_BATCH_EVENTS,
};
use crate::wire::number::push_decimal;
use crate::wire::reader::contract::{optional, read_struct, required};
use crate::wire::reader::{Fault, FromText, Reader};

/// How long a flag answer is reused before asking again.
const FLAG_CACHE_MS: f64 = 60_000.0;
/// How often the queue is looked at (a batch still leaves only when due).
const TICK_MS: u32 = 1_000;

/// How a [`TimeCrunchClient`] reaches the server.
#[derive(Debug, Clone, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientOptions {
    /// The user: flag bucketing and every event.
    pub user_key: String,
    /// The server's origin, e.g. `"https://api.example.com"`; `""` (the
    /// default) for the page's own origin.
    #[serde(default)]
    #[tsify(optional)]
    pub base_url: Option<String>,
    /// The browser session the events belong to; random by default.
    #[serde(default)]
    #[tsify(optional)]
    pub session_id: Option<String>,
    /// Longest an event waits before it is sent, milliseconds (default 5000).
    #[serde(default)]
    #[tsify(optional)]
    pub flush_interval_ms: Option<f64>,
    /// Events per batch, and the queue length that sends at once (default 50).
    #[serde(default)]
    #[tsify(optional)]
    pub max_batch: Option<u32>,
    /// Events kept while the server is unreachable; the oldest are dropped
    /// beyond it (default 500).
    #[serde(default)]
    #[tsify(optional)]
    pub max_buffer: Option<u32>,
}

/// An event as the host reports it; the client adds `id`, `at`,
/// `sessionId` and `userKey`.
#[derive(Debug, Clone, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrackedEvent {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: TelemetryEventType,
    /// Strategy of a generated preview, or of a completed session's preview.
    #[serde(default)]
    #[tsify(optional)]
    pub strategy: Option<Strategy>,
    /// Target of a preview.
    #[serde(default)]
    #[tsify(optional)]
    pub target_minutes: Option<i64>,
    /// Whether a generated preview fits.
    #[serde(default)]
    #[tsify(optional)]
    pub fits: Option<bool>,
    /// Fallback reason of a generated preview.
    #[serde(default)]
    #[tsify(optional)]
    pub fallback_reason: Option<String>,
    /// Time the preview took in the browser, milliseconds.
    #[serde(default)]
    #[tsify(optional)]
    pub generation_ms: Option<f64>,
    /// Error code of a failed preview.
    #[serde(default)]
    #[tsify(optional)]
    pub error_code: Option<String>,
    /// Value of an evaluated flag.
    #[serde(default)]
    #[tsify(optional)]
    pub flag_value: Option<bool>,
    /// Minutes the preview of a completed session estimated.
    #[serde(default)]
    #[tsify(optional)]
    pub estimated_minutes: Option<f64>,
    /// Minutes a completed session really took.
    #[serde(default)]
    #[tsify(optional)]
    pub actual_minutes: Option<f64>,
}

impl FromText for ClientOptions {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let mut user_key = None;
        let (mut base_url, mut session_id, mut flush_interval_ms, mut max_batch, mut max_buffer) =
            (None, None, None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "userKey" => user_key = Some(reader.string()?),
                "baseUrl" => base_url = optional(reader, Reader::string)?,
                "sessionId" => session_id = optional(reader, Reader::string)?,
                "flushIntervalMs" => flush_interval_ms = optional(reader, Reader::f64)?,
                "maxBatch" => max_batch = optional(reader, Reader::u32)?,
                "maxBuffer" => max_buffer = optional(reader, Reader::u32)?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(ClientOptions {
            user_key: required(user_key, "userKey")?,
            base_url,
            session_id,
            flush_interval_ms,
            max_batch,
            max_buffer,
        })
    }
}

impl FromText for TrackedEvent {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let mut kind = None;
        let mut event = TrackedEvent::of(TelemetryEventType::ModalOpened);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "type" => kind = Some(TelemetryEventType::read(reader)?),
                "strategy" => event.strategy = optional(reader, Strategy::read)?,
                "targetMinutes" => event.target_minutes = optional(reader, Reader::i64)?,
                "fits" => event.fits = optional(reader, Reader::boolean)?,
                "fallbackReason" => event.fallback_reason = optional(reader, Reader::string)?,
                "generationMs" => event.generation_ms = optional(reader, Reader::f64)?,
                "errorCode" => event.error_code = optional(reader, Reader::string)?,
                "flagValue" => event.flag_value = optional(reader, Reader::boolean)?,
                "estimatedMinutes" => event.estimated_minutes = optional(reader, Reader::f64)?,
                "actualMinutes" => event.actual_minutes = optional(reader, Reader::f64)?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        event.kind = required(kind, "type")?;
        Ok(event)
    }
}

struct State {
    base_url: String,
    user_key: String,
    session_id: String,
    next_event: u64,
    batcher: Batcher,
    /// The last flag answer and when it came.
    flag: Option<(bool, f64)>,
    /// Events the host reported that were not valid events.
    rejected: u64,
}

/// Feature flag and telemetry for one user, e.g.
///
/// ```js
/// const client = new TimeCrunchClient({ userKey });
/// if (await client.isEnabled()) showShortOnTime();
/// client.track({ type: "modal_opened" });
/// ```
#[wasm_bindgen]
pub struct TimeCrunchClient {
    state: Rc<RefCell<State>>,
    _ticker: Interval,
    on_hidden: Option<Closure<dyn FnMut()>>,
}

#[wasm_bindgen]
impl TimeCrunchClient {
    /// A client for `options.userKey`; throws a `TimeCrunchError` only when
    /// the options themselves are malformed.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Ts<ClientOptions>) -> Result<TimeCrunchClient, JsValue> {
        let options: ClientOptions = input::read(&options.into(), ErrorCode::InvalidRequest)?;
        let defaults = BatchPolicy::default();
        let policy = BatchPolicy {
            max_batch: options.max_batch.map_or(defaults.max_batch, |n| n.clamp(1, MAX_BATCH_EVENTS as u32) as usize),
            max_buffer: options.max_buffer.map_or(defaults.max_buffer, |n| n.max(1) as usize),
            flush_interval_ms: options.flush_interval_ms.unwrap_or(defaults.flush_interval_ms).max(0.0),
            ..defaults
        };
        let state = Rc::new(RefCell::new(State {
            base_url: options.base_url.unwrap_or_default().trim_end_matches('/').to_owned(),
            user_key: options.user_key,
            session_id: options.session_id.unwrap_or_else(random_id),
            next_event: 0,
            batcher: Batcher::new(policy, js_sys::Date::now()),
            flag: None,
            rejected: 0,
        }));
        let ticking = state.clone();
        let ticker = Interval::new(TICK_MS, move || send_due(&ticking, false));
        let on_hidden = listen_for_hidden(&state);
        Ok(TimeCrunchClient { state, _ticker: ticker, on_hidden })
    }

    /// Whether the feature is on for this user. Resolves `false` on any
    /// failure; never rejects. The answer is reused for a minute.
    #[wasm_bindgen(js_name = isEnabled, unchecked_return_type = "Promise<boolean>")]
    pub fn is_enabled(&self) -> js_sys::Promise {
        let state = self.state.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let now = js_sys::Date::now();
            let cached = state.borrow().flag.filter(|&(_, at)| now - at < FLAG_CACHE_MS);
            if let Some((value, _)) = cached {
                return Ok(value.into());
            }
            let url = {
                let state = state.borrow();
                let mut url = state.base_url.clone();
                url.push_str("/v1/flags/");
                url.push_str(FLAG_KEY);
                url
            };
            let user_key = state.borrow().user_key.clone();
            let value = fetch_flag(&url, &user_key).await;
            let mut state = state.borrow_mut();
            state.flag = Some((value, js_sys::Date::now()));
            let event = TrackedEvent { flag_value: Some(value), ..TrackedEvent::of(TelemetryEventType::FlagEvaluated) };
            state.push(event);
            Ok(value.into())
        })
    }

    /// Queues an event. Never throws: a malformed event is counted in
    /// `rejected()` and dropped.
    pub fn track(&self, event: Ts<TrackedEvent>) {
        match input::read::<TrackedEvent>(&event.into(), ErrorCode::InvalidRequest) {
            Ok(event) => self.state.borrow_mut().push(event),
            Err(_) => self.state.borrow_mut().rejected += 1,
        }
        send_due(&self.state, false);
    }

    /// Queues the `preview_generated` event of a preview this module made.
    #[wasm_bindgen(js_name = trackPreview)]
    pub fn track_preview(
        &self,
        preview: Ts<crate::Preview>,
        #[wasm_bindgen(js_name = generationMs)] generation_ms: f64,
    ) {
        let preview: JsValue = preview.into();
        let fallback = get(&preview, "fallback");
        let reason = js_sys::Reflect::get(&fallback, &"reason".into()).ok().and_then(|reason| reason.as_string());
        let event = TrackedEvent {
            fits: get(&preview, "fits").as_bool(),
            fallback_reason: reason,
            generation_ms: generation_ms.is_finite().then_some(generation_ms),
            ..TrackedEvent::of_preview(TelemetryEventType::PreviewGenerated, &preview)
        };
        self.state.borrow_mut().push(event);
        send_due(&self.state, false);
    }

    /// Queues the `session_completed` event of a session the athlete
    /// trained from `preview`: its strategy, target and estimate, and the
    /// minutes it really took, which is what the dashboards' "finished
    /// within target" counts. Never throws: `actualMinutes` that is not a
    /// number above 0 and at most a day (1440), or a preview without its
    /// strategy, target or estimate, is counted in `rejected()` and dropped.
    ///
    /// ```js
    /// const started = Date.now();
    /// // ... the athlete trains the applied preview ...
    /// client.trackCompleted(preview, (Date.now() - started) / 60_000);
    /// ```
    #[wasm_bindgen(js_name = trackCompleted)]
    pub fn track_completed(
        &self,
        preview: Ts<crate::Preview>,
        #[wasm_bindgen(js_name = actualMinutes)] actual_minutes: f64,
    ) {
        let preview: JsValue = preview.into();
        let event = TrackedEvent {
            estimated_minutes: get(&preview, "estimatedMinutes").as_f64(),
            actual_minutes: Some(actual_minutes),
            ..TrackedEvent::of_preview(TelemetryEventType::SessionCompleted, &preview)
        };
        let complete = event.strategy.is_some()
            && event.target_minutes.is_some()
            && [event.estimated_minutes, event.actual_minutes].iter().all(|m| m.is_some_and(plausible_session_minutes));
        if complete {
            self.state.borrow_mut().push(event);
        } else {
            self.state.borrow_mut().rejected += 1;
        }
        send_due(&self.state, false);
    }

    /// Sends what waits now, even during a retry delay; resolves when that
    /// send is over. Never rejects.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn flush(&self) -> js_sys::Promise {
        let state = self.state.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let batch = state.borrow_mut().batcher.next_batch(js_sys::Date::now(), true);
            if let Some(batch) = batch {
                send(&state, batch).await;
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Events waiting to be sent.
    pub fn pending(&self) -> u32 {
        self.state.borrow().batcher.len() as u32
    }

    /// Events dropped because the queue was full.
    pub fn dropped(&self) -> u32 {
        self.state.borrow().batcher.dropped() as u32
    }

    /// Malformed events given to `track`, and sessions given to
    /// `trackCompleted` without plausible minutes.
    pub fn rejected(&self) -> u32 {
        self.state.borrow().rejected as u32
    }
}

impl Drop for TimeCrunchClient {
    fn drop(&mut self) {
        if let (Some(document), Some(listener)) = (document(), &self.on_hidden) {
            let _ = document.remove_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
        }
    }
}

/// A property of a JS object; `undefined` when it has none.
fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

impl TrackedEvent {
    /// An event of `kind` about `preview`: its strategy and target.
    fn of_preview(kind: TelemetryEventType, preview: &JsValue) -> Self {
        TrackedEvent {
            strategy: get(preview, "strategy")
                .as_string()
                .and_then(|name| Strategy::ALL.into_iter().find(|s| s.as_str() == name)),
            target_minutes: get(preview, "targetMinutes").as_f64().map(|minutes| minutes as i64),
            ..TrackedEvent::of(kind)
        }
    }

    fn of(kind: TelemetryEventType) -> Self {
        TrackedEvent {
            kind,
            strategy: None,
            target_minutes: None,
            fits: None,
            fallback_reason: None,
            generation_ms: None,
            error_code: None,
            flag_value: None,
            estimated_minutes: None,
            actual_minutes: None,
        }
    }
}

impl State {
    fn push(&mut self, event: TrackedEvent) {
        self.next_event += 1;
        let mut id = self.session_id.clone();
        id.push('-');
        push_decimal(&mut id, self.next_event);
        self.batcher.push(TelemetryEvent {
            id,
            kind: event.kind,
            at: js_sys::Date::now() as i64,
            session_id: self.session_id.clone(),
            user_key: Some(self.user_key.clone()),
            strategy: event.strategy,
            target_minutes: event.target_minutes,
            fits: event.fits,
            fallback_reason: event.fallback_reason,
            generation_ms: event.generation_ms,
            error_code: event.error_code,
            flag_value: event.flag_value,
            estimated_minutes: event.estimated_minutes,
            actual_minutes: event.actual_minutes,
        });
    }

    fn telemetry_url(&self) -> String {
        let mut url = self.base_url.clone();
        url.push_str("/v1/telemetry");
        url
    }
}

/// Starts sending the next batch if one is due.
fn send_due(state: &Rc<RefCell<State>>, force: bool) {
    let batch = state.borrow_mut().batcher.next_batch(js_sys::Date::now(), force);
    if let Some(batch) = batch {
        let state = state.clone();
        wasm_bindgen_futures::spawn_local(async move { send(&state, batch).await });
    }
}

/// Posts a batch and records the outcome. A 4xx other than 408/429 means
/// the server will never take these events, so they are not retried.
async fn send(state: &Rc<RefCell<State>>, batch: TelemetryBatch) {
    let url = state.borrow().telemetry_url();
    let delivered = match batch_body(&batch) {
        Some(body) => match Request::post(&url).header("content-type", "application/json").body(body) {
            Ok(request) => match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    status < 500 && status != 408 && status != 429
                }
                Err(_) => false,
            },
            Err(_) => false,
        },
        None => true,
    };
    state.borrow_mut().batcher.finish(delivered, js_sys::Date::now());
}

fn batch_body(batch: &TelemetryBatch) -> Option<String> {
    let value = super::to_js(batch).ok()?;
    js_sys::JSON::stringify(&value).ok().map(String::from)
}

/// GET the flag; only an explicit `value: true` is on.
async fn fetch_flag(url: &str, user_key: &str) -> bool {
    let Ok(response) = Request::get(url).query([("userKey", user_key)]).send().await else {
        return false;
    };
    if !response.ok() {
        return false;
    }
    let Ok(text) = response.text().await else {
        return false;
    };
    let Ok(body) = js_sys::JSON::parse(&text) else {
        return false;
    };
    js_sys::Reflect::get(&body, &"value".into()).ok().and_then(|value| value.as_bool()) == Some(true)
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// When the page is hidden (tab switched, closed, app backgrounded), what
/// waits leaves by `sendBeacon`, which the browser delivers even as the page
/// goes away. `None` outside a window (a worker): the interval still sends.
fn listen_for_hidden(state: &Rc<RefCell<State>>) -> Option<Closure<dyn FnMut()>> {
    let document = document()?;
    let state = state.clone();
    let watched = document.clone();
    let listener = Closure::<dyn FnMut()>::new(move || {
        if watched.visibility_state() == web_sys::VisibilityState::Hidden {
            send_beacon(&state);
        }
    });
    document.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref()).ok()?;
    Some(listener)
}

fn send_beacon(state: &Rc<RefCell<State>>) {
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return;
    };
    let mut state = state.borrow_mut();
    let url = state.telemetry_url();
    while let Some(batch) = state.batcher.next_batch(js_sys::Date::now(), true) {
        let queued =
            batch_body(&batch).is_some_and(|body| navigator.send_beacon_with_opt_str(&url, Some(&body)) == Ok(true));
        state.batcher.finish(queued, js_sys::Date::now());
        if !queued {
            break;
        }
    }
}

/// A random session id (Math.random is enough: it only groups events).
fn random_id() -> String {
    let mut id = String::from("s");
    for _ in 0..2 {
        push_decimal(&mut id, (js_sys::Math::random() * 1e15) as u64);
    }
    id
}
