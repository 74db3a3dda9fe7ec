//! Documented limits (issue 27): every member of the TRTC spec with a limit,
//! values on both sides of each bound, through the one checker as the SDK
//! (a `DynamicClient` with the spec's `ActionMeta`, against one local
//! endpoint in this process), the command line (its input builder, in
//! process; a few runs of the binary are in `crates/cli/tests/cli.rs`) and
//! the local endpoint (the same request sent with the checks skipped). Inside
//! a bound: accepted by all three. Outside: refused by all three with the same
//! path, value and limit, and nothing sent. Then the #119 mistake with the
//! typed client, the escape hatch, and a property over the ranges.

use proptest::prelude::*;
use serde_json::{json, Value};
use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_runtime::limits::{self as rt, MemberLimits};
use tencentcloud_runtime::{
    ActionMeta, CallOptions, ConstructionError, DynamicClient, RetryConfig, SdkError,
};
use tencentcloud_spec::check::{self, Direction, ProblemKind};
use tencentcloud_spec::limits::{Limit, LimitKind};
use tencentcloud_spec::{meta, Action, Member, Prim, Spec};
use tencentcloud_tests::{config_for, with_valid_user_sigs};
use tencentcloud_trtc_cli::error::Class;

fn spec() -> Spec {
    tencentcloud_trtc_cli::table::load().unwrap()
}

/// A value that passes the type checks (and every limit) of type `ty`:
/// a structure's required members, the first enum value, the placeholder of
/// a primitive moved inside the member's limits.
fn minimal(spec: &Spec, ty: &str, limits: &[Limit]) -> Value {
    if let Some(p) = Prim::parse(ty) {
        return tencentcloud_spec::limits::satisfying(limits, &p.zero());
    }
    let shape = &spec.shapes.get(ty).unwrap();
    if let Some(values) = &shape.values {
        return values[0].value.clone();
    }
    let mut out = serde_json::Map::new();
    for (wire, m) in shape.members.iter().flat_map(|m| m.iter()) {
        if m.required {
            out.insert(wire.to_owned(), member_value(spec, m));
        }
    }
    Value::Object(out)
}

fn member_value(spec: &Spec, m: &Member) -> Value {
    if m.ty == "list" {
        let item = minimal(spec, m.target(), &m.limits);
        let n = m
            .limits
            .iter()
            .find(|l| l.kind == LimitKind::Count)
            .and_then(|l| l.min.as_ref())
            .and_then(serde_json::Number::as_u64)
            .unwrap_or(1)
            .max(1);
        Value::Array(vec![item; n as usize])
    } else {
        minimal(spec, m.target(), &m.limits)
    }
}

/// The body of `action` that the cases start from: a documented example that
/// passes every check, else the required members.
fn base(spec: &Spec, action: &Action) -> Value {
    let mut body = action
        .examples
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(&e.request).ok())
        .find(|v| check::check(spec, &action.input, v, Direction::Request).is_empty())
        .unwrap_or_else(|| minimal(spec, &action.input, &[]));
    with_valid_user_sigs(&mut body);
    body
}

/// Sets the member at table path `path` (`EncodeParams.VideoFramerate`,
/// through lists at their first item) to `value`, making the structures on
/// the way; returns the path as a request names it (`MixLayoutList[0].UserId`).
fn set(spec: &Spec, body: &mut Value, shape: &str, path: &str, value: Value) -> String {
    let (first, rest) = match path.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (path, None),
    };
    let m = spec
        .shapes
        .get(shape)
        .unwrap()
        .members
        .as_ref()
        .unwrap()
        .get(first)
        .unwrap();
    let obj = body.as_object_mut().unwrap();
    let Some(rest) = rest else {
        obj.insert(first.to_owned(), value);
        return first.to_owned();
    };
    let slot = obj
        .entry(first.to_owned())
        .or_insert_with(|| member_value(spec, m));
    if slot.is_null() {
        *slot = member_value(spec, m);
    }
    if m.ty == "list" {
        let items = slot.as_array_mut().unwrap();
        if items.is_empty() {
            items.push(minimal(spec, m.target(), &[]));
        }
        let inner = set(spec, &mut items[0], m.target(), rest, value);
        format!("{first}[0].{inner}")
    } else {
        let inner = set(spec, slot, m.target(), rest, value);
        format!("{first}.{inner}")
    }
}

