//! Credentials and where they come from.
//!
//! A [`Credentials`] value holds a SecretId, a SecretKey and, for temporary
//! credentials, a session token (sent as `X-TC-Token`). The key and token are
//! [`Secret`]s: no `Debug`, `Display`, error or log line ever shows them.
//!
//! Providers ([`ProvideCredentials`]) produce credentials when a call needs them:
//! [`Credentials`] itself (static), [`EnvironmentProvider`], [`ProfileProvider`],
//! [`CvmRoleProvider`] and the [`DefaultChain`] that tries them in that order.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A string that never shows itself in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Call this only where the value is used, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"** redacted **\"")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// A SecretId/SecretKey pair, with a session token for temporary credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: Secret,
    token: Option<Secret>,
    expires_at: Option<SystemTime>,
    provider: &'static str,
}

impl Credentials {
    /// Long-term credentials.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        Credentials {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            expires_at: None,
            provider: "static",
        }
    }

    /// Adds a session token (temporary credentials); it is sent as `X-TC-Token`.
    pub fn with_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Sets when temporary credentials stop working.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    pub(crate) fn with_provider(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }

    /// The SecretId (not secret: it names the key and travels in clear).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey.
    pub fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// The session token of temporary credentials.
    pub fn token(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// When temporary credentials expire.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Which provider produced these credentials.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// Checks the credentials are usable: non-empty, no surrounding whitespace.
    ///
    /// Whitespace around a key is a frequent cause of `AuthFailure.SignatureFailure`
    /// with the official SDKs (a key pasted with a trailing newline); here it is
    /// refused before anything is sent. The error never contains the value.
    pub fn validate(&self) -> Result<(), CredentialsError> {
        check_value(self.provider, "secret_id", &self.secret_id)?;
        check_value(self.provider, "secret_key", self.secret_key.expose())?;
        if let Some(token) = &self.token {
            check_value(self.provider, "token", token.expose())?;
        }
        Ok(())
    }
}

fn check_value(provider: &'static str, field: &str, value: &str) -> Result<(), CredentialsError> {
    if value.is_empty() {
        return Err(CredentialsError::Invalid {
            provider,
            reason: format!("{field} is empty"),
        });
    }
    if value.trim() != value {
        return Err(CredentialsError::Invalid {
            provider,
            reason: format!(
                "{field} has leading or trailing whitespace (a pasted newline or space?); \
                 remove it, the service would answer AuthFailure.SignatureFailure"
            ),
        });
    }
    Ok(())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &self.secret_key)
            .field("token", &self.token)
            .field("expires_at", &self.expires_at)
            .field("provider", &self.provider)
            .finish()
    }
}

