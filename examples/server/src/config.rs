//! Server configuration, read in one place: command-line flags first, then
//! environment variables, then defaults that serve the built page.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

use time_crunch::api::{DEFAULT_HOST, DEFAULT_METRICS_PORT, DEFAULT_PORT};
use time_crunch::telemetry::{MAX_BATCH_EVENTS, MAX_EVENT_STRING_CHARS};

use crate::cors::AllowedOrigins;

/// Largest request body accepted, bytes (a 200-exercise plan is ~100 KB).
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// Longest one event of the contract can be as JSON, bytes: its five strings
/// at [`MAX_EVENT_STRING_CHARS`] with every character written as a `\u00XX`
/// escape (6 bytes, the longest serde_json or `JSON.stringify` writes a
/// character), plus every key, the longest values and the punctuation
/// ([`EVENT_FIXED_JSON_BYTES`]).
pub const MAX_EVENT_JSON_BYTES: usize = EVENT_FIXED_JSON_BYTES + 5 * MAX_EVENT_STRING_CHARS * 6;
/// Everything of an event but its strings' contents (a router test checks
/// the longest event against it).
pub const EVENT_FIXED_JSON_BYTES: usize = 400;
/// Largest telemetry body accepted: the contract's largest valid batch,
/// [`MAX_BATCH_EVENTS`] of the longest events, with their commas.
pub const MAX_TELEMETRY_BODY_BYTES: usize = "{\"events\":[]}".len() + MAX_BATCH_EVENTS * (MAX_EVENT_JSON_BYTES + 1);
/// Telemetry kept by default, days (a month of history for dashboards and
/// exports that run daily or weekly).
pub const DEFAULT_TELEMETRY_RETENTION_DAYS: u32 = 30;
/// Telemetry database size cap by default, bytes (1 GiB: about 4 million
/// events, weeks of a busy site, and small next to a disk).
pub const DEFAULT_TELEMETRY_MAX_BYTES: u64 = 1 << 30;
/// Free space below which telemetry is refused before writing, bytes by
/// default (256 MiB leaves the checkpoint, logs and the rest of the machine
/// room to work once telemetry stops growing).
pub const DEFAULT_TELEMETRY_MIN_FREE_BYTES: u64 = 256 << 20;
/// Smallest size cap accepted, bytes (some batches of the largest events).
pub const MIN_TELEMETRY_MAX_BYTES: u64 = 1 << 20;
/// Longest a request may take before it is answered with 503.
pub const REQUEST_TIMEOUT_SECONDS: u64 = 10;
/// Telemetry batches per second per client by default (a browser sends one
/// every few seconds).
pub const DEFAULT_TELEMETRY_RATE: u32 = 20;
/// Requests handled at once; more are shed with 503 rather than queued, so
/// an overload cannot grow memory or latency without bound.
pub const MAX_CONCURRENT_REQUESTS: usize = 512;
/// Shortest admin token accepted: a short one could be guessed, throttled
/// or not (`openssl rand -hex 16` gives 32 characters).
pub const MIN_ADMIN_TOKEN_CHARS: usize = 16;
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
    /// The PostgreSQL database many instances share, `postgres://…`
    /// (`--database-url`, `TIME_CRUNCH_DATABASE_URL`): telemetry and admin
    /// overrides are kept there instead of the data directory.
    pub database_url: Option<String>,
    /// The built page (`--static-dir`, `TIME_CRUNCH_STATIC_DIR`).
    pub static_dir: PathBuf,
    /// The built npm package, served under `/pkg` (`--pkg-dir`, `TIME_CRUNCH_PKG_DIR`).
    pub pkg_dir: PathBuf,
    /// Browser origins allowed to call the API from another origin
    /// (`TIME_CRUNCH_CORS_ORIGINS`, comma-separated, or `*` for any; none by default).
    pub cors_origins: AllowedOrigins,
    /// Telemetry batches one client may post per second, with bursts of
    /// twice that (`TIME_CRUNCH_TELEMETRY_RATE`; 0 turns the limit off).
    pub telemetry_rate: u32,
    /// Bearer token of the admin routes, off when unset, at least
    /// [`MIN_ADMIN_TOKEN_CHARS`] long (`TIME_CRUNCH_ADMIN_TOKEN` only:
    /// secrets stay out of command lines).
    pub admin_token: Option<String>,
    /// Days telemetry is kept, by time received (`--telemetry-retention-days`,
    /// `TIME_CRUNCH_TELEMETRY_RETENTION_DAYS`; 0 keeps it until the size cap).
    pub telemetry_retention_days: u32,
    /// Size cap of the telemetry database: the oldest events are pruned
    /// beyond it (`--telemetry-max-bytes`, `TIME_CRUNCH_TELEMETRY_MAX_BYTES`).
    pub telemetry_max_bytes: u64,
    /// Free space on the data directory's filesystem below which telemetry
    /// is answered 503 before writing (`--telemetry-min-free-bytes`,
    /// `TIME_CRUNCH_TELEMETRY_MIN_FREE_BYTES`; 0 turns the check off).
    pub telemetry_min_free_bytes: u64,
    /// Written once both listeners are bound, with the addresses they got
    /// (`--ready-file`; tests start the server on port 0 and read it).
    pub ready_file: Option<PathBuf>,
}

