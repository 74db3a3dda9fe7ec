//! The transcription lifecycle: CreateCloudTranscription, DescribeCloudTranscription,
//! DeleteCloudTranscription.
//!
//! With no `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY` in the environment
//! it starts the local endpoint inside this process and runs against it. With
//! them, it calls Tencent Cloud (or `TENCENTCLOUD_ENDPOINT`, e.g.
//! `http://127.0.0.1:PORT`, `international`) in `TENCENTCLOUD_REGION`
//! (default `ap-guangzhou`).
//!
//! The transcription bot joins the room with a UserSig. The quickstart makes
//! one itself from the application's key (`TRTC_SDK_SECRET_KEY`, the
//! "SDKSecretKey" of the application in the TRTC console; against the local
//! endpoint, the endpoint's own key); `--user-sig` still overrides it.
//!
//! ```text
//! cargo run --example quickstart
//! TRTC_SDK_SECRET_KEY=... cargo run --example quickstart -- --sdk-app-id 1400000001 --room-id 1234 --user-id bot
//! ```

use std::process::ExitCode;

use clap::Parser;
use tencentcloud_examples::quickstart::{self, Options};
use tencentcloud_local_endpoint::{
    LocalEndpoint, DEFAULT_APP_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};
use tencentcloud_trtc::{Client, Config, ConfigBuilder, Credentials};
use tencentcloud_trtc_server::SecretKey;

/// Start, query and stop a TRTC cloud transcription task.
#[derive(Parser, Debug)]
struct Args {
    /// SdkAppId of the TRTC application.
    #[arg(long, env = "TRTC_SDK_APP_ID", default_value_t = 14_000_000)]
    sdk_app_id: u64,
    /// The room to transcribe.
    #[arg(long, env = "TRTC_ROOM_ID", default_value = "295000")]
    room_id: String,
    /// The UserId the transcription service joins the room as.
    #[arg(long, env = "TRTC_USER_ID", default_value = "trtc_test_1")]
    user_id: String,
    /// The UserSig of that UserId (default: made from TRTC_SDK_SECRET_KEY).
    #[arg(long, env = "TRTC_USER_SIG", hide_env_values = true)]
    user_sig: Option<String>,
    /// How long a generated UserSig is valid, in seconds.
    #[arg(long, default_value_t = 86_400)]
    user_sig_validity: u64,
    /// The ASR model.
    #[arg(long, default_value = "16k_zh_en")]
    lang: String,
    /// Run as a simulated TKE pod: the local endpoint serving STS and TRTC,
    /// an OIDC token file and the TKE variables, no long-lived key anywhere.
    #[arg(long)]
    simulate_tke: bool,
}

async fn main_() -> Result<(), String> {
    let args = Args::parse();
    let has_keys = std::env::var_os("TENCENTCLOUD_SECRET_ID").is_some()
        && std::env::var_os("TENCENTCLOUD_SECRET_KEY").is_some();
    let in_pod = std::env::var_os("TKE_ROLE_ARN").is_some();
    let _local;
    let mut _pod = None;
    let (config, app_key) = if args.simulate_tke {
        let region = std::env::var("TENCENTCLOUD_REGION").unwrap_or_else(|_| "ap-guangzhou".into());
        let pod = quickstart::SimulatedTkePod::start(&region).await?;
        println!(
            "Simulated TKE pod: TKE_* variables and a token file set, STS and TRTC at {}",
            pod.endpoint.url()
        );
        let config = Config::builder()
            .credentials_provider(pod.chain.clone())
            .region(region)
            .endpoint_url(pod.endpoint.url())
            .build()
            .map_err(|e| e.to_string())?;
        _pod = Some(pod);
        (config, Some(SecretKey::new(DEFAULT_APP_KEY)))
    } else if has_keys || in_pod {
        // The whole chain: environment, SCF, TKE pod identity, profiles, CVM role.
        let mut b = tencentcloud_config::from_env().map_err(|e| e.to_string())?;
        if tencentcloud_config::region().is_none() {
            b = b.region("ap-guangzhou");
        }
        let config = b.build().map_err(|e| e.to_string())?;
        println!(
            "Using credentials from the default chain, region {}, endpoint {:?}",
            config.region().unwrap_or("?"),
            config.endpoint()
        );
        let app_key = std::env::var("TRTC_SDK_SECRET_KEY")
            .ok()
            .map(SecretKey::new);
        (config, app_key)
    } else if has_keys {
        let mut b = ConfigBuilder::from_env().map_err(|e| e.to_string())?;
        if std::env::var_os("TENCENTCLOUD_REGION").is_none() {
            b = b.region("ap-guangzhou");
        }
        let config = b.build().map_err(|e| e.to_string())?;
        println!(
            "Using credentials from the environment, region {}, endpoint {:?}",
            config.region().unwrap_or("?"),
            config.endpoint()
        );
        let app_key = std::env::var("TRTC_SDK_SECRET_KEY")
            .ok()
            .map(SecretKey::new);
        (config, app_key)
    } else {
        let endpoint = LocalEndpoint::builder()
            .start()
            .await
            .map_err(|e| format!("cannot start the local endpoint: {e}"))?;
        println!(
            "No TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY set: using the local endpoint at {}",
            endpoint.url()
        );
        let config = Config::builder()
            .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
            .region(std::env::var("TENCENTCLOUD_REGION").unwrap_or_else(|_| "ap-guangzhou".into()))
            .endpoint_url(endpoint.url())
            .build()
            .map_err(|e| e.to_string())?;
        _local = endpoint;
        // The local endpoint checks UserSigs with its own application key.
        (config, Some(SecretKey::new(DEFAULT_APP_KEY)))
    };
    let client = Client::new(config).map_err(|e| e.to_string())?;
    let opts = Options {
        sdk_app_id: args.sdk_app_id,
        room_id: args.room_id,
        user_id: args.user_id,
        user_sig: args.user_sig,
        user_sig_validity: args.user_sig_validity,
        lang: args.lang,
    };
    quickstart::run(&client, app_key.as_ref(), &opts, |line| println!("{line}")).await?;
    if let Some(pod) = &_pod {
        if let Some(cache) = pod.chain.resolved() {
            let c = cache.credentials().await.map_err(|e| e.to_string())?;
            println!(
                "Credentials came from: {} (temporary, {} STS call)",
                c.provider(),
                pod.endpoint.count("AssumeRoleWithWebIdentity")
            );
        }
    }
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
    match main_().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
