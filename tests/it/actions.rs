//! Every TRTC action through the shipped client and the local endpoint: each
//! is served (its documented example's request, or a minimal valid one, gets a
//! response that decodes into the generated output type); paginators page;
//! the streaming action streams; per-action hosts and non-per-second limits
//! are honoured.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Map, Value};
use tencentcloud_codegen::spec::{ShapeKind, Spec};
use tencentcloud_local_endpoint::{Fault, LocalEndpoint};
use tencentcloud_runtime::{ActionMeta, ApiError, Endpoint, RateLimit, SdkError};
use tencentcloud_tests::{config_for, trtc_spec, with_valid_user_sigs};
use tencentcloud_trtc::error::{
    StartMcuMixTranscodeByStrRoomIdError, StartMcuMixTranscodeError, StopMcuMixTranscodeError,
    TextToSpeechSseError,
};
use tencentcloud_trtc::model::{
    EncodeParams, LayoutParams, OutputParams, TextToSpeechSseEventType, Voice,
};
use tencentcloud_trtc::{actions, Client, RateLimitConfig};

/// Whether a request `body` of `name` acts on something started before: a
/// task it names by `TaskId`, or the `Stop` of a `Start` (of the spec) that
/// takes none (a room's mix). Their documented examples name tasks that do not
/// exist here, so the endpoint may refuse them as such where it keeps the
/// state (the lifecycle tests cover those: `tests/it/client_e2e.rs`,
/// `recording_callbacks.rs`, `ai_conversation.rs`, the mix tests below).
fn names_a_started_resource(spec: &Spec, name: &str, body: &Value) -> bool {
    let names_a_task = body.get("TaskId").is_some();
    let stops_a_start = name
        .strip_prefix("Stop")
        .is_some_and(|rest| spec.actions.get(&format!("Start{rest}")).is_some());
    names_a_task || stops_a_start
}

/// Whether `code` says that what the request names does not exist.
fn is_not_found(code: &str) -> bool {
    code.starts_with("ResourceNotFound") || code.contains("NotExist")
}

/// A minimal valid value of `ty`: required members only.
fn minimal(spec: &Spec, ty: &str) -> Value {
    match ty {
        "string" | "date" | "datetime" | "datetime_iso" => json!("x"),
        "int64" | "uint64" => json!(1),
        "float" => json!(1.0),
        "bool" => json!(false),
        _ => {
            let shape = spec.shapes.get(ty).expect("shape");
            if shape.kind == ShapeKind::Enum {
                return shape.values.as_ref().unwrap()[0].value.clone();
            }
            let mut m = Map::new();
            for (wire, member) in shape.members.iter().flat_map(|m| m.iter()) {
                if member.required {
                    let v = if member.ty == "list" {
                        json!([minimal(spec, member.items.as_deref().unwrap())])
                    } else {
                        minimal(spec, &member.ty)
                    };
                    m.insert(wire.to_owned(), v);
                }
            }
            Value::Object(m)
        }
    }
}

type Caller = for<'a> fn(
    &'a Client,
    &'static ActionMeta,
    Value,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(), SdkError<ApiError>>> + Send + 'a>,
>;

