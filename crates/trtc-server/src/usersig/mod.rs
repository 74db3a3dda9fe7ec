//! UserSig and PrivateMapKey: the tickets of Tencent's `TLSSigAPIv2`.
//!
//! A UserSig proves that a UserId may use an application (SdkAppId): the
//! application's server signs it with the application's secret key and hands
//! it to the client, which presents it to TRTC (and to Tencent Cloud actions
//! that join a room as a user, such as `CreateCloudTranscription`).
//!
//! The format, as Tencent's official libraries produce it:
//!
//! 1. The signed text, each line ending in `\n`, in this order:
//!    `TLS.identifier:<user id>`, `TLS.sdkappid:<decimal>`, `TLS.time:<unix seconds>`,
//!    `TLS.expire:<seconds>` and, only when there is a userbuf,
//!    `TLS.userbuf:<standard base64 of the userbuf>`.
//! 2. `TLS.sig` = standard base64 (padded) of HMAC-SHA256(key, signed text).
//! 3. A JSON object: `TLS.ver` (`"2.0"`), `TLS.identifier` (string),
//!    `TLS.sdkappid`, `TLS.time`, `TLS.expire` (JSON numbers), optional
//!    `TLS.userbuf` (string), `TLS.sig` (string). Member order and spacing do
//!    not matter to a verifier; this crate writes the compact form of the
//!    official Node library (`ver, identifier, sdkappid, time, expire,
//!    [userbuf], sig`).
//! 4. zlib (RFC 1950) compression of the JSON text, standard base64 of that,
//!    then `+` → `*`, `/` → `-`, `=` → `_`.
//!
//! `TLS.expire` is relative: the ticket is valid until `TLS.time + TLS.expire`
//! (inclusive). A PrivateMapKey is a UserSig whose userbuf is a binary
//! [`PrivateMapKeyBuf`] naming a room and a set of [`Privileges`].
//!
//! Verification recomputes the HMAC from the decoded members (the userbuf as
//! the exact base64 text found in the document) and compares it in constant
//! time. Errors name what is wrong ([`VerifyError`]) and never contain the key,
//! the signature or the ticket.

mod private_map_key;

pub use private_map_key::{BuildError, PrivateMapKeyBuf, Privileges, RoomId, UserbufError};

use std::collections::HashSet;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use flate2::{Decompress, FlushDecompress, Status};
use hmac::{Hmac, Mac};
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::SecretKey;

/// The only `TLS.ver` this format has.
pub const VERSION: &str = "2.0";

/// The longest ticket accepted for decoding, in characters.
pub const MAX_ENCODED_LEN: usize = 1 << 20;

/// The largest decompressed document accepted, in bytes (a zlib bomb stops here).
pub const MAX_DOCUMENT_LEN: usize = 1 << 20;

/// Standard base64 that accepts input with or without padding (the official
/// decoders do too); canonical trailing bits are still required.
const STANDARD_ANY_PAD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

type HmacSha256 = Hmac<Sha256>;

/// Generates and verifies the UserSigs and PrivateMapKeys of one application.
///
/// ```
/// use tencentcloud_trtc_server::usersig::{Privileges, RoomId, TlsSigApi};
///
/// let api = TlsSigApi::new(1_400_000_001, "the application's secret key");
/// let user_sig = api.user_sig("alice", 7 * 86_400).sign();
/// let ticket = api
///     .private_map_key("alice", 300, RoomId::Number(1234), Privileges::ENTER_ROOM | Privileges::RECV_AUDIO)
///     .sign()?;
/// let info = api.verify_private_map_key(&ticket, Some("alice"))?;
/// assert_eq!(info.buf.room, RoomId::Number(1234));
/// assert!(info.buf.privileges.contains(Privileges::ENTER_ROOM));
/// # let _ = user_sig;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct TlsSigApi {
    sdk_app_id: u64,
    key: SecretKey,
}

