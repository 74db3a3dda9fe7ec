//! A small HTTP/1.1 server loop with full control of the bytes on the wire,
//! which fault injection needs (drop a connection, truncate a body) and which a
//! fair benchmark needs (keep-alive, one write per response).

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest header block accepted.
pub const MAX_HEAD: usize = 64 * 1024;
/// The largest body accepted.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// A parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    /// `POST`, `GET`, ...
    pub method: String,
    /// The request target.
    pub path: String,
    /// Headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn wants_close(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

/// What to send back.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response.
    Full {
        /// Status code.
        status: u16,
        /// Body (JSON or anything).
        body: Vec<u8>,
        /// The `Date` header value.
        date: String,
    },
    /// Headers announcing the whole body, then only its first half, then close.
    Truncated {
        /// Status code.
        status: u16,
        /// The whole body (only half is sent).
        body: Vec<u8>,
        /// The `Date` header value.
        date: String,
    },
    /// A server-sent event stream: chunked, one chunk per event, flushed as
    /// written; with `complete: false` the connection closes before the last chunk.
    Stream {
        /// Extra headers (e.g. `X-TC-RequestId`).
        headers: Vec<(String, String)>,
        /// Each event's bytes (`data: ...\n\n`).
        events: Vec<Vec<u8>>,
        /// Whether the stream ends properly (terminating chunk) or is cut.
        complete: bool,
        /// The `Date` header value.
        date: String,
    },
    /// Close the connection without answering.
    Drop,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn head(status: u16, content_length: usize, date: &str, close: bool) -> String {
    format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {content_length}\r\nDate: {date}\r\nServer: tencentcloud-local-endpoint\r\nConnection: {}\r\n\r\n",
        reason(status),
        if close { "close" } else { "keep-alive" }
    )
}

enum ReadOutcome {
    Request(Request),
    Closed,
    Bad(u16, &'static str),
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<ReadOutcome> {
    loop {
        if let Some(end) = find_head_end(buf) {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(&buf[..end]) {
                Ok(httparse::Status::Complete(_)) => {}
                Ok(httparse::Status::Partial) | Err(_) => {
                    return Ok(ReadOutcome::Bad(400, "malformed request head"))
                }
            }
            let method = req.method.unwrap_or("").to_owned();
            let path = req.path.unwrap_or("").to_owned();
            let headers: Vec<(String, String)> = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_ascii_lowercase(),
                        String::from_utf8_lossy(h.value).trim().to_owned(),
                    )
                })
                .collect();
            let chunked = headers.iter().any(|(n, v)| {
                n == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked")
            });
            if chunked {
                return Ok(ReadOutcome::Bad(
                    411,
                    "chunked bodies are not supported; send Content-Length",
                ));
            }
            let len = match headers.iter().find(|(n, _)| n == "content-length") {
                Some((_, v)) => match v.parse::<usize>() {
                    Ok(n) => n,
                    Err(_) => return Ok(ReadOutcome::Bad(400, "bad Content-Length")),
                },
                None => 0,
            };
            if len > MAX_BODY {
                return Ok(ReadOutcome::Bad(413, "body too large"));
            }
            let total = end + len;
            while buf.len() < total {
                let mut chunk = [0u8; 16 * 1024];
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(ReadOutcome::Closed);
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[end..total].to_vec();
            buf.drain(..total);
            return Ok(ReadOutcome::Request(Request {
                method,
                path,
                headers,
                body,
            }));
        }
        if buf.len() > MAX_HEAD {
            return Ok(ReadOutcome::Bad(431, "request head too large"));
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(ReadOutcome::Closed);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// Serves one connection until it closes; `handle` answers each request.
pub async fn serve_connection<F, Fut>(mut stream: TcpStream, handle: F, date: impl Fn() -> String)
where
    F: Fn(Request) -> Fut,
    Fut: std::future::Future<Output = Reply>,
{
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(4096);
    loop {
        let outcome = match tokio::time::timeout(
            Duration::from_secs(120),
            read_request(&mut stream, &mut buf),
        )
        .await
        {
            Ok(Ok(o)) => o,
            _ => return,
        };
        let request = match outcome {
            ReadOutcome::Request(r) => r,
            ReadOutcome::Closed => return,
            ReadOutcome::Bad(status, why) => {
                let body = format!("{{\"error\":{why:?}}}");
                let mut out = head(status, body.len(), &date(), true).into_bytes();
                out.extend_from_slice(body.as_bytes());
                let _ = stream.write_all(&out).await;
                return;
            }
        };
        let close = request.wants_close();
        match handle(request).await {
            Reply::Full { status, body, date } => {
                let mut out = head(status, body.len(), &date, close).into_bytes();
                out.extend_from_slice(&body);
                if stream.write_all(&out).await.is_err() || close {
                    return;
                }
            }
            Reply::Truncated { status, body, date } => {
                let mut out = head(status, body.len(), &date, true).into_bytes();
                out.extend_from_slice(&body[..body.len() / 2]);
                let _ = stream.write_all(&out).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Stream {
                headers,
                events,
                complete,
                date,
            } => {
                let mut out = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\nDate: {date}\r\nServer: tencentcloud-local-endpoint\r\nConnection: {}\r\n",
                    if close || !complete { "close" } else { "keep-alive" }
                );
                for (name, value) in &headers {
                    out.push_str(&format!("{name}: {value}\r\n"));
                }
                out.push_str("\r\n");
                if stream.write_all(out.as_bytes()).await.is_err() {
                    return;
                }
                for event in &events {
                    let mut chunk = format!("{:x}\r\n", event.len()).into_bytes();
                    chunk.extend_from_slice(event);
                    chunk.extend_from_slice(b"\r\n");
                    if stream.write_all(&chunk).await.is_err() || stream.flush().await.is_err() {
                        return;
                    }
                }
                if !complete {
                    let _ = stream.shutdown().await;
                    return;
                }
                if stream.write_all(b"0\r\n\r\n").await.is_err() || close {
                    return;
                }
            }
            Reply::Drop => {
                // Close without a response (RST-free: a plain close after reading).
                let _ = stream.shutdown().await;
                return;
            }
        }
    }
}
