//! Answers for API requests no endpoint takes, in the error envelope like
//! every other API error:
//!
//! - a path under `/v1` (or OFREP's `/ofrep`) that names no endpoint: 404
//!   `not_found`, not the page (which answers every other unknown path, so
//!   the page can route itself): a client with a wrong path or an old
//!   version reads a typed error rather than HTML with 200;
//! - a known path with a method it does not answer: 405
//!   `method_not_allowed`, with the `Allow` header axum adds.

use axum::routing::any;
use axum::Router;

use crate::error::AppError;

/// Adds both to the API `router`, after all its routes.
pub fn add<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .route("/v1", any(api_not_found))
        .route("/v1/{*rest}", any(api_not_found))
        .route("/ofrep", any(api_not_found))
        .route("/ofrep/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

async fn api_not_found() -> AppError {
    AppError::not_found()
}

/// 405 for a route added outside [`add`] (the health checks).
pub async fn method_not_allowed() -> AppError {
    AppError::method_not_allowed()
}
