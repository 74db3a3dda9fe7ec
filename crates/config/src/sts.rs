//! Temporary credentials from STS: `AssumeRole` (signed with source
//! credentials) and `AssumeRoleWithWebIdentity` (unsigned; the OIDC token is
//! the proof), explicit or from a TKE pod's variables.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_runtime::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, Secret,
    SharedCredentialsProvider,
};
use tencentcloud_runtime::{Config, Endpoint, ProvideApiError, SdkError};
use tencentcloud_sts::error::{AssumeRoleError, AssumeRoleWithWebIdentityError};

/// The region STS calls are made in unless told otherwise: the Python SDK's
/// `STSAssumeRoleCredential._region`.
pub const DEFAULT_STS_REGION: &str = "ap-guangzhou";
/// How long assumed credentials last unless told otherwise: 7200 s, the
/// default of the Python and Go SDKs (STS allows up to 43200).
pub const DEFAULT_DURATION: Duration = Duration::from_secs(7200);

/// The region of the TKE cluster (the STS region).
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// The OIDC identity provider's ID.
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// The file holding the pod's OIDC token (re-read at every refresh: it rotates).
pub const ENV_TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// The CAM role the pod assumes.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";
/// The four TKE variables, in the order they are checked.
pub const TKE_VARIABLES: [&str; 4] = [
    ENV_TKE_REGION,
    ENV_TKE_PROVIDER_ID,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    ENV_TKE_ROLE_ARN,
];

/// The provider name of [`AssumeRoleProvider`].
pub const ASSUME_ROLE: &str = "STS AssumeRole";
/// The provider name of an explicit [`WebIdentityProvider`].
pub const WEB_IDENTITY: &str = "STS web identity";
/// The provider name of a [`WebIdentityProvider`] built from the TKE variables.
pub const TKE_OIDC: &str = "TKE OIDC";

/// Where STS is reached and how: region and endpoint.
///
/// The endpoint defaults to `TENCENTCLOUD_ENDPOINT` when that is
/// `international` or a URL (a local endpoint serving every service), else
/// STS's own host `sts.tencentcloudapi.com`; a bare host in
/// `TENCENTCLOUD_ENDPOINT` names another service's host and is not used.
#[derive(Clone, Debug, Default)]
struct StsTarget {
    region: Option<String>,
    endpoint: Option<Endpoint>,
}

impl StsTarget {
    fn endpoint(&self) -> Endpoint {
        if let Some(e) = &self.endpoint {
            return e.clone();
        }
        match std::env::var(tencentcloud_runtime::config::ENV_ENDPOINT)
            .ok()
            .and_then(|v| Endpoint::parse(&v).ok())
        {
            Some(Endpoint::International) => Endpoint::International,
            Some(Endpoint::Url(u)) if u.contains("://") => Endpoint::Url(u),
            _ => Endpoint::Default,
        }
    }

    fn client(
        &self,
        provider: &'static str,
        region: &str,
        credentials: Option<SharedCredentialsProvider>,
    ) -> Result<tencentcloud_sts::Client, CredentialsError> {
        let mut b = Config::builder().region(region).endpoint(self.endpoint());
        b = match credentials {
            Some(c) => b.credentials_provider(c),
            None => b.skip_signing(true),
        };
        let config = b.build().map_err(|e| CredentialsError::Invalid {
            provider,
            reason: format!("STS client: {e}"),
        })?;
        tencentcloud_sts::Client::new(config).map_err(|e| CredentialsError::Invalid {
            provider,
            reason: format!("STS client: {e}"),
        })
    }
}

/// What a call to STS for credentials can fail with: the setup (a missing
/// variable, an unreadable token file) or STS itself, typed by the STS error
/// crate (`err.service_error()` gives the action's error, whose `code()` is
/// `tencentcloud_sts::error::ErrorCode`).
#[derive(Debug)]
#[non_exhaustive]
pub enum StsCredentialsError<E> {
    /// Before anything was sent.
    Setup(CredentialsError),
    /// STS answered with an error, or could not be reached.
    Sts {
        /// The provider.
        provider: &'static str,
        /// The STS call's error.
        error: SdkError<E>,
    },
}

