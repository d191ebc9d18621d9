//! What handlers take from a request, with every rejection answered through
//! [`AppError`]: the body as text or as JSON, path and query parameters, and
//! the caller's user key. Handlers use these, never axum's own extractors,
//! whose rejections are plain text.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use time_crunch::api::USER_KEY_HEADER;

use crate::config::{BODY_READ_TIMEOUT_SECONDS, MAX_BODY_BYTES};
use crate::error::AppError;

/// The body as UTF-8 text (a body too large or broken off is a typed error).
/// A Content-Length over the route's limit ([`MAX_BODY_BYTES`] unless a
/// [`BodyLimit`] says otherwise) is refused before anything is
/// read, and the whole body must arrive within the body read timeout.
/// Handlers that check something first (the flag, a rate limit) take the
/// [`Request`] and extract this after their checks.
#[derive(Debug)]
pub struct Text(pub String);

impl<S: Send + Sync> FromRequest<S> for Text {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let limit = request.extensions().get::<BodyLimit>().map_or(MAX_BODY_BYTES, |limit| limit.0);
        let announced = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
        if announced.is_some_and(|length: u64| length > limit as u64) {
            return Err(AppError::payload_too_large(limit));
        }
        let bytes = tokio::time::timeout(BODY_READ_TIMEOUT, Bytes::from_request(request, state))
            .await
            .map_err(|_| AppError::body_timed_out())??;
        String::from_utf8(bytes.into()).map(Text).map_err(|_| AppError::invalid_request("The body is not UTF-8."))
    }
}

/// A route's body limit where it is not [`MAX_BODY_BYTES`]: set with
/// [`BodyLimit::layer`], which also sets axum's limit for reading, so the
/// size announced and the size read are held to the same number.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl BodyLimit {
    /// Both layers for a route that takes bodies of up to `bytes`.
    pub fn layer(bytes: usize) -> (axum::Extension<BodyLimit>, axum::extract::DefaultBodyLimit) {
        (axum::Extension(BodyLimit(bytes)), axum::extract::DefaultBodyLimit::max(bytes))
    }
}

/// How long a client may take to send a body.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(BODY_READ_TIMEOUT_SECONDS);

/// A JSON body of a server type (telemetry batches, flag rules); shape
/// errors are 400 `invalid_request` naming what was expected. Engine input
/// is read as [`Text`] by the engine's own reader, for its paths.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + Expected, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let Text(text) = Text::from_request(request, state).await?;
        serde_json::from_str(&text).map(Json).map_err(|e| AppError::invalid_request(format!("not {}: {e}", T::WHAT)))
    }
}

/// How a JSON body type is named in errors, e.g. "a telemetry batch".
pub trait Expected {
    /// The name, with its article.
    const WHAT: &'static str;
}

/// The caller: the `userKey` query parameter, else the user-key header,
/// else empty (which a rollout below 100 % buckets like any other key).
#[derive(Debug)]
pub struct UserKey(pub String);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserQuery {
    user_key: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for UserKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Query(UserQuery { user_key: from_query }) = Query::from_request_parts(parts, state).await?;
        let from_header = || parts.headers.get(USER_KEY_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(UserKey(from_query.or_else(from_header).unwrap_or_default()))
    }
}

/// A route's path parameters, as [`axum::extract::Path`] reads them.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Ok(Path(axum::extract::Path::from_request_parts(parts, state).await?.0))
    }
}

/// The query string, as [`axum::extract::Query`] reads it.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Ok(Query(axum::extract::Query::from_request_parts(parts, state).await?.0))
    }
}
