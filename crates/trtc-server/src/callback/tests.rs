use super::*;
use proptest::prelude::*;

/// The vector published with TRTC's signature samples (key `123654`).
const PUBLISHED_BODY: &str = "{\n\t\"EventGroupId\":\t2,\n\t\"EventType\":\t204,\n\t\"CallbackTs\":\t1664209748188,\n\t\"EventInfo\":\t{\n\t\t\"RoomId\":\t8489,\n\t\t\"EventTs\":\t1664209748,\n\t\t\"EventMsTs\":\t1664209748180,\n\t\t\"UserId\":\t\"user_85034614\",\n\t\t\"Reason\":\t0\n\t}\n}";
const PUBLISHED_SIGN: &str = "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=";
const PUBLISHED_KEY: &str = "123654";

fn verifier() -> CallbackVerifier {
    CallbackVerifier::new(PUBLISHED_KEY)
}

fn signed(body: &str) -> String {
    sign(&SecretKey::from(PUBLISHED_KEY), body.as_bytes())
}

#[test]
fn sign_reproduces_the_published_vector() {
    assert_eq!(signed(PUBLISHED_BODY), PUBLISHED_SIGN);
    // Literal backslash sequences are another body: another signature.
    let literal = PUBLISHED_BODY.replace('\n', "\\n").replace('\t', "\\t");
    assert_ne!(signed(&literal), PUBLISHED_SIGN);
}

#[test]
fn the_published_vector_verifies() {
    let cb = verifier()
        .expect_sdk_app_id(1_400_000_001)
        .verify(
            Some(PUBLISHED_SIGN),
            Some("1400000001"),
            PUBLISHED_BODY.as_bytes(),
        )
        .unwrap();
    assert_eq!(cb.event_group_id(), 2);
    assert_eq!(cb.event_type(), 204);
    assert_eq!(cb.callback_ts(), 1_664_209_748_188);
    assert_eq!(cb.sdk_app_id(), Some(1_400_000_001));
    assert_eq!(cb.event_info()["UserId"], "user_85034614");
    assert_eq!(cb.event_info()["RoomId"], 8489);
    // The raw text is the body's own, tabs and newlines included.
    assert_eq!(
        cb.event_info_raw().get(),
        "{\n\t\t\"RoomId\":\t8489,\n\t\t\"EventTs\":\t1664209748,\n\t\t\"EventMsTs\":\t1664209748180,\n\t\t\"UserId\":\t\"user_85034614\",\n\t\t\"Reason\":\t0\n\t}"
    );
    assert_eq!(cb.idempotency_key().len(), 64);
    // Without an expected SdkAppId the header is optional.
    let cb = verifier()
        .verify(Some(PUBLISHED_SIGN), None, PUBLISHED_BODY.as_bytes())
        .unwrap();
    assert_eq!(cb.sdk_app_id(), None);
}

#[test]
fn idempotency_key_is_the_documented_hash() {
    let cb = verifier()
        .verify(Some(PUBLISHED_SIGN), None, PUBLISHED_BODY.as_bytes())
        .unwrap();
    let canonical = r#"2:204:{"EventMsTs":1664209748180,"EventTs":1664209748,"Reason":0,"RoomId":8489,"UserId":"user_85034614"}"#;
    let expected: String = Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(cb.idempotency_key(), expected);
}

#[test]
fn idempotency_key_survives_retries_and_reformatting() {
    let key_of = |body: &str| {
        verifier()
            .verify(Some(&signed(body)), None, body.as_bytes())
            .unwrap()
            .idempotency_key()
            .to_owned()
    };
    let original = key_of(PUBLISHED_BODY);
    // A retry: another CallbackTs, compact, members reordered at both levels,
    // nested objects reordered too.
    let retry = r#"{"EventInfo":{"UserId":"user_85034614","Reason":0,"EventMsTs":1664209748180,"EventTs":1664209748,"RoomId":8489},"CallbackTs":1664209758999,"EventType":204,"EventGroupId":2}"#;
    assert_eq!(key_of(retry), original);
    let nested_a = r#"{"EventGroupId":3,"EventType":310,"CallbackTs":1,"EventInfo":{"Payload":{"b":[{"y":1,"x":2}],"a":"ü"}}}"#;
    let nested_b = r#"{"EventGroupId":3,"EventType":310,"CallbackTs":2,"EventInfo":{ "Payload" : { "a" : "\u00fc", "b" : [ { "x" : 2, "y" : 1 } ] } }}"#;
    assert_eq!(key_of(nested_a), key_of(nested_b));

    // Another event: another user, another type, another group, another time.
    for other in [
        PUBLISHED_BODY.replace("user_85034614", "user_85034615"),
        PUBLISHED_BODY.replace("204,", "203,"),
        PUBLISHED_BODY.replace("\t2,", "\t1,"),
        PUBLISHED_BODY.replace("1664209748180", "1664209748181"),
        // Same digits, but a string room is another room.
        PUBLISHED_BODY.replace("8489", "\"8489\""),
    ] {
        assert_ne!(key_of(&other), original, "{other}");
    }
    // Group and type are separated: 1/23 is not 12/3.
    let a = r#"{"EventGroupId":1,"EventType":23,"CallbackTs":1,"EventInfo":{}}"#;
    let b = r#"{"EventGroupId":12,"EventType":3,"CallbackTs":1,"EventInfo":{}}"#;
    assert_ne!(key_of(a), key_of(b));
}

