//! The PostgreSQL database many instances share (`--database-url`): the URL
//! read, a pool of connections, the schema migrated at start
//! ([`crate::postgres_schema`]), and the wait for a database that does not
//! answer yet.
//!
//! Start rules: a malformed URL, a refused login (wrong password, unknown
//! user or database, no right to connect) or a schema newer than this build
//! stops the start (exit 2, a sentence naming what failed). A database that
//! merely does not answer (down, restarting, unreachable) is waited for:
//! the server serves meanwhile, not ready, and stores nothing until the
//! schema is migrated. Afterwards an unanswered query is an outage of that
//! request only (503); the pool opens new connections once the database is
//! back, so the instance recovers by itself.

use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::config::Host;
use tokio_postgres::error::SqlState;
use tokio_postgres::NoTls;

use crate::store_error::StoreError;

/// Connections each instance keeps at most (the group commit needs few;
/// exports, probes and flag reads the rest). N instances use N times this
/// of PostgreSQL's `max_connections` (100 by default).
pub const POOL_SIZE: usize = 16;
/// How long opening a connection may take (a host that drops packets).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a request waits for a free connection.
pub const POOL_WAIT: Duration = Duration::from_secs(5);
/// Longest one piece of work on the database may take (a commit, a read, a
/// probe, a change of the overrides, the migration): a database that has
/// stopped answering without closing its connections (a host frozen or cut
/// off) fails requests with 503 after this instead of holding them until
/// the request timeout, and the connection is dropped from the pool.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(5);
/// How often a database that does not answer at start is tried again.
pub const START_RETRY: Duration = Duration::from_secs(1);

/// Why the database cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It never will be with these settings (exit 2 at start).
    Fatal(String),
    /// It does not answer now; trying again may work.
    Unreachable(String),
}

/// The shared database (see the module's doc).
pub struct Database {
    pool: Pool,
    /// Where it is, for messages: user, host and database, never the password.
    pub target: String,
    /// Set once the schema is migrated: until then nothing is read or stored.
    migrated: AtomicBool,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Database({})", self.target)
    }
}

impl Database {
    /// Reads a `postgres://` URL; `Err` is a sentence for the operator (it
    /// never repeats the URL, which may hold a password).
    pub fn from_url(url: &str) -> Result<Database, String> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err("the database URL (--database-url, TIME_CRUNCH_DATABASE_URL) must start with postgres:// \
                        (like postgres://USER:PASSWORD@HOST:5432/DATABASE)"
                .to_owned());
        }
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|e| format!("the database URL (--database-url, TIME_CRUNCH_DATABASE_URL) is malformed: {e}"))?;
        if config.get_dbname().is_none() {
            return Err("the database URL (--database-url, TIME_CRUNCH_DATABASE_URL) names no database \
                        (postgres://USER:PASSWORD@HOST:5432/DATABASE)"
                .to_owned());
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("time-crunch-server");
        let target = describe(&config);
        // A pooled connection is checked with an empty query before reuse
        // (bounded by the recycle timeout): one round trip per checkout,
        // and a connection to a frozen server is dropped, not handed out.
        let manager =
            Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Verified });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT + Duration::from_secs(1)))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| format!("cannot set up connections to PostgreSQL at {target}: {e}"))?;
        Ok(Database { pool, target, migrated: AtomicBool::new(false) })
    }

    /// Connects and migrates the schema; done once, at start.
    pub async fn prepare(&self) -> Result<(), Refusal> {
        let migrated = self
            .within(
                async {
                    let mut client = self.pool.get().await.map_err(|e| self.refusal_of_pool(&e))?;
                    crate::postgres_schema::migrate(&mut client, &self.target).await
                },
                |late| Refusal::Unreachable(late.to_string()),
            )
            .await;
        let version = migrated?;
        self.migrated.store(true, Ordering::Release);
        tracing::info!(database = %self.target, schema_version = version, "PostgreSQL ready");
        Ok(())
    }

    /// Tries [`Database::prepare`] every [`START_RETRY`] until it works;
    /// returns the sentence of a refusal that waiting cannot cure.
    pub async fn wait_until_prepared(self: Arc<Self>) -> Option<String> {
        let mut logged = false;
        loop {
            match self.prepare().await {
                Ok(()) => return None,
                Err(Refusal::Fatal(message)) => return Some(message),
                Err(Refusal::Unreachable(reason)) => {
                    if !logged {
                        tracing::warn!(%reason, "PostgreSQL does not answer yet; waiting (not ready until it does)");
                        logged = true;
                    }
                }
            }
            tokio::time::sleep(START_RETRY).await;
        }
    }

    /// Whether the schema is migrated (nothing is stored before).
    pub fn is_prepared(&self) -> bool {
        self.migrated.load(Ordering::Acquire)
    }

    /// `work`, or `late(…)` when it takes longer than [`QUERY_TIMEOUT`]
    /// (it is then dropped, and its connection with it).
    pub async fn within<T, E>(
        &self,
        work: impl std::future::Future<Output = Result<T, E>>,
        late: impl FnOnce(StoreError) -> E,
    ) -> Result<T, E> {
        match tokio::time::timeout(QUERY_TIMEOUT, work).await {
            Ok(result) => result,
            Err(_) => Err(late(StoreError::Unreachable(format!(
                "PostgreSQL at {} did not answer within {} s",
                self.target,
                QUERY_TIMEOUT.as_secs()
            )))),
        }
    }

    /// What is answered before the schema is migrated.
    pub fn waiting(&self) -> StoreError {
        StoreError::Unreachable(format!("waiting for PostgreSQL at {} to answer", self.target))
    }

    /// A connection, once the schema is migrated.
    pub async fn client(&self) -> Result<Object, StoreError> {
        if !self.is_prepared() {
            return Err(self.waiting());
        }
        self.pool.get().await.map_err(|e| match e {
            PoolError::Backend(error) => self.store_error(&error),
            other => StoreError::Unreachable(format!("PostgreSQL at {} does not answer: {other}", self.target)),
        })
    }

    /// Sorts a query's failure: a full disk on the database's host is lack
    /// of room, anything else an outage (503, and not ready).
    pub fn store_error(&self, error: &tokio_postgres::Error) -> StoreError {
        let detail = format!("PostgreSQL at {}: {}", self.target, full_text(error));
        match error.code() {
            Some(code) if *code == SqlState::DISK_FULL || *code == SqlState::OUT_OF_MEMORY => StoreError::Full(detail),
            _ => StoreError::Unreachable(detail),
        }
    }

    fn refusal_of_pool(&self, error: &PoolError) -> Refusal {
        match error {
            PoolError::Backend(error) => refusal(error, &self.target),
            PoolError::Timeout(_) => {
                Refusal::Unreachable(format!("PostgreSQL at {} did not answer in time", self.target))
            }
            other => Refusal::Fatal(format!("cannot connect to PostgreSQL at {}: {other}", self.target)),
        }
    }
}

