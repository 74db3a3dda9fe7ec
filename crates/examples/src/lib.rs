//! Runnable examples live in `examples/`; see `cargo run --example quickstart -- --help`.
//! The quickstart's lifecycle is [`quickstart::run`], so that it is tested.
//!
//! The repository README is included below so that its code compiles as doctests.
#![doc = include_str!("../../../README.md")]

pub mod quickstart;
pub mod voice_agent;