#[test]
fn signature_errors() {
    let body = PUBLISHED_BODY.as_bytes();
    assert_eq!(
        verifier().verify(None, None, body).unwrap_err(),
        CallbackError::MissingSign
    );
    assert_eq!(
        verifier()
            .verify(Some("not base64!"), None, body)
            .unwrap_err(),
        CallbackError::MalformedSign { decoded_len: None }
    );
    assert_eq!(
        verifier().verify(Some("YWJj"), None, body).unwrap_err(),
        CallbackError::MalformedSign {
            decoded_len: Some(3)
        }
    );
    // Well-formed, wrong: another key, an altered body, a hex signature.
    let other = sign(&SecretKey::from("654321"), body);
    assert_eq!(
        verifier().verify(Some(&other), None, body).unwrap_err(),
        CallbackError::BadSignature
    );
    let mut altered = body.to_vec();
    altered[20] ^= 1;
    assert_eq!(
        verifier()
            .verify(Some(PUBLISHED_SIGN), None, &altered)
            .unwrap_err(),
        CallbackError::BadSignature
    );
    // The signature covers the raw bytes: re-serialized JSON does not verify.
    let reserialized = serde_json::from_str::<Value>(PUBLISHED_BODY)
        .unwrap()
        .to_string();
    assert_eq!(
        verifier()
            .verify(Some(PUBLISHED_SIGN), None, reserialized.as_bytes())
            .unwrap_err(),
        CallbackError::BadSignature
    );
    // Surrounding spaces of a header value are not part of it; unpadded is accepted.
    assert!(verifier()
        .verify(Some(&format!(" {PUBLISHED_SIGN}\t")), None, body)
        .is_ok());
    assert!(verifier()
        .verify(Some(PUBLISHED_SIGN.trim_end_matches('=')), None, body)
        .is_ok());
    // A bad signature is reported before a wrong SdkAppId or a bad body.
    assert_eq!(
        verifier()
            .expect_sdk_app_id(1)
            .verify(Some(&other), Some("x"), b"not json")
            .unwrap_err(),
        CallbackError::BadSignature
    );
}

#[test]
fn sdk_app_id_errors() {
    let body = PUBLISHED_BODY.as_bytes();
    let v = verifier().expect_sdk_app_id(1_400_000_001);
    assert_eq!(
        v.verify(Some(PUBLISHED_SIGN), None, body).unwrap_err(),
        CallbackError::MissingSdkAppId
    );
    assert_eq!(
        v.verify(Some(PUBLISHED_SIGN), Some("14000x"), body)
            .unwrap_err(),
        CallbackError::InvalidSdkAppId
    );
    assert_eq!(
        v.verify(Some(PUBLISHED_SIGN), Some("1400000002"), body)
            .unwrap_err(),
        CallbackError::WrongSdkAppId {
            expected: 1_400_000_001,
            found: 1_400_000_002
        }
    );
    // Present but not a number is an error even when none is expected.
    assert_eq!(
        verifier()
            .verify(Some(PUBLISHED_SIGN), Some(""), body)
            .unwrap_err(),
        CallbackError::InvalidSdkAppId
    );
}

fn verify_signed(body: &str) -> Result<Callback, CallbackError> {
    verifier().verify(Some(&signed(body)), None, body.as_bytes())
}

