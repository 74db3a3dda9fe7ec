//! Server-sent event streams (`Content-Type: text/event-stream`).
//!
//! An action whose spec declares a stream answers with events, one JSON object
//! per `data:` field, instead of one `{"Response": ...}` body.
//! [`EventStream`] reads them as they arrive and decodes each into the action's
//! event type. It ends with the event that says it is the last (the spec's
//! `end_member`), or with a typed error: an event of the error kind (its
//! `Error` member's `Code` and `Message` become the action's error), an event
//! that does not decode, a stream that ends before its last event, a gap
//! between bytes longer than the attempt timeout, or an event larger than the
//! body size limit.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{
    ApiError, DispatchError, DispatchKind, ResponseError, ResponseErrorKind, SdkError, ServiceError,
};

pub use crate::meta::StreamMeta;

type Chunks = crate::transport::ChunkStream;

/// A stream of typed events from one call. `recv` (or the [`Stream`]
/// implementation) yields each event; after the last event, or after an error,
/// it yields nothing more.
pub struct EventStream<T, E> {
    action: crate::meta::Text,
    meta: StreamMeta,
    request_id: String,
    trace_id: Option<Box<str>>,
    attempts: u32,
    chunks: Option<Chunks>,
    buf: Vec<u8>,
    /// Where the scan for the end of the current event resumes.
    scanned: usize,
    events: usize,
    done: bool,
    cap: usize,
    idle: Option<Duration>,
    idle_timer: Option<Pin<Box<tokio::time::Sleep>>>,
    map: fn(ApiError) -> E,
    /// How events are decoded (see [`crate::drift`]).
    pub(crate) mode: crate::drift::Mode,
    _event: PhantomData<fn() -> T>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("action", &self.action)
            .field("request_id", &self.request_id)
            .field("trace_id", &self.trace_id)
            .field("events", &self.events)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The start of a streamed answer, before its action's types are known.
pub(crate) struct StreamStart {
    pub(crate) body: crate::transport::Body,
    pub(crate) request_id: String,
    pub(crate) trace_id: String,
    pub(crate) attempts: u32,
}

impl fmt::Debug for StreamStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamStart")
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct ErrorMember {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

impl<T: DeserializeOwned, E> EventStream<T, E> {
    pub(crate) fn new(
        action: impl Into<crate::meta::Text>,
        meta: StreamMeta,
        start: StreamStart,
        cap: usize,
        idle: Option<Duration>,
        map: fn(ApiError) -> E,
    ) -> Self {
        EventStream {
            action: action.into(),
            meta,
            request_id: start.request_id,
            trace_id: Some(start.trace_id.into_boxed_str()),
            attempts: start.attempts,
            chunks: Some(start.body.into_stream()),
            buf: Vec::new(),
            scanned: 0,
            events: 0,
            done: false,
            cap,
            idle,
            idle_timer: None,
            map,
            mode: crate::drift::Mode::Tolerant,
            _event: PhantomData,
        }
    }

    /// An event stream over bytes already in memory (for tests and replay).
    pub fn from_bytes(
        action: impl Into<crate::meta::Text>,
        meta: &StreamMeta,
        request_id: impl Into<String>,
        body: Vec<u8>,
        map: fn(ApiError) -> E,
    ) -> Self {
        EventStream {
            action: action.into(),
            meta: meta.clone(),
            request_id: request_id.into(),
            trace_id: None,
            attempts: 1,
            chunks: None,
            cap: body.len().max(1),
            buf: body,
            scanned: 0,
            events: 0,
            done: false,
            idle: None,
            idle_timer: None,
            map,
            mode: crate::drift::Mode::Tolerant,
            _event: PhantomData,
        }
    }

    /// The RequestId of the call (from the `X-TC-RequestId` header), or empty.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The call's `X-TC-TraceId` (`None` for a stream made from bytes).
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// How many events were received so far.
    pub fn events(&self) -> usize {
        self.events
    }

    /// The next event; `Ok(None)` after the last one.
    pub async fn recv(&mut self) -> Result<Option<T>, SdkError<E>> {
        match std::future::poll_fn(|cx| self.poll_event(cx)).await {
            Some(Ok(event)) => Ok(Some(event)),
            Some(Err(e)) => Err(e),
            None => Ok(None),
        }
    }

    /// Every remaining event, or the first error.
    pub async fn collect(mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut out = Vec::new();
        while let Some(event) = self.recv().await? {
            out.push(event);
        }
        Ok(out)
    }

    fn fail(&mut self, kind: ResponseErrorKind, excerpt: &[u8]) -> SdkError<E> {
        self.done = true;
        self.chunks = None;
        let mut e = ResponseError::new(self.action.clone(), 200, kind, excerpt);
        e.attempts = self.attempts;
        if !self.request_id.is_empty() {
            e.request_id = Some(self.request_id.clone());
        }
        if let Some(id) = self.trace_id.clone() {
            e.set_trace_id(id);
        }
        SdkError::Response(e)
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, SdkError<E>>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            if let Some((data, consumed)) = next_event(&self.buf, &mut self.scanned) {
                let data = data.to_owned();
                self.buf.drain(..consumed);
                self.scanned = 0;
                match data {
                    Some(text) => return Poll::Ready(Some(self.decode(&text))),
                    None => continue, // a comment or an event without data
                }
            }
            if self.buf.len() > self.cap {
                let buf = std::mem::take(&mut self.buf);
                let limit = self.cap;
                return Poll::Ready(Some(Err(
                    self.fail(ResponseErrorKind::TooLarge { limit }, &buf)
                )));
            }
            let Some(chunks) = self.chunks.as_mut() else {
                // The body ended: a last event without its blank line still counts.
                if !self.buf.is_empty() {
                    self.buf.extend_from_slice(b"\n\n");
                    continue;
                }
                if self.meta.end_member.is_none() {
                    // No member marks the last event: the body's end does.
                    self.done = true;
                    return Poll::Ready(None);
                }
                let events = self.events;
                return Poll::Ready(Some(Err(
                    self.fail(ResponseErrorKind::StreamEnded { events }, b"")
                )));
            };
            match chunks.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(bytes))) => {
                    self.idle_timer = None;
                    self.buf.extend_from_slice(&bytes);
                }
                Poll::Ready(None) => self.chunks = None,
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    self.chunks = None;
                    return Poll::Ready(Some(Err(SdkError::Dispatch(DispatchError {
                        action: self.action.clone(),
                        attempts: self.attempts,
                        kind: DispatchKind::Io,
                        source: Some(e),
                        trace_id: self.trace_id.clone(),
                    }))));
                }
                Poll::Pending => {
                    let Some(idle) = self.idle else {
                        return Poll::Pending;
                    };
                    let timer = self
                        .idle_timer
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                    if timer.as_mut().poll(cx).is_ready() {
                        self.done = true;
                        self.chunks = None;
                        return Poll::Ready(Some(Err(SdkError::Dispatch(DispatchError {
                            action: self.action.clone(),
                            attempts: self.attempts,
                            kind: DispatchKind::Timeout,
                            source: Some(
                                format!("no event data for {} ms", idle.as_millis()).into(),
                            ),
                            trace_id: self.trace_id.clone(),
                        }))));
                    }
                    return Poll::Pending;
                }
            }
        }
    }

    fn decode(&mut self, data: &str) -> Result<T, SdkError<E>> {
        let index = self.events;
        self.events += 1;
        let members: HashMap<&str, &RawValue> = match serde_json::from_str(data) {
            Ok(m) => m,
            Err(e) => {
                return Err(self.fail(
                    ResponseErrorKind::Event {
                        index,
                        message: format!("not a JSON object: {e}"),
                    },
                    data.as_bytes(),
                ))
            }
        };
        let kind = self
            .meta
            .kind_member
            .as_deref()
            .and_then(|m| members.get(m))
            .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        if kind.is_some() && kind.as_deref() == self.meta.error_kind.as_deref() {
            let request_id = members
                .get("RequestId")
                .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
                .unwrap_or_else(|| self.request_id.clone());
            let error = members
                .get("Error")
                .and_then(|raw| serde_json::from_str::<ErrorMember>(raw.get()).ok());
            let Some(error) = error else {
                return Err(self.fail(
                    ResponseErrorKind::Event {
                        index,
                        message: "an error event without `Error.Code`".to_owned(),
                    },
                    data.as_bytes(),
                ));
            };
            self.done = true;
            self.chunks = None;
            let api = ApiError::new(error.code, error.message, request_id);
            return Err(SdkError::Service(ServiceError {
                action: self.action.clone(),
                attempts: self.attempts,
                err: (self.map)(api),
                trace_id: self.trace_id.clone(),
            }));
        }
        let last = self
            .meta
            .end_member
            .as_deref()
            .and_then(|m| members.get(m))
            .is_some_and(|raw| raw.get() == "true");
        match crate::drift::decode::<T>(data.as_bytes(), self.mode) {
            Ok((event, coercions)) => {
                for c in coercions {
                    tracing::warn!(
                        action = &*self.action,
                        event = index,
                        path = %c.path,
                        "event drifts from the documented type: {}",
                        c.kind
                    );
                }
                if last {
                    self.done = true;
                    self.chunks = None;
                }
                Ok(event)
            }
            Err(e) => {
                let message = if e.path.is_empty() {
                    e.message
                } else {
                    format!("at {}: {}", e.path, e.message)
                };
                Err(self.fail(ResponseErrorKind::Event { index, message }, data.as_bytes()))
            }
        }
    }
}