/// Why no credentials could be had. Never contains a secret value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The source has nothing configured (variable unset, file missing, not on CVM).
    NotConfigured {
        /// The provider, e.g. `environment`.
        provider: &'static str,
        /// What is missing.
        reason: String,
    },
    /// The source has credentials but they are unusable.
    Invalid {
        /// The provider.
        provider: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The source failed (unreachable metadata service, unreadable file).
    ProviderFailed {
        /// The provider.
        provider: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// Every source of a chain failed; each one's reason, in order.
    NoneFound {
        /// What each provider said.
        tried: Vec<CredentialsError>,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotConfigured { provider, reason } => {
                write!(f, "no credentials from {provider}: {reason}")
            }
            CredentialsError::Invalid { provider, reason } => {
                write!(f, "invalid credentials from {provider}: {reason}")
            }
            CredentialsError::ProviderFailed { provider, reason } => {
                write!(f, "credentials provider {provider} failed: {reason}")
            }
            CredentialsError::NoneFound { tried } => {
                f.write_str("no credentials found; tried ")?;
                for (i, e) in tried.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; then ")?;
                    }
                    match e {
                        CredentialsError::NotConfigured { provider, reason }
                        | CredentialsError::Invalid { provider, reason }
                        | CredentialsError::ProviderFailed { provider, reason } => {
                            write!(f, "{provider} ({reason})")?
                        }
                        other => write!(f, "({other})")?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CredentialsError {}

/// The future a provider returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked before every call (providers cache as they see fit).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Produces credentials, or says why it cannot.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// A shareable provider.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

/// The SecretId variable.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The SecretKey variable.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The session token variable (temporary credentials).
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Overrides the profile file path.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// Selects the profile (default `default`).
pub const ENV_PROFILE: &str = "TENCENTCLOUD_PROFILE";
/// Names the CVM role (otherwise it is asked from the metadata service).
pub const ENV_ROLE_NAME: &str = "TENCENTCLOUD_ROLE_NAME";
/// Overrides the metadata service base URL (tests, proxies).
pub const ENV_METADATA_URL: &str = "TENCENTCLOUD_METADATA_URL";

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and optionally
/// `TENCENTCLOUD_SESSION_TOKEN` when asked.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    _private: (),
}

impl EnvironmentProvider {
    /// A provider reading the process environment.
    pub fn new() -> Self {
        EnvironmentProvider::default()
    }

    /// Reads the variables now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        const NAME: &str = "environment";
        let id = std::env::var(ENV_SECRET_ID).ok();
        let key = std::env::var(ENV_SECRET_KEY).ok();
        let (id, key) = match (id, key) {
            (Some(id), Some(key)) => (id, key),
            (None, None) => {
                return Err(CredentialsError::NotConfigured {
                    provider: NAME,
                    reason: format!("{ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
                })
            }
            (None, Some(_)) => {
                return Err(CredentialsError::Invalid {
                    provider: NAME,
                    reason: format!("{ENV_SECRET_KEY} is set but {ENV_SECRET_ID} is not"),
                })
            }
            (Some(_), None) => {
                return Err(CredentialsError::Invalid {
                    provider: NAME,
                    reason: format!("{ENV_SECRET_ID} is set but {ENV_SECRET_KEY} is not"),
                })
            }
        };
        let mut creds = Credentials::new(id, key).with_provider(NAME);
        if let Ok(token) = std::env::var(ENV_SESSION_TOKEN) {
            if !token.is_empty() {
                creds = creds.with_token(token);
            }
        }
        creds.validate()?;
        Ok(creds)
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// Reads an INI profile file: `TENCENTCLOUD_CREDENTIALS_FILE`, else
/// `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`.
///
/// ```ini
/// [default]
/// secret_id = AKID...
/// secret_key = ...
///
/// [staging]
/// secret_id = AKID...
/// secret_key = ...
/// token = ...        ; optional, for temporary credentials
/// ```
#[derive(Clone, Debug, Default)]
pub struct ProfileProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
}

impl ProfileProvider {
    /// The standard search path and the profile from `TENCENTCLOUD_PROFILE` (else `default`).
    pub fn new() -> Self {
        ProfileProvider::default()
    }

    /// Reads this file instead of searching.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile (section) instead of `TENCENTCLOUD_PROFILE`/`default`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    fn candidates(&self) -> Vec<PathBuf> {
        if let Some(p) = &self.path {
            return vec![p.clone()];
        }
        if let Ok(p) = std::env::var(ENV_CREDENTIALS_FILE) {
            if !p.is_empty() {
                return vec![PathBuf::from(p)];
            }
        }
        let mut out = Vec::new();
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            out.push(Path::new(&home).join(".tencentcloud").join("credentials"));
        }
        out.push(PathBuf::from("/etc/tencentcloud/credentials"));
        out
    }

    /// Reads the file now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        const NAME: &str = "profile file";
        let profile = self
            .profile
            .clone()
            .or_else(|| std::env::var(ENV_PROFILE).ok().filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".to_owned());
        let candidates = self.candidates();
        for path in &candidates {
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    return Err(CredentialsError::ProviderFailed {
                        provider: NAME,
                        reason: format!("cannot read {}: {e}", path.display()),
                    })
                }
            };
            let section =
                parse_ini_section(&text, &profile).map_err(|reason| CredentialsError::Invalid {
                    provider: NAME,
                    reason: format!("{}: {reason}", path.display()),
                })?;
            let Some(section) = section else {
                return Err(CredentialsError::NotConfigured {
                    provider: NAME,
                    reason: format!("{} has no [{profile}] profile", path.display()),
                });
            };
            let get = |k: &str| {
                section
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            };
            let (Some(id), Some(key)) = (get("secret_id"), get("secret_key")) else {
                return Err(CredentialsError::Invalid {
                    provider: NAME,
                    reason: format!(
                        "{} [{profile}] needs both secret_id and secret_key",
                        path.display()
                    ),
                });
            };
            let mut creds = Credentials::new(id, key).with_provider(NAME);
            if let Some(token) = get("token").filter(|t| !t.is_empty()) {
                creds = creds.with_token(token);
            }
            creds.validate()?;
            return Ok(creds);
        }
        Err(CredentialsError::NotConfigured {
            provider: NAME,
            reason: format!(
                "none of {} exists",
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// The key/value pairs of `[section]` in an INI text, in order; `None` if absent.
///
/// Comments start with `;` or `#`; keys and section names are matched exactly;
/// values are taken verbatim between `=` and the end of line, so surrounding
/// whitespace inside quotes-free values is kept and later rejected by validation
/// only when it is part of the value (spaces around `=` are layout, not value).
fn parse_ini_section(text: &str, section: &str) -> Result<Option<Vec<(String, String)>>, String> {
    let mut current: Option<String> = None;
    let mut found: Option<Vec<(String, String)>> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with(';') || trimmed.starts_with('#') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some(name) = rest.trim_end().strip_suffix(']') else {
                return Err(format!("line {}: unterminated section header", n + 1));
            };
            let name = name.trim().to_owned();
            if name == section && found.is_none() {
                found = Some(Vec::new());
            }
            current = Some(name);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("line {}: expected `key = value`", n + 1));
        };
        if current.as_deref() == Some(section) {
            if let Some(entries) = found.as_mut() {
                // One space of layout on each side of `=` is conventional; strip only that,
                // so a value with real trailing whitespace is still caught by validation.
                let value = value.strip_prefix(' ').unwrap_or(value);
                let value = value.strip_suffix(' ').unwrap_or(value);
                entries.push((key.trim().to_owned(), value.to_owned()));
            }
        }
    }
    Ok(found)
}

/// The CVM metadata service's default base URL.
pub const DEFAULT_METADATA_URL: &str = "http://metadata.tencentyun.com";

#[derive(serde::Deserialize)]
struct RoleCredentials {
    #[serde(rename = "TmpSecretId")]
    tmp_secret_id: String,
    #[serde(rename = "TmpSecretKey")]
    tmp_secret_key: String,
    #[serde(rename = "Token")]
    token: String,
    #[serde(rename = "ExpiredTime")]
    expired_time: i64,
    #[serde(rename = "Code", default)]
    code: Option<String>,
}

/// Temporary credentials of the CAM role bound to a CVM instance, from the
/// metadata service (`/latest/meta-data/cam/security-credentials/<role>`).
///
/// Credentials are cached and refreshed `refresh_before` ahead of their expiry
/// (default 5 minutes). However many calls wait, only one refresh runs at a time;
/// the others get its result.
#[derive(Debug, Clone)]
pub struct CvmRoleProvider {
    inner: Arc<CvmInner>,
}

#[derive(Debug)]
struct CvmInner {
    base_url: String,
    role: Option<String>,
    refresh_before: Duration,
    timeout: Duration,
    cache: tokio::sync::Mutex<Option<Credentials>>,
    http: std::sync::OnceLock<reqwest::Client>,
    fetches: AtomicU64,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        CvmRoleProvider::builder().build()
    }
}

/// Configures a [`CvmRoleProvider`].
#[derive(Debug, Clone, Default)]
pub struct CvmRoleProviderBuilder {
    base_url: Option<String>,
    role: Option<String>,
    refresh_before: Option<Duration>,
    timeout: Option<Duration>,
}

impl CvmRoleProviderBuilder {
    /// The metadata service base URL (default `TENCENTCLOUD_METADATA_URL`, else
    /// `http://metadata.tencentyun.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The role name (default `TENCENTCLOUD_ROLE_NAME`, else asked from the service).
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// How long before expiry to refresh (default 5 minutes).
    pub fn refresh_before(mut self, d: Duration) -> Self {
        self.refresh_before = Some(d);
        self
    }

    /// Timeout of each metadata request (default 2 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Builds the provider.
    pub fn build(self) -> CvmRoleProvider {
        let base_url = self
            .base_url
            .or_else(|| {
                std::env::var(ENV_METADATA_URL)
                    .ok()
                    .filter(|u| !u.is_empty())
            })
            .unwrap_or_else(|| DEFAULT_METADATA_URL.to_owned());
        let role = self
            .role
            .or_else(|| std::env::var(ENV_ROLE_NAME).ok().filter(|r| !r.is_empty()));
        CvmRoleProvider {
            inner: Arc::new(CvmInner {
                base_url: base_url.trim_end_matches('/').to_owned(),
                role,
                refresh_before: self.refresh_before.unwrap_or(Duration::from_secs(300)),
                timeout: self.timeout.unwrap_or(Duration::from_secs(2)),
                cache: tokio::sync::Mutex::new(None),
                http: std::sync::OnceLock::new(),
                fetches: AtomicU64::new(0),
            }),
        }
    }
}

impl CvmRoleProvider {
    /// A provider with default settings (see [`CvmRoleProviderBuilder`]).
    pub fn new() -> Self {
        CvmRoleProvider::default()
    }

    /// Configures a provider.
    pub fn builder() -> CvmRoleProviderBuilder {
        CvmRoleProviderBuilder::default()
    }

    /// How many times credentials were fetched from the metadata service.
    pub fn fetch_count(&self) -> u64 {
        self.inner.fetches.load(Ordering::Relaxed)
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut cache = self.inner.cache.lock().await;
        if let Some(creds) = cache.as_ref() {
            let fresh = creds
                .expires_at
                .map(|at| at > SystemTime::now() + self.inner.refresh_before)
                .unwrap_or(true);
            if fresh {
                return Ok(creds.clone());
            }
        }
        let creds = self.fetch().await?;
        *cache = Some(creds.clone());
        Ok(creds)
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        const NAME: &str = "CVM role";
        let inner = &self.inner;
        let http = inner.http.get_or_init(|| {
            reqwest::Client::builder()
                .connect_timeout(inner.timeout)
                .timeout(inner.timeout)
                .no_proxy()
                .build()
                .unwrap_or_default()
        });
        let failed = |reason: String| CredentialsError::ProviderFailed {
            provider: NAME,
            reason,
        };
        // Unreachable means "not on CVM" (the chain moves on); other failures are errors.
        let transport = |e: reqwest::Error| {
            if e.is_connect() || e.is_timeout() {
                CredentialsError::NotConfigured {
                    provider: NAME,
                    reason: format!(
                        "metadata service {} unreachable (not on CVM?): {}",
                        inner.base_url,
                        crate::error::error_chain(&e)
                    ),
                }
            } else {
                failed(crate::error::error_chain(&e))
            }
        };
        let root = format!(
            "{}/latest/meta-data/cam/security-credentials/",
            inner.base_url
        );
        let role = match &inner.role {
            Some(r) => r.clone(),
            None => {
                let resp = http.get(&root).send().await.map_err(transport)?;
                if resp.status().as_u16() == 404 {
                    return Err(CredentialsError::NotConfigured {
                        provider: NAME,
                        reason: "no CAM role is bound to this instance".to_owned(),
                    });
                }
                if !resp.status().is_success() {
                    return Err(failed(format!(
                        "role lookup answered HTTP {}",
                        resp.status().as_u16()
                    )));
                }
                let text = resp.text().await.map_err(|e| failed(e.to_string()))?;
                match text.lines().map(str::trim).find(|l| !l.is_empty()) {
                    Some(r) => r.to_owned(),
                    None => {
                        return Err(CredentialsError::NotConfigured {
                            provider: NAME,
                            reason: "no CAM role is bound to this instance".to_owned(),
                        })
                    }
                }
            }
        };
        inner.fetches.fetch_add(1, Ordering::Relaxed);
        let url = format!("{root}{role}");
        let resp = http.get(&url).send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(|e| failed(e.to_string()))?;
        if status != 200 {
            return Err(failed(format!("role `{role}` answered HTTP {status}")));
        }
        let parsed: RoleCredentials = serde_json::from_slice(&body).map_err(|e| {
            failed(format!(
                "role `{role}` answered a body that is not role credentials: {e}"
            ))
        })?;
        if let Some(code) = parsed.code.as_deref() {
            if code != "Success" {
                return Err(failed(format!("role `{role}` answered Code {code:?}")));
            }
        }
        let expires = UNIX_EPOCH + Duration::from_secs(parsed.expired_time.max(0) as u64);
        let creds = Credentials::new(parsed.tmp_secret_id, parsed.tmp_secret_key)
            .with_token(parsed.token)
            .with_expiry(expires)
            .with_provider(NAME);
        creds.validate()?;
        Ok(creds)
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// Environment, then profile file, then CVM role: the first that has credentials wins.
///
/// A source that is *configured but broken* (a key with whitespace, a profile
/// without `secret_key`) stops the chain with its error rather than silently
/// falling through to the next source. When no source has anything, the error
/// lists every source tried and why each failed.
#[derive(Debug, Clone)]
pub struct DefaultChain {
    env: EnvironmentProvider,
    profile: ProfileProvider,
    cvm: CvmRoleProvider,
}

impl Default for DefaultChain {
    fn default() -> Self {
        DefaultChain {
            env: EnvironmentProvider::new(),
            profile: ProfileProvider::new(),
            cvm: CvmRoleProvider::builder()
                .timeout(Duration::from_secs(1))
                .build(),
        }
    }
}

impl DefaultChain {
    /// The standard chain.
    pub fn new() -> Self {
        DefaultChain::default()
    }

    /// Replaces the profile provider (another file or profile).
    pub fn with_profile(mut self, profile: ProfileProvider) -> Self {
        self.profile = profile;
        self
    }

    /// Replaces the CVM role provider (another metadata URL or role).
    pub fn with_cvm_role(mut self, cvm: CvmRoleProvider) -> Self {
        self.cvm = cvm;
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        match self.env.load() {
            Ok(c) => return Ok(c),
            Err(e @ CredentialsError::NotConfigured { .. }) => tried.push(e),
            Err(e) => return Err(e),
        }
        match self.profile.load() {
            Ok(c) => return Ok(c),
            Err(e @ CredentialsError::NotConfigured { .. }) => tried.push(e),
            Err(e) => return Err(e),
        }
        match self.cvm.credentials().await {
            Ok(c) => return Ok(c),
            Err(e) => tried.push(e),
        }
        Err(CredentialsError::NoneFound { tried })
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_key_or_token() {
        let c = Credentials::new("AKIDexample", "very-secret-key").with_token("very-secret-token");
        let text = format!("{c:?}");
        assert!(text.contains("AKIDexample"));
        assert!(!text.contains("very-secret-key"));
        assert!(!text.contains("very-secret-token"));
        assert!(text.contains("redacted"));
    }

    #[test]
    fn whitespace_is_rejected_without_echoing_the_value() {
        for bad in [" key", "key\n", "key ", "\tkey"] {
            let e = Credentials::new("AKID", bad).validate().unwrap_err();
            let text = e.to_string();
            assert!(text.contains("secret_key"), "{text}");
            assert!(text.contains("whitespace"), "{text}");
            assert!(!text.contains("key\n") && !text.contains(" key"), "{text}");
        }
        let e = Credentials::new(" AKID", "k").validate().unwrap_err();
        assert!(e.to_string().contains("secret_id"));
        let e = Credentials::new("AKID", "k")
            .with_token("t\n")
            .validate()
            .unwrap_err();
        assert!(e.to_string().contains("token"));
        assert!(Credentials::new("AKID", "").validate().is_err());
        assert!(Credentials::new("AKID", "k").validate().is_ok());
    }

    #[test]
    fn ini_sections() {
        let text = "; comment\n[default]\nsecret_id = A\nsecret_key = B\n\n[other]\n# c\nsecret_id=C\nsecret_key=D\ntoken = T\n";
        let d = parse_ini_section(text, "default").unwrap().unwrap();
        assert_eq!(
            d,
            vec![
                ("secret_id".into(), "A".into()),
                ("secret_key".into(), "B".into())
            ]
        );
        let o = parse_ini_section(text, "other").unwrap().unwrap();
        assert_eq!(o[2], ("token".into(), "T".into()));
        assert!(parse_ini_section(text, "missing").unwrap().is_none());
        assert!(parse_ini_section("[broken\n", "x").is_err());
        assert!(parse_ini_section("[a]\nnot a pair\n", "a").is_err());
    }

    #[test]
    fn ini_value_with_real_trailing_whitespace_is_caught() {
        let d = parse_ini_section("[default]\nsecret_key = B  \n", "default")
            .unwrap()
            .unwrap();
        assert_eq!(d[0].1, "B ");
        let c = Credentials::new("A", d[0].1.clone());
        assert!(c.validate().is_err());
    }

    #[test]
    fn profile_provider_reads_named_profile_from_file() {
        let dir = std::env::temp_dir().join(format!("tc-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("credentials");
        std::fs::write(
            &path,
            "[default]\nsecret_id = AKID1\nsecret_key = K1\n[prod]\nsecret_id = AKID2\nsecret_key = K2\ntoken = T2\n",
        )
        .unwrap();
        let c = ProfileProvider::new().path(&path).load().unwrap();
        assert_eq!(c.secret_id(), "AKID1");
        assert!(c.token().is_none());
        let c = ProfileProvider::new()
            .path(&path)
            .profile("prod")
            .load()
            .unwrap();
        assert_eq!(c.secret_id(), "AKID2");
        assert_eq!(c.token().unwrap().expose(), "T2");
        let e = ProfileProvider::new()
            .path(&path)
            .profile("nope")
            .load()
            .unwrap_err();
        assert!(matches!(e, CredentialsError::NotConfigured { .. }));
        assert!(e.to_string().contains("[nope]"));
        let e = ProfileProvider::new()
            .path(dir.join("absent"))
            .load()
            .unwrap_err();
        assert!(matches!(e, CredentialsError::NotConfigured { .. }));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn chain_error_lists_every_source() {
        let e = CredentialsError::NoneFound {
            tried: vec![
                CredentialsError::NotConfigured {
                    provider: "environment",
                    reason: "unset".into(),
                },
                CredentialsError::NotConfigured {
                    provider: "profile file",
                    reason: "no file".into(),
                },
                CredentialsError::NotConfigured {
                    provider: "CVM role",
                    reason: "unreachable".into(),
                },
            ],
        };
        let text = e.to_string();
        assert!(text.contains("environment (unset)"));
        assert!(text.contains("profile file (no file)"));
        assert!(text.contains("CVM role (unreachable)"));
    }
}
