//! Client configuration: credentials, region, endpoint, timeouts, retries,
//! rate limits, headers, interceptors, failover, proxy and TLS, the transport.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::breaker::RegionBreaker;
use crate::budget::RetryBudget;
use crate::credentials::{DefaultChain, ProvideCredentials, SharedCredentialsProvider};
use crate::interceptor::{Interceptor, SharedInterceptor};
use crate::rate_limit::RateLimiter;
use crate::retry::RetryConfig;
use crate::sign::SignedHeaders;
use crate::transport::{HttpTransport, SharedTransport};

/// The region variable.
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// The endpoint variable: `default`, `international`, a host name, or a URL
/// such as `http://127.0.0.1:8080` for a local endpoint.
pub const ENV_ENDPOINT: &str = "TENCENTCLOUD_ENDPOINT";

/// Where requests go.
///
/// Some actions have their own host (`TextToSpeechSSE` is served only on
/// `trtc.ai.tencentcloudapi.com`). With [`Endpoint::Default`] and
/// [`Endpoint::International`] they go there. With [`Endpoint::Url`]:
///
/// - a Tencent Cloud host (`*.tencentcloudapi.com`, such as a regional
///   `trtc.ap-singapore.tencentcloudapi.com`) replaces the service's host
///   only: actions with their own host keep it, since Tencent serves them
///   nowhere else;
/// - any other host (a local endpoint such as `http://127.0.0.1:8080`, a
///   private gateway) stands in for all of Tencent Cloud: every action goes
///   there, its own host or not.
///
/// [`Client::endpoint_for`](crate::Client::endpoint_for) says where an action goes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Endpoint {
    /// The service's default host, e.g. `https://trtc.tencentcloudapi.com`.
    #[default]
    Default,
    /// The international host, e.g. `https://trtc.intl.tencentcloudapi.com`.
    International,
    /// An explicit URL (`https://host`, `http://127.0.0.1:PORT`) or bare host name (HTTPS).
    Url(String),
}

impl Endpoint {
    /// Parses `default`, `international`, a host name or a URL.
    pub fn parse(value: &str) -> Result<Endpoint, ConfigError> {
        let v = value.trim();
        match v {
            "" => Err(ConfigError::InvalidEndpoint {
                value: value.to_owned(),
                reason: "empty".to_owned(),
            }),
            "default" => Ok(Endpoint::Default),
            "international" | "intl" => Ok(Endpoint::International),
            _ => {
                ResolvedEndpoint::from_url(v)?;
                Ok(Endpoint::Url(v.to_owned()))
            }
        }
    }
}

/// An endpoint resolved for one service: the URL to POST to and the `Host` to sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// The URL requests are POSTed to (path `/`).
    pub url: reqwest::Url,
    /// The `Host` header value, with `:port` when the port is not the scheme's default.
    pub host: String,
}