fn callers() -> BTreeMap<&'static str, (&'static ActionMeta, Caller)> {
    let mut table: BTreeMap<&'static str, (&'static ActionMeta, Caller)> = BTreeMap::new();
    macro_rules! one {
        ($name:expr, $i:ty, $o:ty, $e:ty, $with:ident, $meta:path) => {
            table.insert(
                $name,
                (&$meta, |client, meta, body| {
                    Box::pin(async move {
                        // Through the typed input (it must parse), then the typed output.
                        let input: $i = serde_json::from_value(body).map_err(|e| {
                            SdkError::Construction(
                                tencentcloud_runtime::ConstructionError::InvalidMeta(format!(
                                    "the request does not parse as {}: {e}",
                                    stringify!($i)
                                )),
                            )
                        })?;
                        let _: $o = client.runtime().call(meta, &input).await?;
                        Ok(())
                    })
                }),
            );
        };
    }
    tencentcloud_trtc::for_each_action!(one);
    table
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_is_served_and_decodes() {
    let (spec, _) = trtc_spec();
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let table = callers();
    assert_eq!(table.len(), spec.actions.len());
    // Every action of both editions' pinned definitions is in the spec (the
    // mainland-only ones too), so every one is served here.
    assert!(
        spec.actions
            .iter()
            .any(|(_, a)| a.editions == [tencentcloud_codegen::spec::Edition::Mainland]),
        "the mainland-only actions are in the spec"
    );
    let streams = spec
        .actions
        .iter()
        .filter(|(_, a)| a.stream.is_some())
        .count();
    let (mut served, mut not_started) = (0, Vec::new());
    let mut failures = Vec::new();
    for (name, action) in spec.actions.iter() {
        if action.stream.is_some() {
            continue;
        }
        let (meta, call) = table[name];
        let region = action
            .regions
            .first()
            .cloned()
            .unwrap_or_else(|| "ap-guangzhou".to_owned());
        let client = Client::new(config_for(&endpoint).region(region).build().unwrap()).unwrap();
        // The documented example's request, unless it carries a placeholder
        // the typed input cannot take (then the required members only).
        let mut body: Value = match action.examples.first() {
            Some(ex) => serde_json::from_str(&ex.request).unwrap(),
            None => minimal(&spec, &action.input),
        };
        with_valid_user_sigs(&mut body);
        let mut outcome = call(&client, meta, body.clone()).await;
        if let Err(SdkError::Construction(e)) = &outcome {
            if e.to_string().contains("the request does not parse as") {
                body = minimal(&spec, &action.input);
                with_valid_user_sigs(&mut body);
                outcome = call(&client, meta, body.clone()).await;
            }
        }
        match outcome {
            Ok(()) => served += 1,
            // A task the example names was never started here: a "does not
            // exist" answer, for an action that names one.
            Err(e)
                if names_a_started_resource(&spec, name, &body)
                    && e.code().is_some_and(is_not_found) =>
            {
                not_started.push(name.to_owned())
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(served + not_started.len(), spec.actions.len() - streams);
    // Most actions are answered from their documentation; the endpoint keeps
    // state for a few task families only.
    assert!(
        served > not_started.len(),
        "refused as not started: {not_started:?}"
    );
    // The endpoint checked every body against the input shape and answered
    // ok, or (the actions above) that what it names does not exist.
    let calls = endpoint.calls();
    assert!(
        calls
            .iter()
            .all(|c| c.verdict == "ok"
                || (not_started.contains(&c.action) && is_not_found(&c.verdict))),
        "{calls:#?}"
    );
}

async fn client_for(endpoint: &LocalEndpoint, region: &str) -> Client {
    Client::new(config_for(endpoint).region(region).build().unwrap()).unwrap()
}

#[tokio::test]
async fn paginators_page_through_listings() {
    let endpoint = LocalEndpoint::builder()
        .listing_size(23)
        .start()
        .await
        .unwrap();
    let client = client_for(&endpoint, "ap-guangzhou").await;
    // Default page size (the service's 10): pages 0, 1, 2; 23 rooms.
    let rooms = client
        .describe_room_info()
        .sdk_app_id(1400000001)
        .start_time(1)
        .end_time(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rooms.len(), 23);
    let distinct: std::collections::BTreeSet<_> =
        rooms.iter().map(|r| r.room_string.clone()).collect();
    assert_eq!(distinct.len(), 23, "each page brings new rooms");
    let pages: Vec<Value> = endpoint
        .calls()
        .iter()
        .map(|c| serde_json::from_slice::<Value>(&c.body).unwrap()["PageNumber"].clone())
        .collect();
    assert_eq!(pages, [Value::Null, json!(1), json!(2)]);

    // An explicit page size: 5 pages of users, the last one short.
    let pages = client
        .describe_user_info()
        .comm_id("c")
        .start_time(1)
        .end_time(2)
        .sdk_app_id(1400000001)
        .into_paginator()
        .page_size(5)
        .send()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.user_list.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [5, 5, 5, 5, 3]);

    // The spec names DescribeCallDetailInfo's items (two lists in its output).
    let users = client
        .describe_call_detail_info()
        .comm_id("c")
        .start_time(1)
        .end_time(2)
        .sdk_app_id(1400000001)
        .into_paginator()
        .page_size(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 23);

    // A missing required member fails the stream before anything is sent.
    let before = endpoint.calls().len();
    let mut stream = client.describe_room_info().into_paginator().send();
    let first = stream.next().await.unwrap().unwrap_err();
    assert!(
        first.to_string().contains("SdkAppId"),
        "names the member: {first}"
    );
    assert!(stream.next().await.is_none());
    assert_eq!(endpoint.calls().len(), before);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_typed_error() {
    let endpoint = LocalEndpoint::builder()
        .listing_size(23)
        .start()
        .await
        .unwrap();
    let client = client_for(&endpoint, "ap-guangzhou").await;
    let mut pages = client
        .describe_room_info()
        .sdk_app_id(1400000001)
        .start_time(1)
        .end_time(2)
        .into_paginator()
        .send();
    assert!(pages.next().await.unwrap().is_ok());
    endpoint.inject(Fault::error("InvalidParameter.SdkAppId"), 1);
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(matches!(
        err.service_error(),
        Some(tencentcloud_trtc::error::DescribeRoomInfoError::InvalidParameterSdkAppId(_))
    ));
    assert!(pages.next().await.is_none());
}

fn tts(client: &Client, text: &str) -> tencentcloud_trtc::fluent::TextToSpeechSseFluentBuilder {
    client
        .text_to_speech_sse()
        .text(text)
        .sdk_app_id(1400000001)
        .voice(
            Voice::builder()
                .voice_id("v-female-R2s4N9qJ")
                .build()
                .unwrap(),
        )
        .alignment_mode(1)
}

#[tokio::test]
async fn text_to_speech_streams_typed_events() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = client_for(&endpoint, "ap-singapore").await;
    let text = "Hello from the local endpoint";
    let mut stream = tts(&client, text).send().await.unwrap();
    assert_eq!(stream.request_id().len(), 36);
    let mut audio = Vec::new();
    let mut seqs = Vec::new();
    let mut last = None;
    while let Some(event) = stream.recv().await.unwrap() {
        assert_eq!(event.r#type, TextToSpeechSseEventType::Chunk);
        seqs.push(event.seq.unwrap());
        use base64::Engine as _;
        audio.extend(
            base64::engine::general_purpose::STANDARD
                .decode(event.audio.unwrap())
                .unwrap(),
        );
        last = event.is_end;
    }
    assert_eq!(last, Some(true), "ends with the final event");
    assert_eq!(seqs, (0..seqs.len() as i64).collect::<Vec<_>>());
    assert_eq!(String::from_utf8(audio).unwrap(), text);
    let call = endpoint.calls().pop().unwrap();
    assert_eq!(call.action, "TextToSpeechSSE");
    assert_eq!(call.verdict, "ok (event stream)");
}

#[tokio::test]
async fn text_to_speech_errors_are_typed() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = client_for(&endpoint, "ap-singapore").await;

    // Mid-stream: two chunks, then an error event.
    endpoint.inject(
        Fault::StreamError {
            after: 2,
            code: "UnsupportedOperation.InternalError".to_owned(),
        },
        1,
    );
    let mut stream = tts(&client, "a text long enough for several chunks")
        .send()
        .await
        .unwrap();
    assert!(stream.recv().await.unwrap().is_some());
    assert!(stream.recv().await.unwrap().is_some());
    let err = stream.recv().await.unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(TextToSpeechSseError::UnsupportedOperationInternalError(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.request_id().map(str::len), Some(36));
    assert!(stream.recv().await.unwrap().is_none());

    // Before synthesis: an ordinary error envelope.
    endpoint.inject(Fault::error("InvalidParameter.VoiceId"), 1);
    let err = tts(&client, "x").send().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter.VoiceId"));

    // Cut mid-way (the connection closes inside the body): a typed dispatch
    // error that says the connection was lost.
    endpoint.inject(Fault::StreamCut { after: 1 }, 1);
    let mut stream = tts(&client, "a text long enough for several chunks")
        .send()
        .await
        .unwrap();
    assert!(stream.recv().await.unwrap().is_some());
    let err = stream.recv().await.unwrap_err();
    let SdkError::Dispatch(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.kind(), tencentcloud_runtime::DispatchKind::Io, "{err}");
    assert!(stream.recv().await.unwrap().is_none());
}

#[test]
fn per_action_hosts_and_slow_limits_come_from_the_spec() {
    assert_eq!(
        actions::TEXT_TO_SPEECH_SSE.endpoint.as_deref(),
        Some("trtc.ai.tencentcloudapi.com")
    );
    assert_eq!(
        actions::TEXT_TO_SPEECH_SSE
            .international_endpoint
            .as_deref(),
        Some("trtc.ai.intl.tencentcloudapi.com")
    );
    assert_eq!(actions::DESCRIBE_ROOM_INFO.endpoint, None);
    assert_eq!(
        actions::DESCRIBE_TRTC_ROOM_USAGE.rate_limit,
        Some(RateLimit::every(1, 15))
    );
    let config = |e: Endpoint| {
        tencentcloud_trtc::Config::builder()
            .credentials(tencentcloud_trtc::Credentials::new("AKIDx", "k"))
            .region("ap-singapore")
            .endpoint(e)
            .build()
            .unwrap()
    };
    let host = |e: Endpoint, meta: &ActionMeta| {
        Client::new(config(e))
            .unwrap()
            .runtime()
            .endpoint_for(meta)
            .unwrap()
            .host
            .clone()
    };
    assert_eq!(
        host(Endpoint::Default, &actions::TEXT_TO_SPEECH_SSE),
        "trtc.ai.tencentcloudapi.com"
    );
    assert_eq!(
        host(Endpoint::International, &actions::TEXT_TO_SPEECH_SSE),
        "trtc.ai.intl.tencentcloudapi.com"
    );
    assert_eq!(
        host(Endpoint::International, &actions::TEXT_TO_SPEECH),
        "trtc.intl.tencentcloudapi.com"
    );
    assert_eq!(
        host(
            Endpoint::Url("http://127.0.0.1:9".into()),
            &actions::TEXT_TO_SPEECH_SSE
        ),
        "127.0.0.1:9",
        "an explicit URL wins"
    );
}

#[tokio::test]
async fn one_call_every_fifteen_seconds_is_enforced_by_the_endpoint() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = Client::new(
        config_for(&endpoint)
            .rate_limit(RateLimitConfig::disabled())
            .retry(tencentcloud_trtc::RetryConfig::disabled())
            .build()
            .unwrap(),
    )
    .unwrap();
    let call = || {
        client
            .describe_trtc_room_usage()
            .sdk_appid(1400000001)
            .start_time("2025-01-01 00:00")
            .end_time("2025-01-01 01:00")
            .send()
    };
    call().await.unwrap();
    let err = call().await.unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert!(
        err.to_string().contains("one request every 15 seconds"),
        "{err}"
    );
}

#[test]
fn the_client_limits_slow_actions_over_their_whole_window() {
    // The limiter's window for one call every 15 seconds is 15 seconds plus
    // the 5% margin (the sliding window itself is unit-tested in the runtime).
    let limits = RateLimitConfig::from_spec();
    let limit = limits
        .limit_for(
            "DescribeTrtcRoomUsage",
            actions::DESCRIBE_TRTC_ROOM_USAGE.rate_limit,
        )
        .unwrap();
    assert_eq!(limits.window_for(limit), Duration::from_millis(15_750));
}

fn mix_params(stream: &str) -> (OutputParams, EncodeParams, LayoutParams) {
    (
        OutputParams::builder().stream_id(stream).build().unwrap(),
        EncodeParams::builder()
            .audio_sample_rate(48000)
            .audio_bitrate(64)
            .audio_channels(2)
            .build()
            .unwrap(),
        LayoutParams::builder().template(1).build().unwrap(),
    )
}

/// The mainland edition's MCU mix transcode: start, a second start for the
/// same room refused, stop, a stop with nothing running refused with the
/// documented code, and start again; numeric and string rooms apart.
#[tokio::test]
async fn mcu_mix_transcode_has_a_lifecycle() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = client_for(&endpoint, "ap-guangzhou").await;
    let start = |room: u64, stream: &str| {
        let (o, e, l) = mix_params(stream);
        client
            .start_mcu_mix_transcode()
            .sdk_app_id(1400000001)
            .room_id(room)
            .output_params(o)
            .encode_params(e)
            .layout_params(l)
            .send()
    };
    start(3560, "mix_3560").await.unwrap();
    let mixes = endpoint.mix_transcodes();
    assert_eq!(mixes.len(), 1);
    assert_eq!(
        (
            mixes[0].room.as_str(),
            mixes[0].string_room,
            mixes[0].stream_id.as_str(),
            mixes[0].template
        ),
        ("3560", false, "mix_3560", Some(1))
    );

    // Mixing is set up once per room: a second start is refused.
    let err = start(3560, "mix_again").await.unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(StartMcuMixTranscodeError::FailedOperationRequestRejection(
                _
            ))
        ),
        "{err:?}"
    );
    assert_eq!(endpoint.mix_transcodes()[0].stream_id, "mix_3560");

    // The string room "3560" is another room.
    let (o, e, l) = mix_params("mix_str");
    client
        .start_mcu_mix_transcode_by_str_room_id()
        .sdk_app_id(1400000001)
        .str_room_id("3560")
        .output_params(o)
        .encode_params(e)
        .layout_params(l)
        .send()
        .await
        .unwrap();
    let (o, e, l) = mix_params("mix_str_again");
    let err = client
        .start_mcu_mix_transcode_by_str_room_id()
        .sdk_app_id(1400000001)
        .str_room_id("3560")
        .output_params(o)
        .encode_params(e)
        .layout_params(l)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(StartMcuMixTranscodeByStrRoomIdError::FailedOperationRequestRejection(_))
        ),
        "{err:?}"
    );
    assert_eq!(endpoint.mix_transcodes().len(), 2);

    // Stop: the numeric room's mix ends, the string room's goes on.
    client
        .stop_mcu_mix_transcode()
        .sdk_app_id(1400000001)
        .room_id(3560)
        .send()
        .await
        .unwrap();
    let left = endpoint.mix_transcodes();
    assert_eq!(left.len(), 1);
    assert!(left[0].string_room);
    let err = client
        .stop_mcu_mix_transcode()
        .sdk_app_id(1400000001)
        .room_id(3560)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.service_error(),
            Some(StopMcuMixTranscodeError::FailedOperationMixSessionNotExist(
                _
            ))
        ),
        "{err:?}"
    );
    // Once stopped, the room can mix again.
    start(3560, "mix_3560_b").await.unwrap();
    client
        .stop_mcu_mix_transcode_by_str_room_id()
        .sdk_app_id(1400000001)
        .str_room_id("3560")
        .send()
        .await
        .unwrap();
    let left = endpoint.mix_transcodes();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].stream_id, "mix_3560_b");
}
