//! Router tests (`oneshot`) and a real-listener test (the listener the
//! binary ships, `serve.rs`) for the server twin.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use super::*;
use crate::flag_rules::FlagRule;
use crate::telemetry::now_ms;
use time_crunch::api::FLAG_KEY as TIME_CRUNCH_FLAG;

/// An admin token of the shortest length the configuration accepts.
const ADMIN_TOKEN: &str = "router-test-token";

fn fixtures() -> Vec<(String, String)> {
    time_crunch_test_support::fixture_requests()
}

/// A fresh data directory per test, removed when dropped.
pub(crate) struct TempDir(pub(crate) std::path::PathBuf);

impl TempDir {
    pub(crate) fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("tc-server-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// State for tests: the given flag rule and store, CORS for one origin, no
/// admin token, no rate limit.
pub(crate) fn base_state(rule: FlagRule, store: TelemetryStore) -> AppState {
    AppState {
        flags: FlagStore::with_rules([(TIME_CRUNCH_FLAG.to_owned(), rule)].into()),
        admin: None,
        telemetry: Arc::new(store),
        cors_origins: crate::cors::AllowedOrigins::parse("http://app.example").unwrap(),
        max_concurrent: 64,
        client_requests: ClientSlots::new(MAX_CONCURRENT_PER_CLIENT),
        metrics: Metrics::new(),
        telemetry_limiter: None,
    }
}

/// A store on disk with the default limits but no free-space floor.
fn open_store(dir: &std::path::Path) -> TelemetryStore {
    let limits = StoreLimits { min_free_bytes: 0, ..StoreLimits::default_for_tests() };
    TelemetryStore::open(dir, limits).unwrap()
}

pub(crate) fn state_full(rule: FlagRule, admin_token: Option<&str>, store: TelemetryStore) -> Arc<AppState> {
    Arc::new(AppState { admin: admin_token.map(AdminGuard::new), ..base_state(rule, store) })
}

pub(crate) fn state_with(rule: FlagRule) -> Arc<AppState> {
    state_full(rule, None, TelemetryStore::in_memory())
}

async fn call(state: Arc<AppState>, request: Request<Body>) -> (StatusCode, String) {
    let response = app(state).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn post_preview(body: impl Into<Body>) -> Request<Body> {
    Request::post("/v1/time-crunch/preview?userKey=user-1")
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn previews_are_the_engine_output_byte_for_byte() {
    for (case, request) in fixtures() {
        let (status, body) = call(state_with(FlagRule::everyone()), post_preview(request.clone())).await;
        let expected = time_crunch::wire::json::request_from_json(&request).and_then(|r| time_crunch::preview(&r));
        match expected {
            Ok(preview) => {
                assert_eq!(status, StatusCode::OK, "{case}");
                assert_eq!(body, time_crunch::wire::json::to_json(&preview), "{case}");
            }
            Err(error) => {
                assert!(status.is_client_error(), "{case}: {status}");
                let body: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(body["error"]["code"], error.code.as_str(), "{case}");
                assert_eq!(body["error"]["path"].as_str(), error.path.as_deref(), "{case}");
            }
        }
    }
}

#[tokio::test]
async fn flag_off_answers_404_feature_not_available() {
    let (_, request) = fixtures().into_iter().find(|(c, _)| c == "fits-as-written").unwrap();
    let off = FlagRule { enabled: false, ..FlagRule::everyone() };
    let (status, body) = call(state_with(off), post_preview(request)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"]["code"], "feature_not_available");
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_typed_errors() {
    let (status, body) = call(state_with(FlagRule::everyone()), post_preview("{\"plan\": ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["code"], "invalid_request");

    let huge = vec![b' '; MAX_BODY_BYTES + 1];
    let (status, body) = call(state_with(FlagRule::everyone()), post_preview(huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["code"], "payload_too_large");

    let (status, _) = call(state_with(FlagRule::everyone()), post_preview(vec![0xff, 0xfe])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn flag_endpoint_evaluates_in_the_openfeature_shape() {
    let rule = FlagRule { rollout_percent: 0.0, allow: vec!["vip".into()], ..FlagRule::everyone() };
    let get =
        |user: &str| Request::get(format!("/v1/flags/{TIME_CRUNCH_FLAG}?userKey={user}")).body(Body::empty()).unwrap();
    let (status, body) = call(state_with(rule.clone()), get("vip")).await;
    assert_eq!(status, StatusCode::OK);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"key": TIME_CRUNCH_FLAG, "value": true, "reason": "TARGETING_MATCH", "variant": "on"})
    );
    let (_, body) = call(state_with(rule), get("someone")).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["value"], false);
    let (_, body) =
        call(state_with(FlagRule::everyone()), Request::get("/v1/flags/unknown.flag").body(Body::empty()).unwrap())
            .await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["reason"], "ERROR");
}

#[tokio::test]
async fn a_real_listener_serves_health_and_previews_and_drains_on_shutdown() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = connection_budget::split(1024).api;
    let server = tokio::spawn(serve::serve(listener, app(state_with(FlagRule::everyone())), limits, async {
        let _ = stopped.await;
    }));
    let exchange = |raw: String| async move {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(raw.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        response
    };
    let health = exchange("GET /healthz HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n".into()).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let (_, request) = fixtures().into_iter().find(|(c, _)| c == "fits-as-written").unwrap();
    let raw = format!(
        "POST /v1/time-crunch/preview HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{request}",
        request.len()
    );
    let response = exchange(raw).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"strategy\":\"full_accessory_blocks\""));
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), server)
        .await
        .expect("the listener stops once asked and nothing is in flight")
        .unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "no longer accepting");
}

#[tokio::test]
async fn admin_put_changes_a_flag_at_once_and_needs_the_token() {
    let state = state_full(FlagRule::everyone(), Some(ADMIN_TOKEN), TelemetryStore::in_memory());
    let (_, request) = fixtures().into_iter().find(|(c, _)| c == "fits-as-written").unwrap();
    let put = |token: &str, body: &str| {
        Request::put(format!("/v1/admin/flags/{TIME_CRUNCH_FLAG}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (status, _) = call(state.clone(), put("wrong", r#"{"enabled": false}"#)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(call(state.clone(), post_preview(request.clone())).await.0, StatusCode::OK);

    let (status, _) = call(state.clone(), put(ADMIN_TOKEN, r#"{"enabled": true, "rolloutPercent": 120}"#)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = call(state.clone(), put(ADMIN_TOKEN, r#"{"enabled": "no"}"#)).await;
    assert!(status.is_client_error());

    // Rollback: the very next request sees the flag off.
    let (status, _) = call(state.clone(), put(ADMIN_TOKEN, r#"{"enabled": false}"#)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(call(state.clone(), post_preview(request)).await.0, StatusCode::NOT_FOUND);

    // The rule in force reads back (what a tool restores after changing it).
    let get = |token: &str, key: &str| {
        Request::get(format!("/v1/admin/flags/{key}"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, body) = call(state.clone(), get(ADMIN_TOKEN, TIME_CRUNCH_FLAG)).await;
    assert_eq!(status, StatusCode::OK);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["rule"]["enabled"], false);
    assert_eq!(body["rule"]["rolloutPercent"], 100.0);
    assert_eq!(body["source"], "admin");
    assert_eq!(call(state.clone(), get("wrong", TIME_CRUNCH_FLAG)).await.0, StatusCode::UNAUTHORIZED);

    // Clearing the override puts the rule underneath back in force.
    let delete = || {
        Request::delete(format!("/v1/admin/flags/{TIME_CRUNCH_FLAG}"))
            .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
            .body(Body::empty())
            .unwrap()
    };
    let (status, body) = call(state.clone(), delete()).await;
    assert_eq!(status, StatusCode::OK);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((body["cleared"].clone(), body["source"].clone()), (true.into(), "default".into()));
    assert_eq!(body["rule"]["enabled"], true);
    let (_, body) = call(state.clone(), delete()).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["cleared"], false);
    let (status, body) = call(state, get(ADMIN_TOKEN, "no.such.flag")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["code"], "unknown_flag");
}

#[tokio::test]
async fn admin_routes_are_absent_without_a_token() {
    let request = Request::put(format!("/v1/admin/flags/{TIME_CRUNCH_FLAG}"))
        .header("authorization", "Bearer ")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"enabled": false}"#))
        .unwrap();
    let (status, _) = call(state_with(FlagRule::everyone()), request).await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED, "{status}");
}

fn event(id: &str, kind: &str, extra: serde_json::Value) -> Value {
    let mut event = serde_json::json!({ "id": id, "type": kind, "at": now_ms(), "sessionId": "s1" });
    for (k, v) in extra.as_object().unwrap() {
        event[k] = v.clone();
    }
    event
}

fn post_telemetry(batch: &Value) -> Request<Body> {
    Request::post("/v1/telemetry")
        .header("content-type", "application/json")
        .body(Body::from(batch.to_string()))
        .unwrap()
}

#[tokio::test]
async fn telemetry_is_validated_per_event_stored_and_deduplicated() {
    let data = TempDir::new();
    let state = state_full(FlagRule::everyone(), Some(ADMIN_TOKEN), open_store(&data.0));
    let batch = serde_json::json!({ "events": [
        event("a", "preview_generated", serde_json::json!({"strategy": "supersets", "targetMinutes": 30, "fits": true, "generationMs": 0.05})),
        event("b", "preview_generated", serde_json::json!({"strategy": "supersets"})),
        event("c", "modal_opened", serde_json::json!({"at": 1})),
        event("d", "bogus", serde_json::json!({})),
        event("e", "flag_evaluated", serde_json::json!({"flagValue": false, "userKey": "x".repeat(201)})),
        event("f", "preview_failed", serde_json::json!({"errorCode": "invalid_plan"})),
    ]});
    let (status, body) = call(state.clone(), post_telemetry(&batch)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["accepted"], 2);
    let rejected: Vec<i64> =
        body["rejected"].as_array().unwrap().iter().map(|r| r["index"].as_i64().unwrap()).collect();
    assert_eq!(rejected, [1, 2, 3, 4]);
    assert!(body["rejected"].as_array().unwrap().iter().all(|r| !r["reason"].as_str().unwrap().is_empty()));

    // A retry of the same events is acknowledged and stored once.
    let (status, _) = call(state.clone(), post_telemetry(&batch)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let export = Request::get("/v1/admin/telemetry?since=0")
        .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
        .body(Body::empty())
        .unwrap();
    let (status, lines) = call(state.clone(), export).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<String> = lines
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["event"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["a", "f"]);
    let unauthorized = Request::get("/v1/admin/telemetry").body(Body::empty()).unwrap();
    assert_eq!(call(state, unauthorized).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_batches_are_refused_whole() {
    let state = state_with(FlagRule::everyone());
    for (batch, status) in [
        (serde_json::json!({ "events": [] }), StatusCode::BAD_REQUEST),
        (
            serde_json::json!({ "events": (0..501).map(|n| event(&n.to_string(), "modal_opened", serde_json::json!({}))).collect::<Vec<_>>() }),
            StatusCode::BAD_REQUEST,
        ),
        (serde_json::json!({ "evnts": [] }), StatusCode::BAD_REQUEST),
        (serde_json::json!([1, 2]), StatusCode::BAD_REQUEST),
    ] {
        let (actual, body) = call(state.clone(), post_telemetry(&batch)).await;
        assert_eq!(actual, status);
        assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["code"], "invalid_request");
    }
}

#[tokio::test]
async fn an_unwritable_store_answers_503_and_acknowledges_nothing() {
    let data = TempDir::new();
    let store = open_store(&data.0);
    store.break_for_tests();
    let state = state_full(FlagRule::everyone(), None, store);
    let batch = serde_json::json!({ "events": [event("z", "modal_opened", serde_json::json!({}))] });
    let (status, body) = call(state, post_telemetry(&batch)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(body.get("accepted").is_none());
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let preflight = |origin: &str| {
        Request::options("/v1/telemetry")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let response = app(state_with(FlagRule::everyone())).oneshot(preflight("http://app.example")).await.unwrap();
    assert_eq!(response.headers().get("access-control-allow-origin").unwrap(), "http://app.example");
    let response = app(state_with(FlagRule::everyone())).oneshot(preflight("http://evil.example")).await.unwrap();
    assert!(response.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn overload_is_shed_with_503_and_recovers() {
    let state =
        Arc::new(AppState { max_concurrent: 1, ..base_state(FlagRule::everyone(), TelemetryStore::in_memory()) });
    let router = app(state);
    // A client that sends its body slowly holds the only slot.
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    let slow = Request::post("/v1/telemetry")
        .header("content-type", "application/json")
        .body(Body::from_stream(tokio_stream_from(receiver)))
        .unwrap();
    let held = tokio::spawn(router.clone().oneshot(slow));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let flag = || Request::get(format!("/v1/flags/{TIME_CRUNCH_FLAG}")).body(Body::empty()).unwrap();
    let response = router.clone().oneshot(flag()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["error"]["code"], "overloaded");
    for health in ["/healthz", "/readyz"] {
        let response = router.clone().oneshot(Request::get(health).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{health} is never shed");
    }
    drop(sender);
    let _ = held.await.unwrap();
    let response = router.oneshot(flag()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "recovers once the slot is free");
}

/// A body stream fed from a channel.
fn tokio_stream_from(
    mut receiver: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}

/// The value of one series in the exposition text, if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series).and_then(|rest| rest.trim().parse().ok()))
}

#[tokio::test]
async fn metrics_count_requests_previews_flags_and_telemetry_by_source() {
    let state = state_with(FlagRule::everyone());
    let (_, request) = fixtures().into_iter().find(|(c, _)| c == "supersets-pull-day").unwrap();
    assert_eq!(call(state.clone(), post_preview(request)).await.0, StatusCode::OK);
    assert_eq!(call(state.clone(), post_preview("{}")).await.0, StatusCode::BAD_REQUEST);
    let flag = Request::get(format!("/v1/flags/{TIME_CRUNCH_FLAG}?userKey=u")).body(Body::empty()).unwrap();
    call(state.clone(), flag).await;
    let batch = serde_json::json!({ "events": [
        event("g1", "preview_generated", serde_json::json!({"strategy": "core_only", "targetMinutes": 15, "fits": false, "fallbackReason": "target_below_minimum", "generationMs": 0.04})),
        event("o1", "modal_opened", serde_json::json!({})),
        event("bad", "modal_opened", serde_json::json!({"at": 0})),
    ]});
    call(state.clone(), post_telemetry(&batch)).await;
    call(state.clone(), post_telemetry(&batch)).await;

    let text = state.metrics.render();
    let expect = |series: &str, value: f64| {
        assert_eq!(sample(&text, series), Some(value), "{series}\n{text}");
    };
    expect(r#"time_crunch_http_requests_total{method="POST",route="/v1/time-crunch/preview",status="200"}"#, 1.0);
    expect(r#"time_crunch_http_requests_total{method="POST",route="/v1/time-crunch/preview",status="400"}"#, 1.0);
    expect(r#"time_crunch_http_request_duration_seconds_count{method="POST",route="/v1/time-crunch/preview"}"#, 2.0);
    // The pull day at 40 minutes drops a one-set warm-up (issue 16), so it reads core_plus_supersets.
    expect(
        r#"time_crunch_previews_total{fallback_reason="none",fits="true",source="server",strategy="core_plus_supersets"}"#,
        1.0,
    );
    expect(
        r#"time_crunch_previews_total{fallback_reason="target_below_minimum",fits="false",source="client",strategy="core_only"}"#,
        1.0,
    );
    expect(r#"time_crunch_preview_failures_total{code="invalid_request",source="server"}"#, 1.0);
    expect(r#"time_crunch_preview_generation_seconds_count{source="client"}"#, 1.0);
    // Both preview requests evaluated the flag, and so did the flag endpoint.
    expect(
        r#"time_crunch_flag_evaluations_total{flag="feature.stream5_time_crunch_mode",reason="DEFAULT",source="server",value="true"}"#,
        3.0,
    );
    expect(r#"time_crunch_modal_events_total{event="opened"}"#, 1.0);
    expect(r#"time_crunch_telemetry_events_total{outcome="accepted"}"#, 2.0);
    expect(r#"time_crunch_telemetry_events_total{outcome="duplicate"}"#, 2.0);
    expect(r#"time_crunch_telemetry_events_total{outcome="rejected"}"#, 2.0);
    assert!(sample(&text, "process_resident_memory_bytes").is_some_and(|bytes| bytes > 0.0));
}

#[tokio::test]
async fn telemetry_is_rate_limited_per_client() {
    let state = Arc::new(AppState {
        telemetry_limiter: telemetry_limiter(1),
        ..base_state(FlagRule::everyone(), TelemetryStore::in_memory())
    });
    let from = |ip: [u8; 4], n: usize| {
        let batch =
            serde_json::json!({ "events": [event(&format!("{ip:?}-{n}"), "modal_opened", serde_json::json!({}))] });
        let mut request = post_telemetry(&batch);
        request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((ip, 1000))));
        request
    };
    // A burst of two is allowed, the third is refused; another client is not affected.
    assert_eq!(call(state.clone(), from([127, 0, 0, 1], 1)).await.0, StatusCode::ACCEPTED);
    assert_eq!(call(state.clone(), from([127, 0, 0, 1], 2)).await.0, StatusCode::ACCEPTED);
    let (status, body) = call(state.clone(), from([127, 0, 0, 1], 3)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["code"], "rate_limited");
    assert_eq!(call(state.clone(), from([127, 0, 0, 2], 1)).await.0, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn engine_errors_map_to_statuses_and_readiness_follows_the_database() {
    let state = state_with(FlagRule::everyone());
    let (_, request) = fixtures().into_iter().find(|(c, _)| c == "error-sets-out-of-range").unwrap();
    assert_eq!(call(state.clone(), post_preview(request)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, request) = fixtures().into_iter().find(|(c, _)| c == "error-target-out-of-range").unwrap();
    assert_eq!(call(state.clone(), post_preview(request)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, request) = fixtures().into_iter().find(|(c, _)| c == "error-unknown-field").unwrap();
    assert_eq!(call(state.clone(), post_preview(request)).await.0, StatusCode::BAD_REQUEST);

    let ready = || Request::get("/readyz").body(Body::empty()).unwrap();
    assert_eq!(call(state.clone(), ready()).await, (StatusCode::OK, "ready".to_owned()));
    let data = TempDir::new();
    let store = open_store(&data.0);
    store.break_for_tests();
    let broken = state_full(FlagRule::everyone(), None, store);
    // A database that cannot store is not ready (the probe writes), and writes fail with 503.
    assert_eq!(call(broken.clone(), ready()).await.0, StatusCode::SERVICE_UNAVAILABLE);
    let batch = serde_json::json!({ "events": [event("r1", "modal_opened", serde_json::json!({}))] });
    assert_eq!(call(broken, post_telemetry(&batch)).await.0, StatusCode::SERVICE_UNAVAILABLE);
}

#[test]
fn the_telemetry_body_limit_holds_the_contracts_longest_event() {
    use time_crunch::telemetry::{TelemetryEvent, MAX_EVENT_STRING_CHARS, MAX_GENERATION_MS};
    // Every field present, the longest values, the strings empty: what is
    // left is what EVENT_FIXED_JSON_BYTES must cover.
    let longest = TelemetryEvent {
        id: String::new(),
        kind: time_crunch::telemetry::TelemetryEventType::PreviewGenerated,
        at: i64::MIN,
        session_id: String::new(),
        user_key: Some(String::new()),
        strategy: Some(time_crunch::Strategy::FullAccessoryBlocks),
        target_minutes: Some(-100),
        fits: Some(false),
        fallback_reason: Some(String::new()),
        generation_ms: Some(MAX_GENERATION_MS - f64::EPSILON * 1e4),
        error_code: Some(String::new()),
        flag_value: Some(false),
        // The longest text a plausible minutes value has (ryu's and
        // JSON.stringify's shortest round trip of the smallest normal).
        estimated_minutes: Some(f64::MIN_POSITIVE),
        actual_minutes: Some(f64::MIN_POSITIVE),
    };
    let fixed = serde_json::to_string(&longest).unwrap().len();
    assert!(fixed <= config::EVENT_FIXED_JSON_BYTES, "{fixed} bytes besides the strings");
    let escaped = "\u{1}".repeat(MAX_EVENT_STRING_CHARS);
    assert_eq!(serde_json::to_string(&escaped).unwrap().len(), 2 + 6 * MAX_EVENT_STRING_CHARS);
}

/// Sessions athletes finished: validated, stored, counted in the metrics.
mod completed_sessions;
/// Limits on what one request or client may hold, checked before bodies are read.
mod load;
