//! TRTC's Conversational AI and AI transcription, simulated (the JSON carried
//! in string members is checked with every request, by `tencentcloud_spec`'s
//! `check`, with the same checker and facts as the generated types): the conversation and
//! transcription lifecycles, `SessionId` de-duplication, the conversation's
//! messages, and the AI callbacks (groups 9 and 14) delivered like
//! recording's.
//!
//! Lifecycle: `Start*` creates a task in `Idle`; each `Describe*` observes it
//! one step further (`Idle` → `Preparing` → `InProgress`, as a poll would);
//! `Control`/`Update` act on it; `Stop*` ends it, after which every call on its
//! TaskId is answered with the action's documented "task does not exist" code
//! (`FailedOperation.TaskNotExist`; `ResourceNotFound` where none is
//! documented).

use std::collections::HashMap;

use serde_json::{json, Map, Value};
use tencentcloud_runtime::json_string::{self, JsonConfigError};
use tencentcloud_spec::{Action, JsonType};

use crate::service::{refuse, task_id, Refusal};
use crate::{lock, State};

/// The conversation (or transcription) statuses Describe reports.
const STEPS: [&str; 3] = ["Idle", "Preparing", "InProgress"];

/// A running AI conversation or AI transcription task.
#[derive(Clone, Debug)]
struct AiTask {
    sdk_app_id: u64,
    room_id: String,
    string_room: bool,
    robot: String,
    session_id: Option<String>,
    start_time: i64,
    step: usize,
    /// Conversation messages (`Role`, `Content`), oldest first.
    messages: Vec<(String, String)>,
    rounds: u64,
    llm_config: Option<String>,
    tts_config: Option<String>,
}

/// The AI tasks of an endpoint.
#[derive(Debug, Default)]
pub(crate) struct AiState {
    conversations: HashMap<String, AiTask>,
    transcriptions: HashMap<String, AiTask>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Conversation,
    Transcription,
}

impl Family {
    fn group(self) -> i64 {
        match self {
            Family::Conversation => 9,
            Family::Transcription => 14,
        }
    }
    fn noun(self) -> &'static str {
        match self {
            Family::Conversation => "AI conversation",
            Family::Transcription => "AI transcription",
        }
    }
    fn tasks(self, s: &mut AiState) -> &mut HashMap<String, AiTask> {
        match self {
            Family::Conversation => &mut s.conversations,
            Family::Transcription => &mut s.transcriptions,
        }
    }
}

/// Runs an AI action that passed every check; `None` for other actions.
pub(crate) fn run(
    state: &State,
    action_name: &str,
    action: &Action,
    body: &Value,
) -> Option<Result<Map<String, Value>, Refusal>> {
    use Family::*;
    Some(match action_name {
        "StartAIConversation" => start(state, Conversation, action, body),
        "DescribeAIConversation" => describe(state, Conversation, action, body),
        "ControlAIConversation" => control(state, action, body),
        "UpdateAIConversation" => update(state, action, body),
        "StopAIConversation" => stop(state, Conversation, action, body),
        "QueryAIMessageList" => messages(state, action, body),
        "StartAITranscription" => start(state, Transcription, action, body),
        "DescribeAITranscription" => describe(state, Transcription, action, body),
        "StopAITranscription" => stop(state, Transcription, action, body),
        _ => return None,
    })
}

fn not_found(action: &Action, family: Family, task_id: &str) -> Refusal {
    let code = if action.errors.contains_key("FailedOperation.TaskNotExist") {
        "FailedOperation.TaskNotExist"
    } else {
        "ResourceNotFound"
    };
    refuse(
        code,
        format!(
            "The {} task `{task_id}` does not exist: it never started or has already stopped.",
            family.noun()
        ),
    )
}

