//! Runnable examples live in `examples/`; see `cargo run --example quickstart -- --help`.
//!
//! The repository README is included below so that its code compiles as doctests.
#![doc = include_str!("../../../README.md")]
