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
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod config;
#[cfg(feature = "client")]
pub mod credentials;
#[cfg(feature = "client")]
pub mod envelope;
pub mod error;
#[cfg(feature = "client")]
pub mod event_stream;
#[cfg(feature = "client")]
pub mod paginate;
#[cfg(feature = "client")]
mod rate_limit;
#[cfg(feature = "client")]
pub mod retry;
pub mod sign;
pub mod value;

#[cfg(feature = "client")]
pub use client::{ActionMeta, Client, RawResponse, ServiceMeta};
#[cfg(feature = "client")]
pub use config::{
    Config, ConfigBuilder, ConfigError, Endpoint, Language, RateLimit, RateLimitConfig, Timeouts,
};
#[cfg(feature = "client")]
pub use credentials::{
    Credentials, CredentialsError, CvmRoleProvider, DefaultChain, EnvironmentProvider,
    ProfileProvider, ProvideCredentials, Secret,
};
#[cfg(feature = "client")]
pub use error::SdkError;
pub use error::{
    ApiError, BuildError, ConstructionError, DispatchError, DispatchKind, ErrorCategory,
    ProvideApiError, ResponseError, ResponseErrorKind, ServiceError,
};
#[cfg(feature = "client")]
pub use event_stream::{EventStream, StreamMeta};
#[cfg(feature = "client")]
pub use paginate::{Cursor, ItemStream, PageStream, PageStyle};
#[cfg(feature = "client")]
pub use retry::RetryConfig;
pub use value::StringOrInt;

/// Re-exported for generated code.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;

    use std::borrow::Cow;
    use std::fmt;

    /// A JSON member name, borrowed from the input when it has no escapes:
    /// the generated `Deserialize` impls match on it.
    pub struct Key<'de>(Cow<'de, str>);

    impl Key<'_> {
        /// The name.
        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    impl<'de> serde::Deserialize<'de> for Key<'de> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a member name")
                }
                fn visit_borrowed_str<E: serde::de::Error>(
                    self,
                    v: &'de str,
                ) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Borrowed(v)))
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(v.to_owned())))
                }
                fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(v)))
                }
            }
            d.deserialize_str(V)
        }
    }
}

/// The `Stream` trait event streams and paginators implement (from `futures-core`).
#[cfg(feature = "client")]
pub use futures_core::Stream;
