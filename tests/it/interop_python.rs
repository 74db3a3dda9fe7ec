//! Tencent's official Python SDK (`tencentcloud-sdk-python-trtc`, a client
//! nobody here wrote) against the local endpoint: the lifecycle with the seed's
//! example body succeeds, and a wrong secret key gets AuthFailure.SignatureFailure.
//!
//! The test installs the SDK itself into a virtual environment under `target/`,
//! and fails loudly (never skips) when Python or the SDK cannot be had.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_tests::tools::{self, run};

/// The pinned SDK version (both packages are released together).
const SDK_VERSION: &str = "3.1.177";

/// A virtual environment with the official SDK, created on first use.
pub(crate) fn python_with_sdk() -> PathBuf {
    tools::python_venv(
        &format!("python-sdk-{SDK_VERSION}"),
        &[
            &format!("tencentcloud-sdk-python-common=={SDK_VERSION}"),
            &format!("tencentcloud-sdk-python-trtc=={SDK_VERSION}"),
        ],
        "the interop test with Tencent's official Python SDK",
    )
}

#[test]
fn official_python_sdk_against_the_local_endpoint() {
    let python = python_with_sdk();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let endpoint = rt.block_on(async {
        LocalEndpoint::builder()
            .credentials("AKIDpythoninterop", "python-interop-secret")
            .start()
            .await
            .unwrap()
    });
    let script = tools::tests_dir().join("python/interop.py");
    let stdout = run(
        Command::new(&python)
            .arg(&script)
            .arg(endpoint.addr().to_string())
            .args(["AKIDpythoninterop", "python-interop-secret", "ap-guangzhou"])
            .arg(tencentcloud_tests::seed_user_sig())
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy"),
        "the interop script",
    );
    let all = tools::json_lines(&stdout);

    tools::assert_sdk_lifecycle(&all);

    // What the endpoint saw: the SDK's own headers, signed as the SDK signs.
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 7);
    let first = &calls[0];
    assert_eq!(first.action, "CreateCloudTranscription");
    assert_eq!(first.verdict, "ok");
    assert!(
        first
            .header("x-tc-requestclient")
            .unwrap()
            .starts_with("SDK_PYTHON_"),
        "{:?}",
        first.headers
    );
    let auth = first.header("authorization").unwrap();
    assert!(
        auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDpythoninterop/"),
        "{auth}"
    );
    // The body is the SDK's own serialization of the seed's example.
    let body: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(body["TranscriptionParam"]["SendCustomMode"], 2);
    assert_eq!(body["TranslationParam"]["TargetLang"][0], "en");
}

/// The official Python SDK starts, describes and stops an AI conversation
/// whose `LLMConfig` and `TTSConfig` strings were built by the typed Rust
/// configurations; a hand-written config with a mistyped key (which that SDK
/// sends as given) is refused by the endpoint, naming the key.
#[test]
fn official_python_sdk_starts_a_conversation_with_a_typed_config() {
    use tencentcloud_trtc::model::json::{LlmConfig, TtsConfig};

    let python = python_with_sdk();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let endpoint = rt.block_on(async {
        LocalEndpoint::builder()
            .credentials("AKIDpythoninterop", "python-interop-secret")
            .start()
            .await
            .unwrap()
    });
    let llm = LlmConfig::from(
        LlmConfig::openai(
            "gpt-4o-mini",
            "sk-python-interop",
            "https://api.openai.com/v1/chat/completions",
        )
        .system_prompt("You are \"helpful\".\nBe brief.")
        .history(5),
    );
    let tts = TtsConfig::from(TtsConfig::flow("v-female-R2s4N9qJ", "flow_01_turbo").speed(1.25));
    let (llm_text, tts_text) = (llm.to_json_string().unwrap(), tts.to_json_string().unwrap());
    let script = tools::tests_dir().join("python/ai_interop.py");
    let stdout = run(
        Command::new(&python)
            .arg(&script)
            .arg(endpoint.addr().to_string())
            .args(["AKIDpythoninterop", "python-interop-secret", "ap-guangzhou"])
            .arg(tencentcloud_tests::user_sig(1_400_188_366, "bot_1"))
            .args([&llm_text, &tts_text])
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy"),
        "the AI interop script",
    );
    let all = tools::json_lines(&stdout);
    assert_eq!(tools::line(&all, "step", "start")["ok"], true, "{stdout}");
    assert_eq!(
        tools::line(&all, "step", "describe")["response"]["Status"],
        "Idle",
        "{stdout}"
    );
    assert_eq!(tools::line(&all, "step", "stop")["ok"], true, "{stdout}");
    assert_eq!(
        tools::line(&all, "step", "describe_after_stop")["code"],
        "FailedOperation.TaskNotExist",
        "{stdout}"
    );
    let bad = tools::line(&all, "step", "start_bad_key");
    assert_eq!(bad["code"], "InvalidParameter", "{stdout}");
    let msg = bad["message"].as_str().unwrap();
    assert!(
        msg.contains("`LLMConfig`") && msg.contains("$.ApiKey") && msg.contains("`APIKey`"),
        "{msg}"
    );
    assert!(!msg.contains("sk-python-interop"), "{msg}");
    // The endpoint received the typed-built strings through the Python SDK,
    // and they parse back into the same typed values.
    let calls = endpoint.calls();
    let start = calls
        .iter()
        .find(|c| c.action == "StartAIConversation" && c.verdict == "ok")
        .unwrap();
    let body: Value = serde_json::from_slice(&start.body).unwrap();
    assert_eq!(body["LLMConfig"], llm_text.as_str());
    assert_eq!(
        LlmConfig::from_json_str(body["LLMConfig"].as_str().unwrap()).unwrap(),
        llm
    );
    assert_eq!(
        TtsConfig::from_json_str(body["TTSConfig"].as_str().unwrap()).unwrap(),
        tts
    );
}