impl TlsSigApi {
    /// The application's SdkAppId and secret key (from the TRTC console).
    pub fn new(sdk_app_id: u64, key: impl Into<SecretKey>) -> Self {
        TlsSigApi {
            sdk_app_id,
            key: key.into(),
        }
    }

    /// The SdkAppId.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// Starts a UserSig for `user_id`, valid for `expire_secs` seconds from
    /// its issue time (now, unless [`UserSigBuilder::issued_at`] says otherwise).
    pub fn user_sig<'a>(&'a self, user_id: &'a str, expire_secs: u64) -> UserSigBuilder<'a> {
        UserSigBuilder {
            api: self,
            user_id,
            expire_secs,
            userbuf: None,
            issued_at: None,
        }
    }

    /// Starts a PrivateMapKey: `user_id` may use `room` with `privileges` for
    /// `expire_secs` seconds from its issue time.
    pub fn private_map_key<'a>(
        &'a self,
        user_id: &'a str,
        expire_secs: u64,
        room: impl Into<RoomId>,
        privileges: Privileges,
    ) -> PrivateMapKeyBuilder<'a> {
        PrivateMapKeyBuilder {
            api: self,
            user_id,
            expire_secs,
            room: room.into(),
            privileges,
            issued_at: None,
        }
    }

    /// Verifies a UserSig now; see [`TlsSigApi::verify_user_sig_at`].
    pub fn verify_user_sig(
        &self,
        user_sig: &str,
        expected_user_id: Option<&str>,
    ) -> Result<UserSigInfo, VerifyError> {
        self.verify_user_sig_at(user_sig, expected_user_id, unix_now())
    }

    /// Verifies a UserSig at `now` (Unix seconds): decodes it, checks its
    /// SdkAppId is this application's, checks the HMAC (constant time), then
    /// the UserId when `expected_user_id` is given, then the expiry.
    pub fn verify_user_sig_at(
        &self,
        user_sig: &str,
        expected_user_id: Option<&str>,
        now: u64,
    ) -> Result<UserSigInfo, VerifyError> {
        let doc = Document::decode(user_sig)?;
        if doc.info.sdk_app_id != self.sdk_app_id {
            return Err(VerifyError::WrongSdkAppId {
                expected: self.sdk_app_id,
                found: doc.info.sdk_app_id,
            });
        }
        let mut mac = self.mac();
        feed_signed_text(
            &mut mac,
            &doc.info.user_id,
            doc.info.sdk_app_id,
            doc.info.issued_at,
            doc.info.expire_secs,
            doc.userbuf_b64.as_deref(),
        );
        mac.verify_slice(&doc.sig)
            .map_err(|_| VerifyError::BadSignature)?;
        if let Some(expected) = expected_user_id {
            if expected != doc.info.user_id {
                return Err(VerifyError::WrongUserId {
                    expected: expected.to_owned(),
                    found: doc.info.user_id,
                });
            }
        }
        let expires_at = doc.info.expires_at();
        if now > expires_at {
            return Err(VerifyError::Expired { expires_at, now });
        }
        Ok(doc.info)
    }

    /// Verifies a PrivateMapKey now; see [`TlsSigApi::verify_private_map_key_at`].
    pub fn verify_private_map_key(
        &self,
        private_map_key: &str,
        expected_user_id: Option<&str>,
    ) -> Result<PrivateMapKeyInfo, VerifyError> {
        self.verify_private_map_key_at(private_map_key, expected_user_id, unix_now())
    }

    /// Verifies a PrivateMapKey at `now` (Unix seconds): everything
    /// [`TlsSigApi::verify_user_sig_at`] checks, then decodes the userbuf and
    /// checks that its UserId and SdkAppId are the ticket's and that its own
    /// expiry has not passed.
    pub fn verify_private_map_key_at(
        &self,
        private_map_key: &str,
        expected_user_id: Option<&str>,
        now: u64,
    ) -> Result<PrivateMapKeyInfo, VerifyError> {
        let user_sig = self.verify_user_sig_at(private_map_key, expected_user_id, now)?;
        let bytes = user_sig
            .userbuf
            .as_deref()
            .ok_or(VerifyError::MissingUserbuf)?;
        let buf = PrivateMapKeyBuf::decode(bytes).map_err(VerifyError::InvalidUserbuf)?;
        if buf.user_id != user_sig.user_id {
            return Err(VerifyError::UserbufMismatch { field: "UserId" });
        }
        if u64::from(buf.sdk_app_id) != user_sig.sdk_app_id {
            return Err(VerifyError::UserbufMismatch { field: "SdkAppId" });
        }
        if now > u64::from(buf.expires_at) {
            return Err(VerifyError::Expired {
                expires_at: buf.expires_at.into(),
                now,
            });
        }
        Ok(PrivateMapKeyInfo { user_sig, buf })
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length; this cannot fail.
        HmacSha256::new_from_slice(self.key.expose_secret().as_bytes())
            .expect("HMAC-SHA256 takes keys of any length")
    }

    fn sign_document(
        &self,
        user_id: &str,
        issued_at: u64,
        expire_secs: u64,
        userbuf: Option<&[u8]>,
    ) -> String {
        let userbuf_b64 = userbuf.map(|b| STANDARD.encode(b));
        let mut mac = self.mac();
        feed_signed_text(
            &mut mac,
            user_id,
            self.sdk_app_id,
            issued_at,
            expire_secs,
            userbuf_b64.as_deref(),
        );
        let sig = STANDARD.encode(mac.finalize().into_bytes());
        let doc = WireDocument {
            ver: VERSION,
            identifier: user_id,
            sdkappid: self.sdk_app_id,
            time: issued_at,
            expire: expire_secs,
            userbuf: userbuf_b64.as_deref(),
            sig: &sig,
        };
        let json =
            serde_json::to_vec(&doc).expect("a struct of strings and integers always serializes");
        encode_ticket(&json)
    }
}

