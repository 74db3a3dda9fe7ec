//! The service-independent client: signs, sends, retries, rate-limits and parses.
//!
//! Generated service crates describe their service with a [`ServiceMeta`] and
//! each action with an [`ActionMeta`], and call [`Client::call`] (or
//! [`Client::invoke`] with per-call [`CallOptions`]). Everything else about
//! HTTP lives here; the bytes go through a [`HttpTransport`](crate::transport::HttpTransport).
//!
//! One call, in order: the call's options are checked; the region check;
//! then per attempt: the rate limiter's slot, credentials, the endpoint (the
//! call's, the action's own host, or the region breaker's choice), the extra
//! headers (the client's, the call's, then each interceptor's
//! `before_signing`), the signature and the signer's headers with
//! `X-TC-TraceId`, `after_signing`, the transport, the body (bounded),
//! `after_response`, the answer's meaning; then the retry decision
//! ([`retry::classify`], paid from the retry budget) and, when the call
//! fails, each interceptor's `on_error`.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, DATE};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;
use tracing::Instrument;

use crate::breaker::{Breaker, BreakerState};
use crate::budget::RetryBudget;
use crate::config::{Config, ConfigError, Endpoint, ResolvedEndpoint};
use crate::drift::{Coercion, Mode};
use crate::envelope::{self, Parsed};
use crate::error::{
    ApiError, BoxError, ConstructionError, DispatchError, DispatchKind, ErrorCategory,
    ResponseError, ResponseErrorKind, SdkError, ServiceError,
};
use crate::event_stream::{EventStream, StreamStart};
use crate::interceptor::{self, CallInfo, ResponseInfo};
use crate::meta::Text;
use crate::options::CallOptions;
use crate::rate_limit::{RateLimiter, SlidingWindow};
use crate::retry::{self, AttemptOutcome, CallState, RetryConfig, RetryDecision, Wait};
use crate::sign::{self, SigningInput};
use crate::transport::{Body, HttpRequest, ReqwestSettings, ReqwestTransport, SharedTransport};

/// The content type every request is sent and signed with (as the official SDKs).
pub const CONTENT_TYPE_JSON: &str = "application/json";

/// The target of wire logging: request and response bodies at TRACE level,
/// masked by [`crate::redact`].
pub const WIRE_TARGET: &str = "tencentcloud_runtime::wire";

pub use crate::meta::{ActionMeta, ServiceMeta};

/// A successful response body and where its `Response` object is.
#[derive(Debug, Clone)]
pub struct RawResponse {
    action: crate::meta::Text,
    attempts: u32,
    body: Bytes,
    response: Range<usize>,
    request_id: String,
    trace_id: String,
    mode: Mode,
}

/// What is known about a successful call besides its output.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The RequestId.
    pub request_id: String,
    /// The call's `X-TC-TraceId` (see [`crate::trace`]).
    pub trace_id: String,
    /// How many attempts were made.
    pub attempts: u32,
    /// The values of the response that were accepted in a form other than
    /// their documented type (see [`crate::drift`]), e.g.
    /// `Response.StartTime`: a decimal string accepted as a number. Empty when
    /// the response matched its documentation, and always with
    /// [`ConfigBuilder::strict_responses`](crate::ConfigBuilder::strict_responses).
    pub coercions: Vec<Coercion>,
}

impl RawResponse {
    /// The whole body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The RequestId.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The call's `X-TC-TraceId`.
    pub fn trace_id(&self) -> &str {
        &self.trace_id
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Decodes the `Response` object into the action's output type.
    pub fn decode<O: DeserializeOwned>(&self) -> Result<O, SdkError<ApiError>> {
        self.decode_with_meta().map(|(out, _)| out)
    }

    /// Decodes the `Response` object into the action's output type, with the
    /// call's [`ResponseMeta`]. Each value accepted in another form than its
    /// documented type is also a `tracing` warning naming the action and the path.
    pub fn decode_with_meta<O: DeserializeOwned>(
        &self,
    ) -> Result<(O, ResponseMeta), SdkError<ApiError>> {
        let (out, coercions) = self.decode_only()?;
        let meta = ResponseMeta {
            request_id: self.request_id.clone(),
            trace_id: self.trace_id.clone(),
            attempts: self.attempts,
            coercions,
        };
        Ok((out, meta))
    }

    /// [`RawResponse::decode_with_meta`], moving the texts into the metadata.
    fn into_decoded<O: DeserializeOwned>(self) -> Result<(O, ResponseMeta), SdkError<ApiError>> {
        let (out, coercions) = self.decode_only()?;
        let meta = ResponseMeta {
            request_id: self.request_id,
            trace_id: self.trace_id,
            attempts: self.attempts,
            coercions,
        };
        Ok((out, meta))
    }

    fn decode_only<O: DeserializeOwned>(&self) -> Result<(O, Vec<Coercion>), SdkError<ApiError>> {
        let (out, coercions) = envelope::decode(
            &self.action,
            &self.body,
            self.response.clone(),
            &self.request_id,
            self.mode,
        )
        .map_err(|mut e| {
            e.attempts = self.attempts;
            e.set_trace_id(self.trace_id.as_str().into());
            SdkError::Response(e)
        })?;
        for c in &coercions {
            tracing::warn!(
                action = &*self.action,
                path = %c.path,
                request_id = %self.request_id,
                "response drifts from the documented type: {}",
                c.kind
            );
        }
        Ok((out, coercions))
    }
}

/// A client for one service. Cheap to clone; clones share connections, rate
/// limits, the retry budget, the region breaker and the clock offset.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: Cow<'static, ServiceMeta>,
    config: Config,
    endpoint: ResolvedEndpoint,
    transport: SharedTransport,
    limiter: RateLimiter,
    budget: RetryBudget,
    breaker: Option<Breaker>,
    /// Seconds to add to the local clock (learned from `AuthFailure.SignatureExpire`).
    clock_offset: AtomicI64,
    /// The signing key of the last credentials and UTC day used.
    signing_key: std::sync::Mutex<Option<CachedKey>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.service)
            .field("config", &self.config)
            .field("endpoint", &self.endpoint)
            .field("budget", &self.budget)
            .field("breaker", &self.breaker)
            .finish_non_exhaustive()
    }
}

