//! One identity cache for every provider: refresh ahead of expiry, one refresh
//! at a time, a clock the caller can replace.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use tencentcloud_runtime::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, SharedCredentialsProvider,
};

/// Where the cache (and the providers that compute expiry) read the time.
pub trait TimeSource: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// A shareable time source.
pub type SharedTimeSource = Arc<dyn TimeSource>;

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemTimeSource;

impl TimeSource for SystemTimeSource {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that moves only when told: for tests of expiry and refresh.
#[derive(Clone, Debug)]
pub struct ManualTimeSource {
    now: Arc<Mutex<SystemTime>>,
}

impl ManualTimeSource {
    /// A clock showing `at`.
    pub fn new(at: SystemTime) -> Self {
        ManualTimeSource {
            now: Arc::new(Mutex::new(at)),
        }
    }

    /// Sets the time.
    pub fn set(&self, at: SystemTime) {
        *self.now.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    /// Moves the time forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }
}

impl TimeSource for ManualTimeSource {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// How long before expiry temporary credentials are refreshed: 5 minutes.
///
/// Tencent's SDKs refresh CVM role credentials 300 seconds ahead
/// (`CVMRoleCredential._expired_timeout` in the Python SDK,
/// `ExpiredTimeout = 300` in the Go SDK; the Python comment gives the reason:
/// a request whose timestamp is more than 300 s off is refused) and tccli
/// refreshes its `oauth` and `sso` logins 5 minutes ahead
/// (`_CRED_REFRESH_SAFE_DUR = 60 * 5`). For credentials that live less than
/// twice that, the cache refreshes at half their lifetime instead.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

#[derive(Clone)]
struct Entry {
    creds: Credentials,
    /// When to refresh: expiry minus the lead time (`None`: never expires).
    refresh_at: Option<SystemTime>,
}

struct Inner {
    provider: SharedCredentialsProvider,
    refresh_before: Duration,
    clock: SharedTimeSource,
    current: RwLock<Option<Entry>>,
    refreshing: tokio::sync::Mutex<()>,
    refreshes: AtomicU64,
}

/// Wraps any provider: answers from the cached credentials until they are due
/// for refresh ([`DEFAULT_REFRESH_BEFORE`] ahead of their expiry), then asks
/// the provider again, once, however many calls wait.
///
/// - Credentials without an expiry (long-term keys) are asked for once.
/// - While one caller refreshes, the others wait for its result (single
///   flight: 100 concurrent calls at expiry make one STS call).
/// - A failed refresh while the cached credentials are still valid (inside the
///   lead time) keeps them and logs a warning; once they have expired, the
///   provider's error is returned (it names the provider and the reason).
/// - Credentials a provider returns already expired are refused, naming it.
///
/// Clones share the cache.
#[derive(Clone)]
pub struct IdentityCache {
    inner: Arc<Inner>,
}

impl fmt::Debug for IdentityCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityCache")
            .field("provider", &self.inner.provider)
            .field("refresh_before", &self.inner.refresh_before)
            .field("refreshes", &self.refresh_count())
            .finish_non_exhaustive()
    }
}

/// Configures an [`IdentityCache`].
#[derive(Debug)]
pub struct IdentityCacheBuilder {
    provider: SharedCredentialsProvider,
    refresh_before: Duration,
    clock: SharedTimeSource,
}

impl IdentityCacheBuilder {
    /// How long before expiry to refresh (default [`DEFAULT_REFRESH_BEFORE`]).
    pub fn refresh_before(mut self, lead: Duration) -> Self {
        self.refresh_before = lead;
        self
    }

    /// The clock (default the system clock; tests pass a [`ManualTimeSource`]).
    pub fn time_source(mut self, clock: impl TimeSource + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// A shared clock.
    pub fn shared_time_source(mut self, clock: SharedTimeSource) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the cache.
    pub fn build(self) -> IdentityCache {
        IdentityCache {
            inner: Arc::new(Inner {
                provider: self.provider,
                refresh_before: self.refresh_before,
                clock: self.clock,
                current: RwLock::new(None),
                refreshing: tokio::sync::Mutex::new(()),
                refreshes: AtomicU64::new(0),
            }),
        }
    }
}

impl IdentityCache {
    /// Caches `provider` with the default lead time and the system clock.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        IdentityCache::builder(provider).build()
    }

    /// Configures a cache over `provider`.
    pub fn builder(provider: impl ProvideCredentials + 'static) -> IdentityCacheBuilder {
        IdentityCache::builder_shared(Arc::new(provider))
    }

    /// Configures a cache over a shared provider.
    pub fn builder_shared(provider: SharedCredentialsProvider) -> IdentityCacheBuilder {
        IdentityCacheBuilder {
            provider,
            refresh_before: DEFAULT_REFRESH_BEFORE,
            clock: Arc::new(SystemTimeSource),
        }
    }

