//! TC3-HMAC-SHA256, Tencent Cloud API 3.0's request signature, as pure functions.
//!
//! The signature covers the HTTP method, the path, the canonical headers
//! (`content-type`, `host` and optionally `x-tc-action`), and the SHA-256 of the
//! body. The signing key is derived from the secret key, the UTC date of the
//! timestamp, and the service name:
//!
//! ```text
//! k_date    = HMAC-SHA256("TC3" + secret_key, date)
//! k_service = HMAC-SHA256(k_date, service)
//! k_signing = HMAC-SHA256(k_service, "tc3_request")
//! signature = hex(HMAC-SHA256(k_signing, string_to_sign))
//! ```
//!
//! Nothing here does I/O or reads the clock: the caller passes the timestamp,
//! which makes every function reproducible and testable against Tencent's
//! published vector.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The algorithm name that starts every `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// Which headers a request signs. The official SDKs sign `content-type;host`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SignedHeaders {
    /// `content-type;host` (what the official SDKs send).
    #[default]
    ContentTypeHost,
    /// `content-type;host;x-tc-action`: also binds the action name.
    ContentTypeHostAction,
}

impl SignedHeaders {
    /// The `SignedHeaders=` value.
    pub fn as_str(self) -> &'static str {
        match self {
            SignedHeaders::ContentTypeHost => "content-type;host",
            SignedHeaders::ContentTypeHostAction => "content-type;host;x-tc-action",
        }
    }

    /// Parses a `SignedHeaders=` value; only the two forms Tencent accepts.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "content-type;host" => Some(SignedHeaders::ContentTypeHost),
            "content-type;host;x-tc-action" => Some(SignedHeaders::ContentTypeHostAction),
            _ => None,
        }
    }
}

/// Everything the signature depends on, borrowed.
#[derive(Clone, Copy)]
pub struct SigningInput<'a> {
    /// The SecretId; goes into the credential scope in clear.
    pub secret_id: &'a str,
    /// The SecretKey; never leaves this function except as an HMAC.
    pub secret_key: &'a str,
    /// The service name of the credential scope, e.g. `trtc`.
    pub service: &'a str,
    /// The `Host` header value exactly as sent (with `:port` when not default).
    pub host: &'a str,
    /// The action, needed only when [`SignedHeaders::ContentTypeHostAction`] is used.
    pub action: &'a str,
    /// The `Content-Type` header value exactly as sent.
    pub content_type: &'a str,
    /// Unix seconds; also sent as `X-TC-Timestamp`.
    pub timestamp: i64,
    /// The request body, byte for byte.
    pub payload: &'a [u8],
    /// Which headers to sign.
    pub signed_headers: SignedHeaders,
}

impl std::fmt::Debug for SigningInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningInput")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"** redacted **")
            .field("service", &self.service)
            .field("host", &self.host)
            .field("action", &self.action)
            .field("content_type", &self.content_type)
            .field("timestamp", &self.timestamp)
            .field("payload_len", &self.payload.len())
            .field("signed_headers", &self.signed_headers)
            .finish()
    }
}

/// The result of signing, with the intermediate strings for inspection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// `YYYY-MM-DD`, the UTC date of the timestamp.
    pub date: String,
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// Lower-case hex HMAC-SHA256 signature.
    pub signature: String,
    /// The full `Authorization` header value.
    pub authorization: String,
}