/// Builds a UserSig; from [`TlsSigApi::user_sig`].
#[derive(Debug)]
#[must_use = "call .sign() to get the UserSig"]
pub struct UserSigBuilder<'a> {
    api: &'a TlsSigApi,
    user_id: &'a str,
    expire_secs: u64,
    userbuf: Option<&'a [u8]>,
    issued_at: Option<u64>,
}

impl<'a> UserSigBuilder<'a> {
    /// Adds a userbuf (opaque bytes carried, signed, in the ticket).
    pub fn userbuf(mut self, userbuf: &'a [u8]) -> Self {
        self.userbuf = Some(userbuf);
        self
    }

    /// Sets the issue time (Unix seconds) instead of now: for tests and
    /// reproducible tickets.
    pub fn issued_at(mut self, unix_secs: u64) -> Self {
        self.issued_at = Some(unix_secs);
        self
    }

    /// The UserSig.
    pub fn sign(self) -> String {
        self.api.sign_document(
            self.user_id,
            self.issued_at.unwrap_or_else(unix_now),
            self.expire_secs,
            self.userbuf,
        )
    }
}

/// Builds a PrivateMapKey; from [`TlsSigApi::private_map_key`].
#[derive(Debug)]
#[must_use = "call .sign() to get the PrivateMapKey"]
pub struct PrivateMapKeyBuilder<'a> {
    api: &'a TlsSigApi,
    user_id: &'a str,
    expire_secs: u64,
    room: RoomId,
    privileges: Privileges,
    issued_at: Option<u64>,
}

