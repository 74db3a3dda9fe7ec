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

/// The derived signing key `HMAC(HMAC(HMAC("TC3"+key, date), service), "tc3_request")`.
///
/// It depends only on the secret key, the UTC date and the service, so a client
/// derives it once a day and reuses it ([`sign_with_key`]): three of the four
/// HMACs of a signature are then paid once, not per request. As sensitive as
/// the secret key itself: `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    key: [u8; 32],
    date: String,
    service: String,
}

impl SigningKey {
    /// Derives the key for `date` (`YYYY-MM-DD`) and `service`.
    pub fn derive(secret_key: &str, date: &str, service: &str) -> SigningKey {
        let mut k1 = Vec::with_capacity(3 + secret_key.len());
        k1.extend_from_slice(b"TC3");
        k1.extend_from_slice(secret_key.as_bytes());
        let k_date = hmac_sha256(&k1, date.as_bytes());
        let k_service = hmac_sha256(&k_date, service.as_bytes());
        SigningKey {
            key: hmac_sha256(&k_service, b"tc3_request"),
            date: date.to_owned(),
            service: service.to_owned(),
        }
    }

    /// The date the key is for.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The service the key is for.
    pub fn service(&self) -> &str {
        &self.service
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("key", &"** redacted **")
            .field("date", &self.date)
            .field("service", &self.service)
            .finish()
    }
}

/// Signs a request. Pure: the same input always gives the same output.
pub fn sign(input: &SigningInput<'_>) -> Signature {
    let key = SigningKey::derive(input.secret_key, &utc_date(input.timestamp), input.service);
    sign_with_key(&key, input)
}

/// Signs a request with a derived key. The key must be for the UTC date of
/// `input.timestamp` and for `input.service` (else the signature is wrong, as
/// the server will say); `input.secret_key` is not used.
pub fn sign_with_key(key: &SigningKey, input: &SigningInput<'_>) -> Signature {
    let date = key.date.clone();
    let hashed_payload = hex(&sha256(input.payload));
    let canonical_request = canonical_request(input, &hashed_payload);
    let scope = credential_scope(&date, &key.service);
    let string_to_sign = string_to_sign(input.timestamp, &scope, &canonical_request);
    let signature = hex(&hmac_sha256(&key.key, string_to_sign.as_bytes()));
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

/// Where the canonical request and the string to sign are written: into a
/// hash as they are produced (per request), or into bytes (for inspection).
/// One writer of each ([`write_canonical_request`], [`write_string_to_sign`])
/// serves both, so the two forms cannot disagree.
trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Hmac<Sha256> {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// The canonical request: method, path, query, canonical headers (values of
/// `x-tc-action` lower-cased), signed headers, hex SHA-256 of the body.
fn write_canonical_request(input: &SigningInput<'_>, hashed_payload: &[u8], out: &mut impl Sink) {
    out.put(b"POST\n/\n\ncontent-type:");
    out.put(input.content_type.as_bytes());
    out.put(b"\nhost:");
    out.put(input.host.as_bytes());
    out.put(b"\n");
    if input.signed_headers == SignedHeaders::ContentTypeHostAction {
        out.put(b"x-tc-action:");
        for b in input.action.bytes() {
            out.put(&[b.to_ascii_lowercase()]);
        }
        out.put(b"\n");
    }
    out.put(b"\n");
    out.put(input.signed_headers.as_str().as_bytes());
    out.put(b"\n");
    out.put(hashed_payload);
}

/// The string to sign: algorithm, timestamp, the credential scope (written
/// from its pieces), hex SHA-256 of the canonical request.
fn write_string_to_sign(
    timestamp: i64,
    scope: &[&str],
    canonical_hash: &[u8],
    out: &mut impl Sink,
) {
    let mut ts_buf = [0u8; 20];
    out.put(ALGORITHM.as_bytes());
    out.put(b"\n");
    out.put(decimal(timestamp, &mut ts_buf));
    out.put(b"\n");
    for piece in scope {
        out.put(piece.as_bytes());
    }
    out.put(b"\n");
    out.put(canonical_hash);
}

/// The `Authorization` header value, computed without building the canonical
/// request or the string to sign as strings: both are streamed into their
/// hashes. Same result as `sign_with_key(key, input).authorization` (tested),
/// at the cost of the hashes alone; this is what a client calls per request.
pub fn authorization(key: &SigningKey, input: &SigningInput<'_>) -> String {
    let mut payload_hex = [0u8; 64];
    hex_into(&sha256(input.payload), &mut payload_hex);
    let mut canonical = Sha256::new();
    write_canonical_request(input, &payload_hex, &mut canonical);
    let mut canonical_hex = [0u8; 64];
    hex_into(&canonical.finalize().into(), &mut canonical_hex);

    let mut mac = match Hmac::<Sha256>::new_from_slice(&key.key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    let scope = [key.date.as_str(), "/", key.service.as_str(), "/tc3_request"];
    write_string_to_sign(input.timestamp, &scope, &canonical_hex, &mut mac);
    let mut sig_hex = [0u8; 64];
    hex_into(&mac.finalize().into_bytes().into(), &mut sig_hex);

    let signed = input.signed_headers.as_str();
    let mut out = String::with_capacity(
        ALGORITHM.len()
            + 60
            + input.secret_id.len()
            + key.date.len()
            + key.service.len()
            + signed.len()
            + 64,
    );
    out.push_str(ALGORITHM);
    out.push_str(" Credential=");
    out.push_str(input.secret_id);
    out.push('/');
    out.push_str(&key.date);
    out.push('/');
    out.push_str(&key.service);
    out.push_str("/tc3_request, SignedHeaders=");
    out.push_str(signed);
    out.push_str(", Signature=");
    // Hex digits are ASCII.
    out.extend(sig_hex.iter().map(|&b| b as char));
    out
}

/// The decimal digits of `n`, written at the end of `buf`.
fn decimal(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

fn hex_into(bytes: &[u8; 32], out: &mut [u8; 64]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 0x0f) as usize];
    }
}

/// The canonical request: method, path, query, canonical headers, signed headers, body hash.
pub fn canonical_request(input: &SigningInput<'_>, hashed_payload: &str) -> String {
    let mut out = Vec::with_capacity(160 + input.host.len() + input.action.len());
    write_canonical_request(input, hashed_payload.as_bytes(), &mut out);
    // Built from `&str`s and ASCII bytes.
    String::from_utf8_lossy(&out).into_owned()
}

/// `date/service/tc3_request`.
pub fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/tc3_request")
}