impl ResolvedEndpoint {
    /// Resolves a URL or bare host name (which means HTTPS).
    pub fn from_url(value: &str) -> Result<ResolvedEndpoint, ConfigError> {
        let with_scheme = if value.contains("://") {
            value.to_owned()
        } else {
            format!("https://{value}")
        };
        let invalid = |reason: String| ConfigError::InvalidEndpoint {
            value: value.to_owned(),
            reason,
        };
        let mut url = reqwest::Url::parse(&with_scheme).map_err(|e| invalid(e.to_string()))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(invalid(format!(
                "scheme `{}` is not http or https",
                url.scheme()
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(invalid("no host".to_owned()));
        };
        if url.path() != "/" && !url.path().is_empty() {
            return Err(invalid(format!(
                "API 3.0 endpoints are POSTed at `/`, not `{}`",
                url.path()
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("no query or fragment allowed".to_owned()));
        }
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        url.set_path("/");
        Ok(ResolvedEndpoint { url, host })
    }

    /// Whether the host is Tencent Cloud's (`tencentcloudapi.com` or a name under it).
    pub fn is_tencent_host(&self) -> bool {
        let h = self.url.host_str().unwrap_or("");
        h == "tencentcloudapi.com" || h.ends_with(".tencentcloudapi.com")
    }

    /// Resolves `endpoint` for a service with the given default and international hosts.
    pub fn resolve(
        endpoint: &Endpoint,
        default_host: &str,
        international_host: Option<&str>,
    ) -> Result<ResolvedEndpoint, ConfigError> {
        match endpoint {
            Endpoint::Default => ResolvedEndpoint::from_url(default_host),
            Endpoint::International => {
                ResolvedEndpoint::from_url(international_host.unwrap_or(default_host))
            }
            Endpoint::Url(u) => ResolvedEndpoint::from_url(u),
        }
    }
}

/// The language of error messages (`X-TC-Language`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Language {
    /// `en-US`.
    #[default]
    English,
    /// `zh-CN`.
    Chinese,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::English => "en-US",
            Language::Chinese => "zh-CN",
        }
    }
}

pub use crate::meta::RateLimit;

/// Client-side rate limiting: a call waits for a slot instead of being refused
/// with `RequestLimitExceeded`.
///
/// By default each action is limited to the rate its spec documents (for
/// example 20 requests per second for `CreateCloudTranscription`, one request
/// every 15 seconds for `DescribeTrtcRoomUsage`), shared by every clone of a
/// client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitConfig {
    pub(crate) enabled: bool,
    pub(crate) overrides: BTreeMap<String, Option<RateLimit>>,
    pub(crate) window: Duration,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            overrides: BTreeMap::new(),
            // A little over a second, so arrival jitter on the way to the server
            // cannot squeeze N+1 requests into its one-second window.
            window: Duration::from_millis(1050),
        }
    }
}

impl RateLimitConfig {
    /// The spec's documented limits (the default).
    pub fn from_spec() -> Self {
        RateLimitConfig::default()
    }

    /// No client-side limiting at all.
    pub fn disabled() -> Self {
        RateLimitConfig {
            enabled: false,
            ..RateLimitConfig::default()
        }
    }

    /// Sets one action's limit in requests per second (`None`: unlimited).
    pub fn action(self, action: impl Into<String>, per_second: Option<u32>) -> Self {
        self.action_limit(action, per_second.map(RateLimit::per_second))
    }

    /// Sets one action's limit, in any window (`None`: unlimited).
    pub fn action_limit(mut self, action: impl Into<String>, limit: Option<RateLimit>) -> Self {
        self.overrides.insert(action.into(), limit);
        self
    }

    /// How long "one second" is for the limiter (default 1.05 s, a margin for
    /// arrival jitter); a limit over S seconds uses S times this.
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// The limit for an action whose spec documents `documented`.
    pub fn limit_for(&self, action: &str, documented: Option<RateLimit>) -> Option<RateLimit> {
        if !self.enabled {
            return None;
        }
        match self.overrides.get(action) {
            Some(o) => *o,
            None => documented,
        }
        .filter(|l| l.requests > 0 && l.per_seconds > 0)
    }

    /// The sliding window the limiter uses for `limit`.
    pub fn window_for(&self, limit: RateLimit) -> Duration {
        self.window * limit.per_seconds
    }
}

/// Timeouts. `None` means no limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening a connection (default 5 s).
    pub connect: Option<Duration>,
    /// One attempt, from sending to the end of the body (default 30 s).
    pub attempt: Option<Duration>,
    /// The whole call including retries and waits (default none).
    pub call: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Some(Duration::from_secs(5)),
            attempt: Some(Duration::from_secs(30)),
            call: None,
        }
    }
}

