//! Every generated type: any value serializes and parses back equal, and its
//! JSON uses exactly the spec's wire names and types.

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tencentcloud_codegen::check::{self, Direction};
use tencentcloud_codegen::spec::{ShapeKind, Spec};
use tencentcloud_tests::trtc_spec;

fn round_trip<T>(spec: &Spec, wire: &str)
where
    T: Arbitrary + Serialize + DeserializeOwned + PartialEq + Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&any::<T>(), |value| {
        let json = serde_json::to_value(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let problems = check::check(spec, wire, &json, Direction::Response);
        prop_assert!(
            problems.is_empty(),
            "{wire}: JSON does not match the spec: {:?}\n{json}",
            problems.iter().map(|p| p.to_string()).collect::<Vec<_>>()
        );
        let text = serde_json::to_string(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: T = serde_json::from_str(&text)
            .map_err(|e| TestCaseError::fail(format!("{wire}: {e}: {text}")))?;
        prop_assert_eq!(&back, &value);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{wire}: {e}");
    }
}

fn shapes_of(spec: &Spec, kind: ShapeKind) -> Vec<String> {
    let mut v: Vec<String> = spec
        .shapes
        .iter()
        .filter(|(_, s)| s.kind == kind)
        .map(|(n, _)| n.to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn every_structure_round_trips_with_exact_wire_names() {
    let (spec, _) = trtc_spec();
    let mut tested: Vec<String> = Vec::new();
    macro_rules! one {
        ($t:path, $wire:expr) => {
            round_trip::<$t>(&spec, $wire);
            tested.push($wire.to_owned());
        };
    }
    tencentcloud_trtc::model::for_each_structure!(one);
    tested.sort();
    assert_eq!(
        tested,
        shapes_of(&spec, ShapeKind::Structure),
        "every structure is tested"
    );
}

#[test]
fn every_enum_round_trips_and_keeps_unknown_values() {
    let (spec, _) = trtc_spec();
    let mut tested: Vec<String> = Vec::new();
    macro_rules! one {
        ($t:path, $wire:expr) => {
            round_trip::<$t>(&spec, $wire);
            tested.push($wire.to_owned());
        };
    }
    tencentcloud_trtc::model::for_each_enum!(one);
    tested.sort();
    assert_eq!(
        tested,
        shapes_of(&spec, ShapeKind::Enum),
        "every enum is tested"
    );
}

#[test]
fn documented_enum_values_map_to_named_variants() {
    use tencentcloud_trtc::model::{CustomDataMode, RoomIdType, TranscriptionStatus};
    for v in RoomIdType::KNOWN {
        assert!(!matches!(RoomIdType::from(*v), RoomIdType::Unknown(_)));
    }
    assert_eq!(RoomIdType::from(0), RoomIdType::Integer);
    assert_eq!(RoomIdType::from(1), RoomIdType::String);
    assert_eq!(CustomDataMode::from(2), CustomDataMode::Unknown(2));
    assert_eq!(
        CustomDataMode::Unknown(1),
        CustomDataMode::Enabled,
        "equality is by value"
    );
    assert_eq!(
        serde_json::to_string(&CustomDataMode::from(2)).unwrap(),
        "2"
    );
    let s: TranscriptionStatus = serde_json::from_str("\"Paused\"").unwrap();
    assert_eq!(s, TranscriptionStatus::Unknown("Paused".into()));
    assert_eq!(serde_json::to_string(&s).unwrap(), "\"Paused\"");
    assert_eq!(
        serde_json::from_str::<TranscriptionStatus>("\"InProgress\"").unwrap(),
        TranscriptionStatus::InProgress
    );
}

#[test]
fn optional_members_are_omitted_and_unknown_members_ignored() {
    use tencentcloud_trtc::model::{
        AsrParam, DescribeCloudTranscriptionResponse, TranscriptionStatus,
    };
    let a = AsrParam::builder().lang("16k_zh_en").build().unwrap();
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"Lang":"16k_zh_en"}"#
    );
    let r: DescribeCloudTranscriptionResponse = serde_json::from_str(
        r#"{"StartTime":1,"Status":"Idle","TaskId":"t","RequestId":"r","AddedLater":{"x":[1]}}"#,
    )
    .unwrap();
    assert_eq!(r.status, TranscriptionStatus::Idle);
    let e = serde_json::from_str::<DescribeCloudTranscriptionResponse>(
        r#"{"StartTime":1,"TaskId":"t","RequestId":"r"}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("Status"), "{e}");
}

#[test]
fn builders_name_the_missing_required_member() {
    use tencentcloud_trtc::model::{CreateCloudTranscriptionRequest, TranscriptionParam};
    let e = TranscriptionParam::builder()
        .user_id("u")
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "required member `UserSig` of `TranscriptionParam` is not set"
    );
    let e = CreateCloudTranscriptionRequest::builder()
        .sdk_app_id(1)
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "required member `RoomId` of `CreateCloudTranscriptionRequest` is not set"
    );
}