fn start(
    state: &State,
    family: Family,
    action: &Action,
    body: &Value,
) -> Result<Map<String, Value>, Refusal> {
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    if sdk_app_id == 0 {
        return Err(refuse(
            "InvalidParameter.SdkAppId",
            "SdkAppId is incorrect.",
        ));
    }
    let room_id = body["RoomId"].as_str().unwrap_or("").to_owned();
    let string_room = body["RoomIdType"].as_u64() == Some(1);
    if !string_room && room_id.parse::<u32>().is_err() {
        return Err(refuse(
            "InvalidParameter",
            "RoomIdType 0 means a numeric room ID, but RoomId is not one.",
        ));
    }
    let robot = match family {
        Family::Conversation => body["AgentConfig"]["UserId"].as_str(),
        Family::Transcription => body["TranscriptionParams"]["UserId"].as_str(),
    }
    .unwrap_or("")
    .to_owned();
    let session_id = body["SessionId"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let mut ai = lock(&state.ai);
    let tasks = family.tasks(&mut ai);
    // De-duplication as documented: SdkAppId + RoomId + RoomIdType + the
    // robot's UserId by default, and the SessionId when one is given.
    let duplicate = tasks.values().any(|t| {
        t.sdk_app_id == sdk_app_id
            && ((t.room_id == room_id && t.string_room == string_room && t.robot == robot)
                || (session_id.is_some() && t.session_id == session_id))
    });
    if duplicate {
        let code = if action.errors.contains_key("FailedOperation.TaskExist") {
            "FailedOperation.TaskExist"
        } else {
            "FailedOperation"
        };
        return Err(refuse(
            code,
            format!(
                "An {} task for this room and robot (or SessionId) is already running.",
                family.noun()
            ),
        ));
    }
    let id = task_id();
    let mut task = AiTask {
        sdk_app_id,
        room_id,
        string_room,
        robot,
        session_id,
        start_time: state.now(),
        step: 0,
        messages: Vec::new(),
        rounds: 0,
        llm_config: body["LLMConfig"].as_str().map(str::to_owned),
        tts_config: body["TTSConfig"].as_str().map(str::to_owned),
    };
    match family {
        Family::Conversation => {
            event(state, family, &id, &task, 901, json!({"Status": 0}));
            if let Some(welcome) = body["AgentConfig"]["WelcomeMessage"]
                .as_str()
                .filter(|w| !w.is_empty())
            {
                let robot = task.robot.clone();
                say(state, &id, &mut task, &robot, "assistant", welcome);
            }
        }
        Family::Transcription => {
            event(state, family, &id, &task, 1401, json!({"Status": 0}));
        }
    }
    family.tasks(&mut ai).insert(id.clone(), task);
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(id));
    Ok(out)
}

/// The task a call names: by TaskId, or (Describe) by SdkAppId and SessionId.
fn find(
    ai: &mut AiState,
    family: Family,
    action: &Action,
    body: &Value,
) -> Result<String, Refusal> {
    let task_id = body["TaskId"].as_str().unwrap_or("");
    let tasks = family.tasks(ai);
    if task_id.is_empty() {
        let sdk_app_id = body["SdkAppId"].as_u64();
        let session = body["SessionId"].as_str().filter(|s| !s.is_empty());
        if let (Some(app), Some(session)) = (sdk_app_id, session) {
            if let Some((id, _)) = tasks
                .iter()
                .find(|(_, t)| t.sdk_app_id == app && t.session_id.as_deref() == Some(session))
            {
                return Ok(id.clone());
            }
        }
        return Err(not_found(action, family, task_id));
    }
    if tasks.contains_key(task_id) {
        Ok(task_id.to_owned())
    } else {
        Err(not_found(action, family, task_id))
    }
}

fn describe(
    state: &State,
    family: Family,
    action: &Action,
    body: &Value,
) -> Result<Map<String, Value>, Refusal> {
    let mut ai = lock(&state.ai);
    let id = find(&mut ai, family, action, body)?;
    let Some(task) = family.tasks(&mut ai).get_mut(&id) else {
        return Err(not_found(action, family, &id));
    };
    let status = STEPS[task.step];
    task.step = (task.step + 1).min(STEPS.len() - 1);
    let task = task.clone();
    drop(ai);
    if family == Family::Conversation && status == "Preparing" {
        // The bot is in the room: the audio channel is up.
        event(
            state,
            family,
            &id,
            &task,
            909,
            json!({"Status": "session_ready"}),
        );
    }
    let mut out = Map::new();
    out.insert(
        "StartTime".to_owned(),
        json!(tencentcloud_runtime::sign::utc_date_time(task.start_time)),
    );
    out.insert("Status".to_owned(), json!(status));
    out.insert("TaskId".to_owned(), json!(id));
    if let Some(s) = &task.session_id {
        out.insert("SessionId".to_owned(), json!(s));
    }
    Ok(out)
}

fn control(state: &State, action: &Action, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let mut ai = lock(&state.ai);
    let id = find(&mut ai, Family::Conversation, action, body)?;
    let Some(mut task) = ai.conversations.get(&id).cloned() else {
        return Err(not_found(action, Family::Conversation, &id));
    };
    let robot = task.robot.clone();
    match body["Command"].as_str().unwrap_or("") {
        "ServerPushText" => {
            let push = &body["ServerPushText"];
            let text = push["Text"].as_str().unwrap_or("");
            if text.is_empty() && push["Audio"].as_str().is_none_or(str::is_empty) {
                return Err(refuse(
                    "MissingParameter",
                    "ServerPushText needs Text (or Audio).",
                ));
            }
            if push["AddHistory"].as_bool() == Some(true) {
                task.messages
                    .push(("assistant".to_owned(), text.to_owned()));
            }
            say(state, &id, &mut task, &robot, "", text);
        }
        "InvokeLLM" => {
            let content = body["InvokeLLM"]["Content"].as_str().unwrap_or("");
            if content.is_empty() {
                return Err(refuse("MissingParameter", "InvokeLLM needs Content."));
            }
            let user = format!("{}-server", task.robot);
            say(state, &id, &mut task, &user, "user", content);
            let reply = format!("(local endpoint) You said: {content}");
            say(state, &id, &mut task, &robot, "assistant", &reply);
        }
        other => {
            return Err(refuse(
                "InvalidParameter",
                format!("Command `{other}` is not one of ServerPushText, InvokeLLM."),
            ))
        }
    }
    ai.conversations.insert(id, task);
    Ok(Map::new())
}

