//! The default credential chain, resolved once and cached.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tencentcloud_runtime::credentials::{
    Credentials, CredentialsError, EnvironmentProvider, ProfileProvider, ProvideCredentials,
    ProvideFuture, SharedCredentialsProvider,
};
use tencentcloud_runtime::Endpoint;

use crate::cache::{IdentityCache, SharedTimeSource, SystemTimeSource, DEFAULT_REFRESH_BEFORE};
use crate::cvm::CvmRoleProvider;
use crate::scf::ScfProvider;
use crate::sts::WebIdentityProvider;
use crate::tccli::TccliProfileProvider;

/// Every identity a workload on Tencent Cloud runs with, tried in this order;
/// the first source that is configured is kept for the life of the chain and
/// its credentials are cached by one [`IdentityCache`] (refreshed 5 minutes
/// ahead of expiry, one refresh at a time):
///
/// 1. **environment**: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`,
///    `TENCENTCLOUD_SESSION_TOKEN`;
/// 2. **SCF runtime**: `TENCENTCLOUD_SECRETID`, `TENCENTCLOUD_SECRETKEY`,
///    `TENCENTCLOUD_SESSIONTOKEN`;
/// 3. **TKE OIDC**: `TKE_REGION`, `TKE_PROVIDER_ID`,
///    `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN` → STS `AssumeRoleWithWebIdentity`;
/// 4. **profile file**: `TENCENTCLOUD_CREDENTIALS_FILE`, `~/.tencentcloud/credentials`,
///    `/etc/tencentcloud/credentials`;
/// 5. **tccli profile**: `~/.tccli/<TCCLI_PROFILE or default>.credential`, of any type;
/// 6. **CVM role**: the instance metadata service.
///
/// Variables before files, files before the network: a TKE pod on a CVM node
/// gets its own role, not the node's. A source that is configured but broken
/// (a TKE variable missing, an unreadable token file, an STS error) stops the
/// chain with its error, which names the variable, file or profile; when no
/// source is configured, the error lists each and why.
#[derive(Clone)]
pub struct DefaultCredentialsChain {
    inner: Arc<Inner>,
}

struct Inner {
    profile: ProfileProvider,
    tccli: Option<TccliProfileProvider>,
    cvm: Option<CvmRoleProvider>,
    sts_endpoint: Option<Endpoint>,
    clock: SharedTimeSource,
    refresh_before: Duration,
    chosen: OnceLock<IdentityCache>,
    resolving: tokio::sync::Mutex<()>,
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("chosen", &self.inner.chosen.get())
            .finish_non_exhaustive()
    }
}

/// Configures a [`DefaultCredentialsChain`].
#[derive(Debug)]
pub struct DefaultCredentialsChainBuilder {
    profile: ProfileProvider,
    tccli: Option<TccliProfileProvider>,
    cvm: Option<CvmRoleProvider>,
    sts_endpoint: Option<Endpoint>,
    clock: SharedTimeSource,
    refresh_before: Duration,
}

impl DefaultCredentialsChainBuilder {
    /// Another profile file or profile.
    pub fn profile_file(mut self, profile: ProfileProvider) -> Self {
        self.profile = profile;
        self
    }

    /// Another tccli profile or directory.
    pub fn tccli(mut self, tccli: TccliProfileProvider) -> Self {
        self.tccli = Some(tccli);
        self
    }

    /// Another metadata URL or role.
    pub fn cvm_role(mut self, cvm: CvmRoleProvider) -> Self {
        self.cvm = Some(cvm);
        self
    }

    /// STS's endpoint for the TKE pod identity (default: see [`crate::WebIdentityProvider`]).
    pub fn sts_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.sts_endpoint = Some(endpoint);
        self
    }

    /// The cache's clock.
    pub fn time_source(mut self, clock: SharedTimeSource) -> Self {
        self.clock = clock;
        self
    }

    /// The cache's lead time (default [`DEFAULT_REFRESH_BEFORE`]).
    pub fn refresh_before(mut self, lead: Duration) -> Self {
        self.refresh_before = lead;
        self
    }

    /// Builds the chain (nothing is read until credentials are first needed).
    pub fn build(self) -> DefaultCredentialsChain {
        DefaultCredentialsChain {
            inner: Arc::new(Inner {
                profile: self.profile,
                tccli: self.tccli,
                cvm: self.cvm,
                sts_endpoint: self.sts_endpoint,
                clock: self.clock,
                refresh_before: self.refresh_before,
                chosen: OnceLock::new(),
                resolving: tokio::sync::Mutex::new(()),
            }),
        }
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        DefaultCredentialsChain::builder().build()
    }
}

type Candidate<'a> =
    Box<dyn Fn() -> Result<SharedCredentialsProvider, CredentialsError> + Send + Sync + 'a>;

impl DefaultCredentialsChain {
    /// The standard chain.
    pub fn new() -> Self {
        DefaultCredentialsChain::default()
    }

    /// Configures a chain.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder {
            profile: ProfileProvider::new(),
            tccli: None,
            cvm: None,
            sts_endpoint: None,
            clock: Arc::new(SystemTimeSource),
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }

    /// The cache of the source the chain settled on, once it has.
    pub fn resolved(&self) -> Option<&IdentityCache> {
        self.inner.chosen.get()
    }

    fn candidates(&self) -> Vec<Candidate<'_>> {
        let i = &self.inner;
        vec![
            Box::new(|| {
                EnvironmentProvider::new()
                    .load()
                    .map(|_| Arc::new(EnvironmentProvider::new()) as SharedCredentialsProvider)
            }),
            Box::new(|| {
                ScfProvider::new()
                    .load()
                    .map(|_| Arc::new(ScfProvider::new()) as SharedCredentialsProvider)
            }),
            Box::new(|| {
                let mut b = WebIdentityProvider::tke_builder()?;
                if let Some(e) = &i.sts_endpoint {
                    b = b.endpoint(e.clone());
                }
                Ok(Arc::new(b.build()?) as SharedCredentialsProvider)
            }),
            Box::new(|| {
                i.profile
                    .load()
                    .map(|_| Arc::new(i.profile.clone()) as SharedCredentialsProvider)
            }),
            Box::new(|| {
                Ok(Arc::new(i.tccli.clone().unwrap_or_default()) as SharedCredentialsProvider)
            }),
            Box::new(|| {
                Ok(Arc::new(i.cvm.clone().unwrap_or_else(|| {
                    CvmRoleProvider::builder()
                        .timeout(Duration::from_secs(1))
                        .build()
                })) as SharedCredentialsProvider)
            }),
        ]
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.inner.chosen.get() {
            return c.credentials().await;
        }
        let _one = self.inner.resolving.lock().await;
        if let Some(c) = self.inner.chosen.get() {
            return c.credentials().await;
        }
        let mut tried = Vec::new();
        for make in self.candidates() {
            let provider = match make() {
                Ok(p) => p,
                Err(e @ CredentialsError::NotConfigured { .. }) => {
                    tried.push(e);
                    continue;
                }
                Err(e) => return Err(e),
            };
            let cache = IdentityCache::builder_shared(provider)
                .shared_time_source(self.inner.clock.clone())
                .refresh_before(self.inner.refresh_before)
                .build();
            match cache.credentials().await {
                Err(e @ CredentialsError::NotConfigured { .. }) => tried.push(e),
                result => {
                    if let Ok(c) = &result {
                        tracing::debug!(provider = c.provider(), "credential chain resolved");
                    }
                    let _ = self.inner.chosen.set(cache);
                    return result;
                }
            }
        }
        Err(CredentialsError::NoneFound { tried })
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolve())
    }
}
