//! The AI conversation end to end on the local endpoint: started with typed
//! LLM, TTS and STT configurations, described through `Idle` → `Preparing` →
//! `InProgress`, controlled, updated, its messages queried, stopped; the AI
//! callbacks (group 9) arrive signed, retried after a failed delivery and, once
//! de-duplicated, exactly once each and in order. `SessionId` de-duplicates
//! starts; the endpoint refuses a bad configuration naming the member and key;
//! the AI transcription has the same lifecycle.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use tencentcloud_local_endpoint::{
    LocalEndpoint, RetrySchedule, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};
use tencentcloud_runtime::sign::{self, SignedHeaders, SigningInput};
use tencentcloud_tests::receivers::{deliveries_until, distinct, flaky_receiver, Seen};
use tencentcloud_tests::{config_for, user_sig};
use tencentcloud_trtc::error::{
    DescribeAiConversationError, StartAiConversationError, StopAiConversationError,
};
use tencentcloud_trtc::model::callbacks::Event;
use tencentcloud_trtc::model::json::{LlmConfig, SttCustomParam, TtsConfig};
use tencentcloud_trtc::model::{
    AgentConfig, InvokeLlm, ServerPushText, SttConfig, TranscriptionParams,
};
use tencentcloud_trtc::Client;
use tencentcloud_trtc_server::callback::Callback;

const KEY: &str = "callbackKey0123456789";
const APP: u64 = 1_400_188_366;

const FAST: RetrySchedule = RetrySchedule {
    attempt_timeout: Duration::from_secs(2),
    interval: Duration::from_millis(50),
    // Long enough that a loaded machine never makes the endpoint give up on
    // a delivery the test waits for (the tests wait for the events, not the
    // schedule, so a passing run is no slower).
    give_up_after: Duration::from_secs(60),
};

fn agent() -> AgentConfig {
    AgentConfig::builder()
        .user_id("bot_1")
        .user_sig(user_sig(APP, "bot_1"))
        .target_user_id("user_1")
        .welcome_message("Hello, how can I help?")
        .build()
        .unwrap()
}

fn llm() -> LlmConfig {
    LlmConfig::openai(
        "gpt-4o-mini",
        "sk-local-test",
        "https://api.openai.com/v1/chat/completions",
    )
    .system_prompt("You are a helpful voice assistant.")
    .history(5)
    .into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_lives_and_delivers_its_callbacks_once_in_order() {
    let (url, seen, server) = flaky_receiver(KEY, Some(APP)).await;
    let endpoint = LocalEndpoint::builder()
        .callback_with(url, KEY, FAST)
        .start()
        .await
        .unwrap();
    let client = Client::new(config_for(&endpoint).build().unwrap()).unwrap();
    let task_id = start(&client).send().await.unwrap().task_id.unwrap();
    // The same SessionId (and room and robot) while it runs: refused.
    let dup = start(&client).send().await.unwrap_err();
    assert!(
        matches!(
            dup.service_error(),
            Some(StartAiConversationError::FailedOperationTaskExist(_))
        ),
        "{dup:?}"
    );
    describe_steps(&client, &task_id).await;
    talk(&client, &task_id).await;
    messages_in_order(&client, &task_id).await;
    stop_then_gone(&client, &task_id).await;
    // Stopped, the same SessionId may start again.
    let second = start(&client).send().await.unwrap().task_id.unwrap();
    assert_ne!(second, task_id);
    callbacks_once_in_order(&endpoint, &seen, &task_id).await;
    server.abort();
}

/// The conversation the test starts (twice).
fn start(client: &Client) -> tencentcloud_trtc::fluent::StartAiConversationFluentBuilder {
    client
        .start_ai_conversation()
        .sdk_app_id(APP)
        .room_id("3560")
        .room_id_type(0)
        .session_id("session-1")
        .agent_config(agent())
        .llm_config(llm())
        .tts_config(TtsConfig::flow("v-female-R2s4N9qJ", "flow_01_turbo").speed(1.2))
        .stt_config(
            SttConfig::builder()
                .language("en")
                .custom_param(SttCustomParam::deepgram("dg-key", "nova-3"))
                .build()
                .unwrap(),
        )
}

/// Describe sees one step more each time, by TaskId or by SessionId.
async fn describe_steps(client: &Client, task_id: &str) {
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let d = client
            .describe_ai_conversation()
            .task_id(task_id)
            .send()
            .await
            .unwrap();
        assert_eq!(d.task_id.as_deref(), Some(task_id));
        statuses.push(d.status.unwrap());
    }
    assert_eq!(statuses, ["Idle", "Preparing", "InProgress", "InProgress"]);
    // By SdkAppId and SessionId, without the TaskId.
    let by_session = client
        .describe_ai_conversation()
        .sdk_app_id(APP)
        .session_id("session-1")
        .task_id("")
        .send()
        .await
        .unwrap();
    assert_eq!(by_session.task_id.as_deref(), Some(task_id));
}

