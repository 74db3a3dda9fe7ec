//! Credentials and where they come from.
//!
//! A [`Credentials`] value holds a SecretId, a SecretKey and, for temporary
//! credentials, a session token (sent as `X-TC-Token`). The key and token are
//! [`Secret`]s: no `Debug`, `Display`, error or log line ever shows them.
//!
//! Providers ([`ProvideCredentials`]) produce credentials when a call needs them:
//! [`Credentials`] itself (static), [`EnvironmentProvider`], [`ProfileProvider`]
//! and the [`DefaultChain`] that tries them in that order. Providers that need a
//! service or the network (STS `AssumeRole`, TKE web identity, SCF, tccli
//! logins, the CVM instance role) and the identity cache that refreshes
//! temporary credentials ahead of expiry are in the `tencentcloud-config` crate.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

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

    /// Names the provider that produced these credentials (shown in errors,
    /// `Debug` and the `tencentcloud.call` span; never a secret).
    pub fn with_provider(mut self, provider: &'static str) -> Self {
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

/// Environment, then profile file: the service-free part of the credential chain,
/// and what a [`Config`](crate::Config) uses when given no provider.
///
/// The full chain of a workload on Tencent Cloud (STS roles, TKE pod identity,
/// SCF, tccli logins, the CVM instance role) needs STS and the metadata
/// service, so it lives in the `tencentcloud-config` crate
/// (`tencentcloud_config::DefaultCredentialsChain`); this runtime knows no service.
///
/// The first source that has credentials is remembered: later calls do not
/// read the environment or the file again. A source that is *configured but
/// broken* (a key with whitespace, a profile without `secret_key`) stops the
/// chain with its error rather than silently falling through to the next
/// source. When no source has anything, the error lists every source tried
/// and why each failed.
#[derive(Debug, Clone, Default)]
pub struct DefaultChain {
    env: EnvironmentProvider,
    profile: ProfileProvider,
    resolved: Arc<std::sync::OnceLock<Credentials>>,
}

impl DefaultChain {
    /// The standard chain.
    pub fn new() -> Self {
        DefaultChain::default()
    }

    /// Replaces the profile provider (another file or profile).
    pub fn with_profile(mut self, profile: ProfileProvider) -> Self {
        self.profile = profile;
        self.resolved = Arc::default();
        self
    }

    fn resolve(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.resolved.get() {
            return Ok(c.clone());
        }
        let mut tried = Vec::new();
        let found = match self.env.load() {
            Ok(c) => Some(c),
            Err(e @ CredentialsError::NotConfigured { .. }) => {
                tried.push(e);
                None
            }
            Err(e) => return Err(e),
        };
        let found = match found {
            Some(c) => c,
            None => match self.profile.load() {
                Ok(c) => c,
                Err(e @ CredentialsError::NotConfigured { .. }) => {
                    tried.push(e);
                    tried.push(CredentialsError::NotConfigured {
                        provider: "other sources",
                        reason: "STS roles, TKE pod identity, SCF, tccli logins and the CVM \
                                 instance role are in the tencentcloud-config crate \
                                 (tencentcloud_config::DefaultCredentialsChain)"
                            .to_owned(),
                    });
                    return Err(CredentialsError::NoneFound { tried });
                }
                Err(e) => return Err(e),
            },
        };
        Ok(self.resolved.get_or_init(|| found).clone())
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.resolve();
        Box::pin(async move { result })
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