/// Finds the next complete event in `buf` (events end with a blank line; lines
/// end with `\n`, `\r\n` or `\r`). Returns the event's data (its `data:` lines
/// joined with `\n`; `None` for an event without data) and how many bytes it
/// used. `scanned` remembers where the search for the blank line stopped.
fn next_event(buf: &[u8], scanned: &mut usize) -> Option<(Option<String>, usize)> {
    let mut i = scanned.saturating_sub(2);
    let end = loop {
        let rest = buf.get(i..)?;
        let at = rest.iter().position(|&b| b == b'\n' || b == b'\r')?;
        let nl = i + at;
        // The line break's length: \r\n counts as one break.
        let first = if buf[nl] == b'\r' && buf.get(nl + 1) == Some(&b'\n') {
            2
        } else if buf[nl] == b'\r' && nl + 1 == buf.len() {
            // A \r at the end may be the first half of \r\n: wait for more.
            *scanned = nl;
            return None;
        } else {
            1
        };
        let after = nl + first;
        match buf.get(after) {
            None => {
                *scanned = nl;
                return None;
            }
            Some(b'\n') => break after + 1,
            Some(b'\r') => {
                if buf.get(after + 1) == Some(&b'\n') {
                    break after + 2;
                }
                if after + 1 == buf.len() {
                    *scanned = nl;
                    return None;
                }
                break after + 1;
            }
            Some(_) => i = after,
        }
    };
    let text = String::from_utf8_lossy(&buf[..end]);
    let mut data: Option<String> = None;
    for line in text.split(['\n', '\r']) {
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        if field == "data" {
            match &mut data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => data = Some(value.to_owned()),
            }
        }
    }
    Some((data, end))
}