/// The string to sign: algorithm, timestamp, scope, hash of the canonical request.
pub fn string_to_sign(timestamp: i64, scope: &str, canonical_request: &str) -> String {
    let mut out = Vec::with_capacity(128 + scope.len());
    let hash = sha256_hex(canonical_request.as_bytes());
    write_string_to_sign(timestamp, &[scope], hash.as_bytes(), &mut out);
    // Built from `&str`s and ASCII bytes.
    String::from_utf8_lossy(&out).into_owned()
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

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&sha256(data))
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

/// `YYYY-MM-DD` in UTC for a Unix timestamp (proleptic Gregorian calendar):
/// the date of the credential scope. The project's one calendar helper.
pub fn utc_date(timestamp: i64) -> String {
    let (y, m, d) = civil_from_days(timestamp.div_euclid(86_400));
    let mut out = String::with_capacity(10);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
    out
}

/// `YYYY-MM-DD hh:mm:ss` in UTC for a Unix timestamp (the form of Tencent
/// Cloud's `datetime` values).
pub fn utc_date_time(timestamp: i64) -> String {
    let secs = timestamp.rem_euclid(86_400);
    let mut out = utc_date(timestamp);
    let _ = write!(
        out,
        " {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
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
    fn streamed_authorization_equals_the_inspectable_one() {
        for signed in [
            SignedHeaders::ContentTypeHost,
            SignedHeaders::ContentTypeHostAction,
        ] {
            let mut input = published();
            input.signed_headers = signed;
            let key = SigningKey::derive(input.secret_key, "2019-02-25", "cvm");
            assert_eq!(authorization(&key, &input), sign(&input).authorization);
        }
        let mut input = published();
        input.timestamp = -1;
        input.payload = b"";
        let key = SigningKey::derive(input.secret_key, &utc_date(-1), "cvm");
        assert_eq!(authorization(&key, &input), sign(&input).authorization);
    }

    #[test]
    fn cached_key_signs_the_same() {
        let input = published();
        let key = SigningKey::derive(input.secret_key, "2019-02-25", "cvm");
        assert_eq!(sign_with_key(&key, &input), sign(&input));
        assert!(!format!("{key:?}").contains("Gu5t9x"));
        let other_day = SigningKey::derive(input.secret_key, "2019-02-26", "cvm");
        assert_ne!(
            sign_with_key(&other_day, &input).signature,
            sign(&input).signature
        );
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
        assert_eq!(utc_date_time(1_735_689_599), "2024-12-31 23:59:59");
        assert_eq!(utc_date_time(-1), "1969-12-31 23:59:59");
        assert_eq!(utc_date_time(1_700_000_000), "2023-11-14 22:13:20");
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
