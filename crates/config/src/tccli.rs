//! tccli's profiles (`~/.tccli/<profile>.credential`), of every type tccli
//! writes: static keys (no `type`, or `default`), `cvm-role`, `oauth` (from
//! `tccli auth login`, refreshed as tccli does) and `sso` (from
//! `tccli sso login`); with `role-arn` and `role-session-name`, the keys
//! assume that role through STS, as tccli does.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use tencentcloud_runtime::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture,
};
use tencentcloud_runtime::Endpoint;

use crate::cache::{SharedTimeSource, SystemTimeSource};
use crate::cvm::CvmRoleProvider;
use crate::sts::AssumeRoleProvider;

/// The provider name of [`TccliProfileProvider`].
pub const TCCLI: &str = "tccli profile";
/// Selects tccli's profile (default `default`), as tccli reads it.
pub const ENV_TCCLI_PROFILE: &str = "TCCLI_PROFILE";
/// This project's override of the service tccli's `oauth` logins are
/// refreshed with (`https://cli.cloud.tencent.com`, as in tccli's
/// `tccli/oauth.py`): for tests against a local stand-in.
pub const ENV_TCCLI_OAUTH_URL: &str = "TENCENTCLOUD_TCCLI_OAUTH_URL";
/// Where tccli refreshes `oauth` logins (`tccli/oauth.py`, `_API_ENDPOINT`).
pub const DEFAULT_OAUTH_URL: &str = "https://cli.cloud.tencent.com";
/// tccli refreshes a login this long before it expires
/// (`_CRED_REFRESH_SAFE_DUR`, and `_ACCESS_REFRESH_SAFE_DUR` for the access token).
pub const REFRESH_SAFE: Duration = Duration::from_secs(300);

/// Reads a tccli profile. Each call reads the file again (wrap the provider in
/// an [`IdentityCache`](crate::IdentityCache), as the default chain does, so
/// an `oauth` login is re-read and refreshed only when due).
///
/// | `type` in the file | what happens |
/// |---|---|
/// | none, or `default` | `secretId`, `secretKey`, optional `token` |
/// | with `role-arn` and `role-session-name` | those keys sign STS `AssumeRole` for that role (STS host from `.configure`'s `sts.endpoint`, as tccli) |
/// | `cvm-role` | the CVM instance role |
/// | `oauth` | `secretId`/`secretKey`/`token` until 5 minutes before `expiresAt`; then refreshed as tccli does (`/refresh_user_token` when the access token is due too, then `/get_temp_cred`) and written back; if that fails, an error naming the profile and `tccli auth login` |
/// | `sso` | the keys until `expiresAt`; then an error naming the profile and `tccli sso login` (its refresh needs tccli's SAML flow) |
#[derive(Clone)]
pub struct TccliProfileProvider {
    inner: Arc<Inner>,
}

struct Inner {
    profile: String,
    dir: Option<PathBuf>,
    oauth_url: String,
    clock: SharedTimeSource,
    http: OnceLock<reqwest::Client>,
}

impl fmt::Debug for TccliProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TccliProfileProvider")
            .field("profile", &self.inner.profile)
            .field("dir", &self.inner.dir)
            .finish_non_exhaustive()
    }
}

/// Configures a [`TccliProfileProvider`].
#[derive(Debug, Default)]
pub struct TccliProfileProviderBuilder {
    profile: Option<String>,
    dir: Option<PathBuf>,
    oauth_url: Option<String>,
    clock: Option<SharedTimeSource>,
}

