//! An audit-log interceptor against the local endpoint, with nothing
//! configured: starts a transcription (its request carries a UserSig) and
//! asks for a task that does not exist; the audit lines go to standard
//! output, the UserSig masked by the spec's `sensitive` mark.
//!
//! ```text
//! cargo run --example audit_log
//! ```

use std::process::ExitCode;

use tencentcloud_examples::audit_log::AuditLog;
use tencentcloud_examples::local_config;
use tencentcloud_local_endpoint::{LocalEndpoint, DEFAULT_APP_KEY};
use tencentcloud_trtc::model::{AsrParam, RoomIdType, TranscriptionParam};
use tencentcloud_trtc::Client;
use tencentcloud_trtc_server::usersig::TlsSigApi;

async fn main_inner() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = LocalEndpoint::builder().start().await?;
    let audit = AuditLog::new(std::io::stdout());
    let client = Client::new(local_config(&endpoint).interceptor(audit).build()?)?;
    let sig = TlsSigApi::new(1_400_000_001, DEFAULT_APP_KEY)
        .user_sig("bot", 600)
        .sign();
    client
        .create_cloud_transcription()
        .sdk_app_id(1_400_000_001)
        .room_id("1234")
        .room_id_type(RoomIdType::Integer)
        .transcription_param(
            TranscriptionParam::builder()
                .user_id("bot")
                .user_sig(sig)
                .build()?,
        )
        .asr_param(AsrParam::builder().lang("16k_zh_en").build()?)
        .send()
        .await?;
    let _ = client
        .describe_cloud_transcription()
        .sdk_app_id(1_400_000_001)
        .task_id("no-such-task")
        .send()
        .await;
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
