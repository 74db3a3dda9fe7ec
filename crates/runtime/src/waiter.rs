//! Waiters: poll one read-only action until the status it reports is a
//! success or a failure state, the task is gone, or the maximum wait passes.
//!
//! Generated crates describe each waiter of the spec with a [`WaiterMeta`] and
//! call [`wait`] with a function that sends the Describe action once and one
//! that reads the status out of its output; the CLI does the same over JSON.
//! The rules live here, compiled once:
//!
//! - only the given poll function is called: a waiter never sends a mutation;
//! - a status in `success` ends the wait with [`WaiterOutcome::Reached`], one
//!   in `failure` with [`WaiterOutcome::Failed`]; any other status (including
//!   one the spec does not know) matches nothing and the wait goes on;
//! - an error whose code is one of `not_found_codes` means the task does not
//!   exist: success, failure or an error, as the spec says ([`NotFound`]);
//! - another service error that is retryable (rate limited, unavailable), or a
//!   connection or timeout failure, counts as a poll that saw nothing (the
//!   client has already retried it); any other error ends the wait with it;
//! - after `max_wait` the wait ends with [`WaiterOutcome::TimedOut`]; the last
//!   sleep is cut to end at the deadline, and one last poll is made there.

use std::future::Future;
use std::time::Duration;

use crate::error::{DispatchKind, ProvideApiError, SdkError};

pub use crate::meta::{Matched, NotFound, WaiterMeta};

/// How a wait ended (other than with an error).
#[derive(Debug)]
pub enum WaiterOutcome<O> {
    /// A success state was reached (`last` is `None` when the task was gone
    /// and the spec declares that a success).
    Reached {
        /// The last output.
        last: Option<O>,
        /// How many polls were made.
        polls: u32,
    },
    /// A failure state was reached (`last` is `None` when the task was gone
    /// and the spec declares that a failure).
    Failed {
        /// The last output.
        last: Option<O>,
        /// The failure state, or the not-found error code.
        state: String,
        /// How many polls were made.
        polls: u32,
    },
    /// The maximum wait passed first.
    TimedOut {
        /// The last output, if any poll succeeded.
        last: Option<O>,
        /// How many polls were made.
        polls: u32,
    },
}

impl<O> WaiterOutcome<O> {
    /// Whether a success state was reached.
    pub fn is_reached(&self) -> bool {
        matches!(self, WaiterOutcome::Reached { .. })
    }

    /// The last output seen.
    pub fn last(&self) -> Option<&O> {
        match self {
            WaiterOutcome::Reached { last, .. }
            | WaiterOutcome::Failed { last, .. }
            | WaiterOutcome::TimedOut { last, .. } => last.as_ref(),
        }
    }

    /// How many polls were made.
    pub fn polls(&self) -> u32 {
        match self {
            WaiterOutcome::Reached { polls, .. }
            | WaiterOutcome::Failed { polls, .. }
            | WaiterOutcome::TimedOut { polls, .. } => *polls,
        }
    }
}

/// A status value as text: strings as they are, numbers and booleans in JSON.
pub fn status_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The status at `pointer` (`/Status`) of an output, as text: the output is
/// serialized with its wire names, so generated code needs no per-type reader.
pub fn status_at<O: serde::Serialize>(output: &O, pointer: &str) -> Option<String> {
    let v = serde_json::to_value(output).ok()?;
    v.pointer(pointer).and_then(status_text)
}

/// Waits: calls `poll` every `interval` until `status` of its output matches,
/// the task is gone, an error ends it, or `max_wait` passes.
pub async fn wait<O, E, F, Fut>(
    meta: &WaiterMeta,
    interval: Duration,
    max_wait: Duration,
    status: &(dyn Fn(&O) -> Option<String> + Send + Sync),
    mut poll: F,
) -> Result<WaiterOutcome<O>, SdkError<E>>
where
    E: ProvideApiError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    // A maximum wait too large to add to the clock never ends the wait.
    let deadline = tokio::time::Instant::now().checked_add(max_wait);
    let mut last: Option<O> = None;
    let mut polls = 0u32;
    loop {
        polls += 1;
        match poll().await {
            Ok(out) => {
                let st = status(&out);
                match meta.classify(st.as_deref()) {
                    Matched::Success => {
                        return Ok(WaiterOutcome::Reached {
                            last: Some(out),
                            polls,
                        })
                    }
                    Matched::Failure => {
                        return Ok(WaiterOutcome::Failed {
                            last: Some(out),
                            state: st.unwrap_or_default(),
                            polls,
                        })
                    }
                    Matched::Nothing => last = Some(out),
                }
            }
            Err(e) => {
                let code = e.code().map(str::to_owned);
                match code {
                    Some(c) if meta.is_not_found(&c) => match meta.not_found {
                        NotFound::Success => {
                            return Ok(WaiterOutcome::Reached { last: None, polls })
                        }
                        NotFound::Failure => {
                            return Ok(WaiterOutcome::Failed {
                                last: None,
                                state: c,
                                polls,
                            })
                        }
                        NotFound::Error => return Err(e),
                    },
                    _ if transient(&e) => {}
                    _ => return Err(e),
                }
            }
        }
        let now = tokio::time::Instant::now();
        let sleep = match deadline {
            Some(d) if now >= d => return Ok(WaiterOutcome::TimedOut { last, polls }),
            Some(d) => interval.min(d - now),
            None => interval,
        };
        tokio::time::sleep(sleep).await;
    }
}

