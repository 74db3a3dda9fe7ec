//! Retry policy and retry decisions.
//!
//! [`RetryConfig`] is the policy a user sets (attempts, backoff, whether a request
//! that may have reached the server is sent again). [`classify`] is the one place
//! that decides, for the outcome of one attempt, whether the client sends the
//! request again, why, and after how long; the client's send loop only carries
//! the decision out. [`code_retry`] is the rule for service error codes, shared
//! with [`ApiError::is_retryable`](crate::ApiError::is_retryable).

use std::time::Duration;

pub use crate::error::{code_retry, CodeRetry};

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
        Wait::Jittered {
            cap: self.backoff_cap(next_attempt),
        }
        .sample()
    }

    /// The upper bound of [`RetryConfig::backoff`] for `next_attempt`.
    pub fn backoff_cap(&self, next_attempt: u32) -> Duration {
        let exp = next_attempt.saturating_sub(2).min(30);
        self.initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff)
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptOutcome<'a> {
    /// A usable answer (a body in the API 3.0 envelope, or an event stream).
    Success,
    /// The service answered with an error code.
    ServiceError {
        /// The `Error.Code`.
        code: &'a str,
        /// The server's clock (unix seconds, from the `Date` header), if it sent one.
        server_time: Option<i64>,
    },
    /// An answer that is not a valid API 3.0 envelope, with its HTTP status.
    InvalidResponse {
        /// The HTTP status.
        status: u16,
    },
    /// A success status whose body is not what the action answers with
    /// (an event-streaming action answered with one body).
    UnexpectedSuccess,
    /// The connection could not be made: the request was not sent.
    ConnectFailed,
    /// The connection failed after the request may have been sent.
    SendFailed,
    /// The response body stopped before its end.
    Truncated,
    /// The response body is larger than the configured cap.
    TooLarge,
    /// The attempt's own timeout expired (the request may have been sent).
    TimedOut,
    /// The call's overall deadline expired.
    DeadlineExceeded,
}

/// What the client does after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// The attempt's result is the call's result.
    Stop(StopReason),
    /// Send the request again.
    Retry {
        /// Why.
        reason: RetryReason,
        /// How long to wait first.
        wait: Wait,
    },
    /// Set the clock offset to `offset` seconds, then send again at once; this
    /// extra attempt does not count against [`RetryConfig::max_attempts`] and
    /// happens at most once per call.
    CorrectClock {
        /// The server's clock minus the local clock, in seconds.
        offset: i64,
    },
}

/// Why an attempt is not retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// It succeeded.
    Success,
    /// The error is not transient: sending the same request again cannot help.
    NotRetryable,
    /// The request may have reached the server, and the configuration does not
    /// allow sending it twice ([`RetryConfig::retry_after_send`]).
    MayHaveTakenEffect,
    /// The attempts are used up.
    AttemptsExhausted,
    /// The call's deadline has passed.
    Deadline,
    /// `AuthFailure.SignatureExpire` after the clock was already corrected, or
    /// without a server `Date` to correct it from.
    ClockNotCorrectable,
    /// A retry was due, but the retry budget ([`crate::budget`]) cannot pay
    /// for it: too many retries failed lately.
    BudgetExhausted,
}

/// Why an attempt is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// A transient service error (rate limited, unavailable).
    TransientCode,
    /// A gateway status (502, 503, 504) without a valid envelope.
    GatewayStatus,
    /// The connection failed before the request was sent.
    NotSent,
    /// A failure after sending, retried because [`RetryConfig::retry_after_send`] is on.
    AfterSendAllowed,
}

/// How long to wait before the next attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// At once.
    Now,
    /// A full-jitter backoff: uniformly random in `[0, cap]`.
    Jittered {
        /// The upper bound.
        cap: Duration,
    },
}

impl Wait {
    /// A concrete pause (random for [`Wait::Jittered`]).
    pub fn sample(self) -> Duration {
        match self {
            Wait::Now => Duration::ZERO,
            Wait::Jittered { cap } => {
                let nanos = cap.as_nanos().min(u64::MAX as u128) as u64;
                if nanos == 0 {
                    Duration::ZERO
                } else {
                    Duration::from_nanos(fastrand::u64(0..=nanos))
                }
            }
        }
    }
}

/// Where a call stands when an attempt ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallState {
    /// The attempt that just ended (1 for the first).
    pub attempt: u32,
    /// Whether the clock was already corrected during this call.
    pub clock_corrected: bool,
    /// The local clock (unix seconds), for a clock correction.
    pub now: i64,
}

