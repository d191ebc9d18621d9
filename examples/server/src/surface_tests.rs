//! Router tests of the HTTP surface around the endpoints: every API error
//! in the envelope, the page and package as static files, their headers.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use serde_json::Value;
use tower::ServiceExt;

use crate::config::Config;
use crate::flag_rules::FlagRule;
use crate::state::AppState;
use crate::static_files::with_static;
use crate::telemetry_store::TelemetryStore;
use crate::tests::{state_full, state_with, TempDir};

async fn get(router: axum::Router, method: &str, uri: &str) -> Response {
    router.oneshot(Request::builder().method(method).uri(uri).body(Body::empty()).unwrap()).await.unwrap()
}

async fn code(response: Response) -> (StatusCode, Option<String>) {
    let status = response.status();
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json", "{status}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert!(body["error"]["message"].is_string());
    (status, body["error"]["code"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn rejections_unknown_paths_and_wrong_methods_answer_the_envelope() {
    let state: Arc<AppState> = state_full(FlagRule::everyone(), Some("token"), TelemetryStore::in_memory());
    let app = crate::app(state);
    let cases = [
        ("GET", "/v1/flags/%ff", StatusCode::BAD_REQUEST, "invalid_request"),
        ("GET", "/v1/flags/f?userKey=a&userKey=b", StatusCode::BAD_REQUEST, "invalid_request"),
        ("GET", "/v1/admin/telemetry?since=abc", StatusCode::BAD_REQUEST, "invalid_request"),
        ("GET", "/v1/nope", StatusCode::NOT_FOUND, "not_found"),
        ("GET", "/v1", StatusCode::NOT_FOUND, "not_found"),
        ("DELETE", "/v1/telemetry", StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        ("POST", "/healthz", StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
    ];
    for (method, uri, status, expected) in cases {
        let request = Request::builder().method(method).uri(uri).header("authorization", "Bearer token");
        let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(code(response).await, (status, Some(expected.to_owned())), "{method} {uri}");
    }
    let response = get(app, "DELETE", "/v1/telemetry").await;
    assert_eq!(response.headers()[header::ALLOW], "POST");
}

/// A page root and a package root, with a dotfile and a symlink out.
fn site() -> (TempDir, Config) {
    let dir = TempDir::new();
    let (page, pkg) = (dir.0.join("page"), dir.0.join("pkg"));
    for (path, text) in [
        (page.join("index.html"), "<title>page</title>"),
        (page.join("assets/app.js"), "1"),
        (pkg.join("time_crunch.d.ts"), "export {};"),
        (pkg.join(".gitignore"), "secret"),
        (dir.0.join("outside.js"), "secret"),
    ] {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::os::unix::fs::symlink(dir.0.join("outside.js"), pkg.join("escape.js")).unwrap();
    let args = ["--static-dir", page.to_str().unwrap(), "--pkg-dir", pkg.to_str().unwrap()];
    let config = Config::from_args_and_env(args.map(Into::into)).unwrap();
    (dir, config)
}

#[tokio::test]
async fn static_files_are_the_known_kinds_inside_the_root_with_security_headers() {
    let (_dir, config) = site();
    let router = with_static(crate::app(state_with(FlagRule::everyone())), &config);
    let content_type = |r: &Response| r.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    let response = get(router.clone(), "GET", "/pkg/time_crunch.d.ts").await;
    assert_eq!(
        (response.status(), content_type(&response).as_deref()),
        (StatusCode::OK, Some("text/plain; charset=utf-8"))
    );
    let response = get(router.clone(), "GET", "/assets/app.js").await;
    assert_eq!(content_type(&response).as_deref(), Some("text/javascript; charset=utf-8"));
    for hidden in ["/pkg/.gitignore", "/pkg/%2Egitignore", "/pkg/escape.js", "/pkg/", "/pkg/../page/index.html"] {
        assert_eq!(get(router.clone(), "GET", hidden).await.status(), StatusCode::NOT_FOUND, "{hidden}");
    }
    for page in ["/", "//assets", "/assets", "/some/route", "/.git/config"] {
        let response = get(router.clone(), "GET", page).await;
        assert_eq!(response.status(), StatusCode::OK, "{page}: the page, never a redirect");
        assert_eq!(content_type(&response).as_deref(), Some("text/html; charset=utf-8"), "{page}");
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(response.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    assert_eq!(code(get(router, "GET", "/v1/nope").await).await.1.as_deref(), Some("not_found"));
}