impl PrivateMapKeyBuilder<'_> {
    /// Sets the issue time (Unix seconds) instead of now.
    pub fn issued_at(mut self, unix_secs: u64) -> Self {
        self.issued_at = Some(unix_secs);
        self
    }

    /// The userbuf this ticket will carry when issued at `issued_at`.
    fn buf(&self, issued_at: u64) -> Result<PrivateMapKeyBuf, BuildError> {
        let sdk_app_id =
            u32::try_from(self.api.sdk_app_id).map_err(|_| BuildError::SdkAppIdTooLarge {
                sdk_app_id: self.api.sdk_app_id,
            })?;
        let expires_at = issued_at.saturating_add(self.expire_secs);
        let expires_at =
            u32::try_from(expires_at).map_err(|_| BuildError::ExpiryOutOfRange { expires_at })?;
        Ok(PrivateMapKeyBuf {
            user_id: self.user_id.to_owned(),
            sdk_app_id,
            room: self.room.clone(),
            expires_at,
            privileges: self.privileges,
            account_type: 0,
        })
    }

    /// The PrivateMapKey, or why its userbuf cannot hold these values.
    pub fn sign(self) -> Result<String, BuildError> {
        let issued_at = self.issued_at.unwrap_or_else(unix_now);
        let bytes = self.buf(issued_at)?.encode()?;
        Ok(self
            .api
            .sign_document(self.user_id, issued_at, self.expire_secs, Some(&bytes)))
    }
}

/// What a UserSig says (returned once it is verified, or by [`decode_unverified`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserSigInfo {
    /// `TLS.identifier`: the UserId.
    pub user_id: String,
    /// `TLS.sdkappid`.
    pub sdk_app_id: u64,
    /// `TLS.time`: when it was issued (Unix seconds).
    pub issued_at: u64,
    /// `TLS.expire`: how long it is valid after `issued_at`, in seconds.
    pub expire_secs: u64,
    /// `TLS.userbuf`, decoded from base64.
    pub userbuf: Option<Vec<u8>>,
}

impl UserSigInfo {
    /// The last second (Unix) at which it is valid: `issued_at + expire_secs`.
    pub fn expires_at(&self) -> u64 {
        self.issued_at.saturating_add(self.expire_secs)
    }
}

/// A verified PrivateMapKey.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrivateMapKeyInfo {
    /// The UserSig part (its `userbuf` holds the raw bytes of `buf`).
    pub user_sig: UserSigInfo,
    /// The decoded userbuf: room, privileges, expiry.
    pub buf: PrivateMapKeyBuf,
}

/// Decodes a UserSig or PrivateMapKey WITHOUT checking its signature or
/// expiry: for telling which SdkAppId (and so which key) a ticket claims.
/// Never trust what it returns; verify with [`TlsSigApi`].
pub fn decode_unverified(ticket: &str) -> Result<UserSigInfo, VerifyError> {
    Document::decode(ticket).map(|d| d.info)
}

