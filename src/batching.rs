//! How the browser client batches telemetry, kept here, pure and clock-free,
//! so the policy is tested natively.
//!
//! Policy: events queue in a bounded buffer (the oldest are dropped and
//! counted when it is full); a batch leaves when `max_batch` events wait,
//! when `flush_interval_ms` has passed since the last flush, or when the page
//! is hidden; a failed batch goes back to the front of the queue and the
//! next attempt waits an exponentially growing, capped delay.

use std::collections::VecDeque;

use crate::telemetry::{TelemetryBatch, TelemetryEvent};

/// Tuning of the batching policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchPolicy {
    /// Events per batch (and the size that triggers a flush).
    pub max_batch: usize,
    /// Events kept while the server is unreachable.
    pub max_buffer: usize,
    /// Longest an event waits before a flush, milliseconds.
    pub flush_interval_ms: f64,
    /// First retry delay, milliseconds; doubles per failure.
    pub retry_base_ms: f64,
    /// Longest retry delay, milliseconds.
    pub retry_max_ms: f64,
}

impl Default for BatchPolicy {
    fn default() -> Self {
        BatchPolicy {
            max_batch: 50,
            max_buffer: 500,
            flush_interval_ms: 5_000.0,
            retry_base_ms: 1_000.0,
            retry_max_ms: 60_000.0,
        }
    }
}

/// The client's queue. Time is passed in (`now_ms`), never read.
#[derive(Debug)]
pub struct Batcher {
    policy: BatchPolicy,
    queue: VecDeque<TelemetryEvent>,
    in_flight: usize,
    last_flush_ms: f64,
    failures: u32,
    retry_at_ms: f64,
    dropped: u64,
}

impl Batcher {
    /// An empty queue whose flush clock starts at `now_ms`.
    pub fn new(policy: BatchPolicy, now_ms: f64) -> Self {
        Batcher {
            policy,
            queue: VecDeque::new(),
            in_flight: 0,
            last_flush_ms: now_ms,
            failures: 0,
            retry_at_ms: now_ms,
            dropped: 0,
        }
    }

    /// Queues an event, dropping the oldest waiting one when full.
    pub fn push(&mut self, event: TelemetryEvent) {
        if self.queue.len() >= self.policy.max_buffer.max(1) {
            // Never drop what is being sent: the front `in_flight` events.
            let victim = self.in_flight.min(self.queue.len() - 1);
            self.queue.remove(victim);
            self.dropped += 1;
        }
        self.queue.push_back(event);
    }

    /// Events waiting (including a batch in flight).
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Events dropped because the buffer was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The next batch to send, if one is due: a full batch waits, the flush
    /// interval passed, or `force` (the page is being hidden). `None` while
    /// a batch is in flight or a retry delay runs (unless forced).
    pub fn next_batch(&mut self, now_ms: f64, force: bool) -> Option<TelemetryBatch> {
        if self.in_flight > 0 || self.queue.is_empty() {
            return None;
        }
        let waiting_out_retry = self.failures > 0 && now_ms < self.retry_at_ms;
        let due =
            self.queue.len() >= self.policy.max_batch || now_ms - self.last_flush_ms >= self.policy.flush_interval_ms;
        if !(force || (due && !waiting_out_retry)) {
            return None;
        }
        self.in_flight = self.queue.len().min(self.policy.max_batch.max(1));
        self.last_flush_ms = now_ms;
        Some(TelemetryBatch { events: self.queue.iter().take(self.in_flight).cloned().collect() })
    }

    /// Records the outcome of the batch in flight: sent events leave the
    /// queue; a failed batch stays at the front and the next try backs off.
    pub fn finish(&mut self, delivered: bool, now_ms: f64) {
        if delivered {
            self.queue.drain(..self.in_flight.min(self.queue.len()));
            self.failures = 0;
        } else {
            self.failures = self.failures.saturating_add(1);
            let exponent = self.failures.saturating_sub(1).min(16);
            let delay = (self.policy.retry_base_ms * f64::from(1u32 << exponent)).min(self.policy.retry_max_ms);
            self.retry_at_ms = now_ms + delay;
        }
        self.in_flight = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: usize) -> TelemetryEvent {
        crate::telemetry::sample_event(n)
    }

    fn policy() -> BatchPolicy {
        BatchPolicy {
            max_batch: 3,
            max_buffer: 5,
            flush_interval_ms: 1000.0,
            retry_base_ms: 100.0,
            retry_max_ms: 400.0,
        }
    }

    fn ids(batch: &TelemetryBatch) -> Vec<&str> {
        batch.events.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn flushes_on_size_on_interval_and_when_forced() {
        let mut b = Batcher::new(policy(), 0.0);
        b.push(event(1));
        assert!(b.next_batch(10.0, false).is_none(), "not due yet");
        b.push(event(2));
        b.push(event(3));
        let batch = b.next_batch(20.0, false).expect("a full batch is due");
        assert_eq!(ids(&batch), ["e1", "e2", "e3"]);
        b.finish(true, 30.0);
        assert!(b.is_empty());

        b.push(event(4));
        assert!(b.next_batch(500.0, false).is_none());
        assert_eq!(ids(&b.next_batch(1030.0, false).expect("interval passed")), ["e4"]);
        b.finish(true, 1040.0);

        b.push(event(5));
        assert_eq!(ids(&b.next_batch(1041.0, true).expect("page hidden")), ["e5"]);
    }

    #[test]
    fn a_failed_batch_is_retried_first_with_growing_capped_delays() {
        let mut b = Batcher::new(policy(), 0.0);
        for n in 1..=3 {
            b.push(event(n));
        }
        let first = b.next_batch(0.0, false).unwrap();
        b.push(event(4));
        assert!(b.next_batch(1.0, false).is_none(), "one batch in flight at a time");
        b.finish(false, 10.0);
        assert!(b.next_batch(50.0, false).is_none(), "waits 100 ms");
        let again = b.next_batch(110.0, false).unwrap();
        assert_eq!(again, first, "same events, same ids: the server counts them once");
        b.finish(false, 110.0);
        assert!(b.next_batch(250.0, false).is_none(), "then 200 ms");
        assert!(b.next_batch(311.0, false).is_some());
        b.finish(false, 311.0);
        b.next_batch(711.0, false).unwrap();
        b.finish(false, 711.0);
        assert!(b.next_batch(1110.0, false).is_none(), "capped at 400 ms");
        assert!(b.next_batch(1112.0, false).is_some());
        b.finish(true, 1112.0);
        assert_eq!(ids(&b.next_batch(3000.0, false).unwrap()), ["e4"]);
    }

    #[test]
    fn a_full_buffer_drops_the_oldest_waiting_event_not_the_batch_in_flight() {
        let mut b = Batcher::new(policy(), 0.0);
        for n in 1..=3 {
            b.push(event(n));
        }
        let in_flight = b.next_batch(0.0, false).unwrap();
        for n in 4..=8 {
            b.push(event(n));
        }
        assert_eq!(b.len(), 5);
        assert_eq!(b.dropped(), 3);
        b.finish(true, 1.0);
        assert_eq!(ids(&in_flight), ["e1", "e2", "e3"]);
        let rest: Vec<String> = b.queue.iter().map(|e| e.id.clone()).collect();
        assert_eq!(rest, ["e7", "e8"]);
    }
}