/// A configuration error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint is not a usable URL.
    InvalidEndpoint {
        /// The value given.
        value: String,
        /// Why it is not usable.
        reason: String,
    },
    /// The region is not a usable name.
    InvalidRegion {
        /// The value given.
        value: String,
    },
    /// The HTTP client could not be built.
    Http(String),
    /// An extra header cannot be sent (a name the signer owns, an invalid name or value).
    InvalidHeader(String),
    /// The proxy is not a usable URL.
    InvalidProxy {
        /// The value given.
        value: String,
        /// Why it is not usable.
        reason: String,
    },
    /// An extra root certificate is not a PEM certificate.
    InvalidCertificate(String),
    /// The region breaker's settings are unusable (e.g. a backup that is not a Tencent host).
    InvalidBreaker(String),
    /// Two settings that cannot both apply (e.g. a connect timeout and a
    /// `reqwest::Client` built elsewhere).
    Conflict(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidEndpoint { value, reason } => {
                write!(f, "invalid endpoint {value:?}: {reason}")
            }
            ConfigError::InvalidRegion { value } => write!(
                f,
                "invalid region {value:?}: expected a name such as ap-guangzhou"
            ),
            ConfigError::Http(e) => write!(f, "cannot build the HTTP client: {e}"),
            ConfigError::InvalidHeader(e) => write!(f, "invalid header: {e}"),
            ConfigError::InvalidProxy { value, reason } => {
                write!(f, "invalid proxy {value:?}: {reason}")
            }
            ConfigError::InvalidCertificate(e) => write!(f, "invalid root certificate: {e}"),
            ConfigError::InvalidBreaker(e) => write!(f, "invalid region breaker: {e}"),
            ConfigError::Conflict(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Everything a client needs. Cheap to clone.
#[derive(Clone)]
pub struct Config {
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Endpoint,
    pub(crate) language: Language,
    pub(crate) region_check: bool,
    pub(crate) limit_checks: bool,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limit: RateLimitConfig,
    pub(crate) max_response_bytes: usize,
    pub(crate) response_mode: crate::drift::Mode,
    pub(crate) signed_headers: SignedHeaders,
    pub(crate) request_client: String,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) transport: Option<SharedTransport>,
    pub(crate) proxy: Option<ProxySettings>,
    pub(crate) proxy_from_env: bool,
    pub(crate) root_certificates: Vec<reqwest::Certificate>,
    pub(crate) headers: HeaderMap,
    pub(crate) interceptors: Vec<SharedInterceptor>,
    pub(crate) retry_budget: Option<RetryBudget>,
    pub(crate) rate_limiter: Option<RateLimiter>,
    pub(crate) region_breaker: Option<RegionBreaker>,
    pub(crate) skip_signing: bool,
}

/// An explicit proxy and the hosts that bypass it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ProxySettings {
    pub(crate) url: String,
    pub(crate) no_proxy: Option<String>,
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxySettings")
            .field("url", &mask_userinfo(&self.url))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// A proxy URL with the password of its `user:password@` masked, for
/// `Debug` and errors (the URL may not even parse).
pub(crate) fn mask_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    let user = rest[..at].split(':').next().unwrap_or("");
    format!(
        "{}{user}:{}{}",
        &url[..scheme_end],
        crate::redact::REDACTED,
        &rest[at..]
    )
}

impl ProxySettings {
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Proxy, ConfigError> {
        let invalid = |reason: String| ConfigError::InvalidProxy {
            value: mask_userinfo(&self.url),
            reason,
        };
        let parsed = reqwest::Url::parse(&self.url).map_err(|e| invalid(e.to_string()))?;
        if parsed.scheme() != "http" && parsed.scheme() != "https" {
            return Err(invalid(format!(
                "scheme `{}` is not http or https",
                parsed.scheme()
            )));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(invalid("no host".to_owned()));
        }
        let proxy = reqwest::Proxy::all(parsed.as_str()).map_err(|e| invalid(e.to_string()))?;
        Ok(match &self.no_proxy {
            Some(list) => proxy.no_proxy(reqwest::NoProxy::from_string(list)),
            None => proxy,
        })
    }
}

/// Checks a region name: lower-case letters, digits and `-`.
pub(crate) fn check_region(region: &str) -> Result<(), ConfigError> {
    let ok = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ConfigError::InvalidRegion {
            value: region.to_owned(),
        })
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("language", &self.language)
            .field("region_check", &self.region_check)
            .field("limit_checks", &self.limit_checks)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("response_mode", &self.response_mode)
            .field("signed_headers", &self.signed_headers)
            .field(
                "headers",
                &self.headers.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            )
            .field("interceptors", &self.interceptors.len())
            .field("proxy", &self.proxy)
            .field("proxy_from_env", &self.proxy_from_env)
            .field("root_certificates", &self.root_certificates.len())
            .field("custom_transport", &self.transport.is_some())
            .field("retry_budget", &self.retry_budget)
            .field("region_breaker", &self.region_breaker)
            .finish_non_exhaustive()
    }
}