/// Why a UserSig or PrivateMapKey was refused. Never contains the key, the
/// signature or the ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The text is not a ticket: empty, too long, or a character outside the
    /// alphabet (`A-Z a-z 0-9 * - _`, and `+ / =` which the decoders also take).
    MalformedEncoding {
        /// What is wrong, with the offset.
        reason: String,
    },
    /// The text is not base64 once `*-_` are mapped back to `+/=`.
    NotBase64 {
        /// The decoder's message (an offset or a length).
        reason: String,
    },
    /// The bytes are not one complete zlib stream.
    NotZlib {
        /// What is wrong.
        reason: String,
    },
    /// The decompressed document is larger than [`MAX_DOCUMENT_LEN`].
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The document is not a JSON object.
    NotJson {
        /// Where the JSON is broken.
        reason: String,
    },
    /// A required member is missing.
    MissingField {
        /// The member, e.g. `TLS.sig`.
        field: &'static str,
    },
    /// A member has the wrong type or an invalid value.
    InvalidField {
        /// The member.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
    },
    /// `TLS.ver` is not `"2.0"` (tickets of the older asymmetric-key format are not supported).
    UnsupportedVersion,
    /// The ticket belongs to another application.
    WrongSdkAppId {
        /// This application's SdkAppId.
        expected: u64,
        /// The ticket's.
        found: u64,
    },
    /// The HMAC does not match: another key signed it, or it was altered.
    BadSignature,
    /// The ticket is genuine but for another UserId.
    WrongUserId {
        /// The UserId asked for.
        expected: String,
        /// The ticket's.
        found: String,
    },
    /// The ticket is genuine but expired.
    Expired {
        /// Its last valid second (Unix).
        expires_at: u64,
        /// The time of the check (Unix seconds).
        now: u64,
    },
    /// A PrivateMapKey was expected but the ticket has no `TLS.userbuf`.
    MissingUserbuf,
    /// The userbuf of a PrivateMapKey is not a valid one.
    InvalidUserbuf(UserbufError),
    /// The userbuf of a PrivateMapKey names another user or application than the ticket.
    UserbufMismatch {
        /// `UserId` or `SdkAppId`.
        field: &'static str,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MalformedEncoding { reason } => {
                write!(f, "malformed ticket encoding: {reason}")
            }
            VerifyError::NotBase64 { reason } => write!(f, "ticket is not base64: {reason}"),
            VerifyError::NotZlib { reason } => {
                write!(f, "ticket is not zlib-compressed data: {reason}")
            }
            VerifyError::TooLarge { limit } => {
                write!(f, "ticket decompresses to more than {limit} bytes")
            }
            VerifyError::NotJson { reason } => {
                write!(f, "ticket document is not a JSON object: {reason}")
            }
            VerifyError::MissingField { field } => write!(f, "ticket has no member {field}"),
            VerifyError::InvalidField { field, expected } => {
                write!(f, "ticket member {field} is not {expected}")
            }
            VerifyError::UnsupportedVersion => {
                write!(f, "ticket member TLS.ver is not \"{VERSION}\"")
            }
            VerifyError::WrongSdkAppId { expected, found } => {
                write!(f, "ticket is for SdkAppId {found}, expected {expected}")
            }
            VerifyError::BadSignature => {
                f.write_str("ticket signature does not match (signed with another key, or altered)")
            }
            VerifyError::WrongUserId { expected, found } => {
                write!(f, "ticket is for UserId {found:?}, expected {expected:?}")
            }
            VerifyError::Expired { expires_at, now } => {
                write!(f, "ticket expired at {expires_at} (now {now})")
            }
            VerifyError::MissingUserbuf => {
                f.write_str("ticket has no TLS.userbuf, so it is not a PrivateMapKey")
            }
            VerifyError::InvalidUserbuf(e) => write!(f, "PrivateMapKey userbuf: {e}"),
            VerifyError::UserbufMismatch { field } => {
                write!(
                    f,
                    "PrivateMapKey userbuf has another {field} than the ticket"
                )
            }
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::InvalidUserbuf(e) => Some(e),
            _ => None,
        }
    }
}

/// The document as this crate writes it (the Node library's member order).
#[derive(Serialize)]
struct WireDocument<'a> {
    #[serde(rename = "TLS.ver")]
    ver: &'a str,
    #[serde(rename = "TLS.identifier")]
    identifier: &'a str,
    #[serde(rename = "TLS.sdkappid")]
    sdkappid: u64,
    #[serde(rename = "TLS.time")]
    time: u64,
    #[serde(rename = "TLS.expire")]
    expire: u64,
    #[serde(rename = "TLS.userbuf", skip_serializing_if = "Option::is_none")]
    userbuf: Option<&'a str>,
    #[serde(rename = "TLS.sig")]
    sig: &'a str,
}

/// A decoded, not yet verified ticket.
struct Document {
    info: UserSigInfo,
    /// `TLS.userbuf` exactly as written: the signed text uses this text.
    userbuf_b64: Option<String>,
    /// `TLS.sig`, decoded.
    sig: Vec<u8>,
}

