//! The cross-crate integration tests, one binary: one module per file, each
//! named for what it proves (`cargo test -p tencentcloud-tests --test it
//! MODULE::`). One binary links the client, the local endpoint and the
//! helpers once instead of once per file. Tests that change process-wide
//! state keep a binary of their own: `tests/credentials.rs` and `tests/sts_credentials.rs` (the
//! process environment), `tests/logs.rs` and `tests/ai_logs.rs` (`tracing` caches
//! per-callsite interest process-wide).

mod actions;
mod ai_config;
mod ai_conversation;
mod callback_receiver;
mod callbacks;
mod client_e2e;
mod drift;
mod edge_cases;
mod examples;
mod fuzz_response;
mod interop_node;
mod interop_python;
mod interop_tls_sig;
mod limits;
mod local_endpoint;
mod metadata;
mod pipeline;
mod production;
mod proxy_tls;
mod recording_callbacks;
mod roundtrip;
mod scripts;
mod waiters;
mod whole_service;