const USAGE: &str = "usage: server [--addr ADDR] [--metrics-addr ADDR] [--data-dir DIR] [--flags FILE] \
[--database-url postgres://...] [--static-dir DIR] [--pkg-dir DIR] [--ready-file FILE] [--telemetry-retention-days DAYS] \
[--telemetry-max-bytes BYTES] [--telemetry-min-free-bytes BYTES]   (ADDR like 127.0.0.1:8080; port 0: any free port)";

impl Config {
    /// Reads the configuration; `Err` holds a message for the user (a
    /// setting that is not UTF-8 is one, not a panic or a silent default).
    pub fn from_args_and_env(args: impl IntoIterator<Item = OsString>) -> Result<Config, String> {
        let mut addr = env("TIME_CRUNCH_ADDR")?.unwrap_or_else(|| format!("{DEFAULT_HOST}:{DEFAULT_PORT}"));
        let mut flags = env("TIME_CRUNCH_FLAGS")?;
        let mut database_url = env("TIME_CRUNCH_DATABASE_URL")?;
        let mut ready_file = None;
        let mut data_dir = env("TIME_CRUNCH_DATA_DIR")?.unwrap_or_else(|| "data".into());
        let mut metrics_addr =
            env("TIME_CRUNCH_METRICS_ADDR")?.unwrap_or_else(|| format!("{DEFAULT_HOST}:{DEFAULT_METRICS_PORT}"));
        let mut static_dir = env("TIME_CRUNCH_STATIC_DIR")?.unwrap_or_else(|| "www/dist".into());
        let mut pkg_dir = env("TIME_CRUNCH_PKG_DIR")?.unwrap_or_else(|| "pkg".into());
        let mut retention_days = env("TIME_CRUNCH_TELEMETRY_RETENTION_DAYS")?;
        let mut max_bytes = env("TIME_CRUNCH_TELEMETRY_MAX_BYTES")?;
        let mut min_free_bytes = env("TIME_CRUNCH_TELEMETRY_MIN_FREE_BYTES")?;
        let args = args
            .into_iter()
            .map(|arg| arg.into_string().map_err(|arg| format!("the argument {} is not UTF-8", arg.to_string_lossy())))
            .collect::<Result<Vec<_>, _>>()?;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let needs_value = || format!("{arg} needs a value\n{USAGE}");
            let slot = match arg.as_str() {
                "--addr" => &mut addr,
                "--static-dir" => &mut static_dir,
                "--data-dir" => &mut data_dir,
                "--metrics-addr" => &mut metrics_addr,
                "--pkg-dir" => &mut pkg_dir,
                "--flags" => {
                    flags = Some(args.next().ok_or_else(needs_value)?);
                    continue;
                }
                "--database-url" => {
                    database_url = Some(args.next().ok_or_else(needs_value)?).filter(|url| !url.is_empty());
                    continue;
                }
                "--telemetry-retention-days" | "--telemetry-max-bytes" | "--telemetry-min-free-bytes" => {
                    let slot = match arg.as_str() {
                        "--telemetry-retention-days" => &mut retention_days,
                        "--telemetry-max-bytes" => &mut max_bytes,
                        _ => &mut min_free_bytes,
                    };
                    *slot = Some(args.next().ok_or_else(needs_value)?);
                    continue;
                }
                "--ready-file" => {
                    ready_file = Some(PathBuf::from(args.next().ok_or_else(needs_value)?));
                    continue;
                }
                _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
            };
            *slot = args.next().ok_or_else(needs_value)?;
        }
        let parse = |what: &str, value: &str| -> Result<SocketAddr, String> {
            value.parse().map_err(|_| format!("{what} {value} is not an address like 127.0.0.1:8080"))
        };
        let (addr, metrics_addr) = (parse("--addr", &addr)?, parse("--metrics-addr", &metrics_addr)?);
        if addr == metrics_addr && addr.port() != 0 {
            return Err(format!("--addr and --metrics-addr are both {addr}; the metrics need a port of their own"));
        }
        let telemetry_max_bytes = number("telemetry-max-bytes", max_bytes, DEFAULT_TELEMETRY_MAX_BYTES)?;
        if telemetry_max_bytes < MIN_TELEMETRY_MAX_BYTES {
            return Err(format!(
                "--telemetry-max-bytes {telemetry_max_bytes} is below the smallest cap, {MIN_TELEMETRY_MAX_BYTES} bytes"
            ));
        }
        Ok(Config {
            telemetry_retention_days: number(
                "telemetry-retention-days",
                retention_days,
                DEFAULT_TELEMETRY_RETENTION_DAYS,
            )?,
            telemetry_max_bytes,
            telemetry_min_free_bytes: number(
                "telemetry-min-free-bytes",
                min_free_bytes,
                DEFAULT_TELEMETRY_MIN_FREE_BYTES,
            )?,
            addr,
            flags: flags.map(PathBuf::from),
            metrics_addr,
            data_dir: data_dir.into(),
            database_url,
            static_dir: static_dir.into(),
            pkg_dir: pkg_dir.into(),
            admin_token: env("TIME_CRUNCH_ADMIN_TOKEN")?.map(admin_token).transpose()?,
            ready_file,
            telemetry_rate: match env("TIME_CRUNCH_TELEMETRY_RATE")? {
                Some(rate) => {
                    rate.parse().map_err(|_| format!("TIME_CRUNCH_TELEMETRY_RATE {rate} is not a whole number"))?
                }
                None => DEFAULT_TELEMETRY_RATE,
            },
            cors_origins: match env("TIME_CRUNCH_CORS_ORIGINS")? {
                Some(list) => AllowedOrigins::parse(&list)?,
                None => AllowedOrigins::None,
            },
        })
    }
}

/// The admin token, if long enough (the message never shows it).
fn admin_token(token: String) -> Result<String, String> {
    let length = token.chars().count();
    if length < MIN_ADMIN_TOKEN_CHARS {
        return Err(format!(
            "TIME_CRUNCH_ADMIN_TOKEN has {length} characters; use at least {MIN_ADMIN_TOKEN_CHARS} \
             (for example the output of `openssl rand -hex 16`), or unset it to turn the admin routes off"
        ));
    }
    Ok(token)
}

/// A whole-number setting given as `--NAME` or `TIME_CRUNCH_NAME`, else `default`.
fn number<T: std::str::FromStr>(name: &str, value: Option<String>, default: T) -> Result<T, String> {
    match value {
        Some(value) => value.parse().map_err(|_| {
            let env = name.to_uppercase().replace('-', "_");
            format!("--{name} (TIME_CRUNCH_{env}) {value} is not a whole number")
        }),
        None => Ok(default),
    }
}

/// An environment variable; unset and empty are the same (the default).
fn env(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value).filter(|v| !v.is_empty())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(value)) => Err(format!("{name} is not UTF-8: {}", value.to_string_lossy())),
    }
}
