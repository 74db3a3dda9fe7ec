//! TRTC event callbacks (webhooks): verify what TRTC posts to your server.
//!
//! TRTC sends each event as an HTTP `POST` with a JSON body and the headers
//! `Content-Type: application/json`, `Sign` and `SdkAppId`, where
//! `Sign = base64(HMAC-SHA256(callback key, raw body bytes))` (standard
//! base64, padded). The body is an envelope:
//!
//! | member | type | meaning |
//! |---|---|---|
//! | `EventGroupId` | number | event group (1 room, 2 media, 3 recording, ...) |
//! | `EventType` | number | event type within the group (e.g. 103 enter room) |
//! | `CallbackTs` | number | when TRTC sent this callback, Unix milliseconds |
//! | `EventInfo` | object | the event |
//!
//! TRTC expects HTTP 200 within 5 seconds (body `{"code":0}` recommended:
//! [`ack`]). After a failure it retries at once, then every 10 seconds for a
//! minute, so the same event can arrive several times, with a different
//! `CallbackTs`: deduplicate with [`Callback::idempotency_key`].
//!
//! [`CallbackVerifier::verify`] checks the signature over the raw bytes first
//! (constant-time), then the `SdkAppId` header, then parses the envelope; each
//! failure is a [`CallbackError`] naming what is wrong.
//!
//! ```
//! use tencentcloud_trtc_server::callback::{self, CallbackVerifier};
//! use tencentcloud_trtc_server::SecretKey;
//!
//! let key = SecretKey::from("123654");
//! let body = br#"{"EventGroupId":1,"EventType":103,"CallbackTs":1700000000123,"EventInfo":{"RoomId":1234,"UserId":"alice"}}"#;
//! let sign = callback::sign(&key, body); // what TRTC puts in the `Sign` header
//!
//! let verifier = CallbackVerifier::new(key).expect_sdk_app_id(1_400_000_001);
//! let event = verifier.verify(Some(&sign), Some("1400000001"), body)?;
//! assert_eq!((event.event_group_id(), event.event_type()), (1, 103));
//! assert_eq!(event.event_info()["UserId"], "alice");
//! # Ok::<(), tencentcloud_trtc_server::callback::CallbackError>(())
//! ```

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Write};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::de::{MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::SecretKey;

/// The header carrying the signature.
pub const SIGN_HEADER: &str = "Sign";
/// The header carrying the SdkAppId.
pub const SDK_APP_ID_HEADER: &str = "SdkAppId";
/// The answer body TRTC recommends for an accepted callback.
pub const ACK_BODY: &str = r#"{"code":0}"#;
/// The content type of [`Reply`] bodies.
pub const REPLY_CONTENT_TYPE: &str = "application/json";

const STANDARD_ANY_PAD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &SecretKey) -> HmacSha256 {
    HmacSha256::new_from_slice(key.expose_secret().as_bytes())
        .expect("HMAC-SHA256 takes keys of any length")
}

/// The `Sign` header TRTC sends with `body`: standard base64 (padded) of
/// HMAC-SHA256(key, body). For delivering signed callbacks (a test endpoint,
/// a relay) and for tests.
pub fn sign(key: &SecretKey, body: &[u8]) -> String {
    let mut m = mac(key);
    m.update(body);
    STANDARD.encode(m.finalize().into_bytes())
}

/// The HTTP answer for TRTC: status, and a JSON body (content type
/// [`REPLY_CONTENT_TYPE`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
}

/// The answer for an accepted callback: `200 {"code":0}`.
pub fn ack() -> Reply {
    Reply {
        status: 200,
        body: ACK_BODY.to_owned(),
    }
}

/// Verifies callbacks with the application's callback key.
#[derive(Clone, Debug)]
pub struct CallbackVerifier {
    key: SecretKey,
    sdk_app_id: Option<u64>,
}

impl CallbackVerifier {
    /// A verifier with the callback key configured in the TRTC console.
    pub fn new(key: impl Into<SecretKey>) -> Self {
        CallbackVerifier {
            key: key.into(),
            sdk_app_id: None,
        }
    }

    /// Also requires the `SdkAppId` header to be present and equal to `sdk_app_id`.
    /// (The header is not covered by the signature; the key is what
    /// authenticates, this only catches misrouted callbacks.)
    pub fn expect_sdk_app_id(mut self, sdk_app_id: u64) -> Self {
        self.sdk_app_id = Some(sdk_app_id);
        self
    }