impl<E: ProvideApiError + fmt::Display + fmt::Debug> fmt::Display for StsCredentialsError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StsCredentialsError::Setup(e) => fmt::Display::fmt(e, f),
            StsCredentialsError::Sts { provider, error } => {
                write!(f, "credentials provider {provider} failed: STS: {error}")
            }
        }
    }
}

impl<E: ProvideApiError + fmt::Display + fmt::Debug + 'static> std::error::Error
    for StsCredentialsError<E>
{
}

impl<E: ProvideApiError + fmt::Display + fmt::Debug> From<StsCredentialsError<E>>
    for CredentialsError
{
    fn from(e: StsCredentialsError<E>) -> Self {
        match e {
            StsCredentialsError::Setup(e) => e,
            StsCredentialsError::Sts { provider, error } => CredentialsError::ProviderFailed {
                provider,
                reason: format!("STS: {error}"),
            },
        }
    }
}

fn temporary(
    provider: &'static str,
    creds: tencentcloud_sts::model::Credentials,
    expired_time: i64,
) -> Result<Credentials, CredentialsError> {
    let at = UNIX_EPOCH + Duration::from_secs(expired_time.max(0) as u64);
    let c = Credentials::new(creds.tmp_secret_id, creds.tmp_secret_key)
        .with_token(creds.token)
        .with_expiry(at)
        .with_provider(provider);
    c.validate()?;
    Ok(c)
}

fn session_name(prefix: &str) -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros();
    format!("{prefix}{micros}")
}

/// Temporary credentials of a CAM role, from STS `AssumeRole` signed with the
/// source credentials (any provider): cross-account access and
/// least-privilege sessions.
///
/// Each call asks STS; wrap it in an [`IdentityCache`](crate::IdentityCache)
/// to refresh ahead of expiry.
///
/// ```no_run
/// use std::time::Duration;
/// use tencentcloud_config::{AssumeRoleProvider, IdentityCache};
/// use tencentcloud_runtime::credentials::EnvironmentProvider;
///
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let role = AssumeRoleProvider::builder("qcs::cam::uin/100000000001:roleName/trtc-operator", "nightly-report")
///     .source(EnvironmentProvider::new())
///     .duration(Duration::from_secs(3600))
///     .build()?;
/// let config = tencentcloud_runtime::Config::builder()
///     .credentials_provider(IdentityCache::new(role))
///     .region("ap-singapore")
///     .build()?;
/// # let _ = config; Ok(()) }
/// ```
#[derive(Clone)]
pub struct AssumeRoleProvider {
    inner: Arc<AssumeRoleInner>,
}

struct AssumeRoleInner {
    client: tencentcloud_sts::Client,
    role_arn: String,
    session_name: String,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
    source: SharedCredentialsProvider,
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role_arn", &self.inner.role_arn)
            .field("session_name", &self.inner.session_name)
            .field("duration", &self.inner.duration)
            .field("policy", &self.inner.policy.as_ref().map(|_| "(set)"))
            .field("source", &self.inner.source)
            .finish_non_exhaustive()
    }
}

/// Configures an [`AssumeRoleProvider`].
#[derive(Debug)]
pub struct AssumeRoleProviderBuilder {
    role_arn: String,
    session_name: String,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
    source: Option<SharedCredentialsProvider>,
    target: StsTarget,
}

impl AssumeRoleProviderBuilder {
    /// The provider of the credentials that sign `AssumeRole` (default: the
    /// runtime's environment-then-profile chain).
    pub fn source(mut self, source: impl ProvideCredentials + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// A shared source provider.
    pub fn shared_source(mut self, source: SharedCredentialsProvider) -> Self {
        self.source = Some(source);
        self
    }

    /// How long the credentials last (default [`DEFAULT_DURATION`]; STS takes 1 s to 43200 s).
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration = d;
        self
    }

