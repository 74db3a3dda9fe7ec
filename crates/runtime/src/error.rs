//! Errors: what a call can fail with, from a missing member to a service error code.

use std::error::Error as StdError;
use std::fmt;

#[cfg(feature = "client")]
use crate::credentials::CredentialsError;

/// A boxed error source.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// An error code answered by the service, with its message and RequestId.
///
/// This is the payload of `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
/// Generated per-action error enums wrap it, one variant per documented code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApiError {
    code: String,
    message: String,
    request_id: String,
}

impl ApiError {
    /// An error as the service sent it.
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        request_id: impl Into<String>,
    ) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
            request_id: request_id.into(),
        }
    }

    /// The error code, e.g. `AuthFailure.SignatureFailure`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The RequestId the service assigned (empty only if a broken server omitted it).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The category of the code (auth failure, throttling, ...).
    pub fn category(&self) -> ErrorCategory {
        ErrorCategory::of(&self.code)
    }

    /// Whether sending the request again (signed anew) can succeed: see [`code_retry`].
    pub fn is_retryable(&self) -> bool {
        is_retryable_code(&self.code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if self.request_id.is_empty() {
            f.write_str(" (no RequestId)")
        } else {
            write!(f, " (RequestId: {})", self.request_id)
        }
    }
}

impl StdError for ApiError {}

/// Implemented by every typed service error so generic code can reach the code,
/// message and RequestId.
pub trait ProvideApiError {
    /// The code, message and RequestId.
    fn api_error(&self) -> &ApiError;
}

impl ProvideApiError for ApiError {
    fn api_error(&self) -> &ApiError {
        self
    }
}

/// What every action's typed error tells (as aws-smithy-types'
/// `ProvideErrorMetadata`): the typed code, the message, the RequestId and
/// whether a retry can help. Generated errors implement it with one line
/// (`type Code = ErrorCode;`); the methods are these defaults, over
/// [`ProvideApiError::api_error`]. Bring it into scope to call them
/// (`use tencentcloud_trtc::prelude::*`, or the service's
/// `error::ProvideErrorMetadata`).
pub trait ProvideErrorMetadata: ProvideApiError {
    /// The service's typed code (its `ErrorCode`), which keeps unknown codes.
    type Code: for<'a> From<&'a str>;

    /// The typed code.
    fn code(&self) -> Self::Code {
        Self::Code::from(self.api_error().code())
    }

    /// The message.
    fn message(&self) -> &str {
        self.api_error().message()
    }

    /// The RequestId.
    fn request_id(&self) -> &str {
        self.api_error().request_id()
    }

    /// Whether sending the same request again can succeed.
    fn is_retryable(&self) -> bool {
        self.api_error().is_retryable()
    }
}

/// Broad classes of Tencent Cloud error codes, decided by the code's first segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCategory {
    /// `AuthFailure*`: signature, credentials, permissions.
    AuthFailure,
    /// `RequestLimitExceeded*`: the caller is rate limited.
    RateLimited,
    /// `InvalidParameter*`, `InvalidParameterValue*`, `MissingParameter*`, `UnknownParameter*`,
    /// `InvalidAction`, `NoSuchVersion`, `UnsupportedRegion`, `UnsupportedProtocol`, `InvalidRequest`, ...
    InvalidRequest,
    /// `ResourceNotFound*`.
    ResourceNotFound,
    /// `ResourceUnavailable*`, `ResourceInUse*`, `ResourceInsufficient*`.
    ResourceUnavailable,
    /// `LimitExceeded*`: a quota, not a rate.
    LimitExceeded,
    /// `UnauthorizedOperation*`, `OperationDenied*`.
    Denied,
    /// `UnsupportedOperation*`.
    UnsupportedOperation,
    /// `FailedOperation*`: the operation was understood but could not be done.
    FailedOperation,
    /// `InternalError*`.
    InternalError,
    /// `ServiceUnavailable*`, `ServiceNotAvailable*`.
    ServiceUnavailable,
    /// Anything else.
    Other,
}

