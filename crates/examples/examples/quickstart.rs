//! The transcription lifecycle: CreateCloudTranscription, DescribeCloudTranscription,
//! DeleteCloudTranscription.
//!
//! With no `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY` in the environment
//! it starts the local endpoint inside this process and runs against it. With
//! them, it calls Tencent Cloud (or `TENCENTCLOUD_ENDPOINT`, e.g.
//! `http://127.0.0.1:PORT`, `international`) in `TENCENTCLOUD_REGION`
//! (default `ap-guangzhou`).
//!
//! ```text
//! cargo run --example quickstart
//! cargo run --example quickstart -- --sdk-app-id 1400000001 --room-id 1234 --user-id bot --user-sig "$SIG"
//! ```

use std::process::ExitCode;

use clap::Parser;
use tencentcloud_local_endpoint::{LocalEndpoint, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use tencentcloud_trtc::model::{AsrParam, RoomIdType, TranscriptionParam};
use tencentcloud_trtc::{Client, Config, ConfigBuilder, Credentials};

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
    /// The UserSig of that UserId.
    #[arg(
        long,
        env = "TRTC_USER_SIG",
        default_value = "eJjdaVgrxCdYrzkx*************BLATRT",
        hide_default_value = true,
        hide_env_values = true
    )]
    user_sig: String,
    /// The ASR model.
    #[arg(long, default_value = "16k_zh_en")]
    lang: String,
}

fn redact(sig: &str) -> String {
    let shown: String = sig.chars().take(4).collect();
    format!("{shown}… ({} chars)", sig.chars().count())
}

async fn run(args: Args) -> Result<(), String> {
    let has_keys = std::env::var_os("TENCENTCLOUD_SECRET_ID").is_some()
        && std::env::var_os("TENCENTCLOUD_SECRET_KEY").is_some();
    let _local;
    let config = if has_keys {
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
        config
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
        config
    };
    let client = Client::new(config).map_err(|e| e.to_string())?;

    let room_id_type = if args.room_id.parse::<u64>().is_ok() {
        RoomIdType::Integer
    } else {
        RoomIdType::String
    };
    println!(
        "CreateCloudTranscription: SdkAppId {}, room {} ({room_id_type:?}), user {}, UserSig {}",
        args.sdk_app_id,
        args.room_id,
        args.user_id,
        redact(&args.user_sig)
    );
    let created = client
        .create_cloud_transcription()
        .sdk_app_id(args.sdk_app_id)
        .room_id(&args.room_id)
        .room_id_type(room_id_type)
        .transcription_param(
            TranscriptionParam::builder()
                .user_id(&args.user_id)
                .user_sig(&args.user_sig)
                .max_idle_time(30)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .asr_param(
            AsrParam::builder()
                .lang(&args.lang)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .send()
        .await
        .map_err(|e| e.to_string())?;
    println!("  TaskId    {}", created.task_id);
    println!("  RequestId {}", created.request_id);

    let described = client
        .describe_cloud_transcription()
        .sdk_app_id(args.sdk_app_id)
        .task_id(&created.task_id)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    println!("DescribeCloudTranscription:");
    println!("  Status    {}", described.status);
    println!(
        "  StartTime {} (ms since the Unix epoch)",
        described.start_time
    );

    let deleted = client
        .delete_cloud_transcription()
        .sdk_app_id(args.sdk_app_id)
        .task_id(&created.task_id)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    println!("DeleteCloudTranscription:");
    println!("  stopped   {}", deleted.task_id);
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