    /// A session policy (JSON) that narrows the role's permissions.
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external ID the role's trust policy requires.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// The region of the STS call (default [`DEFAULT_STS_REGION`]).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.target.region = Some(region.into());
        self
    }

    /// STS's endpoint (default: see the crate docs; `Endpoint::Url` for a local endpoint).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.target.endpoint = Some(endpoint);
        self
    }

    /// Builds the provider; an empty role ARN or session name is refused.
    pub fn build(self) -> Result<AssumeRoleProvider, CredentialsError> {
        let invalid = |reason: String| CredentialsError::Invalid {
            provider: ASSUME_ROLE,
            reason,
        };
        if self.role_arn.trim().is_empty() {
            return Err(invalid("the role ARN is empty".to_owned()));
        }
        if self.session_name.trim().is_empty() {
            return Err(invalid("the role session name is empty".to_owned()));
        }
        let secs = self.duration.as_secs();
        if !(1..=43_200).contains(&secs) {
            return Err(invalid(format!(
                "duration {secs} s is outside STS's 1..=43200 s"
            )));
        }
        let source = self
            .source
            .unwrap_or_else(|| Arc::new(tencentcloud_runtime::credentials::DefaultChain::new()));
        let region = self
            .target
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_STS_REGION.to_owned());
        let client = self
            .target
            .client(ASSUME_ROLE, &region, Some(source.clone()))?;
        Ok(AssumeRoleProvider {
            inner: Arc::new(AssumeRoleInner {
                client,
                role_arn: self.role_arn,
                session_name: self.session_name,
                duration: self.duration,
                policy: self.policy,
                external_id: self.external_id,
                source,
            }),
        })
    }
}

impl AssumeRoleProvider {
    /// Configures a provider for `role_arn` (`qcs::cam::uin/<uin>:roleName/<name>`)
    /// with the session name `session_name`.
    pub fn builder(
        role_arn: impl Into<String>,
        session_name: impl Into<String>,
    ) -> AssumeRoleProviderBuilder {
        AssumeRoleProviderBuilder {
            role_arn: role_arn.into(),
            session_name: session_name.into(),
            duration: DEFAULT_DURATION,
            policy: None,
            external_id: None,
            source: None,
            target: StsTarget::default(),
        }
    }

    /// Calls `AssumeRole` now; the error is typed by the STS error crate.
    pub async fn assume_role(&self) -> Result<Credentials, StsCredentialsError<AssumeRoleError>> {
        let i = &self.inner;
        let mut call = i
            .client
            .assume_role()
            .role_arn(&i.role_arn)
            .role_session_name(&i.session_name)
            .duration_seconds(i.duration.as_secs());
        if let Some(p) = &i.policy {
            call = call.policy(p);
        }
        if let Some(x) = &i.external_id {
            call = call.external_id(x);
        }
        let out = call
            .send()
            .await
            .map_err(|error| StsCredentialsError::Sts {
                provider: ASSUME_ROLE,
                error,
            })?;
        temporary(ASSUME_ROLE, out.credentials, out.expired_time)
            .map_err(StsCredentialsError::Setup)
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.assume_role().await.map_err(CredentialsError::from) })
    }
}

/// The OIDC token of a [`WebIdentityProvider`]: a value, or a file read at
/// every refresh (TKE rotates it).
#[derive(Clone, Debug)]
pub enum WebIdentityToken {
    /// The token itself.
    Value(Secret),
    /// A file holding the token.
    File(PathBuf),
}