/// The default cap on a response body: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 << 20;

impl Config {
    /// Starts a configuration.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Region from `TENCENTCLOUD_REGION`, endpoint from `TENCENTCLOUD_ENDPOINT`,
    /// credentials from the [`DefaultChain`] (environment, then profile file; the
    /// whole chain of a Tencent Cloud workload is `tencentcloud_config`),
    /// everything else default.
    pub fn from_env() -> Result<Config, ConfigError> {
        ConfigBuilder::from_env()?.build()
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The timeouts.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The rate limits.
    pub fn rate_limit(&self) -> &RateLimitConfig {
        &self.rate_limit
    }

    /// The headers added to every call.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The region breaker, when failover is on.
    pub fn region_breaker(&self) -> Option<&RegionBreaker> {
        self.region_breaker.as_ref()
    }
}

/// Builds a [`Config`].
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    credentials: Option<SharedCredentialsProvider>,
    region: Option<String>,
    endpoint: Option<Endpoint>,
    language: Option<Language>,
    skip_region_check: bool,
    skip_limit_checks: bool,
    timeouts: Option<Timeouts>,
    retry: Option<RetryConfig>,
    rate_limit: Option<RateLimitConfig>,
    max_response_bytes: Option<usize>,
    strict_responses: bool,
    signed_headers: Option<SignedHeaders>,
    request_client: Option<String>,
    http: Option<reqwest::Client>,
    connect_timeout_set: bool,
    transport: Option<SharedTransport>,
    proxy: Option<String>,
    no_proxy: Option<String>,
    proxy_from_env: Option<bool>,
    root_certificates: Vec<Vec<u8>>,
    headers: Vec<(String, String)>,
    interceptors: Vec<SharedInterceptor>,
    retry_budget: Option<RetryBudget>,
    rate_limiter: Option<RateLimiter>,
    region_breaker: Option<RegionBreaker>,
    skip_signing: bool,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// A builder preset from the environment (see [`Config::from_env`]).
    pub fn from_env() -> Result<ConfigBuilder, ConfigError> {
        let mut b = ConfigBuilder::default();
        if let Ok(region) = std::env::var(ENV_REGION) {
            if !region.is_empty() {
                b.region = Some(region);
            }
        }
        if let Ok(endpoint) = std::env::var(ENV_ENDPOINT) {
            if !endpoint.is_empty() {
                b.endpoint = Some(Endpoint::parse(&endpoint)?);
            }
        }
        Ok(b)
    }

    /// Static credentials.
    pub fn credentials(mut self, credentials: crate::credentials::Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Any credentials provider (environment, profile, CVM role, a chain, your own).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The region, e.g. `ap-guangzhou`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where requests go.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// An explicit endpoint URL, e.g. `http://127.0.0.1:8080`.
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        self.endpoint(Endpoint::Url(url.into()))
    }

    /// The language of error messages.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Sends requests even to regions the action is not documented to support.
    pub fn skip_region_check(mut self, skip: bool) -> Self {
        self.skip_region_check = skip;
        self
    }

    /// Sends requests even when a value is outside its documented limit
    /// (ranges, lengths, numbers of items, characters, closed sets of values
    /// taken from Tencent's descriptions; see the runtime's `limits`). By
    /// default such a request is refused before sending with
    /// [`ConstructionError::Limits`](crate::ConstructionError::Limits). For when
    /// the documentation is stale and the service accepts the value; type and
    /// required-member checks still apply. [`CallOptions::skip_limit_checks`](crate::CallOptions::skip_limit_checks)
    /// does the same for one call.
    pub fn skip_limit_checks(mut self, skip: bool) -> Self {
        self.skip_limit_checks = skip;
        self
    }

    /// Sends requests unsigned, with `Authorization: SKIP` and no credentials,
    /// as Tencent documents for the few actions that take none (STS
    /// `AssumeRoleWithWebIdentity`, whose web identity token is the proof).
    /// The credentials provider is then never asked.
    pub fn skip_signing(mut self, skip: bool) -> Self {
        self.skip_signing = skip;
        self
    }