    /// Verifies one callback: the `Sign` header value, the `SdkAppId` header
    /// value (each `None` when absent) and the raw body, byte for byte as
    /// received.
    ///
    /// Order: signature (constant-time, before anything reads the body), then
    /// `SdkAppId` (required only with [`CallbackVerifier::expect_sdk_app_id`];
    /// when present it must be a number), then the envelope.
    pub fn verify(
        &self,
        sign_header: Option<&str>,
        sdk_app_id_header: Option<&str>,
        body: &[u8],
    ) -> Result<Callback, CallbackError> {
        let sign = sign_header.ok_or(CallbackError::MissingSign)?;
        let sign = sign.trim_matches([' ', '\t']);
        let claimed = STANDARD_ANY_PAD
            .decode(sign)
            .map_err(|_| CallbackError::MalformedSign { decoded_len: None })?;
        if claimed.len() != 32 {
            return Err(CallbackError::MalformedSign {
                decoded_len: Some(claimed.len()),
            });
        }
        let mut m = mac(&self.key);
        m.update(body);
        m.verify_slice(&claimed)
            .map_err(|_| CallbackError::BadSignature)?;

        let sdk_app_id = match sdk_app_id_header {
            None if self.sdk_app_id.is_some() => return Err(CallbackError::MissingSdkAppId),
            None => None,
            Some(text) => {
                let found: u64 = text
                    .trim_matches([' ', '\t'])
                    .parse()
                    .map_err(|_| CallbackError::InvalidSdkAppId)?;
                match self.sdk_app_id {
                    Some(expected) if expected != found => {
                        return Err(CallbackError::WrongSdkAppId { expected, found })
                    }
                    _ => Some(found),
                }
            }
        };
        Callback::parse(body, sdk_app_id)
    }
}

/// A verified callback: the envelope, with `EventInfo` kept as received.
#[derive(Clone, Debug)]
pub struct Callback {
    event_group_id: u64,
    event_type: u64,
    callback_ts: u64,
    sdk_app_id: Option<u64>,
    event_info: Value,
    event_info_raw: Box<RawValue>,
    idempotency_key: String,
}

impl Callback {
    /// `EventGroupId`: 1 room, 2 media, 3 cloud recording, 4 relay to CDN, ...
    pub fn event_group_id(&self) -> u64 {
        self.event_group_id
    }

    /// `EventType`, e.g. 103 (enter room) or 204 (stop pushing audio).
    pub fn event_type(&self) -> u64 {
        self.event_type
    }

    /// `CallbackTs`: when TRTC sent this delivery, Unix milliseconds (a retry
    /// of the same event has a later one).
    pub fn callback_ts(&self) -> u64 {
        self.callback_ts
    }

    /// The `SdkAppId` header, when it was present (not covered by the signature).
    pub fn sdk_app_id(&self) -> Option<u64> {
        self.sdk_app_id
    }

    /// `EventInfo`, parsed.
    pub fn event_info(&self) -> &Value {
        &self.event_info
    }

    /// `EventInfo` exactly as it appeared in the body: for decoding into your
    /// own types with `serde_json::from_str(callback.event_info_raw().get())`.
    pub fn event_info_raw(&self) -> &RawValue {
        &self.event_info_raw
    }

    /// A key that is the same for every delivery of one event (TRTC's
    /// retries) and differs between events: hex SHA-256 of
    /// `"{EventGroupId}:{EventType}:"` followed by `EventInfo` in canonical
    /// JSON (members sorted by name at every level, no whitespace, strings
    /// with serde_json's escaping, numbers as serde_json prints them: `1.0`
    /// and `1` differ). `CallbackTs` is left out, as retries may carry
    /// another. A receiver serving several applications should scope keys by
    /// SdkAppId.
    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }

    fn parse(body: &[u8], sdk_app_id: Option<u64>) -> Result<Callback, CallbackError> {
        // Syntax first (errors carry a position, not content), then members
        // with their raw text, refusing duplicates.
        let value: Value = serde_json::from_slice(body).map_err(|e| CallbackError::NotJson {
            reason: e.to_string(),
        })?;
        let Value::Object(mut map) = value else {
            return Err(CallbackError::NotJson {
                reason: "the body is JSON but not an object".to_owned(),
            });
        };
        let RawMembers(mut raw) =
            serde_json::from_slice(body).map_err(|e| CallbackError::NotJson {
                reason: e.to_string(),
            })?;

        let number =
            |map: &serde_json::Map<String, Value>, member: &'static str| match map.get(member) {
                None => Err(CallbackError::MissingMember { member }),
                Some(v) => v.as_u64().ok_or(CallbackError::InvalidMember {
                    member,
                    expected: "a non-negative integer",
                }),
            };
        let event_group_id = number(&map, "EventGroupId")?;
        let event_type = number(&map, "EventType")?;
        // Some AI-service pages name it CallbackMsTs in their tables (their
        // examples say CallbackTs); accept that spelling when CallbackTs is absent.
        let callback_ts = match number(&map, "CallbackTs") {
            Err(CallbackError::MissingMember { .. }) if map.contains_key("CallbackMsTs") => {
                number(&map, "CallbackMsTs")?
            }
            other => other?,
        };
        let event_info = match map.remove("EventInfo") {
            None => {
                return Err(CallbackError::MissingMember {
                    member: "EventInfo",
                })
            }
            Some(v @ Value::Object(_)) => v,
            Some(_) => {
                return Err(CallbackError::InvalidMember {
                    member: "EventInfo",
                    expected: "an object",
                })
            }
        };
        let event_info_raw = raw
            .remove("EventInfo")
            .ok_or(CallbackError::MissingMember {
                member: "EventInfo",
            })?;
        let idempotency_key = idempotency_key(event_group_id, event_type, &event_info);
        Ok(Callback {
            event_group_id,
            event_type,
            callback_ts,
            sdk_app_id,
            event_info,
            event_info_raw,
            idempotency_key,
        })
    }
}

