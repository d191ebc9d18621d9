//! The server twin's HTTP API as every program that speaks it names it: the
//! browser client, the server twin and the rollout tools (soak, verify)
//! take these from here.

/// The feature flag that offers Time Crunch (SPEC §9).
pub const FLAG_KEY: &str = "feature.stream5_time_crunch_mode";

/// The request header that names the user when the query has no `userKey`.
pub const USER_KEY_HEADER: &str = "x-user-key";

/// The address the server twin listens on by default (loopback only).
pub const DEFAULT_HOST: &str = "127.0.0.1";

/// The port of the API and the page by default.
pub const DEFAULT_PORT: u16 = 8080;

/// The port of `GET /metrics` (Prometheus) by default; the rollout tools
/// look for it on the server's host.
pub const DEFAULT_METRICS_PORT: u16 = 9464;
