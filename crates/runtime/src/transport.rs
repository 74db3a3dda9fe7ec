//! The transport the client sends through: [`HttpTransport`], with `reqwest`
//! (rustls) as the default ([`ReqwestTransport`]).
//!
//! The client does everything else (credentials, signing, headers,
//! interceptors, retries, timeouts, the response size cap, parsing); a
//! transport only carries one signed `POST` and hands back the status, the
//! headers and the body as it arrives. A test double below the client
//! (`test-util`: [`crate::test_util`]) is a transport, so a mocked call still
//! goes through the whole pipeline.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;

/// The header types of requests and responses (the `http` crate's, as `reqwest` uses).
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::BoxError;
use crate::meta::{Text, Texts};

/// A boxed, sendable future borrowing the transport.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// A stream of body chunks.
pub type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// Carries signed requests. Implement it to send through something other
/// than `reqwest`, or to answer without a network (see [`crate::test_util`]).
pub trait HttpTransport: Send + Sync {
    /// Sends one request (always `POST`) and returns the response as soon as
    /// its head has arrived; the body is read from [`HttpResponse::body`].
    fn send(&self, request: HttpRequest) -> TransportFuture<'_>;
}

/// A transport shared by clients and their clones.
pub type SharedTransport = Arc<dyn HttpTransport>;

/// One signed request.
#[derive(Clone, Debug)]
pub struct HttpRequest {
    /// Where it is POSTed.
    pub url: reqwest::Url,
    /// Every header, signed ones included (`Authorization` is marked sensitive).
    pub headers: HeaderMap,
    /// The JSON body.
    pub body: Bytes,
    /// The action (`X-TC-Action`), for transports that route or record.
    pub action: Text,
    /// The action's sensitive members ([`ActionMeta::sensitive`](crate::ActionMeta::sensitive)),
    /// for transports that record (see [`crate::redact`]).
    pub sensitive: Texts,
}

/// A response: status, headers, and the body still to read.
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Body,
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// A response body: all in memory, or arriving in chunks.
pub struct Body(BodyKind);

enum BodyKind {
    Full(Option<Bytes>),
    Stream(ChunkStream),
    Reqwest(reqwest::Response),
}

impl Body {
    /// A body already in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Body {
        Body(BodyKind::Full(Some(bytes.into())))
    }

    /// A body arriving as a stream of chunks.
    pub fn from_stream(stream: ChunkStream) -> Body {
        Body(BodyKind::Stream(stream))
    }

    /// The next chunk; `None` at the end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, BoxError>> {
        match &mut self.0 {
            BodyKind::Full(b) => b.take().map(Ok),
            BodyKind::Stream(s) => std::future::poll_fn(|cx| s.as_mut().poll_next(cx)).await,
            BodyKind::Reqwest(r) => r
                .chunk()
                .await
                .map_err(|e| Box::new(e) as BoxError)
                .transpose(),
        }
    }

    /// The length the response announced (`Content-Length`), if known.
    pub(crate) fn announced_len(&self) -> Option<u64> {
        match &self.0 {
            BodyKind::Full(b) => b.as_ref().map(|b| b.len() as u64),
            BodyKind::Stream(_) => None,
            BodyKind::Reqwest(r) => r.content_length(),
        }
    }

    /// The body as a stream of chunks.
    pub fn into_stream(self) -> ChunkStream {
        match self.0 {
            BodyKind::Full(b) => Box::pin(Once(b)),
            BodyKind::Stream(s) => s,
            BodyKind::Reqwest(r) => Box::pin(MapErr(Box::pin(r.bytes_stream()))),
        }
    }

    /// Reads the whole body (unbounded: for tests and recorders).
    pub async fn collect(mut self) -> Result<Bytes, BoxError> {
        if let BodyKind::Full(b) = &mut self.0 {
            return Ok(b.take().unwrap_or_default());
        }
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(out))
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            BodyKind::Full(b) => write!(f, "Body({} bytes)", b.as_ref().map_or(0, Bytes::len)),
            BodyKind::Stream(_) | BodyKind::Reqwest(_) => f.write_str("Body(stream)"),
        }
    }
}

struct Once(Option<Bytes>);

impl Stream for Once {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.take().filter(|b| !b.is_empty()).map(Ok))
    }
}

/// Why a transport got no response.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: BoxError,
}

/// Whether the request may have reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made: the request was not sent (retried by default).
    Connect,
    /// The connection failed after the request may have been sent.
    Io,
}

impl TransportError {
    /// The connection could not be made; nothing was sent.
    pub fn connect(source: impl Into<BoxError>) -> Self {
        TransportError {
            kind: TransportErrorKind::Connect,
            source: source.into(),
        }
    }

    /// The exchange failed after the request may have been sent.
    pub fn io(source: impl Into<BoxError>) -> Self {
        TransportError {
            kind: TransportErrorKind::Io,
            source: source.into(),
        }
    }

    /// Which of the two.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    pub(crate) fn into_source(self) -> BoxError {
        self.source
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// The default transport: a `reqwest` client with rustls.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

/// What the default transport is built with (from the [`Config`](crate::Config)).
#[derive(Clone, Debug, Default)]
pub(crate) struct ReqwestSettings {
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) proxy: Option<crate::config::ProxySettings>,
    pub(crate) proxy_from_env: bool,
    pub(crate) root_certificates: Vec<reqwest::Certificate>,
}

impl ReqwestTransport {
    /// Sends through `client` as it is configured (its proxies, TLS roots and
    /// connect timeout).
    pub fn new(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }

    pub(crate) fn build(s: &ReqwestSettings) -> Result<Self, crate::ConfigError> {
        let mut b = reqwest::Client::builder()
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .use_rustls_tls();
        if let Some(t) = s.connect_timeout {
            b = b.connect_timeout(t);
        }
        if !s.proxy_from_env {
            b = b.no_proxy();
        }
        if let Some(p) = &s.proxy {
            b = b.proxy(p.to_reqwest()?);
        }
        for cert in &s.root_certificates {
            b = b.add_root_certificate(cert.clone());
        }
        let client = b
            .build()
            .map_err(|e| crate::ConfigError::Http(crate::error::error_chain(&e)))?;
        Ok(ReqwestTransport { client })
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let pending = self
            .client
            .post(request.url)
            .headers(request.headers)
            .body(request.body)
            .send();
        Box::pin(async move {
            let mut response = pending.await.map_err(|e| {
                if e.is_connect() {
                    TransportError::connect(e)
                } else {
                    TransportError::io(e)
                }
            })?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            Ok(HttpResponse {
                status,
                headers,
                body: Body(BodyKind::Reqwest(response)),
            })
        })
    }
}

/// A `reqwest` body stream with the error boxed.
struct MapErr(Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>);

impl Stream for MapErr {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|o| o.map(|r| r.map_err(|e| Box::new(e) as BoxError)))
    }
}