fn member_at<'s>(spec: &'s Spec, shape: &str, path: &str) -> &'s Member {
    let (first, rest) = match path.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (path, None),
    };
    let m = spec
        .shapes
        .get(shape)
        .unwrap()
        .members
        .as_ref()
        .unwrap()
        .get(first)
        .unwrap();
    match rest {
        None => m,
        Some(rest) => member_at(spec, m.target(), rest),
    }
}

/// One value to try: inside the bound or not.
#[derive(Debug)]
struct Probe {
    value: Value,
    inside: bool,
    what: String,
}

fn num(x: f64, integer: bool) -> Value {
    if integer {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// Values on both sides of each bound of limit `l` of member `m` (for an
/// item limit of a list member, the value of one item).
fn probes(spec: &Spec, m: &Member, l: &Limit) -> Vec<Probe> {
    let prim = Prim::parse(m.target()).or_else(|| {
        spec.shapes
            .get(m.target())
            .and_then(|s| s.base.as_deref())
            .and_then(Prim::parse)
    });
    let integer = !matches!(prim, Some(Prim::Float));
    let unsigned = matches!(prim, Some(Prim::Uint64));
    let others: Vec<Limit> = m
        .limits
        .iter()
        .filter(|o| o.kind != l.kind)
        .cloned()
        .collect();
    let fill =
        |c: char, n: u64| -> Value { Value::String(std::iter::repeat_n(c, n as usize).collect()) };
    let allowed_char = || {
        let base = tencentcloud_spec::limits::satisfying(&others, &json!("a"));
        base.as_str().and_then(|s| s.chars().next()).unwrap_or('a')
    };
    let mut out = Vec::new();
    let mut push = |value: Value, inside: bool, what: String| {
        out.push(Probe {
            value,
            inside,
            what,
        })
    };
    match l.kind {
        LimitKind::Range => {
            // A step that is "just past" the bound for this type.
            for (bound, exclusive, dir) in [
                (&l.min, l.min_exclusive, -1.0),
                (&l.max, l.max_exclusive, 1.0),
            ] {
                let Some(b) = bound.as_ref().and_then(serde_json::Number::as_f64) else {
                    continue;
                };
                let step = if integer { 1.0 } else { 1e-6 * (1.0 + b.abs()) };
                let (inside, outside) = if exclusive {
                    (b - dir * step, b)
                } else {
                    (b, b + dir * step)
                };
                push(num(inside, integer), true, format!("{inside} (bound {b})"));
                if !(unsigned && outside < 0.0) {
                    push(
                        num(outside, integer),
                        false,
                        format!("{outside} (bound {b})"),
                    );
                }
            }
        }
        LimitKind::Length => {
            let c = allowed_char();
            let min = l.min.as_ref().and_then(serde_json::Number::as_u64);
            let max = l.max.as_ref().and_then(serde_json::Number::as_u64);
            if let Some(n) = min.filter(|n| *n > 0) {
                push(fill(c, n), true, format!("{n} characters"));
                push(fill(c, n - 1), false, format!("{} characters", n - 1));
            }
            if let Some(n) = max {
                push(fill(c, n), true, format!("{n} characters"));
                push(fill(c, n + 1), false, format!("{} characters", n + 1));
                // Characters are counted as characters, not bytes.
                if l.length_unit() == tencentcloud_spec::limits::LengthUnit::Chars
                    && others.iter().all(|o| o.kind != LimitKind::Pattern)
                {
                    push(fill('é', n), true, format!("{n} two-byte characters"));
                }
            }
        }
        LimitKind::Count => {
            let item = minimal(spec, m.target(), &m.limits);
            let min = l.min.as_ref().and_then(serde_json::Number::as_u64);
            let max = l.max.as_ref().and_then(serde_json::Number::as_u64);
            let list = |n: u64| Value::Array(vec![item.clone(); n as usize]);
            if let Some(n) = min.filter(|n| *n > 0) {
                push(list(n), true, format!("{n} items"));
                push(list(n - 1), false, format!("{} items", n - 1));
            }
            if let Some(n) = max {
                push(list(n), true, format!("{n} items"));
                push(list(n + 1), false, format!("{} items", n + 1));
            }
        }
        LimitKind::Pattern => {
            let class =
                tencentcloud_spec::limits::CharClass::parse_pattern(l.pattern.as_deref().unwrap())
                    .unwrap();
            // A string every limit of the member allows, then its last
            // character replaced by one outside the class.
            let good = tencentcloud_spec::limits::satisfying(&m.limits, &json!("a"));
            let good = good.as_str().unwrap().to_owned();
            let bad = [' ', '☃', '/', '#', '%', '\u{7f}']
                .into_iter()
                .find(|c| !class.contains(*c))
                .unwrap();
            let mut worse: Vec<char> = good.chars().collect();
            *worse.last_mut().unwrap() = bad;
            push(Value::String(good), true, "allowed characters".into());
            push(
                Value::String(worse.into_iter().collect()),
                false,
                format!("{bad:?}"),
            );
        }
        LimitKind::Values => {
            for v in [l.values.first(), l.values.last()].into_iter().flatten() {
                push(v.clone(), true, format!("{v}"));
            }
            let outside = match &l.values[0] {
                Value::Number(_) => {
                    let top = l
                        .values
                        .iter()
                        .filter_map(Value::as_f64)
                        .fold(f64::MIN, f64::max);
                    num(top + 1.0, integer)
                }
                _ => json!("not-a-documented-value"),
            };
            push(outside, false, "a value not listed".into());
        }
    }
    out
}

/// Whether a call reached the endpoint and was not refused for its parameters.
fn is_parameter_refusal(e: &SdkError<tencentcloud_runtime::ApiError>) -> Option<String> {
    let api = e.service_error()?;
    let code = api.code();
    (code.starts_with("InvalidParameter")
        || code.starts_with("MissingParameter")
        || code.starts_with("UnknownParameter"))
    .then(|| format!("{code}: {}", api.message()))
}

/// What the probes found, added up.
#[derive(Default)]
struct Tally {
    paths: usize,
    bounds_in: usize,
    bounds_out: usize,
    fully_valid: usize,
    kinds: std::collections::BTreeMap<String, usize>,
    distinct: std::collections::HashSet<usize>,
    failures: Vec<String>,
}

/// One probe's request and what the checker, the CLI and the SDK made of it.
struct Tried {
    case: String,
    at: String,
    body: Value,
    limit_problems: Vec<String>,
    other_problems: usize,
    cli: Result<Value, tencentcloud_trtc_cli::error::CliError>,
    sdk: Result<(), SdkError<tencentcloud_runtime::ApiError>>,
    sent: usize,
}

/// The SDK's call of `am` with `body`, its answer dropped.
async fn call(
    sdk: &DynamicClient,
    am: &ActionMeta,
    body: &Value,
    options: &CallOptions,
) -> Result<(), SdkError<tencentcloud_runtime::ApiError>> {
    if am.stream.is_some() {
        sdk.call_sse_action(am, body, options).await.map(|_| ())
    } else {
        sdk.call_action(am, body, options).await.map(|_| ())
    }
}

/// The members whose limits apply to requests: every member with a limit in
/// a shape an action's input reaches (walked here, apart from the metadata).
fn request_members_with_limits(spec: &Spec) -> std::collections::HashSet<usize> {
    let mut seen = std::collections::HashSet::new();
    let mut shapes: Vec<&str> = spec.actions.iter().map(|(_, a)| a.input.as_str()).collect();
    let mut out = std::collections::HashSet::new();
    while let Some(name) = shapes.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(shape) = spec.shapes.get(name) else {
            continue;
        };
        for (_, m) in shape.members.iter().flat_map(|m| m.iter()) {
            if !m.limits.is_empty() {
                out.insert(m as *const Member as usize);
            }
            shapes.push(m.target());
        }
    }
    out
}

/// Sends `value` at `path` of an otherwise valid request of `name` through the
/// checker, the CLI's input builder and the SDK.
#[allow(clippy::too_many_arguments)]
async fn try_probe(
    spec: &Spec,
    endpoint: &LocalEndpoint,
    sdk: &DynamicClient,
    (name, action, am): (&str, &Action, &ActionMeta),
    path: &str,
    (m, l, probe): (&Member, &Limit, &Probe),
    options: &CallOptions,
) -> Tried {
    // The value of the member: one item for an item limit of a list.
    let item = m.ty == "list" && l.kind != LimitKind::Count;
    let value = if item {
        Value::Array(vec![probe.value.clone()])
    } else {
        probe.value.clone()
    };
    let mut body = base(spec, action);
    let at = set(spec, &mut body, &action.input, path, value);
    let at = if item { format!("{at}[0]") } else { at };
    with_valid_user_sigs(&mut body);
    let case = format!("{name} {at} = {} ({}, {})", probe.value, l.kind, probe.what);
    // The checker as the CLI and the endpoint call it.
    let problems = check::check(spec, &action.input, &body, Direction::Request);
    let limit_problems: Vec<String> = problems
        .iter()
        .filter(|p| p.is_limit())
        .map(ToString::to_string)
        .collect();
    let other_problems = problems.iter().filter(|p| !p.is_limit()).count();
    // The CLI's input, from --cli-input-json, in process.
    let cli = tencentcloud_trtc_cli::table::build_for(spec, Some(name))
        .try_get_matches_from([
            "trtc",
            &tencentcloud_trtc_cli::table::command_name(name),
            "--cli-input-json",
            &body.to_string(),
        ])
        .unwrap();
    let (_, sub) = cli.subcommand().unwrap();
    let cli = tencentcloud_trtc_cli::input::build(spec, action, sub, None);
    let before = endpoint.count(name);
    let sdk_result = call(sdk, am, &body, options).await;
    let sent = endpoint.count(name) - before;
    Tried {
        case,
        at,
        body,
        limit_problems,
        other_problems,
        cli,
        sdk: sdk_result,
        sent,
    }
}

/// Inside a bound: no limit problem; a complete request is accepted by the
/// CLI, sent by the SDK and not refused by the endpoint.
fn expect_accepted(t: &Tried, tally: &mut Tally) {
    let (case, failures) = (&t.case, &mut tally.failures);
    tally.bounds_in += 1;
    if !t.limit_problems.is_empty() {
        failures.push(format!(
            "{case}: inside refused by the checker: {:?}",
            t.limit_problems
        ));
    }
    if t.other_problems > 0 {
        return;
    }
    tally.fully_valid += 1;
    if let Err(e) = &t.cli {
        failures.push(format!("{case}: inside refused by the CLI: {}", e.message));
    }
    if t.sent != 1 {
        failures.push(format!("{case}: inside not sent by the SDK: {:?}", t.sdk));
    }
    if let Some(refusal) = t.sdk.as_ref().err().and_then(is_parameter_refusal) {
        failures.push(format!("{case}: inside refused by the endpoint: {refusal}"));
    }
}

/// Outside a bound: the checker, the SDK (nothing sent), the CLI (exit 2) and
/// the endpoint (with the SDK's checks skipped) all give the runtime checker's
/// one message.
async fn expect_refused(
    t: &Tried,
    (m, l, probe): (&Member, &Limit, &Probe),
    (sdk, am, skip): (&DynamicClient, &ActionMeta, &CallOptions),
    tally: &mut Tally,
) {
    let (case, failures) = (&t.case, &mut tally.failures);
    tally.bounds_out += 1;
    let expected = rt::check(&[l.to_runtime()], &probe.value, &t.at, m.sensitive);
    let expected = match expected.as_slice() {
        [v] => v.to_string(),
        other => {
            failures.push(format!("{case}: the runtime checker found {other:?}"));
            return;
        }
    };
    assert!(expected.starts_with(&format!("{}: ", t.at)), "{expected}");
    assert!(expected.contains(&l.describe()), "{expected}");
    if t.limit_problems != [expected.clone()] {
        failures.push(format!(
            "{case}: checker says {:?}, expected [{expected}]",
            t.limit_problems
        ));
    }
    // SDK: refused before sending, the same message.
    match &t.sdk {
        Err(SdkError::Construction(ConstructionError::Limits(e))) => {
            let got: Vec<String> = e.violations.iter().map(ToString::to_string).collect();
            if got != [expected.clone()] {
                failures.push(format!("{case}: SDK says {got:?}"));
            }
            if !e
                .to_string()
                .contains("ConfigBuilder::skip_limit_checks(true)")
            {
                failures.push(format!("{case}: SDK error names no escape hatch: {e}"));
            }
        }
        other => failures.push(format!("{case}: SDK did not refuse: {other:?}")),
    }
    if t.sent != 0 {
        failures.push(format!("{case}: the SDK sent a request"));
    }
    if t.other_problems > 0 {
        return;
    }
    // CLI: a usage error (exit 2) with the same line and the flag's name.
    match &t.cli {
        Err(e)
            if e.class == Class::Usage
                && e.message.contains(&expected)
                && e.message.contains("--skip-limit-checks") => {}
        Err(e) => failures.push(format!("{case}: CLI says {}", e.message)),
        Ok(_) => failures.push(format!("{case}: CLI accepted it")),
    }
    // Endpoint: with the SDK's checks skipped, InvalidParameterValue, the same message.
    let answer = call(sdk, am, &t.body, skip).await;
    match answer.as_ref().err().and_then(|e| e.service_error()) {
        Some(api) if api.code() == "InvalidParameterValue" && api.message() == expected => {}
        _ => failures.push(format!("{case}: endpoint answered {answer:?}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_limit_is_checked_on_both_sides_by_sdk_cli_and_endpoint() {
    let spec = spec();
    let endpoint = LocalEndpoint::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let config = config_for(&endpoint)
        .rate_limit(tencentcloud_runtime::RateLimitConfig::disabled())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let sdk = DynamicClient::for_service("trtc", "2019-07-22", config).unwrap();
    let mut tally = Tally::default();
    for (name, action) in spec.actions.iter() {
        let am = meta::action_meta(&spec, name, action);
        let region = action
            .regions
            .first()
            .cloned()
            .unwrap_or_else(|| "ap-guangzhou".into());
        let options = CallOptions::new().region(region.clone());
        let skip = CallOptions::new().skip_limit_checks(true).region(region);
        for MemberLimits { path, .. } in am.limits.members().unwrap() {
            let m = member_at(&spec, &action.input, path);
            tally.paths += 1;
            tally.distinct.insert(m as *const Member as usize);
            for l in &m.limits {
                *tally.kinds.entry(l.kind.as_str().to_owned()).or_default() += 1;
                for probe in probes(&spec, m, l) {
                    let act = (name, action, &am);
                    let lim = (m, l, &probe);
                    let t = try_probe(&spec, &endpoint, &sdk, act, path, lim, &options).await;
                    if probe.inside {
                        expect_accepted(&t, &mut tally);
                    } else {
                        expect_refused(&t, lim, (&sdk, &am, &skip), &mut tally).await;
                    }
                }
            }
        }
    }
    let Tally {
        paths,
        bounds_in,
        bounds_out,
        fully_valid,
        kinds,
        distinct,
        failures,
    } = tally;
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every member with a limit that a request can hold was exercised, on
    // both sides of a bound; most inside values were complete, valid requests.
    let expected = request_members_with_limits(&spec);
    eprintln!(
        "limits: {} request members ({paths} paths in requests), limits per path by kind \
         {kinds:?}, {bounds_in} values inside ({fully_valid} in complete requests), \
         {bounds_out} outside",
        distinct.len()
    );
    assert_eq!(distinct, expected, "every request member with a limit");
    assert!(bounds_out >= distinct.len() && bounds_in >= distinct.len());
    assert!(
        fully_valid * 10 >= bounds_in * 9,
        "{fully_valid} of {bounds_in}"
    );
}

/// tencentcloud-sdk-nodejs #119: `VideoFramerate` given the bitrate. Refused
/// before sending, naming the member and its documented range; with the
/// escape hatch it is sent, and the endpoint refuses it with the same words.
#[tokio::test]
async fn a_bitrate_given_as_the_framerate_is_refused_before_sending() {
    use tencentcloud_trtc::model::{EncodeParams, LayoutParams, OutputParams};
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = tencentcloud_trtc::Client::new(config_for(&endpoint).build().unwrap()).unwrap();
    let request = |c: &tencentcloud_trtc::Client| {
        c.start_mcu_mix_transcode()
            .sdk_app_id(1400000001)
            .room_id(3560)
            .output_params(
                OutputParams::builder()
                    .stream_id("mix_3560")
                    .build()
                    .unwrap(),
            )
            .encode_params(
                EncodeParams::builder()
                    .audio_sample_rate(48000)
                    .audio_bitrate(64)
                    .audio_channels(2)
                    .video_width(1280)
                    .video_height(720)
                    .video_bitrate(15)
                    .video_framerate(2000)
                    .build()
                    .unwrap(),
            )
            .layout_params(LayoutParams::builder().template(1).build().unwrap())
    };
    let err = request(&client).send().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "EncodeParams.VideoFramerate: 2000 is outside the documented range: 1 to 60 (\"取值范围[1,60]"
        ),
        "{text}"
    );
    assert!(
        text.contains("ConfigBuilder::skip_limit_checks(true)"),
        "{text}"
    );
    let SdkError::Construction(ConstructionError::Limits(e)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.violations.len(), 1, "{e}");
    assert_eq!(e.violations[0].path, "EncodeParams.VideoFramerate");
    assert_eq!(e.violations[0].limit, "1 to 60");
    assert_eq!(err.attempts(), 0);
    assert_eq!(
        endpoint.count("StartMCUMixTranscode"),
        0,
        "nothing was sent"
    );
    assert!(endpoint.calls().is_empty(), "nothing was sent");

    // The escape hatch, for one call: sent; the endpoint refuses it in the same words.
    let err = request(&client)
        .customize(|o| o.skip_limit_checks(true))
        .send()
        .await
        .unwrap_err();
    let api = err.service_error().expect("a service error").api_error();
    assert_eq!(api.code(), "InvalidParameterValue");
    assert_eq!(api.message(), e.violations[0].to_string());
    assert_eq!(endpoint.count("StartMCUMixTranscode"), 1);

    // For the client: the same.
    let lax = tencentcloud_trtc::Client::new(
        config_for(&endpoint)
            .skip_limit_checks(true)
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = request(&lax).send().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterValue"));
    assert_eq!(endpoint.count("StartMCUMixTranscode"), 2);

    // The escape hatch turns off only the limits: a required member still fails to build.
    let err = lax
        .start_mcu_mix_transcode()
        .sdk_app_id(1400000001)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Construction(ConstructionError::Build(_))),
        "{err:?}"
    );
    assert_eq!(endpoint.count("StartMCUMixTranscode"), 2);

    // And a framerate inside the range starts the mix.
    request(&client)
        .encode_params(
            EncodeParams::builder()
                .audio_sample_rate(48000)
                .audio_bitrate(64)
                .audio_channels(2)
                .video_width(1280)
                .video_height(720)
                .video_bitrate(2000)
                .video_framerate(15)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint.mix_transcodes().len(), 1);
}

/// The generated crate's limit table is the spec's (the metadata test proves
/// every `ActionMeta` equal); here, that it is not empty where it matters.
#[test]
fn the_generated_limit_tables_hold_the_documented_limits() {
    let table = tencentcloud_trtc::actions::START_MCU_MIX_TRANSCODE
        .limits
        .members()
        .unwrap();
    let framerate = table
        .iter()
        .find(|m| m.path == "EncodeParams.VideoFramerate")
        .expect("EncodeParams.VideoFramerate has a limit");
    assert_eq!(framerate.limits[0].describe(), "1 to 60");
    let spec = spec();
    let rows: usize = spec
        .actions
        .iter()
        .map(|(n, a)| {
            meta::action_meta(&spec, n, a)
                .limits
                .members()
                .unwrap()
                .len()
        })
        .sum();
    assert!(rows >= 169, "{rows}");
}

fn ranges() -> Vec<(String, Limit, bool)> {
    let spec = spec();
    let mut out = Vec::new();
    for (name, s) in spec.shapes.iter() {
        for (wire, m) in s.members.iter().flat_map(|m| m.iter()) {
            for l in m.limits.iter().filter(|l| l.kind == LimitKind::Range) {
                let integer = !matches!(Prim::parse(m.target()), Some(Prim::Float));
                out.push((format!("{name}.{wire}"), l.clone(), integer));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any number within a documented range passes; any number past one of
    /// its bounds is refused, naming the range.
    #[test]
    fn numbers_within_ranges_pass_and_beyond_fail(pick in any::<prop::sample::Index>(), t in 0.0f64..=1.0, past in 1.0f64..1e6) {
        let all = ranges();
        let (member, l, integer) = &all[pick.index(all.len())];
        let lo = l.min.as_ref().and_then(serde_json::Number::as_f64);
        let hi = l.max.as_ref().and_then(serde_json::Number::as_f64);
        let (a, b) = (lo.unwrap_or(hi.unwrap_or(0.0) - 1e6), hi.unwrap_or(lo.unwrap_or(0.0) + 1e6));
        let mut x = a + (b - a) * t;
        if *integer {
            x = x.round().clamp(a.ceil(), b.floor());
            if l.min_exclusive && x <= a { x = a + 1.0; }
            if l.max_exclusive && x >= b { x = b - 1.0; }
        } else if (l.min_exclusive && x <= a) || (l.max_exclusive && x >= b) {
            x = (a + b) / 2.0;
        }
        let inside = num(x, *integer);
        prop_assert!(rt::check(&[l.to_runtime()], &inside, member, false).is_empty(), "{member} {inside} {l}");
        let past = if *integer { past.ceil() } else { past };
        for beyond in [lo.map(|a| a - past), hi.map(|b| b + past)].into_iter().flatten() {
            let v = num(beyond, *integer);
            let found = rt::check(&[l.to_runtime()], &v, member, false);
            prop_assert_eq!(found.len(), 1, "{} {} {}", member, v, l);
            prop_assert!(found[0].to_string().contains(&l.describe()));
        }
    }
}

#[test]
fn the_problem_kind_carries_the_runtime_violation() {
    let spec = spec();
    let action = spec.actions.get("StartMCUMixTranscode").unwrap();
    let body = json!({"SdkAppId": 1, "RoomId": 1,
        "OutputParams": {"StreamId": "s"},
        "EncodeParams": {"AudioSampleRate": 48000, "AudioBitrate": 64, "AudioChannels": 2, "VideoFramerate": 0},
        "LayoutParams": {}});
    let p = check::check(&spec, &action.input, &body, Direction::Request);
    assert!(
        matches!(&p[..], [check::Problem { kind: ProblemKind::Limit(v), .. }] if v.path == "EncodeParams.VideoFramerate" && v.found == "0"),
        "{p:?}"
    );
    // Answers are never checked against limits.
    assert!(
        check::check(&spec, &action.input, &body, Direction::Response)
            .iter()
            .all(|p| !p.is_limit())
    );
}