/// Temporary credentials for an OIDC identity, from STS
/// `AssumeRoleWithWebIdentity`, which is sent unsigned (`Authorization: SKIP`):
/// the web identity token is the proof. This is how a TKE pod gets its role
/// ([`WebIdentityProvider::from_tke_env`]).
///
/// Each call asks STS (reading the token file again); wrap it in an
/// [`IdentityCache`](crate::IdentityCache) to refresh ahead of expiry.
///
/// ```no_run
/// use tencentcloud_config::{IdentityCache, WebIdentityProvider};
///
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// // TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN
/// let pod = WebIdentityProvider::from_tke_env()?;
/// let config = tencentcloud_runtime::Config::builder()
///     .credentials_provider(IdentityCache::new(pod))
///     .region("ap-guangzhou")
///     .build()?;
/// # let _ = config; Ok(()) }
/// ```
#[derive(Clone)]
pub struct WebIdentityProvider {
    inner: Arc<WebIdentityInner>,
}

struct WebIdentityInner {
    name: &'static str,
    client: tencentcloud_sts::Client,
    provider_id: String,
    token: WebIdentityToken,
    role_arn: String,
    session_name: String,
    duration: Duration,
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("name", &self.inner.name)
            .field("provider_id", &self.inner.provider_id)
            .field("token", &self.inner.token)
            .field("role_arn", &self.inner.role_arn)
            .field("session_name", &self.inner.session_name)
            .field("duration", &self.inner.duration)
            .finish_non_exhaustive()
    }
}

/// Configures a [`WebIdentityProvider`].
#[derive(Debug)]
pub struct WebIdentityProviderBuilder {
    name: &'static str,
    provider_id: String,
    token: WebIdentityToken,
    role_arn: String,
    session_name: Option<String>,
    duration: Duration,
    target: StsTarget,
}

impl WebIdentityProviderBuilder {
    /// The session name (default `tencentcloud-rust-sdk-<microseconds>`, as the
    /// Python SDK's `tencentcloud-python-sdk-<microseconds>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the credentials last (default [`DEFAULT_DURATION`]).
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration = d;
        self
    }

    /// The region of the STS call (default [`DEFAULT_STS_REGION`]; from TKE, `TKE_REGION`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.target.region = Some(region.into());
        self
    }

    /// STS's endpoint (default: see the crate docs).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.target.endpoint = Some(endpoint);
        self
    }

    /// Builds the provider.
    pub fn build(self) -> Result<WebIdentityProvider, CredentialsError> {
        let name = self.name;
        let invalid = |reason: String| CredentialsError::Invalid {
            provider: name,
            reason,
        };
        if self.role_arn.trim().is_empty() {
            return Err(invalid("the role ARN is empty".to_owned()));
        }
        if self.provider_id.trim().is_empty() {
            return Err(invalid("the identity provider ID is empty".to_owned()));
        }
        let region = self
            .target
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_STS_REGION.to_owned());
        let client = self.target.client(name, &region, None)?;
        Ok(WebIdentityProvider {
            inner: Arc::new(WebIdentityInner {
                name,
                client,
                provider_id: self.provider_id,
                token: self.token,
                role_arn: self.role_arn,
                session_name: self
                    .session_name
                    .unwrap_or_else(|| session_name("tencentcloud-rust-sdk-")),
                duration: self.duration,
            }),
        })
    }
}

impl WebIdentityProvider {
    /// Configures a provider: the identity provider's ID, the OIDC token and the role.
    pub fn builder(
        provider_id: impl Into<String>,
        token: WebIdentityToken,
        role_arn: impl Into<String>,
    ) -> WebIdentityProviderBuilder {
        WebIdentityProviderBuilder {
            name: WEB_IDENTITY,
            provider_id: provider_id.into(),
            token,
            role_arn: role_arn.into(),
            session_name: None,
            duration: DEFAULT_DURATION,
            target: StsTarget::default(),
        }
    }

    /// A TKE pod's identity: `TKE_REGION`, `TKE_PROVIDER_ID`,
    /// `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`, as Tencent's SDKs read
    /// them. When none is set the error is `NotConfigured`; when only some
    /// are, `Invalid`, naming the first one missing.
    pub fn from_tke_env() -> Result<WebIdentityProvider, CredentialsError> {
        WebIdentityProvider::tke_builder()?.build()
    }

