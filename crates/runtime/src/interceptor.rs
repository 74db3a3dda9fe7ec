//! Interceptors: code of yours that every call runs through, for audit logs,
//! metrics, header injection, or a test looking at what was sent.
//!
//! The hooks that apply to API 3.0 (one signed JSON `POST` per attempt):
//!
//! | hook | when | may |
//! |---|---|---|
//! | [`before_signing`](Interceptor::before_signing) | each attempt, before the request is signed | add or change headers (not the ones the signer owns); refuse the call |
//! | [`after_signing`](Interceptor::after_signing) | each attempt, the signed request ready to send | read it |
//! | [`after_response`](Interceptor::after_response) | each attempt that got an HTTP response | read status, headers and body (no body for an event stream) |
//! | [`on_error`](Interceptor::on_error) | once, when the call fails (after its retries) | read the error |
//!
//! Interceptors run in order: the client's ([`ConfigBuilder::interceptor`](crate::ConfigBuilder::interceptor)),
//! then the call's ([`CallOptions::interceptor`](crate::CallOptions::interceptor)).
//! Hooks are synchronous and should be quick: they run on the call's task.

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;

use crate::error::{ApiError, BoxError, SdkError};
use crate::meta::ActionMeta;
use crate::transport::HttpRequest;

/// Hooks into every call. Every method has an empty default: implement the
/// ones you need.
pub trait Interceptor: Send + Sync {
    /// Before the attempt is signed: `headers` holds the headers of the
    /// client, of the call and of earlier interceptors (not the signer's),
    /// and may be changed. A header the signer owns (see
    /// [`crate::options::SIGNER_HEADERS`]) fails the call. An `Err` refuses
    /// the call before anything is sent.
    fn before_signing(&self, call: &CallInfo<'_>, headers: &mut HeaderMap) -> Result<(), BoxError> {
        let _ = (call, headers);
        Ok(())
    }

    /// The signed request, about to be sent.
    fn after_signing(&self, call: &CallInfo<'_>, request: &HttpRequest) {
        let _ = (call, request);
    }

    /// An HTTP response to the attempt, before it is interpreted.
    fn after_response(&self, call: &CallInfo<'_>, response: &ResponseInfo<'_>) {
        let _ = (call, response);
    }

    /// The call failed with `error` (after its retries).
    fn on_error(&self, call: &CallInfo<'_>, error: &SdkError<ApiError>) {
        let _ = (call, error);
    }
}

/// An interceptor shared by configurations and calls.
pub type SharedInterceptor = Arc<dyn Interceptor>;

/// What a hook knows about the call.
#[derive(Clone, Copy)]
pub struct CallInfo<'a> {
    pub(crate) service: &'a str,
    pub(crate) version: &'a str,
    pub(crate) action: &'a ActionMeta,
    pub(crate) trace_id: &'a str,
    pub(crate) attempt: u32,
    pub(crate) region: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

impl<'a> CallInfo<'a> {
    /// The service (`trtc`).
    pub fn service(&self) -> &'a str {
        self.service
    }

    /// The API version (`2019-07-22`).
    pub fn version(&self) -> &'a str {
        self.version
    }

    /// The action, with its sensitive members ([`ActionMeta::sensitive`]).
    pub fn action(&self) -> &'a ActionMeta {
        self.action
    }

    /// The call's `X-TC-TraceId`.
    pub fn trace_id(&self) -> &'a str {
        self.trace_id
    }

    /// The attempt (1 for the first; in [`Interceptor::on_error`], the last made).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The region the call is sent for.
    pub fn region(&self) -> Option<&'a str> {
        self.region
    }

    /// The request body (JSON). Mask it with [`crate::redact`] before logging.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }
}

impl fmt::Debug for CallInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallInfo")
            .field("service", &self.service)
            .field("action", &self.action.name)
            .field("trace_id", &self.trace_id)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

/// An HTTP response as [`Interceptor::after_response`] sees it.
#[derive(Clone, Copy, Debug)]
pub struct ResponseInfo<'a> {
    pub(crate) status: u16,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: Option<&'a [u8]>,
}

impl<'a> ResponseInfo<'a> {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The whole body; `None` for an event stream (read by the caller).
    pub fn body(&self) -> Option<&'a [u8]> {
        self.body
    }
}

/// Runs `f` for each interceptor of the client, then of the call.
pub(crate) fn each(
    client: &[SharedInterceptor],
    call: &[SharedInterceptor],
    mut f: impl FnMut(&dyn Interceptor),
) {
    for i in client.iter().chain(call) {
        f(i.as_ref());
    }
}
