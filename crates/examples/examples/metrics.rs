//! A metrics interceptor against the local endpoint, with nothing configured:
//! a few calls, one throttled and retried, one failing; then the counters.
//!
//! ```text
//! cargo run --example metrics
//! ```

use std::process::ExitCode;

use tencentcloud_examples::local_config;
use tencentcloud_examples::metrics::Metrics;
use tencentcloud_local_endpoint::{Fault, LocalEndpoint};
use tencentcloud_trtc::Client;

async fn main_inner() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = LocalEndpoint::builder().start().await?;
    let metrics = Metrics::new();
    let client = Client::new(
        local_config(&endpoint)
            .interceptor(metrics.clone())
            .build()?,
    )?;
    let list = || {
        client
            .describe_room_info()
            .sdk_app_id(1_400_000_001)
            .start_time(1_700_000_000)
            .end_time(1_700_003_600)
            .send()
    };
    list().await?;
    endpoint.inject(Fault::error("RequestLimitExceeded"), 1);
    list().await?;
    endpoint.inject(Fault::error("InvalidParameter.SdkAppId"), 1);
    let _ = list().await;
    println!("{:#?}", metrics.snapshot());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match main_inner().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
