//! Every way a deployment can fail: a sentence for the operator and the
//! documented exit status of its kind (README, "Deploying the dashboard").

use std::fmt;

/// Why `deploy-dashboard` stopped; [`DeployError::exit_status`] maps each kind to its exit status.
#[derive(Debug, PartialEq, Eq)]
pub enum DeployError {
    /// The command line, the environment or the dashboard file cannot be used (exit 2).
    Config(String),
    /// Grafana could not be reached: connection refused, no answer within the timeout, TLS (exit 3).
    Unreachable(String),
    /// Grafana answered with an error status: 401, 403, 404, 412, 400, 5xx, a redirect, a failing database (exit 4).
    Refused(String),
    /// Grafana answered something that is not the documented JSON (exit 5).
    BadAnswer(String),
    /// The dashboard read back is not the one uploaded (exit 6).
    NotVerified(String),
}

impl DeployError {
    /// The process exit status of this kind of failure (0 is success, also of `--dry-run`).
    pub fn exit_status(&self) -> u8 {
        match self {
            DeployError::Config(_) => 2,
            DeployError::Unreachable(_) => 3,
            DeployError::Refused(_) => 4,
            DeployError::BadAnswer(_) => 5,
            DeployError::NotVerified(_) => 6,
        }
    }
}

impl fmt::Display for DeployError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (DeployError::Config(message)
        | DeployError::Unreachable(message)
        | DeployError::Refused(message)
        | DeployError::BadAnswer(message)
        | DeployError::NotVerified(message)) = self;
        f.write_str(message)
    }
}

impl std::error::Error for DeployError {}
