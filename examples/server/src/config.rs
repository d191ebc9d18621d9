//! Server configuration, read in one place: command-line flags first, then
//! environment variables, then defaults that serve the built page.

use std::net::SocketAddr;
use std::path::PathBuf;

use time_crunch::api::{DEFAULT_HOST, DEFAULT_METRICS_PORT, DEFAULT_PORT};

/// Largest request body accepted, bytes (a 200-exercise plan is ~100 KB).
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// Longest a request may take before it is answered with 503.
pub const REQUEST_TIMEOUT_SECONDS: u64 = 10;
/// Telemetry batches per second per client by default (a browser sends one
/// every few seconds).
pub const DEFAULT_TELEMETRY_RATE: u32 = 20;
/// Requests handled at once; more are shed with 503 rather than queued, so
/// an overload cannot grow memory or latency without bound.
pub const MAX_CONCURRENT_REQUESTS: usize = 512;
/// Requests one client (IP address, IPv6 /64) may have in flight at once;
/// more get 429 `rate_limited`, so one client cannot hold every slot of
/// [`MAX_CONCURRENT_REQUESTS`] (`/healthz` and `/readyz` are not counted).
pub const MAX_CONCURRENT_PER_CLIENT: usize = MAX_CONCURRENT_REQUESTS / 4;
/// Longest a client may take to send a request body: shorter than the
/// request timeout, so a trickled body frees its slot early (408 `timeout`).
pub const BODY_READ_TIMEOUT_SECONDS: u64 = 5;
const _: () = assert!(BODY_READ_TIMEOUT_SECONDS < REQUEST_TIMEOUT_SECONDS);
/// A connection with no request in flight for this long is closed (HTTP/1
/// and HTTP/2 alike, and from the accept to the first request).
pub const IDLE_TIMEOUT_SECONDS: u64 = 10;
/// Connections one client may hold open at once on a listener (at most
/// half of the listener's share of the file limit, see `connection_budget.rs`).
pub const MAX_CONNECTIONS_PER_CLIENT: usize = 256;
/// Connections the metrics listener holds at once (a scraper needs one).
pub const METRICS_CONNECTIONS: usize = 32;
/// Connections the API holds at once at most, whatever the file limit.
pub const MAX_CONNECTIONS: usize = 16_384;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the API and the page are served (`--addr`, `TIME_CRUNCH_ADDR`).
    pub addr: SocketAddr,
    /// Flags file; without one the flag is on for everyone (`--flags`, `TIME_CRUNCH_FLAGS`).
    pub flags: Option<PathBuf>,
    /// Where Prometheus scrapes `/metrics` (`--metrics-addr`, `TIME_CRUNCH_METRICS_ADDR`).
    pub metrics_addr: SocketAddr,
    /// Where durable data (telemetry) lives (`--data-dir`, `TIME_CRUNCH_DATA_DIR`).
    pub data_dir: PathBuf,
    /// The built page (`--static-dir`, `TIME_CRUNCH_STATIC_DIR`).
    pub static_dir: PathBuf,
    /// The built npm package, served under `/pkg` (`--pkg-dir`, `TIME_CRUNCH_PKG_DIR`).
    pub pkg_dir: PathBuf,
    /// Browser origins allowed to call the API from another origin
    /// (`TIME_CRUNCH_CORS_ORIGINS`, comma-separated; none by default).
    pub cors_origins: Vec<String>,
    /// Telemetry batches one client may post per second, with bursts of
    /// twice that (`TIME_CRUNCH_TELEMETRY_RATE`; 0 turns the limit off).
    pub telemetry_rate: u32,
    /// Bearer token of the admin routes, off when unset (`TIME_CRUNCH_ADMIN_TOKEN` only:
    /// secrets stay out of command lines).
    pub admin_token: Option<String>,
    /// Written once both listeners are bound, with the addresses they got
    /// (`--ready-file`; tests start the server on port 0 and read it).
    pub ready_file: Option<PathBuf>,
}

const USAGE: &str = "usage: server [--addr ADDR] [--metrics-addr ADDR] [--data-dir DIR] [--flags FILE] \
[--static-dir DIR] [--pkg-dir DIR] [--ready-file FILE]   (ADDR like 127.0.0.1:8080; port 0: any free port)";

impl Config {
    /// Reads the configuration; `Err` holds a message for the user.
    pub fn from_args_and_env(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut addr = env("TIME_CRUNCH_ADDR").unwrap_or_else(|| format!("{DEFAULT_HOST}:{DEFAULT_PORT}"));
        let mut flags = env("TIME_CRUNCH_FLAGS");
        let mut ready_file = None;
        let mut data_dir = env("TIME_CRUNCH_DATA_DIR").unwrap_or_else(|| "data".into());
        let mut metrics_addr =
            env("TIME_CRUNCH_METRICS_ADDR").unwrap_or_else(|| format!("{DEFAULT_HOST}:{DEFAULT_METRICS_PORT}"));
        let mut static_dir = env("TIME_CRUNCH_STATIC_DIR").unwrap_or_else(|| "www/dist".into());
        let mut pkg_dir = env("TIME_CRUNCH_PKG_DIR").unwrap_or_else(|| "pkg".into());
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let slot = match arg.as_str() {
                "--addr" => &mut addr,
                "--static-dir" => &mut static_dir,
                "--data-dir" => &mut data_dir,
                "--metrics-addr" => &mut metrics_addr,
                "--pkg-dir" => &mut pkg_dir,
                "--flags" => {
                    flags = Some(args.next().ok_or(USAGE)?);
                    continue;
                }
                "--ready-file" => {
                    ready_file = Some(PathBuf::from(args.next().ok_or(USAGE)?));
                    continue;
                }
                _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
            };
            *slot = args.next().ok_or(USAGE)?;
        }
        let parse = |what: &str, value: &str| -> Result<SocketAddr, String> {
            value.parse().map_err(|_| format!("{what} {value} is not an address like 127.0.0.1:8080"))
        };
        Ok(Config {
            addr: parse("--addr", &addr)?,
            flags: flags.map(PathBuf::from),
            metrics_addr: parse("--metrics-addr", &metrics_addr)?,
            data_dir: data_dir.into(),
            static_dir: static_dir.into(),
            pkg_dir: pkg_dir.into(),
            admin_token: env("TIME_CRUNCH_ADMIN_TOKEN"),
            ready_file,
            telemetry_rate: match env("TIME_CRUNCH_TELEMETRY_RATE") {
                Some(rate) => {
                    rate.parse().map_err(|_| format!("TIME_CRUNCH_TELEMETRY_RATE {rate} is not a whole number"))?
                }
                None => DEFAULT_TELEMETRY_RATE,
            },
            cors_origins: env("TIME_CRUNCH_CORS_ORIGINS")
                .map(|list| list.split(',').map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect())
                .unwrap_or_default(),
        })
    }
}
