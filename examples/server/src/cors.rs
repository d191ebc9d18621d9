//! Which browser origins may call the API from another origin
//! (`TIME_CRUNCH_CORS_ORIGINS`), checked when the server starts so a
//! mistake is a sentence and exit status 2, not a panic or a setting that
//! silently never matches.
//!
//! `*` is accepted, alone, as "any origin": the API takes no ambient
//! credentials (no cookies; the admin routes need a bearer token the calling
//! page must already hold), so letting every origin read the answers gives a
//! foreign page nothing it could not get with curl, and a host app embedding
//! the module may serve it from an origin of its own.

use axum::http::{header, HeaderName, HeaderValue, Method};
use time_crunch::api::USER_KEY_HEADER;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The origins CORS lets in.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum AllowedOrigins {
    /// These exact origins (none: same-origin only, the default).
    #[default]
    None,
    /// These exact origins, e.g. `https://app.example.com`.
    List(Vec<HeaderValue>),
    /// Any origin (`*`).
    Any,
}

impl AllowedOrigins {
    /// Reads a comma-separated list of origins, or `*`; `Err` holds a
    /// sentence naming the entry that is wrong.
    pub fn parse(list: &str) -> Result<Self, String> {
        let entries: Vec<&str> = list.split(',').map(str::trim).filter(|o| !o.is_empty()).collect();
        if entries.contains(&"*") {
            return if entries.len() == 1 {
                Ok(AllowedOrigins::Any)
            } else {
                Err(format!(
                    "TIME_CRUNCH_CORS_ORIGINS {list:?} mixes * (any origin) with single origins; give one or the other"
                ))
            };
        }
        let origins = entries.into_iter().map(origin).collect::<Result<Vec<_>, _>>()?;
        Ok(if origins.is_empty() { AllowedOrigins::None } else { AllowedOrigins::List(origins) })
    }

    /// The CORS layer for the API routes.
    pub fn layer(&self) -> CorsLayer {
        let allow = match self {
            AllowedOrigins::None => AllowOrigin::list([]),
            AllowedOrigins::List(origins) => AllowOrigin::list(origins.iter().cloned()),
            AllowedOrigins::Any => AllowOrigin::any(),
        };
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            // If-None-Match and a readable ETag: OFREP's web provider polls
            // the bulk evaluation with the tag of its last answer.
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                header::IF_NONE_MATCH,
                HeaderName::from_static(USER_KEY_HEADER),
            ])
            .expose_headers([header::ETAG])
    }
}

/// One origin as a browser sends it in `Origin`: `http` or `https`, a host,
/// an optional port, nothing after (a path or a trailing slash would never
/// match).
fn origin(entry: &str) -> Result<HeaderValue, String> {
    let wrong = || {
        format!(
            "TIME_CRUNCH_CORS_ORIGINS entry {entry:?} is not an origin like https://app.example.com \
             (http or https, a host, an optional :port, no path or trailing slash), or * for any origin"
        )
    };
    let host_port = entry.strip_prefix("https://").or_else(|| entry.strip_prefix("http://")).ok_or_else(wrong)?;
    // An IPv6 host is bracketed: `[::1]:8080`.
    let split_at = host_port.rfind(']').map_or(0, |end| end + 1);
    let (host, port) = match host_port[split_at..].find(':') {
        Some(colon) => (&host_port[..split_at + colon], Some(&host_port[split_at + colon + 1..])),
        None => (host_port, None),
    };
    let host_ok = if let Some(ipv6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !ipv6.is_empty() && ipv6.chars().all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'))
    } else {
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    if !host_ok || !port_ok {
        return Err(wrong());
    }
    HeaderValue::from_str(entry).map_err(|_| wrong())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_alone_is_any_origin_and_lists_are_exact_origins() {
        assert_eq!(AllowedOrigins::parse("*"), Ok(AllowedOrigins::Any));
        assert_eq!(AllowedOrigins::parse(" , "), Ok(AllowedOrigins::None));
        let list =
            AllowedOrigins::parse("https://a.example, http://localhost:5173,http://[::1]:8080,http://[::1]").unwrap();
        assert_eq!(
            list,
            AllowedOrigins::List(vec![
                HeaderValue::from_static("https://a.example"),
                HeaderValue::from_static("http://localhost:5173"),
                HeaderValue::from_static("http://[::1]:8080"),
                HeaderValue::from_static("http://[::1]"),
            ])
        );
    }

    #[test]
    fn mistakes_are_sentences() {
        for wrong in [
            "*,https://a.example",
            "https://a.example/",
            "a.example",
            "ftp://a.example",
            "https://",
            "https://a:x",
            "http://[::1]x",
            "https://a b",
        ] {
            let message = AllowedOrigins::parse(wrong).unwrap_err();
            assert!(message.starts_with("TIME_CRUNCH_CORS_ORIGINS"), "{wrong}: {message}");
        }
    }
}
