//! Test doubles below the client (feature `test-util`): a rule-based mock
//! transport ([`MockTransport`]) and record and replay ([`RecordingTransport`],
//! [`ReplayTransport`]). Both are [`HttpTransport`](crate::transport::HttpTransport)s:
//! give one to [`ConfigBuilder::transport`](crate::ConfigBuilder::transport),
//! and every call still runs the client's whole pipeline (signing, headers,
//! trace IDs, interceptors, retries, the budget, parsing).

mod mock;
mod replay;

pub use mock::{MockCall, MockResponse, MockTransport, Rule, RuleHandle};
pub use replay::{
    RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse, RecordingTransport,
    ReplayTransport,
};

pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}
