//! Security headers on every answer of the API listener: the page, the
//! package and the API alike (on a JSON or JavaScript answer they cost
//! nothing and keep a browser from reading it as anything else).

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// What the page may load: its own scripts and styles (Vite emits no inline
/// ones; styles set from script go through the CSSOM, which CSP allows),
/// the WebAssembly module compiled from its own origin
/// (`'wasm-unsafe-eval'`, without which `WebAssembly.instantiate` is
/// refused), the API on its own origin, `data:` images (the empty favicon),
/// and no framing by any other page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The headers, each set unless the answer has it already.
const HEADERS: &[(header::HeaderName, &str)] = &[
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    // No content sniffing: a file is what its content type says.
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // frame-ancestors for browsers that predate it.
    (header::X_FRAME_OPTIONS, "DENY"),
    // The page links nowhere that needs to know where the user came from.
    (header::REFERRER_POLICY, "no-referrer"),
];

/// `router` with [`HEADERS`] on every answer.
pub fn add(router: Router) -> Router {
    HEADERS.iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(name.clone(), HeaderValue::from_static(value)))
    })
}
