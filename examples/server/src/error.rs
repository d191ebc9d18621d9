//! One error type for every handler, answered with the SPEC §3 envelope.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered to the client.
#[derive(Debug)]
pub enum AppError {
    /// The engine refused the input.
    Engine(time_crunch::Error),
    /// A typed error the server raises itself.
    Status(StatusCode, &'static str, String),
    /// A dependency (storage) failed: 503, details logged, not shown.
    Unavailable(String),
}

impl AppError {
    /// The flag is off for this caller.
    pub fn feature_not_available() -> Self {
        AppError::Status(
            StatusCode::NOT_FOUND,
            "feature_not_available",
            "Time Crunch is not available for this user.".into(),
        )
    }
}

/// A body that could not be read: too large, or broken off.
impl From<axum::extract::rejection::BytesRejection> for AppError {
    fn from(rejection: axum::extract::rejection::BytesRejection) -> Self {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "invalid_request" };
        AppError::Status(status, code, rejection.body_text())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, path) = match self {
            AppError::Engine(error) => {
                let status = match error.code {
                    time_crunch::ErrorCode::InvalidRequest => StatusCode::BAD_REQUEST,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                (status, error.code.as_str(), error.message, error.path)
            }
            AppError::Status(status, code, message) => (status, code, message, None),
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