/// A derived signing key and what it was derived from.
#[derive(Debug)]
struct CachedKey {
    secret_id: String,
    secret_key: crate::credentials::Secret,
    day: i64,
    key: sign::SigningKey,
}

/// What a call produced: a whole body, or the start of an event stream.
enum Answer {
    Body(RawResponse),
    Stream(StreamStart),
}

impl Answer {
    fn request_id(&self) -> &str {
        match self {
            Answer::Body(b) => &b.request_id,
            Answer::Stream(s) => &s.request_id,
        }
    }

    fn attempts(&self) -> u32 {
        match self {
            Answer::Body(b) => b.attempts,
            Answer::Stream(s) => s.attempts,
        }
    }
}

/// A failed attempt: the error the call returns if it is not retried, and what
/// the retry decision ([`crate::retry::classify`]) needs to know about it.
struct Failure {
    error: SdkError<ApiError>,
    kind: FailureKind,
    /// The server's clock (unix seconds) from its `Date` header, when it answered.
    server_time: Option<i64>,
}

#[derive(Clone, Copy)]
enum FailureKind {
    Service,
    InvalidResponse(u16),
    UnexpectedSuccess,
    Connect,
    Send,
    Truncated,
    TooLarge,
    TimedOut,
    Deadline,
}

impl Failure {
    fn new(error: SdkError<ApiError>, kind: FailureKind) -> Self {
        Failure {
            error,
            kind,
            server_time: None,
        }
    }

    fn outcome(&self) -> AttemptOutcome<'_> {
        match self.kind {
            FailureKind::Service => AttemptOutcome::ServiceError {
                code: match &self.error {
                    SdkError::Service(s) => s.err().code(),
                    _ => "",
                },
                server_time: self.server_time,
            },
            FailureKind::InvalidResponse(status) => AttemptOutcome::InvalidResponse { status },
            FailureKind::UnexpectedSuccess => AttemptOutcome::UnexpectedSuccess,
            FailureKind::Connect => AttemptOutcome::ConnectFailed,
            FailureKind::Send => AttemptOutcome::SendFailed,
            FailureKind::Truncated => AttemptOutcome::Truncated,
            FailureKind::TooLarge => AttemptOutcome::TooLarge,
            FailureKind::TimedOut => AttemptOutcome::TimedOut,
            FailureKind::Deadline => AttemptOutcome::DeadlineExceeded,
        }
    }

    /// Whether the attempt says the region is up, for the region breaker:
    /// an API 3.0 answer with a RequestId that is not `InternalError`.
    fn region_up(&self) -> bool {
        match (&self.kind, &self.error) {
            (FailureKind::Service, SdkError::Service(s)) => {
                s.err().category() != ErrorCategory::InternalError
            }
            (FailureKind::UnexpectedSuccess, _) => true,
            _ => false,
        }
    }
}

/// One call's settings: the client's, overridden by its [`CallOptions`].
struct Call<'a> {
    action: &'a ActionMeta,
    options: &'a CallOptions,
    trace_id: String,
    region: Option<&'a str>,
    retry: Cow<'a, RetryConfig>,
    attempt_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    /// The call's own endpoint (no failover), resolved for its action.
    endpoint: Option<ResolvedEndpoint>,
}

impl Client {
    /// A client for `service` (a generated crate's `static`) with `config`.
    pub fn new(service: &'static ServiceMeta, config: Config) -> Result<Client, ConfigError> {
        Client::with_service(Cow::Borrowed(service), config)
    }

