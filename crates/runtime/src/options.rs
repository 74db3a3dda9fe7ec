//! Per-call overrides ([`CallOptions`], what generated builders' `customize`
//! sets) and the rule for extra headers.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::config::Endpoint;
use crate::interceptor::{Interceptor, SharedInterceptor};
use crate::retry::RetryConfig;

/// The headers the signer (or the transport) owns: set by the client on
/// every request, so an extra header with one of these names (from the
/// configuration, a call or an interceptor) is refused. `X-TC-TraceId` is set
/// with `trace_id`, not as a header.
pub const SIGNER_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "content-length",
    "host",
    "transfer-encoding",
    "connection",
    "x-tc-action",
    "x-tc-version",
    "x-tc-timestamp",
    "x-tc-region",
    "x-tc-token",
    "x-tc-language",
    "x-tc-requestclient",
    "x-tc-content-sha256",
    "x-tc-traceid",
];

/// Checks an extra header: a valid name that the signer does not own, and a
/// valid value. The error says which and why.
pub fn check_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let parsed = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("header name {name:?} is not a valid HTTP header name"))?;
    check_header_name(&parsed)?;
    let value = HeaderValue::from_str(value)
        .map_err(|_| format!("the value of header {name} is not a valid HTTP header value"))?;
    Ok((parsed, value))
}

/// Refuses the names in [`SIGNER_HEADERS`].
pub(crate) fn check_header_name(name: &HeaderName) -> Result<(), String> {
    if name == crate::trace::X_TC_TRACE_ID {
        return Err(format!(
            "header {name} is set by the client; give your own trace ID with `trace_id` instead"
        ));
    }
    if SIGNER_HEADERS.contains(&name.as_str()) {
        return Err(format!(
            "header {name} is owned by the signer and cannot be set (the signer owns: {})",
            SIGNER_HEADERS.join(", ")
        ));
    }
    Ok(())
}

