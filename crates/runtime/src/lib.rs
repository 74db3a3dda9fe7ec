//! The hand-written runtime under the generated Tencent Cloud API 3.0 crates.
//!
//! It knows no service: generated crates describe a service with
//! [`ServiceMeta`], each action with [`ActionMeta`], and call [`Client::call`].
//! This crate does the rest: TC3-HMAC-SHA256 signing ([`sign`]), credentials
//! ([`credentials`]), configuration ([`Config`]), the transport ([`transport`]:
//! `reqwest` with rustls by default), retries with a retry budget
//! ([`budget`]), client-side rate limits, timeouts, clock-skew correction,
//! trace IDs ([`trace`]), per-call options ([`CallOptions`]), interceptors
//! ([`interceptor`]), failover ([`breaker`]), one redaction rule ([`redact`]),
//! any action by name ([`DynamicClient`]), the API 3.0 response envelope
//! ([`envelope`]), and test doubles below the client (`test-util`).
//!
//! ```no_run
//! use tencentcloud_runtime::{Config, Credentials};
//!
//! let config = Config::builder()
//!     .credentials(Credentials::new("AKID...", "secret key"))
//!     .region("ap-guangzhou")
//!     .build()?;
//! # Ok::<(), tencentcloud_runtime::ConfigError>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "client")]
pub mod breaker;
#[cfg(feature = "client")]
pub mod budget;
pub mod callback;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod config;
#[cfg(feature = "client")]
pub mod credentials;
pub mod drift;
#[cfg(feature = "client")]
pub mod dynamic;
#[cfg(feature = "client")]
pub mod envelope;
pub mod error;
#[cfg(feature = "client")]
pub mod event_stream;
#[cfg(feature = "client")]
pub mod interceptor;
pub mod json_string;
pub mod limits;
pub mod meta;
#[cfg(feature = "client")]
pub mod options;
#[cfg(feature = "client")]
pub mod paginate;
#[cfg(feature = "client")]
mod rate_limit;
pub mod redact;
#[cfg(feature = "client")]
pub mod retry;
pub mod sign;
#[cfg(feature = "test-util")]
pub mod test_util;
#[cfg(feature = "client")]
pub mod trace;
#[cfg(feature = "client")]
pub mod transport;
pub mod value;
#[cfg(feature = "client")]
pub mod waiter;

#[cfg(feature = "client")]
pub use breaker::{BreakerState, RegionBreaker};
#[cfg(feature = "client")]
pub use budget::RetryBudget;
#[cfg(feature = "client")]
pub use dynamic::DynamicClient;
#[cfg(feature = "client")]
pub use interceptor::{CallInfo, Interceptor, ResponseInfo, SharedInterceptor};
#[cfg(feature = "client")]
pub use options::CallOptions;
#[cfg(feature = "client")]
pub use rate_limit::RateLimiter;
#[cfg(feature = "client")]
pub use transport::{HttpTransport, ReqwestTransport};

#[cfg(feature = "client")]
pub use client::{Client, RawResponse, ResponseMeta};
#[cfg(feature = "client")]
pub use config::{
    Config, ConfigBuilder, ConfigError, Endpoint, Language, RateLimitConfig, Timeouts,
};
#[cfg(feature = "client")]
pub use credentials::{
    Credentials, CredentialsError, DefaultChain, EnvironmentProvider, ProfileProvider,
    ProvideCredentials, Secret,
};
#[cfg(feature = "client")]
pub use error::SdkError;
pub use error::{
    ApiError, BuildError, ConstructionError, DispatchError, DispatchKind, ErrorCategory,
    ProvideApiError, ProvideErrorMetadata, ResponseError, ResponseErrorKind, ServiceError,
};
#[cfg(feature = "client")]
pub use event_stream::EventStream;
pub use json_string::{JsonConfig, JsonConfigError, JsonFloat, JsonObject, JsonString};
pub use limits::{LimitError, Violation};
pub use meta::{ActionMeta, NotFound, RateLimit, ServiceMeta, StreamMeta, WaiterMeta};
#[cfg(feature = "client")]
pub use paginate::{Cursor, ItemStream, PageStream, PageStyle};
#[cfg(feature = "client")]
pub use retry::RetryConfig;
pub use value::StringOrInt;
#[cfg(feature = "client")]
pub use waiter::WaiterOutcome;

/// What generated code uses; not part of the public API.
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

/// The `Stream` trait event streams and paginators implement (from `futures-core`).
#[cfg(feature = "client")]
pub use futures_core::Stream;