impl TccliProfileProviderBuilder {
    /// The profile (default `TCCLI_PROFILE`, else `default`).
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// tccli's directory (default `~/.tccli`).
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = Some(dir.into());
        self
    }

    /// Where `oauth` logins are refreshed (default `TENCENTCLOUD_TCCLI_OAUTH_URL`,
    /// else [`DEFAULT_OAUTH_URL`]).
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_url = Some(url.into());
        self
    }

    /// The clock that decides whether a login has expired.
    pub fn time_source(mut self, clock: SharedTimeSource) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Builds the provider.
    pub fn build(self) -> TccliProfileProvider {
        let profile = self
            .profile
            .or_else(|| {
                std::env::var(ENV_TCCLI_PROFILE)
                    .ok()
                    .filter(|p| !p.is_empty())
            })
            .unwrap_or_else(|| "default".to_owned());
        let oauth_url = self
            .oauth_url
            .or_else(|| {
                std::env::var(ENV_TCCLI_OAUTH_URL)
                    .ok()
                    .filter(|u| !u.is_empty())
            })
            .unwrap_or_else(|| DEFAULT_OAUTH_URL.to_owned());
        TccliProfileProvider {
            inner: Arc::new(Inner {
                profile,
                dir: self.dir,
                oauth_url: oauth_url.trim_end_matches('/').to_owned(),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemTimeSource)),
                http: OnceLock::new(),
            }),
        }
    }
}

fn tccli_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| Path::new(&h).join(".tccli"))
}