    /// A client for `service`, borrowed from a `static` or built at run time
    /// (from a spec read by a program), with `config`.
    pub fn with_service(
        service: Cow<'static, ServiceMeta>,
        config: Config,
    ) -> Result<Client, ConfigError> {
        let endpoint = ResolvedEndpoint::resolve(
            &config.endpoint,
            &service.endpoint,
            service.international_endpoint.as_deref(),
        )?;
        let transport: SharedTransport = match (&config.transport, &config.http) {
            (Some(t), _) => t.clone(),
            (None, Some(http)) => Arc::new(ReqwestTransport::new(http.clone())),
            (None, None) => Arc::new(ReqwestTransport::build(&ReqwestSettings {
                connect_timeout: config.timeouts.connect,
                proxy: config.proxy.clone(),
                proxy_from_env: config.proxy_from_env,
                root_certificates: config.root_certificates.clone(),
            })?),
        };
        let breaker = match &config.region_breaker {
            Some(b) => Some(Breaker::new(b.clone(), &service.name)?),
            None => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                limiter: config.rate_limiter.clone().unwrap_or_default(),
                budget: config.retry_budget.clone().unwrap_or_default(),
                breaker,
                service,
                config,
                endpoint,
                transport,
                clock_offset: AtomicI64::new(0),
                signing_key: std::sync::Mutex::new(None),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The service.
    pub fn service(&self) -> &ServiceMeta {
        &self.inner.service
    }

    /// The resolved endpoint of the service.
    pub fn endpoint(&self) -> &ResolvedEndpoint {
        &self.inner.endpoint
    }

    /// The retry budget the client spends from.
    pub fn retry_budget(&self) -> &RetryBudget {
        &self.inner.budget
    }

    /// The region breaker's state (`None` when failover is off).
    pub fn breaker_state(&self) -> Option<BreakerState> {
        self.inner.breaker.as_ref().map(|b| b.state(Instant::now()))
    }

    /// Where `action` is sent (the region breaker aside): its own host when
    /// the spec gives it one and the configured endpoint keeps it (see
    /// [`Endpoint`]), else the service's endpoint.
    pub fn endpoint_for(
        &self,
        action: &ActionMeta,
    ) -> Result<Cow<'_, ResolvedEndpoint>, SdkError<ApiError>> {
        Ok(
            match route(&self.inner.config.endpoint, &self.inner.endpoint, action)? {
                None => Cow::Borrowed(&self.inner.endpoint),
                Some(own) => Cow::Owned(own),
            },
        )
    }

    /// The clock correction in seconds learned from the server (0 until a
    /// `AuthFailure.SignatureExpire` taught otherwise).
    pub fn clock_offset(&self) -> i64 {
        self.inner.clock_offset.load(Ordering::Relaxed)
    }

    /// Calls `action` with `input` and decodes the output.
    pub async fn call<I, O>(&self, action: &ActionMeta, input: &I) -> Result<O, SdkError<ApiError>>
    where
        I: Serialize + ?Sized,
        O: DeserializeOwned,
    {
        // Through `call_with_meta`: one future per action type, not two.
        self.call_with_meta(action, input).await.map(|(out, _)| out)
    }

    /// [`Client::call`], also returning the call's [`ResponseMeta`].
    pub async fn call_with_meta<I, O>(
        &self,
        action: &ActionMeta,
        input: &I,
    ) -> Result<(O, ResponseMeta), SdkError<ApiError>>
    where
        I: Serialize + ?Sized,
        O: DeserializeOwned,
    {
        self.invoke(action, input, &CallOptions::default()).await
    }

    /// Calls `action` with `input` and per-call `options` (timeouts, retries,
    /// headers, trace ID, region, endpoint, interceptors): the output and the
    /// call's [`ResponseMeta`]. What generated builders' `send` calls.
    pub async fn invoke<I, O>(
        &self,
        action: &ActionMeta,
        input: &I,
        options: &CallOptions,
    ) -> Result<(O, ResponseMeta), SdkError<ApiError>>
    where
        I: Serialize + ?Sized,
        O: DeserializeOwned,
    {
        let body = serde_json::to_vec(input)
            .map_err(|e| SdkError::Construction(ConstructionError::Serialize(e)))?;
        self.send_with_options(action, body, options)
            .await?
            .into_decoded()
    }

    /// Calls a streaming `action` with `input`: the events arrive through the
    /// returned stream, decoded into `T`; service errors (before or during the
    /// stream) become `E` through `map`.
    pub async fn call_stream<I, T, E>(
        &self,
        action: &ActionMeta,
        input: &I,
        map: fn(ApiError) -> E,
    ) -> Result<EventStream<T, E>, SdkError<E>>
    where
        I: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        self.invoke_stream(action, input, map, &CallOptions::default())
            .await
    }