/// Decides what happens after one attempt: the client's only retry rule.
///
/// | outcome | decision |
/// |---|---|
/// | success | stop |
/// | service error, transient code ([`code_retry`]) | retry with backoff while attempts remain |
/// | `AuthFailure.SignatureExpire`, first time, server `Date` known | correct the clock, retry at once (outside the budget) |
/// | `AuthFailure.SignatureExpire` otherwise | stop |
/// | service error, other code | stop |
/// | invalid envelope with HTTP 502/503/504 | retry with backoff |
/// | invalid envelope, other status; unexpected success; body too large | stop |
/// | connection failed before sending | retry with backoff |
/// | failure after sending (I/O, truncated body, attempt timeout) | retry only with `retry_after_send` |
/// | call deadline passed | stop |
pub fn classify(
    outcome: AttemptOutcome<'_>,
    config: &RetryConfig,
    state: CallState,
) -> RetryDecision {
    let retry = |reason| {
        if state.attempt >= config.max_attempts {
            RetryDecision::Stop(StopReason::AttemptsExhausted)
        } else {
            RetryDecision::Retry {
                reason,
                wait: Wait::Jittered {
                    cap: config.backoff_cap(state.attempt + 1),
                },
            }
        }
    };
    let after_send = || {
        if config.retry_after_send {
            retry(RetryReason::AfterSendAllowed)
        } else {
            RetryDecision::Stop(StopReason::MayHaveTakenEffect)
        }
    };
    match outcome {
        AttemptOutcome::Success => RetryDecision::Stop(StopReason::Success),
        AttemptOutcome::ServiceError { code, server_time } => match code_retry(code) {
            CodeRetry::Transient => retry(RetryReason::TransientCode),
            CodeRetry::ClockSkew => match server_time {
                Some(server) if !state.clock_corrected => RetryDecision::CorrectClock {
                    offset: server - state.now,
                },
                _ => RetryDecision::Stop(StopReason::ClockNotCorrectable),
            },
            CodeRetry::Permanent => RetryDecision::Stop(StopReason::NotRetryable),
        },
        AttemptOutcome::InvalidResponse { status: 502..=504 } => retry(RetryReason::GatewayStatus),
        AttemptOutcome::InvalidResponse { .. }
        | AttemptOutcome::UnexpectedSuccess
        | AttemptOutcome::TooLarge => RetryDecision::Stop(StopReason::NotRetryable),
        AttemptOutcome::ConnectFailed => retry(RetryReason::NotSent),
        AttemptOutcome::SendFailed | AttemptOutcome::Truncated | AttemptOutcome::TimedOut => {
            after_send()
        }
        AttemptOutcome::DeadlineExceeded => RetryDecision::Stop(StopReason::Deadline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the table expects, before the backoff cap is known.
    #[derive(Clone, Copy, Debug)]
    enum Expect {
        Stop(StopReason),
        Backoff(RetryReason),
        Clock(i64),
    }

    use AttemptOutcome as O;
    use Expect::{Backoff, Clock, Stop};
    use RetryReason as R;
    use StopReason as S;

    const fn svc(code: &'static str) -> O<'static> {
        O::ServiceError {
            code,
            server_time: Some(1_000),
        }
    }

    /// Every outcome: (outcome, default policy, with `retry_after_send`), on a
    /// first attempt at local time 100.
    const TABLE: &[(O<'static>, Expect, Expect)] = &[
        (O::Success, Stop(S::Success), Stop(S::Success)),
        (
            svc("RequestLimitExceeded"),
            Backoff(R::TransientCode),
            Backoff(R::TransientCode),
        ),
        (
            svc("RequestLimitExceeded.UinLimitExceeded"),
            Backoff(R::TransientCode),
            Backoff(R::TransientCode),
        ),
        (
            svc("ServiceUnavailable"),
            Backoff(R::TransientCode),
            Backoff(R::TransientCode),
        ),
        (
            svc("ServiceNotAvailable"),
            Backoff(R::TransientCode),
            Backoff(R::TransientCode),
        ),
        (svc("AuthFailure.SignatureExpire"), Clock(900), Clock(900)),
        (
            O::ServiceError {
                code: "AuthFailure.SignatureExpire",
                server_time: None,
            },
            Stop(S::ClockNotCorrectable),
            Stop(S::ClockNotCorrectable),
        ),
        (
            svc("AuthFailure.SignatureFailure"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            svc("InternalError"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            svc("InvalidParameter.UserSig"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            svc("ResourceNotFound"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            svc("ResourceUnavailable"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            svc("LimitExceeded"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            svc("FailedOperation.TaskExist"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            svc("Whatever.Else"),
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            O::InvalidResponse { status: 502 },
            Backoff(R::GatewayStatus),
            Backoff(R::GatewayStatus),
        ),
        (
            O::InvalidResponse { status: 503 },
            Backoff(R::GatewayStatus),
            Backoff(R::GatewayStatus),
        ),
        (
            O::InvalidResponse { status: 504 },
            Backoff(R::GatewayStatus),
            Backoff(R::GatewayStatus),
        ),
        (
            O::InvalidResponse { status: 500 },
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            O::InvalidResponse { status: 200 },
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            O::InvalidResponse { status: 429 },
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (
            O::UnexpectedSuccess,
            Stop(S::NotRetryable),
            Stop(S::NotRetryable),
        ),
        (O::TooLarge, Stop(S::NotRetryable), Stop(S::NotRetryable)),
        (O::ConnectFailed, Backoff(R::NotSent), Backoff(R::NotSent)),
        (
            O::SendFailed,
            Stop(S::MayHaveTakenEffect),
            Backoff(R::AfterSendAllowed),
        ),
        (
            O::Truncated,
            Stop(S::MayHaveTakenEffect),
            Backoff(R::AfterSendAllowed),
        ),
        (
            O::TimedOut,
            Stop(S::MayHaveTakenEffect),
            Backoff(R::AfterSendAllowed),
        ),
        (O::DeadlineExceeded, Stop(S::Deadline), Stop(S::Deadline)),
    ];

    /// The decision `expect` stands for at `attempt` of `config`: a backoff
    /// retry on the last attempt is "exhausted"; a clock correction is
    /// outside the budget; stops stay stops.
    fn decision(expect: Expect, config: &RetryConfig, attempt: u32) -> RetryDecision {
        match expect {
            Stop(reason) => RetryDecision::Stop(reason),
            Clock(offset) => RetryDecision::CorrectClock { offset },
            Backoff(_) if attempt >= config.max_attempts => {
                RetryDecision::Stop(S::AttemptsExhausted)
            }
            Backoff(reason) => RetryDecision::Retry {
                reason,
                wait: Wait::Jittered {
                    cap: config.backoff_cap(attempt + 1),
                },
            },
        }
    }

    #[test]
    fn classification_table() {
        let standard = RetryConfig::standard();
        let lenient = RetryConfig::standard().retry_after_send(true);
        for &(outcome, default, after_send) in TABLE {
            for attempt in [1, 2, 3] {
                let state = CallState {
                    attempt,
                    clock_corrected: false,
                    now: 100,
                };
                for (config, expect) in [(&standard, default), (&lenient, after_send)] {
                    assert_eq!(
                        classify(outcome, config, state),
                        decision(expect, config, attempt),
                        "{outcome:?} on attempt {attempt} of {config:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_clock_is_corrected_once_per_call() {
        let outcome = AttemptOutcome::ServiceError {
            code: "AuthFailure.SignatureExpire",
            server_time: Some(50),
        };
        let state = CallState {
            attempt: 2,
            clock_corrected: true,
            now: 100,
        };
        assert_eq!(
            classify(outcome, &RetryConfig::standard(), state),
            RetryDecision::Stop(StopReason::ClockNotCorrectable)
        );
        let fresh = CallState {
            clock_corrected: false,
            ..state
        };
        assert_eq!(
            classify(outcome, &RetryConfig::standard(), fresh),
            RetryDecision::CorrectClock { offset: -50 }
        );
    }

    #[test]
    fn backoff_cap_follows_the_attempt() {
        let config = RetryConfig::standard().max_attempts(5);
        for attempt in 1..5 {
            let state = CallState {
                attempt,
                clock_corrected: false,
                now: 0,
            };
            match classify(AttemptOutcome::ConnectFailed, &config, state) {
                RetryDecision::Retry {
                    wait: Wait::Jittered { cap },
                    ..
                } => assert_eq!(cap, config.backoff_cap(attempt + 1)),
                other => panic!("attempt {attempt}: {other:?}"),
            }
        }
        assert!(Wait::Now.sample().is_zero());
        for _ in 0..50 {
            assert!(
                Wait::Jittered {
                    cap: Duration::from_millis(3)
                }
                .sample()
                    <= Duration::from_millis(3)
            );
        }
    }

    #[test]
    fn disabled_never_retries() {
        let state = CallState {
            attempt: 1,
            clock_corrected: false,
            now: 0,
        };
        assert_eq!(
            classify(
                AttemptOutcome::ConnectFailed,
                &RetryConfig::disabled(),
                state
            ),
            RetryDecision::Stop(StopReason::AttemptsExhausted)
        );
        // The clock correction is outside the budget, even with one attempt.
        assert!(matches!(
            classify(
                AttemptOutcome::ServiceError {
                    code: "AuthFailure.SignatureExpire",
                    server_time: Some(9)
                },
                &RetryConfig::disabled(),
                state
            ),
            RetryDecision::CorrectClock { offset: 9 }
        ));
    }

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
