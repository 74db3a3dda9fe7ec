//! Record and replay: [`RecordingTransport`] writes each exchange to a JSON
//! file with its secrets masked (by [`crate::redact`]: `Authorization`'s
//! signature, `X-TC-Token`, the action's sensitive members, secrets by name);
//! [`ReplayTransport`] answers from that file offline, in order, checking
//! that each request is the recorded one (its action and its masked body).

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::redact;
use crate::transport::{
    Body, HttpRequest, HttpResponse, HttpTransport, SharedTransport, TransportError,
    TransportFuture,
};

/// One recorded exchange.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedExchange {
    /// The action.
    pub action: String,
    /// The request.
    pub request: RecordedRequest,
    /// The response, or how the transport failed.
    pub response: RecordedResponse,
}

/// A recorded request (masked).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The URL.
    pub url: String,
    /// The headers, lower-case names, secrets masked.
    pub headers: BTreeMap<String, String>,
    /// The JSON body, secrets masked.
    pub body: Value,
}

/// A recorded response (masked), or a transport failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordedResponse {
    /// An HTTP response.
    Http {
        /// The status.
        status: u16,
        /// The headers, lower-case names.
        headers: BTreeMap<String, String>,
        /// The body: JSON (masked), or text (an event stream, each event's
        /// JSON masked), as it came.
        body: RecordedBody,
    },
    /// No connection was made.
    Connect {
        /// The error.
        message: String,
    },
    /// The connection failed after sending.
    Io {
        /// The error.
        message: String,
    },
}

/// A body as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedBody {
    /// A JSON body.
    Json(Value),
    /// Any other body, as text.
    Text(String),
}

#[derive(Serialize, Deserialize)]
struct File {
    /// The format's version.
    version: u32,
    exchanges: Vec<RecordedExchange>,
}

const VERSION: u32 = 1;

fn masked_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .map(|(n, v)| {
            let text = v.to_str().unwrap_or("<binary>");
            (
                n.as_str().to_owned(),
                redact::header(n.as_str(), text).into_owned(),
            )
        })
        .collect()
}

fn masked_json(body: &[u8], sensitive: &[crate::meta::Text]) -> Value {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            redact::redact_value(&mut v, sensitive);
            v
        }
        Err(_) => Value::String(String::from_utf8_lossy(body).into_owned()),
    }
}

fn masked_body(body: &[u8], sensitive: &[crate::meta::Text]) -> RecordedBody {
    if let Ok(mut v) = serde_json::from_slice::<Value>(body) {
        redact::redact_value(&mut v, sensitive);
        return RecordedBody::Json(v);
    }
    // An event stream: mask each `data:` line that is JSON.
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("data:") {
            Some(rest) => match serde_json::from_str::<Value>(rest.trim()) {
                Ok(mut v) => {
                    redact::redact_value(&mut v, &[]);
                    out.push_str("data: ");
                    out.push_str(&v.to_string());
                    out.push('\n');
                }
                Err(_) => out.push_str(line),
            },
            None => out.push_str(line),
        }
    }
    RecordedBody::Text(out)
}

/// Sends through another transport and records each exchange to a file
/// (rewritten after each exchange, so a failing test leaves what happened).
#[derive(Clone)]
pub struct RecordingTransport {
    inner: SharedTransport,
    path: PathBuf,
    exchanges: Arc<Mutex<Vec<RecordedExchange>>>,
}

impl fmt::Debug for RecordingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingTransport")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl RecordingTransport {
    /// Records what `inner` exchanges to `path`.
    pub fn new(inner: impl HttpTransport + 'static, path: impl Into<PathBuf>) -> Self {
        RecordingTransport {
            inner: Arc::new(inner),
            path: path.into(),
            exchanges: Arc::default(),
        }
    }

    /// Records what the default `reqwest` transport exchanges.
    pub fn reqwest(path: impl Into<PathBuf>) -> Self {
        RecordingTransport::new(
            crate::transport::ReqwestTransport::new(reqwest::Client::new()),
            path,
        )
    }

    /// The exchanges recorded so far.
    pub fn exchanges(&self) -> Vec<RecordedExchange> {
        crate::test_util::lock(&self.exchanges).clone()
    }

    fn save(&self, exchange: RecordedExchange) -> Result<(), TransportError> {
        let mut all = crate::test_util::lock(&self.exchanges);
        all.push(exchange);
        let file = File {
            version: VERSION,
            exchanges: all.clone(),
        };
        let text = serde_json::to_string_pretty(&file)
            .map_err(|e| TransportError::io(format!("recording: {e}")))?;
        std::fs::write(&self.path, text).map_err(|e| {
            TransportError::io(format!(
                "recording: cannot write {}: {e}",
                self.path.display()
            ))
        })
    }
}