/// Sorts a failure to connect or migrate: a login or a database the server
/// refuses is fatal; a connection that could not be made or was cut, or a
/// database still starting, is worth waiting for.
pub fn refusal(error: &tokio_postgres::Error, target: &str) -> Refusal {
    let text = full_text(error);
    if let Some(code) = error.code() {
        let login = [
            SqlState::INVALID_PASSWORD,
            SqlState::INVALID_AUTHORIZATION_SPECIFICATION,
            SqlState::INVALID_CATALOG_NAME,
            SqlState::INSUFFICIENT_PRIVILEGE,
        ];
        if login.contains(code) {
            return Refusal::Fatal(format!("PostgreSQL at {target} refused the login: {text}"));
        }
        if !is_transient(code) {
            return Refusal::Fatal(format!("PostgreSQL at {target} refused: {text}"));
        }
        return Refusal::Unreachable(format!("PostgreSQL at {target} is not available: {text}"));
    }
    let io = std::error::Error::source(error).is_some_and(|source| source.is::<std::io::Error>());
    if io || error.is_closed() || text.contains("timed out") {
        Refusal::Unreachable(format!("PostgreSQL at {target} does not answer: {text}"))
    } else {
        // A password asked for but not given, an authentication method the
        // driver does not speak: settings to fix.
        Refusal::Fatal(format!("PostgreSQL at {target} refused the login: {text}"))
    }
}

/// Whether an error PostgreSQL sent may pass by itself: a connection
/// problem (class 08), a server starting, shutting down or restarting
/// (class 57, operator intervention), or lack of resources such as too
/// many connections (class 53).
pub fn is_transient(code: &SqlState) -> bool {
    ["08", "57", "53"].iter().any(|class| code.code().starts_with(class))
}

/// The error with its causes (tokio-postgres puts the reason in `source`).
pub fn full_text(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}

/// `user@host:port/database` (or the socket directory) for messages.
fn describe(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        Some(Host::Unix(dir)) => dir.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().map(|user| format!("{user}@")).unwrap_or_default();
    format!("{user}{host}:{port}/{}", config.get_dbname().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_url_that_cannot_work_is_refused_with_a_sentence_that_hides_the_password() {
        for (url, said) in [
            ("mysql://user:secret-pw@localhost/db", "must start with postgres://"),
            ("postgres://user:secret-pw@localhost:port/db", "is malformed"),
            ("postgres://user:secret-pw@localhost:5432", "names no database"),
        ] {
            let message = Database::from_url(url).unwrap_err();
            assert!(message.contains(said), "{url}: {message}");
            assert!(!message.contains("secret-pw"), "{message}");
        }
    }

    #[tokio::test]
    async fn a_good_url_names_its_target_without_the_password_and_stores_nothing_before_migrating() {
        let database = Database::from_url("postgresql://tc:secret-pw@db.internal:6543/telemetry").unwrap();
        assert_eq!(database.target, "tc@db.internal:6543/telemetry");
        assert!(!database.is_prepared());
        assert!(matches!(database.client().await, Err(StoreError::Unreachable(_))));
        let socket = Database::from_url("postgres://tc:pw@%2Frun%2Fpostgresql/telemetry").unwrap();
        assert_eq!(socket.target, "tc@/run/postgresql:5432/telemetry");
    }

    #[tokio::test]
    async fn a_database_that_does_not_answer_is_worth_waiting_for() {
        // Port 1 on loopback: refused at once, as a database that is down.
        let database = Database::from_url("postgres://tc:pw@127.0.0.1:1/telemetry").unwrap();
        match database.prepare().await {
            Err(Refusal::Unreachable(message)) => assert!(message.contains("does not answer"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
