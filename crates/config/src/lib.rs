//! Where a Tencent Cloud API 3.0 client gets its identity and region, as
//! `aws-config` sits over `aws-sdk-sts`.
//!
//! - [`DefaultCredentialsChain`]: environment, SCF runtime, TKE pod identity,
//!   profile file, tccli profile, CVM role; resolved once, then cached.
//! - Providers: [`AssumeRoleProvider`] (STS `AssumeRole` with source
//!   credentials from any provider), [`WebIdentityProvider`] (STS
//!   `AssumeRoleWithWebIdentity`, explicit or [from the TKE
//!   variables](WebIdentityProvider::from_tke_env)), [`ScfProvider`],
//!   [`TccliProfileProvider`] (every type tccli writes, `oauth` logins
//!   refreshed as tccli does), [`CvmRoleProvider`]; the runtime's
//!   `EnvironmentProvider` and `ProfileProvider`.
//! - [`IdentityCache`]: one cache for any provider: refresh 5 minutes ahead
//!   of expiry ([`DEFAULT_REFRESH_BEFORE`], chosen from Tencent's SDKs), one
//!   refresh at a time, a clock tests control ([`ManualTimeSource`]).
//! - [`region`]: `TENCENTCLOUD_REGION`, else `TKE_REGION`, else tccli's profile.
//!
//! Which provider supplied the credentials is [`Credentials::provider`]
//! and the `credentials` field of the `tencentcloud.call` span; the secret
//! values never appear in `Debug`, logs or errors.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let config = tencentcloud_config::from_env()?.build()?;
//! # let _ = config; Ok(()) }
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod cache;
mod chain;
mod cvm;
mod scf;
mod sts;
mod tccli;

pub use cache::{
    IdentityCache, IdentityCacheBuilder, ManualTimeSource, SharedTimeSource, SystemTimeSource,
    TimeSource, DEFAULT_REFRESH_BEFORE,
};
pub use chain::{DefaultCredentialsChain, DefaultCredentialsChainBuilder};
pub use cvm::{
    CvmRoleProvider, CvmRoleProviderBuilder, DEFAULT_METADATA_URL, ENV_METADATA_URL, ENV_ROLE_NAME,
};
pub use scf::{ScfProvider, ENV_SCF_SECRET_ID, ENV_SCF_SECRET_KEY, ENV_SCF_SESSION_TOKEN, SCF};
pub use sts::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, StsCredentialsError, WebIdentityProvider,
    WebIdentityProviderBuilder, WebIdentityToken, ASSUME_ROLE, DEFAULT_DURATION,
    DEFAULT_STS_REGION, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN,
    ENV_TKE_WEB_IDENTITY_TOKEN_FILE, TKE_OIDC, TKE_VARIABLES, WEB_IDENTITY,
};
pub use tccli::{
    TccliProfileProvider, TccliProfileProviderBuilder, DEFAULT_OAUTH_URL, ENV_TCCLI_OAUTH_URL,
    ENV_TCCLI_PROFILE, TCCLI,
};

pub use tencentcloud_runtime::credentials::{
    Credentials, CredentialsError, EnvironmentProvider, ProfileProvider, ProvideCredentials, Secret,
};

use std::sync::OnceLock;
use tencentcloud_runtime::{ConfigBuilder, ConfigError};

/// The process's default chain: every [`from_env`] shares it, so it is
/// resolved once and its credentials are cached once.
pub fn default_credentials_chain() -> DefaultCredentialsChain {
    static CHAIN: OnceLock<DefaultCredentialsChain> = OnceLock::new();
    CHAIN.get_or_init(DefaultCredentialsChain::new).clone()
}

/// The region: `TENCENTCLOUD_REGION`, else `TKE_REGION` (a TKE pod's
/// cluster), else the tccli profile's (`~/.tccli/<TCCLI_PROFILE or
/// default>.configure`, `_sys_param.region`).
pub fn region() -> Option<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    env(tencentcloud_runtime::config::ENV_REGION)
        .or_else(|| env(ENV_TKE_REGION))
        .or_else(|| {
            let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
            let profile = env(ENV_TCCLI_PROFILE).unwrap_or_else(|| "default".to_owned());
            let path = std::path::Path::new(&home)
                .join(".tccli")
                .join(format!("{profile}.configure"));
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
            v.get("_sys_param")?
                .get("region")?
                .as_str()
                .map(str::to_owned)
        })
}

/// A configuration builder from the environment: the runtime's settings
/// (`TENCENTCLOUD_REGION`, `TENCENTCLOUD_ENDPOINT`), the [`region`] loader,
/// and the process's [`default_credentials_chain`].
pub fn from_env() -> Result<ConfigBuilder, ConfigError> {
    let mut b = ConfigBuilder::from_env()?.credentials_provider(default_credentials_chain());
    if let Some(r) = region() {
        b = b.region(r);
    }
    Ok(b)
}