impl Document {
    fn decode(ticket: &str) -> Result<Document, VerifyError> {
        let json = decode_ticket(ticket)?;
        let mut members = parse_object(&json)?;
        let mut take = |field: &'static str| {
            members
                .remove(field)
                .ok_or(VerifyError::MissingField { field })
        };
        match take("TLS.ver")? {
            Value::String(v) if v == VERSION => {}
            Value::String(_) => return Err(VerifyError::UnsupportedVersion),
            _ => {
                return Err(VerifyError::InvalidField {
                    field: "TLS.ver",
                    expected: "a string",
                })
            }
        }
        let user_id = as_string(take("TLS.identifier")?, "TLS.identifier")?;
        let sdk_app_id = as_u64(take("TLS.sdkappid")?, "TLS.sdkappid")?;
        let issued_at = as_u64(take("TLS.time")?, "TLS.time")?;
        let expire_secs = as_u64(take("TLS.expire")?, "TLS.expire")?;
        let sig_b64 = as_string(take("TLS.sig")?, "TLS.sig")?;
        let userbuf_b64 = match members.remove("TLS.userbuf") {
            None => None,
            Some(v) => Some(as_string(v, "TLS.userbuf")?),
        };
        let sig = STANDARD_ANY_PAD
            .decode(sig_b64.as_bytes())
            .ok()
            .filter(|s| s.len() == 32)
            .ok_or(VerifyError::InvalidField {
                field: "TLS.sig",
                expected: "the base64 of a 32-byte HMAC-SHA256",
            })?;
        let userbuf = match &userbuf_b64 {
            None => None,
            Some(b64) => Some(STANDARD_ANY_PAD.decode(b64.as_bytes()).map_err(|_| {
                VerifyError::InvalidField {
                    field: "TLS.userbuf",
                    expected: "base64",
                }
            })?),
        };
        Ok(Document {
            info: UserSigInfo {
                user_id,
                sdk_app_id,
                issued_at,
                expire_secs,
                userbuf,
            },
            userbuf_b64,
            sig,
        })
    }
}

fn as_string(v: Value, field: &'static str) -> Result<String, VerifyError> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(VerifyError::InvalidField {
            field,
            expected: "a string",
        }),
    }
}

fn as_u64(v: Value, field: &'static str) -> Result<u64, VerifyError> {
    v.as_u64().ok_or(VerifyError::InvalidField {
        field,
        expected: "a non-negative integer (a JSON number)",
    })
}

/// Parses a JSON object, refusing duplicate members (one ticket, one meaning).
fn parse_object(json: &[u8]) -> Result<serde_json::Map<String, Value>, VerifyError> {
    // First pass: syntax (serde_json's syntax errors carry a position, never content).
    let value: Value = serde_json::from_slice(json).map_err(|e| VerifyError::NotJson {
        reason: e.to_string(),
    })?;
    let Value::Object(map) = value else {
        return Err(VerifyError::NotJson {
            reason: "the document is JSON but not an object".to_owned(),
        });
    };
    // Second pass: member names only, to catch duplicates the map merged.
    let names: MemberNames = serde_json::from_slice(json).map_err(|e| VerifyError::NotJson {
        reason: e.to_string(),
    })?;
    if let Some(dup) = names.duplicate {
        return Err(VerifyError::NotJson {
            reason: format!("member {dup:?} appears more than once"),
        });
    }
    Ok(map)
}

/// The member names of a JSON object; remembers the first name seen twice.
struct MemberNames {
    duplicate: Option<String>,
}

impl<'de> Deserialize<'de> for MemberNames {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MemberNames;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MemberNames, A::Error> {
                let mut seen = HashSet::new();
                let mut duplicate = None;
                while let Some(name) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    if duplicate.is_none() && !seen.insert(name.clone()) {
                        duplicate = Some(name);
                    }
                }
                Ok(MemberNames { duplicate })
            }
        }
        d.deserialize_map(V)
    }
}

