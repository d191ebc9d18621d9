//! Router tests of the OFREP endpoints (`ofrep.rs`): the protocol's
//! request, answer and error shapes, the same answers as `GET /v1/flags`,
//! the bulk endpoint's ETag and 304, CORS for browsers, and the metrics.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::admin_auth::AdminGuard;
use crate::flag_rules::FlagRule;
use crate::flag_store::FlagStore;
use crate::state::AppState;
use crate::telemetry_store::TelemetryStore;
use crate::tests::{base_state, state_with};
use time_crunch::api::FLAG_KEY;

const TOKEN: &str = "ofrep-test-token!";
const BULK: &str = "/ofrep/v1/evaluate/flags";

/// The time-crunch flag at `rule` beside a second flag, off, and the admin
/// routes on.
fn two_flags(rule: FlagRule) -> Arc<AppState> {
    let rules = [
        (FLAG_KEY.to_owned(), rule.clone()),
        ("another.flag".to_owned(), FlagRule { enabled: false, ..FlagRule::everyone() }),
    ];
    Arc::new(AppState {
        flags: FlagStore::with_rules(rules.into()),
        admin: Some(AdminGuard::new(TOKEN)),
        ..base_state(rule, TelemetryStore::in_memory())
    })
}

/// `POST uri` with the header the web provider sends.
fn post(uri: &str) -> axum::http::request::Builder {
    Request::post(uri).header(header::CONTENT_TYPE, "application/json; charset=utf-8")
}

fn one(key: &str, body: impl Into<Body>) -> Request<Body> {
    post(&format!("{BULK}/{key}")).body(body.into()).unwrap()
}

fn bulk(body: impl Into<Body>, if_none_match: Option<&str>) -> Request<Body> {
    let mut request = post(BULK);
    if let Some(tag) = if_none_match {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    request.body(body.into()).unwrap()
}

fn context(user: &str) -> String {
    json!({"context": {"targetingKey": user, "email": "a@example.com", "plan": "free"}}).to_string()
}

async fn send(state: &Arc<AppState>, request: Request<Body>) -> Response {
    crate::app(state.clone()).oneshot(request).await.unwrap()
}

async fn json_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json", "{status}");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn legacy(state: &Arc<AppState>, key: &str, user: &str) -> Value {
    let request = Request::get(format!("/v1/flags/{key}?userKey={user}")).body(Body::empty()).unwrap();
    json_of(send(state, request).await).await.1
}

#[tokio::test]
async fn one_flag_answers_the_protocol_shape_with_each_reason() {
    let rule =
        FlagRule { rollout_percent: 0.0, allow: vec!["vip".into()], deny: vec!["out".into()], ..FlagRule::everyone() };
    let state = state_with(rule);
    let (status, body) = json_of(send(&state, one(FLAG_KEY, context("vip"))).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"key": FLAG_KEY, "value": true, "reason": "TARGETING_MATCH", "variant": "on"}));
    let (_, body) = json_of(send(&state, one(FLAG_KEY, context("out"))).await).await;
    assert_eq!(body, json!({"key": FLAG_KEY, "value": false, "reason": "TARGETING_MATCH", "variant": "off"}));
    let (_, body) = json_of(send(&state, one(FLAG_KEY, context("someone"))).await).await;
    assert_eq!(body, json!({"key": FLAG_KEY, "value": false, "reason": "SPLIT", "variant": "off"}));
    // Fields the protocol may add later are no reason to refuse.
    let later = json!({"context": {"targetingKey": "vip"}, "flagSet": "web"}).to_string();
    let (status, body) = json_of(send(&state, one(FLAG_KEY, later)).await).await;
    assert_eq!((status, &body["value"]), (StatusCode::OK, &json!(true)));

    // 100 % is the same value for everyone: STATIC (the protocol has no DEFAULT).
    let (_, body) = json_of(send(&state_with(FlagRule::everyone()), one(FLAG_KEY, context("u"))).await).await;
    assert_eq!(body, json!({"key": FLAG_KEY, "value": true, "reason": "STATIC", "variant": "on"}));
    let off = FlagRule { enabled: false, ..FlagRule::everyone() };
    let (_, body) = json_of(send(&state_with(off), one(FLAG_KEY, context("vip"))).await).await;
    assert_eq!(body, json!({"key": FLAG_KEY, "value": false, "reason": "DISABLED", "variant": "off"}));
}

