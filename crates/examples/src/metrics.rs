//! An interceptor that counts: calls, attempts (retries show as attempts
//! beyond the calls), answers by HTTP status, failures by error code. The
//! counters are plain atomics behind a map: read them from your metrics
//! exporter. `cargo run --example metrics` runs it against the local endpoint.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tencentcloud_trtc::runtime::error::BoxError;
use tencentcloud_trtc::runtime::interceptor::{CallInfo, Interceptor, ResponseInfo};
use tencentcloud_trtc::runtime::transport::HeaderMap;
use tencentcloud_trtc::runtime::ApiError;
use tencentcloud_trtc::SdkError;

/// The counters (cheap to clone: clones count together).
#[derive(Clone, Debug, Default)]
pub struct Metrics {
    inner: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    attempts: AtomicU64,
    first_attempts: AtomicU64,
    by_status: Mutex<BTreeMap<u16, u64>>,
    failures: Mutex<BTreeMap<String, u64>>,
}

/// What was counted, per action where it matters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Calls started.
    pub calls: u64,
    /// Attempts sent (calls plus retries).
    pub attempts: u64,
    /// HTTP responses by status.
    pub by_status: BTreeMap<u16, u64>,
    /// Failed calls by error code (`dispatch` and `response` for failures without one).
    pub failures: BTreeMap<String, u64>,
}

impl Metrics {
    /// New counters.
    pub fn new() -> Self {
        Metrics::default()
    }

    /// What was counted so far.
    pub fn snapshot(&self) -> Snapshot {
        let c = &self.inner;
        Snapshot {
            calls: c.first_attempts.load(Ordering::Relaxed),
            attempts: c.attempts.load(Ordering::Relaxed),
            by_status: lock(&c.by_status).clone(),
            failures: lock(&c.failures).clone(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Interceptor for Metrics {
    fn before_signing(&self, call: &CallInfo<'_>, _: &mut HeaderMap) -> Result<(), BoxError> {
        self.inner.attempts.fetch_add(1, Ordering::Relaxed);
        if call.attempt() == 1 {
            self.inner.first_attempts.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn after_response(&self, _: &CallInfo<'_>, response: &ResponseInfo<'_>) {
        *lock(&self.inner.by_status)
            .entry(response.status())
            .or_default() += 1;
    }

    fn on_error(&self, _: &CallInfo<'_>, error: &SdkError<ApiError>) {
        let key = match error {
            SdkError::Service(s) => s.err().code().to_owned(),
            SdkError::Dispatch(_) => "dispatch".to_owned(),
            SdkError::Response(_) => "response".to_owned(),
            _ => "not_sent".to_owned(),
        };
        *lock(&self.inner.failures).entry(key).or_default() += 1;
    }
}
