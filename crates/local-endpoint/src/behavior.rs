//! How actions behave beyond their checks: the lifecycles the endpoint
//! simulates, paginated listings, event streams, and documented answers.

use serde_json::{json, Map, Value};
use tencentcloud_spec::paginate;
use tencentcloud_spec::{Action, PageStyle, Pagination, Prim, ShapeKind, Spec};

use crate::service::{refuse, task_id, Outcome, Refusal};
use crate::{lock, State};

/// A running transcription task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// The TaskId handed out.
    pub task_id: String,
    /// The SdkAppId it was created for.
    pub sdk_app_id: u64,
    /// The room.
    pub room_id: String,
    /// Milliseconds since the Unix epoch when it started.
    pub start_time: u64,
    /// `Idle`, `InProgress` or `Exited`.
    pub status: String,
}

/// A cloud recording task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recording {
    /// The TaskId handed out.
    pub task_id: String,
    /// The SdkAppId it was created for.
    pub sdk_app_id: u64,
    /// The room, as given.
    pub room_id: String,
    /// Whether the room ID is a string (`RoomIdType` 1).
    pub string_room: bool,
    /// The recording bot's user ID.
    pub user_id: String,
    /// Whether the files go to VOD (else to cloud storage, COS).
    pub vod: bool,
    /// `Idle`, `InProgress` or `Exited`.
    pub status: String,
    /// How many times the layout or subscriptions were modified.
    pub modifications: u32,
}

/// A running MCU mix transcode (`StartMCUMixTranscode` and its
/// `ByStrRoomId` form): at most one per room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MixTranscode {
    /// The SdkAppId.
    pub sdk_app_id: u64,
    /// The room: `RoomId` (numeric) or `StrRoomId`, as given.
    pub room: String,
    /// Whether the room is a string room (the `ByStrRoomId` actions); a
    /// numeric room and a string room with the same digits are different rooms.
    pub string_room: bool,
    /// `OutputParams.StreamId`, the mixed stream.
    pub stream_id: String,
    /// `LayoutParams.Template`, when given.
    pub template: Option<i64>,
}

/// The room an MCU action names: (SdkAppId, room, whether a string room).
fn mix_room(name: &str, body: &Value) -> (u64, String, bool) {
    let string_room = name.ends_with("ByStrRoomId");
    let room = if string_room {
        body["StrRoomId"].as_str().unwrap_or("").to_owned()
    } else {
        body["RoomId"]
            .as_u64()
            .map(|r| r.to_string())
            .unwrap_or_default()
    };
    (body["SdkAppId"].as_u64().unwrap_or(0), room, string_room)
}

/// Starts a mix transcode. The layout is set once when mixing starts (the
/// action's documentation), and 2019-07-22 has no action that updates it:
/// a second start for a room already mixing is refused with
/// `FailedOperation.RequestRejection`, the documented refusal of a mix
/// setting that conflicts with the room's current one.
fn start_mix(state: &State, name: &str, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let (sdk_app_id, room, string_room) = mix_room(name, body);
    if room.is_empty() {
        return Err(refuse(
            if string_room {
                "InvalidParameter.StrRoomId"
            } else {
                "InvalidParameter.RoomId"
            },
            "The room ID is empty.",
        ));
    }
    let stream_id = body["OutputParams"]["StreamId"].as_str().unwrap_or("");
    if stream_id.is_empty() {
        return Err(refuse(
            "MissingParameter.StreamId",
            "The StreamId parameter is missing in OutputParams.",
        ));
    }
    let mut mixes = lock(&state.mixes);
    if mixes
        .iter()
        .any(|m| (m.sdk_app_id, &m.room, m.string_room) == (sdk_app_id, &room, string_room))
    {
        return Err(refuse(
            "FailedOperation.RequestRejection",
            format!(
                "On-Cloud MixTranscoding is already running in room `{room}` of SdkAppId \
                 {sdk_app_id}; stop it before starting it again."
            ),
        ));
    }
    mixes.push(MixTranscode {
        sdk_app_id,
        room,
        string_room,
        stream_id: stream_id.to_owned(),
        template: body["LayoutParams"]["Template"].as_i64(),
    });
    Ok(Map::new())
}

/// Stops a mix transcode; `FailedOperation.MixSessionNotExist` when the
/// room has none (the documented code).
fn stop_mix(state: &State, name: &str, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let (sdk_app_id, room, string_room) = mix_room(name, body);
    let mut mixes = lock(&state.mixes);
    let before = mixes.len();
    mixes.retain(|m| (m.sdk_app_id, &m.room, m.string_room) != (sdk_app_id, &room, string_room));
    if mixes.len() == before {
        return Err(refuse(
            "FailedOperation.MixSessionNotExist",
            format!(
                "No On-Cloud MixTranscoding is running in room `{room}` of SdkAppId {sdk_app_id}."
            ),
        ));
    }
    Ok(Map::new())
}