impl ErrorCategory {
    /// Classifies a code by its first dotted segment.
    pub fn of(code: &str) -> ErrorCategory {
        let head = code.split('.').next().unwrap_or(code);
        match head {
            "AuthFailure" => ErrorCategory::AuthFailure,
            "RequestLimitExceeded" => ErrorCategory::RateLimited,
            "InvalidParameter"
            | "InvalidParameterValue"
            | "MissingParameter"
            | "UnknownParameter"
            | "InvalidAction"
            | "NoSuchVersion"
            | "UnsupportedRegion"
            | "UnsupportedProtocol"
            | "InvalidRequest"
            | "NoSuchProduct"
            | "RequestSizeLimitExceeded"
            | "ActionOffline"
            | "InvalidParameterConflict"
            | "InvalidFilter" => ErrorCategory::InvalidRequest,
            "ResourceNotFound" => ErrorCategory::ResourceNotFound,
            "ResourceUnavailable" | "ResourceInUse" | "ResourceInsufficient" => {
                ErrorCategory::ResourceUnavailable
            }
            "LimitExceeded" => ErrorCategory::LimitExceeded,
            "UnauthorizedOperation" | "OperationDenied" => ErrorCategory::Denied,
            "UnsupportedOperation" => ErrorCategory::UnsupportedOperation,
            "FailedOperation" => ErrorCategory::FailedOperation,
            "InternalError" => ErrorCategory::InternalError,
            "ServiceUnavailable" | "ServiceNotAvailable" => ErrorCategory::ServiceUnavailable,
            _ => ErrorCategory::Other,
        }
    }

    /// Whether a code of this category is worth sending again unchanged: rate limiting
    /// and unavailability are transient and mean the request was not carried out.
    ///
    /// A category cannot say everything: `AuthFailure.SignatureExpire` is an
    /// `AuthFailure` that a re-signed request with a corrected clock can get past.
    /// [`code_retry`] is the rule for a code.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCategory::RateLimited | ErrorCategory::ServiceUnavailable
        )
    }
}

/// What sending a request again can do about a service error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRetry {
    /// The error is transient ([`ErrorCategory::is_retryable`]): the same request
    /// may succeed later.
    Transient,
    /// `AuthFailure.SignatureExpire`: the request's timestamp is too far from the
    /// server's clock; a request signed again with a corrected clock can succeed
    /// (the client does this once per call, from the server's `Date`).
    ClockSkew,
    /// Sending the request again gives the same error.
    Permanent,
}

/// The rule for service error codes, used by the client's retry decisions
/// ([`crate::retry`]) and by [`ApiError::is_retryable`].
pub fn code_retry(code: &str) -> CodeRetry {
    if code == "AuthFailure.SignatureExpire" {
        CodeRetry::ClockSkew
    } else if ErrorCategory::of(code).is_retryable() {
        CodeRetry::Transient
    } else {
        CodeRetry::Permanent
    }
}

/// Whether a request that failed with `code` can succeed when sent again
/// (re-signed): [`code_retry`] is not [`CodeRetry::Permanent`].
pub fn is_retryable_code(code: &str) -> bool {
    code_retry(code) != CodeRetry::Permanent
}

/// A model builder was asked to build without a required member.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A required member was not set.
    MissingMember {
        /// The shape being built, e.g. `TranscriptionParam`.
        shape: &'static str,
        /// The member's wire name, e.g. `UserSig`.
        member: &'static str,
    },
}

impl BuildError {
    /// A required member is missing.
    pub fn missing(shape: &'static str, member: &'static str) -> Self {
        BuildError::MissingMember { shape, member }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingMember { shape, member } => {
                write!(f, "required member `{member}` of `{shape}` is not set")
            }
        }
    }
}

impl StdError for BuildError {}

