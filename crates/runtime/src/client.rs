//! The service-independent client: signs, sends, retries, rate-limits and parses.
//!
//! Generated service crates describe their service with a [`ServiceMeta`] and
//! each action with an [`ActionMeta`], and call [`Client::call`]. Everything
//! else about HTTP lives here.

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

use crate::config::{Config, ConfigError, Endpoint, ResolvedEndpoint};
use crate::drift::{Coercion, Mode};
use crate::envelope::{self, Parsed};
use crate::error::{
    ApiError, BoxError, ConstructionError, DispatchError, DispatchKind, ResponseError,
    ResponseErrorKind, SdkError, ServiceError,
};
use crate::event_stream::{EventStream, StreamStart};
use crate::meta::Text;
use crate::rate_limit::{Limiters, SlidingWindow};
use crate::retry::{self, AttemptOutcome, CallState, RetryDecision, Wait};
use crate::sign::{self, SigningInput};

/// The content type every request is sent and signed with (as the official SDKs).
pub const CONTENT_TYPE_JSON: &str = "application/json";

pub use crate::meta::{ActionMeta, ServiceMeta};

/// A successful response body and where its `Response` object is.
#[derive(Debug, Clone)]
pub struct RawResponse {
    action: crate::meta::Text,
    attempts: u32,
    body: Bytes,
    response: Range<usize>,
    request_id: String,
    mode: Mode,
}

/// What is known about a successful call besides its output.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The RequestId.
    pub request_id: String,
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
        let (out, coercions) = envelope::decode(
            &self.action,
            &self.body,
            self.response.clone(),
            &self.request_id,
            self.mode,
        )
        .map_err(|mut e| {
            e.attempts = self.attempts;
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
        let meta = ResponseMeta {
            request_id: self.request_id.clone(),
            attempts: self.attempts,
            coercions,
        };
        Ok((out, meta))
    }
}