/// A task lifecycle a waiter's Describe action reports (see
/// `LocalEndpoint::lifecycle`).
#[derive(Clone, Debug)]
pub(crate) struct Lifecycle {
    pub(crate) states: std::collections::VecDeque<Value>,
    pub(crate) then_gone: Option<String>,
    pub(crate) last: Option<Value>,
}

/// The answer of a waiter-polled action for a task with a lifecycle: the
/// documented output with the next state at the waiter's status path.
fn lifecycle_answer(
    state: &State,
    spec: &Spec,
    name: &str,
    action: &Action,
    body: &Value,
) -> Option<Result<Map<String, Value>, Refusal>> {
    let (_, waiter) = spec.waiters.iter().find(|(_, w)| w.action == name)?;
    let task_id = body["TaskId"].as_str()?;
    let mut all = lock(&state.lifecycles);
    let life = all.get_mut(task_id)?;
    let next = match life.states.pop_front() {
        Some(v) => {
            life.last = Some(v.clone());
            v
        }
        None => match (&life.then_gone, &life.last) {
            (Some(code), _) => {
                return Some(Err(refuse(
                    code,
                    format!("The task `{task_id}` does not exist."),
                )))
            }
            (None, Some(v)) => v.clone(),
            (None, None) => return None,
        },
    };
    drop(all);
    let mut out = documented_output(spec, action);
    let segments: Vec<&str> = waiter.status.split('.').collect();
    let mut cur = &mut out;
    for seg in &segments[..segments.len() - 1] {
        let entry = cur
            .entry((*seg).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        cur = entry.as_object_mut()?;
    }
    cur.insert(segments[segments.len() - 1].to_owned(), next);
    Some(Ok(out))
}

/// Runs an action that passed every check.
pub(crate) fn run(
    state: &State,
    spec: &Spec,
    name: &str,
    action: &Action,
    body: &Value,
) -> Result<Outcome, Refusal> {
    if let Some(answer) = lifecycle_answer(state, spec, name, action, body) {
        return answer.map(Outcome::Json);
    }
    if spec.service.name == "trtc" {
        if let Some(out) = crate::ai::run(state, name, action, body) {
            return out.map(Outcome::Json);
        }
        match name {
            "CreateCloudTranscription" => {
                return create_transcription(state, body).map(Outcome::Json)
            }
            "DescribeCloudTranscription" => {
                return describe_transcription(state, body).map(Outcome::Json)
            }
            "DeleteCloudTranscription" => {
                return delete_transcription(state, body).map(Outcome::Json)
            }
            "TextToSpeechSSE" => return Ok(Outcome::Events(text_to_speech_events(body))),
            "CreateCloudRecording" => return create_recording(state, body).map(Outcome::Json),
            "DescribeCloudRecording" => return describe_recording(state, body).map(Outcome::Json),
            "ModifyCloudRecording" => return modify_recording(state, body).map(Outcome::Json),
            "DeleteCloudRecording" => return delete_recording(state, body).map(Outcome::Json),
            "StartMCUMixTranscode" | "StartMCUMixTranscodeByStrRoomId" => {
                return start_mix(state, name, body).map(Outcome::Json)
            }
            "StopMCUMixTranscode" | "StopMCUMixTranscodeByStrRoomId" => {
                return stop_mix(state, name, body).map(Outcome::Json)
            }
            _ => {}
        }
    }
    if let Some(p) = pagination(spec, action) {
        return Ok(Outcome::Json(page(state, spec, action, &p, body)));
    }
    if action.stream.is_some() {
        return Ok(Outcome::Events(minimal_events(spec, action)));
    }
    Ok(Outcome::Json(documented_output(spec, action)))
}

fn create_transcription(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    if sdk_app_id == 0 {
        return Err(refuse(
            "InvalidParameter.SdkAppId",
            "SdkAppId is incorrect.",
        ));
    }
    let room_id = body["RoomId"].as_str().unwrap_or("").to_owned();
    if body["RoomIdType"].as_u64() == Some(0) && room_id.parse::<u64>().is_err() {
        return Err(refuse(
            "InvalidParameter",
            "RoomIdType 0 means an integer room ID, but RoomId is not an integer.",
        ));
    }
    if body["AsrParam"]["Lang"].as_str().is_some_and(str::is_empty) {
        return Err(refuse(
            "MissingParameter.ASRLang",
            "Missing required parameter: Lang (ASR model).",
        ));
    }
    let task = Task {
        task_id: task_id(),
        sdk_app_id,
        room_id,
        start_time: (state.now().max(0) as u64) * 1000 + fastrand::u64(0..1000),
        status: "InProgress".to_owned(),
    };
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), Value::String(task.task_id.clone()));
    lock(&state.tasks).insert(task.task_id.clone(), task);
    Ok(out)
}