/// Signs a request. Pure: the same input always gives the same output.
pub fn sign(input: &SigningInput<'_>) -> Signature {
    let date = utc_date(input.timestamp);
    let hashed_payload = sha256_hex(input.payload);
    let canonical_request = canonical_request(input, &hashed_payload);
    let scope = credential_scope(&date, input.service);
    let string_to_sign = string_to_sign(input.timestamp, &scope, &canonical_request);
    let signature = signature_hex(input.secret_key, &date, input.service, &string_to_sign);
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        input.secret_id,
        input.signed_headers.as_str()
    );
    Signature {
        date,
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The canonical request: method, path, query, canonical headers, signed headers, body hash.
pub fn canonical_request(input: &SigningInput<'_>, hashed_payload: &str) -> String {
    let mut out = String::with_capacity(160 + input.host.len() + input.action.len());
    out.push_str("POST\n/\n\n");
    out.push_str("content-type:");
    out.push_str(input.content_type);
    out.push_str("\nhost:");
    out.push_str(input.host);
    out.push('\n');
    if input.signed_headers == SignedHeaders::ContentTypeHostAction {
        out.push_str("x-tc-action:");
        // Header values are lower-cased in the canonical form.
        out.push_str(&input.action.to_ascii_lowercase());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(input.signed_headers.as_str());
    out.push('\n');
    out.push_str(hashed_payload);
    out
}

/// `date/service/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/tc3_request")
}

/// The string to sign: algorithm, timestamp, scope, hash of the canonical request.
pub fn string_to_sign(timestamp: i64, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The key chain and final HMAC: the whole cost of TC3 beyond hashing the body.
pub fn signature_hex(secret_key: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    let mut k1 = Vec::with_capacity(3 + secret_key.len());
    k1.extend_from_slice(b"TC3");
    k1.extend_from_slice(secret_key.as_bytes());
    let k_date = hmac_sha256(&k1, date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    hex(&hmac_sha256(&k_signing, string_to_sign.as_bytes()))
}

/// HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Lower-case hex encoding.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0x0f) as usize] as char);
    }
    out
}

/// `YYYY-MM-DD` in UTC for a Unix timestamp (proleptic Gregorian calendar).
pub fn utc_date(timestamp: i64) -> String {
    let (y, m, d) = civil_from_days(timestamp.div_euclid(86_400));
    let mut out = String::with_capacity(10);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
    out
}

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tencent's published signature v3 example (DescribeInstances on CVM).
    const PAYLOAD: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn published() -> SigningInput<'static> {
        SigningInput {
            secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            action: "DescribeInstances",
            content_type: "application/json; charset=utf-8",
            timestamp: 1_551_113_065,
            payload: PAYLOAD.as_bytes(),
            signed_headers: SignedHeaders::ContentTypeHost,
        }
    }

    #[test]
    fn published_vector_payload_hash() {
        assert_eq!(
            sha256_hex(PAYLOAD.as_bytes()),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
    }

    #[test]
    fn published_vector_canonical_request() {
        let sig = sign(&published());
        assert_eq!(
            sig.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
             content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            sha256_hex(sig.canonical_request.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
    }

    #[test]
    fn published_vector_string_to_sign() {
        let sig = sign(&published());
        assert_eq!(sig.date, "2019-02-25");
        assert_eq!(
            sig.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
    }

    #[test]
    fn published_vector_signature_and_authorization() {
        let sig = sign(&published());
        assert_eq!(
            sig.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            sig.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn action_header_is_signed_lowercase_when_asked() {
        let mut input = published();
        input.signed_headers = SignedHeaders::ContentTypeHostAction;
        let sig = sign(&input);
        assert!(sig
            .canonical_request
            .contains("\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n"));
        assert!(sig
            .authorization
            .contains("SignedHeaders=content-type;host;x-tc-action,"));
        assert_ne!(sig.signature, sign(&published()).signature);
    }

    #[test]
    fn every_input_changes_the_signature() {
        let base = sign(&published()).signature;
        let mut i = published();
        i.secret_key = "other";
        assert_ne!(sign(&i).signature, base);
        let mut i = published();
        i.service = "trtc";
        assert_ne!(sign(&i).signature, base);
        let mut i = published();
        i.host = "cvm.intl.tencentcloudapi.com";
        assert_ne!(sign(&i).signature, base);
        let mut i = published();
        i.payload = b"{}";
        assert_ne!(sign(&i).signature, base);
        let mut i = published();
        i.timestamp += 86_400;
        assert_ne!(sign(&i).signature, base);
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(86_399), "1970-01-01");
        assert_eq!(utc_date(86_400), "1970-01-02");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_709_164_800), "2024-02-29");
        assert_eq!(utc_date(1_735_689_599), "2024-12-31");
        assert_eq!(utc_date(-1), "1969-12-31");
        assert_eq!(utc_date(4_102_444_800), "2100-01-01");
    }

    #[test]
    fn signed_headers_parse() {
        assert_eq!(
            SignedHeaders::parse("content-type;host"),
            Some(SignedHeaders::ContentTypeHost)
        );
        assert_eq!(
            SignedHeaders::parse("content-type;host;x-tc-action"),
            Some(SignedHeaders::ContentTypeHostAction)
        );
        assert_eq!(SignedHeaders::parse("host"), None);
    }

    #[test]
    fn debug_hides_secret_key() {
        let text = format!("{:?}", published());
        assert!(!text.contains("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"));
        assert!(text.contains("redacted"));
    }
}
