use std::future::Future;
use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use super::*;

/// A body that sends `{` and then nothing, until `sender` is dropped.
fn stalled(path: &str, from: [u8; 4]) -> (Request<Body>, tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>) {
    let (sender, receiver) = tokio::sync::mpsc::channel(1);
    sender.try_send(Ok(Bytes::from_static(b"{"))).unwrap();
    let mut request = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from_stream(tokio_stream_from(receiver)))
        .unwrap();
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from((from, 1000))));
    (request, sender)
}

/// Answers within a second, or the test fails (the body was waited for).
async fn promptly<T>(answer: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(1), answer).await.expect("answered without reading the body")
}

fn code(body: &str) -> String {
    serde_json::from_str::<Value>(body).unwrap()["error"]["code"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn one_client_holds_at_most_its_share_of_requests_and_health_is_not_counted() {
    let state = Arc::new(AppState {
        client_requests: ClientSlots::new(1),
        ..base_state(FlagRule::everyone(), TelemetryStore::in_memory())
    });
    let router = app(state.clone());
    let (slow, sender) = stalled("/v1/telemetry", [10, 0, 0, 1]);
    let held = tokio::spawn(router.clone().oneshot(slow));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let from = |ip: [u8; 4], path: &str| {
        let mut request = Request::get(path).body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from((ip, 1000))));
        request
    };
    let flag = format!("/v1/flags/{TIME_CRUNCH_FLAG}");
    let (status, body) = call(state.clone(), from([10, 0, 0, 1], &flag)).await;
    assert_eq!((status, code(&body).as_str()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert_eq!(call(state.clone(), from([10, 0, 0, 2], &flag)).await.0, StatusCode::OK, "another client");
    for health in ["/healthz", "/readyz"] {
        assert_eq!(call(state.clone(), from([10, 0, 0, 1], health)).await.0, StatusCode::OK, "{health}");
    }
    drop(sender);
    let _ = held.await.unwrap();
    assert_eq!(call(state, from([10, 0, 0, 1], &flag)).await.0, StatusCode::OK, "the slot is given back");
}

#[tokio::test]
async fn flag_rate_limit_and_announced_size_are_checked_before_the_body_is_read() {
    let (request, _sender) = stalled("/v1/time-crunch/preview?userKey=u", [10, 0, 0, 1]);
    let (status, body) = promptly(call(state_with(FlagRule { enabled: false, ..FlagRule::everyone() }), request)).await;
    assert_eq!((status, code(&body).as_str()), (StatusCode::NOT_FOUND, "feature_not_available"));

    let limited = Arc::new(AppState {
        telemetry_limiter: telemetry_limiter(1),
        ..base_state(FlagRule::everyone(), TelemetryStore::in_memory())
    });
    for _ in 0..2 {
        // The burst: each of these is let through, then its body stalls.
        let (request, sender) = stalled("/v1/telemetry", [10, 0, 0, 1]);
        drop(sender);
        let _ = call(limited.clone(), request).await;
    }
    let (request, _sender) = stalled("/v1/telemetry", [10, 0, 0, 1]);
    let (status, body) = promptly(call(limited, request)).await;
    assert_eq!((status, code(&body).as_str()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));

    let (mut request, _sender) = stalled("/v1/telemetry", [10, 0, 0, 1]);
    // The telemetry route's own limit: the contract's largest valid batch.
    request.headers_mut().insert("content-length", (MAX_TELEMETRY_BODY_BYTES + 1).to_string().parse().unwrap());
    let (status, body) = promptly(call(state_with(FlagRule::everyone()), request)).await;
    assert_eq!((status, code(&body).as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
}

#[tokio::test(start_paused = true)]
async fn a_trickled_body_is_cut_by_the_body_timeout_before_the_request_timeout() {
    let (request, _sender) = stalled("/v1/telemetry", [10, 0, 0, 1]);
    let started = tokio::time::Instant::now();
    let (status, body) = call(state_with(FlagRule::everyone()), request).await;
    assert_eq!((status, code(&body).as_str()), (StatusCode::REQUEST_TIMEOUT, "timeout"));
    let waited = started.elapsed();
    assert_eq!(waited.as_secs(), config::BODY_READ_TIMEOUT_SECONDS, "{waited:?}");
}

#[tokio::test]
async fn made_up_methods_share_one_label() {
    let state = state_with(FlagRule::everyone());
    for method in ["BREW", "X-1", "X-2", "GET"] {
        let request = Request::builder().method(method).uri("/healthz").body(Body::empty()).unwrap();
        let _ = call(state.clone(), request).await;
    }
    let text = state.metrics.render();
    assert!(text.contains(r#"method="other""#) && text.contains(r#"method="GET""#), "{text}");
    assert!(!text.contains("BREW") && !text.contains("X-1"), "{text}");
}
