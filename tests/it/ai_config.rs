//! The JSON carried in Conversational AI string members (`LLMConfig`,
//! `TTSConfig`, `STTConfig.CustomParam`, `ServerPushText.MetaInfo`), typed:
//! every documented provider example parses into its variant and back to the
//! same JSON; unknown providers and extra keys survive; builders read like the
//! documentation and refuse wrong keys, types and ranges naming provider and
//! key; secrets never show; whole requests round-trip with JSON inside JSON.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use tencentcloud_runtime::{JsonConfig, JsonString};
use tencentcloud_tests::trtc_spec;
use tencentcloud_trtc::model::json::{
    LlmConfig, ServerPushTextMetaInfo, SttCustomParam, TtsConfig,
};
use tencentcloud_trtc::model::{AgentConfig, StartAiConversationRequest, SttConfig};

/// Parses `text` as JSON type `config` and returns (provider, JSON back).
fn parse_back(config: &str, text: &str) -> Result<(String, bool, Value), String> {
    fn go<T: JsonConfig>(
        text: &str,
        provider: impl Fn(&T) -> (String, bool),
    ) -> Result<(String, bool, Value), String> {
        let typed = T::from_json_str(text).map_err(|e| e.to_string())?;
        let back = typed.to_json_string().map_err(|e| e.to_string())?;
        let (p, other) = provider(&typed);
        Ok((
            p,
            other,
            serde_json::from_str(&back).map_err(|e| e.to_string())?,
        ))
    }
    match config {
        "LLMConfig" => go::<LlmConfig>(text, |v| {
            (v.provider().to_owned(), matches!(v, LlmConfig::Other(_)))
        }),
        "TTSConfig" => go::<TtsConfig>(text, |v| {
            (v.provider().to_owned(), matches!(v, TtsConfig::Other(_)))
        }),
        "STTCustomParam" => go::<SttCustomParam>(text, |v| {
            (
                v.provider().to_owned(),
                matches!(v, SttCustomParam::Other(_)),
            )
        }),
        "ServerPushTextMetaInfo" => go::<ServerPushTextMetaInfo>(text, |_| (String::new(), false)),
        other => Err(format!("no typed config for {other}")),
    }
}