    /// All timeouts at once. A connect timeout other than the default counts
    /// as set (see [`ConfigBuilder::connect_timeout`]).
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        if timeouts.connect != Timeouts::default().connect {
            self.connect_timeout_set = true;
        }
        self.timeouts = Some(timeouts);
        self
    }

    /// Timeout for opening a connection (default 5 s). It is a setting of the
    /// default transport: with [`ConfigBuilder::http_client`] or
    /// [`ConfigBuilder::transport`], set it there; setting it here too fails
    /// `build` rather than be silently ignored.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout_set = true;
        self.timeouts.get_or_insert_with(Timeouts::default).connect = Some(d);
        self
    }

    /// Timeout of each attempt.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.timeouts.get_or_insert_with(Timeouts::default).attempt = Some(d);
        self
    }

    /// Deadline of a whole call, retries included.
    pub fn call_timeout(mut self, d: Duration) -> Self {
        self.timeouts.get_or_insert_with(Timeouts::default).call = Some(d);
        self
    }

    /// The retry policy (default [`RetryConfig::standard`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The client-side rate limits (default: the spec's).
    pub fn rate_limit(mut self, rate_limit: RateLimitConfig) -> Self {
        self.rate_limit = Some(rate_limit);
        self
    }

    /// The largest response body accepted (default 10 MiB).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Decode responses only in their documented types (default `false`).
    ///
    /// By default a value that drifts from its documented type in an
    /// unambiguous way (a decimal string for a number, `0`/`1` for a bool, ...;
    /// the table is in [`crate::drift`]) is accepted, logged as a `tracing`
    /// warning and listed in [`ResponseMeta::coercions`](crate::client::ResponseMeta::coercions).
    /// With `true`, such a response is an error naming the path, as in tests
    /// that hold a server to the documentation.
    pub fn strict_responses(mut self, strict: bool) -> Self {
        self.strict_responses = strict;
        self
    }

    /// Which headers to sign (default `content-type;host`, as the official SDKs).
    pub fn signed_headers(mut self, signed: SignedHeaders) -> Self {
        self.signed_headers = Some(signed);
        self
    }

    /// Appends an application name to `X-TC-RequestClient`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.request_client = Some(format!("{} {}", default_request_client(), name.into()));
        self
    }

    /// A `reqwest` client built elsewhere, used as it is: its own connect
    /// timeout, proxies and TLS roots apply. The attempt and call timeouts
    /// still apply (the runtime enforces them around each attempt); the
    /// connect timeout, the proxy and the root certificates of this builder
    /// cannot be applied to a client already built, so setting them too fails
    /// `build` ([`ConfigError::Conflict`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sends through `transport` instead of `reqwest` (a test double, another
    /// HTTP stack). Everything else (signing, headers, interceptors, retries,
    /// timeouts, parsing) is the client's. Connecting is the transport's: the
    /// connect timeout, proxy and root certificates of this builder conflict.
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// [`ConfigBuilder::transport`] with a transport shared with others.
    pub fn shared_transport(mut self, transport: SharedTransport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Sends every request through this proxy (`http://host:port`, with
    /// `user:password@` if it needs them), HTTPS by `CONNECT`. Without it the
    /// proxy comes from `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY`
    /// (see [`ConfigBuilder::proxy_from_env`]). A malformed URL fails `build`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Hosts that bypass the explicit proxy, comma-separated as in `NO_PROXY`
    /// (`localhost,127.0.0.1,.internal.example`).
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// Whether the proxy variables of the environment (`HTTPS_PROXY`,
    /// `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, in either case) apply when no
    /// explicit proxy is set (default `true`, as `reqwest` and Tencent's SDKs).
    pub fn proxy_from_env(mut self, yes: bool) -> Self {
        self.proxy_from_env = Some(yes);
        self
    }

    /// Trusts this root certificate (PEM) besides the built-in ones, e.g. a
    /// company's TLS-inspecting proxy. May be called several times; a value
    /// that is not a PEM certificate fails `build`.
    pub fn root_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates.push(pem.as_ref().to_vec());
        self
    }

    /// Adds a header to every call. A header the signer owns
    /// (`Authorization`, `X-TC-Action`, ...: [`crate::options::SIGNER_HEADERS`])
    /// or an invalid name or value fails `build`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds an interceptor; interceptors run in the order added, before
    /// those of a call (see [`crate::interceptor`]).
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// [`ConfigBuilder::interceptor`] with an interceptor shared with others.
    pub fn shared_interceptor(mut self, interceptor: SharedInterceptor) -> Self {
        self.interceptors.push(interceptor);
        self
    }

    /// The retry budget (default: a [`RetryBudget::standard`] bucket of its
    /// own per client, shared by its clones). Give several configurations the
    /// same handle to share one bucket; [`RetryBudget::unlimited`] turns it off.
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// The rate limit windows (default: the client's own, shared by its
    /// clones). Give several configurations the same [`RateLimiter`] to make
    /// their clients wait in the same windows: Tencent limits per account.
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Turns failover on (off by default): see [`crate::breaker`].
    pub fn region_breaker(mut self, breaker: RegionBreaker) -> Self {
        self.region_breaker = Some(breaker);
        self
    }

    /// Finishes the configuration. Credentials default to the [`DefaultChain`],
    /// which is consulted at call time.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(region) = &self.region {
            check_region(region)?;
        }
        let endpoint = self.endpoint.unwrap_or_default();
        if let Endpoint::Url(u) = &endpoint {
            ResolvedEndpoint::from_url(u)?;
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let (n, v) =
                crate::options::check_header(name, value).map_err(ConfigError::InvalidHeader)?;
            headers.append(n, v);
        }
        let proxy = self.proxy.map(|url| ProxySettings {
            url,
            no_proxy: self.no_proxy.clone(),
        });
        if let Some(p) = &proxy {
            p.to_reqwest()?;
        } else if self.no_proxy.is_some() {
            return Err(ConfigError::Conflict(
                "no_proxy is set without a proxy: it applies to the explicit proxy only \
                 (for the environment's, set NO_PROXY)"
                    .to_owned(),
            ));
        }
        let own_transport = match (&self.http, &self.transport) {
            (Some(_), Some(_)) => {
                return Err(ConfigError::Conflict(
                    "both http_client and transport are set: give one".to_owned(),
                ))
            }
            (Some(_), None) => Some("http_client"),
            (None, Some(_)) => Some("transport"),
            (None, None) => None,
        };
        let mut timeouts = self.timeouts.unwrap_or_default();
        if let Some(given) = own_transport {
            let conflicts = [
                (self.connect_timeout_set, "connect_timeout"),
                (proxy.is_some(), "proxy"),
                (!self.root_certificates.is_empty(), "root_certificate_pem"),
                (self.proxy_from_env.is_some(), "proxy_from_env"),
            ];
            if let Some((_, what)) = conflicts.iter().find(|(set, _)| *set) {
                return Err(ConfigError::Conflict(format!(
                    "{what} cannot apply to a {given} built elsewhere (it connects on its own): \
                     set it on that client, or drop {given} to use the default transport"
                )));
            }
            // Connecting is the given client's: no connect timeout of ours applies.
            timeouts.connect = None;
        }
        let mut root_certificates = Vec::with_capacity(self.root_certificates.len());
        for (i, pem) in self.root_certificates.iter().enumerate() {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                ConfigError::InvalidCertificate(format!("certificate {}: {e}", i + 1))
            })?;
            if certs.is_empty() {
                return Err(ConfigError::InvalidCertificate(format!(
                    "certificate {}: no PEM `CERTIFICATE` block found",
                    i + 1
                )));
            }
            root_certificates.extend(certs);
        }
        if let Some(b) = &self.region_breaker {
            b.validate()?;
        }
        Ok(Config {
            credentials: self
                .credentials
                .unwrap_or_else(|| Arc::new(DefaultChain::new())),
            region: self.region,
            endpoint,
            language: self.language.unwrap_or_default(),
            region_check: !self.skip_region_check,
            limit_checks: !self.skip_limit_checks,
            timeouts,
            retry: self.retry.unwrap_or_default(),
            rate_limit: self.rate_limit.unwrap_or_default(),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            response_mode: if self.strict_responses {
                crate::drift::Mode::Strict
            } else {
                crate::drift::Mode::Tolerant
            },
            signed_headers: self.signed_headers.unwrap_or_default(),
            request_client: self.request_client.unwrap_or_else(default_request_client),
            http: self.http,
            transport: self.transport,
            proxy,
            proxy_from_env: self.proxy_from_env.unwrap_or(true),
            root_certificates,
            headers,
            interceptors: self.interceptors,
            retry_budget: self.retry_budget,
            rate_limiter: self.rate_limiter,
            region_breaker: self.region_breaker,
            skip_signing: self.skip_signing,
        })
    }
}

