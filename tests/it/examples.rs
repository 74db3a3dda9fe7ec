//! The documented examples of the pinned definition, through the shipped
//! types: each request parses into the typed request and serializes back to
//! the same JSON; each response parses into the typed response and serializes
//! back to the same JSON but for the members its shape does not know. The
//! seed's example is one of them, byte for byte, and the spec holds it
//! verbatim; the seed page's facts are written down below.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tencentcloud_codegen::spec::{Example, Spec};
use tencentcloud_tests::trtc_spec;

/// Serializes like Tencent's documentation: 4-space indentation.
fn pretty4<T: Serialize>(v: &T) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    v.serialize(&mut ser).expect("serialize");
    String::from_utf8(buf).expect("utf-8")
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

#[derive(Debug, Default)]
struct Outcome {
    byte_exact_requests: usize,
    reordered_requests: usize,
    byte_exact_responses: usize,
    reordered_responses: usize,
}

/// `value` as the typed response should serialize it: members the shape does
/// not know dropped (responses are parsed leniently), `null` members dropped
/// (an absent optional), recursively.
fn expected_back(spec: &Spec, ty: &str, value: &Value) -> Value {
    let Some(shape) = spec.shapes.get(ty) else {
        return value.clone();
    };
    let (Some(members), Value::Object(obj)) = (&shape.members, value) else {
        return value.clone();
    };
    let mut out = serde_json::Map::new();
    for (k, v) in obj {
        let Some(m) = members.get(k) else { continue };
        if v.is_null() {
            continue;
        }
        let v = match (m.ty.as_str(), v) {
            ("list", Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|i| expected_back(spec, m.items.as_deref().unwrap_or(""), i))
                    .collect(),
            ),
            (t, v) => expected_back(spec, t, v),
        };
        out.insert(k.clone(), v);
    }
    Value::Object(out)
}

/// JSON equality where numbers compare by value (`1` == `1.0`) and strings
/// holding JSON objects (`LLMConfig`, typed as `JsonString`) compare as JSON:
/// the typed value writes its text compactly.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) if x != y => {
            match (
                serde_json::from_str::<Value>(x),
                serde_json::from_str::<Value>(y),
            ) {
                (Ok(x @ Value::Object(_)), Ok(y @ Value::Object(_))) => same(&x, &y),
                _ => false,
            }
        }
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn check_example<I, O>(
    spec: &Spec,
    output: &str,
    ex: &Example,
    out: &mut Outcome,
) -> Result<(), String>
where
    I: Serialize + DeserializeOwned,
    O: Serialize + DeserializeOwned,
{
    let typed: I =
        serde_json::from_str(&ex.request).map_err(|e| format!("request does not parse: {e}"))?;
    let ours = pretty4(&typed);
    let original: Value = serde_json::from_str(&ex.request).map_err(|e| e.to_string())?;
    let again: Value = serde_json::from_str(&ours).map_err(|e| e.to_string())?;
    if !same(&again, &original) {
        return Err(format!(
            "request does not round-trip:\n{}\n!=\n{ours}",
            ex.request
        ));
    }
    if ours == ex.request {
        out.byte_exact_requests += 1;
    } else {
        out.reordered_requests += 1;
    }
    let typed: Envelope<O> =
        serde_json::from_str(&ex.response).map_err(|e| format!("response does not parse: {e}"))?;
    let ours = pretty4(&typed);
    let original: Value = serde_json::from_str(&ex.response).map_err(|e| e.to_string())?;
    let expected = expected_back(spec, output, &original["Response"]);
    let again: Value = serde_json::from_str(&ours).map_err(|e| e.to_string())?;
    if !same(&again["Response"], &expected) {
        return Err(format!(
            "response does not round-trip (members the shape knows):\n{expected:#}\n!=\n{ours}"
        ));
    }
    if ours == ex.response {
        out.byte_exact_responses += 1;
    } else {
        out.reordered_responses += 1;
    }
    Ok(())
}

type Checker = fn(&Spec, &str, &Example, &mut Outcome) -> Result<(), String>;