impl<T: DeserializeOwned, E> Stream for EventStream<T, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

impl<T, E> Unpin for EventStream<T, E> {}

#[cfg(test)]
mod tests {
    use super::*;

    use std::borrow::Cow;

    static META: StreamMeta = StreamMeta {
        kind_member: Some(Cow::Borrowed("Type")),
        error_kind: Some(Cow::Borrowed("error")),
        end_member: Some(Cow::Borrowed("IsEnd")),
    };

    #[derive(Debug, Deserialize, PartialEq)]
    struct Ev {
        #[serde(rename = "Type")]
        kind: String,
        #[serde(rename = "Seq", default)]
        seq: Option<u32>,
    }

    fn stream(body: &str) -> EventStream<Ev, ApiError> {
        EventStream::from_bytes("Tts", &META, "rid", body.as_bytes().to_vec(), |e| e)
    }

    #[tokio::test]
    async fn events_until_the_last() {
        let s = stream(
            ": comment\n\ndata: {\"Type\": \"chunk\", \"Seq\": 0, \"IsEnd\": false}\n\n\
             data: {\"Type\": \"chunk\", \"Seq\": 1, \"IsEnd\": true}\r\n\r\n\
             data: {\"Type\": \"chunk\", \"Seq\": 2}\n\n",
        );
        let events = s.collect().await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [Some(0), Some(1)]
        );
    }

    #[tokio::test]
    async fn multi_line_data_and_a_missing_final_blank_line() {
        let mut s = stream("event: x\ndata: {\"Type\":\ndata: \"chunk\", \"IsEnd\": true}");
        let e = s.recv().await.unwrap().unwrap();
        assert_eq!(e.kind, "chunk");
        assert!(s.recv().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn an_error_event_becomes_the_typed_error() {
        let mut s = stream(
            "data: {\"Type\": \"chunk\", \"Seq\": 0, \"IsEnd\": false}\n\n\
             data: {\"Type\": \"error\", \"RequestId\": \"r-1\", \"Error\": {\"Code\": \"InternalError\", \"Message\": \"boom\"}}\n\n",
        );
        assert!(s.recv().await.unwrap().is_some());
        let e = s.recv().await.unwrap_err();
        let SdkError::Service(se) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(se.err().code(), "InternalError");
        assert_eq!(se.err().message(), "boom");
        assert_eq!(se.err().request_id(), "r-1");
        assert!(s.recv().await.unwrap().is_none(), "nothing after an error");
    }

    #[tokio::test]
    async fn a_stream_that_stops_early_is_an_error() {
        let mut s = stream("data: {\"Type\": \"chunk\", \"IsEnd\": false}\n\n");
        assert!(s.recv().await.unwrap().is_some());
        let e = s.recv().await.unwrap_err();
        let SdkError::Response(r) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(r.kind(), &ResponseErrorKind::StreamEnded { events: 1 });
        assert!(e.to_string().contains("ended after 1 event"), "{e}");
    }

    #[tokio::test]
    async fn a_bad_event_names_its_index_and_path() {
        let mut s = stream(
            "data: {\"Type\": \"chunk\"}\n\ndata: {\"Type\": \"chunk\", \"Seq\": \"x\"}\n\n",
        );
        s.recv().await.unwrap();
        let e = s.recv().await.unwrap_err();
        let SdkError::Response(r) = &e else {
            panic!("{e:?}")
        };
        let ResponseErrorKind::Event { index, message } = r.kind() else {
            panic!("{r:?}")
        };
        assert_eq!(*index, 1);
        assert!(message.starts_with("at Seq:"), "{message}");
        let mut s = stream("data: not json\n\n");
        assert!(s.recv().await.is_err());
    }

    #[test]
    fn event_framing() {
        let mut scanned = 0;
        assert_eq!(next_event(b"data: a\n", &mut scanned), None);
        let mut scanned = 0;
        assert_eq!(next_event(b"data: a\r", &mut scanned), None);
        let mut scanned = 0;
        assert_eq!(
            next_event(b"data: a\r\rrest", &mut scanned),
            Some((Some("a".to_owned()), 9))
        );
        let mut scanned = 0;
        assert_eq!(next_event(b"id: 1\n\n", &mut scanned), Some((None, 7)));
    }
}