/// A pushed text, an LLM question, and a new LLM configuration.
async fn talk(client: &Client, task_id: &str) {
    client
        .control_ai_conversation()
        .task_id(task_id)
        .command("ServerPushText")
        .server_push_text(
            ServerPushText::builder()
                .text("Your order has shipped.")
                .add_history(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    client
        .control_ai_conversation()
        .task_id(task_id)
        .command("InvokeLLM")
        .invoke_llm(
            InvokeLlm::builder()
                .content("Where is it now?")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let LlmConfig::OpenAi(openai) = llm() else {
        unreachable!()
    };
    client
        .update_ai_conversation()
        .task_id(task_id)
        .llm_config(openai.system_prompt("Answer in one sentence."))
        .send()
        .await
        .unwrap();
}

/// The conversation's messages, oldest first.
async fn messages_in_order(client: &Client, task_id: &str) {
    let messages = client
        .query_ai_message_list()
        .sdk_app_id(APP)
        .task_id(task_id)
        .send()
        .await
        .unwrap();
    let list: Vec<(String, String)> = messages
        .message_list
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.role, m.content))
        .collect();
    assert_eq!(
        list,
        [
            ("assistant", "Hello, how can I help?"),
            ("assistant", "Your order has shipped."),
            ("user", "Where is it now?"),
            ("assistant", "(local endpoint) You said: Where is it now?"),
        ]
        .map(|(r, c)| (r.to_owned(), c.to_owned()))
    );
    assert_eq!(messages.total, Some(4));
}

/// Stopped, the task is gone for Describe and Stop.
async fn stop_then_gone(client: &Client, task_id: &str) {
    client
        .stop_ai_conversation()
        .task_id(task_id)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_ai_conversation()
        .task_id(task_id)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            gone.service_error(),
            Some(DescribeAiConversationError::FailedOperationTaskNotExist(_))
        ),
        "{gone:?}"
    );
    let again = client
        .stop_ai_conversation()
        .task_id(task_id)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        again.service_error(),
        Some(StopAiConversationError::FailedOperationTaskNotExist(_))
    ));
}

/// Every AI callback of the task arrived once, in order, after retries.
async fn callbacks_once_in_order(endpoint: &LocalEndpoint, seen: &Seen, task_id: &str) {
    // Start 901, welcome (903, 905), session ready (909), the push (903, 905),
    // InvokeLLM (903 user, 903 bot, 905), stop 902; then the second start's.
    let events = distinct(seen, 13).await;
    let ours: Vec<&Callback> = events
        .iter()
        .filter(|c| matches!(c.event(), Ok(e) if task_of(&e).as_deref() == Some(task_id)))
        .collect();
    let names: Vec<&str> = ours.iter().map(|c| c.event().unwrap().name()).collect();
    assert_eq!(
        names,
        [
            "AiServiceStart",
            "AiServiceMessage",
            "AiSpeakingFinished",
            "AiSessionStatus",
            "AiServiceMessage",
            "AiSpeakingFinished",
            "AiServiceMessage",
            "AiServiceMessage",
            "AiSpeakingFinished",
            "AiServiceStop",
        ]
    );
    for cb in &ours {
        assert_eq!(cb.event_group_id(), 9);
        assert_eq!(cb.sdk_app_id(), Some(APP));
    }
    let Event::AiServiceMessage(m) = ours[6].event().unwrap() else {
        panic!()
    };
    assert_eq!(m.payload.text.as_deref(), Some("Where is it now?"));
    assert_eq!(m.info.room_id.as_ref().and_then(|r| r.as_i64()), Some(3560));
    // Every event type's first delivery failed and was retried: the receiver
    // saw duplicates, which the idempotency key removed.
    assert!(seen.lock().unwrap().len() > events.len());
    deliveries_until(endpoint, |d| {
        d.iter().any(|d| d.attempt == 2 && d.delivered)
    })
    .await;
}

fn task_of(e: &Event) -> Option<String> {
    match e {
        Event::AiServiceStart(e) => e.info.task_id.clone(),
        Event::AiServiceStop(e) => e.info.task_id.clone(),
        Event::AiServiceMessage(e) => e.info.task_id.clone(),
        Event::AiSpeakingFinished(e) => e.info.task_id.clone(),
        Event::AiSessionStatus(e) => e.info.task_id.clone(),
        _ => None,
    }
}