fn checkers() -> Vec<(&'static str, Checker)> {
    let mut table: Vec<(&'static str, Checker)> = Vec::new();
    macro_rules! one {
        ($name:expr, $i:ty, $o:ty, $e:ty, $with:ident, $meta:path) => {
            table.push(($name, check_example::<$i, $o>));
        };
    }
    tencentcloud_trtc::for_each_action!(one);
    table
}

/// Documented examples whose JSON-in-a-string member holds a placeholder, not
/// JSON (`"TTSConfig": "your-tts-config-json"`): the typed request refuses
/// them, with this in the error.
const PLACEHOLDERS: &[(&str, &str)] = &[("UpdateAIConversation", "TTSConfig: $: not valid JSON")];

fn run_all(spec: &Spec) -> (Outcome, usize) {
    let table = checkers();
    let mut refused = 0;
    let mut outcome = Outcome::default();
    let mut n = 0;
    let mut failures = Vec::new();
    for (name, action) in spec.actions.iter() {
        let (_, check) = table
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no generated types for {name}"));
        for ex in &action.examples {
            n += 1;
            match (
                check(spec, &action.output, ex, &mut outcome),
                PLACEHOLDERS.iter().find(|(a, _)| *a == name),
            ) {
                (Err(e), None) => failures.push(format!("{name} / {:?}: {e}", ex.title)),
                (Err(e), Some((_, why))) => {
                    // The typed member refuses a placeholder that is not JSON, naming it.
                    assert!(e.contains(why), "{name}: {e}");
                    refused += 1;
                }
                (Ok(()), Some(_)) => failures.push(format!(
                    "{name} / {:?}: a placeholder was accepted",
                    ex.title
                )),
                (Ok(()), None) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(refused, PLACEHOLDERS.len());
    (outcome, n - refused)
}

#[test]
fn documented_examples_round_trip() {
    let (spec, _) = trtc_spec();
    let (outcome, n) = run_all(&spec);
    // Every usable example of the pinned definitions (the ones the importer
    // reports unusable are listed in tests/it/whole_service.rs), the
    // mainland-only actions' Chinese examples among them, less those whose
    // JSON-in-a-string member holds a placeholder the typed member refuses.
    let in_spec: usize = spec.actions.iter().map(|(_, a)| a.examples.len()).sum();
    assert_eq!(n, in_spec - PLACEHOLDERS.len());
    let mainland: usize = spec
        .actions
        .iter()
        .filter(|(_, a)| a.editions == [tencentcloud_codegen::spec::Edition::Mainland])
        .map(|(_, a)| a.examples.len())
        .sum();
    assert!(mainland > 0, "the mainland-only actions' examples run too");
    eprintln!("{n} examples: {outcome:?}");
    assert_eq!(outcome.byte_exact_requests + outcome.reordered_requests, n);
    assert_eq!(
        outcome.byte_exact_responses + outcome.reordered_responses,
        n
    );
}

#[test]
fn seed_example_is_byte_for_byte() {
    use tencentcloud_trtc::model::{
        CreateCloudTranscriptionRequest, CreateCloudTranscriptionResponse,
    };
    let (spec, _) = trtc_spec();
    let ex = &spec
        .actions
        .get("CreateCloudTranscription")
        .unwrap()
        .examples[0];
    let typed: CreateCloudTranscriptionRequest = serde_json::from_str(&ex.request).unwrap();
    assert_eq!(
        pretty4(&typed),
        ex.request,
        "SendCustomMode 2 (undocumented) survives too"
    );
    let typed: Envelope<CreateCloudTranscriptionResponse> =
        serde_json::from_str(&ex.response).unwrap();
    assert_eq!(pretty4(&typed), ex.response);
}

/// Facts of the page this project started from: Tencent's documentation page
/// of CreateCloudTranscription (<https://www.tencentcloud.com/document/api/647/78748>,
/// "Last updated: 2026-04-07 14:44:33"), written down here so the tests need
/// nothing outside the repository.
mod seed {
    pub const DOMAIN: &str = "trtc.intl.tencentcloudapi.com";
    pub const RATE_PER_SECOND: u32 = 20;
    pub const REGIONS: &[&str] = &["ap-guangzhou", "ap-hongkong", "ap-singapore"];
    /// Input parameters: name, required, documented type.
    pub const INPUT: &[(&str, bool, &str)] = &[
        ("SdkAppId", true, "Integer"),
        ("RoomId", true, "String"),
        ("RoomIdType", true, "Integer"),
        ("TranscriptionParam", true, "TranscriptionParam"),
        ("AsrParam", true, "AsrParam"),
        ("TranslationParam", false, "TranslationParam"),
    ];
    pub const OUTPUT: &[&str] = &["TaskId", "RequestId"];
    pub const EXAMPLE_TITLE: &str = "Initiate a transcription task";
    pub const EXAMPLE_REQUEST: &str = r#"{
    "SdkAppId": 14000000,
    "RoomId": "295000",
    "RoomIdType": 0,
    "TranscriptionParam": {
        "UserId": "trtc_test_1",
        "UserSig": "eJjdaVgrxCdYrzkx*************BLATRT",
        "SubscribeList": [
            {
                "UserId": "user_1"
            }
        ],
        "MaxIdleTime": 30,
        "SendCustomMode": 2
    },
    "AsrParam": {
        "Lang": "16k_zh_en",
        "VadSilenceTime": 2000
    },
    "TranslationParam": {
        "TargetLang": [
            "en"
        ]
    }
}"#;
    pub const EXAMPLE_RESPONSE: &str = r#"{
    "Response": {
        "TaskId": "-nE5dafd3iq51******41fnF8bp2NI65pgE.",
        "RequestId": "f98cb56d-2c70******b0-213ee0ef73ac"
    }
}"#;
    /// The page's error table, in order.
    pub const ERRORS: &[(&str, &str)] = &[
        ("AuthFailure", "CAM signature/authentication error."),
        (
            "AuthFailure.UnauthorizedOperation",
            "CAM authentication failed.",
        ),
        ("AuthFailure.UnsupportedOperation", "Unsupported operation."),
        ("FailedOperation", "Operation failed."),
        (
            "FailedOperation.CTUnsupportMethod",
            "The cloud transcription method does not support this.",
        ),
        ("InternalError", "Internal error."),
        ("InternalError.CTInternalError", "Internal errors."),
        ("InvalidParameter", "Parameter error."),
        (
            "InvalidParameter.OutOfRange",
            "Parameter value is out of range.",
        ),
        ("InvalidParameter.SdkAppId", "SdkAppId is incorrect."),
        ("MissingParameter", "Missing parameter."),
        (
            "MissingParameter.ASRLang",
            "Missing required parameter: Lang (ASR model).",
        ),
        (
            "MissingParameter.AsrParam",
            "Missing required parameter: AsrParam.",
        ),
        ("MissingParameter.Region", "Region parameter missing."),
        ("MissingParameter.RoomId", "RoomId is missing."),
        ("MissingParameter.SdkAppId", "SdkAppId is missing."),
        (
            "MissingParameter.TranscriptionParam",
            "The TranscriptionParam parameter is required.",
        ),
        ("MissingParameter.UserId", "Missing UserId parameter."),
        ("MissingParameter.UserSig", "UserSig parameter missing."),
        ("UnsupportedOperation", "Unsupported operation."),
    ];
}

#[test]
fn spec_holds_the_seed_example_verbatim() {
    let (spec, _) = trtc_spec();
    let ex = &spec
        .actions
        .get("CreateCloudTranscription")
        .unwrap()
        .examples[0];
    assert_eq!(ex.title, seed::EXAMPLE_TITLE);
    assert_eq!(ex.request, seed::EXAMPLE_REQUEST);
    assert_eq!(ex.response, seed::EXAMPLE_RESPONSE);
}

#[test]
fn spec_has_every_error_code_of_the_seed() {
    let (spec, _) = trtc_spec();
    let ours: Vec<(&str, &str)> = spec
        .actions
        .get("CreateCloudTranscription")
        .unwrap()
        .errors
        .iter()
        .map(|(c, d)| (c, d.as_str()))
        .collect();
    assert_eq!(ours, seed::ERRORS);
}

#[test]
fn spec_has_the_seed_regions_rate_limit_endpoint_and_members() {
    let (spec, _) = trtc_spec();
    let action = spec.actions.get("CreateCloudTranscription").unwrap();
    assert_eq!(action.regions, seed::REGIONS);
    assert_eq!(
        action.rate_limit,
        Some(tencentcloud_codegen::spec::RateLimit::per_second(
            seed::RATE_PER_SECOND
        ))
    );
    assert_eq!(
        spec.service.international_endpoint.as_deref(),
        Some(seed::DOMAIN)
    );
    assert_eq!(spec.service.version, "2019-07-22");
    let input = spec
        .shapes
        .get(&action.input)
        .unwrap()
        .members
        .as_ref()
        .unwrap();
    for (name, m) in input.iter() {
        if !seed::INPUT.iter().any(|(n, _, _)| *n == name) {
            // TTSParam: in the published definition, not on this edition of the page.
            assert!(!m.required, "{name}, beyond the page, is optional");
        }
    }
    for (name, required, ty) in seed::INPUT {
        let m = input
            .get(name)
            .unwrap_or_else(|| panic!("spec lacks input member {name}"));
        assert_eq!(m.required, *required, "{name} required");
        let expected_ty = match *ty {
            "Integer" => vec!["uint64", "int64", "RoomIdType"],
            "String" => vec!["string"],
            other => vec![other],
        };
        assert!(
            expected_ty.contains(&m.ty.as_str()),
            "{name}: {} vs {ty}",
            m.ty
        );
    }
    let output = spec
        .shapes
        .get(&action.output)
        .unwrap()
        .members
        .as_ref()
        .unwrap();
    let names: Vec<&str> = output.iter().map(|(n, _)| n).collect();
    assert_eq!(names, seed::OUTPUT);
}