fn default_request_client() -> String {
    concat!("tencentcloud-sdk-rust/", env!("CARGO_PKG_VERSION")).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_resolve() {
        let e = ResolvedEndpoint::resolve(
            &Endpoint::Default,
            "trtc.tencentcloudapi.com",
            Some("trtc.intl.tencentcloudapi.com"),
        )
        .unwrap();
        assert_eq!(e.url.as_str(), "https://trtc.tencentcloudapi.com/");
        assert_eq!(e.host, "trtc.tencentcloudapi.com");
        let e = ResolvedEndpoint::resolve(
            &Endpoint::International,
            "trtc.tencentcloudapi.com",
            Some("trtc.intl.tencentcloudapi.com"),
        )
        .unwrap();
        assert_eq!(e.host, "trtc.intl.tencentcloudapi.com");
        let e =
            ResolvedEndpoint::resolve(&Endpoint::Url("http://127.0.0.1:8080".into()), "x", None)
                .unwrap();
        assert_eq!(e.url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(e.host, "127.0.0.1:8080");
        let e = ResolvedEndpoint::from_url("https://trtc.tencentcloudapi.com:443").unwrap();
        assert_eq!(e.host, "trtc.tencentcloudapi.com");
    }

    #[test]
    fn bad_endpoints_are_named() {
        for bad in ["ftp://x", "http://", "http://h/path", "http://h/?q=1", ""] {
            let e = Endpoint::parse(bad).unwrap_err();
            assert!(e.to_string().contains("invalid endpoint"), "{bad}: {e}");
        }
        assert_eq!(
            Endpoint::parse("international").unwrap(),
            Endpoint::International
        );
        assert_eq!(Endpoint::parse("default").unwrap(), Endpoint::Default);
    }

    #[test]
    fn proxy_passwords_never_print() {
        let b = Config::builder().proxy("http://alice:s3cret@proxy.example:3128");
        let config = b.build().unwrap();
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("alice"),
            "{shown}"
        );
        let e = Config::builder()
            .proxy("ftp://bob:hunter2@proxy:21")
            .build()
            .unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(
            e.to_string().contains("ftp://bob:** redacted **@proxy:21"),
            "{e}"
        );
        assert_eq!(mask_userinfo("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(mask_userinfo("not a url"), "not a url");
    }

    #[test]
    fn bad_region_is_refused() {
        let e = Config::builder()
            .region("AP Guangzhou")
            .build()
            .unwrap_err();
        assert!(matches!(e, ConfigError::InvalidRegion { .. }));
        assert!(Config::builder().region("ap-guangzhou").build().is_ok());
    }

    #[test]
    fn rate_limit_overrides() {
        let r = RateLimitConfig::from_spec()
            .action("A", Some(5))
            .action("B", None);
        let twenty = Some(RateLimit::per_second(20));
        assert_eq!(r.limit_for("A", twenty), Some(RateLimit::per_second(5)));
        assert_eq!(r.limit_for("B", twenty), None);
        assert_eq!(r.limit_for("C", twenty), twenty);
        assert_eq!(RateLimitConfig::disabled().limit_for("C", twenty), None);
        let slow = RateLimit::every(1, 15);
        assert_eq!(r.limit_for("D", Some(slow)), Some(slow));
        assert_eq!(r.window_for(slow), Duration::from_millis(15_750));
        assert_eq!(slow.to_string(), "one request every 15 seconds");
    }
}