#[test]
fn every_documented_provider_example_parses_into_its_variant_and_back() {
    let (spec, _) = trtc_spec();
    let types = &spec.json_types.as_ref().expect("json_types").types;
    let mut seen = 0;
    let mut failures = Vec::new();
    for (name, t) in types.iter() {
        let providers: Vec<(String, &tencentcloud_codegen::spec::JsonProvider)> = match &t.variants
        {
            Some(vs) => vs
                .iter()
                .flat_map(|(_, v)| v.providers.iter().map(move |(_, p)| (v.value.clone(), p)))
                .collect(),
            None => t
                .providers
                .iter()
                .flat_map(|p| p.iter().map(|(_, p)| (String::new(), p)))
                .collect(),
        };
        for (value, p) in providers {
            let Some(example) = &p.example else { continue };
            seen += 1;
            let original: Value = serde_json::from_str(example).unwrap();
            match parse_back(name, example) {
                Ok((provider, other, back)) => {
                    if other || provider != value {
                        failures.push(format!(
                            "{name} {}: parsed as provider {provider:?} (Other: {other}), expected {value:?}",
                            p.title
                        ));
                    }
                    // Exactly the same JSON: keys, values and number forms (`1` vs `1.0`).
                    if back != original || back.to_string().len() != original.to_string().len() {
                        failures.push(format!("{name} {}: {original} != {back}", p.title));
                    }
                }
                Err(e) => failures.push(format!("{name} {}: {e}", p.title)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // LLM: OpenAI, Gemini, MiniMax, Hunyuan, the generic page, Dify, Coze; TTS: 8;
    // STT CustomParam: 4; MetaInfo: 1.
    assert_eq!(seen, 20);
}

#[test]
fn builders_read_like_the_documentation() {
    let llm = LlmConfig::openai(
        "gpt-4o-mini",
        "sk-test-123",
        "https://api.openai.com/v1/chat/completions",
    )
    .system_prompt("You are a helpful voice assistant.")
    .history(5)
    .timeout(3.0);
    let v: Value = serde_json::from_str(&llm.to_json_string().unwrap()).unwrap();
    assert_eq!(
        v,
        json!({"LLMType": "openai", "Model": "gpt-4o-mini", "APIKey": "sk-test-123",
               "APIUrl": "https://api.openai.com/v1/chat/completions",
               "SystemPrompt": "You are a helpful voice assistant.", "Timeout": 3.0, "History": 5})
    );
    let tts = TtsConfig::minimax(
        "speech-2.8-turbo",
        "https://api.minimax.chat/v1/t2a_v2",
        "mm-key",
        "group-1",
        "female-tianmei",
    )
    .speed(1.2);
    assert_eq!(
        serde_json::from_str::<Value>(&tts.to_json_string().unwrap()).unwrap()["TTSType"],
        "minimax"
    );
    let flow = TtsConfig::flow("v-female-R2s4N9qJ", "flow_01_turbo").speed(1);
    assert_eq!(
        flow.to_json(),
        json!({"TTSType": "flow", "VoiceId": "v-female-R2s4N9qJ", "Model": "flow_01_turbo", "Speed": 1})
    );
    // Gemini, MiniMax and Hunyuan pages are the OpenAI protocol: same variant.
    let gemini = LlmConfig::from(LlmConfig::gemini("gemini-3-flash-preview", "k", "u"));
    assert_eq!(gemini.provider(), "openai");
    assert!(matches!(gemini, LlmConfig::OpenAi(_)));
}

#[test]
fn wrong_keys_types_and_ranges_are_refused_naming_provider_and_key() {
    let base = || LlmConfig::openai("gpt-4o-mini", "sk-secret-value", "https://x/v1");
    let e = base().history(51).validate().unwrap_err().to_string();
    assert_eq!(
        e,
        "LLMConfig (openai): $.History: 51 is above the maximum 50"
    );
    let e = base()
        .extra("ApiKey", "sk-other")
        .validate()
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(
            "LLMConfig (openai): $.ApiKey: unknown key `ApiKey`: the documented key is `APIKey`"
        ),
        "{e}"
    );
    let e = base()
        .extra("Model", "x")
        .validate()
        .unwrap_err()
        .to_string();
    assert!(e.contains("$.Model") && e.contains("documented key"), "{e}");
    let e = TtsConfig::flow("v", "flow_01_turbo")
        .speed(3.0)
        .validate()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "TTSConfig (flow): $.Speed: 3 is above the maximum 2"
    );
    let e = TtsConfig::custom("k", "http://0.0.0.0:8080/stream-audio")
        .audio_format("mp3")
        .validate()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "TTSConfig (custom): $.AudioFormat: \"mp3\" is not one of \"pcm\", \"wav\""
    );
    // Parsing: a missing required key, a number written as a string.
    let e =
        LlmConfig::from_json_str(r#"{"LLMType":"openai","Model":"m","APIUrl":"u"}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "LLMConfig (openai): $.APIKey: missing required key `APIKey`"
    );
    let e = LlmConfig::from_json_str(
        r#"{"LLMType":"openai","Model":"m","APIKey":"k","APIUrl":"u","History":"5"}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "LLMConfig (openai): $.History: expected an integer, found a string"
    );
    let e =
        SttCustomParam::from_json_str(r#"{"STTType":"deepgram","AppKey":"k","Model":"nova-3"}"#)
            .unwrap_err();
    assert_eq!(
        e.to_string(),
        "STTCustomParam (deepgram): $.ApiKey: missing required key `ApiKey`"
    );
    // Sending: serializing the request fails before anything is sent, naming the member.
    let request = StartAiConversationRequest::builder()
        .sdk_app_id(1400000001)
        .room_id("room")
        .agent_config(
            AgentConfig::builder()
                .user_id("bot")
                .user_sig("sig")
                .target_user_id("user")
                .build()
                .unwrap(),
        )
        .llm_config(base().history(99))
        .build()
        .unwrap();
    let e = serde_json::to_string(&request).unwrap_err().to_string();
    assert!(
        e.contains("LLMConfig (openai): $.History: 99 is above the maximum 50"),
        "{e}"
    );
    assert!(!e.contains("sk-secret-value"), "{e}");
}

#[test]
fn secrets_never_show_in_debug_or_errors() {
    let llm =
        LlmConfig::openai("m", "sk-very-secret", "https://x").extra("session_token", "tok-hidden");
    let tts = TtsConfig::tencent("1300000000", "AKID-secret-id", "secret-key-value", 101001);
    let stt = SttCustomParam::azure("azure-sub-key", "eastus");
    let other = LlmConfig::other(
        json!({"LLMType": "newvendor", "ApiSecret": "vendor-secret", "Region": "eu"})
            .as_object()
            .cloned()
            .unwrap(),
    );
    let shown = format!(
        "{llm:?} {tts:?} {stt:?} {other:?} {:?}",
        JsonString::new(LlmConfig::from(llm.clone()))
    );
    for secret in [
        "sk-very-secret",
        "tok-hidden",
        "AKID-secret-id",
        "secret-key-value",
        "azure-sub-key",
        "vendor-secret",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("eastus") && shown.contains("eu"), "{shown}");
    let e =
        LlmConfig::from_json_str(r#"{"LLMType":"openai","Model":"m","APIUrl":"u","APIKey":12345}"#)
            .unwrap_err()
            .to_string();
    assert!(!e.contains("12345"), "{e}");
}

#[test]
fn unknown_providers_and_extra_keys_survive_round_trips() {
    let text =
        r#"{"LLMType":"deepseek","Model":"deepseek-chat","APIKey":"k","Whatever":{"a":[1,2.5]}}"#;
    let v = LlmConfig::from_json_str(text).unwrap();
    assert!(matches!(v, LlmConfig::Other(_)));
    assert_eq!(v.provider(), "deepseek");
    assert_eq!(
        serde_json::from_str::<Value>(&v.to_json_string().unwrap()).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
    let text =
        r#"{"TTSType":"flow","VoiceId":"v","Model":"flow_01_turbo","Emotion":"happy","Seed":7}"#;
    let v = TtsConfig::from_json_str(text).unwrap();
    let TtsConfig::Flow(flow) = &v else {
        panic!("{v:?}")
    };
    assert_eq!(flow.extra.get("Emotion"), Some(&json!("happy")));
    assert_eq!(
        serde_json::from_str::<Value>(&v.to_json_string().unwrap()).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
    let meta = ServerPushTextMetaInfo::from_json_str(r#"{"custom_msg":100,"nested":{"x":[true]}}"#)
        .unwrap();
    assert_eq!(meta.extra.get("custom_msg"), Some(&json!(100)));
}

#[test]
fn whole_requests_round_trip_with_json_inside_json() {
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        StartAiConversationRequest::arbitrary_with_depth(3),
        LlmConfig::arbitrary(),
        TtsConfig::arbitrary(),
        SttCustomParam::arbitrary(),
    );
    runner
        .run(&strategy, |(mut request, llm, tts, stt)| {
            request.llm_config = Some(JsonString::new(llm.clone()));
            request.tts_config = Some(JsonString::new(tts.clone()));
            let mut stt_config = request
                .stt_config
                .clone()
                .unwrap_or_else(|| SttConfig::builder().build().unwrap());
            stt_config.custom_param = Some(JsonString::new(stt.clone()));
            request.stt_config = Some(stt_config);
            let text =
                serde_json::to_string(&request).map_err(|e| TestCaseError::fail(e.to_string()))?;
            // On the wire each config is a string holding its JSON.
            let wire: Value = serde_json::from_str(&text).unwrap();
            let inner = wire["LLMConfig"].as_str().expect("LLMConfig is a string");
            prop_assert_eq!(serde_json::from_str::<Value>(inner).unwrap(), llm.to_json());
            let inner = wire["STTConfig"]["CustomParam"].as_str().expect("a string");
            prop_assert_eq!(serde_json::from_str::<Value>(inner).unwrap(), stt.to_json());
            let back: StartAiConversationRequest = serde_json::from_str(&text)
                .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            prop_assert_eq!(back, request);
            Ok(())
        })
        .unwrap();
}
