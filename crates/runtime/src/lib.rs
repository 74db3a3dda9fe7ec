//! The hand-written runtime under the generated Tencent Cloud API 3.0 crates.
//!
//! It knows no service: generated crates describe a service with
//! [`ServiceMeta`], each action with [`ActionMeta`], and call [`Client::call`].
//! This crate does the rest: TC3-HMAC-SHA256 signing ([`sign`]), credentials
//! ([`credentials`]), configuration ([`Config`]), the `reqwest` transport with
//! rustls, retries, client-side rate limits, timeouts, clock-skew correction,
//! and the API 3.0 response envelope ([`envelope`]).
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

pub mod client;
pub mod config;
pub mod credentials;
pub mod envelope;
pub mod error;
pub mod event_stream;
pub mod paginate;
mod rate_limit;
pub mod retry;
pub mod sign;

pub use client::{ActionMeta, Client, RawResponse, ServiceMeta};
pub use config::{
    Config, ConfigBuilder, ConfigError, Endpoint, Language, RateLimit, RateLimitConfig, Timeouts,
};
pub use credentials::{
    Credentials, CredentialsError, CvmRoleProvider, DefaultChain, EnvironmentProvider,
    ProfileProvider, ProvideCredentials, Secret,
};
pub use error::{
    ApiError, BuildError, ConstructionError, DispatchError, DispatchKind, ErrorCategory,
    ProvideApiError, ResponseError, ResponseErrorKind, SdkError, ServiceError,
};
pub use event_stream::{EventStream, StreamMeta};
pub use paginate::{Cursor, ItemStream, PageStream, PageStyle};
pub use retry::RetryConfig;

/// Re-exported for generated code.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}

/// The `Stream` trait event streams and paginators implement (from `futures-core`).
pub use futures_core::Stream;
