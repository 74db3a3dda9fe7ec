//! What the endpoint checks, in the order the real one does, and how actions behave.

use std::time::Duration;

use serde_json::{json, Map, Value};
use tencentcloud_codegen::check::{self, Direction, ProblemKind};
use tencentcloud_codegen::spec::{Action, ShapeKind, Spec};
use tencentcloud_runtime::sign::{self, SignedHeaders, SigningInput};

use crate::http::{Reply, Request};
use crate::{lock, Fault, State};

/// A running transcription task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// The TaskId handed out.
    pub task_id: String,
    /// The SdkAppId it was created for.
    pub sdk_app_id: u64,
    /// The room.
    pub room_id: String,
    /// Milliseconds since the Unix epoch when it started.
    pub start_time: u64,
    /// `Idle`, `InProgress` or `Exited`.
    pub status: String,
}

/// A refusal: code and message.
struct Refusal {
    code: String,
    message: String,
}

fn refuse(code: &str, message: impl Into<String>) -> Refusal {
    Refusal {
        code: code.to_owned(),
        message: message.into(),
    }
}

pub(crate) fn request_id() -> String {
    let hex = |n: usize| -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[fastrand::usize(0..16)]))
            .collect()
    };
    format!("{}-{}-{}-{}-{}", hex(8), hex(4), hex(4), hex(4), hex(12))
}

fn task_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let body: String = (0..40)
        .map(|_| char::from(ALPHABET[fastrand::usize(0..ALPHABET.len())]))
        .collect();
    format!("-{body}.")
}

fn envelope(state: &State, mut response: Map<String, Value>) -> Reply {
    response.insert("RequestId".to_owned(), Value::String(request_id()));
    let body = serde_json::to_vec(&json!({ "Response": response })).unwrap_or_default();
    Reply::Full {
        status: 200,
        body,
        date: state.date_header(),
    }
}

fn error_reply(state: &State, r: &Refusal) -> Reply {
    let mut m = Map::new();
    m.insert(
        "Error".to_owned(),
        json!({ "Code": r.code, "Message": r.message }),
    );
    envelope(state, m)
}

/// Answers an injected fault.
pub(crate) fn apply_fault(state: &State, fault: &Fault) -> (String, Reply) {
    match fault {
        Fault::Error { code, message } => (
            format!("injected {code}"),
            error_reply(state, &refuse(code, message.clone())),
        ),
        Fault::Drop => ("injected drop".to_owned(), Reply::Drop),
        Fault::Status { status, body } => (
            format!("injected HTTP {status}"),
            Reply::Full {
                status: *status,
                body: body.clone().into_bytes(),
                date: state.date_header(),
            },
        ),
        Fault::Body(body) => (
            "injected body".to_owned(),
            Reply::Full {
                status: 200,
                body: body.clone(),
                date: state.date_header(),
            },
        ),
        Fault::Oversized(n) => {
            let head = b"{\"Response\":{\"RequestId\":\"oversized\",\"Padding\":\"";
            let tail = b"\"}}";
            let pad = n.saturating_sub(head.len() + tail.len());
            let mut body = Vec::with_capacity(*n);
            body.extend_from_slice(head);
            body.resize(head.len() + pad, b'x');
            body.extend_from_slice(tail);
            (
                format!("injected {n}-byte body"),
                Reply::Full {
                    status: 200,
                    body,
                    date: state.date_header(),
                },
            )
        }
        // Delay and Truncate wrap normal processing; handled by the caller.
        Fault::Delay(_) | Fault::Truncate => ("no-op".to_owned(), Reply::Drop),
    }
}

/// Checks and handles one request.
pub(crate) fn process(state: &State, req: &Request) -> (String, Reply) {
    match check_and_run(state, req) {
        Ok(response) => ("ok".to_owned(), envelope(state, response)),
        Err(r) => (r.code.clone(), error_reply(state, &r)),
    }
}

struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix(sign::ALGORITHM)?.strip_prefix(' ')?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => return None,
        }
    }
    let mut scope = credential?.split('/');
    let secret_id = scope.next()?;
    let date = scope.next()?;
    let service = scope.next()?;
    if scope.next()? != "tc3_request" || scope.next().is_some() {
        return None;
    }
    let signature = signature?;
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(Authorization {
        secret_id,
        date,
        service,
        signed_headers: signed?,
        signature,
    })
}

