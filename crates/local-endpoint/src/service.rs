//! What the endpoint checks, in the order the real one does, and how actions behave.

use std::time::Duration;

use serde_json::{json, Map, Value};
use tencentcloud_runtime::sign::{self, SignedHeaders, SigningInput};
use tencentcloud_spec::check::{self, Direction, ProblemKind};
use tencentcloud_spec::{Action, RateLimit, Spec};

use crate::http::{Reply, Request};
use crate::{lock, State};

/// A refusal: code and message.
pub(crate) struct Refusal {
    pub(crate) code: String,
    pub(crate) message: String,
}

pub(crate) fn refuse(code: &str, message: impl Into<String>) -> Refusal {
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

pub(crate) fn task_id() -> String {
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

pub(crate) fn error_reply(state: &State, r: &Refusal) -> Reply {
    let mut m = Map::new();
    m.insert(
        "Error".to_owned(),
        json!({ "Code": r.code, "Message": r.message }),
    );
    envelope(state, m)
}

/// Checks and handles one request.
pub(crate) fn process(state: &State, req: &Request) -> (String, Reply) {
    match check_and_run(state, req) {
        Ok(Outcome::Json(response)) => ("ok".to_owned(), envelope(state, response)),
        Ok(Outcome::Events(events)) => {
            let request_id = request_id();
            let events = events
                .into_iter()
                .map(|mut e| {
                    e.entry("RequestId")
                        .or_insert_with(|| Value::String(request_id.clone()));
                    let mut line = b"data: ".to_vec();
                    line.extend_from_slice(&serde_json::to_vec(&e).unwrap_or_default());
                    line.extend_from_slice(b"\n\n");
                    line
                })
                .collect();
            (
                "ok (event stream)".to_owned(),
                Reply::Stream {
                    headers: vec![("X-TC-RequestId".to_owned(), request_id)],
                    events,
                    complete: true,
                    date: state.date_header(),
                },
            )
        }
        Err(r) => (r.code.clone(), error_reply(state, &r)),
    }
}

/// What a successful call answers: one `Response` object, or a stream of events.
pub(crate) enum Outcome {
    Json(Map<String, Value>),
    Events(Vec<Map<String, Value>>),
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

/// Checks a request in the real endpoint's order, then runs its action.
fn check_and_run(state: &State, req: &Request) -> Result<Outcome, Refusal> {
    check_http(req)?;
    let spec = authenticate(state, req)?;
    let (name, action) = find_action(spec, req)?;
    check_region(name, action, req)?;
    check_rate(state, name, action)?;
    let body = check_body(spec, action, req)?;
    // The UserSigs the body carries (a bot joining a room).
    check_user_sigs(state, spec, &action.input, &body)?;
    let outcome = match crate::sts::run(state, spec, name, &body) {
        Some(out) => Outcome::Json(out?),
        None => crate::behavior::run(state, spec, name, action, &body)?,
    };
    if state.strict_answers {
        check_answer(spec, name, action, &outcome)?;
    }
    Ok(outcome)
}

/// Every answer the endpoint makes, against the action's output shape (each
/// event against its stream's event shape), in the one place answers pass
/// through before the envelope: the wire names the lifecycles write are
/// covered here. A problem is the endpoint's bug, answered as `InternalError`.
fn check_answer(
    spec: &Spec,
    name: &str,
    action: &Action,
    outcome: &Outcome,
) -> Result<(), Refusal> {
    let problems = |shape: &str, answer: &Map<String, Value>| {
        check::check(
            spec,
            shape,
            &Value::Object(answer.clone()),
            Direction::Response,
        )
        .into_iter()
        // The envelope adds the RequestId.
        .filter(|p| !(p.path == "RequestId" && p.kind == ProblemKind::Missing))
        .collect::<Vec<_>>()
    };
    let found = match outcome {
        Outcome::Json(answer) => problems(&action.output, answer),
        Outcome::Events(events) => {
            let shape = action.stream.as_ref().map_or(&action.output, |s| &s.event);
            events.iter().flat_map(|e| problems(shape, e)).collect()
        }
    };
    let Some(first) = found.first() else {
        return Ok(());
    };
    let all: Vec<String> = found.iter().map(ToString::to_string).collect();
    tracing::error!(action = name, problems = %all.join("; "), "the local endpoint's answer does not match the spec");
    Err(refuse(
        "InternalError",
        format!(
            "The local endpoint's answer to {name} does not match {}: {first}{} (a bug in the endpoint; `strict_answers(false)` serves it anyway).",
            action.output,
            if found.len() > 1 { format!(" and {} more", found.len() - 1) } else { String::new() }
        ),
    ))
}

/// `POST /`.
fn check_http(req: &Request) -> Result<(), Refusal> {
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
    Ok(())
}

/// The Authorization header, the timestamp, the SecretId, the credential
/// scope, the signature and the token: the spec of the service signed for.
fn authenticate<'s>(state: &'s State, req: &Request) -> Result<&'s Spec, Refusal> {
    // 1. Authorization header.
    let Some(raw_auth) = req.header("authorization") else {
        return Err(refuse(
            "AuthFailure.InvalidAuthorization",
            "The Authorization header is missing.",
        ));
    };
    if raw_auth == "SKIP" {
        return crate::sts::unsigned(state, req);
    }
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
    // Configured keys, then temporary credentials STS issued here.
    let (key, expires_at) = match state.keys.iter().find(|k| k.secret_id == auth.secret_id) {
        Some(k) => (k.clone(), None),
        None => match crate::sts::issued_key(state, auth.secret_id) {
            Some((k, at)) => (k, Some(at)),
            None => return Err(refuse(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found; check that it is correct and that the key is enabled.",
            )),
        },
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
    // 6. Token of temporary credentials, and their expiry.
    if let Some(token) = &key.token {
        if req.header("x-tc-token") != Some(token.as_str()) {
            return Err(refuse(
                "AuthFailure.TokenFailure",
                "The X-TC-Token header is missing or does not match these temporary credentials.",
            ));
        }
    }
    if let Some(at) = expires_at {
        if now >= at {
            return Err(refuse(
                "AuthFailure.TokenFailure",
                format!(
                    "These temporary credentials expired at {at} ({} seconds ago); get new ones from STS.",
                    now - at
                ),
            ));
        }
    }
    Ok(spec)
}

/// `X-TC-Action` and `X-TC-Version`.
fn find_action<'s, 'r>(spec: &'s Spec, req: &'r Request) -> Result<(&'r str, &'s Action), Refusal> {
    let action_header = req.header("x-tc-action").unwrap_or("");
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
    Ok((action_header, action))
}

/// `X-TC-Region` against the action's regions.
fn check_region(action_header: &str, action: &Action, req: &Request) -> Result<(), Refusal> {
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
    Ok(())
}

/// The action's documented rate limit.
fn check_rate(state: &State, action_header: &str, action: &Action) -> Result<(), Refusal> {
    if state.rate_limits {
        if let Some(limit) = action.rate_limit {
            if !admit(state, action_header, limit) {
                return Err(refuse(
                    "RequestLimitExceeded",
                    format!("{action_header} allows {limit}; this request exceeds it."),
                ));
            }
        }
    }
    Ok(())
}

/// The body: JSON, an object, matching the action's input shape.
fn check_body(spec: &Spec, action: &Action, req: &Request) -> Result<Value, Refusal> {
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
    // Type and presence problems first; then the first documented limit.
    if let Some(p) = problems.iter().find(|p| !p.is_limit()).or(problems.first()) {
        return Err(problem_refusal(action, p));
    }
    Ok(body)
}

/// Every `UserSig` member of `value` (of shape `shape`), with its sibling
/// `UserId` and its path.
fn user_sigs<'v>(
    spec: &Spec,
    shape: &str,
    value: &'v Value,
    path: &str,
    out: &mut Vec<(String, Option<&'v str>, &'v str)>,
) {
    let Some(members) = spec.shapes.get(shape).and_then(|s| s.members.as_ref()) else {
        return;
    };
    for (wire, m) in members.iter() {
        let Some(v) = value.get(wire) else { continue };
        let here = if path.is_empty() {
            wire.to_owned()
        } else {
            format!("{path}.{wire}")
        };
        if wire == "UserSig" {
            if let Some(sig) = v.as_str() {
                out.push((here, value.get("UserId").and_then(Value::as_str), sig));
            }
            continue;
        }
        if m.ty == "list" {
            let item = m.items.as_deref().unwrap_or("");
            for (i, e) in v.as_array().into_iter().flatten().enumerate() {
                user_sigs(spec, item, e, &format!("{here}[{i}]"), out);
            }
        } else {
            user_sigs(spec, &m.ty, v, &here, out);
        }
    }
}

/// Verifies every UserSig of the body with the application's key: the
/// signature, the SdkAppId, the UserId beside it, and the expiry.
fn check_user_sigs(state: &State, spec: &Spec, input: &str, body: &Value) -> Result<(), Refusal> {
    let mut sigs = Vec::new();
    user_sigs(spec, input, body, "", &mut sigs);
    if sigs.is_empty() {
        return Ok(());
    }
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    let key = state
        .apps
        .get(&sdk_app_id)
        .unwrap_or(&state.default_app_key)
        .clone();
    let api = tencentcloud_trtc_server::usersig::TlsSigApi::new(sdk_app_id, key);
    let now = state.now().max(0) as u64;
    for (path, user, sig) in sigs {
        // A ticket already verified for this application is only checked for
        // its user and expiry again (callers send the same one many times).
        let cache_key = (sdk_app_id, sig.to_owned());
        let cached = lock(&state.verified_sigs).get(&cache_key).cloned();
        let verdict = match cached {
            Some((owner, expires_at)) => {
                if user.is_some_and(|u| u != owner) {
                    Err(format!("it was issued to another UserId, `{owner}`"))
                } else if now > expires_at {
                    Err(format!("it expired at {expires_at} (now {now})"))
                } else {
                    Ok(())
                }
            }
            None => match api.verify_user_sig_at(sig, user, now) {
                Ok(info) => {
                    let mut cache = lock(&state.verified_sigs);
                    if cache.len() >= 4096 {
                        cache.clear();
                    }
                    cache.insert(cache_key, (info.user_id.clone(), info.expires_at()));
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            },
        };
        if let Err(why) = verdict {
            return Err(refuse(
                "InvalidParameter.UserSig",
                format!(
                    "The UserSig at `{path}` is not valid for SdkAppId {sdk_app_id}{}: {why}.",
                    user.map(|u| format!(" and UserId `{u}`"))
                        .unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
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
        ProblemKind::NotJson { json_type, reason } => refuse(
            "InvalidParameter",
            format!(
                "The parameter `{}` must be a JSON string ({json_type}); it is not valid JSON: {reason}.",
                p.path
            ),
        ),
        ProblemKind::Json(e) => refuse(
            "InvalidParameter",
            format!("The parameter `{}` is invalid: {e}.", p.path),
        ),
        // The one limit checker's message, as the SDK and the command line
        // print it.
        ProblemKind::Limit(v) => refuse("InvalidParameterValue", v.to_string()),
        // A rule `tencentcloud_spec::check` gains later: refused as invalid, named.
        _ => refuse(
            "InvalidParameter",
            format!("The parameter `{}` is invalid: {p}.", p.path),
        ),
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A sliding window per action, as long as the documented limit's.
fn admit(state: &State, action: &str, limit: RateLimit) -> bool {
    let now = tokio::time::Instant::now();
    let window = Duration::from_secs(u64::from(limit.per_seconds));
    let mut windows = lock(&state.windows);
    let w = windows.entry(action.to_owned()).or_default();
    while w.front().is_some_and(|t| now.duration_since(*t) >= window) {
        w.pop_front();
    }
    if w.len() >= limit.requests as usize {
        return false;
    }
    w.push_back(now);
    true
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

    /// A spec whose action answers `{"TaskId", "Status"?, "Count"?}` and whose
    /// streaming action sends `{"Seq", "IsEnd"}` events.
    fn answer_spec() -> Spec {
        serde_json::from_value(json!({
            "format": "tencentcloud-spec/1",
            "service": {"name": "x", "version": "2020-01-01", "endpoint": "x.tencentcloudapi.com"},
            "actions": {
                "DescribeTask": {"input": "In", "output": "Out"},
                "StreamTask": {"input": "In", "output": "Out",
                    "stream": {"format": "sse", "event": "Event", "end_member": "IsEnd"}}
            },
            "shapes": {
                "In": {"type": "structure", "members": {}},
                "Out": {"type": "structure", "members": {
                    "TaskId": {"type": "string", "required": true},
                    "Status": {"type": "string"},
                    "Count": {"type": "uint64"},
                    "RequestId": {"type": "string", "required": true}
                }},
                "Event": {"type": "structure", "members": {
                    "Seq": {"type": "uint64", "required": true},
                    "IsEnd": {"type": "bool"}
                }}
            }
        }))
        .unwrap()
    }

    fn answer(v: Value) -> Outcome {
        match v {
            Value::Object(m) => Outcome::Json(m),
            _ => unreachable!("answers are objects"),
        }
    }

    fn refused(name: &str, outcome: &Outcome) -> String {
        let spec = answer_spec();
        let action = spec.actions.get(name).unwrap();
        match check_answer(&spec, name, action, outcome) {
            Ok(()) => "ok".to_owned(),
            Err(r) => {
                assert_eq!(r.code, "InternalError");
                r.message
            }
        }
    }

    #[test]
    fn answers_off_the_spec_are_the_endpoints_errors() {
        // Right: the RequestId is the envelope's to add.
        assert_eq!(
            refused(
                "DescribeTask",
                &answer(json!({"TaskId": "t", "Status": "Idle"}))
            ),
            "ok"
        );
        // A misspelled optional member, which the SDK would read as `None`.
        let m = refused(
            "DescribeTask",
            &answer(json!({"TaskId": "t", "status": "Idle"})),
        );
        assert!(
            m.contains("unknown member `status` (the shape has `Status`)"),
            "{m}"
        );
        assert!(
            m.starts_with("The local endpoint's answer to DescribeTask does not match Out"),
            "{m}"
        );
        // A wrong type.
        let m = refused(
            "DescribeTask",
            &answer(json!({"TaskId": "t", "Count": "3"})),
        );
        assert!(
            m.contains("member `Count` should be uint64, found string"),
            "{m}"
        );
        // A required member missing; two problems counted.
        let m = refused("DescribeTask", &answer(json!({"Count": -1})));
        assert!(m.contains(" and 1 more"), "{m}");
        // Events are checked against the event shape.
        let events = |v: Value| Outcome::Events(vec![v.as_object().cloned().unwrap()]);
        assert_eq!(
            refused("StreamTask", &events(json!({"Seq": 0, "IsEnd": true}))),
            "ok"
        );
        let m = refused("StreamTask", &events(json!({"Seq": 0, "IsLast": true})));
        assert!(m.contains("unknown member `IsLast`"), "{m}");
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