/// The request was refused before anything was sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConstructionError {
    /// The input is incomplete.
    Build(BuildError),
    /// No region is configured and the action needs one.
    MissingRegion,
    /// The configured region is not one the action is documented to support.
    UnsupportedRegion {
        /// The region that was configured.
        region: String,
        /// The regions the action supports.
        supported: Vec<String>,
    },
    /// The input could not be serialized.
    Serialize(serde_json::Error),
    /// The service or action description is unusable (a hand-made `ActionMeta`).
    InvalidMeta(String),
    /// A per-call option is unusable (a header the signer owns, a bad
    /// region, endpoint or trace ID): see `CallOptions`.
    InvalidOptions(String),
    /// An interceptor refused the call before it was signed.
    Interceptor(BoxError),
    /// Values are outside their documented limits (see the runtime's
    /// `limits`); `ConfigBuilder::skip_limit_checks(true)` sends anyway.
    Limits(crate::limits::LimitError),
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConstructionError::Build(e) => e.fmt(f),
            ConstructionError::MissingRegion => f.write_str(
                "no region configured: set one with ConfigBuilder::region or TENCENTCLOUD_REGION",
            ),
            ConstructionError::UnsupportedRegion { region, supported } => write!(
                f,
                "region `{region}` is not supported (supported: {}); \
                 set ConfigBuilder::skip_region_check(true) to send anyway",
                supported.join(", ")
            ),
            ConstructionError::Serialize(e) => write!(f, "could not serialize the request: {e}"),
            ConstructionError::InvalidMeta(e) => f.write_str(e),
            ConstructionError::InvalidOptions(e) => write!(f, "invalid call options: {e}"),
            ConstructionError::Limits(e) => e.fmt(f),
            ConstructionError::Interceptor(e) => {
                write!(
                    f,
                    "an interceptor refused the call: {}",
                    error_chain(e.as_ref())
                )
            }
        }
    }
}

impl StdError for ConstructionError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ConstructionError::Build(e) => Some(e),
            ConstructionError::Serialize(e) => Some(e),
            ConstructionError::Interceptor(e) => Some(e.as_ref()),
            ConstructionError::Limits(e) => Some(e),
            _ => None,
        }
    }
}

/// How a request failed to get a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DispatchKind {
    /// The connection could not be opened; the request was not sent.
    Connect,
    /// An attempt took longer than the per-attempt timeout.
    Timeout,
    /// The call's overall deadline passed.
    Deadline,
    /// The connection failed while sending or receiving; the request may have been processed.
    Io,
}

/// A request that got no HTTP response.
#[derive(Debug)]
pub struct DispatchError {
    pub(crate) action: crate::meta::Text,
    pub(crate) attempts: u32,
    pub(crate) kind: DispatchKind,
    pub(crate) source: Option<BoxError>,
    pub(crate) trace_id: Option<Box<str>>,
}

impl DispatchError {
    /// The call's `X-TC-TraceId`.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// What went wrong.
    pub fn kind(&self) -> DispatchKind {
        self.kind
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The action that was called.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// Whether the server may have received and carried out the request.
    pub fn may_have_taken_effect(&self) -> bool {
        !matches!(self.kind, DispatchKind::Connect)
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DispatchKind::Connect => "could not connect",
            DispatchKind::Timeout => "timed out",
            DispatchKind::Deadline => "exceeded its deadline",
            DispatchKind::Io => "lost the connection (the request may have been processed)",
        };
        write!(
            f,
            "{} {what} after {}",
            self.action,
            attempts(self.attempts)
        )?;
        if let Some(source) = &self.source {
            write!(f, ": {}", error_chain(source.as_ref()))?;
        }
        Ok(())
    }
}