#[test]
fn debug_never_shows_the_user_signature() {
    use tencentcloud_trtc::model::TranscriptionParam;
    let b = TranscriptionParam::builder()
        .user_id("u")
        .user_sig("SECRET-SIG-VALUE");
    assert!(!format!("{b:?}").contains("SECRET-SIG-VALUE"));
    let p = b.build().unwrap();
    let text = format!("{p:?}");
    assert!(!text.contains("SECRET-SIG-VALUE"), "{text}");
    assert!(text.contains("redacted"));
    assert!(text.contains("\"u\""));
}

#[test]
fn parsing_names_what_is_wrong_and_skips_what_it_does_not_know() {
    use tencentcloud_trtc::model::{AsrParam, DescribeRoomInfoResponse, TranscriptionParam};
    // A required member missing, or given twice.
    let e = serde_json::from_str::<TranscriptionParam>(r#"{"UserSig": "s"}"#).unwrap_err();
    assert!(e.to_string().contains("missing field `UserId`"), "{e}");
    let e = serde_json::from_str::<TranscriptionParam>(
        r#"{"UserId": "a", "UserId": "b", "UserSig": "s"}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("duplicate field `UserId`"), "{e}");
    // `null` is an absent optional member, not a required one.
    let p: AsrParam =
        serde_json::from_str(r#"{"Lang": "16k_zh_en", "VadSilenceTime": null}"#).unwrap();
    assert_eq!(p.vad_silence_time, None);
    let e = serde_json::from_str::<AsrParam>(r#"{"Lang": null}"#).unwrap_err();
    assert!(e.to_string().contains("invalid type: null"), "{e}");
    // A wrong type names what was expected.
    let e = serde_json::from_str::<AsrParam>(r#"{"Lang": 5}"#).unwrap_err();
    assert!(e.to_string().contains("invalid type: integer `5`"), "{e}");
    // Not an object at all.
    let e = serde_json::from_str::<AsrParam>(r#"["16k_zh_en"]"#).unwrap_err();
    assert!(
        e.to_string().contains("expected a `AsrParam` object"),
        "{e}"
    );
    // Escaped member names are the same names.
    let p: AsrParam = serde_json::from_str(r#"{"\u004cang": "en"}"#).unwrap();
    assert_eq!(p.lang, "en");
    // Unknown members, however deep, are skipped.
    let r: DescribeRoomInfoResponse = serde_json::from_str(
        r#"{"Total": 1, "New": {"a": [1, {"b": null}]}, "RoomList": [{"RoomString": "r", "Later": [true]}], "RequestId": "x"}"#,
    )
    .unwrap();
    assert_eq!(r.room_list.unwrap()[0].room_string.as_deref(), Some("r"));
    // Serializing omits absent optional members and keeps the wire names.
    let v = serde_json::to_value(AsrParam::builder().lang("en").build().unwrap()).unwrap();
    assert_eq!(v, serde_json::json!({"Lang": "en"}));
}