/// A hand-signed request, so a configuration the typed SDK would refuse can
/// reach the endpoint.
async fn raw(endpoint: &LocalEndpoint, action: &str, body: Value) -> Value {
    let host = endpoint.addr().to_string();
    let payload = serde_json::to_vec(&body).unwrap();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let sig = sign::sign(&SigningInput {
        secret_id: DEFAULT_SECRET_ID,
        secret_key: DEFAULT_SECRET_KEY,
        service: "trtc",
        host: &host,
        action,
        content_type: "application/json",
        timestamp,
        payload: &payload,
        signed_headers: SignedHeaders::ContentTypeHost,
    });
    let resp = reqwest::Client::new()
        .post(endpoint.url())
        .header("content-type", "application/json")
        .header("authorization", sig.authorization)
        .header("x-tc-timestamp", timestamp.to_string())
        .header("x-tc-action", action)
        .header("x-tc-version", "2019-07-22")
        .header("x-tc-region", "ap-guangzhou")
        .body(payload)
        .send()
        .await
        .unwrap();
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn the_endpoint_refuses_a_bad_configuration_naming_member_and_key() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let body = |llm: &str, tts: &str, custom: &str| {
        json!({
            "SdkAppId": APP, "RoomId": "3560", "RoomIdType": 0,
            "AgentConfig": {"UserId": "bot_1", "UserSig": user_sig(APP, "bot_1"), "TargetUserId": "user_1"},
            "LLMConfig": llm, "TTSConfig": tts,
            "STTConfig": {"Language": "en", "CustomParam": custom},
        })
    };
    let good_llm = llm().to_json_string().unwrap();
    let good_tts = r#"{"TTSType":"flow","VoiceId":"v","Model":"flow_01_turbo"}"#;
    let good_stt = r#"{"STTType":"azure","SubscriptionKey":"k","Region":"eastus"}"#;
    let cases = [
        (
            body(&good_llm.replace("APIKey", "ApiKey"), good_tts, good_stt),
            "The parameter `LLMConfig` is invalid: LLMConfig (openai): $.ApiKey: unknown key `ApiKey`: the documented key is `APIKey`",
        ),
        (
            body(&good_llm.replace("\"History\":5", "\"History\":\"5\""), good_tts, good_stt),
            "The parameter `LLMConfig` is invalid: LLMConfig (openai): $.History: expected an integer, found a string",
        ),
        (
            body(&good_llm, r#"{"TTSType":"flow","VoiceId":"v"}"#, good_stt),
            "The parameter `TTSConfig` is invalid: TTSConfig (flow): $.Model: missing required key `Model`",
        ),
        (
            body(&good_llm, good_tts, r#"{"STTType":"azure","SubscriptionKey":"k"}"#),
            "The parameter `STTConfig.CustomParam` is invalid: STTCustomParam (azure): $.Region: missing required key `Region`",
        ),
        (
            body("not json", good_tts, good_stt),
            "The parameter `LLMConfig` must be a JSON string (LLMConfig); it is not valid JSON",
        ),
    ];
    for (b, expected) in cases {
        let v = raw(&endpoint, "StartAIConversation", b).await;
        assert_eq!(v["Response"]["Error"]["Code"], "InvalidParameter", "{v}");
        let msg = v["Response"]["Error"]["Message"].as_str().unwrap();
        assert!(msg.starts_with(expected), "{msg}\nexpected: {expected}");
        assert!(!msg.contains("sk-local-test"), "{msg}");
    }
    // A provider the SDK does not know passes as it is.
    let v = raw(
        &endpoint,
        "StartAIConversation",
        body(
            r#"{"LLMType":"deepseek","Model":"deepseek-chat"}"#,
            good_tts,
            good_stt,
        ),
    )
    .await;
    assert!(v["Response"]["TaskId"].is_string(), "{v}");
}

#[tokio::test]
async fn an_ai_transcription_has_the_same_lifecycle() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = Client::new(config_for(&endpoint).build().unwrap()).unwrap();
    let start = || {
        client
            .start_ai_transcription()
            .sdk_app_id(APP)
            .room_id("room-ai")
            .room_id_type(1)
            .session_id("tr-1")
            .transcription_params(
                TranscriptionParams::builder()
                    .user_id("transcriber")
                    .user_sig(user_sig(APP, "transcriber"))
                    .build()
                    .unwrap(),
            )
    };
    let task_id = start().send().await.unwrap().task_id;
    assert!(
        start().send().await.is_err(),
        "a duplicate SessionId is refused"
    );
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let d = client
            .describe_ai_transcription()
            .task_id(&task_id)
            .send()
            .await
            .unwrap();
        statuses.push(d.status);
    }
    assert_eq!(statuses, ["Idle", "Preparing", "InProgress"]);
    client
        .stop_ai_transcription()
        .task_id(&task_id)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_ai_transcription()
        .task_id(&task_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        gone.code(),
        Some("FailedOperation.TaskNotExist"),
        "{gone:?}"
    );
}
