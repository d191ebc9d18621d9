//! Who may use the admin routes: a caller with `Authorization: Bearer
//! <TIME_CRUNCH_ADMIN_TOKEN>`. The token is compared in constant time (as
//! SHA-1 digests, so not even its length shows in the timing), and wrong
//! guesses are throttled per client (its address, or its IPv6 /64, as
//! [`client_key`] counts clients everywhere): after
//! [`FAILED_ATTEMPTS_BURST`] wrong or missing tokens, one more per
//! [`FAILED_ATTEMPT_PERIOD`]; past that, every admin request from the
//! address answers 429 `rate_limited`, before any token is compared, until
//! its allowance comes back. Each failure is logged with the client's
//! address, never with what it presented.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use governor::clock::Clock;
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use crate::client_slots::{client_ip, client_key};
use crate::error::AppError;
use crate::state::AppState;

/// Wrong tokens an address may present at once.
pub const FAILED_ATTEMPTS_BURST: u32 = 5;
/// Then one more wrong token per this long.
pub const FAILED_ATTEMPT_PERIOD: Duration = Duration::from_secs(10);

/// The admin token and the failed attempts of each address.
#[derive(Debug)]
pub struct AdminGuard {
    digest: [u8; 20],
    failures: governor::DefaultKeyedRateLimiter<IpAddr>,
    /// Addresses refused until the instant, having used up their allowance.
    locked: Mutex<HashMap<IpAddr, Instant>>,
}

impl AdminGuard {
    /// A guard for `token` (its length is checked by the configuration).
    pub fn new(token: &str) -> Self {
        let quota = governor::Quota::with_period(FAILED_ATTEMPT_PERIOD)
            .expect("a non-zero period")
            .allow_burst(std::num::NonZeroU32::new(FAILED_ATTEMPTS_BURST).expect("a non-zero burst"));
        AdminGuard {
            digest: Sha1::digest(token.as_bytes()).into(),
            failures: governor::RateLimiter::keyed(quota),
            locked: Mutex::new(HashMap::new()),
        }
    }

    /// Lets the request through, or answers 401 (wrong or missing token)
    /// or 429 (too many of those from `client`'s key).
    pub fn check(&self, client: IpAddr, presented: Option<&str>) -> Result<(), AppError> {
        let now = Instant::now();
        let key = client_key(client);
        if let Some(until) = self.locked().get(&key).filter(|until| **until > now) {
            return Err(throttled(*until - now));
        }
        let digest: [u8; 20] = Sha1::digest(presented.unwrap_or_default().as_bytes()).into();
        if presented.is_some() && bool::from(digest.ct_eq(&self.digest)) {
            return Ok(());
        }
        match self.failures.check_key(&key) {
            Ok(()) => {
                tracing::warn!(%client, "admin request refused: wrong or missing bearer token");
                Err(unauthorized())
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.failures.clock().now());
                self.locked().insert(key, now + wait);
                tracing::warn!(%client, seconds = wait.as_secs_f64().ceil(), "admin requests refused for a while: too many wrong bearer tokens");
                Err(throttled(wait))
            }
        }
    }

    /// Forgets addresses whose allowance is whole again (housekeeping).
    pub fn retain_recent(&self) {
        let now = Instant::now();
        self.locked().retain(|_, until| *until > now);
        self.failures.retain_recent();
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Instant>> {
        self.locked.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn unauthorized() -> AppError {
    AppError::status(StatusCode::UNAUTHORIZED, "unauthorized", "A valid admin bearer token is required.")
}

fn throttled(wait: Duration) -> AppError {
    let seconds = wait.as_secs_f64().ceil().max(1.0);
    AppError::status(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("Too many wrong admin tokens from this address; try again in {seconds} s."),
    )
}

/// An extractor that admits only admin callers; handlers that take it run
/// (and read a body) only after the check.
#[derive(Debug)]
pub struct Admin;

impl FromRequestParts<Arc<AppState>> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, AppError> {
        let client = client_ip(&parts.extensions);
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match &state.admin {
            Some(guard) => guard.check(client, presented).map(|()| Admin),
            None => Err(unauthorized()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_tokens_are_throttled_per_address_and_then_even_the_right_one_waits() {
        let guard = AdminGuard::new("the-right-token-0123");
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        assert!(guard.check(a, Some("the-right-token-0123")).is_ok());
        for _ in 0..FAILED_ATTEMPTS_BURST {
            assert!(matches!(
                guard.check(a, Some("guess")),
                Err(AppError::Status { status: StatusCode::UNAUTHORIZED, .. })
            ));
        }
        let too_many = |result| matches!(result, Err(AppError::Status { status: StatusCode::TOO_MANY_REQUESTS, .. }));
        assert!(too_many(guard.check(a, None)));
        assert!(too_many(guard.check(a, Some("the-right-token-0123"))), "no comparison while throttled");
        assert!(guard.check(b, Some("the-right-token-0123")).is_ok(), "other addresses are not affected");
        assert!(guard.check(b, Some("the-right-token-012")).is_err());
        let (v6, same_64) = ("2001:db8::1".parse().unwrap(), "2001:db8::ffff".parse().unwrap());
        for _ in 0..FAILED_ATTEMPTS_BURST {
            let _ = guard.check(v6, Some("guess"));
        }
        assert!(too_many(guard.check(same_64, Some("guess"))), "one client per IPv6 /64, as everywhere");
    }
}