    /// [`from_tke_env`](Self::from_tke_env) as a builder (to set the endpoint or duration).
    pub fn tke_builder() -> Result<WebIdentityProviderBuilder, CredentialsError> {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let values: Vec<Option<String>> = TKE_VARIABLES.iter().map(|k| get(k)).collect();
        if values.iter().all(Option::is_none) {
            return Err(CredentialsError::NotConfigured {
                provider: TKE_OIDC,
                reason: format!("none of {} is set", TKE_VARIABLES.join(", ")),
            });
        }
        if let Some(i) = values.iter().position(Option::is_none) {
            let set: Vec<&str> = TKE_VARIABLES
                .iter()
                .zip(&values)
                .filter(|(_, v)| v.is_some())
                .map(|(k, _)| *k)
                .collect();
            return Err(CredentialsError::Invalid {
                provider: TKE_OIDC,
                reason: format!(
                    "{} is not set (a TKE pod identity needs all of {}; set: {})",
                    TKE_VARIABLES[i],
                    TKE_VARIABLES.join(", "),
                    set.join(", ")
                ),
            });
        }
        let mut v = values.into_iter().flatten();
        let (region, provider_id, file, role_arn) = (
            v.next().unwrap_or_default(),
            v.next().unwrap_or_default(),
            v.next().unwrap_or_default(),
            v.next().unwrap_or_default(),
        );
        let mut b = WebIdentityProvider::builder(
            provider_id,
            WebIdentityToken::File(PathBuf::from(file)),
            role_arn,
        )
        .region(region);
        b.name = TKE_OIDC;
        Ok(b)
    }

    fn token(&self) -> Result<String, CredentialsError> {
        let name = self.inner.name;
        match &self.inner.token {
            WebIdentityToken::Value(s) if s.expose().trim().is_empty() => {
                Err(CredentialsError::Invalid {
                    provider: name,
                    reason: "the web identity token is empty".to_owned(),
                })
            }
            WebIdentityToken::Value(s) => Ok(s.expose().to_owned()),
            WebIdentityToken::File(path) => {
                let shown = if name == TKE_OIDC {
                    format!("{} ({ENV_TKE_WEB_IDENTITY_TOKEN_FILE})", path.display())
                } else {
                    path.display().to_string()
                };
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CredentialsError::ProviderFailed {
                        provider: name,
                        reason: format!("cannot read the web identity token file {shown}: {e}"),
                    }
                })?;
                let token = text.trim();
                if token.is_empty() {
                    return Err(CredentialsError::Invalid {
                        provider: name,
                        reason: format!("the web identity token file {shown} is empty"),
                    });
                }
                Ok(token.to_owned())
            }
        }
    }

    /// The provider's name: `TKE OIDC` when built from the TKE variables, else `STS web identity`.
    pub fn name(&self) -> &'static str {
        self.inner.name
    }

    /// Calls `AssumeRoleWithWebIdentity` now; the error is typed by the STS error crate.
    pub async fn assume_role_with_web_identity(
        &self,
    ) -> Result<Credentials, StsCredentialsError<AssumeRoleWithWebIdentityError>> {
        let i = &self.inner;
        let token = self.token().map_err(StsCredentialsError::Setup)?;
        let out = i
            .client
            .assume_role_with_web_identity()
            .provider_id(&i.provider_id)
            .web_identity_token(token)
            .role_arn(&i.role_arn)
            .role_session_name(&i.session_name)
            .duration_seconds(i.duration.as_secs() as i64)
            .send()
            .await
            .map_err(|error| StsCredentialsError::Sts {
                provider: i.name,
                error,
            })?;
        temporary(i.name, out.credentials, out.expired_time as i64)
            .map_err(StsCredentialsError::Setup)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            self.assume_role_with_web_identity()
                .await
                .map_err(CredentialsError::from)
        })
    }
}
