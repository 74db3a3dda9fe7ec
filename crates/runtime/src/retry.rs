//! Retry policy: bounded attempts, exponential backoff with full jitter.

use std::time::Duration;

/// When and how often a failed attempt is sent again.
///
/// Retried by default: `RequestLimitExceeded` (and its sub-codes),
/// `ServiceUnavailable`, HTTP 502/503/504, and connection failures before the
/// request was sent. A failure after the request may have reached the server
/// (a timeout after sending, a connection lost mid-response) is *not* retried
/// unless [`RetryConfig::retry_after_send`] opts in: `CreateCloudTranscription`
/// sent twice starts two tasks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) retry_after_send: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// 3 attempts, backoff from 100 ms doubling up to 5 s, with full jitter.
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            retry_after_send: false,
        }
    }

    /// One attempt, never retried.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::standard()
        }
    }

    /// Total attempts including the first (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The backoff before the first retry; it doubles for each later one.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The longest backoff.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Also retry failures that happened after the request may have reached the
    /// server. Only for actions that are safe to repeat.
    pub fn retry_after_send(mut self, yes: bool) -> Self {
        self.retry_after_send = yes;
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The jittered backoff before attempt `next_attempt` (2 for the first retry):
    /// uniformly random in `[0, min(max, initial * 2^(next_attempt-2))]`.
    pub fn backoff(&self, next_attempt: u32) -> Duration {
        let cap = self.backoff_cap(next_attempt);
        let nanos = cap.as_nanos().min(u64::MAX as u128) as u64;
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }

    /// The upper bound of [`RetryConfig::backoff`] for `next_attempt`.
    pub fn backoff_cap(&self, next_attempt: u32) -> Duration {
        let exp = next_attempt.saturating_sub(2).min(30);
        self.initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryConfig::standard();
        assert_eq!(r.backoff_cap(2), Duration::from_millis(100));
        assert_eq!(r.backoff_cap(3), Duration::from_millis(200));
        assert_eq!(r.backoff_cap(4), Duration::from_millis(400));
        assert_eq!(r.backoff_cap(40), Duration::from_secs(5));
        for n in 2..10 {
            for _ in 0..50 {
                assert!(r.backoff(n) <= r.backoff_cap(n));
            }
        }
    }

    #[test]
    fn jitter_varies() {
        let r = RetryConfig::standard().initial_backoff(Duration::from_secs(1));
        let samples: std::collections::BTreeSet<_> = (0..20).map(|_| r.backoff(2)).collect();
        assert!(samples.len() > 1);
    }

    #[test]
    fn attempts_at_least_one() {
        assert_eq!(RetryConfig::standard().max_attempts(0).attempts(), 1);
        assert_eq!(RetryConfig::disabled().attempts(), 1);
    }
}