impl StdError for DispatchError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// What was wrong with a response that is not a valid API 3.0 answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// The HTTP status was not 200.
    Status,
    /// The body is not JSON.
    NotJson(String),
    /// The body ended in the middle of a JSON value.
    Truncated,
    /// The body is JSON but not `{"Response": {...}}`.
    NotEnvelope(String),
    /// The body exceeded the configured size limit.
    TooLarge {
        /// The configured limit in bytes.
        limit: usize,
    },
    /// The `Response` object does not match the action's output shape.
    Output {
        /// Where in the body, e.g. `Response.TaskId`.
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// An event of a stream is not JSON or does not match the event shape.
    Event {
        /// The event's position in the stream, from 0.
        index: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The event stream ended before its last event.
    StreamEnded {
        /// How many events arrived.
        events: usize,
    },
    /// A streaming action answered with a success that is not an event stream.
    NotEventStream {
        /// The `Content-Type` it answered with.
        content_type: String,
    },
}

/// A response that arrived but is not a valid answer.
#[derive(Clone, Debug)]
pub struct ResponseError {
    pub(crate) action: crate::meta::Text,
    pub(crate) attempts: u32,
    pub(crate) status: u16,
    pub(crate) kind: ResponseErrorKind,
    /// The excerpt, and the whole body where it is kept, behind one pointer:
    /// `SdkError` stays small enough for clippy's `result_large_err`.
    pub(crate) body: std::sync::Arc<Body>,
    pub(crate) request_id: Option<String>,
}

/// What a [`ResponseError`] keeps of the body (and its trace ID, to keep
/// the error small).
#[derive(Clone, Debug, Default)]
pub(crate) struct Body {
    excerpt: String,
    whole: Vec<u8>,
    trace_id: Option<Box<str>>,
}

impl ResponseError {
    /// Keeps the whole body as well as its excerpt.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn keep_body(&mut self, body: &[u8]) {
        let trace_id = self.body.trace_id.clone();
        self.body = std::sync::Arc::new(Body {
            excerpt: excerpt(body),
            whole: body.to_vec(),
            trace_id,
        });
    }

    /// Sets the call's trace ID.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn set_trace_id(&mut self, id: Box<str>) {
        std::sync::Arc::make_mut(&mut self.body).trace_id = Some(id);
    }
}

/// How many bytes of a bad body an error keeps.
pub const EXCERPT_LEN: usize = 256;

impl ResponseError {
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn new(
        action: impl Into<crate::meta::Text>,
        status: u16,
        kind: ResponseErrorKind,
        body: &[u8],
    ) -> Self {
        ResponseError {
            action: action.into(),
            attempts: 1,
            status,
            kind,
            body: std::sync::Arc::new(Body {
                excerpt: excerpt(body),
                whole: Vec::new(),
                trace_id: None,
            }),
            request_id: None,
        }
    }

    /// The call's `X-TC-TraceId`.
    pub fn trace_id(&self) -> Option<&str> {
        self.body.trace_id.as_deref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// What is wrong.
    pub fn kind(&self) -> &ResponseErrorKind {
        &self.kind
    }

    /// The start of the body (at most [`EXCERPT_LEN`] bytes, lossily decoded).
    pub fn excerpt(&self) -> &str {
        &self.body.excerpt
    }

    /// The RequestId, if the body had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The whole body of a response that does not match the action's output
    /// shape ([`ResponseErrorKind::Output`]): the call may have taken effect at
    /// the server, and the body says what it did. Empty for other kinds (see
    /// [`ResponseError::excerpt`]).
    pub fn body(&self) -> &[u8] {
        &self.body.whole
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The action that was called.
    pub fn action(&self) -> &str {
        &self.action
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.action)?;
        match &self.kind {
            ResponseErrorKind::Status => write!(f, "HTTP status {}", self.status)?,
            ResponseErrorKind::NotJson(e) => {
                write!(f, "response (HTTP {}) is not JSON: {e}", self.status)?
            }
            ResponseErrorKind::Truncated => {
                write!(f, "response (HTTP {}) is truncated", self.status)?
            }
            ResponseErrorKind::NotEnvelope(e) => write!(
                f,
                "response (HTTP {}) is not an API 3.0 envelope: {e}",
                self.status
            )?,
            ResponseErrorKind::TooLarge { limit } => write!(
                f,
                "response (HTTP {}) is larger than the {limit}-byte limit",
                self.status
            )?,
            ResponseErrorKind::Output { path, message } => write!(
                f,
                "response does not match the output shape at {path}: {message}"
            )?,
            ResponseErrorKind::Event { index, message } => {
                write!(f, "event {index} of the stream is invalid: {message}")?
            }
            ResponseErrorKind::StreamEnded { events } => write!(
                f,
                "the event stream ended after {events} event{} without its last one",
                if *events == 1 { "" } else { "s" }
            )?,
            ResponseErrorKind::NotEventStream { content_type } => write!(
                f,
                "expected an event stream (text/event-stream), got HTTP {} with content type {content_type:?}",
                self.status
            )?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId: {id})")?;
        }
        write!(f, " after {}", attempts(self.attempts))?;
        if !self.body.excerpt.is_empty() {
            write!(f, "; body starts: {:?}", self.body.excerpt)?;
        }
        Ok(())
    }
}

