//! No secret of an AI configuration (an LLM API key, a TTS secret key, an STT
//! subscription key) reaches a log line, an error or a `Debug` output: not on
//! a successful start, not when the SDK refuses a bad configuration before
//! sending, not when the endpoint refuses one. Alone in its test binary, like
//! `tests/logs.rs` (`tracing` caches per-callsite interest process-wide).

use std::sync::{Arc, Mutex};

use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_tests::{config_for, user_sig};
use tencentcloud_trtc::model::json::{LlmConfig, SttCustomParam, TtsConfig};
use tencentcloud_trtc::model::{AgentConfig, SttConfig};
use tencentcloud_trtc::Client;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const LLM_KEY: &str = "sk-LLM-SECRET-IN-LOGS-TEST";
const TTS_KEY: &str = "TTS-SECRET-KEY-IN-LOGS-TEST";
const STT_KEY: &str = "STT-SUBSCRIPTION-IN-LOGS-TEST";
const APP: u64 = 1_400_000_001;

#[test]
fn ai_secrets_never_reach_logs_errors_or_debug() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut texts: Vec<String> = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        rt.block_on(async {
            let endpoint = LocalEndpoint::builder().start().await.unwrap();
            let client = Client::new(config_for(&endpoint).build().unwrap()).unwrap();
            let agent = AgentConfig::builder()
                .user_id("bot")
                .user_sig(user_sig(APP, "bot"))
                .target_user_id("alice")
                .build()
                .unwrap();
            let llm = LlmConfig::openai("gpt-4o-mini", LLM_KEY, "https://api.openai.com/v1/chat/completions");
            let start = |llm: LlmConfig| {
                client
                    .start_ai_conversation()
                    .sdk_app_id(APP)
                    .room_id("1234")
                    .agent_config(agent.clone())
                    .llm_config(llm)
                    .tts_config(TtsConfig::tencent("1300000000", "AKIDtts", TTS_KEY, 101001))
                    .stt_config(
                        SttConfig::builder()
                            .custom_param(SttCustomParam::azure(STT_KEY, "eastus"))
                            .build()
                            .unwrap(),
                    )
            };
            texts.push(format!("{:?}", start(llm.clone().into())));
            let ok = start(llm.clone().into()).send().await.unwrap();
            texts.push(format!("{ok:?}"));
            // Refused before sending (History above 50), naming the key.
            let err = start(llm.clone().history(51).into()).send().await.unwrap_err();
            assert!(err.to_string().contains("$.History"), "{err}");
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
            // An unknown provider with a secret-looking key: sent, and hidden from Debug.
            let other = LlmConfig::other(
                serde_json::json!({"LLMType": "vendorx", "ApiToken": LLM_KEY})
                    .as_object()
                    .cloned()
                    .unwrap(),
            );
            texts.push(format!("{other:?}"));
            // `Other` naming a documented provider is checked like it: a
            // mistyped key is refused before sending, naming the key.
            let mistyped = LlmConfig::other(
                serde_json::json!({"LLMType": "openai", "Model": "m", "APIUrl": "u", "ApiKey": LLM_KEY})
                    .as_object()
                    .cloned()
                    .unwrap(),
            );
            let err = start(mistyped).send().await.unwrap_err();
            assert!(err.to_string().contains("ApiKey"), "{err}");
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
        });
    });
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("StartAIConversation"), "{logs}");
    for secret in [LLM_KEY, TTS_KEY, STT_KEY] {
        assert!(!logs.contains(secret), "{secret} leaked into logs:\n{logs}");
        for t in &texts {
            assert!(!t.contains(secret), "{secret} leaked into {t}");
        }
    }
}