fn unix(at: SystemTime) -> f64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn trace_id() -> String {
    let a = fastrand::u64(..);
    let b = fastrand::u64(..);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

impl TccliProfileProvider {
    /// The default profile (`TCCLI_PROFILE`, else `default`) in `~/.tccli`.
    pub fn new() -> Self {
        TccliProfileProvider::builder().build()
    }

    /// Configures a provider.
    pub fn builder() -> TccliProfileProviderBuilder {
        TccliProfileProviderBuilder::default()
    }

    /// The profile's name.
    pub fn profile(&self) -> &str {
        &self.inner.profile
    }

    fn path(&self, ext: &str) -> Option<PathBuf> {
        let dir = self.inner.dir.clone().or_else(tccli_dir)?;
        Some(dir.join(format!("{}.{ext}", self.inner.profile)))
    }

    fn where_(&self, path: &Path) -> String {
        format!("profile `{}` ({})", self.inner.profile, path.display())
    }

    fn invalid(&self, path: &Path, reason: impl fmt::Display) -> CredentialsError {
        CredentialsError::Invalid {
            provider: TCCLI,
            reason: format!("{}: {reason}", self.where_(path)),
        }
    }

    fn read_json(&self, path: &Path) -> Result<Option<Map<String, Value>>, CredentialsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(CredentialsError::ProviderFailed {
                    provider: TCCLI,
                    reason: format!("{}: cannot read: {e}", self.where_(path)),
                })
            }
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(m)) => Ok(Some(m)),
            Ok(_) => Err(self.invalid(path, "not a JSON object")),
            Err(e) => Err(self.invalid(path, format!("not JSON: {e}"))),
        }
    }

    /// Reads (and, for a due `oauth` login, refreshes) the profile now.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(path) = self.path("credential") else {
            return Err(CredentialsError::NotConfigured {
                provider: TCCLI,
                reason: "HOME is not set, so there is no ~/.tccli".to_owned(),
            });
        };
        let Some(cred) = self.read_json(&path)? else {
            return Err(CredentialsError::NotConfigured {
                provider: TCCLI,
                reason: format!("{} does not exist", path.display()),
            });
        };
        let kind = match cred.get("type") {
            None => "default".to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                return Err(self.invalid(&path, format!("`type` is {other}, expected a string")))
            }
        };
        match kind.as_str() {
            "default" | "" => self.static_keys(&path, &cred).await,
            "cvm-role" => CvmRoleProvider::new().fetch().await,
            "oauth" => self.oauth(&path, cred).await,
            "sso" => {
                let c = self.keys(&path, &cred, true)?;
                let now = self.inner.clock.now();
                match c.expires_at() {
                    Some(at) if at > now => Ok(c),
                    _ => Err(CredentialsError::ProviderFailed {
                        provider: TCCLI,
                        reason: format!(
                            "{}: the sso login has expired; run `tccli sso login --profile {}`",
                            self.where_(&path),
                            self.inner.profile
                        ),
                    }),
                }
            }
            other => Err(self.invalid(
                &path,
                format!(
                    "unknown credential `type` {other:?} (tccli writes default, cvm-role, oauth or sso)"
                ),
            )),
        }
    }

    fn string(
        &self,
        path: &Path,
        m: &Map<String, Value>,
        key: &str,
    ) -> Result<Option<String>, CredentialsError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.invalid(path, format!("`{key}` is not a string"))),
        }
    }

    fn keys(
        &self,
        path: &Path,
        m: &Map<String, Value>,
        expiring: bool,
    ) -> Result<Credentials, CredentialsError> {
        let id = self.string(path, m, "secretId")?;
        let key = self.string(path, m, "secretKey")?;
        let (Some(id), Some(key)) = (id, key) else {
            return Err(self.invalid(path, "needs both `secretId` and `secretKey`"));
        };
        let mut c = Credentials::new(id, key).with_provider(TCCLI);
        if let Some(t) = self.string(path, m, "token")? {
            c = c.with_token(t);
        }
        if expiring {
            let at = m
                .get("expiresAt")
                .and_then(Value::as_f64)
                .ok_or_else(|| self.invalid(path, "`expiresAt` is missing or not a number"))?;
            c = c.with_expiry(UNIX_EPOCH + Duration::from_secs_f64(at.max(0.0)));
        }
        c.validate().map_err(|e| match e {
            CredentialsError::Invalid { reason, .. } => self.invalid(path, reason),
            other => other,
        })?;
        Ok(c)
    }

    async fn static_keys(
        &self,
        path: &Path,
        m: &Map<String, Value>,
    ) -> Result<Credentials, CredentialsError> {
        let keys = self.keys(path, m, false)?;
        let role = self.string(path, m, "role-arn")?;
        let session = self.string(path, m, "role-session-name")?;
        match (role, session) {
            (None, None) => Ok(keys),
            (Some(role), Some(session)) => {
                // tccli reads STS's host from the .configure file's `sts.endpoint`.
                let mut b = AssumeRoleProvider::builder(role, session).source(keys);
                if let Some(conf) = self.path("configure") {
                    if let Some(host) = self
                        .read_json(&conf)?
                        .as_ref()
                        .and_then(|c| c.get("sts"))
                        .and_then(|s| s.get("endpoint"))
                        .and_then(Value::as_str)
                        .filter(|h| !h.is_empty())
                    {
                        let e = Endpoint::parse(host)
                            .map_err(|e| self.invalid(&conf, format!("sts.endpoint: {e}")))?;
                        b = b.endpoint(e);
                    }
                }
                let provider = b.build()?;
                provider.assume_role().await.map_err(CredentialsError::from)
            }
            (Some(_), None) => {
                Err(self.invalid(path, "`role-arn` is set but `role-session-name` is not"))
            }
            (None, Some(_)) => {
                Err(self.invalid(path, "`role-session-name` is set but `role-arn` is not"))
            }
        }
    }

    async fn oauth(
        &self,
        path: &Path,
        mut cred: Map<String, Value>,
    ) -> Result<Credentials, CredentialsError> {
        let now = self.inner.clock.now();
        let current = self.keys(path, &cred, true);
        if let Ok(c) = &current {
            if c.expires_at().is_some_and(|at| at > now + REFRESH_SAFE) {
                return Ok(c.clone());
            }
        }
        match self.refresh_oauth(path, &mut cred, now).await {
            Ok(c) => Ok(c),
            Err(reason) => match current {
                // Still valid (inside tccli's 5 minutes): keep it, as tccli does.
                Ok(c) if c.expires_at().is_some_and(|at| at > now) => {
                    tracing::warn!(profile = %self.inner.profile, %reason, "refreshing the tccli oauth login failed; its credentials are still valid");
                    Ok(c)
                }
                _ => Err(CredentialsError::ProviderFailed {
                    provider: TCCLI,
                    reason: format!(
                        "{}: the oauth login has expired and could not be refreshed ({reason}); run `tccli auth login --profile {}`",
                        self.where_(path),
                        self.inner.profile
                    ),
                }),
            },
        }
    }

    async fn post(&self, what: &str, body: Value) -> Result<Map<String, Value>, String> {
        let http = self.inner.http.get_or_init(|| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default()
        });
        let url = format!("{}/{what}", self.inner.oauth_url);
        let resp = http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("{what}: {e}"))?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(|e| format!("{what}: {e}"))?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|_| format!("{what}: HTTP {status}, not a JSON answer"))?;
        let Value::Object(m) = value else {
            return Err(format!("{what}: HTTP {status}, not a JSON object"));
        };
        if let Some(err) = m.get("Error") {
            let code = err
                .get("Code")
                .and_then(Value::as_str)
                .unwrap_or("(no code)");
            let message = err.get("Message").and_then(Value::as_str).unwrap_or("");
            return Err(format!("{what} answered {code}: {message}"));
        }
        Ok(m)
    }

    async fn refresh_oauth(
        &self,
        path: &Path,
        cred: &mut Map<String, Value>,
        now: SystemTime,
    ) -> Result<Credentials, String> {
        let field = |m: &Map<String, Value>, k: &str| -> Result<Value, String> {
            m.get(k)
                .cloned()
                .ok_or_else(|| format!("the file's `oauth.{k}` is missing"))
        };
        let mut oauth = match cred.get("oauth") {
            Some(Value::Object(o)) => o.clone(),
            _ => return Err("the file has no `oauth` section".to_owned()),
        };
        let site = field(&oauth, "site")?;
        let access_expires = oauth
            .get("expiresAt")
            .and_then(Value::as_f64)
            .ok_or("the file's `oauth.expiresAt` is missing or not a number")?;
        if access_expires - unix(now) < REFRESH_SAFE.as_secs_f64() {
            let fresh = self
                .post(
                    "refresh_user_token",
                    serde_json::json!({
                        "TraceId": trace_id(),
                        "RefreshToken": field(&oauth, "refreshToken")?,
                        "OpenId": field(&oauth, "openId")?,
                        "Site": site,
                    }),
                )
                .await?;
            oauth.insert("accessToken".into(), field(&fresh, "AccessToken")?);
            oauth.insert("expiresAt".into(), field(&fresh, "ExpiresAt")?);
        }
        let temp = self
            .post(
                "get_temp_cred",
                serde_json::json!({
                    "TraceId": trace_id(),
                    "AccessToken": field(&oauth, "accessToken")?,
                    "Site": site,
                }),
            )
            .await?;
        cred.insert("type".into(), Value::from("oauth"));
        cred.insert("secretId".into(), field(&temp, "SecretId")?);
        cred.insert("secretKey".into(), field(&temp, "SecretKey")?);
        cred.insert("token".into(), field(&temp, "Token")?);
        cred.insert("expiresAt".into(), field(&temp, "ExpiresAt")?);
        cred.insert("oauth".into(), Value::Object(oauth));
        let c = self.keys(path, cred, true).map_err(|e| e.to_string())?;
        write_private(
            path,
            &serde_json::to_string_pretty(&Value::Object(cred.clone())).unwrap_or_default(),
        )
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(c)
    }
}

/// Writes through a temporary file, readable by the owner only (as tccli).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("credential.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    {
        use std::io::Write;
        let mut f = opts.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

impl Default for TccliProfileProvider {
    fn default() -> Self {
        TccliProfileProvider::new()
    }
}

impl ProvideCredentials for TccliProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trace_ids_look_like_uuid4() {
        let t = super::trace_id();
        assert_eq!(t.len(), 36, "{t}");
        assert_eq!(&t[14..15], "4");
        assert!(matches!(&t[19..20], "8" | "9" | "a" | "b"), "{t}");
    }
}
