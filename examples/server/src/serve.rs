//! The HTTP listener: the router served by hyper with the limits a public
//! endpoint needs that `axum::serve` does not set, for both listeners:
//!
//! - open connections are bounded ([`ConnectionLimits`], below the file
//!   limit): at its total the listener stops accepting, and a connection
//!   past its client's share is closed at once, so one client cannot use
//!   up the file descriptors the health checks need;
//! - a connection with no request in flight for [`IDLE_TIMEOUT`] is closed,
//!   HTTP/1 or HTTP/2, and from the accept on (a client that connects and
//!   sends nothing, or sends half an HTTP/2 header block, counts as idle);
//! - HTTP/1 request headers must arrive within [`HEADER_READ_TIMEOUT`]
//!   (slowloris), and HTTP/2 pings a connection and closes it when the ping
//!   is not answered in time.
//!
//! Slow bodies are the router's business (its body read timeout).

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use crate::client_slots::{ClientSlot, ClientSlots};
use crate::config::{IDLE_TIMEOUT_SECONDS, MAX_CONCURRENT_PER_CLIENT, REQUEST_TIMEOUT_SECONDS};
use crate::connection_activity::{Activity, Tracked};
pub use crate::connection_budget::ConnectionLimits;

/// How long a client may take to send a request's headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(REQUEST_TIMEOUT_SECONDS);
/// A connection with nothing in flight for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(IDLE_TIMEOUT_SECONDS);
/// Once asked to close, a connection with nothing in flight for this long
/// is dropped (a client that ignores HTTP/2's GOAWAY, or never sent a byte).
const CLOSE_GRACE: Duration = Duration::from_secs(1);
/// Longest a graceful shutdown waits for in-flight requests.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` within `limits` until `shutdown`
/// completes, then lets in-flight requests finish. Handlers see the
/// client's address as `ConnectInfo<SocketAddr>`, as with
/// `into_make_service_with_connect_info`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.total));
    let per_client = ClientSlots::new(limits.per_client);
    let (stop, stopping) = watch::channel(false);
    let builder = builder();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            // Never closed, so this cannot fail.
            permit = open.clone().acquire_owned() => permit.expect("the connection semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: back off rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(client) = per_client.try_acquire(remote.ip()) else {
            tracing::debug!(%remote, "connection closed: this client holds its share of connections");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let held = (permit, client);
        tokio::spawn(connection(builder.clone(), stream, remote, router.clone(), stopping.clone(), held));
    }
    drop(listener);
    let _ = stop.send(true);
    let all = u32::try_from(limits.total).unwrap_or(u32::MAX);
    if tokio::time::timeout(DRAIN_TIMEOUT, open.acquire_many(all)).await.is_err() {
        tracing::warn!("some connections were still open after the drain timeout");
    }
}

/// hyper's settings for both protocols.
fn builder() -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(IDLE_TIMEOUT)
        .keep_alive_timeout(IDLE_TIMEOUT)
        // A connection cannot carry more requests than its client may make.
        .max_concurrent_streams(u32::try_from(MAX_CONCURRENT_PER_CLIENT).unwrap_or(u32::MAX));
    builder
}

/// Serves one connection until it ends, goes idle or the server stops;
/// `_held` (its connection slot and its client's) is given back at the end.
async fn connection(
    builder: Builder<TokioExecutor>,
    stream: TcpStream,
    remote: SocketAddr,
    router: Router,
    mut stopping: watch::Receiver<bool>,
    _held: (OwnedSemaphorePermit, ClientSlot),
) {
    let activity = Activity::new();
    let counted = activity.clone();
    let service = tower::service_fn(move |request: Request<Incoming>| {
        let in_flight = counted.begin();
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo::<SocketAddr>(remote));
        let response = router.clone().oneshot(request);
        async move { Ok::<_, Infallible>(response.await?.map(|body| Tracked::new(body, in_flight))) }
    });
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service));
    let mut connection = std::pin::pin!(connection);
    let ended = tokio::select! {
        ended = connection.as_mut() => Some(ended),
        () = activity.idle_for(IDLE_TIMEOUT) => None,
        _ = stopping.wait_for(|stop| *stop) => None,
    };
    let ended = match ended {
        Some(ended) => ended,
        None => {
            // Requests in flight finish (each within the request timeout).
            connection.as_mut().graceful_shutdown();
            tokio::select! {
                ended = connection.as_mut() => ended,
                () = activity.idle_for(CLOSE_GRACE) => Ok(()),
            }
        }
    };
    if let Err(error) = ended {
        tracing::debug!(%error, "connection ended with an error");
    }
}