/// Overrides of the client's configuration for one call (and the pages of one
/// paginator, and the polls of one waiter). Generated fluent builders,
/// paginators and waiters take them through `customize`:
///
/// ```no_run
/// # use std::time::Duration;
/// # use tencentcloud_runtime::CallOptions;
/// let options = CallOptions::new()
///     .attempt_timeout(Duration::from_secs(2))
///     .retry_after_send(true) // this one call is safe to repeat
///     .header("X-Request-Source", "billing-job")
///     .trace_id("order-42");
/// # let _ = options;
/// ```
///
/// A value that cannot be used (a header the signer owns, a bad region or
/// endpoint) fails the call before anything is sent, naming it.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) attempt_timeout: Option<Option<Duration>>,
    pub(crate) call_timeout: Option<Option<Duration>>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) retry_after_send: Option<bool>,
    pub(crate) headers: HeaderMap,
    pub(crate) trace_id: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) interceptors: Vec<SharedInterceptor>,
    pub(crate) skip_limit_checks: Option<bool>,
    pub(crate) invalid: Option<String>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may carry anything: names only.
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("CallOptions")
            .field("attempt_timeout", &self.attempt_timeout)
            .field("call_timeout", &self.call_timeout)
            .field("retry", &self.retry)
            .field("retry_after_send", &self.retry_after_send)
            .field("headers", &headers)
            .field("trace_id", &self.trace_id)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("interceptors", &self.interceptors.len())
            .field("skip_limit_checks", &self.skip_limit_checks)
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    fn invalid(mut self, problem: String) -> Self {
        self.invalid.get_or_insert(problem);
        self
    }

    /// This call's attempt timeout (`None`: no limit).
    pub fn attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt_timeout = Some(timeout.into());
        self
    }

    /// This call's deadline, retries included (`None`: no limit).
    pub fn call_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.call_timeout = Some(timeout.into());
        self
    }

    /// This call's retry policy (the client's retry budget still applies).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Retry this call also after a failure that may have reached the server
    /// (see [`RetryConfig::retry_after_send`]): for one call that is safe to repeat.
    pub fn retry_after_send(mut self, yes: bool) -> Self {
        self.retry_after_send = Some(yes);
        self
    }

    /// Adds a header (after the client's; a second value for the same name
    /// is added beside the first). A header the signer owns is refused.
    pub fn header(self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match check_header(name.as_ref(), value.as_ref()) {
            Ok((n, v)) => {
                let mut s = self;
                s.headers.append(n, v);
                s
            }
            Err(e) => self.invalid(e),
        }
    }

    /// The call's `X-TC-TraceId` (default: a fresh UUID): visible ASCII, at
    /// most 128 characters.
    pub fn trace_id(self, id: impl Into<String>) -> Self {
        let id = id.into();
        match crate::trace::check_trace_id(&id) {
            Ok(()) => CallOptions {
                trace_id: Some(id),
                ..self
            },
            Err(e) => self.invalid(e),
        }
    }

    /// The region of this call (the region check applies to it).
    pub fn region(self, region: impl Into<String>) -> Self {
        let region = region.into();
        match crate::config::check_region(&region) {
            Ok(()) => CallOptions {
                region: Some(region),
                ..self
            },
            Err(e) => self.invalid(e.to_string()),
        }
    }

    /// Where this call goes (see [`Endpoint`] for what it does to actions
    /// with their own host).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        if let Endpoint::Url(u) = &endpoint {
            if let Err(e) = crate::config::ResolvedEndpoint::from_url(u) {
                return self.invalid(e.to_string());
            }
        }
        self.endpoint = Some(endpoint);
        self
    }

    /// [`CallOptions::endpoint`] with a URL or host.
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        self.endpoint(Endpoint::Url(url.into()))
    }

    /// Adds an interceptor for this call, after the client's.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Adds a shared interceptor for this call, after the client's.
    pub fn shared_interceptor(mut self, interceptor: SharedInterceptor) -> Self {
        self.interceptors.push(interceptor);
        self
    }

    /// Sends this call even when a value is outside its documented limit
    /// (or, with `false`, checks this call although the client skips the
    /// checks): [`ConfigBuilder::skip_limit_checks`](crate::ConfigBuilder::skip_limit_checks)
    /// for one call.
    pub fn skip_limit_checks(mut self, skip: bool) -> Self {
        self.skip_limit_checks = Some(skip);
        self
    }

    /// The first value that could not be used, if any (the call fails with it).
    pub fn problem(&self) -> Option<&str> {
        self.invalid.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_the_signer_owns_are_refused_by_name() {
        for name in [
            "Authorization",
            "X-TC-Action",
            "x-tc-timestamp",
            "X-TC-Token",
            "Host",
            "Content-Type",
        ] {
            let e = check_header(name, "x").unwrap_err();
            assert!(e.contains("owned by the signer"), "{name}: {e}");
            assert!(e.contains(&name.to_ascii_lowercase()), "{e}");
        }
        let e = check_header("X-TC-TraceId", "abc").unwrap_err();
        assert!(e.contains("trace_id"), "{e}");
        assert!(check_header("bad name", "x")
            .unwrap_err()
            .contains("not a valid HTTP header name"));
        assert!(check_header("X-Ok", "line\nbreak")
            .unwrap_err()
            .contains("value of header X-Ok"));
        assert!(check_header("X-Request-Source", "job").is_ok());
    }

    #[test]
    fn the_first_problem_is_kept() {
        let o = CallOptions::new()
            .header("X-TC-Action", "Other")
            .region("Not A Region")
            .header("X-Fine", "1");
        assert!(o.problem().unwrap().contains("x-tc-action"));
        assert_eq!(o.headers.len(), 1);
        let o = CallOptions::new().trace_id("a b");
        assert!(o.problem().unwrap().contains("visible ASCII"));
        let o = CallOptions::new().endpoint_url("ftp://x");
        assert!(o.problem().unwrap().contains("invalid endpoint"));
        assert!(CallOptions::new().trace_id("t-1").problem().is_none());
    }
}