impl StdError for ResponseError {}

/// A service error code, typed per action, with the number of attempts made.
#[derive(Debug)]
pub struct ServiceError<E> {
    pub(crate) action: crate::meta::Text,
    pub(crate) attempts: u32,
    pub(crate) err: E,
    pub(crate) trace_id: Option<Box<str>>,
}

impl<E> ServiceError<E> {
    /// The call's `X-TC-TraceId`.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The typed error.
    pub fn err(&self) -> &E {
        &self.err
    }

    /// Consumes this, giving the typed error.
    pub fn into_err(self) -> E {
        self.err
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The action that was called.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// Converts the typed error.
    pub fn map<F>(self, f: impl FnOnce(E) -> F) -> ServiceError<F> {
        ServiceError {
            action: self.action,
            attempts: self.attempts,
            err: f(self.err),
            trace_id: self.trace_id,
        }
    }
}

impl<E: ProvideApiError> fmt::Display for ServiceError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed with {} after {}",
            self.action,
            self.err.api_error(),
            attempts(self.attempts)
        )
    }
}

impl<E: ProvideApiError + fmt::Debug> StdError for ServiceError<E> {}

#[cfg(feature = "client")]
/// Everything a call can fail with. `E` is the action's typed service error.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request was refused before sending (missing member, region, serialization).
    Construction(ConstructionError),
    /// No usable credentials.
    Credentials(CredentialsError),
    /// The request got no HTTP response (connect failure, timeout, connection lost).
    Dispatch(DispatchError),
    /// A response arrived but is not a valid answer (non-200, not JSON, truncated, too large).
    Response(ResponseError),
    /// The service answered with an error code.
    Service(ServiceError<E>),
}

#[cfg(feature = "client")]
impl<E> SdkError<E> {
    /// The typed service error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(&e.err),
            _ => None,
        }
    }

    /// Consumes this, giving the typed service error if there is one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e.err),
            _ => None,
        }
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            SdkError::Construction(_) | SdkError::Credentials(_) => 0,
            SdkError::Dispatch(e) => e.attempts,
            SdkError::Response(e) => e.attempts,
            SdkError::Service(e) => e.attempts,
        }
    }

    /// The `X-TC-TraceId` of the call, when it was sent (`None` for
    /// construction and credentials errors: nothing reached Tencent Cloud, so
    /// no log there has it; the call's `tencentcloud.call` span still does).
    /// Tencent support finds the call by it.
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            SdkError::Construction(_) | SdkError::Credentials(_) => None,
            SdkError::Dispatch(e) => e.trace_id(),
            SdkError::Response(e) => e.trace_id(),
            SdkError::Service(e) => e.trace_id(),
        }
    }

    /// Converts the typed service error.
    pub fn map_service<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Construction(e) => SdkError::Construction(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Dispatch(e) => SdkError::Dispatch(e),
            SdkError::Response(e) => SdkError::Response(e),
            SdkError::Service(e) => SdkError::Service(e.map(f)),
        }
    }
}

#[cfg(feature = "client")]
impl<E: ProvideApiError> SdkError<E> {
    /// The service's error code, if it answered with one.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.api_error().code())
    }

    /// The RequestId, if a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => Some(e.err.api_error().request_id()),
            SdkError::Response(e) => e.request_id(),
            _ => None,
        }
    }
}

#[cfg(feature = "client")]
impl<E: ProvideApiError> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => write!(f, "request not sent: {e}"),
            SdkError::Credentials(e) => write!(f, "request not sent: {e}"),
            SdkError::Dispatch(e) => e.fmt(f),
            SdkError::Response(e) => e.fmt(f),
            SdkError::Service(e) => e.fmt(f),
        }
    }
}

#[cfg(feature = "client")]
impl<E: ProvideApiError + fmt::Debug> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(_) => None,
        }
    }
}

#[cfg(feature = "client")]
impl<E> From<BuildError> for SdkError<E> {
    fn from(e: BuildError) -> Self {
        SdkError::Construction(ConstructionError::Build(e))
    }
}