impl HttpTransport for RecordingTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let recorded_request = RecordedRequest {
                url: request.url.to_string(),
                headers: masked_headers(&request.headers),
                body: masked_json(&request.body, &request.sensitive),
            };
            let action = request.action.to_string();
            let sensitive = request.sensitive.clone();
            let result = self.inner.send(request).await;
            let (response, answer) = match result {
                Ok(r) => {
                    let body = r.body.collect().await.map_err(|e| {
                        TransportError::io(format!("recording: reading the body: {e}"))
                    })?;
                    let recorded = RecordedResponse::Http {
                        status: r.status,
                        headers: masked_headers(&r.headers),
                        body: masked_body(&body, &sensitive),
                    };
                    let answer = HttpResponse {
                        status: r.status,
                        headers: r.headers,
                        body: Body::from_bytes(body),
                    };
                    (recorded, Ok(answer))
                }
                Err(e) => {
                    let message = e.to_string();
                    let recorded = match e.kind() {
                        crate::transport::TransportErrorKind::Connect => {
                            RecordedResponse::Connect { message }
                        }
                        _ => RecordedResponse::Io { message },
                    };
                    (recorded, Err(e))
                }
            };
            self.save(RecordedExchange {
                action,
                request: recorded_request,
                response,
            })?;
            answer
        })
    }
}

/// Answers from a recording, offline, in order.
#[derive(Clone)]
pub struct ReplayTransport {
    pending: Arc<Mutex<VecDeque<RecordedExchange>>>,
    source: String,
}

impl fmt::Debug for ReplayTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayTransport")
            .field("source", &self.source)
            .field("pending", &crate::test_util::lock(&self.pending).len())
            .finish()
    }
}

impl ReplayTransport {
    /// Loads a recording written by [`RecordingTransport`]; the error names
    /// the file and what is wrong.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, String> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("replay: cannot read {}: {e}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("replay: {} is not a recording: {e}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "replay: {} is version {} of the format; this runtime reads {VERSION}",
                path.display(),
                file.version
            ));
        }
        Ok(ReplayTransport::from_exchanges(
            file.exchanges,
            path.display().to_string(),
        ))
    }

    /// Replays these exchanges.
    pub fn from_exchanges(exchanges: Vec<RecordedExchange>, source: impl Into<String>) -> Self {
        ReplayTransport {
            pending: Arc::new(Mutex::new(exchanges.into())),
            source: source.into(),
        }
    }

    /// Panics if some recorded exchanges were not replayed.
    pub fn assert_all_replayed(&self) {
        let left = crate::test_util::lock(&self.pending);
        assert!(
            left.is_empty(),
            "{} recorded exchanges of {} not replayed, the next: {}",
            left.len(),
            self.source,
            left.front().map_or("", |e| e.action.as_str())
        );
    }

    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut pending = crate::test_util::lock(&self.pending);
        let Some(next) = pending.pop_front() else {
            return Err(TransportError::io(format!(
                "replay: {} has no more exchanges, but {} was sent",
                self.source, request.action
            )));
        };
        let body = masked_json(&request.body, &request.sensitive);
        if next.action != *request.action || next.request.body != body {
            let e = TransportError::io(format!(
                "replay: {} expected {} with {}, but {} was sent with {}",
                self.source, next.action, next.request.body, request.action, body
            ));
            pending.push_front(next);
            return Err(e);
        }
        match next.response {
            RecordedResponse::Connect { message } => Err(TransportError::connect(message)),
            RecordedResponse::Io { message } => Err(TransportError::io(message)),
            RecordedResponse::Http {
                status,
                headers,
                body,
            } => {
                let mut map = HeaderMap::new();
                for (n, v) in &headers {
                    if let (Ok(n), Ok(v)) = (
                        HeaderName::from_bytes(n.as_bytes()),
                        HeaderValue::from_str(v),
                    ) {
                        map.append(n, v);
                    }
                }
                let bytes = match body {
                    RecordedBody::Json(v) => v.to_string().into_bytes(),
                    RecordedBody::Text(t) => t.into_bytes(),
                };
                // The recorded length no longer holds once secrets are masked.
                map.remove(reqwest::header::CONTENT_LENGTH);
                Ok(HttpResponse {
                    status,
                    headers: map,
                    body: Body::from_bytes(Bytes::from(bytes)),
                })
            }
        }
    }
}

impl HttpTransport for ReplayTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let answer = self.answer(&request);
        Box::pin(async move { answer })
    }
}
