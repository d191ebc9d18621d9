//! Per-client shares of what the server holds at once: requests in flight
//! ([`limit_per_client`], a middleware) and open connections (`serve.rs`).
//! A client is its IP address, an IPv6 client its /64 (one host usually
//! owns the whole prefix), so one client cannot take every slot.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::Extensions;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// At most `limit` slots per client; memory is bounded by the slots held,
/// since a client holding none is forgotten.
#[derive(Debug)]
pub struct ClientSlots {
    limit: usize,
    held: Mutex<HashMap<IpAddr, usize>>,
}

/// One slot of one client, given back when dropped.
#[derive(Debug)]
pub struct ClientSlot {
    slots: Arc<ClientSlots>,
    client: IpAddr,
}

impl ClientSlots {
    /// Slots of at most `limit` per client.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(ClientSlots { limit, held: Mutex::new(HashMap::new()) })
    }

    /// A slot for the client at `ip`, or `None` when it holds its limit.
    pub fn try_acquire(self: &Arc<Self>, ip: IpAddr) -> Option<ClientSlot> {
        let client = client_key(ip);
        // A panic elsewhere cannot leave the counts inconsistent (each
        // update is one statement), so a poisoned lock is used as is.
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let count = held.entry(client).or_insert(0);
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(ClientSlot { slots: self.clone(), client })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut held = self.slots.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = held.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.client);
            }
        }
    }
}

/// The key a client is counted under: its IPv4 address (also when mapped
/// into IPv6), or the /64 prefix of its IPv6 address.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u64::MAX as u128))),
        v4 => v4,
    }
}

/// The client's address, from a request's extensions (`0.0.0.0` when the
/// listener did not give one, as in router tests).
pub fn client_ip(extensions: &Extensions) -> IpAddr {
    extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip())
}

/// Holds one of the client's request slots while the request is handled;
/// a client at its limit gets 429 `rate_limited` at once.
pub async fn limit_per_client(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(_slot) = state.client_requests.try_acquire(client_ip(request.extensions())) else {
        return AppError::status(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many requests at once from this client; wait for an answer before sending more.",
        )
        .into_response();
    };
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_limit_and_its_slots_back() {
        let slots = ClientSlots::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let (first, _second) = (slots.try_acquire(a).unwrap(), slots.try_acquire(a).unwrap());
        assert!(slots.try_acquire(a).is_none(), "a third slot is refused");
        assert!(slots.try_acquire("10.0.0.2".parse().unwrap()).is_some(), "another client is not");
        drop(first);
        assert!(slots.try_acquire(a).is_some(), "a slot given back can be taken again");
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_prefix() {
        let key = |s: &str| client_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
    }

    #[test]
    fn a_client_holding_nothing_is_forgotten() {
        let slots = ClientSlots::new(1);
        drop(slots.try_acquire("10.0.0.1".parse().unwrap()));
        assert!(slots.held.lock().unwrap().is_empty());
    }
}
