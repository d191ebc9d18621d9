//! The rollout plan's checkpoints read from Prometheus, and the rehearsal
//! history that tests them.
//!
//! - [`args`], [`window`]: which report, over which part of the rollout
//!   (hours 1–8 one hour each, then 4-hour windows; the 24-hour checkpoint;
//!   the go/no-go at hour 48).
//! - [`queries`]: every PromQL expression the reports use, each the one a
//!   dashboard panel or alert uses, scoped to the server twin's `job`.
//! - [`criteria`]: the plan's targets and rollback triggers, as numbers.
//! - [`prometheus`]: Prometheus' HTTP API (instant, range and series
//!   queries), with a sentence for every way it can fail.
//! - [`triggers`]: when a rollback trigger fired, from a condition evaluated
//!   minute by minute (as Prometheus evaluates an alert's `for`).
//! - [`report`]: the figures, checks, status and verdict of each report;
//!   [`markdown`] writes them for the team channel.
//! - [`rehearsal`], [`openmetrics`]: a 48-hour rollout's series as the
//!   server twin exports them, for `promtool tsdb create-blocks-from
//!   openmetrics`.

pub mod args;
pub mod criteria;
pub mod error;
pub mod markdown;
pub mod openmetrics;
pub mod prometheus;
pub mod queries;
pub mod rehearsal;
pub mod report;
pub mod triggers;
pub mod window;
