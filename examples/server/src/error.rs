//! One error type for every handler, answered with the SPEC §3 envelope.
//! Internals of a 503 are logged, never shown.
//!
//! Every answer of the router that is an error has this envelope: extractor
//! rejections (body, path, query), unknown `/v1` and `/ofrep` paths and
//! wrong methods (`fallbacks.rs`), overload and timeouts; only the OFREP
//! routes answer their evaluation errors in that protocol's shape
//! (`ofrep.rs`). A few errors are answered before any request reaches the
//! router, by hyper while it parses the request head:
//! too many or too large headers (431), a request target too long (414) and
//! an unparsable head (400), each with an empty body and `connection: close`.
//! hyper offers no hook to shape those (its `on_error` writes a bare status),
//! and the client that sent such a head is not an API client reading a body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered to the client.
#[derive(Debug)]
pub enum AppError {
    /// The engine refused the input (its code decides the status).
    Engine(time_crunch::Error),
    /// A typed error the server raises itself.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The envelope's stable `code`.
        code: &'static str,
        /// The envelope's sentence.
        message: String,
    },
    /// A dependency (storage) failed: 503, details logged, not shown.
    Unavailable(String),
}

impl AppError {
    /// A typed error of the server's own.
    pub fn status(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Status { status, code, message: message.into() }
    }

    /// 400 `invalid_request`: the request is not the expected shape.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        AppError::status(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    /// The flag is off for this caller.
    pub fn feature_not_available() -> Self {
        AppError::status(StatusCode::NOT_FOUND, "feature_not_available", "Time Crunch is not available for this user.")
    }

    /// A request shed under overload.
    pub fn overloaded() -> Self {
        AppError::status(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "The server is busy; try again shortly.")
    }

    /// A body over the limit (announced or read).
    pub fn payload_too_large(limit_bytes: usize) -> Self {
        let limit = limit_bytes / 1024;
        AppError::status(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", format!("The body is over {limit} KB."))
    }

    /// A body not received within the body read timeout (the client is slow).
    pub fn body_timed_out() -> Self {
        AppError::status(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            "The request body was not received within the time allowed; send it again.",
        )
    }

    /// A request not complete within the request timeout.
    pub fn timed_out() -> Self {
        AppError::status(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "The request was not complete within the time allowed; try again.",
        )
    }

    /// 404 `not_found`: no endpoint at this path.
    pub fn not_found() -> Self {
        AppError::status(StatusCode::NOT_FOUND, "not_found", "There is no API endpoint at this path.")
    }

    /// 405 `method_not_allowed` (the `Allow` header names the methods that are).
    pub fn method_not_allowed() -> Self {
        AppError::status(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This endpoint does not answer this method; see the Allow header.",
        )
    }

    /// An extractor's rejection with its status and sentence.
    fn rejection(status: StatusCode, message: String) -> Self {
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            status if status.is_client_error() => "invalid_request",
            _ => "internal",
        };
        AppError::status(status, code, message)
    }
}

/// A body that could not be read: too large, or broken off.
impl From<axum::extract::rejection::BytesRejection> for AppError {
    fn from(rejection: axum::extract::rejection::BytesRejection) -> Self {
        AppError::rejection(rejection.status(), rejection.body_text())
    }
}

/// A path parameter that is not what the route takes (e.g. not UTF-8).
impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        AppError::rejection(rejection.status(), rejection.body_text())
    }
}

/// A query string that is not what the route takes.
impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        AppError::rejection(rejection.status(), rejection.body_text())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, path) = match self {
            AppError::Engine(error) => {
                let status = StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
                (status, error.code.as_str(), error.message, error.path)
            }
            AppError::Status { status, code, message } => (status, code, message, None),
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "service unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Try again shortly; nothing was stored.".into(), None)
            }
        };
        let mut error = json!({ "code": code, "message": message });
        if let Some(path) = path {
            error["path"] = path.into();
        }
        (status, axum::Json(json!({ "error": error }))).into_response()
    }
}
