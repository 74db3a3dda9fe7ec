//! The retry budget: a token bucket that every retry spends from, so that an
//! outage does not become a retry storm (aws-sdk-rust's standard retry mode).
//!
//! With the standard costs: the bucket holds 500 tokens; a retry takes 5 (10
//! after a timeout); a call that succeeds at once puts 1 back, and a call that
//! succeeds after retries gives back what its retries took; a call that fails
//! keeps them spent. When a retry cannot be paid for, the call ends with the
//! error it has ([`StopReason::BudgetExhausted`](crate::retry::StopReason::BudgetExhausted)).
//! So 100 retries without a success in between empty the bucket, and it
//! refills as calls succeed.
//!
//! One bucket is shared by a client and its clones; give the same
//! [`RetryBudget`] to several configurations to share it between clients.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// A token bucket for retries (cheap to clone: clones share the bucket).
#[derive(Clone)]
pub struct RetryBudget {
    inner: Option<Arc<Bucket>>,
}

struct Bucket {
    tokens: AtomicU32,
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_reward: u32,
}

impl fmt::Debug for RetryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            None => f.write_str("RetryBudget(unlimited)"),
            Some(b) => f
                .debug_struct("RetryBudget")
                .field("tokens", &b.tokens.load(Ordering::Relaxed))
                .field("capacity", &b.capacity)
                .finish_non_exhaustive(),
        }
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::standard()
    }
}

impl RetryBudget {
    /// aws-sdk-rust's standard costs: capacity 500, 5 per retry, 10 per
    /// retry after a timeout, 1 back per success.
    pub fn standard() -> Self {
        RetryBudget::new(500, 5, 10, 1)
    }

    /// A bucket of `capacity` tokens; a retry costs `retry_cost` (after a
    /// timeout, `timeout_cost`); a first-attempt success puts `success_reward` back.
    pub fn new(capacity: u32, retry_cost: u32, timeout_cost: u32, success_reward: u32) -> Self {
        RetryBudget {
            inner: Some(Arc::new(Bucket {
                tokens: AtomicU32::new(capacity),
                capacity,
                retry_cost,
                timeout_cost,
                success_reward,
            })),
        }
    }

    /// No budget: retries are limited only by each call's attempts.
    pub fn unlimited() -> Self {
        RetryBudget { inner: None }
    }

    /// The tokens left (`None` when unlimited).
    pub fn available(&self) -> Option<u32> {
        self.inner
            .as_ref()
            .map(|b| b.tokens.load(Ordering::Relaxed))
    }

    /// Whether two handles share one bucket.
    pub fn shares_with(&self, other: &RetryBudget) -> bool {
        match (&self.inner, &other.inner) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Takes the cost of one retry (after a timeout if `timeout`); the tokens
    /// taken, or `None` when the bucket cannot pay.
    pub(crate) fn acquire(&self, timeout: bool) -> Option<u32> {
        let Some(b) = &self.inner else {
            return Some(0);
        };
        let cost = if timeout {
            b.timeout_cost
        } else {
            b.retry_cost
        };
        b.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded after its retries took `spent` tokens: they come back;
    /// with none spent, the success reward does.
    pub(crate) fn on_success(&self, spent: u32) {
        let Some(b) = &self.inner else {
            return;
        };
        let back = if spent > 0 { spent } else { b.success_reward };
        if back == 0 {
            return;
        }
        let _ = b
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(back).min(b.capacity))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_costs_and_refunds() {
        let b = RetryBudget::standard();
        assert_eq!(b.available(), Some(500));
        assert_eq!(b.acquire(false), Some(5));
        assert_eq!(b.acquire(true), Some(10));
        assert_eq!(b.available(), Some(485));
        // A success after retries gives back what they took.
        b.on_success(15);
        assert_eq!(b.available(), Some(500));
        // Never above the capacity.
        b.on_success(0);
        assert_eq!(b.available(), Some(500));
        // 100 retries empty it; the 101st is refused.
        for _ in 0..100 {
            assert!(b.acquire(false).is_some());
        }
        assert_eq!(b.acquire(false), None);
        assert_eq!(b.available(), Some(0));
        // First-attempt successes refill one token each.
        for _ in 0..5 {
            b.on_success(0);
        }
        assert_eq!(b.acquire(false), Some(5));
        assert_eq!(b.acquire(true), None, "a timeout retry costs 10");
    }

    #[test]
    fn clones_share_and_unlimited_never_refuses() {
        let a = RetryBudget::new(10, 5, 10, 1);
        let c = a.clone();
        assert!(a.shares_with(&c));
        a.acquire(false);
        assert_eq!(c.available(), Some(5));
        assert!(!a.shares_with(&RetryBudget::new(10, 5, 10, 1)));
        let u = RetryBudget::unlimited();
        assert_eq!(u.acquire(true), Some(0));
        assert_eq!(u.available(), None);
    }
}
