//! The built page at `/` and the npm package at `/pkg`, served with the
//! rules a public file server needs beyond [`ServeFile`] (which still does
//! the serving: `HEAD`, ranges, `If-Modified-Since`):
//!
//! - only regular files inside the root: a path through a dotfile or dot
//!   directory (`.git/`, `.env`, `.gitignore`), a symlink that resolves
//!   outside the root (or onto a dotfile), a directory, or a file of a kind
//!   not in [`CONTENT_TYPES`] is answered as absent;
//! - the content type from [`CONTENT_TYPES`], not from a guess by extension
//!   (`mime_guess` calls `.d.ts` a video, `video/mp2t`);
//! - never a redirect: a directory is absent, so `//assets` cannot be
//!   answered with the protocol-relative `Location: //assets/`, which a
//!   browser follows to the host `assets`.
//!
//! Absent under `/`: the page itself (`index.html`; it reads its own URL).
//! Absent under `/pkg`: 404. Unknown `/v1` paths never get here
//! (`fallbacks.rs`).

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::config::Config;
use crate::security_headers;

/// The kinds of file served, by name ending, with their content type; a
/// file of another kind is not served. The page (Vite's output) and the
/// package (wasm-pack's) ship only some of these.
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    (".html", "text/html; charset=utf-8"),
    // RFC 9239: JavaScript is text/javascript, modules included.
    (".js", "text/javascript; charset=utf-8"),
    (".mjs", "text/javascript; charset=utf-8"),
    (".css", "text/css; charset=utf-8"),
    // What WebAssembly.instantiateStreaming requires.
    (".wasm", "application/wasm"),
    (".json", "application/json"),
    (".map", "application/json"),
    // TypeScript (the package's .d.ts): text to read, never a script to run.
    (".ts", "text/plain; charset=utf-8"),
    (".md", "text/markdown; charset=utf-8"),
    (".txt", "text/plain; charset=utf-8"),
    (".webmanifest", "application/manifest+json"),
    (".svg", "image/svg+xml"),
    (".png", "image/png"),
    (".jpg", "image/jpeg"),
    (".jpeg", "image/jpeg"),
    (".gif", "image/gif"),
    (".webp", "image/webp"),
    (".avif", "image/avif"),
    (".ico", "image/x-icon"),
    (".woff2", "font/woff2"),
    (".woff", "font/woff"),
];

/// Adds the page at `/` and the package at `/pkg` to the API router, and
/// the security headers to every answer of the listener.
pub fn with_static(router: Router, config: &Config) -> Router {
    for (dir, what) in [(&config.static_dir, "--static-dir"), (&config.pkg_dir, "--pkg-dir")] {
        if !dir.is_dir() {
            tracing::warn!(dir = %dir.display(), "{what} is not a directory (yet): its files answer 404 until it is");
        }
    }
    let page = Arc::new(StaticRoot { root: config.static_dir.clone(), page_fallback: true });
    let pkg = Arc::new(StaticRoot { root: config.pkg_dir.clone(), page_fallback: false });
    let serve = |root| any(serve).with_state(root);
    security_headers::add(router.nest_service("/pkg", serve(pkg)).fallback_service(serve(page)))
}

/// A directory served as files.
#[derive(Debug)]
struct StaticRoot {
    root: PathBuf,
    /// Whether an absent path gets `index.html` (the page) rather than 404.
    page_fallback: bool,
}

/// Answers one request for a file under `root`.
async fn serve(State(root): State<Arc<StaticRoot>>, request: Request) -> Response {
    let mut found = root.find(request.uri().path()).await;
    if found.is_none() && root.page_fallback {
        found = root.find("/index.html").await;
    }
    let Some((file, content_type)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = match ServeFile::new(file).oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    if let Some(value) = response.headers_mut().get_mut(header::CONTENT_TYPE) {
        *value = HeaderValue::from_static(content_type);
    }
    response
}

impl StaticRoot {
    /// The file a request path names and its content type, if it may be served.
    async fn find(&self, request_path: &str) -> Option<(PathBuf, &'static str)> {
        // The root itself is a directory, never served: no blocking call for it.
        let relative = relative_path(request_path).filter(|r| r.as_os_str() != "")?;
        let root = self.root.clone();
        // canonicalize and metadata are blocking file system calls.
        let file = tokio::task::spawn_blocking(move || resolve(&root, &relative)).await.ok()??;
        // The kind of what is served: a symlink's target, not its name.
        let content_type = content_type(&file)?;
        Some((file, content_type))
    }
}

/// The request path, percent-decoded, as a path relative to the root; `None`
/// for a dot segment (`.`, `..`, `.git`...) or a path that is not UTF-8.
fn relative_path(request_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(request_path).decode_utf8().ok()?;
    let mut relative = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains('\0') {
            return None;
        }
        relative.push(segment);
    }
    Some(relative)
}

/// The file `relative` names under `root` with every symlink resolved, when
/// it is a regular file still inside the root and on no dot path.
fn resolve(root: &Path, relative: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let file = root.join(relative).canonicalize().ok()?;
    let inside = file.strip_prefix(&root).ok()?;
    let hidden = inside.components().any(|c| match c {
        Component::Normal(name) => name.as_encoded_bytes().starts_with(b"."),
        _ => true,
    });
    (!hidden && file.metadata().ok()?.is_file()).then_some(file)
}

/// The content type of a file kind that is served.
fn content_type(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    CONTENT_TYPES.iter().find(|(ending, _)| name.ends_with(ending)).map(|&(_, content_type)| content_type)
}