    /// How many times the provider was asked.
    pub fn refresh_count(&self) -> u64 {
        self.inner.refreshes.load(Ordering::Relaxed)
    }

    /// Forgets the cached credentials: the next call asks the provider.
    pub fn invalidate(&self) {
        *self
            .inner
            .current
            .write()
            .unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let current = self.inner.current.read().unwrap_or_else(|p| p.into_inner());
        current
            .as_ref()
            .filter(|e| e.refresh_at.is_none_or(|at| now < at))
            .map(|e| e.creds.clone())
    }

    fn refresh_at(&self, now: SystemTime, expires: Option<SystemTime>) -> Option<SystemTime> {
        let expires = expires?;
        let lifetime = expires.duration_since(now).unwrap_or_default();
        let lead = self.inner.refresh_before.min(lifetime / 2);
        Some(expires - lead)
    }

    /// The cached credentials, refreshed first when due.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let now = self.inner.clock.now();
        if let Some(c) = self.fresh(now) {
            return Ok(c);
        }
        let _one_at_a_time = self.inner.refreshing.lock().await;
        // Whoever held the lock before may have refreshed already.
        let now = self.inner.clock.now();
        if let Some(c) = self.fresh(now) {
            return Ok(c);
        }
        self.inner.refreshes.fetch_add(1, Ordering::Relaxed);
        let result = self.inner.provider.provide_credentials().await;
        let now = self.inner.clock.now();
        match result {
            Ok(creds) => {
                if let Some(at) = creds.expires_at() {
                    if at <= now {
                        return Err(CredentialsError::ProviderFailed {
                            provider: creds.provider(),
                            reason: format!(
                                "returned credentials that expired {} s ago",
                                now.duration_since(at).unwrap_or_default().as_secs()
                            ),
                        });
                    }
                }
                let entry = Entry {
                    refresh_at: self.refresh_at(now, creds.expires_at()),
                    creds: creds.clone(),
                };
                *self
                    .inner
                    .current
                    .write()
                    .unwrap_or_else(|p| p.into_inner()) = Some(entry);
                Ok(creds)
            }
            Err(e) => {
                let current = self.inner.current.read().unwrap_or_else(|p| p.into_inner());
                if let Some(old) = current.as_ref() {
                    if old.creds.expires_at().is_some_and(|at| now < at) {
                        tracing::warn!(
                            provider = old.creds.provider(),
                            error = %e,
                            "refreshing credentials failed; the cached ones are still valid and kept"
                        );
                        return Ok(old.creds.clone());
                    }
                }
                Err(e)
            }
        }
    }
}

impl ProvideCredentials for IdentityCache {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[derive(Debug)]
    struct Counting {
        clock: ManualTimeSource,
        life: Duration,
        calls: AtomicU64,
        fail: std::sync::atomic::AtomicBool,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let fail = self.fail.load(Ordering::SeqCst);
            let at = self.clock.now() + self.life;
            Box::pin(async move {
                if fail {
                    return Err(CredentialsError::ProviderFailed {
                        provider: "counting",
                        reason: "down".into(),
                    });
                }
                Ok(Credentials::new(format!("AKID{n}"), "k")
                    .with_token("t")
                    .with_expiry(at)
                    .with_provider("counting"))
            })
        }
    }

    fn setup(life: u64) -> (ManualTimeSource, Arc<Counting>, IdentityCache) {
        let clock = ManualTimeSource::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let p = Arc::new(Counting {
            clock: clock.clone(),
            life: Duration::from_secs(life),
            calls: AtomicU64::new(0),
            fail: false.into(),
        });
        let cache = IdentityCache::builder_shared(p.clone())
            .time_source(clock.clone())
            .build();
        (clock, p, cache)
    }

    #[tokio::test]
    async fn refreshes_five_minutes_ahead_of_expiry() {
        let (clock, p, cache) = setup(7200);
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKID1");
        clock.advance(Duration::from_secs(7200 - 301));
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKID1");
        clock.advance(Duration::from_secs(1));
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKID2");
        assert_eq!(p.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn short_lived_credentials_refresh_at_half_life() {
        let (clock, _, cache) = setup(120);
        cache.credentials().await.unwrap();
        clock.advance(Duration::from_secs(59));
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKID1");
        clock.advance(Duration::from_secs(1));
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKID2");
    }

    #[tokio::test]
    async fn failed_refresh_keeps_valid_credentials_then_errors_once_expired() {
        let (clock, p, cache) = setup(7200);
        cache.credentials().await.unwrap();
        p.fail.store(true, Ordering::SeqCst);
        clock.advance(Duration::from_secs(7000));
        assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKID1");
        clock.advance(Duration::from_secs(200));
        let e = cache.credentials().await.unwrap_err();
        assert!(e.to_string().contains("counting"), "{e}");
        assert!(e.to_string().contains("down"), "{e}");
    }
}
