//! The runtime's descriptions of a service, an action, a waiter and a JSON
//! document carried in a string, built from a spec at run time.
//!
//! These functions are the one mapping from the spec to the runtime's
//! metadata: the generator calls them and writes their values as `static`s
//! (borrowed texts), the command line and the local endpoint call them at run
//! time (owned texts), and a test proves the generated `static`s equal to the
//! values built here for every action, waiter and JSON type.

use std::borrow::Cow;
use std::time::Duration;

use serde_json::Value;
use tencentcloud_runtime::json_string::{Field, Kind, Schema, Text as SchemaText, Variant};
use tencentcloud_runtime::limits::{LimitTable, MemberLimits};
use tencentcloud_runtime::meta::{
    ActionMeta, NotFound as RtNotFound, RateLimit as RtRateLimit, ServiceMeta, StreamMeta, Text,
    Texts, WaiterMeta,
};

use crate::{Action, JsonField, JsonType, NotFound, RateLimit, Spec, Stream, UniqueMap, Waiter};

fn text(s: &str) -> Text {
    Cow::Owned(s.to_owned())
}

fn opt_text(s: &Option<String>) -> Option<Text> {
    s.as_deref().map(text)
}

fn texts(v: &[String]) -> Texts {
    Cow::Owned(v.iter().map(|s| text(s)).collect())
}

/// The service: name, version and hosts (the generated crate's `SERVICE`).
pub fn service_meta(spec: &Spec) -> ServiceMeta {
    let s = &spec.service;
    ServiceMeta {
        name: text(&s.name),
        version: text(&s.version),
        endpoint: text(&s.endpoint),
        international_endpoint: opt_text(&s.international_endpoint),
    }
}

/// A documented rate limit, as the runtime enforces it.
pub fn rate_limit(r: RateLimit) -> RtRateLimit {
    RtRateLimit::every(r.requests, r.per_seconds)
}

fn stream_meta(s: &Stream) -> StreamMeta {
    StreamMeta {
        kind_member: opt_text(&s.kind_member),
        error_kind: opt_text(&s.error_kind),
        end_member: opt_text(&s.end_member),
    }
}

/// Action `name` of `spec`: its regions, rate limit, own hosts, event stream
/// and sensitive members (the generated crate's `actions::<ACTION>`).
pub fn action_meta(spec: &Spec, name: &str, action: &Action) -> ActionMeta {
    ActionMeta {
        name: text(name),
        regions: texts(&action.regions),
        rate_limit: action.rate_limit.map(rate_limit),
        endpoint: opt_text(&action.endpoint),
        international_endpoint: opt_text(&action.international_endpoint),
        stream: action.stream.as_ref().map(stream_meta),
        sensitive: texts(&spec.sensitive_paths(action)),
        limits: LimitTable::from_members(&request_limits(spec, action)),
    }
}

/// The documented limits of `action`'s request members, by path in the
/// request body (`EncodeParams.VideoFramerate`; through lists element by
/// element), in spec order: the table the runtime checks a request against
/// before sending (`ActionMeta::limits`). Responses are not checked.
pub fn request_limits(spec: &Spec, action: &Action) -> Vec<MemberLimits> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    walk_limits(spec, &action.input, "", &mut stack, &mut out);
    out
}

fn walk_limits<'a>(
    spec: &'a Spec,
    shape: &'a str,
    prefix: &str,
    stack: &mut Vec<&'a str>,
    out: &mut Vec<MemberLimits>,
) {
    let Some(members) = spec.shapes.get(shape).and_then(|s| s.members.as_ref()) else {
        return;
    };
    if stack.contains(&shape) {
        return;
    }
    stack.push(shape);
    for (name, m) in members.iter() {
        let path = format!("{prefix}{name}");
        if !m.limits.is_empty() {
            out.push(MemberLimits {
                path: text(&path),
                sensitive: m.sensitive,
                limits: Cow::Owned(m.limits.iter().map(|l| l.to_runtime()).collect()),
            });
        }
        walk_limits(spec, m.target(), &format!("{path}."), stack, out);
    }
    stack.pop();
}

/// Waiter `name`: what it polls and which states end it (the generated
/// crate's `waiters::<WAITER>`).
pub fn waiter_meta(name: &str, w: &Waiter) -> WaiterMeta {
    WaiterMeta {
        name: text(name),
        action: text(&w.action),
        status: text(&w.status),
        success: texts(&w.success),
        failure: texts(&w.failure),
        not_found: match w.not_found {
            NotFound::Success => RtNotFound::Success,
            NotFound::Failure => RtNotFound::Failure,
            NotFound::Error => RtNotFound::Error,
        },
        not_found_codes: texts(&w.not_found_codes),
        interval: Duration::from_secs(u64::from(w.interval_seconds)),
        max_wait: Duration::from_secs(u64::from(w.max_wait_seconds)),
    }
}

fn field(key: &str, f: &JsonField) -> Field<'static> {
    let number = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    Field {
        name: Cow::Owned(key.to_owned()),
        // A validated spec names a kind; `any` checks nothing otherwise.
        kind: f.kind().unwrap_or(Kind::Any),
        required: f.required,
        sensitive: f.sensitive,
        min: number(&f.min),
        max: number(&f.max),
        allowed: Cow::Owned(
            f.allowed
                .iter()
                .map(|v: &Value| SchemaText::Owned(v.to_string()))
                .collect(),
        ),
    }
}

fn variant(value: &str, fields: &UniqueMap<JsonField>) -> Variant<'static> {
    Variant {
        value: Cow::Owned(value.to_owned()),
        fields: Cow::Owned(fields.iter().map(|(k, f)| field(k, f)).collect()),
    }
}

/// The schema the runtime checks JSON type `name` against: its providers
/// (one variant per discriminator value, in spec order), or one open object.
pub fn json_type_schema(name: &str, t: &JsonType) -> Schema<'static> {
    let variants: Vec<Variant<'static>> = match (&t.variants, &t.fields) {
        (Some(vs), _) => vs
            .iter()
            .map(|(_, v)| variant(&v.value, &v.fields))
            .collect(),
        (None, Some(fields)) => vec![variant("", fields)],
        (None, None) => Vec::new(),
    };
    Schema {
        name: Cow::Owned(name.to_owned()),
        discriminator: t.discriminator.as_deref().map(|d| Cow::Owned(d.to_owned())),
        variants: Cow::Owned(variants),
    }
}

/// The schema of JSON type `name` of `spec`, if it has one (the generated
/// model crate's `json::SCHEMAS`).
pub fn json_schema(spec: &Spec, name: &str) -> Option<Schema<'static>> {
    let t = spec.json_types.as_ref()?.types.get(name)?;
    Some(json_type_schema(name, t))
}
