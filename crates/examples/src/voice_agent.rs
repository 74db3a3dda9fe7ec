//! The voice agent's lifecycle, as a library so it is tested: start an AI
//! conversation with an OpenAI-compatible LLM and TRTC's own TTS, wait until
//! it runs, push a line, change its prompt, read its messages, stop it. The
//! example binary (`cargo run --example voice_agent`) runs it against the
//! local endpoint and prints the callbacks it delivers.

use tencentcloud_trtc::model::json::{LlmConfig, TtsConfig};
use tencentcloud_trtc::model::{AgentConfig, ServerPushText};
use tencentcloud_trtc::Client;

/// Who the bot is and where it talks.
#[derive(Clone, Debug)]
pub struct Options {
    /// SdkAppId of the TRTC application.
    pub sdk_app_id: u64,
    /// The room (numeric).
    pub room_id: String,
    /// The bot's UserId.
    pub bot_id: String,
    /// The bot's UserSig.
    pub bot_sig: String,
    /// The user the bot talks to.
    pub user_id: String,
    /// The LLM's API key (never printed).
    pub llm_api_key: String,
}

/// What the lifecycle produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The conversation's TaskId.
    pub task_id: String,
    /// The statuses DescribeAIConversation reported, in order.
    pub statuses: Vec<String>,
    /// The conversation's messages (`Role`, `Content`) before it stopped.
    pub messages: Vec<(String, String)>,
}

/// The LLM: any OpenAI-compatible chat-completions endpoint.
pub fn llm(api_key: &str) -> LlmConfig {
    LlmConfig::openai(
        "gpt-4o-mini",
        api_key,
        "https://api.openai.com/v1/chat/completions",
    )
    .system_prompt("You are a helpful voice assistant.")
    .history(5)
    .into()
}

/// Runs the lifecycle, printing each step with `say`.
pub async fn run(
    client: &Client,
    opts: &Options,
    mut say: impl FnMut(String),
) -> Result<Outcome, String> {
    let agent = AgentConfig::builder()
        .user_id(&opts.bot_id)
        .user_sig(&opts.bot_sig)
        .target_user_id(&opts.user_id)
        .welcome_message("Hi! How can I help?")
        .build()
        .map_err(|e| e.to_string())?;
    let llm = llm(&opts.llm_api_key);
    say(format!("StartAIConversation: LLM {llm:?}"));
    let started = client
        .start_ai_conversation()
        .sdk_app_id(opts.sdk_app_id)
        .room_id(&opts.room_id)
        .room_id_type(0)
        .agent_config(agent)
        .llm_config(llm.clone())
        .tts_config(TtsConfig::flow("v-female-R2s4N9qJ", "flow_01_turbo").speed(1.1))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let task_id = started
        .task_id
        .ok_or("StartAIConversation answered without a TaskId")?;
    say(format!("  TaskId {task_id}"));

    let mut statuses = Vec::new();
    for _ in 0..20 {
        let d = client
            .describe_ai_conversation()
            .task_id(&task_id)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = d.status.unwrap_or_default();
        say(format!("DescribeAIConversation: {status}"));
        statuses.push(status.clone());
        if status == "InProgress" {
            break;
        }
    }

    client
        .control_ai_conversation()
        .task_id(&task_id)
        .command("ServerPushText")
        .server_push_text(
            ServerPushText::builder()
                .text("Your order has shipped.")
                .add_history(true)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .send()
        .await
        .map_err(|e| e.to_string())?;
    say("ControlAIConversation: pushed a line".to_owned());

    let LlmConfig::OpenAi(openai) = llm else {
        return Err("the LLM is an OpenAI-protocol one".to_owned());
    };
    client
        .update_ai_conversation()
        .task_id(&task_id)
        .llm_config(openai.system_prompt("Answer in one sentence."))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    say("UpdateAIConversation: new system prompt".to_owned());

    let listed = client
        .query_ai_message_list()
        .sdk_app_id(opts.sdk_app_id)
        .task_id(&task_id)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let messages: Vec<(String, String)> = listed
        .message_list
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.role, m.content))
        .collect();
    for (role, content) in &messages {
        say(format!("  {role}: {content}"));
    }

    client
        .stop_ai_conversation()
        .task_id(&task_id)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    say("StopAIConversation: stopped".to_owned());
    Ok(Outcome {
        task_id,
        statuses,
        messages,
    })
}