fn feed_signed_text(
    mac: &mut HmacSha256,
    user_id: &str,
    sdk_app_id: u64,
    issued_at: u64,
    expire_secs: u64,
    userbuf_b64: Option<&str>,
) {
    let mut text = format!(
        "TLS.identifier:{user_id}\nTLS.sdkappid:{sdk_app_id}\nTLS.time:{issued_at}\nTLS.expire:{expire_secs}\n"
    );
    if let Some(b64) = userbuf_b64 {
        text.push_str("TLS.userbuf:");
        text.push_str(b64);
        text.push('\n');
    }
    mac.update(text.as_bytes());
}

/// zlib (default level) → standard base64 → `+/=` to `*-_`.
fn encode_ticket(json: &[u8]) -> String {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    z.write_all(json).expect("compressing into memory");
    let compressed = z.finish().expect("compressing into memory");
    STANDARD
        .encode(compressed)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

/// The inverse of [`encode_ticket`], with every failure named.
fn decode_ticket(ticket: &str) -> Result<Vec<u8>, VerifyError> {
    if ticket.is_empty() {
        return Err(VerifyError::MalformedEncoding {
            reason: "the ticket is empty".to_owned(),
        });
    }
    if ticket.len() > MAX_ENCODED_LEN {
        return Err(VerifyError::MalformedEncoding {
            reason: format!("the ticket is longer than {MAX_ENCODED_LEN} characters"),
        });
    }
    let mut b64 = Vec::with_capacity(ticket.len());
    for (offset, byte) in ticket.bytes().enumerate() {
        b64.push(match byte {
            b'*' => b'+',
            b'-' => b'/',
            b'_' => b'=',
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => byte,
            _ => {
                return Err(VerifyError::MalformedEncoding {
                    reason: format!(
                        "byte 0x{byte:02x} at offset {offset} is outside the alphabet \
                         (A-Z a-z 0-9 * - _); whitespace or URL-encoding around it?"
                    ),
                })
            }
        });
    }
    let compressed = STANDARD_ANY_PAD
        .decode(&b64)
        .map_err(|e| VerifyError::NotBase64 {
            reason: e.to_string(),
        })?;
    inflate(&compressed, MAX_DOCUMENT_LEN)
}

/// Decompresses exactly one zlib stream, at most `limit` bytes of output.
fn inflate(input: &[u8], limit: usize) -> Result<Vec<u8>, VerifyError> {
    let mut z = Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(4).clamp(256, limit));
    loop {
        if out.len() == out.capacity() {
            if out.len() > limit {
                return Err(VerifyError::TooLarge { limit });
            }
            let more = out.len().max(256).min(limit + 1 - out.len());
            out.reserve_exact(more);
        }
        let (in_before, out_before) = (z.total_in(), z.total_out());
        let consumed = usize::try_from(in_before).unwrap_or(usize::MAX);
        let status = z
            .decompress_vec(
                input.get(consumed..).unwrap_or_default(),
                &mut out,
                FlushDecompress::None,
            )
            .map_err(|e| VerifyError::NotZlib {
                reason: e.to_string(),
            })?;
        if out.len() > limit {
            return Err(VerifyError::TooLarge { limit });
        }
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {
                let stalled = z.total_in() == in_before && z.total_out() == out_before;
                if stalled && out.len() < out.capacity() {
                    return Err(VerifyError::NotZlib {
                        reason: "the stream is truncated".to_owned(),
                    });
                }
            }
        }
    }
    let used = usize::try_from(z.total_in()).unwrap_or(usize::MAX);
    if used != input.len() {
        return Err(VerifyError::NotZlib {
            reason: format!(
                "{} bytes follow the end of the zlib stream",
                input.len().saturating_sub(used)
            ),
        });
    }
    Ok(out)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