/// A client for one service. Cheap to clone; clones share connections, rate
/// limits and the clock offset.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: Cow<'static, ServiceMeta>,
    config: Config,
    endpoint: ResolvedEndpoint,
    http: reqwest::Client,
    limiters: Limiters,
    /// Seconds to add to the local clock (learned from `AuthFailure.SignatureExpire`).
    clock_offset: AtomicI64,
    /// The signing key of the last credentials and UTC day used.
    signing_key: std::sync::Mutex<Option<CachedKey>>,
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
        let http = match &config.http {
            Some(http) => http.clone(),
            None => {
                let mut b = reqwest::Client::builder()
                    .tcp_nodelay(true)
                    .pool_idle_timeout(Duration::from_secs(60))
                    .use_rustls_tls();
                if let Some(t) = config.timeouts.connect {
                    b = b.connect_timeout(t);
                }
                b.build().map_err(|e| ConfigError::Http(e.to_string()))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                service,
                config,
                endpoint,
                http,
                limiters: Limiters::default(),
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

    /// Where `action` is sent: its own host when the spec gives it one and the
    /// configuration names no explicit URL, else the service's endpoint.
    pub fn endpoint_for(
        &self,
        action: &ActionMeta,
    ) -> Result<Cow<'_, ResolvedEndpoint>, SdkError<ApiError>> {
        let own = match &self.inner.config.endpoint {
            Endpoint::Default => action.endpoint.as_deref(),
            Endpoint::International => action
                .international_endpoint
                .as_deref()
                .or(action.endpoint.as_deref()),
            Endpoint::Url(_) => None,
        };
        match own {
            None => Ok(Cow::Borrowed(&self.inner.endpoint)),
            Some(host) => ResolvedEndpoint::from_url(host)
                .map(Cow::Owned)
                .map_err(|e| {
                    SdkError::Construction(ConstructionError::InvalidMeta(format!(
                        "the host of {}: {e}",
                        action.name
                    )))
                }),
        }
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
        let body = serde_json::to_vec(input)
            .map_err(|e| SdkError::Construction(ConstructionError::Serialize(e)))?;
        self.send(action, body).await?.decode()
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
        let body = serde_json::to_vec(input)
            .map_err(|e| SdkError::Construction(ConstructionError::Serialize(e)))?;
        self.send(action, body).await?.decode_with_meta()
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
        let Some(meta) = action.stream.as_ref() else {
            return Err(SdkError::Construction(ConstructionError::InvalidMeta(
                format!("{} is not a streaming action", action.name),
            )));
        };
        let body = serde_json::to_vec(input)
            .map_err(|e| SdkError::Construction(ConstructionError::Serialize(e)))?;
        match self
            .dispatch(action, body)
            .await
            .map_err(|e| e.map_service(map))?
        {
            Answer::Stream(start) => {
                let mut stream = EventStream::new(
                    action.name.clone(),
                    meta.clone(),
                    start,
                    self.inner.config.max_response_bytes,
                    self.inner.config.timeouts.attempt,
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
        match self.dispatch(action, body).await? {
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
                Err(SdkError::Response(e))
            }
        }
    }

    async fn dispatch(
        &self,
        action: &ActionMeta,
        body: Vec<u8>,
    ) -> Result<Answer, SdkError<ApiError>> {
        let config = &self.inner.config;
        let region = config.region.as_deref();
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
        let span = tracing::info_span!(
            "tencentcloud.call",
            service = &*self.inner.service.name,
            action = &*action.name,
            region = region.unwrap_or(""),
            credentials = tracing::field::Empty,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .send_with_retries(action, Bytes::from(body), started, &span)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(answer) => {
                span.record("request_id", answer.request_id());
                span.record("outcome", "success");
            }
            Err(e) => {
                if let Some(id) = sdk_request_id(e) {
                    span.record("request_id", id);
                }
                span.record("outcome", outcome_name(e));
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

    async fn send_with_retries(
        &self,
        action: &ActionMeta,
        body: Bytes,
        started: Instant,
        span: &tracing::Span,
    ) -> Result<Answer, SdkError<ApiError>> {
        let config = &self.inner.config;
        let deadline = config.timeouts.call.map(|d| started + d);
        let limiter = config
            .rate_limit
            .limit_for(&action.name, action.rate_limit)
            .map(|limit| {
                self.inner.limiters.get(
                    &action.name,
                    limit.requests,
                    config.rate_limit.window_for(limit),
                )
            });
        let mut attempt = 0u32;
        let mut clock_corrected = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limiter) = &limiter {
                wait_for_slot(limiter, deadline, &action.name, attempt).await?;
            }
            // Credentials, endpoint and headers failing end the call: not an attempt.
            let request = self.prepare(action, &body).await?;
            let failure = match self.attempt(action, request, attempt, deadline).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let state = CallState {
                attempt,
                clock_corrected,
                now: unix_now(),
            };
            let wait = match retry::classify(failure.outcome(), &config.retry, state) {
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
                RetryDecision::Retry { wait, .. } => wait,
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
        action: &ActionMeta,
        request: reqwest::RequestBuilder,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Result<Answer, Failure> {
        let exchanged = self.exchange(action, request, attempt, deadline).await?;
        self.interpret(action, attempt, exchanged)
    }

    /// Credentials, endpoint, timestamp, signature and headers for one attempt.
    async fn prepare(
        &self,
        action: &ActionMeta,
        body: &Bytes,
    ) -> Result<reqwest::RequestBuilder, SdkError<ApiError>> {
        let inner = &*self.inner;
        let config = &inner.config;
        let endpoint = self.endpoint_for(action)?;
        let timestamp = unix_now() + inner.clock_offset.load(Ordering::Relaxed);
        if config.skip_signing {
            tracing::Span::current().record("credentials", "none (unsigned)");
            let headers = self.headers(action, timestamp, "SKIP", None)?;
            return Ok(inner
                .http
                .post(endpoint.url.clone())
                .headers(headers)
                .body(body.clone()));
        }
        let creds = config
            .credentials
            .provide_credentials()
            .await
            .map_err(SdkError::Credentials)?;
        creds.validate().map_err(SdkError::Credentials)?;
        // Which provider, never a secret: the span shows where credentials came from.
        tracing::Span::current().record("credentials", creds.provider());
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
        let authorization = self.authorization(&creds, &input);
        let headers = self.headers(action, timestamp, &authorization, Some(&creds))?;
        Ok(inner
            .http
            .post(endpoint.url.clone())
            .headers(headers)
            .body(body.clone()))
    }

    /// Sends the request within the attempt timeout and the call's deadline,
    /// and reads the answer (bounded); failures keep what happened.
    async fn exchange(
        &self,
        action: &ActionMeta,
        request: reqwest::RequestBuilder,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Result<Exchanged, Failure> {
        let config = &self.inner.config;
        let mut timeout = config.timeouts.attempt;
        let mut deadline_bound = false;
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if timeout.is_none_or(|t| left < t) {
                timeout = Some(left);
                deadline_bound = true;
            }
        }
        let exchange = exchange(request, config.max_response_bytes, action.stream.is_some());
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
        action: &ActionMeta,
        attempt: u32,
        exchanged: Exchanged,
    ) -> Result<Answer, Failure> {
        let (status, date, content_type, bytes) = match exchanged {
            Exchanged::Body {
                status,
                date,
                content_type,
                bytes,
            } => (status, date, content_type, bytes),
            Exchanged::Stream(response) => {
                let request_id = response
                    .headers()
                    .get("x-tc-requestid")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                return Ok(Answer::Stream(StreamStart {
                    response,
                    request_id,
                    attempts: attempt,
                }));
            }
        };
        let response_error = |kind, request_id| {
            let mut e = ResponseError::new(action.name.clone(), status, kind, &bytes);
            e.attempts = attempt;
            e.request_id = request_id;
            SdkError::Response(e)
        };
        match envelope::parse(&action.name, status, &bytes) {
            Ok(Parsed::Success { request_id, .. }) if action.stream.is_some() => {
                let content_type = content_type
                    .as_ref()
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
                mode: self.inner.config.response_mode,
            })),
            Ok(Parsed::Error(api)) => {
                let error = SdkError::Service(ServiceError {
                    action: action.name.clone(),
                    attempts: attempt,
                    err: api,
                });
                Err(Failure {
                    error,
                    kind: FailureKind::Service,
                    server_time: date.as_ref().and_then(http_date_secs),
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
        action: &ActionMeta,
        timestamp: i64,
        authorization: &str,
        creds: Option<&crate::credentials::Credentials>,
    ) -> Result<HeaderMap, SdkError<ApiError>> {
        let inner = &*self.inner;
        let config = &inner.config;
        let mut h = HeaderMap::with_capacity(10);
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
        if let Some(region) = &config.region {
            // Checked to be [a-z0-9-] when the config was built.
            if let Ok(v) = HeaderValue::from_str(region) {
                h.insert(X_TC_REGION, v);
            }
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
        date: Option<HeaderValue>,
        content_type: Option<HeaderValue>,
        bytes: Bytes,
    },
    /// An event stream, its body still to be read.
    Stream(reqwest::Response),
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
/// bytes; with `stream`, a 200 event-stream answer is returned unread. The
/// `Date` header is kept unparsed: only a clock correction needs it.
async fn exchange(
    request: reqwest::RequestBuilder,
    cap: usize,
    stream: bool,
) -> Result<Exchanged, Exchange> {
    let mut response = request.send().await.map_err(|e| {
        if e.is_connect() {
            Exchange::Connect(Box::new(e))
        } else {
            Exchange::Io(Box::new(e))
        }
    })?;
    let status = response.status().as_u16();
    let date = response.headers().get(DATE).cloned();
    let content_type = if stream {
        let content_type = response.headers().get(CONTENT_TYPE).cloned();
        let is_events = content_type
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/event-stream"));
        if status == 200 && is_events {
            return Ok(Exchanged::Stream(response));
        }
        content_type
    } else {
        None
    };
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(Exchange::Body {
            status,
            partial: Vec::new(),
            too_large: true,
        });
    }
    let mut buf: Vec<u8> =
        Vec::with_capacity(response.content_length().map_or(1024, |n| n as usize));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
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
            Ok(None) => break,
            Err(_) => {
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
        date,
        content_type,
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
