//! An interceptor that writes an audit line per attempt: who called what,
//! where, with which trace ID, and the request body with its secrets masked
//! by the spec's `sensitive` marks (each action's `ActionMeta::sensitive`)
//! and the runtime's name rule: the one redaction rule of
//! `tencentcloud_runtime::redact`. `cargo run --example audit_log` runs it.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tencentcloud_trtc::runtime::interceptor::{CallInfo, Interceptor, ResponseInfo};
use tencentcloud_trtc::runtime::redact;
use tencentcloud_trtc::runtime::transport::HttpRequest;
use tencentcloud_trtc::runtime::ApiError;
use tencentcloud_trtc::SdkError;

/// Writes one JSON line per event to a sink (a file, stderr, a test's buffer).
#[derive(Clone)]
pub struct AuditLog {
    sink: Arc<Mutex<dyn Write + Send>>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditLog")
    }
}

impl AuditLog {
    /// Writes to `sink`.
    pub fn new(sink: impl Write + Send + 'static) -> Self {
        AuditLog {
            sink: Arc::new(Mutex::new(sink)),
        }
    }

    fn write(&self, line: serde_json::Value) {
        let mut sink = self.sink.lock().unwrap_or_else(|p| p.into_inner());
        // An audit sink that fails must not fail the call.
        let _ = writeln!(sink, "{line}");
    }
}

impl Interceptor for AuditLog {
    fn after_signing(&self, call: &CallInfo<'_>, request: &HttpRequest) {
        let body: serde_json::Value = serde_json::from_slice(call.body())
            .map(|mut v| {
                redact::redact_value(&mut v, &call.action().sensitive);
                v
            })
            .unwrap_or(serde_json::Value::Null);
        self.write(serde_json::json!({
            "event": "request",
            "service": call.service(),
            "action": &*call.action().name,
            "region": call.region(),
            "trace_id": call.trace_id(),
            "attempt": call.attempt(),
            "host": request.url.host_str(),
            "body": body,
        }));
    }

    fn after_response(&self, call: &CallInfo<'_>, response: &ResponseInfo<'_>) {
        let request_id = response
            .body()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
            .and_then(|v| v["Response"]["RequestId"].as_str().map(str::to_owned));
        self.write(serde_json::json!({
            "event": "response",
            "action": &*call.action().name,
            "trace_id": call.trace_id(),
            "status": response.status(),
            "request_id": request_id,
        }));
    }

    fn on_error(&self, call: &CallInfo<'_>, error: &SdkError<ApiError>) {
        self.write(serde_json::json!({
            "event": "error",
            "action": &*call.action().name,
            "trace_id": call.trace_id(),
            "code": error.code(),
            "error": error.to_string(),
        }));
    }
}
