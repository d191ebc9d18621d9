//! How many connections each listener may hold open, from the process's
//! file limit (`RLIMIT_NOFILE`): every connection is a file descriptor, and
//! one past the limit fails `accept` ("Too many open files") for everyone,
//! the health checks included. A share of the limit is kept for the
//! database, static files and the runtime.

use crate::config::{MAX_CONNECTIONS, MAX_CONNECTIONS_PER_CLIENT, METRICS_CONNECTIONS};

/// Limits of one listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Open connections at most; the listener stops accepting at this
    /// (the kernel queues new ones until a connection closes).
    pub total: usize,
    /// Open connections of one client at most; more are closed at once.
    pub per_client: usize,
}

/// The budgets of the API and metrics listeners, and the file limit they
/// come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionBudget {
    /// The soft `RLIMIT_NOFILE` in force.
    pub file_limit: u64,
    /// The API listener's share.
    pub api: ConnectionLimits,
    /// The metrics listener's share.
    pub metrics: ConnectionLimits,
}

/// Raises the soft file limit to the hard one (what a server may do without
/// privileges; a soft limit of 1,024 is a default for programs that use
/// `select`), then splits it.
pub fn from_process_limit() -> ConnectionBudget {
    let file_limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "cannot read the file limit; assuming 1024");
            1024
        }
    };
    split(file_limit)
}

/// Keeps a quarter of the limit (at least 64) for files other than
/// connections, then gives the metrics listener its few and the API the rest.
pub fn split(file_limit: u64) -> ConnectionBudget {
    let limit = usize::try_from(file_limit).unwrap_or(usize::MAX);
    let usable = limit.saturating_sub((limit / 4).max(64)).max(2);
    let metrics = METRICS_CONNECTIONS.min(usable / 4).max(1);
    let api = (usable - metrics).min(MAX_CONNECTIONS);
    let limits =
        |total: usize| ConnectionLimits { total, per_client: MAX_CONNECTIONS_PER_CLIENT.min(total / 2).max(1) };
    ConnectionBudget { file_limit, api: limits(api), metrics: limits(metrics) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_stay_below_the_file_limit_with_room_for_files() {
        for limit in [16, 256, 1024, 65_536, 1 << 20, u64::MAX] {
            let budget = split(limit);
            let connections = (budget.api.total + budget.metrics.total) as u64;
            assert!(connections < limit || limit < 64, "{limit}: {budget:?}");
            assert!(budget.api.per_client <= budget.api.total / 2 || budget.api.total < 2, "{budget:?}");
            assert!(budget.api.total <= MAX_CONNECTIONS);
        }
        let budget = split(256);
        assert_eq!((budget.api.total, budget.metrics.total), (160, 32));
        assert_eq!(budget.api.per_client, 80, "one client holds at most half");
        assert_eq!(split(1024).api.per_client, MAX_CONNECTIONS_PER_CLIENT);
    }
}
