//! Whether a connection is in use: the requests it has in flight, counted
//! from the request's headers to the end of its response body. hyper's
//! HTTP/2 has no idle timeout and its HTTP/1 header timeout does not run
//! before the protocol is known, so `serve.rs` closes a connection that has
//! had nothing in flight for a while with [`Activity::idle_for`].

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use tokio::sync::watch;

/// The requests in flight on one connection.
#[derive(Debug, Clone)]
pub struct Activity(watch::Sender<usize>);

/// One request in flight, until dropped.
#[derive(Debug)]
pub struct InFlight(watch::Sender<usize>);

impl Activity {
    /// A connection with nothing in flight yet.
    pub fn new() -> Self {
        Activity(watch::Sender::new(0))
    }

    /// Counts a request until the returned guard is dropped.
    pub fn begin(&self) -> InFlight {
        self.0.send_modify(|n| *n += 1);
        InFlight(self.0.clone())
    }

    /// Completes once nothing has been in flight for `quiet`.
    pub async fn idle_for(&self, quiet: Duration) {
        let mut count = self.0.subscribe();
        loop {
            let busy = *count.borrow_and_update() > 0;
            // `changed` cannot fail: `self` keeps the sender alive.
            if busy {
                let _ = count.changed().await;
            } else if tokio::time::timeout(quiet, count.changed()).await.is_err() {
                return;
            }
        }
    }
}

impl Default for Activity {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}

/// A response body that keeps its request counted until it is sent or
/// dropped (a slow download is not an idle connection).
#[derive(Debug)]
pub struct Tracked {
    body: Body,
    _in_flight: InFlight,
}

impl Tracked {
    /// `body`, counted by `in_flight`.
    pub fn new(body: Body, in_flight: InFlight) -> Self {
        Tracked { body, _in_flight: in_flight }
    }
}

impl HttpBody for Tracked {
    type Data = <Body as HttpBody>::Data;
    type Error = <Body as HttpBody>::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn idle_only_after_the_last_request_ends_and_the_quiet_time_passes() {
        let activity = Activity::new();
        let request = activity.begin();
        let quiet = Duration::from_secs(10);
        let idle = tokio::spawn({
            let activity = activity.clone();
            async move { activity.idle_for(quiet).await }
        });
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(!idle.is_finished(), "a request in flight keeps the connection in use");
        drop(request);
        tokio::time::sleep(Duration::from_secs(9)).await;
        assert!(!idle.is_finished());
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert!(idle.is_finished(), "idle 10 s after the request ended");
    }
}
