//! The CAM role bound to a CVM instance, from the instance metadata service.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use tencentcloud_runtime::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture,
};

/// Names the CVM role (otherwise it is asked from the metadata service).
pub const ENV_ROLE_NAME: &str = "TENCENTCLOUD_ROLE_NAME";
/// Overrides the metadata service base URL (tests, proxies).
pub const ENV_METADATA_URL: &str = "TENCENTCLOUD_METADATA_URL";

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
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
/// Each call asks the metadata service; wrap the provider in an
/// [`IdentityCache`](crate::IdentityCache) (the [`DefaultCredentialsChain`](crate::DefaultCredentialsChain)
/// does) to refresh 5 minutes ahead of expiry, one refresh at a time.
#[derive(Debug, Clone)]
pub struct CvmRoleProvider {
    inner: Arc<CvmInner>,
}

#[derive(Debug)]
struct CvmInner {
    base_url: String,
    role: Option<String>,
    timeout: Duration,
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
                timeout: self.timeout.unwrap_or(Duration::from_secs(2)),
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

    /// Fetches the role's credentials now.
    pub async fn fetch(&self) -> Result<Credentials, CredentialsError> {
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
                        error_chain(&e)
                    ),
                }
            } else {
                failed(error_chain(&e))
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
        Box::pin(self.fetch())
    }
}
