//! The one redaction rule: what of a request or a response may be shown.
//!
//! Used by the client's wire logging (`tracing` TRACE, target
//! `tencentcloud_runtime::wire`), by record and replay (`test-util`), by the
//! audit-log example and by the command line's `--debug`. A value is masked
//! (replaced with [`REDACTED`]) when
//!
//! - its member is marked `sensitive` in the spec: the action's
//!   [`ActionMeta::sensitive`](crate::ActionMeta::sensitive) paths, such as
//!   `TranscriptionParam.UserSig` in a request body or `Response.UserSig` in a
//!   response body (a path runs through lists element by element); or
//! - its member's name says it holds a secret, whatever the spec says
//!   ([`is_secret_name`]: user signatures, keys, tokens, signatures,
//!   passwords, credentials), at any depth, also inside JSON carried in a
//!   string member (`LLMConfig`'s `APIKey`, `STTConfig.CustomParam`'s
//!   `SubscriptionKey`).
//!
//! Headers: `Authorization` keeps its credential scope and loses its
//! signature, `X-TC-Token` is masked ([`header`]).

use std::borrow::Cow;

use serde_json::Value;

use crate::meta::Text;

/// What a masked value is replaced with.
pub const REDACTED: &str = "** redacted **";

/// Whether a member name says it holds a secret: it contains (ignoring case)
/// `key`, `secret`, `token`, `password`, `sig`, `auth` or `credential`
/// (user signatures, private map keys, API keys, access and secret keys,
/// subscription keys, tokens, signatures). The same rule hides values in the
/// `Debug` of JSON carried in strings ([`crate::json_string::looks_secret`]).
/// It masks more than it must rather than less: these are logs.
pub fn is_secret_name(name: &str) -> bool {
    crate::json_string::looks_secret(name)
}

/// Masks, in place, the members of `value` that `sensitive` names (dotted
/// paths from the root of the body) and those whose name is a secret's.
pub fn redact_value(value: &mut Value, sensitive: &[Text]) {
    for path in sensitive {
        let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
        mask_path(value, &parts);
    }
    mask_names(value);
}

/// A body as text for a log or a recording: JSON with its secrets masked
/// ([`redact_value`]), or, when it is not JSON, a note of its length (a body
/// that does not parse cannot be checked for secrets).
pub fn redact_body(body: &[u8], sensitive: &[Text]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            redact_value(&mut v, sensitive);
            v.to_string()
        }
        Err(_) => format!("<{} bytes, not JSON: not shown>", body.len()),
    }
}

/// A header value as it may be shown: `Authorization` with its signature
/// masked, `X-TC-Token` (and any header whose name is a secret's) masked,
/// others as they are.
pub fn header<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    if name.eq_ignore_ascii_case("authorization") {
        return match value.find("Signature=") {
            Some(i) => Cow::Owned(format!("{}Signature={REDACTED}", &value[..i])),
            None => Cow::Borrowed(REDACTED),
        };
    }
    if name.eq_ignore_ascii_case("x-tc-token") || is_secret_name(name) {
        return Cow::Borrowed(REDACTED);
    }
    Cow::Borrowed(value)
}

fn mask_path(value: &mut Value, path: &[&str]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match value {
        Value::Array(items) => {
            for item in items {
                mask_path(item, path);
            }
        }
        Value::Object(members) => {
            if let Some(v) = members.get_mut(*first) {
                if rest.is_empty() {
                    if !v.is_null() {
                        *v = Value::String(REDACTED.to_owned());
                    }
                } else {
                    mask_path(v, rest);
                }
            }
        }
        _ => {}
    }
}

fn mask_names(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(mask_names),
        Value::Object(members) => {
            for (k, v) in members.iter_mut() {
                if is_secret_name(k) && !v.is_null() {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    mask_names(v);
                }
            }
        }
        // JSON carried in a string member (LLMConfig, TTSConfig, ...).
        Value::String(s) if s.trim_start().starts_with('{') => {
            if let Ok(mut inner @ Value::Object(_)) = serde_json::from_str::<Value>(s) {
                let before = inner.clone();
                mask_names(&mut inner);
                if inner != before {
                    *s = inner.to_string();
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_names_and_json_strings_are_masked() {
        let mut v = json!({
            "SdkAppId": 1400000001,
            "RoomId": "295000",
            "TranscriptionParam": {"UserId": "bot", "UserSig": "eJw-secret", "Note": "kept"},
            "McuUsers": [{"UserId": "a", "Pass": "p1"}, {"UserId": "b", "Pass": "p2"}],
            "LLMConfig": "{\"LLMType\":\"openai\",\"APIKey\":\"sk-live\",\"Model\":\"gpt\"}",
            "STTConfig": {"CustomParam": "{\"STTType\":\"azure\",\"SubscriptionKey\":\"sub-1\"}"},
            "Nested": {"AccessToken": "t", "Count": 3},
            "Unset": null
        });
        let paths: Vec<Text> = vec!["McuUsers.Pass".into(), "RoomId".into(), "Unset".into()];
        redact_value(&mut v, &paths);
        let s = v.to_string();
        for secret in [
            "eJw-secret",
            "p1",
            "p2",
            "sk-live",
            "sub-1",
            "\"t\"",
            "295000",
        ] {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
        assert_eq!(v["TranscriptionParam"]["Note"], "kept");
        assert_eq!(v["TranscriptionParam"]["UserSig"], REDACTED);
        assert_eq!(v["McuUsers"][1]["UserId"], "b");
        assert_eq!(v["Nested"]["Count"], 3);
        assert!(v["Unset"].is_null(), "null stays null");
        let llm: Value = serde_json::from_str(v["LLMConfig"].as_str().unwrap()).unwrap();
        assert_eq!(llm["Model"], "gpt");
        assert_eq!(llm["APIKey"], REDACTED);
    }

    #[test]
    fn response_paths_start_at_response() {
        let body = br#"{"Response":{"UserSig":"abc","Other":"x","RequestId":"r"}}"#;
        let out = redact_body(body, &["Response.Other".into()]);
        assert!(!out.contains("abc") && !out.contains("\"x\""), "{out}");
        assert!(out.contains("\"RequestId\":\"r\""));
        assert_eq!(
            redact_body(b"<html>", &[]),
            "<6 bytes, not JSON: not shown>"
        );
    }

    #[test]
    fn headers_keep_the_scope_not_the_signature() {
        let auth = "TC3-HMAC-SHA256 Credential=AKID/2024-01-01/trtc/tc3_request, SignedHeaders=content-type;host, Signature=abcdef";
        let shown = header("Authorization", auth);
        assert!(shown.contains("Credential=AKID/2024-01-01/trtc/tc3_request"));
        assert!(!shown.contains("abcdef"));
        assert_eq!(header("X-TC-Token", "tok"), REDACTED);
        assert_eq!(header("x-tc-action", "DescribeX"), "DescribeX");
    }
}