fn attempts(n: u32) -> String {
    if n == 1 {
        "1 attempt".to_owned()
    } else {
        format!("{n} attempts")
    }
}

/// The first [`EXCERPT_LEN`] bytes of a body, lossily decoded, for error messages.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(EXCERPT_LEN)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if body.len() > EXCERPT_LEN {
        s.push('…');
    }
    s
}

/// An error and its sources, joined with ": ".
pub(crate) fn error_chain(e: &(dyn StdError + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_the_first_segment() {
        assert_eq!(
            ErrorCategory::of("AuthFailure.SignatureExpire"),
            ErrorCategory::AuthFailure
        );
        assert_eq!(ErrorCategory::of("AuthFailure"), ErrorCategory::AuthFailure);
        assert_eq!(
            ErrorCategory::of("RequestLimitExceeded.UinLimitExceeded"),
            ErrorCategory::RateLimited
        );
        assert_eq!(
            ErrorCategory::of("MissingParameter.SdkAppId"),
            ErrorCategory::InvalidRequest
        );
        assert_eq!(
            ErrorCategory::of("InvalidAction"),
            ErrorCategory::InvalidRequest
        );
        assert_eq!(
            ErrorCategory::of("ResourceNotFound"),
            ErrorCategory::ResourceNotFound
        );
        assert_eq!(
            ErrorCategory::of("InternalError.CTInternalError"),
            ErrorCategory::InternalError
        );
        assert_eq!(
            ErrorCategory::of("FailedOperation.CTUnsupportMethod"),
            ErrorCategory::FailedOperation
        );
        assert_eq!(ErrorCategory::of("Authfailure"), ErrorCategory::Other);
        assert_eq!(ErrorCategory::of(""), ErrorCategory::Other);
    }

    #[test]
    fn retryable_codes() {
        assert!(is_retryable_code("RequestLimitExceeded"));
        assert!(is_retryable_code(
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded"
        ));
        assert!(is_retryable_code("ServiceUnavailable"));
        assert!(is_retryable_code("AuthFailure.SignatureExpire"));
        assert!(!is_retryable_code("AuthFailure.SignatureFailure"));
        assert!(!is_retryable_code("InternalError"));
        assert!(!is_retryable_code("InvalidParameter"));
    }

    #[test]
    fn api_error_display_has_code_message_and_request_id() {
        let e = ApiError::new("InvalidParameter.SdkAppId", "bad app", "req-1");
        assert_eq!(
            e.to_string(),
            "InvalidParameter.SdkAppId: bad app (RequestId: req-1)"
        );
        let e = ApiError::new("InternalError", "boom", "");
        assert_eq!(e.to_string(), "InternalError: boom (no RequestId)");
    }

    #[test]
    fn excerpt_is_bounded_and_lossy() {
        let body = vec![b'a'; EXCERPT_LEN * 4];
        let e = excerpt(&body);
        assert_eq!(e.chars().filter(|c| *c == 'a').count(), EXCERPT_LEN);
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(&[0xff, b'x']), "\u{fffd}x");
    }

    #[test]
    fn service_error_display_names_action_code_and_attempts() {
        let e: SdkError<ApiError> = SdkError::Service(ServiceError {
            action: "CreateCloudTranscription".into(),
            attempts: 3,
            err: ApiError::new("RequestLimitExceeded", "slow down", "rid"),
            trace_id: Some("t-1".into()),
        });
        assert_eq!(e.trace_id(), Some("t-1"));
        assert_eq!(
            e.to_string(),
            "CreateCloudTranscription failed with RequestLimitExceeded: slow down (RequestId: rid) after 3 attempts"
        );
        assert_eq!(e.attempts(), 3);
        assert_eq!(e.request_id(), Some("rid"));
        assert_eq!(e.code(), Some("RequestLimitExceeded"));
    }

    #[test]
    fn build_error_names_shape_and_member() {
        let e = BuildError::missing("TranscriptionParam", "UserSig");
        assert_eq!(
            e.to_string(),
            "required member `UserSig` of `TranscriptionParam` is not set"
        );
    }
}