fn find_task(state: &State, body: &Value) -> Result<Task, Refusal> {
    let task_id = body["TaskId"].as_str().unwrap_or("");
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    match lock(&state.tasks).get(task_id) {
        Some(t) if t.sdk_app_id == sdk_app_id => Ok(t.clone()),
        _ => Err(refuse(
            "ResourceNotFound",
            format!("The transcription task `{task_id}` does not exist in SdkAppId {sdk_app_id}: it never started or has already stopped."),
        )),
    }
}

fn describe_transcription(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let task = find_task(state, body)?;
    let mut out = Map::new();
    out.insert("StartTime".to_owned(), json!(task.start_time));
    out.insert("Status".to_owned(), json!(task.status));
    out.insert("TaskId".to_owned(), json!(task.task_id));
    Ok(out)
}

fn delete_transcription(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let task = find_task(state, body)?;
    lock(&state.tasks).remove(&task.task_id);
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(task.task_id));
    Ok(out)
}

/// The first documented example's response, or a minimal valid output.
pub(crate) fn documented_output(spec: &Spec, action: &Action) -> Map<String, Value> {
    for ex in &action.examples {
        if let Ok(v) = serde_json::from_str::<Value>(&ex.response) {
            if let Some(Value::Object(mut m)) = v.get("Response").cloned() {
                m.remove("RequestId");
                return m;
            }
        }
    }
    match minimal(spec, &action.output, 0) {
        Value::Object(mut m) => {
            m.remove("RequestId");
            m
        }
        _ => Map::new(),
    }
}

/// The smallest valid value of type `ty`: a primitive's zero value, an
/// enum's first value, a structure with its required members.
fn minimal(spec: &Spec, ty: &str, depth: usize) -> Value {
    if let Some(p) = Prim::parse(ty) {
        return p.zero();
    }
    let Some(shape) = spec.shapes.get(ty) else {
        return Value::Null;
    };
    if shape.kind == ShapeKind::Enum {
        return shape
            .values
            .as_ref()
            .and_then(|v| v.first())
            .map(|v| v.value.clone())
            .unwrap_or(Value::Null);
    }
    let mut m = Map::new();
    if depth < 8 {
        for (wire, member) in shape.members.iter().flat_map(|m| m.iter()) {
            if member.required && !member.nullable {
                let v = if member.ty == "list" {
                    json!([])
                } else {
                    minimal(spec, &member.ty, depth + 1)
                };
                m.insert(wire.to_owned(), v);
            }
        }
    }
    Value::Object(m)
}

/// The action's pagination, as the generated client sees it.
fn pagination(spec: &Spec, action: &Action) -> Option<Pagination> {
    paginate::effective(spec, action).map(|e| e.pagination)
}

