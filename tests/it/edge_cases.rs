//! The generator's edge-case crates behave: colliding names keep their own
//! wire names, keywords work, recursive shapes round-trip, codes differing only
//! by case are distinct variants.

use proptest::prelude::*;
use tencentcloud_edgecases::error::{DescribeThingsError, ErrorCode};
use tencentcloud_edgecases::model::{
    DescribeThingsRequest, Node, Result as EnumNamedResult, String as EnumNamedString,
};
use tencentcloud_runtime::ApiError;

#[test]
fn colliding_and_keyword_members_keep_their_wire_names() {
    let r = DescribeThingsRequest::builder()
        .run_id("a")
        .run_id_2("b")
        .r#type("t")
        .r#match(1)
        .self_(true)
        .crate_("c")
        .had_auto_fix_vul(false)
        .send_2("s")
        .build_2("b2")
        .set_up("su")
        .up_2("u")
        .n_3d_layout("3d")
        .build()
        .unwrap();
    let v = serde_json::to_value(&r).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "RunId",
        "RunID",
        "Type",
        "Match",
        "Self",
        "Crate",
        "hadAutoFixVul",
        "Send",
        "Build",
        "SetUp",
        "Up",
        "3DLayout",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(v["RunId"], "a");
    assert_eq!(v["RunID"], "b");
    let back: DescribeThingsRequest = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}

#[test]
fn codes_differing_only_by_case_are_distinct() {
    let a = DescribeThingsError::from(ApiError::new("InvalidParameter.SdkAppId", "m", "r"));
    let b = DescribeThingsError::from(ApiError::new("InvalidParameter.SdkAppid", "m", "r"));
    assert!(matches!(
        a,
        DescribeThingsError::InvalidParameterSdkAppId(_)
    ));
    assert!(matches!(
        b,
        DescribeThingsError::InvalidParameterSdkAppid(_)
    ));
    let c = DescribeThingsError::from(ApiError::new("FailedOperation.ABC", "m", "r"));
    let d = DescribeThingsError::from(ApiError::new("FailedOperation.Abc", "m", "r"));
    assert!(matches!(c, DescribeThingsError::FailedOperationAbc(_)));
    assert!(matches!(d, DescribeThingsError::FailedOperationAbc2(_)));
    assert_eq!(
        ErrorCode::from("FailedOperation.Abc"),
        ErrorCode::FailedOperationAbc2
    );
    assert_eq!(
        ErrorCode::FailedOperationAbc2.as_str(),
        "FailedOperation.Abc"
    );
    // Codes named like the reserved variants.
    assert!(matches!(
        DescribeThingsError::from(ApiError::new("Unknown", "m", "r")),
        DescribeThingsError::Unknown2(_)
    ));
    assert!(matches!(
        DescribeThingsError::from(ApiError::new("Unhandled", "m", "r")),
        DescribeThingsError::Unhandled2(_)
    ));
    assert!(matches!(
        DescribeThingsError::from(ApiError::new("Other", "m", "r")),
        DescribeThingsError::Unhandled(_)
    ));
}

#[test]
fn enums_named_like_prelude_types() {
    assert_eq!(EnumNamedString::from("unknown"), EnumNamedString::Unknown2);
    assert_eq!(EnumNamedString::from("utf8"), EnumNamedString::Utf8);
    assert_eq!(EnumNamedString::from("UTF-8"), EnumNamedString::Utf82);
    assert_eq!(
        EnumNamedString::from("x"),
        EnumNamedString::Unknown("x".into())
    );
    assert_eq!(EnumNamedResult::from(-1), EnumNamedResult::Err);
    assert_eq!(EnumNamedResult::from(i64::MIN), EnumNamedResult::Min);
    assert_eq!(
        serde_json::to_string(&EnumNamedResult::Min).unwrap(),
        i64::MIN.to_string()
    );
}

#[test]
fn sensitive_members_are_redacted() {
    let r = DescribeThingsRequest::builder()
        .run_id("a")
        .password("hunter2")
        .build()
        .unwrap();
    assert!(!format!("{r:?}").contains("hunter2"));
}

#[test]
fn client_method_names_do_not_collide() {
    // Compile-time facts: both colliding actions and `New` have their own methods.
    fn _methods(c: &tencentcloud_edgecases::Client) {
        let _ = c.describe_url();
        let _ = c.describe_url_2();
        let _ = c.new_2();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn recursive_shapes_round_trip(node in Node::arbitrary_with_depth(4)) {
        let text = serde_json::to_string(&node).unwrap();
        let back: Node = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, node);
    }

    #[test]
    fn every_edge_case_request_round_trips(r in any::<DescribeThingsRequest>()) {
        let text = serde_json::to_string(&r).unwrap();
        let back: DescribeThingsRequest = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, r);
    }
}

#[test]
fn paginators_streams_and_slow_limits_under_awkward_names() {
    use tencentcloud_edgecases::actions;
    use tencentcloud_runtime::RateLimit;
    // A slow limit and an action host.
    assert_eq!(
        actions::STREAM_THINGS.rate_limit,
        Some(RateLimit::every(2, 30))
    );
    assert_eq!(
        actions::STREAM_THINGS.endpoint.as_deref(),
        Some("stream.edgecases.tencentcloudapi.com")
    );
    let meta = actions::STREAM_THINGS.stream.as_ref().unwrap();
    assert_eq!(
        (
            meta.kind_member.as_deref(),
            meta.error_kind.as_deref(),
            meta.end_member.as_deref()
        ),
        (Some("Kind"), Some("error"), Some("Done"))
    );
    assert!(actions::LIST_THINGS.stream.is_none());
    // The paginators exist (and `NotPaged`, which looks paginated, has none:
    // `NotPagedFluentBuilder::into_paginator` does not compile).
    let _: fn(
        tencentcloud_edgecases::fluent::ListThingsFluentBuilder,
    ) -> tencentcloud_edgecases::fluent::ListThingsPaginator =
        tencentcloud_edgecases::fluent::ListThingsFluentBuilder::into_paginator;
    let _: fn(
        tencentcloud_edgecases::fluent::ListMoreFluentBuilder,
    ) -> tencentcloud_edgecases::fluent::ListMorePaginator =
        tencentcloud_edgecases::fluent::ListMoreFluentBuilder::into_paginator;
}

#[test]
fn callbacks_under_awkward_names() {
    use tencentcloud_edgecases::model::callbacks::Event;
    use tencentcloud_edgecases::model::StreamKind;
    use tencentcloud_runtime::StringOrInt;
    let e = Event::from_parts(1, 1, r#"{"RoomId": 7, "Match": "m"}"#).unwrap();
    let Event::Match(m) = &e else { panic!("{e:?}") };
    assert_eq!(m.info.room_id, Some(StringOrInt::Int(7)));
    assert_eq!(m.info.r#match.as_deref(), Some("m"));
    assert_eq!(
        (e.group_name(), e.name(), e.constant()),
        ("Type", "Match", None)
    );
    let e = Event::from_parts(1, 2, r#"{"RoomId": "r", "Payload": {"Status": "data"}}"#).unwrap();
    let Event::Unknown2(u) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(u.payload.status, Some(StreamKind::Data));
    let e = Event::from_parts(-5, 0, "{}").unwrap();
    assert_eq!((e.group_id(), e.name()), (-5, "Event"));
    let e = Event::from_parts(1, 3, r#"{"x": 1}"#).unwrap();
    assert_eq!(e.name(), "Unknown");
}