fn idempotency_key(group: u64, event_type: u64, info: &Value) -> String {
    let mut hasher = HashWriter(Sha256::new());
    // Writing into a hasher cannot fail, and a Value always serializes.
    write!(hasher, "{group}:{event_type}:").expect("hashing cannot fail");
    serde_json::to_writer(&mut hasher, &Canonical(info)).expect("a JSON value always serializes");
    hasher
        .0
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct HashWriter(Sha256);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A JSON value serialized with object members sorted by name, whatever
/// order the map keeps (serde_json's `preserve_order` feature may be on in
/// the final build).
struct Canonical<'a>(&'a Value);

impl Serialize for Canonical<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                let mut m = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    m.serialize_entry(k, &Canonical(v))?;
                }
                m.end()
            }
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(&Canonical(v))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

/// The members of a JSON object with their raw text; refuses duplicates.
struct RawMembers(std::collections::HashMap<String, Box<RawValue>>);

impl<'de> Deserialize<'de> for RawMembers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawMembers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMembers, A::Error> {
                let mut seen = HashSet::new();
                let mut out = std::collections::HashMap::new();
                while let Some(name) = map.next_key::<String>()? {
                    let value: Box<RawValue> = map.next_value()?;
                    if !seen.insert(name.clone()) {
                        return Err(serde::de::Error::custom(format_args!(
                            "member {name:?} appears more than once"
                        )));
                    }
                    out.insert(name, value);
                }
                Ok(RawMembers(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Why a callback was refused. Never contains the key or the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackError {
    /// No `Sign` header.
    MissingSign,
    /// The `Sign` header is not base64 of a 32-byte HMAC-SHA256.
    MalformedSign {
        /// How many bytes it decoded to (`None`: not base64 at all).
        decoded_len: Option<usize>,
    },
    /// The signature does not match the body: another key, or an altered body.
    BadSignature,
    /// No `SdkAppId` header, and the verifier expects one.
    MissingSdkAppId,
    /// The `SdkAppId` header is not a number.
    InvalidSdkAppId,
    /// The `SdkAppId` header names another application.
    WrongSdkAppId {
        /// The verifier's.
        expected: u64,
        /// The header's.
        found: u64,
    },
    /// The body is not a JSON object.
    NotJson {
        /// Where the JSON is broken.
        reason: String,
    },
    /// An envelope member is missing.
    MissingMember {
        /// `EventGroupId`, `EventType`, `CallbackTs` or `EventInfo`.
        member: &'static str,
    },
    /// An envelope member has the wrong type.
    InvalidMember {
        /// The member.
        member: &'static str,
        /// What it should be.
        expected: &'static str,
    },
}

impl CallbackError {
    /// The HTTP status to answer with: 401 for a signature problem, 403 for
    /// another application, 400 for a malformed header or body.
    pub fn status(&self) -> u16 {
        match self {
            CallbackError::MissingSign
            | CallbackError::MalformedSign { .. }
            | CallbackError::BadSignature => 401,
            CallbackError::WrongSdkAppId { .. } => 403,
            CallbackError::MissingSdkAppId
            | CallbackError::InvalidSdkAppId
            | CallbackError::NotJson { .. }
            | CallbackError::MissingMember { .. }
            | CallbackError::InvalidMember { .. } => 400,
        }
    }

    /// The answer: [`CallbackError::status`] and `{"code":<status>,"error":"<this error>"}`.
    pub fn reply(&self) -> Reply {
        let status = self.status();
        Reply {
            status,
            body: serde_json::json!({ "code": status, "error": self.to_string() }).to_string(),
        }
    }
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallbackError::MissingSign => write!(f, "missing {SIGN_HEADER} header"),
            CallbackError::MalformedSign { decoded_len: None } => {
                write!(f, "malformed {SIGN_HEADER} header: not base64")
            }
            CallbackError::MalformedSign {
                decoded_len: Some(n),
            } => write!(
                f,
                "malformed {SIGN_HEADER} header: decodes to {n} bytes, an HMAC-SHA256 has 32"
            ),
            CallbackError::BadSignature => write!(
                f,
                "wrong signature: the {SIGN_HEADER} header does not match the body (another key, or an altered body)"
            ),
            CallbackError::MissingSdkAppId => write!(f, "missing {SDK_APP_ID_HEADER} header"),
            CallbackError::InvalidSdkAppId => {
                write!(f, "{SDK_APP_ID_HEADER} header is not a number")
            }
            CallbackError::WrongSdkAppId { expected, found } => write!(
                f,
                "{SDK_APP_ID_HEADER} header is {found}, this receiver is for {expected}"
            ),
            CallbackError::NotJson { reason } => write!(f, "body is not a JSON object: {reason}"),
            CallbackError::MissingMember { member } => write!(f, "body has no member {member}"),
            CallbackError::InvalidMember { member, expected } => {
                write!(f, "body member {member} is not {expected}")
            }
        }
    }
}

impl std::error::Error for CallbackError {}

#[cfg(test)]
mod tests;
