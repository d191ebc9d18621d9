//! The server twin's HTTP API as every program that speaks it names it: the
//! browser client, the server twin and the rollout tools (soak, verify)
//! take these from here.

/// The feature flag that offers Time Crunch (SPEC §9).
pub const FLAG_KEY: &str = "feature.stream5_time_crunch_mode";

/// The request header that names the user when the query has no `userKey`.
pub const USER_KEY_HEADER: &str = "x-user-key";

/// Where the server twin serves the API and the page by default.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Where the server twin serves `/metrics` for Prometheus by default.
pub const DEFAULT_METRICS_ADDR: &str = "127.0.0.1:9464";