/// Whether an error (already retried by the client) still lets the wait go on.
fn transient<E: ProvideApiError>(e: &SdkError<E>) -> bool {
    match e {
        SdkError::Service(s) => s.err().api_error().is_retryable(),
        SdkError::Dispatch(d) => matches!(d.kind(), DispatchKind::Connect | DispatchKind::Timeout),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use std::sync::atomic::{AtomicU32, Ordering};

    use std::borrow::Cow;

    static META: WaiterMeta = WaiterMeta {
        name: Cow::Borrowed("T"),
        action: Cow::Borrowed("DescribeT"),
        status: Cow::Borrowed("Status"),
        success: Cow::Borrowed(&[Cow::Borrowed("Done")]),
        failure: Cow::Borrowed(&[Cow::Borrowed("Broken")]),
        not_found: NotFound::Success,
        not_found_codes: Cow::Borrowed(&[Cow::Borrowed("ResourceNotFound")]),
        interval: Duration::from_millis(1),
        max_wait: Duration::from_millis(50),
    };

    fn service(code: &str) -> SdkError<ApiError> {
        SdkError::Service(crate::error::ServiceError {
            action: "DescribeT".into(),
            attempts: 1,
            err: ApiError::new(code, "m", "rid"),
            trace_id: None,
        })
    }

    async fn run(
        script: Vec<Result<&'static str, &'static str>>,
    ) -> (Result<WaiterOutcome<String>, SdkError<ApiError>>, u32) {
        let n = AtomicU32::new(0);
        let script = std::sync::Mutex::new(script.into_iter());
        let r = wait(
            &META,
            META.interval,
            META.max_wait,
            &|o: &String| Some(o.clone()),
            || {
                n.fetch_add(1, Ordering::SeqCst);
                let next = script.lock().unwrap().next();
                async move {
                    match next {
                        Some(Ok(s)) => Ok(s.to_owned()),
                        Some(Err(code)) => Err(service(code)),
                        None => Ok("Running".to_owned()),
                    }
                }
            },
        )
        .await;
        (r, n.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn unknown_states_match_nothing_until_success() {
        let (r, n) = run(vec![Ok("Idle"), Ok("Whatever"), Ok("Done")]).await;
        assert!(
            matches!(r, Ok(WaiterOutcome::Reached { last: Some(ref s), polls: 3 }) if s == "Done")
        );
        assert_eq!(n, 3);
    }

    #[tokio::test]
    async fn failure_state_ends_with_the_last_output() {
        let (r, _) = run(vec![Ok("Idle"), Ok("Broken")]).await;
        assert!(
            matches!(r, Ok(WaiterOutcome::Failed { ref state, last: Some(_), .. }) if state == "Broken")
        );
    }

    #[tokio::test]
    async fn not_found_is_what_the_spec_says() {
        let (r, _) = run(vec![Ok("Idle"), Err("ResourceNotFound")]).await;
        assert!(matches!(
            r,
            Ok(WaiterOutcome::Reached {
                last: None,
                polls: 2
            })
        ));
    }

    #[tokio::test]
    async fn retryable_errors_continue_and_others_end_the_wait() {
        let (r, n) = run(vec![
            Err("RequestLimitExceeded"),
            Err("InvalidParameter.TaskId"),
            Ok("Done"),
        ])
        .await;
        assert_eq!(r.unwrap_err().code(), Some("InvalidParameter.TaskId"));
        assert_eq!(n, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn times_out_with_the_last_output() {
        let (r, _) = run(vec![]).await;
        match r {
            Ok(WaiterOutcome::TimedOut {
                last: Some(s),
                polls,
            }) => {
                assert_eq!(s, "Running");
                assert!(polls > 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
