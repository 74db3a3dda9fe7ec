//! Server-side tools for TRTC (Tencent Real-Time Communication) applications.
//!
//! - [`usersig`]: UserSig and PrivateMapKey tickets, the format of Tencent's
//!   `TLSSigAPIv2` libraries: generate them for your users, verify and decode
//!   them (HMAC compared in constant time).
//! - [`callback`]: verify the event callbacks (webhooks) TRTC posts to your
//!   server (`Sign` header = base64 HMAC-SHA256 of the raw body), and the
//!   answer TRTC expects.
//! - `receiver` (feature `receiver`): a small HTTP/1.1 server on hyper that
//!   verifies callbacks and hands each accepted one to your function.
//!
//! Keys are [`SecretKey`]s: no `Debug`, `Display`, error or log line of this
//! crate shows them.
//!
//! ```
//! use tencentcloud_trtc_server::usersig::TlsSigApi;
//!
//! let api = TlsSigApi::new(1_400_000_001, "the application's secret key");
//! let sig = api.user_sig("alice", 86_400).sign();
//! let info = api.verify_user_sig(&sig, Some("alice"))?;
//! assert_eq!(info.sdk_app_id, 1_400_000_001);
//! # Ok::<(), tencentcloud_trtc_server::usersig::VerifyError>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod callback;
#[cfg(feature = "receiver")]
pub mod receiver;
mod secret;
pub mod usersig;

pub use secret::{KeyError, SecretKey};

/// The typed callback events, generated from the spec (re-exported from
/// `tencentcloud-trtc-model`): [`callbacks::Event`] and the types of every
/// event's `EventInfo` and `Payload`.
pub use tencentcloud_trtc_model as model;
pub use tencentcloud_trtc_model::callbacks;