#[tokio::test]
async fn both_endpoints_give_every_user_the_answer_of_the_flag_route() {
    let state = two_flags(FlagRule { rollout_percent: 50.0, salt: "ofrep".into(), ..FlagRule::everyone() });
    let mut values = Vec::new();
    for n in 0..40 {
        let user = format!("user-{n}");
        let expected = legacy(&state, FLAG_KEY, &user).await;
        let (_, single) = json_of(send(&state, one(FLAG_KEY, context(&user))).await).await;
        let (_, all) = json_of(send(&state, bulk(context(&user), None)).await).await;
        let from_bulk = all["flags"].as_array().unwrap().iter().find(|f| f["key"] == FLAG_KEY).unwrap().clone();
        assert_eq!(single, from_bulk, "{user}");
        assert_eq!((&single["value"], &single["variant"]), (&expected["value"], &expected["variant"]), "{user}");
        assert_eq!(single["reason"], "SPLIT");
        values.push(single["value"].as_bool().unwrap());
    }
    assert!(values.contains(&true) && values.contains(&false), "50 % splits 40 users: {values:?}");
}

#[tokio::test]
async fn bad_requests_get_the_protocol_error_codes() {
    let state = state_with(FlagRule::everyone());
    let cases: [(Body, &str); 9] = [
        ("{\"context\": ".into(), "PARSE_ERROR"),
        ("".into(), "PARSE_ERROR"),
        ("[1]".into(), "PARSE_ERROR"),
        (vec![0xff, 0xfe].into(), "PARSE_ERROR"),
        ("{}".into(), "INVALID_CONTEXT"),
        (r#"{"context": ["u"]}"#.into(), "INVALID_CONTEXT"),
        (r#"{"context": {"targetingKey": 7}}"#.into(), "INVALID_CONTEXT"),
        (r#"{"context": {"email": "a@example.com"}}"#.into(), "TARGETING_KEY_MISSING"),
        (r#"{"context": {"targetingKey": ""}}"#.into(), "TARGETING_KEY_MISSING"),
    ];
    for (body, code) in cases {
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let (status, single) = json_of(send(&state, one(FLAG_KEY, bytes.clone())).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bytes:?}");
        assert_eq!((&single["key"], &single["errorCode"]), (&json!(FLAG_KEY), &json!(code)), "{bytes:?}");
        assert!(single["errorDetails"].as_str().is_some_and(|d| !d.is_empty()), "{single}");
        let (status, all) = json_of(send(&state, bulk(bytes.clone(), None)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bytes:?}");
        assert_eq!(all["errorCode"], code, "{bytes:?}");
        assert!(all.get("key").is_none() && all["errorDetails"].is_string(), "{all}");
    }
}

#[tokio::test]
async fn an_unknown_flag_is_404_flag_not_found_and_shared_limits_keep_the_envelope() {
    let state = state_with(FlagRule::everyone());
    let (status, body) = json_of(send(&state, one("no.such.flag", context("u"))).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["key"], "no.such.flag");
    assert_eq!(body["errorCode"], "FLAG_NOT_FOUND");
    assert_eq!(body["errorDetails"], "Flag 'no.such.flag' was not found");

    let huge = vec![b' '; crate::config::MAX_BODY_BYTES + 1];
    let (status, body) = json_of(send(&state, one(FLAG_KEY, huge)).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "payload_too_large");
    let (status, body) = json_of(send(&state, Request::get(BULK).body(Body::empty()).unwrap()).await).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");
    // A path under /ofrep that names no endpoint is an API 404, not the page.
    let (status, body) =
        json_of(send(&state, post("/ofrep/v1/evaluate").body(context("u").into()).unwrap()).await).await;
    assert_eq!((status, &body["error"]["code"]), (StatusCode::NOT_FOUND, &json!("not_found")));
}

#[tokio::test]
async fn bulk_answers_every_flag_with_an_etag_and_304_while_the_answer_stands() {
    let state = two_flags(FlagRule { rollout_percent: 0.0, allow: vec!["vip".into()], ..FlagRule::everyone() });
    let response = send(&state, bulk(context("vip"), None)).await;
    let etag = response.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() == 42, "{etag}");
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"flags": [
            {"key": "another.flag", "value": false, "reason": "DISABLED", "variant": "off"},
            {"key": FLAG_KEY, "value": true, "reason": "TARGETING_MATCH", "variant": "on"},
        ]})
    );

    for tag in [etag.clone(), format!("W/{etag}"), format!("\"other\", {etag}"), "*".to_owned()] {
        let response = send(&state, bulk(context("vip"), Some(&tag))).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{tag}");
        assert_eq!(response.headers()[header::ETAG], etag.as_str());
        assert!(axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().is_empty());
    }
    // Another user's answer differs, so does its tag; a stale tag gets the answer.
    let response = send(&state, bulk(context("someone"), Some(&etag))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(response.headers()[header::ETAG], etag.as_str());

    // A rule change that leaves this user's answer alone keeps the tag…
    let put = |rule: Value| {
        Request::put(format!("/v1/admin/flags/{FLAG_KEY}"))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(rule.to_string()))
            .unwrap()
    };
    let rule = json!({"enabled": true, "rolloutPercent": 0, "salt": "new", "allow": ["vip"]});
    assert_eq!(send(&state, put(rule)).await.status(), StatusCode::OK);
    assert_eq!(send(&state, bulk(context("vip"), Some(&etag))).await.status(), StatusCode::NOT_MODIFIED);
    // …and a rollback changes it: the poll gets the new answer.
    assert_eq!(send(&state, put(json!({"enabled": false}))).await.status(), StatusCode::OK);
    let response = send(&state, bulk(context("vip"), Some(&etag))).await;
    assert_ne!(response.headers()[header::ETAG], etag.as_str());
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["flags"][1], json!({"key": FLAG_KEY, "value": false, "reason": "DISABLED", "variant": "off"}));
}