/// The page size a service uses when the caller sets none: the number in the
/// size member's description ("The default is `10`."), else 10.
fn default_page_size(spec: &Spec, action: &Action, p: &Pagination) -> u64 {
    let text = spec
        .shapes
        .get(&action.input)
        .and_then(|s| s.members.as_ref())
        .and_then(|m| m.get(&p.size))
        .and_then(|m| m.description.as_deref())
        .unwrap_or("");
    let lower = text.to_ascii_lowercase();
    lower
        .find("default is")
        .map(|i| &lower[i + "default is".len()..])
        .and_then(|rest| {
            let digits: String = rest
                .trim_start_matches([' ', '`'])
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .filter(|n| *n > 0)
        .unwrap_or(10)
}

/// One page of a listing of `state.listing_size` items, each a copy of the
/// documented example's first item (or a minimal item) with its string members
/// numbered, so pages differ.
fn page(
    state: &State,
    spec: &Spec,
    action: &Action,
    p: &Pagination,
    body: &Value,
) -> Map<String, Value> {
    let mut out = documented_output(spec, action);
    let template = match out
        .get(&p.items)
        .and_then(|v| v.as_array())
        .and_then(|a| a.first())
    {
        Some(item) => item.clone(),
        None => {
            let item_ty = spec
                .shapes
                .get(&action.output)
                .and_then(|s| s.members.as_ref())
                .and_then(|m| m.get(&p.items))
                .and_then(|m| m.items.clone())
                .unwrap_or_default();
            minimal(spec, &item_ty, 0)
        }
    };
    let total = state.listing_size;
    let size = body[&p.size]
        .as_u64()
        .filter(|n| *n > 0)
        .unwrap_or_else(|| default_page_size(spec, action, p));
    let start = match p.style {
        PageStyle::PageNumber => {
            let first = p.first_page.unwrap_or(1); // always set for page numbers
            body[&p.cursor]
                .as_u64()
                .unwrap_or(first)
                .saturating_sub(first)
                .saturating_mul(size)
        }
        PageStyle::Offset => body[&p.cursor].as_u64().unwrap_or(0),
    };
    let end = start.saturating_add(size).min(total);
    let items: Vec<Value> = (start..end.max(start))
        .map(|i| numbered(&template, i))
        .collect();
    out.insert(p.items.clone(), Value::Array(items));
    out.insert(p.total.clone(), json!(total));
    out
}

/// `template` with every string member at its top level suffixed `-i`.
fn numbered(template: &Value, i: u64) -> Value {
    match template {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => Value::String(format!("{s}-{i}")),
                        other => other.clone(),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::String(s) => Value::String(format!("{s}-{i}")),
        other => other.clone(),
    }
}

/// `TextToSpeechSSE`: the text in chunks of up to 8 characters, each with
/// "audio" (the chunk's bytes, Base64) and its alignment, the last one `IsEnd`.
fn text_to_speech_events(body: &Value) -> Vec<Map<String, Value>> {
    use base64::Engine as _;
    let text = body["Text"].as_str().unwrap_or("");
    let chars: Vec<char> = text.chars().collect();
    let chunks: Vec<String> = if chars.is_empty() {
        vec![String::new()]
    } else {
        chars.chunks(8).map(|c| c.iter().collect()).collect()
    };
    let aligned = body["AlignmentMode"].as_u64().unwrap_or(0) > 0;
    let n = chunks.len();
    let mut offset = 0u64;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let len = chunk.chars().count() as u64;
            let mut e = Map::new();
            e.insert("Type".to_owned(), json!("chunk"));
            e.insert("ChunkId".to_owned(), json!(format!("chunk_{i}")));
            e.insert(
                "Audio".to_owned(),
                json!(base64::engine::general_purpose::STANDARD.encode(chunk.as_bytes())),
            );
            e.insert("Seq".to_owned(), json!(i));
            e.insert("IsEnd".to_owned(), json!(i + 1 == n));
            if aligned {
                e.insert(
                    "Alignments".to_owned(),
                    json!([{"TimeBeginMs": offset * 100, "TimeEndMs": (offset + len) * 100,
                            "TextBegin": offset, "TextEnd": offset + len}]),
                );
            }
            offset += len;
            e
        })
        .collect()
}

/// Any other streaming action: one minimal event that ends the stream.
fn minimal_events(spec: &Spec, action: &Action) -> Vec<Map<String, Value>> {
    let Some(stream) = &action.stream else {
        return Vec::new();
    };
    let mut e = match minimal(spec, &stream.event, 0) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Some(end) = &stream.end_member {
        e.insert(end.clone(), json!(true));
    }
    vec![e]
}

fn now_ms(state: &State) -> i64 {
    state.now() * 1000 + (fastrand::u64(0..1000) as i64)
}

/// Queues a cloud recording event (group 3) for the task, if callbacks are configured.
fn recording_event(state: &State, r: &Recording, event_type: i64, payload: Value) {
    let Some(deliverer) = &state.deliverer else {
        return;
    };
    let ms = now_ms(state);
    let room = if r.string_room {
        json!(r.room_id)
    } else {
        r.room_id
            .parse::<u64>()
            .map(|n| json!(n))
            .unwrap_or(json!(r.room_id))
    };
    let mut info = Map::new();
    info.insert("RoomId".to_owned(), room);
    info.insert("EventTs".to_owned(), json!(ms / 1000));
    info.insert("EventMsTs".to_owned(), json!(ms));
    info.insert("UserId".to_owned(), json!(r.user_id));
    info.insert("TaskId".to_owned(), json!(r.task_id));
    info.insert("Payload".to_owned(), payload);
    deliverer.send(crate::delivery::Outgoing {
        sdk_app_id: r.sdk_app_id,
        group_id: 3,
        event_type,
        task_id: r.task_id.clone(),
        info,
    });
}

