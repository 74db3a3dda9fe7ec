use super::*;
use proptest::prelude::*;

const APP: u64 = 1_400_000_001;
const KEY: &str = "unit-test-key-5f0c1e";
const T0: u64 = 1_700_000_000;

fn api() -> TlsSigApi {
    TlsSigApi::new(APP, KEY)
}

/// Encodes an arbitrary document the way tickets are encoded.
fn ticket_of(json: &str) -> String {
    encode_ticket(json.as_bytes())
}

/// A document signed with KEY, with the members given (in JSON) spliced in.
fn signed_json(user: &str, time: u64, expire: u64, userbuf_b64: Option<&str>) -> String {
    let mut mac = api().mac();
    feed_signed_text(&mut mac, user, APP, time, expire, userbuf_b64);
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    let userbuf = userbuf_b64
        .map(|b| format!(r#""TLS.userbuf":"{b}","#))
        .unwrap_or_default();
    format!(
        r#"{{"TLS.ver":"2.0","TLS.identifier":"{user}","TLS.sdkappid":{APP},"TLS.time":{time},"TLS.expire":{expire},{userbuf}"TLS.sig":"{sig}"}}"#
    )
}

#[test]
fn round_trip_without_and_with_userbuf() {
    let sig = api().user_sig("alice", 86_400).issued_at(T0).sign();
    let info = api()
        .verify_user_sig_at(&sig, Some("alice"), T0 + 10)
        .unwrap();
    assert_eq!(
        info,
        UserSigInfo {
            user_id: "alice".into(),
            sdk_app_id: APP,
            issued_at: T0,
            expire_secs: 86_400,
            userbuf: None
        }
    );
    assert_eq!(info.expires_at(), T0 + 86_400);

    let sig = api()
        .user_sig("bob", 60)
        .userbuf(b"\x00\xffabc")
        .issued_at(T0)
        .sign();
    let info = api().verify_user_sig_at(&sig, None, T0).unwrap();
    assert_eq!(info.user_id, "bob");
    assert_eq!(info.userbuf.as_deref(), Some(&b"\x00\xffabc"[..]));
}

#[test]
fn the_document_is_the_node_librarys_compact_json() {
    let sig = api().user_sig("alice", 86_400).issued_at(T0).sign();
    let json = String::from_utf8(decode_ticket(&sig).unwrap()).unwrap();
    let expected_sig = {
        let mut mac = api().mac();
        mac.update(
            format!("TLS.identifier:alice\nTLS.sdkappid:{APP}\nTLS.time:{T0}\nTLS.expire:86400\n")
                .as_bytes(),
        );
        STANDARD.encode(mac.finalize().into_bytes())
    };
    assert_eq!(
        json,
        format!(
            r#"{{"TLS.ver":"2.0","TLS.identifier":"alice","TLS.sdkappid":{APP},"TLS.time":{T0},"TLS.expire":86400,"TLS.sig":"{expected_sig}"}}"#
        )
    );
    // Only the ticket alphabet, and zlib's default-level header (0x78 0x9c = "eJ").
    assert!(sig.starts_with("eJ"), "{sig}");
    assert!(sig
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"*-_".contains(&b)));
}

#[test]
fn the_signed_text_includes_the_userbuf_line_only_when_present() {
    let with = signed_json("alice", T0, 100, Some("YWJj"));
    assert!(api()
        .verify_user_sig_at(&ticket_of(&with), None, T0)
        .is_ok());
    // The same document with the userbuf dropped no longer verifies.
    let without = with.replace(r#""TLS.userbuf":"YWJj","#, "");
    assert_eq!(
        api().verify_user_sig_at(&ticket_of(&without), None, T0),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn member_order_spacing_and_escapes_do_not_matter() {
    // The Python library's layout: ", " / ": " separators, expire before time,
    // non-ASCII escaped as \uXXXX.
    let user = "ü名";
    let mut mac = api().mac();
    feed_signed_text(&mut mac, user, APP, T0, 5, None);
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    let json = format!(
        r#"{{"TLS.ver": "2.0", "TLS.identifier": "\u00fc\u540d", "TLS.sdkappid": {APP}, "TLS.expire": 5, "TLS.time": {T0}, "TLS.sig": "{sig}", "TLS.extra": [1]}}"#
    );
    let info = api()
        .verify_user_sig_at(&ticket_of(&json), Some(user), T0)
        .unwrap();
    assert_eq!(info.user_id, user);
}

/// The shape the official Go library writes: `json.Encoder` output (expire
/// before time, a trailing newline), zlib at level 0 (stored blocks).
#[test]
fn go_library_shaped_tickets_verify() {
    let mut mac = api().mac();
    feed_signed_text(&mut mac, "alice", APP, T0, 100, Some("AP9h"));
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    let json = format!(
        "{{\"TLS.ver\":\"2.0\",\"TLS.identifier\":\"alice\",\"TLS.sdkappid\":{APP},\"TLS.expire\":100,\"TLS.time\":{T0},\"TLS.userbuf\":\"AP9h\",\"TLS.sig\":\"{sig}\"}}\n"
    );
    let stored = {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::none());
        z.write_all(json.as_bytes()).unwrap();
        z.finish().unwrap()
    };
    let ticket = STANDARD
        .encode(stored)
        .replace('+', "*")
        .replace('/', "-")
        .replace('=', "_");
    let info = api()
        .verify_user_sig_at(&ticket, Some("alice"), T0)
        .unwrap();
    assert_eq!(info.userbuf.as_deref(), Some(&[0u8, 0xff, 0x61][..]));
}

#[test]
fn expiry_is_inclusive() {
    let sig = api().user_sig("alice", 100).issued_at(T0).sign();
    assert!(api().verify_user_sig_at(&sig, None, T0 + 100).is_ok());
    assert_eq!(
        api().verify_user_sig_at(&sig, None, T0 + 101),
        Err(VerifyError::Expired {
            expires_at: T0 + 100,
            now: T0 + 101
        })
    );
}

#[test]
fn wrong_sdk_app_id_user_id_and_key() {
    let sig = api().user_sig("alice", 100).issued_at(T0).sign();
    assert_eq!(
        TlsSigApi::new(APP + 1, KEY).verify_user_sig_at(&sig, None, T0),
        Err(VerifyError::WrongSdkAppId {
            expected: APP + 1,
            found: APP
        })
    );
    assert_eq!(
        api().verify_user_sig_at(&sig, Some("mallory"), T0),
        Err(VerifyError::WrongUserId {
            expected: "mallory".into(),
            found: "alice".into()
        })
    );
    let other_key = TlsSigApi::new(APP, "another-key");
    assert_eq!(
        other_key.verify_user_sig_at(&sig, Some("alice"), T0),
        Err(VerifyError::BadSignature)
    );
    // A wrong key is reported as a bad signature even when the ticket is also
    // expired or for another user: nothing else is said about a forged ticket.
    assert_eq!(
        other_key.verify_user_sig_at(&sig, Some("mallory"), T0 + 10_000),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn altered_members_break_the_signature() {
    let good = signed_json("alice", T0, 100, None);
    for (from, to) in [
        ("\"alice\"", "\"alicf\""),
        (&format!(":{T0},") as &str, &format!(":{},", T0 + 1) as &str),
        (":100,", ":1000,"),
    ] {
        let bad = good.replacen(from, to, 1);
        assert_ne!(bad, good);
        assert_eq!(
            api().verify_user_sig_at(&ticket_of(&bad), None, T0),
            Err(VerifyError::BadSignature),
            "{bad}"
        );
    }
}

#[test]
fn malformed_encoding() {
    let e = api().verify_user_sig("", None).unwrap_err();
    assert!(matches!(e, VerifyError::MalformedEncoding { .. }), "{e}");
    assert!(e.to_string().contains("empty"));

    let sig = api().user_sig("alice", 100).sign();
    let e = api()
        .verify_user_sig(&format!("{sig}\n"), None)
        .unwrap_err();
    assert!(matches!(e, VerifyError::MalformedEncoding { .. }), "{e}");
    assert!(
        e.to_string()
            .contains(&format!("0x0a at offset {}", sig.len())),
        "{e}"
    );
    let e = api()
        .verify_user_sig(&"A".repeat(MAX_ENCODED_LEN + 1), None)
        .unwrap_err();
    assert!(matches!(e, VerifyError::MalformedEncoding { .. }), "{e}");
}

#[test]
fn not_base64() {
    // Five symbols: no whole byte in the last group.
    let e = api().verify_user_sig("eJyrV", None).unwrap_err();
    assert!(matches!(e, VerifyError::NotBase64 { .. }), "{e}");
    // Padding in the middle.
    let e = api().verify_user_sig("eJ__eJyr", None).unwrap_err();
    assert!(matches!(e, VerifyError::NotBase64 { .. }), "{e}");
}

#[test]
fn not_zlib() {
    let b64 = |bytes: &[u8]| {
        STANDARD
            .encode(bytes)
            .replace('+', "*")
            .replace('/', "-")
            .replace('=', "_")
    };
    let e = api()
        .verify_user_sig(&b64(b"plain text"), None)
        .unwrap_err();
    assert!(matches!(e, VerifyError::NotZlib { .. }), "{e}");

    let good = decode_base64_for_test(&api().user_sig("alice", 100).sign());
    // Truncated stream.
    let e = api()
        .verify_user_sig(&b64(&good[..good.len() - 6]), None)
        .unwrap_err();
    assert_eq!(
        e,
        VerifyError::NotZlib {
            reason: "the stream is truncated".into()
        }
    );
    // Trailing bytes after the stream.
    let mut long = good.clone();
    long.extend_from_slice(b"xyz");
    let e = api().verify_user_sig(&b64(&long), None).unwrap_err();
    assert!(e.to_string().contains("3 bytes follow"), "{e}");
    // A bomb: 2 MiB of zeros compresses to a few KiB and is refused.
    let bomb = {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b' '; 2 << 20]).unwrap();
        z.finish().unwrap()
    };
    assert_eq!(
        api().verify_user_sig(&b64(&bomb), None),
        Err(VerifyError::TooLarge {
            limit: MAX_DOCUMENT_LEN
        })
    );
}

fn decode_base64_for_test(ticket: &str) -> Vec<u8> {
    let std = ticket.replace('*', "+").replace('-', "/").replace('_', "=");
    STANDARD.decode(std).unwrap()
}

#[test]
fn not_json() {
    for (doc, needle) in [
        ("{\"TLS.ver\":", "EOF"),
        ("[1,2]", "not an object"),
        ("\"text\"", "not an object"),
        ("{\"a\":1,\"a\":2}", "\"a\" appears more than once"),
    ] {
        let e = api().verify_user_sig(&ticket_of(doc), None).unwrap_err();
        assert!(matches!(e, VerifyError::NotJson { .. }), "{doc}: {e}");
        assert!(e.to_string().contains(needle), "{doc}: {e}");
    }
    // Bytes that are not UTF-8.
    let e = api()
        .verify_user_sig(&encode_ticket(b"{\"TLS.ver\":\"\xff\"}"), None)
        .unwrap_err();
    assert!(matches!(e, VerifyError::NotJson { .. }), "{e}");
}

#[test]
fn every_missing_member_is_named() {
    let good = signed_json("alice", T0, 100, None);
    let value: Value = serde_json::from_str(&good).unwrap();
    for field in [
        "TLS.ver",
        "TLS.identifier",
        "TLS.sdkappid",
        "TLS.time",
        "TLS.expire",
        "TLS.sig",
    ] {
        let mut v = value.clone();
        v.as_object_mut().unwrap().remove(field);
        let e = api()
            .verify_user_sig_at(&ticket_of(&v.to_string()), None, T0)
            .unwrap_err();
        assert_eq!(
            e,
            VerifyError::MissingField {
                field: field_static(field)
            }
        );
        assert!(e.to_string().contains(field));
    }
}

fn field_static(f: &str) -> &'static str {
    [
        "TLS.ver",
        "TLS.identifier",
        "TLS.sdkappid",
        "TLS.time",
        "TLS.expire",
        "TLS.sig",
        "TLS.userbuf",
    ]
    .into_iter()
    .find(|s| *s == f)
    .unwrap()
}

#[test]
fn wrong_member_types_are_named() {
    let good = signed_json("alice", T0, 100, None);
    let value: Value = serde_json::from_str(&good).unwrap();
    for (field, bad) in [
        ("TLS.ver", serde_json::json!(2.0)),
        ("TLS.identifier", serde_json::json!(7)),
        // Numbers as strings: the official generators write numbers.
        ("TLS.sdkappid", serde_json::json!(APP.to_string())),
        ("TLS.time", serde_json::json!(-1)),
        ("TLS.expire", serde_json::json!(1.5)),
        ("TLS.sig", serde_json::json!(["x"])),
        ("TLS.sig", serde_json::json!("YWJj")),
        ("TLS.sig", serde_json::json!("!!")),
        ("TLS.userbuf", serde_json::json!(null)),
        ("TLS.userbuf", serde_json::json!("***")),
    ] {
        let mut v = value.clone();
        v[field] = bad.clone();
        let e = api()
            .verify_user_sig_at(&ticket_of(&v.to_string()), None, T0)
            .unwrap_err();
        assert!(
            matches!(e, VerifyError::InvalidField { field: f, .. } if f == field),
            "{field} = {bad}: {e:?}"
        );
        assert!(e.to_string().contains(field), "{e}");
    }
    let mut v = value;
    v["TLS.ver"] = serde_json::json!("1.0");
    assert_eq!(
        api().verify_user_sig_at(&ticket_of(&v.to_string()), None, T0),
        Err(VerifyError::UnsupportedVersion)
    );
}

#[test]
fn errors_never_contain_the_key_or_the_ticket() {
    let secret = "s3cr3t-k3y-value";
    let api = TlsSigApi::new(APP, secret);
    let sig = api.user_sig("alice", 1).issued_at(T0).sign();
    let sig_member = {
        let json = decode_ticket(&sig).unwrap();
        let v: Value = serde_json::from_slice(&json).unwrap();
        v["TLS.sig"].as_str().unwrap().to_owned()
    };
    let mut errors = vec![
        api.verify_user_sig_at(&sig, None, T0 + 5).unwrap_err(),
        TlsSigApi::new(APP, "other")
            .verify_user_sig_at(&sig, None, T0)
            .unwrap_err(),
        api.verify_user_sig_at(&sig[..sig.len() - 3], None, T0)
            .unwrap_err(),
        api.verify_private_map_key_at(&sig, None, T0).unwrap_err(),
    ];
    errors.push(
        TlsSigApi::new(APP + 1, secret)
            .verify_user_sig(&sig, None)
            .unwrap_err(),
    );
    for e in errors {
        for text in [e.to_string(), format!("{e:?}")] {
            assert!(!text.contains(secret), "{text}");
            assert!(!text.contains(&sig), "{text}");
            assert!(!text.contains(&sig_member), "{text}");
        }
    }
    let debug = format!("{api:?} {:?}", api.user_sig("alice", 1));
    assert!(!debug.contains(secret), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
}

#[test]
fn decode_unverified_reads_without_the_key() {
    let sig = api().user_sig("alice", 100).issued_at(T0).sign();
    let info = decode_unverified(&sig).unwrap();
    assert_eq!((info.sdk_app_id, info.user_id.as_str()), (APP, "alice"));
}

// ---- PrivateMapKey ----

#[test]
fn private_map_key_round_trip_numeric_and_string_rooms() {
    let privileges = Privileges::ENTER_ROOM | Privileges::RECV_AUDIO | Privileges::RECV_VIDEO;
    for room in [RoomId::Number(1234), RoomId::String("room-42".into())] {
        let ticket = api()
            .private_map_key("alice", 300, room.clone(), privileges)
            .issued_at(T0)
            .sign()
            .unwrap();
        let info = api()
            .verify_private_map_key_at(&ticket, Some("alice"), T0 + 1)
            .unwrap();
        assert_eq!(
            info.buf,
            PrivateMapKeyBuf::new("alice", APP as u32, room, (T0 + 300) as u32, privileges)
        );
        assert_eq!(info.buf.privileges.bits(), 42);
        assert_eq!(info.user_sig.expire_secs, 300);
        // It is also a valid UserSig.
        assert!(api().verify_user_sig_at(&ticket, None, T0).is_ok());
    }
}

#[test]
fn userbuf_layout_matches_the_official_libraries() {
    // Bytes produced by the official Node library (tls-sig-api-v2 1.0.2,
    // `_genUserbuf`) for user "alice", SdkAppId 1400000001, issued at
    // 1700000000 with validity 300, privileges 42 (numeric room 1234) and
    // 255 (string room "room-42").
    let numeric = PrivateMapKeyBuf::new(
        "alice",
        1_400_000_001,
        1234,
        1_700_000_300,
        Privileges::from_bits_retain(42),
    );
    assert_eq!(
        hex(&numeric.encode().unwrap()),
        "000005616c69636553724e01000004d26553f22c0000002a00000000"
    );
    let named = PrivateMapKeyBuf::new(
        "alice",
        1_400_000_001,
        "room-42",
        1_700_000_300,
        Privileges::ALL,
    );
    assert_eq!(
        hex(&named.encode().unwrap()),
        "010005616c69636553724e01000000006553f22c000000ff000000000007726f6f6d2d3432"
    );
    for buf in [numeric, named] {
        assert_eq!(
            PrivateMapKeyBuf::decode(&buf.encode().unwrap()).unwrap(),
            buf
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn userbuf_errors_name_field_and_offset() {
    let good = PrivateMapKeyBuf::new("alice", 1, "r", 2, Privileges::ALL)
        .encode()
        .unwrap();
    assert_eq!(
        PrivateMapKeyBuf::decode(&[]),
        Err(UserbufError::Truncated {
            field: "version",
            offset: 0
        })
    );
    assert_eq!(
        PrivateMapKeyBuf::decode(&good[..10]),
        Err(UserbufError::Truncated {
            field: "SdkAppId",
            offset: 8
        })
    );
    assert_eq!(
        PrivateMapKeyBuf::decode(&good[..good.len() - 1]),
        Err(UserbufError::Truncated {
            field: "room string",
            offset: 30
        })
    );
    let mut v = good.clone();
    v[0] = 2;
    assert_eq!(
        PrivateMapKeyBuf::decode(&v),
        Err(UserbufError::UnknownVersion { version: 2 })
    );
    let mut v = good.clone();
    v[3] = 0xff;
    assert_eq!(
        PrivateMapKeyBuf::decode(&v),
        Err(UserbufError::NotUtf8 {
            field: "UserId",
            offset: 3
        })
    );
    let mut v = good.clone();
    v[15] = 9;
    assert_eq!(
        PrivateMapKeyBuf::decode(&v),
        Err(UserbufError::RoomNumberInStringRoom { number: 9 })
    );
    let mut v = good.clone();
    v.push(0);
    assert_eq!(
        PrivateMapKeyBuf::decode(&v),
        Err(UserbufError::TrailingBytes { count: 1 })
    );
    for e in [
        UserbufError::Truncated {
            field: "SdkAppId",
            offset: 8,
        },
        UserbufError::NotUtf8 {
            field: "UserId",
            offset: 3,
        },
    ] {
        let text = e.to_string();
        assert!(
            text.contains("offset")
                && text.contains(match e {
                    UserbufError::Truncated { field, .. } | UserbufError::NotUtf8 { field, .. } =>
                        field,
                    _ => unreachable!(),
                }),
            "{text}"
        );
    }
}

#[test]
fn private_map_key_verification_errors() {
    // A UserSig without userbuf is not a PrivateMapKey.
    let plain = api().user_sig("alice", 100).issued_at(T0).sign();
    assert_eq!(
        api().verify_private_map_key_at(&plain, None, T0),
        Err(VerifyError::MissingUserbuf)
    );
    // A userbuf that is not a PrivateMapKeyBuf.
    let junk = api()
        .user_sig("alice", 100)
        .userbuf(b"\x00ab")
        .issued_at(T0)
        .sign();
    assert!(matches!(
        api().verify_private_map_key_at(&junk, None, T0),
        Err(VerifyError::InvalidUserbuf(UserbufError::Truncated { .. }))
    ));
    // A userbuf for another user or application, correctly signed.
    let other_user =
        PrivateMapKeyBuf::new("bob", APP as u32, 1, (T0 + 100) as u32, Privileges::ALL)
            .encode()
            .unwrap();
    let t = api()
        .user_sig("alice", 100)
        .userbuf(&other_user)
        .issued_at(T0)
        .sign();
    assert_eq!(
        api().verify_private_map_key_at(&t, None, T0),
        Err(VerifyError::UserbufMismatch { field: "UserId" })
    );
    let other_app = PrivateMapKeyBuf::new("alice", 7, 1, (T0 + 100) as u32, Privileges::ALL)
        .encode()
        .unwrap();
    let t = api()
        .user_sig("alice", 100)
        .userbuf(&other_app)
        .issued_at(T0)
        .sign();
    assert_eq!(
        api().verify_private_map_key_at(&t, None, T0),
        Err(VerifyError::UserbufMismatch { field: "SdkAppId" })
    );
    // The userbuf's own expiry counts even when the ticket's has not passed.
    let early = PrivateMapKeyBuf::new("alice", APP as u32, 1, (T0 + 10) as u32, Privileges::ALL)
        .encode()
        .unwrap();
    let t = api()
        .user_sig("alice", 100)
        .userbuf(&early)
        .issued_at(T0)
        .sign();
    assert_eq!(
        api().verify_private_map_key_at(&t, None, T0 + 11),
        Err(VerifyError::Expired {
            expires_at: T0 + 10,
            now: T0 + 11
        })
    );
    let e = api()
        .verify_private_map_key_at(&junk, None, T0)
        .unwrap_err();
    assert!(std::error::Error::source(&e).is_some());
}

#[test]
fn private_map_key_build_errors() {
    let big = TlsSigApi::new(u64::from(u32::MAX) + 1, KEY);
    assert_eq!(
        big.private_map_key("a", 1, 1, Privileges::ALL)
            .issued_at(T0)
            .sign(),
        Err(BuildError::SdkAppIdTooLarge {
            sdk_app_id: u64::from(u32::MAX) + 1
        })
    );
    assert_eq!(
        api()
            .private_map_key("a", 10, 1, Privileges::ALL)
            .issued_at(u64::from(u32::MAX) - 5)
            .sign(),
        Err(BuildError::ExpiryOutOfRange {
            expires_at: u64::from(u32::MAX) + 5
        })
    );
    let long = "x".repeat(70_000);
    assert_eq!(
        api()
            .private_map_key(&long, 1, 1, Privileges::ALL)
            .issued_at(T0)
            .sign(),
        Err(BuildError::UserIdTooLong { len: 70_000 })
    );
    assert_eq!(
        api()
            .private_map_key("a", 1, long.as_str(), Privileges::ALL)
            .issued_at(T0)
            .sign(),
        Err(BuildError::RoomIdTooLong { len: 70_000 })
    );
    assert_eq!(
        api()
            .private_map_key("a", 1, "", Privileges::ALL)
            .issued_at(T0)
            .sign(),
        Err(BuildError::EmptyRoomId)
    );
}

#[test]
fn privileges_bits_and_debug() {
    assert_eq!(Privileges::ALL.bits(), 255);
    let all = [
        Privileges::CREATE_ROOM,
        Privileges::ENTER_ROOM,
        Privileges::SEND_AUDIO,
        Privileges::RECV_AUDIO,
        Privileges::SEND_VIDEO,
        Privileges::RECV_VIDEO,
        Privileges::SEND_SUB_STREAM,
        Privileges::RECV_SUB_STREAM,
    ];
    for (i, p) in all.iter().enumerate() {
        assert_eq!(p.bits(), 1 << i);
    }
    assert_eq!(
        all.into_iter().fold(Privileges::NONE, |a, b| a | b),
        Privileges::ALL
    );
    let p = Privileges::from_bits_retain(42);
    assert!(p.contains(Privileges::ENTER_ROOM | Privileges::RECV_AUDIO));
    assert!(!p.contains(Privileges::SEND_AUDIO));
    assert_eq!(
        format!("{p:?}"),
        "Privileges(ENTER_ROOM | RECV_AUDIO | RECV_VIDEO)"
    );
    assert_eq!(
        format!("{:?}", Privileges::from_bits_retain(0x101)),
        "Privileges(CREATE_ROOM | 0x100)"
    );
    assert_eq!(format!("{:?}", Privileges::NONE), "Privileges(0x0)");
    assert!(Privileges::NONE.is_empty());
    assert_eq!((p & !Privileges::ENTER_ROOM).bits(), 40);
    let mut q = Privileges::NONE;
    q |= Privileges::SEND_VIDEO;
    assert_eq!(q.bits(), 16);
}

proptest! {
    #[test]
    fn hostile_tickets_never_panic(s in ".{0,300}") {
        let _ = api().verify_user_sig_at(&s, Some("x"), T0);
        let _ = api().verify_private_map_key_at(&s, None, T0);
    }

    #[test]
    fn hostile_compressed_documents_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = api().verify_private_map_key_at(&encode_ticket(&bytes), None, T0);
        let _ = PrivateMapKeyBuf::decode(&bytes);
    }

    #[test]
    fn any_user_and_userbuf_round_trip(user in ".{0,40}", buf in proptest::collection::vec(any::<u8>(), 0..64), t in 0u64..u32::MAX as u64, e in 0u64..1_000_000) {
        let sig = api().user_sig(&user, e).userbuf(&buf).issued_at(t).sign();
        let info = api().verify_user_sig_at(&sig, Some(&user), t).unwrap();
        prop_assert_eq!(info.userbuf, Some(buf));
    }
}
