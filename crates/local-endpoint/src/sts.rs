//! STS, served from its spec like any service, with the behaviour credentials
//! need: `AssumeRole` (signed with accepted credentials) and
//! `AssumeRoleWithWebIdentity` (unsigned, `Authorization: SKIP`; the web
//! identity token must be the one the endpoint was told to accept) issue
//! temporary credentials with an expiry. Every service on the endpoint then
//! accepts them with their token, and refuses them once expired with
//! `AuthFailure.TokenFailure`, the common code for an invalid or expired
//! token.

use serde_json::{json, Map, Value};

use crate::service::{refuse, Refusal};
use crate::{lock, AcceptedKey, State};

/// The actions Tencent documents as callable unsigned (`Authorization: SKIP`).
const UNSIGNED: &[&str] = &["AssumeRoleWithWebIdentity"];

/// What the endpoint knows of STS: the web identity it accepts, and the
/// temporary credentials it has issued.
#[derive(Debug, Default)]
pub(crate) struct StsState {
    /// The OIDC token `AssumeRoleWithWebIdentity` accepts (none: it refuses every token).
    pub(crate) web_identity_token: Option<String>,
    pub(crate) issued: std::sync::Mutex<Vec<Issued>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) key: AcceptedKey,
    pub(crate) expires_at: i64,
    pub(crate) action: String,
}

/// Temporary credentials the endpoint issued: their SecretId, which action
/// issued them and when they expire (Unix seconds, the endpoint's clock).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCredentials {
    /// The TmpSecretId.
    pub secret_id: String,
    /// `AssumeRole` or `AssumeRoleWithWebIdentity`.
    pub action: String,
    /// When they stop being accepted.
    pub expires_at: i64,
}

pub(crate) fn issued(state: &State) -> Vec<IssuedCredentials> {
    lock(&state.sts.issued)
        .iter()
        .map(|i| IssuedCredentials {
            secret_id: i.key.secret_id.clone(),
            action: i.action.clone(),
            expires_at: i.expires_at,
        })
        .collect()
}

/// An issued key by SecretId, with its expiry.
pub(crate) fn issued_key(state: &State, secret_id: &str) -> Option<(AcceptedKey, i64)> {
    lock(&state.sts.issued)
        .iter()
        .find(|i| i.key.secret_id == secret_id)
        .map(|i| (i.key.clone(), i.expires_at))
}

/// An unsigned request: allowed for STS's unsigned actions only; the spec it is for.
pub(crate) fn unsigned<'s>(
    state: &'s State,
    req: &crate::http::Request,
) -> Result<&'s tencentcloud_spec::Spec, Refusal> {
    let action = req.header("x-tc-action").unwrap_or("");
    if !UNSIGNED.contains(&action) {
        return Err(refuse(
            "AuthFailure.InvalidAuthorization",
            format!(
                "`Authorization: SKIP` is accepted only for {}; `{action}` must be signed.",
                UNSIGNED.join(", ")
            ),
        ));
    }
    state
        .specs
        .iter()
        .find(|s| s.service.name == "sts")
        .ok_or_else(|| refuse("InvalidAction", "This endpoint does not serve sts."))
}

fn random(alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| char::from(alphabet[fastrand::usize(0..alphabet.len())]))
        .collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `2026-12-07T18:00:00Z` for Unix seconds.
fn iso8601(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The behaviour of STS's credential actions; `None` for the others (answered
/// from their documented examples).
pub(crate) fn run(
    state: &State,
    spec: &tencentcloud_spec::Spec,
    name: &str,
    body: &Value,
) -> Option<Result<Map<String, Value>, Refusal>> {
    if spec.service.name != "sts" {
        return None;
    }
    match name {
        "AssumeRole" => Some(issue(state, name, body)),
        "AssumeRoleWithWebIdentity" => Some(web_identity(state, body)),
        _ => None,
    }
}

fn web_identity(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let given = body
        .get("WebIdentityToken")
        .and_then(Value::as_str)
        .unwrap_or("");
    match &state.sts.web_identity_token {
        Some(expected)
            if crate::service::constant_time_eq(expected.as_bytes(), given.as_bytes()) =>
        {
            issue(state, "AssumeRoleWithWebIdentity", body)
        }
        _ => Err(refuse(
            "InvalidParameter.WebIdentityTokenError",
            "The WebIdentityToken is not valid for this identity provider.",
        )),
    }
}

fn issue(state: &State, action: &str, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let duration = body
        .get("DurationSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(7200);
    if !(1..=43_200).contains(&duration) {
        return Err(refuse(
            "InvalidParameter.OverTimeError",
            format!("DurationSeconds {duration} is outside 1..=43200."),
        ));
    }
    let expires_at = state.now() + duration;
    let key = AcceptedKey {
        secret_id: format!("AKID{}", random(ALNUM, 32)),
        secret_key: random(ALNUM, 32),
        token: Some(random(ALNUM, 64)),
    };
    let out = json!({
        "Credentials": {
            "Token": key.token.clone().unwrap_or_default(),
            "TmpSecretId": key.secret_id,
            "TmpSecretKey": key.secret_key,
        },
        "ExpiredTime": expires_at,
        "Expiration": iso8601(expires_at),
    });
    lock(&state.sts.issued).push(Issued {
        key,
        expires_at,
        action: action.to_owned(),
    });
    match out {
        Value::Object(m) => Ok(m),
        _ => Err(refuse("InternalError", "unreachable")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_dates() {
        assert_eq!(super::iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