fn update(state: &State, action: &Action, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let mut ai = lock(&state.ai);
    let id = find(&mut ai, Family::Conversation, action, body)?;
    let Some(task) = ai.conversations.get_mut(&id) else {
        return Err(not_found(action, Family::Conversation, &id));
    };
    if let Some(c) = body["LLMConfig"].as_str() {
        task.llm_config = Some(c.to_owned());
    }
    if let Some(c) = body["TTSConfig"].as_str() {
        task.tts_config = Some(c.to_owned());
    }
    Ok(Map::new())
}

fn stop(
    state: &State,
    family: Family,
    action: &Action,
    body: &Value,
) -> Result<Map<String, Value>, Refusal> {
    let mut ai = lock(&state.ai);
    let id = find(&mut ai, family, action, body)?;
    let Some(task) = family.tasks(&mut ai).remove(&id) else {
        return Err(not_found(action, family, &id));
    };
    drop(ai);
    if family == Family::Conversation {
        event(state, family, &id, &task, 902, json!({"LeaveCode": 0}));
    }
    Ok(Map::new())
}

fn messages(state: &State, action: &Action, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let mut ai = lock(&state.ai);
    let id = find(&mut ai, Family::Conversation, action, body)?;
    let list: Vec<Value> = ai
        .conversations
        .get(&id)
        .map(|t| {
            t.messages
                .iter()
                .map(|(role, content)| json!({"Role": role, "Content": content}))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Map::new();
    out.insert("Total".to_owned(), json!(list.len()));
    out.insert("MessageList".to_owned(), Value::Array(list));
    Ok(out)
}

/// The bot (or the server, for InvokeLLM) says `text`: a message event (903)
/// and, for the bot, the end of its speech (905); `role` non-empty records it
/// in the conversation's messages.
fn say(state: &State, id: &str, task: &mut AiTask, user: &str, role: &str, text: &str) {
    task.rounds += 1;
    let round = format!("{id}-{}", task.rounds);
    if !role.is_empty() {
        task.messages.push((role.to_owned(), text.to_owned()));
    }
    let ms = state.now() * 1000;
    event(
        state,
        Family::Conversation,
        id,
        task,
        903,
        json!({"UserId": user, "Text": text, "StartTimeMs": ms, "EndTimeMs": ms + 1000, "RoundId": round}),
    );
    if user == task.robot {
        event(
            state,
            Family::Conversation,
            id,
            task,
            905,
            json!({"UserId": user, "RoundId": round, "Text": text}),
        );
    }
}

/// Queues an AI event for the task, if callbacks are configured.
fn event(state: &State, family: Family, id: &str, task: &AiTask, event_type: i64, payload: Value) {
    let Some(deliverer) = &state.deliverer else {
        return;
    };
    let ms = state.now() * 1000 + fastrand::i64(0..1000);
    let room = if task.string_room {
        json!(task.room_id)
    } else {
        task.room_id
            .parse::<u64>()
            .map(|n| json!(n))
            .unwrap_or(json!(task.room_id))
    };
    let mut info = Map::new();
    info.insert("EventMsTs".to_owned(), json!(ms));
    info.insert("TaskId".to_owned(), json!(id));
    info.insert("RoomId".to_owned(), room);
    info.insert("RoomIdType".to_owned(), json!(u8::from(task.string_room)));
    if family == Family::Transcription {
        info.insert("RobotId".to_owned(), json!(task.robot));
    }
    info.insert("Payload".to_owned(), payload);
    deliverer.send(crate::delivery::Outgoing {
        sdk_app_id: task.sdk_app_id,
        group_id: family.group(),
        event_type,
        task_id: id.to_owned(),
        info,
    });
}

/// Checks a value against a spec JSON type with the runtime's checker (the
/// one the generated types use), over the schema `tencentcloud_spec::meta`
/// builds from the spec (the one the generated `SCHEMA`s hold). Requests are
/// checked this way by `tencentcloud_spec::check`; this is for a value alone.
pub fn check_json_type(name: &str, t: &JsonType, value: &Value) -> Result<(), JsonConfigError> {
    json_string::check(&tencentcloud_spec::meta::json_type_schema(name, t), value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_type_checks_with_the_spec_schema() {
        let (specs, _) = crate::embedded_specs().unwrap();
        let t = specs[0]
            .json_types
            .as_ref()
            .unwrap()
            .types
            .get("LLMConfig")
            .unwrap();
        let ok = json!({"LLMType": "openai", "Model": "m", "APIKey": "k", "APIUrl": "u"});
        check_json_type("LLMConfig", t, &ok).unwrap();
        let e = check_json_type("LLMConfig", t, &json!({"LLMType": "openai"})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "LLMConfig (openai): $.Model: missing required key `Model`"
        );
    }
}