fn check_and_run(state: &State, req: &Request) -> Result<Map<String, Value>, Refusal> {
    if req.method != "POST" {
        return Err(refuse(
            "UnsupportedProtocol",
            format!(
                "The HTTP method {} is not supported here; use POST.",
                req.method
            ),
        ));
    }
    if req.path != "/" {
        return Err(refuse(
            "UnsupportedProtocol",
            format!(
                "The request path {} is not supported; API 3.0 requests go to /.",
                req.path
            ),
        ));
    }
    // 1. Authorization header.
    let Some(raw_auth) = req.header("authorization") else {
        return Err(refuse(
            "AuthFailure.InvalidAuthorization",
            "The Authorization header is missing.",
        ));
    };
    let Some(auth) = parse_authorization(raw_auth) else {
        return Err(refuse(
            "AuthFailure.InvalidAuthorization",
            "The Authorization header is malformed: expected `TC3-HMAC-SHA256 Credential=SecretId/Date/service/tc3_request, SignedHeaders=..., Signature=<64 hex>`.",
        ));
    };
    let Some(signed_headers) = SignedHeaders::parse(auth.signed_headers) else {
        return Err(refuse(
            "AuthFailure.InvalidAuthorization",
            format!(
                "SignedHeaders `{}` is not supported: use `content-type;host` or `content-type;host;x-tc-action`.",
                auth.signed_headers
            ),
        ));
    };
    // 2. Timestamp.
    let Some(timestamp) = req
        .header("x-tc-timestamp")
        .and_then(|t| t.parse::<i64>().ok())
    else {
        return Err(refuse(
            "MissingParameter",
            "The request is missing a valid X-TC-Timestamp header.",
        ));
    };
    let now = state.now();
    if (now - timestamp).abs() > state.max_skew {
        return Err(refuse(
            "AuthFailure.SignatureExpire",
            format!(
                "Signature expired: the request timestamp {timestamp} and the server time {now} differ by more than {} seconds.",
                state.max_skew
            ),
        ));
    }
    // 3. SecretId.
    let Some(key) = state.keys.iter().find(|k| k.secret_id == auth.secret_id) else {
        return Err(refuse(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found; check that it is correct and that the key is enabled.",
        ));
    };
    // 4. Scope: service and date.
    let Some(spec) = state.specs.iter().find(|s| s.service.name == auth.service) else {
        return Err(refuse(
            "AuthFailure.SignatureFailure",
            format!(
                "The credential scope names service `{}`, which this endpoint does not serve.",
                auth.service
            ),
        ));
    };
    if auth.date != sign::utc_date(timestamp) {
        return Err(refuse(
            "AuthFailure.SignatureFailure",
            format!(
                "The credential scope date {} does not match the UTC date of X-TC-Timestamp ({}).",
                auth.date,
                sign::utc_date(timestamp)
            ),
        ));
    }
    // 5. Signature.
    let content_type = req.header("content-type").unwrap_or("");
    let host = req.header("host").unwrap_or("");
    let action_header = req.header("x-tc-action").unwrap_or("");
    let signed_over = |host: &str| {
        let expected = sign::sign(&SigningInput {
            secret_id: auth.secret_id,
            secret_key: &key.secret_key,
            service: auth.service,
            host,
            action: action_header,
            content_type,
            timestamp,
            payload: &req.body,
            signed_headers,
        });
        constant_time_eq(expected.signature.as_bytes(), auth.signature.as_bytes())
    };
    // Tencent's Node.js SDK signs `host:` with the host name alone while it
    // sends `Host: name:port`; the real endpoint accepts what its SDKs send.
    let without_port = host
        .rsplit_once(':')
        .filter(|(name, port)| !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        .map(|(name, _)| name);
    if !signed_over(host) && !without_port.is_some_and(signed_over) {
        return Err(refuse(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated: the signature does not match. Check the SecretKey and the signing steps.",
        ));
    }
    // 6. Token of temporary credentials.
    if let Some(token) = &key.token {
        if req.header("x-tc-token") != Some(token.as_str()) {
            return Err(refuse(
                "AuthFailure.TokenFailure",
                "The X-TC-Token header is missing or does not match these temporary credentials.",
            ));
        }
    }
    // 7. Action and version.
    if action_header.is_empty() {
        return Err(refuse(
            "MissingParameter",
            "The request is missing the X-TC-Action header.",
        ));
    }
    let Some(action) = spec.actions.get(action_header) else {
        return Err(refuse(
            "InvalidAction",
            format!(
                "The action `{action_header}` does not exist in {} {}.",
                spec.service.name, spec.service.version
            ),
        ));
    };
    match req.header("x-tc-version") {
        None => {
            return Err(refuse(
                "MissingParameter",
                "The request is missing the X-TC-Version header.",
            ))
        }
        Some(v) if v != spec.service.version => {
            return Err(refuse(
                "NoSuchVersion",
                format!(
                    "The version `{v}` does not exist; {} serves {}.",
                    spec.service.name, spec.service.version
                ),
            ))
        }
        Some(_) => {}
    }
    // 8. Region.
    if !action.regions.is_empty() {
        match req.header("x-tc-region").filter(|r| !r.is_empty()) {
            None => {
                let code = if action.errors.contains_key("MissingParameter.Region") {
                    "MissingParameter.Region"
                } else {
                    "MissingParameter"
                };
                return Err(refuse(
                    code,
                    "The request is missing the X-TC-Region header.",
                ));
            }
            Some(r) if !action.regions.iter().any(|a| a == r) => {
                return Err(refuse(
                    "UnsupportedRegion",
                    format!(
                        "{action_header} does not support region `{r}`; supported: {}.",
                        action.regions.join(", ")
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    // 9. Rate limit.
    if state.rate_limits {
        if let Some(limit) = action.rate_limit {
            if !admit(state, action_header, limit) {
                return Err(refuse(
                    "RequestLimitExceeded",
                    format!("{action_header} allows {limit} requests per second; this request exceeds it."),
                ));
            }
        }
    }
    // 10. Body against the input shape.
    let body: Value = serde_json::from_slice(&req.body).map_err(|e| {
        refuse(
            "InvalidParameter",
            format!("The request body is not valid JSON: {e}."),
        )
    })?;
    if !body.is_object() {
        return Err(refuse(
            "InvalidParameter",
            "The request body must be a JSON object.",
        ));
    }
    let problems = check::check(spec, &action.input, &body, Direction::Request);
    if let Some(p) = problems.first() {
        return Err(problem_refusal(action, p));
    }
    run(state, spec, action_header, action, &body)
}

fn problem_refusal(action: &Action, p: &check::Problem) -> Refusal {
    let last = p
        .path
        .rsplit('.')
        .next()
        .unwrap_or(&p.path)
        .split('[')
        .next()
        .unwrap_or("");
    match &p.kind {
        ProblemKind::Missing => {
            let specific = format!("MissingParameter.{last}");
            let code = if action.errors.contains_key(&specific) {
                specific
            } else {
                "MissingParameter".to_owned()
            };
            refuse(
                &code,
                format!(
                    "The request is missing the required parameter `{}`.",
                    p.path
                ),
            )
        }
        ProblemKind::Unknown { hint } => refuse(
            "UnknownParameter",
            match hint {
                Some(h) => format!(
                    "The parameter `{}` is not recognized (did you mean `{h}`?).",
                    p.path
                ),
                None => format!("The parameter `{}` is not recognized.", p.path),
            },
        ),
        ProblemKind::WrongType { expected, found } => refuse(
            "InvalidParameter",
            format!(
                "The parameter `{}` should be {expected} but is {found}.",
                p.path
            ),
        ),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A sliding one-second window per action.
fn admit(state: &State, action: &str, limit: u32) -> bool {
    let now = tokio::time::Instant::now();
    let mut windows = lock(&state.windows);
    let w = windows.entry(action.to_owned()).or_default();
    while w
        .front()
        .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
    {
        w.pop_front();
    }
    if w.len() >= limit as usize {
        return false;
    }
    w.push_back(now);
    true
}

fn run(
    state: &State,
    spec: &Spec,
    name: &str,
    action: &Action,
    body: &Value,
) -> Result<Map<String, Value>, Refusal> {
    if spec.service.name == "trtc" {
        match name {
            "CreateCloudTranscription" => return create_transcription(state, body),
            "DescribeCloudTranscription" => return describe_transcription(state, body),
            "DeleteCloudTranscription" => return delete_transcription(state, body),
            _ => {}
        }
    }
    Ok(documented_output(spec, action))
}

fn create_transcription(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    if sdk_app_id == 0 {
        return Err(refuse(
            "InvalidParameter.SdkAppId",
            "SdkAppId is incorrect.",
        ));
    }
    let room_id = body["RoomId"].as_str().unwrap_or("").to_owned();
    if body["RoomIdType"].as_u64() == Some(0) && room_id.parse::<u64>().is_err() {
        return Err(refuse(
            "InvalidParameter",
            "RoomIdType 0 means an integer room ID, but RoomId is not an integer.",
        ));
    }
    if body["AsrParam"]["Lang"].as_str().is_some_and(str::is_empty) {
        return Err(refuse(
            "MissingParameter.ASRLang",
            "Missing required parameter: Lang (ASR model).",
        ));
    }
    let task = Task {
        task_id: task_id(),
        sdk_app_id,
        room_id,
        start_time: (state.now().max(0) as u64) * 1000 + fastrand::u64(0..1000),
        status: "InProgress".to_owned(),
    };
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), Value::String(task.task_id.clone()));
    lock(&state.tasks).insert(task.task_id.clone(), task);
    Ok(out)
}

fn find_task(state: &State, body: &Value) -> Result<Task, Refusal> {
    let task_id = body["TaskId"].as_str().unwrap_or("");
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    match lock(&state.tasks).get(task_id) {
        Some(t) if t.sdk_app_id == sdk_app_id => Ok(t.clone()),
        _ => Err(refuse(
            "ResourceNotFound",
            format!("The transcription task `{task_id}` does not exist in SdkAppId {sdk_app_id}: it never started or has already stopped."),
        )),
    }
}

fn describe_transcription(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let task = find_task(state, body)?;
    let mut out = Map::new();
    out.insert("StartTime".to_owned(), json!(task.start_time));
    out.insert("Status".to_owned(), json!(task.status));
    out.insert("TaskId".to_owned(), json!(task.task_id));
    Ok(out)
}

fn delete_transcription(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let task = find_task(state, body)?;
    lock(&state.tasks).remove(&task.task_id);
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(task.task_id));
    Ok(out)
}

/// The first documented example's response, or a minimal valid output.
fn documented_output(spec: &Spec, action: &Action) -> Map<String, Value> {
    for ex in &action.examples {
        if let Ok(v) = serde_json::from_str::<Value>(&ex.response) {
            if let Some(Value::Object(mut m)) = v.get("Response").cloned() {
                m.remove("RequestId");
                return m;
            }
        }
    }
    match minimal(spec, &action.output, 0) {
        Value::Object(mut m) => {
            m.remove("RequestId");
            m
        }
        _ => Map::new(),
    }
}

fn minimal(spec: &Spec, ty: &str, depth: usize) -> Value {
    match ty {
        "string" | "date" | "datetime" | "datetime_iso" => Value::String(String::new()),
        "int64" | "uint64" => json!(0),
        "float" => json!(0.0),
        "bool" => json!(false),
        _ => {
            let Some(shape) = spec.shapes.get(ty) else {
                return Value::Null;
            };
            if shape.kind == ShapeKind::Enum {
                return shape
                    .values
                    .as_ref()
                    .and_then(|v| v.first())
                    .map(|v| v.value.clone())
                    .unwrap_or(Value::Null);
            }
            let mut m = Map::new();
            if depth < 8 {
                for (wire, member) in shape.members.iter().flat_map(|m| m.iter()) {
                    if member.required && !member.nullable {
                        let v = if member.ty == "list" {
                            json!([])
                        } else {
                            minimal(spec, &member.ty, depth + 1)
                        };
                        m.insert(wire.to_owned(), v);
                    }
                }
            }
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_parsing() {
        let a = parse_authorization("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168").unwrap();
        assert_eq!(a.secret_id, "AKID");
        assert_eq!(a.date, "2019-02-25");
        assert_eq!(a.service, "cvm");
        assert_eq!(a.signed_headers, "content-type;host");
        for bad in [
            "Basic abc",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=xyz",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168, Extra=1",
        ] {
            assert!(parse_authorization(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ids_look_like_tencent_ids() {
        let r = request_id();
        assert_eq!(r.len(), 36);
        assert_eq!(r.matches('-').count(), 4);
        let t = task_id();
        assert!(t.starts_with('-') && t.ends_with('.'));
        assert_ne!(task_id(), task_id());
    }
}