#[test]
fn body_errors_name_the_member() {
    let e = verify_signed("{\"EventGroupId\":").unwrap_err();
    assert!(matches!(e, CallbackError::NotJson { .. }), "{e}");
    assert!(e.to_string().contains("line 1"), "{e}");
    let e = verify_signed("[1]").unwrap_err();
    assert!(e.to_string().contains("not an object"), "{e}");
    let e = verify_signed(
        r#"{"EventGroupId":1,"EventGroupId":2,"EventType":1,"CallbackTs":1,"EventInfo":{}}"#,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("\"EventGroupId\" appears more than once"),
        "{e}"
    );
    let e = verifier()
        .verify(
            Some(&sign(&SecretKey::from(PUBLISHED_KEY), b"{\"a\":\"\xff\"}")),
            None,
            b"{\"a\":\"\xff\"}",
        )
        .unwrap_err();
    assert!(matches!(e, CallbackError::NotJson { .. }), "{e}");

    let full = serde_json::json!({"EventGroupId": 1, "EventType": 103, "CallbackTs": 5, "EventInfo": {"RoomId": 1}});
    for member in ["EventGroupId", "EventType", "CallbackTs", "EventInfo"] {
        let mut v = full.clone();
        v.as_object_mut().unwrap().remove(member);
        let e = verify_signed(&v.to_string()).unwrap_err();
        assert!(
            matches!(e, CallbackError::MissingMember { member: m } if m == member),
            "{e:?}"
        );
        assert!(e.to_string().contains(member));
        assert_eq!(e.status(), 400);
    }
    for (member, bad) in [
        ("EventGroupId", serde_json::json!("1")),
        ("EventType", serde_json::json!(-103)),
        ("CallbackTs", serde_json::json!(1.5)),
        ("EventInfo", serde_json::json!([1])),
        ("EventInfo", serde_json::json!(null)),
    ] {
        let mut v = full.clone();
        v[member] = bad;
        let e = verify_signed(&v.to_string()).unwrap_err();
        assert!(
            matches!(e, CallbackError::InvalidMember { member: m, .. } if m == member),
            "{e:?}"
        );
        assert!(e.to_string().contains(member));
    }
}

#[test]
fn callback_ms_ts_spelling_is_accepted_when_callback_ts_is_absent() {
    let cb = verify_signed(r#"{"EventGroupId":7,"EventType":701,"CallbackMsTs":1701937900012,"EventInfo":{"TaskId":"t"}}"#)
        .unwrap();
    assert_eq!(cb.callback_ts(), 1_701_937_900_012);
    let e =
        verify_signed(r#"{"EventGroupId":7,"EventType":701,"CallbackMsTs":"x","EventInfo":{}}"#)
            .unwrap_err();
    assert_eq!(
        e,
        CallbackError::InvalidMember {
            member: "CallbackMsTs",
            expected: "a non-negative integer"
        }
    );
}

#[test]
fn replies() {
    assert_eq!(
        ack(),
        Reply {
            status: 200,
            body: "{\"code\":0}".into()
        }
    );
    let r = CallbackError::BadSignature.reply();
    assert_eq!(r.status, 401);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["code"], 401);
    assert!(v["error"].as_str().unwrap().contains("wrong signature"));
    assert_eq!(CallbackError::MissingSign.status(), 401);
    assert_eq!(
        CallbackError::MalformedSign { decoded_len: None }.status(),
        401
    );
    assert_eq!(
        CallbackError::WrongSdkAppId {
            expected: 1,
            found: 2
        }
        .status(),
        403
    );
    assert_eq!(CallbackError::InvalidSdkAppId.status(), 400);
}

#[test]
fn the_key_never_shows() {
    let secret = "cb-key-do-not-print";
    let v = CallbackVerifier::new(secret).expect_sdk_app_id(5);
    let debug = format!("{v:?}");
    assert!(!debug.contains(secret), "{debug}");
    let body = b"{}";
    let real = sign(&SecretKey::from(secret), body);
    let errors = [
        v.verify(Some("x"), None, body).unwrap_err(),
        v.verify(Some(&signed("{}")), Some("5"), body).unwrap_err(),
        v.verify(Some(&real), Some("6"), body).unwrap_err(),
        v.verify(Some(&real), Some("5"), body).unwrap_err(),
    ];
    for e in errors {
        for text in [e.to_string(), format!("{e:?}"), e.reply().body] {
            assert!(!text.contains(secret), "{text}");
            assert!(!text.contains(&real), "{text}");
        }
    }
}

proptest! {
    #[test]
    fn hostile_input_never_panics(
        body in proptest::collection::vec(any::<u8>(), 0..512),
        sign_header in proptest::option::of(".{0,64}"),
        app in proptest::option::of(".{0,24}"),
    ) {
        let v = verifier().expect_sdk_app_id(7);
        let _ = v.verify(sign_header.as_deref(), app.as_deref(), &body);
        // Correctly signed hostile bodies reach the parser.
        let good = sign(&SecretKey::from(PUBLISHED_KEY), &body);
        let r = v.verify(Some(&good), Some("7"), &body);
        if let Err(e) = r {
            prop_assert!(e.status() == 400, "{e}");
        }
    }

    #[test]
    fn signed_json_like_bodies_never_panic(
        group in any::<i64>(), t in any::<u64>(), info in "[\\[\\]{}\":,a-z0-9 ]{0,80}"
    ) {
        let body = format!(r#"{{"EventGroupId":{group},"EventType":{t},"CallbackTs":1,"EventInfo":{info}}}"#);
        let r = verify_signed(&body);
        if let Ok(cb) = r {
            prop_assert_eq!(cb.event_type(), t);
            prop_assert!(group >= 0);
        }
    }
}