fn create_recording(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    if sdk_app_id == 0 {
        return Err(refuse(
            "InvalidParameter.SdkAppId",
            "SdkAppId is incorrect.",
        ));
    }
    let storage = &body["StorageParams"];
    let vod = storage.get("CloudVod").is_some_and(|v| !v.is_null());
    if !vod && storage.get("CloudStorage").is_none_or(|v| v.is_null()) {
        return Err(refuse(
            "MissingParameter.CloudStorage",
            "StorageParams needs CloudStorage or CloudVod.",
        ));
    }
    let string_room = body["RoomIdType"].as_u64() == Some(1);
    let room_id = body["RoomId"].as_str().unwrap_or("").to_owned();
    if !string_room && room_id.parse::<u32>().is_err() {
        return Err(refuse(
            "InvalidParameter.OutOfRange",
            "RoomIdType 0 means a numeric room ID (1 to 4294967295), but RoomId is not one.",
        ));
    }
    let r = Recording {
        task_id: task_id(),
        sdk_app_id,
        room_id,
        string_room,
        user_id: body["UserId"].as_str().unwrap_or("").to_owned(),
        vod,
        status: "InProgress".to_owned(),
        modifications: 0,
    };
    lock(&state.recordings).insert(r.task_id.clone(), r.clone());
    // The module starts; with cloud storage, the upload module too, then the index file.
    recording_event(state, &r, 301, json!({"Status": 0}));
    if !r.vod {
        recording_event(state, &r, 303, json!({"Status": 0}));
        recording_event(
            state,
            &r,
            304,
            json!({"FileList": format!("{}.m3u8", r.task_id)}),
        );
    }
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(r.task_id));
    Ok(out)
}

fn find_recording(state: &State, body: &Value) -> Result<Recording, Refusal> {
    let task_id = body["TaskId"].as_str().unwrap_or("");
    let sdk_app_id = body["SdkAppId"].as_u64().unwrap_or(0);
    match lock(&state.recordings).get(task_id) {
        Some(r) if r.sdk_app_id == sdk_app_id => Ok(r.clone()),
        _ => Err(refuse(
            "ResourceNotFound",
            format!("The recording task `{task_id}` does not exist in SdkAppId {sdk_app_id}: it never started or has already stopped."),
        )),
    }
}

fn describe_recording(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let r = find_recording(state, body)?;
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(r.task_id));
    out.insert("Status".to_owned(), json!(r.status));
    if !r.vod {
        out.insert(
            "StorageFileList".to_owned(),
            json!([{"UserId": r.user_id, "FileName": format!("{}.m3u8", r.task_id),
                    "TrackType": "audio_video", "BeginTimeStamp": state.now().max(0) * 1000}]),
        );
    }
    Ok(out)
}

fn modify_recording(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let r = find_recording(state, body)?;
    if let Some(live) = lock(&state.recordings).get_mut(&r.task_id) {
        live.modifications += 1;
    }
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(r.task_id));
    Ok(out)
}

fn delete_recording(state: &State, body: &Value) -> Result<Map<String, Value>, Refusal> {
    let r = find_recording(state, body)?;
    lock(&state.recordings).remove(&r.task_id);
    // The module exits; then the upload completes (COS) or the media is
    // committed to VOD and the VOD task stops.
    recording_event(state, &r, 302, json!({"LeaveCode": 0}));
    if r.vod {
        let ms = now_ms(state);
        recording_event(
            state,
            &r,
            311,
            json!({"Status": 0, "TencentVod": {
                "UserId": "", "TrackType": "audio_video", "MediaId": "mix",
                "FileId": format!("{}", 5285485487985271000u64 + fastrand::u64(0..1_000_000)),
                "VideoUrl": format!("http://vod.local/{}.mp4", r.task_id),
                "CacheFile": format!("{}.mp4", r.task_id),
                "StartTimeStamp": ms - 60_000, "EndTimeStamp": ms}}),
        );
        recording_event(state, &r, 312, json!({"Status": 0}));
    } else {
        recording_event(state, &r, 305, json!({"LeaveCode": 0}));
    }
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(r.task_id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tencentcloud_spec::check::{self, Direction, ProblemKind};

    #[test]
    fn documented_and_minimal_answers_match_their_output_shapes() {
        let (specs, _) = crate::embedded_specs().unwrap();
        let mut bad = Vec::new();
        for spec in &specs {
            for (name, action) in spec.actions.iter() {
                let answer = Value::Object(documented_output(spec, action));
                for p in check::check(spec, &action.output, &answer, Direction::Response) {
                    if !(p.path == "RequestId" && p.kind == ProblemKind::Missing) {
                        bad.push(format!("{name}: {p}"));
                    }
                }
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }
}
