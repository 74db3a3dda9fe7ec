//! Client configuration: credentials, region, endpoint, timeouts, retries, rate limits.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{DefaultChain, ProvideCredentials, SharedCredentialsProvider};
use crate::retry::RetryConfig;
use crate::sign::SignedHeaders;

/// The region variable.
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// The endpoint variable: `default`, `international`, a host name, or a URL
/// such as `http://127.0.0.1:8080` for a local endpoint.
pub const ENV_ENDPOINT: &str = "TENCENTCLOUD_ENDPOINT";

/// Where requests go.
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
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limit: RateLimitConfig,
    pub(crate) max_response_bytes: usize,
    pub(crate) response_mode: crate::drift::Mode,
    pub(crate) signed_headers: SignedHeaders,
    pub(crate) request_client: String,
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) skip_signing: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("language", &self.language)
            .field("region_check", &self.region_check)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("response_mode", &self.response_mode)
            .field("signed_headers", &self.signed_headers)
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
}

/// Builds a [`Config`].
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    credentials: Option<SharedCredentialsProvider>,
    region: Option<String>,
    endpoint: Option<Endpoint>,
    language: Option<Language>,
    skip_region_check: bool,
    timeouts: Option<Timeouts>,
    retry: Option<RetryConfig>,
    rate_limit: Option<RateLimitConfig>,
    max_response_bytes: Option<usize>,
    strict_responses: bool,
    signed_headers: Option<SignedHeaders>,
    request_client: Option<String>,
    http: Option<reqwest::Client>,
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

    /// Sends requests unsigned, with `Authorization: SKIP` and no credentials,
    /// as Tencent documents for the few actions that take none (STS
    /// `AssumeRoleWithWebIdentity`, whose web identity token is the proof).
    /// The credentials provider is then never asked.
    pub fn skip_signing(mut self, skip: bool) -> Self {
        self.skip_signing = skip;
        self
    }

    /// All timeouts at once.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Timeout for opening a connection.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
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

    /// A preconfigured `reqwest` client (proxies, TLS roots). Timeouts still apply per attempt.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Finishes the configuration. Credentials default to the [`DefaultChain`],
    /// which is consulted at call time.
    pub fn build(self) -> Result<Config, ConfigError> {
        if let Some(region) = &self.region {
            let ok = !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(ConfigError::InvalidRegion {
                    value: region.clone(),
                });
            }
        }
        let endpoint = self.endpoint.unwrap_or_default();
        if let Endpoint::Url(u) = &endpoint {
            ResolvedEndpoint::from_url(u)?;
        }
        Ok(Config {
            credentials: self
                .credentials
                .unwrap_or_else(|| Arc::new(DefaultChain::new())),
            region: self.region,
            endpoint,
            language: self.language.unwrap_or_default(),
            region_check: !self.skip_region_check,
            timeouts: self.timeouts.unwrap_or_default(),
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
