//! A small HTTP/1.1 receiver for TRTC callbacks (feature `receiver`), on hyper.
//!
//! Every `POST` (any path) is verified with a [`CallbackVerifier`]; an accepted
//! callback is handed to your function and answered `200 {"code":0}`; a
//! refused one is answered with [`CallbackError::reply`] (401 signature, 403
//! another application, 400 malformed), other methods with 405 and bodies
//! over [`MAX_BODY_BYTES`] with 413. Your function runs before the answer is
//! sent and TRTC waits at most 5 seconds: hand slow work to a queue.
//!
//! ```no_run
//! use tencentcloud_trtc_server::callback::CallbackVerifier;
//! use tencentcloud_trtc_server::receiver;
//!
//! # async fn demo() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let verifier = CallbackVerifier::new("callback key");
//! receiver::serve(listener, verifier, |cb| println!("{}", receiver::event_line(cb))).await;
//! # Ok(()) }
//! ```
//!
//! [`CallbackError::reply`]: crate::callback::CallbackError::reply

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::callback::{
    ack, Callback, CallbackVerifier, Reply, REPLY_CONTENT_TYPE, SDK_APP_ID_HEADER, SIGN_HEADER,
};

/// The largest body accepted (TRTC's callbacks are a few KiB at most).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// How long a client may take to send its headers, and its body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A placeholder event name, `group{EventGroupId}.type{EventType}` (e.g.
/// `group2.type204`), until typed events name them.
pub fn event_name(callback: &Callback) -> String {
    format!(
        "group{}.type{}",
        callback.event_group_id(),
        callback.event_type()
    )
}

/// One JSON line describing an accepted callback:
/// `{"group":2,"type":204,"event":"group2.type204","idempotency_key":"…"}`.
pub fn event_line(callback: &Callback) -> String {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        group: u64,
        #[serde(rename = "type")]
        event_type: u64,
        event: String,
        idempotency_key: &'a str,
    }
    let line = Line {
        group: callback.event_group_id(),
        event_type: callback.event_type(),
        event: event_name(callback),
        idempotency_key: callback.idempotency_key(),
    };
    serde_json::to_string(&line).expect("integers and strings always serialize")
}

struct State {
    verifier: CallbackVerifier,
    on_event: Box<dyn Fn(&Callback) + Send + Sync>,
}

/// Serves callbacks on `listener`; never returns, stop it by dropping the
/// future (for example by aborting its task). Failed accepts (a client gone before it
/// was accepted, out of file descriptors) are logged with `tracing` and the
/// loop goes on.
pub async fn serve<F>(listener: TcpListener, verifier: CallbackVerifier, on_event: F)
where
    F: Fn(&Callback) + Send + Sync + 'static,
{
    let state = Arc::new(State {
        verifier,
        on_event: Box::new(on_event),
    });
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "callback receiver: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(req, Arc::clone(&state)));
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "callback receiver: connection ended with an error");
            }
        });
    }
}

async fn handle(
    req: Request<Incoming>,
    state: Arc<State>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if req.method() != Method::POST {
        let mut resp = respond(error_reply(405, "only POST is accepted"));
        resp.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return Ok(resp);
    }
    // Header values that are not visible ASCII are passed on as they are
    // (lossily decoded), so the verifier names them malformed, not missing.
    let header = |name: &str| {
        req.headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let sign = header(SIGN_HEADER);
    let sdk_app_id = header(SDK_APP_ID_HEADER);
    let limited = Limited::new(req.into_body(), MAX_BODY_BYTES);
    let body = match tokio::time::timeout(READ_TIMEOUT, limited.collect()).await {
        Err(_) => {
            return Ok(respond(error_reply(
                408,
                "the body was not received in time",
            )))
        }
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return Ok(respond(error_reply(
                413,
                &format!("the body is larger than {MAX_BODY_BYTES} bytes"),
            )))
        }
        Ok(Err(e)) => {
            return Ok(respond(error_reply(
                400,
                &format!("the body could not be read: {e}"),
            )))
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let reply = match state
        .verifier
        .verify(sign.as_deref(), sdk_app_id.as_deref(), &body)
    {
        Ok(callback) => {
            (state.on_event)(&callback);
            ack()
        }
        Err(e) => e.reply(),
    };
    Ok(respond(reply))
}

fn error_reply(status: u16, message: &str) -> Reply {
    Reply {
        status,
        body: serde_json::json!({ "code": status, "error": message }).to_string(),
    }
}

fn respond(reply: Reply) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(reply.body)));
    *resp.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(REPLY_CONTENT_TYPE));
    resp
}
