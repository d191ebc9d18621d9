//! What handlers take from a request, with every rejection answered through
//! [`AppError`]: the body as text or as JSON, path and query parameters, and
//! the caller's user key. Handlers use these, never axum's own extractors,
//! whose rejections are plain text.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use time_crunch::api::USER_KEY_HEADER;

use crate::error::AppError;

/// The body as UTF-8 text (a body too large or broken off is a typed error).
#[derive(Debug)]
pub struct Text(pub String);

impl<S: Send + Sync> FromRequest<S> for Text {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let bytes = Bytes::from_request(request, state).await?;
        String::from_utf8(bytes.into()).map(Text).map_err(|_| AppError::invalid_request("The body is not UTF-8."))
    }
}

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
