//! The two interceptor examples against the local endpoint: the counters
//! count what happened, the audit log masks what the spec marks sensitive.

use std::sync::{Arc, Mutex};

use tencentcloud_examples::audit_log::AuditLog;
use tencentcloud_examples::local_config;
use tencentcloud_examples::metrics::Metrics;
use tencentcloud_local_endpoint::{Fault, LocalEndpoint, DEFAULT_APP_KEY, DEFAULT_SECRET_KEY};
use tencentcloud_trtc::model::{AsrParam, RoomIdType, TranscriptionParam};
use tencentcloud_trtc::{Client, RetryConfig};
use tencentcloud_trtc_server::usersig::TlsSigApi;

#[tokio::test]
async fn the_metrics_interceptor_counts_calls_attempts_and_failures() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let metrics = Metrics::new();
    let client = Client::new(
        local_config(&endpoint)
            .retry(RetryConfig::standard().initial_backoff(std::time::Duration::from_millis(1)))
            .interceptor(metrics.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let list = || {
        client
            .describe_room_info()
            .sdk_app_id(1_400_000_001)
            .start_time(1_700_000_000)
            .end_time(1_700_003_600)
            .send()
    };
    list().await.unwrap();
    endpoint.inject(Fault::error("RequestLimitExceeded"), 1);
    list().await.unwrap();
    endpoint.inject(Fault::error("InvalidParameter.SdkAppId"), 1);
    assert!(list().await.is_err());
    endpoint.inject(Fault::Drop, 1);
    assert!(list().await.is_err());
    let s = metrics.snapshot();
    assert_eq!((s.calls, s.attempts), (4, 5));
    assert_eq!(s.by_status.get(&200), Some(&4), "{s:?}");
    assert_eq!(s.failures.get("InvalidParameter.SdkAppId"), Some(&1));
    assert_eq!(s.failures.get("dispatch"), Some(&1));
    assert_eq!(s.failures.len(), 2);
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_audit_log_masks_the_sensitive_members() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let buffer = Buffer::default();
    let client = Client::new(
        local_config(&endpoint)
            .interceptor(AuditLog::new(buffer.clone()))
            .build()
            .unwrap(),
    )
    .unwrap();
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
                .user_sig(sig.clone())
                .build()
                .unwrap(),
        )
        .asr_param(AsrParam::builder().lang("16k_zh_en").build().unwrap())
        .send()
        .await
        .unwrap();
    let err = client
        .describe_cloud_transcription()
        .sdk_app_id(1_400_000_001)
        .task_id("no-such-task")
        .send()
        .await
        .unwrap_err();
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        !text.contains(&sig) && !text.contains(DEFAULT_SECRET_KEY),
        "{text}"
    );
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        ["request", "response", "request", "response", "error"]
    );
    assert_eq!(
        lines[0]["body"]["TranscriptionParam"]["UserSig"],
        tencentcloud_trtc::runtime::redact::REDACTED
    );
    assert_eq!(lines[0]["body"]["TranscriptionParam"]["UserId"], "bot");
    let sent = endpoint.calls()[0]
        .header("x-tc-traceid")
        .unwrap()
        .to_owned();
    assert_eq!(lines[0]["trace_id"], sent.as_str());
    assert_eq!(lines[4]["code"], "ResourceNotFound");
    assert_eq!(lines[4]["trace_id"].as_str(), err.trace_id());
}