    /// [`Client::call_stream`] with per-call `options`.
    pub async fn invoke_stream<I, T, E>(
        &self,
        action: &ActionMeta,
        input: &I,
        map: fn(ApiError) -> E,
        options: &CallOptions,
    ) -> Result<EventStream<T, E>, SdkError<E>>
    where
        I: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let Some(meta) = action.stream.as_ref() else {
            return Err(SdkError::Construction(ConstructionError::InvalidMeta(
                format!("{} is not a streaming action", action.name),
            )));
        };
        let body = serde_json::to_vec(input)
            .map_err(|e| SdkError::Construction(ConstructionError::Serialize(e)))?;
        match self
            .dispatch(action, body, options)
            .await
            .map_err(|e| e.map_service(map))?
        {
            Answer::Stream(start) => {
                let mut stream = EventStream::new(
                    action.name.clone(),
                    meta.clone(),
                    start,
                    self.inner.config.max_response_bytes,
                    options
                        .attempt_timeout
                        .unwrap_or(self.inner.config.timeouts.attempt),
                    map,
                );
                stream.mode = self.inner.config.response_mode;
                Ok(stream)
            }
            Answer::Body(raw) => {
                // `dispatch` answers a streaming action with a body only for errors.
                let mut e = ResponseError::new(
                    action.name.clone(),
                    200,
                    ResponseErrorKind::NotEventStream {
                        content_type: String::new(),
                    },
                    raw.body(),
                );
                e.attempts = raw.attempts;
                e.set_trace_id(raw.trace_id.into_boxed_str());
                Err(SdkError::Response(e))
            }
        }
    }

    /// Sends a serialized body for `action`: region check, rate limit, credentials,
    /// signing, retries. Returns the successful body or the error.
    pub async fn send(
        &self,
        action: &ActionMeta,
        body: Vec<u8>,
    ) -> Result<RawResponse, SdkError<ApiError>> {
        self.send_with_options(action, body, &CallOptions::default())
            .await
    }

    /// [`Client::send`] with per-call `options`.
    pub async fn send_with_options(
        &self,
        action: &ActionMeta,
        body: Vec<u8>,
        options: &CallOptions,
    ) -> Result<RawResponse, SdkError<ApiError>> {
        match self.dispatch(action, body, options).await? {
            Answer::Body(raw) => Ok(raw),
            Answer::Stream(start) => {
                let mut e = ResponseError::new(
                    action.name.clone(),
                    200,
                    ResponseErrorKind::NotEnvelope(
                        "an event stream answered a call that expects one body (use `call_stream`)"
                            .to_owned(),
                    ),
                    b"",
                );
                e.attempts = start.attempts;
                e.request_id = Some(start.request_id);
                e.set_trace_id(start.trace_id.into_boxed_str());
                Err(SdkError::Response(e))
            }
        }
    }

    async fn dispatch(
        &self,
        action: &ActionMeta,
        body: Vec<u8>,
        options: &CallOptions,
    ) -> Result<Answer, SdkError<ApiError>> {
        let config = &self.inner.config;
        if let Some(problem) = &options.invalid {
            return Err(SdkError::Construction(ConstructionError::InvalidOptions(
                problem.clone(),
            )));
        }
        let region = options.region.as_deref().or(config.region.as_deref());
        if config.region_check && !action.regions.is_empty() {
            match region {
                None => return Err(SdkError::Construction(ConstructionError::MissingRegion)),
                Some(r) if !crate::meta::contains(&action.regions, r) => {
                    return Err(SdkError::Construction(
                        ConstructionError::UnsupportedRegion {
                            region: r.to_owned(),
                            supported: action.regions.iter().map(|r| r.to_string()).collect(),
                        },
                    ))
                }
                Some(_) => {}
            }
        }
        let skip_limits = options.skip_limit_checks.unwrap_or(!config.limit_checks);
        if !skip_limits && !action.limits.is_empty() {
            check_limits(action, &body)?;
        }
        let endpoint = match &options.endpoint {
            None => None,
            Some(e) => {
                let base = ResolvedEndpoint::resolve(
                    e,
                    &self.inner.service.endpoint,
                    self.inner.service.international_endpoint.as_deref(),
                )
                .map_err(|e| {
                    SdkError::Construction(ConstructionError::InvalidOptions(e.to_string()))
                })?;
                Some(match route(e, &base, action)? {
                    Some(own) => own,
                    None => base,
                })
            }
        };
        let mut retry = Cow::Borrowed(options.retry.as_ref().unwrap_or(&config.retry));
        if let Some(yes) = options.retry_after_send {
            retry.to_mut().retry_after_send = yes;
        }
        let mut call = Call {
            action,
            options,
            trace_id: options
                .trace_id
                .clone()
                .unwrap_or_else(crate::trace::new_trace_id),
            region,
            retry,
            attempt_timeout: options.attempt_timeout.unwrap_or(config.timeouts.attempt),
            call_timeout: options.call_timeout.unwrap_or(config.timeouts.call),
            endpoint,
        };
        let span = tracing::info_span!(
            "tencentcloud.call",
            service = &*self.inner.service.name,
            action = &*action.name,
            region = region.unwrap_or(""),
            trace_id = call.trace_id.as_str(),
            credentials = tracing::field::Empty,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        let started = Instant::now();
        let body = Bytes::from(body);
        let mut result = self
            .send_with_retries(&call, &body, started, &span)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &mut result {
            Ok(answer) => {
                span.record("request_id", answer.request_id());
                span.record("outcome", "success");
                // The answer takes the call's trace ID (no copy).
                let trace_id = std::mem::take(&mut call.trace_id);
                match answer {
                    Answer::Body(raw) => raw.trace_id = trace_id,
                    Answer::Stream(start) => start.trace_id = trace_id,
                }
            }
            Err(e) => {
                stamp_trace_id(e, &call.trace_id);
                if let Some(id) = sdk_request_id(e) {
                    span.record("request_id", id);
                }
                span.record("outcome", outcome_name(e));
                let info = self.info(&call, e.attempts(), &body);
                interceptor::each(&config.interceptors, &options.interceptors, |i| {
                    i.on_error(&info, e)
                });
            }
        }
        let _enter = span.enter();
        match &result {
            Ok(answer) => tracing::debug!(attempts = answer.attempts(), "call succeeded"),
            Err(e) => {
                tracing::debug!(attempts = e.attempts(), error = %e, "call failed")
            }
        }
        result
    }

    fn info<'a>(&'a self, call: &'a Call<'_>, attempt: u32, body: &'a [u8]) -> CallInfo<'a> {
        CallInfo {
            service: &self.inner.service.name,
            version: &self.inner.service.version,
            action: call.action,
            trace_id: &call.trace_id,
            attempt,
            region: call.region,
            body,
        }
    }

    async fn send_with_retries(
        &self,
        call: &Call<'_>,
        body: &Bytes,
        started: Instant,
        span: &tracing::Span,
    ) -> Result<Answer, SdkError<ApiError>> {
        let config = &self.inner.config;
        let action = call.action;
        let deadline = call.call_timeout.map(|d| started + d);
        let limiter = config
            .rate_limit
            .limit_for(&action.name, action.rate_limit)
            .map(|limit| {
                self.inner.limiter.limiters.get(
                    &self.inner.service.name,
                    &action.name,
                    limit.requests,
                    config.rate_limit.window_for(limit),
                )
            });
        let mut attempt = 0u32;
        let mut clock_corrected = false;
        let mut spent = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limiter) = &limiter {
                wait_for_slot(limiter, deadline, &action.name, attempt).await?;
            }
            // Credentials, endpoint and headers failing end the call: not an attempt.
            let (request, generation) = self.prepare(call, body, attempt).await?;
            let result = self.attempt(call, request, attempt, deadline).await;
            if let (Some(breaker), Some(generation)) = (&self.inner.breaker, generation) {
                let up = match &result {
                    Ok(_) => true,
                    Err(f) => f.region_up(),
                };
                breaker.after(generation, up, Instant::now());
            }
            let failure = match result {
                Ok(answer) => {
                    self.inner.budget.on_success(spent);
                    return Ok(answer);
                }
                Err(failure) => failure,
            };
            let state = CallState {
                attempt,
                clock_corrected,
                now: unix_now(),
            };
            let wait = match retry::classify(failure.outcome(), &call.retry, state) {
                RetryDecision::Stop(reason) => {
                    tracing::trace!(?reason, "not retried");
                    return Err(failure.error);
                }
                RetryDecision::CorrectClock { offset } => {
                    self.inner.clock_offset.store(offset, Ordering::Relaxed);
                    clock_corrected = true;
                    tracing::warn!(
                        offset_s = offset,
                        "clock skew corrected from the server's Date header"
                    );
                    Wait::Now
                }
                RetryDecision::Retry { wait, .. } => {
                    let timeout = matches!(failure.kind, FailureKind::TimedOut);
                    match self.inner.budget.acquire(timeout) {
                        Some(cost) => spent += cost,
                        None => {
                            tracing::debug!(
                                reason = ?retry::StopReason::BudgetExhausted,
                                "not retried: the retry budget is spent"
                            );
                            return Err(failure.error);
                        }
                    }
                    wait
                }
            };
            let pause = wait.sample();
            if let Some(deadline) = deadline {
                if Instant::now() + pause >= deadline {
                    return Err(failure.error);
                }
            }
            tracing::debug!(
                attempt,
                pause_ms = pause.as_millis() as u64,
                error = %failure.error,
                "retrying"
            );
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        }
    }

    /// One attempt: send the prepared request, read and interpret the answer.
    async fn attempt(
        &self,
        call: &Call<'_>,
        request: HttpRequest,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Result<Answer, Failure> {
        let exchanged = self.exchange(call, request, attempt, deadline).await?;
        self.interpret(call, attempt, exchanged)
    }

    /// Where this attempt goes, and the breaker generation it counts in.
    fn target(
        &self,
        call: &Call<'_>,
    ) -> Result<(Cow<'_, ResolvedEndpoint>, Option<u64>), SdkError<ApiError>> {
        if let Some(e) = &call.endpoint {
            return Ok((Cow::Owned(e.clone()), None));
        }
        let inner = &*self.inner;
        if let Some(own) = route(&inner.config.endpoint, &inner.endpoint, call.action)? {
            return Ok((Cow::Owned(own), None));
        }
        // An action with its own host never fails over (the backup region's
        // service host does not serve it), even where an explicit URL stands
        // in for that host.
        let own_host =
            call.action.endpoint.is_some() || call.action.international_endpoint.is_some();
        match inner.breaker.as_ref().filter(|_| !own_host) {
            Some(b) => {
                let (generation, backup) = b.before(Instant::now());
                let endpoint = if backup { &b.backup } else { &inner.endpoint };
                Ok((Cow::Borrowed(endpoint), Some(generation)))
            }
            None => Ok((Cow::Borrowed(&inner.endpoint), None)),
        }
    }

    /// Credentials, endpoint, headers, timestamp and signature for one
    /// attempt; the interceptors' `before_signing` and `after_signing`.
    async fn prepare(
        &self,
        call: &Call<'_>,
        body: &Bytes,
        attempt: u32,
    ) -> Result<(HttpRequest, Option<u64>), SdkError<ApiError>> {
        let inner = &*self.inner;
        let config = &inner.config;
        let action = call.action;
        let creds = if config.skip_signing {
            tracing::Span::current().record("credentials", "none (unsigned)");
            None
        } else {
            let creds = config
                .credentials
                .provide_credentials()
                .await
                .map_err(SdkError::Credentials)?;
            creds.validate().map_err(SdkError::Credentials)?;
            // Which provider, never a secret: the span shows where credentials came from.
            tracing::Span::current().record("credentials", creds.provider());
            Some(creds)
        };
        let (endpoint, generation) = self.target(call)?;
        // The extra headers: the client's, the call's, the interceptors'.
        let mut extra = if config.headers.is_empty() {
            HeaderMap::new()
        } else {
            config.headers.clone()
        };
        for (name, value) in &call.options.headers {
            extra.append(name.clone(), value.clone());
        }
        let intercepted = !config.interceptors.is_empty() || !call.options.interceptors.is_empty();
        if intercepted {
            let info = self.info(call, attempt, body);
            for i in config.interceptors.iter().chain(&call.options.interceptors) {
                i.before_signing(&info, &mut extra)
                    .map_err(|e| SdkError::Construction(ConstructionError::Interceptor(e)))?;
            }
            for name in extra.keys() {
                crate::options::check_header_name(name).map_err(|e| {
                    SdkError::Construction(ConstructionError::InvalidOptions(format!(
                        "an interceptor set a header it may not: {e}"
                    )))
                })?;
            }
        }
        let timestamp = unix_now() + inner.clock_offset.load(Ordering::Relaxed);
        let authorization = match &creds {
            // Unsigned (`ConfigBuilder::skip_signing`): what Tencent's SDKs send.
            None => "SKIP".to_owned(),
            Some(creds) => {
                let input = SigningInput {
                    secret_id: creds.secret_id(),
                    secret_key: creds.secret_key().expose(),
                    service: &inner.service.name,
                    host: &endpoint.host,
                    action: &action.name,
                    content_type: CONTENT_TYPE_JSON,
                    timestamp,
                    payload: body,
                    signed_headers: config.signed_headers,
                };
                self.authorization(creds, &input)
            }
        };
        let mut headers = self.headers(call, timestamp, &authorization, creds.as_ref())?;
        if !extra.is_empty() {
            headers.extend(extra);
        }
        let request = HttpRequest {
            url: endpoint.url.clone(),
            headers,
            body: body.clone(),
            action: action.name.clone(),
            sensitive: action.sensitive.clone(),
        };
        if intercepted {
            let info = self.info(call, attempt, body);
            interceptor::each(&config.interceptors, &call.options.interceptors, |i| {
                i.after_signing(&info, &request)
            });
        }
        if tracing::enabled!(target: WIRE_TARGET, tracing::Level::TRACE) {
            wire_request(&request);
        }
        Ok((request, generation))
    }

    /// Sends the request within the attempt timeout and the call's deadline,
    /// and reads the answer (bounded); failures keep what happened.
    async fn exchange(
        &self,
        call: &Call<'_>,
        request: HttpRequest,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Result<Exchanged, Failure> {
        let config = &self.inner.config;
        let action = call.action;
        let mut timeout = call.attempt_timeout;
        let mut deadline_bound = false;
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if timeout.is_none_or(|t| left < t) {
                timeout = Some(left);
                deadline_bound = true;
            }
        }
        let exchange = exchange(
            self.inner.transport.as_ref(),
            request,
            config.max_response_bytes,
            action.stream.is_some(),
        );
        let result = match timeout {
            Some(t) => tokio::time::timeout(t, exchange)
                .await
                .unwrap_or(Err(Exchange::TimedOut)),
            None => exchange.await,
        };
        let dispatch = |kind: DispatchKind, source: Option<BoxError>, failure: FailureKind| {
            let error = SdkError::Dispatch(DispatchError {
                action: action.name.clone(),
                attempts: attempt,
                kind,
                source,
                trace_id: None,
            });
            Failure::new(error, failure)
        };
        match result {
            Ok(exchanged) => Ok(exchanged),
            Err(Exchange::TimedOut) if deadline_bound => Err(dispatch(
                DispatchKind::Deadline,
                None,
                FailureKind::Deadline,
            )),
            Err(Exchange::TimedOut) => {
                Err(dispatch(DispatchKind::Timeout, None, FailureKind::TimedOut))
            }
            Err(Exchange::Connect(e)) => Err(dispatch(
                DispatchKind::Connect,
                Some(e),
                FailureKind::Connect,
            )),
            Err(Exchange::Io(e)) => Err(dispatch(DispatchKind::Io, Some(e), FailureKind::Send)),
            Err(Exchange::Body {
                status,
                partial,
                too_large,
            }) => {
                let (kind, failure) = if too_large {
                    let limit = config.max_response_bytes;
                    (ResponseErrorKind::TooLarge { limit }, FailureKind::TooLarge)
                } else {
                    (ResponseErrorKind::Truncated, FailureKind::Truncated)
                };
                let mut e = ResponseError::new(action.name.clone(), status, kind, &partial);
                e.attempts = attempt;
                Err(Failure::new(SdkError::Response(e), failure))
            }
        }
    }

    /// What an answer means: the output body, an event stream, a service
    /// error, or a response that is not a valid answer.
    // `Failure` is large, and only on the error path: not worth a box per failure.
    #[allow(clippy::result_large_err)]
    fn interpret(
        &self,
        call: &Call<'_>,
        attempt: u32,
        exchanged: Exchanged,
    ) -> Result<Answer, Failure> {
        let action = call.action;
        let config = &self.inner.config;
        let intercepted = !config.interceptors.is_empty() || !call.options.interceptors.is_empty();
        let (status, headers, bytes) = match exchanged {
            Exchanged::Body {
                status,
                headers,
                bytes,
            } => (status, headers, bytes),
            Exchanged::Stream {
                status,
                headers,
                body,
            } => {
                if intercepted {
                    let info = self.info(call, attempt, b"");
                    let response = ResponseInfo {
                        status,
                        headers: &headers,
                        body: None,
                    };
                    interceptor::each(&config.interceptors, &call.options.interceptors, |i| {
                        i.after_response(&info, &response)
                    });
                }
                let request_id = headers
                    .get("x-tc-requestid")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                return Ok(Answer::Stream(StreamStart {
                    body,
                    request_id,
                    // Set by `dispatch`.
                    trace_id: String::new(),
                    attempts: attempt,
                }));
            }
        };
        if intercepted {
            let info = self.info(call, attempt, b"");
            let response = ResponseInfo {
                status,
                headers: &headers,
                body: Some(&bytes),
            };
            interceptor::each(&config.interceptors, &call.options.interceptors, |i| {
                i.after_response(&info, &response)
            });
        }
        if tracing::enabled!(target: WIRE_TARGET, tracing::Level::TRACE) {
            tracing::trace!(
                target: WIRE_TARGET,
                status,
                body = %crate::redact::redact_body(&bytes, &action.sensitive),
                "response"
            );
        }
        let response_error = |kind, request_id| {
            let mut e = ResponseError::new(action.name.clone(), status, kind, &bytes);
            e.attempts = attempt;
            e.request_id = request_id;
            SdkError::Response(e)
        };
        match envelope::parse(&action.name, status, &bytes) {
            Ok(Parsed::Success { request_id, .. }) if action.stream.is_some() => {
                let content_type = headers
                    .get(CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let kind = ResponseErrorKind::NotEventStream { content_type };
                Err(Failure::new(
                    response_error(kind, Some(request_id)),
                    FailureKind::UnexpectedSuccess,
                ))
            }
            Ok(Parsed::Success {
                response,
                request_id,
            }) => Ok(Answer::Body(RawResponse {
                action: action.name.clone(),
                attempts: attempt,
                body: bytes,
                response,
                request_id,
                // Set by `dispatch`.
                trace_id: String::new(),
                mode: self.inner.config.response_mode,
            })),
            Ok(Parsed::Error(api)) => {
                let error = SdkError::Service(ServiceError {
                    action: action.name.clone(),
                    attempts: attempt,
                    err: api,
                    trace_id: None,
                });
                Err(Failure {
                    error,
                    kind: FailureKind::Service,
                    server_time: headers.get(DATE).and_then(http_date_secs),
                })
            }
            Err(mut e) => {
                e.attempts = attempt;
                Err(Failure::new(
                    SdkError::Response(e),
                    FailureKind::InvalidResponse(status),
                ))
            }
        }
    }

    /// Signs with the cached signing key, deriving a new one when the
    /// credentials or the UTC day change.
    fn authorization(
        &self,
        creds: &crate::credentials::Credentials,
        input: &SigningInput<'_>,
    ) -> String {
        let day = input.timestamp.div_euclid(86_400);
        let mut cache = match self.inner.signing_key.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let fresh = cache.as_ref().is_some_and(|c| {
            c.day == day && c.secret_id == creds.secret_id() && &c.secret_key == creds.secret_key()
        });
        if !fresh {
            *cache = Some(CachedKey {
                secret_id: creds.secret_id().to_owned(),
                secret_key: creds.secret_key().clone(),
                day,
                key: sign::SigningKey::derive(
                    input.secret_key,
                    &sign::utc_date(input.timestamp),
                    input.service,
                ),
            });
        }
        match cache.as_ref() {
            Some(c) => sign::authorization(&c.key, input),
            None => sign::sign(input).authorization,
        }
    }

    fn headers(
        &self,
        call: &Call<'_>,
        timestamp: i64,
        authorization: &str,
        creds: Option<&crate::credentials::Credentials>,
    ) -> Result<HeaderMap, SdkError<ApiError>> {
        let inner = &*self.inner;
        let config = &inner.config;
        let action = call.action;
        let mut h = HeaderMap::with_capacity(12);
        h.insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        let invalid = |what: &str, value: &str| {
            SdkError::Construction(ConstructionError::InvalidMeta(format!(
                "{what} {value:?} is not a valid header value"
            )))
        };
        h.insert(
            X_TC_ACTION,
            HeaderValue::from_str(&action.name).map_err(|_| invalid("action", &action.name))?,
        );
        h.insert(
            X_TC_VERSION,
            HeaderValue::from_str(&inner.service.version)
                .map_err(|_| invalid("version", &inner.service.version))?,
        );
        h.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        h.insert(
            X_TC_LANGUAGE,
            HeaderValue::from_static(config.language.as_str()),
        );
        if let Ok(v) = HeaderValue::from_str(&config.request_client) {
            h.insert(X_TC_REQUEST_CLIENT, v);
        }
        if let Some(region) = call.region {
            // Checked to be [a-z0-9-] when the config or the options were built.
            if let Ok(v) = HeaderValue::from_str(region) {
                h.insert(X_TC_REGION, v);
            }
        }
        // Checked to be visible ASCII (a fresh UUID, or the caller's, checked).
        if let Ok(v) = HeaderValue::from_str(&call.trace_id) {
            h.insert(crate::trace::X_TC_TRACE_ID, v);
        }
        let bad_header = |what: &str| {
            SdkError::Credentials(crate::credentials::CredentialsError::Invalid {
                provider: creds.map_or("none", |c| c.provider()),
                reason: format!("{what} contains characters not allowed in an HTTP header"),
            })
        };
        let mut auth = HeaderValue::from_str(authorization).map_err(|_| bad_header("secret_id"))?;
        auth.set_sensitive(true);
        h.insert(AUTHORIZATION, auth);
        if let Some(token) = creds.and_then(|c| c.token()) {
            let mut v = HeaderValue::from_str(token.expose()).map_err(|_| bad_header("token"))?;
            v.set_sensitive(true);
            h.insert(X_TC_TOKEN, v);
        }
        Ok(h)
    }
}

/// The action's own host, when `endpoint` keeps it (see [`Endpoint`]);
/// `base` is `endpoint` resolved for the service.
fn route(
    endpoint: &Endpoint,
    base: &ResolvedEndpoint,
    action: &ActionMeta,
) -> Result<Option<ResolvedEndpoint>, SdkError<ApiError>> {
    let intl = || {
        action
            .international_endpoint
            .as_deref()
            .or(action.endpoint.as_deref())
    };
    let own = match endpoint {
        Endpoint::Default => action.endpoint.as_deref(),
        Endpoint::International => intl(),
        Endpoint::Url(_) if base.is_tencent_host() => {
            if base.host.ends_with(".intl.tencentcloudapi.com") {
                intl()
            } else {
                action.endpoint.as_deref()
            }
        }
        Endpoint::Url(_) => None,
    };
    match own {
        None => Ok(None),
        Some(host) => ResolvedEndpoint::from_url(host).map(Some).map_err(|e| {
            SdkError::Construction(ConstructionError::InvalidMeta(format!(
                "the host of {}: {e}",
                action.name
            )))
        }),
    }
}

/// Logs a request at TRACE (target [`WIRE_TARGET`]), secrets masked.
fn wire_request(request: &HttpRequest) {
    let headers: Vec<String> = request
        .headers
        .iter()
        .map(|(n, v)| {
            format!(
                "{n}: {}",
                crate::redact::header(n.as_str(), v.to_str().unwrap_or("<binary>"))
            )
        })
        .collect();
    tracing::trace!(
        target: WIRE_TARGET,
        url = %request.url,
        headers = %headers.join("; "),
        body = %crate::redact::redact_body(&request.body, &request.sensitive),
        "request"
    );
}

/// Puts the call's trace ID on an error of a call that was sent.
fn stamp_trace_id(e: &mut SdkError<ApiError>, trace_id: &str) {
    if e.attempts() == 0 {
        return;
    }
    let slot = match e {
        SdkError::Dispatch(d) => &mut d.trace_id,
        SdkError::Response(r) => {
            if r.trace_id().is_none() {
                r.set_trace_id(trace_id.into());
            }
            return;
        }
        SdkError::Service(s) => &mut s.trace_id,
        _ => return,
    };
    if slot.is_none() {
        *slot = Some(trace_id.into());
    }
}

/// `X-TC-Action`.
pub const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
/// `X-TC-Version`.
pub const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
/// `X-TC-Region`.
pub const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
/// `X-TC-Timestamp`.
pub const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
/// `X-TC-Language`.
pub const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
/// `X-TC-RequestClient`.
pub const X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
/// `X-TC-Token`.
pub const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");

/// What came back from one request.
enum Exchanged {
    /// The whole body.
    Body {
        status: u16,
        headers: HeaderMap,
        bytes: Bytes,
    },
    /// An event stream, its body still to be read.
    Stream {
        status: u16,
        headers: HeaderMap,
        body: Body,
    },
}

enum Exchange {
    TimedOut,
    Connect(BoxError),
    Io(BoxError),
    Body {
        status: u16,
        partial: Vec<u8>,
        too_large: bool,
    },
}

/// Unix seconds of an HTTP `Date` header value.
fn http_date_secs(value: &HeaderValue) -> Option<i64> {
    let text = value.to_str().ok()?;
    let time = httpdate::parse_http_date(text).ok()?;
    Some(time.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64)
}

/// Sends the request and reads the whole body, refusing bodies over `cap`
/// bytes; with `stream`, a 200 event-stream answer is returned unread.
async fn exchange(
    transport: &dyn crate::transport::HttpTransport,
    request: HttpRequest,
    cap: usize,
    stream: bool,
) -> Result<Exchanged, Exchange> {
    let response = transport.send(request).await.map_err(|e| match e.kind() {
        crate::transport::TransportErrorKind::Connect => Exchange::Connect(e.into_source()),
        _ => Exchange::Io(e.into_source()),
    })?;
    let status = response.status;
    let headers = response.headers;
    let mut body = response.body;
    if stream {
        let is_events = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/event-stream"));
        if status == 200 && is_events {
            return Ok(Exchanged::Stream {
                status,
                headers,
                body,
            });
        }
    }
    let announced = body.announced_len();
    if announced.is_some_and(|n| n > cap as u64) {
        return Err(Exchange::Body {
            status,
            partial: Vec::new(),
            too_large: true,
        });
    }
    let mut buf: Vec<u8> = Vec::with_capacity(announced.map_or(1024, |n| n as usize));
    loop {
        match body.next_chunk().await {
            Some(Ok(chunk)) => {
                if buf.len() + chunk.len() > cap {
                    buf.truncate(crate::error::EXCERPT_LEN);
                    return Err(Exchange::Body {
                        status,
                        partial: buf,
                        too_large: true,
                    });
                }
                buf.extend_from_slice(&chunk);
            }
            None => break,
            Some(Err(_)) => {
                return Err(Exchange::Body {
                    status,
                    partial: buf,
                    too_large: false,
                })
            }
        }
    }
    Ok(Exchanged::Body {
        status,
        headers,
        bytes: Bytes::from(buf),
    })
}

async fn wait_for_slot(
    limiter: &SlidingWindow,
    deadline: Option<Instant>,
    action: &Text,
    attempt: u32,
) -> Result<(), SdkError<ApiError>> {
    let at = limiter.reserve();
    if let Some(deadline) = deadline {
        if at > deadline {
            return Err(SdkError::Dispatch(DispatchError {
                action: action.clone(),
                attempts: attempt - 1,
                kind: DispatchKind::Deadline,
                source: Some("the rate limit leaves no slot before the call's deadline".into()),
                trace_id: None,
            }));
        }
    }
    if at > Instant::now() {
        tracing::trace!(
            wait_ms = (at - Instant::now()).as_millis() as u64,
            "rate limited locally"
        );
        tokio::time::sleep_until(at).await;
    }
    Ok(())
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn sdk_request_id(e: &SdkError<ApiError>) -> Option<&str> {
    match e {
        SdkError::Service(s) => Some(s.err().request_id()),
        SdkError::Response(r) => r.request_id(),
        _ => None,
    }
}

fn outcome_name(e: &SdkError<ApiError>) -> &'static str {
    match e {
        SdkError::Construction(_) => "construction_error",
        SdkError::Credentials(_) => "credentials_error",
        SdkError::Dispatch(_) => "dispatch_error",
        SdkError::Response(_) => "response_error",
        SdkError::Service(_) => "service_error",
    }
}

/// The documented limits of `action` over the serialized request: the one
/// checker (`limits::check_request`), on the JSON the service would get, so
/// paths are wire names and every action (typed, dynamic, raw `send`) is
/// checked the same way. A body that is not a JSON object is left alone (the
/// service answers it).
fn check_limits(action: &ActionMeta, body: &[u8]) -> Result<(), SdkError<ApiError>> {
    let table = action.limits.members().map_err(|e| {
        SdkError::Construction(ConstructionError::InvalidMeta(format!(
            "the limit table of {} is not valid: {e}",
            action.name
        )))
    })?;
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(());
    };
    let violations = crate::limits::check_request(table, &value);
    if violations.is_empty() {
        return Ok(());
    }
    Err(SdkError::Construction(ConstructionError::Limits(
        crate::limits::LimitError {
            action: action.name.clone(),
            violations,
        },
    )))
}
