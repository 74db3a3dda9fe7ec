//! Runnable examples live in `examples/`; see `cargo run --example quickstart -- --help`.
