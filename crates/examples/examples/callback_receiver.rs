//! Receive TRTC event callbacks: verify each POST, answer TRTC, and print one
//! JSON line per accepted event on stdout (status messages go to stderr).
//!
//! ```text
//! cargo run --example callback_receiver -- --port 8080 --key "$TRTC_CALLBACK_KEY" [--sdk-app-id 1400000001]
//! ```
//!
//! Point the TRTC console's callback URL at it (through your HTTPS proxy).
//! Each accepted event prints
//! `{"group":2,"type":204,"event":"group2.type204","idempotency_key":"…"}`;
//! TRTC retries a delivery it thinks failed, so the same event (same
//! `idempotency_key`) can be printed more than once.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use tencentcloud_trtc_server::callback::CallbackVerifier;
use tencentcloud_trtc_server::{receiver, SecretKey};

/// Verify TRTC callbacks and print the accepted events as JSON lines.
#[derive(Parser, Debug)]
struct Args {
    /// The port to listen on, on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The callback key set in the TRTC console ("Callback Configuration").
    #[arg(long, env = "TRTC_CALLBACK_KEY", hide_env_values = true)]
    key: String,
    /// Accept only callbacks whose SdkAppId header is this application's.
    #[arg(long)]
    sdk_app_id: Option<u64>,
}

async fn run(args: Args) -> Result<(), String> {
    let key = SecretKey::from(args.key);
    key.validate().map_err(|e| format!("--key: {e}"))?;
    let mut verifier = CallbackVerifier::new(key);
    if let Some(app) = args.sdk_app_id {
        verifier = verifier.expect_sdk_app_id(app);
    }
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("listening on http://{local}/ for TRTC callbacks");
    receiver::serve(listener, verifier, |callback| {
        println!("{}", receiver::event_line(callback));
    })
    .await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
