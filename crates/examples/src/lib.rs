//! Runnable examples live in `examples/`; see `cargo run --example quickstart -- --help`.
//! The quickstart's lifecycle is [`quickstart::run`], so that it is tested.
//!
//! The repository README is included below so that its code compiles as doctests.
#![doc = include_str!("../../../README.md")]

pub mod audit_log;
pub mod metrics;
pub mod quickstart;
pub mod voice_agent;

/// A configuration for a local endpoint started in the process (its test
/// key, region `ap-guangzhou`), for the examples that run with nothing configured.
pub fn local_config(
    endpoint: &tencentcloud_local_endpoint::LocalEndpoint,
) -> tencentcloud_trtc::ConfigBuilder {
    tencentcloud_trtc::Config::builder()
        .credentials(tencentcloud_trtc::Credentials::new(
            tencentcloud_local_endpoint::DEFAULT_SECRET_ID,
            tencentcloud_local_endpoint::DEFAULT_SECRET_KEY,
        ))
        .region("ap-guangzhou")
        .endpoint_url(endpoint.url())
}