#[tokio::test]
async fn browsers_of_allowed_origins_may_poll_with_if_none_match_and_read_the_etag() {
    let state = state_with(FlagRule::everyone());
    let preflight = Request::options(BULK)
        .header(header::ORIGIN, "http://app.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type,if-none-match")
        .body(Body::empty())
        .unwrap();
    let response = send(&state, preflight).await;
    assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://app.example");
    let allowed = response.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap().to_owned();
    assert!(allowed.contains("if-none-match") && allowed.contains("content-type"), "{allowed}");

    let mut request = bulk(context("u"), None);
    request.headers_mut().insert(header::ORIGIN, "http://app.example".parse().unwrap());
    let response = send(&state, request).await;
    assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://app.example");
    assert_eq!(response.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS], "etag");
}

#[tokio::test]
async fn evaluations_are_counted_as_the_flag_route_counts_them() {
    let state = two_flags(FlagRule::everyone());
    send(&state, one(FLAG_KEY, context("u"))).await;
    send(&state, one("no.such.flag", context("u"))).await;
    let etag = send(&state, bulk(context("u"), None)).await.headers()[header::ETAG].to_str().unwrap().to_owned();
    // A 304 was evaluated too (the answer is computed to compare its tag).
    send(&state, bulk(context("u"), Some(&etag))).await;
    let text = state.metrics.render();
    let count = |labels: &str| {
        let series = format!("time_crunch_flag_evaluations_total{{{labels}}}");
        text.lines().find_map(|line| line.strip_prefix(&series).and_then(|rest| rest.trim().parse::<f64>().ok()))
    };
    assert_eq!(count(&format!(r#"flag="{FLAG_KEY}",reason="DEFAULT",source="server",value="true""#)), Some(3.0));
    assert_eq!(count(r#"flag="other",reason="DISABLED",source="server",value="false""#), Some(2.0));
    assert_eq!(count(r#"flag="other",reason="ERROR",source="server",value="false""#), Some(1.0));
    assert!(text.contains(r#"route="/ofrep/v1/evaluate/flags/{key}""#), "requests by matched route");
}
