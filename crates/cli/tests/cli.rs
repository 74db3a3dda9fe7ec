//! `trtc` end to end: the binary against the local endpoint.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};
use tencentcloud_local_endpoint::{
    LocalEndpoint, DEFAULT_APP_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};
use tencentcloud_spec::check::{self, Direction};

const BIN: &str = env!("CARGO_BIN_EXE_trtc");

fn temp_home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trtc-cli-test-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with an empty HOME and the endpoint's keys in the environment.
fn trtc(endpoint: Option<&LocalEndpoint>, home: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("HOME", home)
        .env("TENCENTCLOUD_SECRET_ID", DEFAULT_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", DEFAULT_SECRET_KEY);
    if let Some(e) = endpoint {
        c.env("TENCENTCLOUD_ENDPOINT", e.url());
    }
    c
}

fn run(c: &mut Command) -> Output {
    c.output().expect("run trtc")
}

fn stdout_json(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

fn user_sig(app: u64, user: &str) -> String {
    tencentcloud_trtc_server::usersig::TlsSigApi::new(app, DEFAULT_APP_KEY)
        .user_sig(user, 86_400)
        .sign()
}

fn with_valid_user_sigs(body: &mut Value) {
    fn walk(v: &mut Value, app: u64) {
        match v {
            Value::Object(m) => {
                let user = m
                    .get("UserId")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                for (k, child) in m.iter_mut() {
                    if k == "UserSig" && child.is_string() {
                        *child = Value::String(user_sig(app, &user));
                    } else {
                        walk(child, app);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|e| walk(e, app)),
            _ => {}
        }
    }
    let app = body["SdkAppId"].as_u64().unwrap_or(0);
    walk(body, app);
}

async fn endpoint() -> LocalEndpoint {
    LocalEndpoint::builder()
        .listing_size(23)
        .rate_limits(false)
        .start()
        .await
        .unwrap()
}

fn region_of(spec: &tencentcloud_spec::Spec, action: &str) -> String {
    spec.actions
        .get(action)
        .and_then(|a| a.regions.first().cloned())
        .unwrap_or_else(|| "ap-guangzhou".to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn every_action_with_its_documented_example() {
    let spec = tencentcloud_trtc_cli::table::load().unwrap();
    let ep = endpoint().await;
    let home = temp_home();
    let mut ran = 0;
    let mut failures = Vec::new();
    for (name, action) in spec.actions.iter() {
        // A usable example (it matches the input shape), else the skeleton's required members.
        let mut body = action
            .examples
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(&e.request).ok())
            .find(|v| check::check(&spec, &action.input, v, Direction::Request).is_empty())
            .unwrap_or_else(|| {
                serde_json::from_str(&tencentcloud_trtc_cli::input::skeleton(
                    &spec,
                    &action.input,
                ))
                .unwrap()
            });
        with_valid_user_sigs(&mut body);
        let problems = check::check(&spec, &action.input, &body, Direction::Request);
        assert!(problems.is_empty(), "{name}: no usable input: {problems:?}");
        // Stateful actions need a task: the transcription and recording ones
        // get one made by their Create action; a waiter's Describe action a lifecycle.
        let region = region_of(&spec, name);
        if name.ends_with("CloudTranscription") && name != "CreateCloudTranscription" {
            body["TaskId"] = json!(create(
                &ep,
                &home,
                &spec,
                "CreateCloudTranscription",
                &body["SdkAppId"]
            ));
        } else if name.ends_with("CloudRecording") && name != "CreateCloudRecording" {
            body["TaskId"] = json!(create(
                &ep,
                &home,
                &spec,
                "CreateCloudRecording",
                &body["SdkAppId"]
            ));
        } else if let Some(start) = started_by(name) {
            // An AI task or an MCU mix this action acts on, started on an
            // endpoint of its own (one task per room and robot).
            let own = endpoint().await;
            let (task, start_body) = start_task(&own, &home, &spec, start, &body["SdkAppId"]);
            // A documented placeholder where JSON is carried in a string
            // (UpdateAIConversation's `"TTSConfig": "your-tts-config-json"`)
            // is left out, as the SDK's typed member would refuse it; the
            // skeleton's empty command becomes a documented one.
            let input = spec.shapes.get(&action.input).unwrap();
            for (wire, m) in input.members.iter().flat_map(|m| m.iter()) {
                let placeholder = body[wire]
                    .as_str()
                    .is_some_and(|t| serde_json::from_str::<Value>(t).is_err());
                if m.json.is_some() && placeholder && !m.required {
                    body.as_object_mut().unwrap().remove(wire);
                }
            }
            if name == "ControlAIConversation" && body["Command"] == "" {
                body["Command"] = json!("ServerPushText");
                body["ServerPushText"]["Text"] = json!("hello");
            }
            if name.contains("MCUMixTranscode") {
                for room in ["RoomId", "StrRoomId", "SdkAppId"] {
                    if !start_body[room].is_null() {
                        body[room] = start_body[room].clone();
                    }
                }
            } else {
                body["TaskId"] = json!(task);
            }
            let file = home.join(format!("{name}.json"));
            std::fs::write(&file, body.to_string()).unwrap();
            let o = run(trtc(Some(&own), &home)
                .arg(tencentcloud_trtc_cli::table::command_name(name))
                .arg("--cli-input-json")
                .arg(format!("file://{}", file.display()))
                .args(["--region", &region]));
            if !o.status.success() {
                failures.push(format!("{name}: {}", String::from_utf8_lossy(&o.stderr)));
            } else {
                let out: Value = serde_json::from_str(&String::from_utf8_lossy(&o.stdout)).unwrap();
                let problems = check::check(&spec, &action.output, &out, Direction::Response);
                assert!(problems.is_empty(), "{name}: {problems:?}");
                ran += 1;
            }
            continue;
        } else if let (Some(t), Some((_, w))) = (
            body["TaskId"].as_str(),
            spec.waiters.iter().find(|(_, w)| w.action == *name),
        ) {
            let s = w
                .success
                .first()
                .or(w.failure.first())
                .cloned()
                .unwrap_or_default();
            let v = s.parse::<i64>().map(|n| json!(n)).unwrap_or(json!(s));
            ep.lifecycle(t, vec![v], None);
        }
        let file = home.join(format!("{name}.json"));
        std::fs::write(&file, body.to_string()).unwrap();
        let o = run(trtc(Some(&ep), &home)
            .arg(tencentcloud_trtc_cli::table::command_name(name))
            .arg("--cli-input-json")
            .arg(format!("file://{}", file.display()))
            .args(["--region", &region]));
        if !o.status.success() {
            failures.push(format!("{name}: {}", String::from_utf8_lossy(&o.stderr)));
            continue;
        }
        let text = String::from_utf8_lossy(&o.stdout);
        if action.stream.is_some() {
            let events: Vec<Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert!(!events.is_empty(), "{name}: no events");
        } else {
            let out: Value = serde_json::from_str(&text).unwrap();
            assert!(out["RequestId"].is_string(), "{name}: {out}");
            let problems = check::check(&spec, &action.output, &out, Direction::Response);
            assert!(problems.is_empty(), "{name}: {problems:?}");
        }
        ran += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(ran, spec.actions.len(), "every action ran");
}

/// A task made by `create` run with its documented example; its TaskId.
/// The action that starts the task an AI or MCU action needs (the cloud
/// transcription and recording ones are handled apart, the waiters' Describe
/// actions by a scripted lifecycle).
fn started_by(name: &str) -> Option<&'static str> {
    match name {
        "ControlAIConversation"
        | "UpdateAIConversation"
        | "StopAIConversation"
        | "QueryAIMessageList" => Some("StartAIConversation"),
        "StopAITranscription" => Some("StartAITranscription"),
        "StopMCUMixTranscode" => Some("StartMCUMixTranscode"),
        "StopMCUMixTranscodeByStrRoomId" => Some("StartMCUMixTranscodeByStrRoomId"),
        _ => None,
    }
}

/// Starts a task with `start`'s documented example (or its skeleton) through
/// the CLI; its TaskId (empty when it has none) and the body sent.
fn start_task(
    ep: &LocalEndpoint,
    home: &std::path::Path,
    spec: &tencentcloud_spec::Spec,
    start: &str,
    app: &Value,
) -> (String, Value) {
    let action = spec.actions.get(start).unwrap();
    let mut body: Value = action
        .examples
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(&e.request).ok())
        .find(|v| check::check(spec, &action.input, v, Direction::Request).is_empty())
        .unwrap_or_else(|| {
            serde_json::from_str(&tencentcloud_trtc_cli::input::skeleton(spec, &action.input))
                .unwrap()
        });
    // The action's own SdkAppId when it has one, else the endpoint's test application.
    body["SdkAppId"] = match app.as_u64() {
        Some(n) if n > 0 => json!(n),
        _ => json!(1_400_000_001u64),
    };
    with_valid_user_sigs(&mut body);
    let o = run(trtc(Some(ep), home)
        .arg(tencentcloud_trtc_cli::table::command_name(start))
        .arg("--cli-input-json")
        .arg(body.to_string())
        .args(["--region", &region_of(spec, start)]));
    assert!(
        o.status.success(),
        "{start}: {}\nsent: {body}",
        String::from_utf8_lossy(&o.stderr)
    );
    let task = stdout_json(&o)["TaskId"].as_str().unwrap_or("").to_owned();
    (task, body)
}

fn create(
    ep: &LocalEndpoint,
    home: &std::path::Path,
    spec: &tencentcloud_spec::Spec,
    create: &str,
    app: &Value,
) -> String {
    let action = spec.actions.get(create).unwrap();
    let mut body: Value = serde_json::from_str(&action.examples[0].request).unwrap();
    body["SdkAppId"] = app.clone();
    with_valid_user_sigs(&mut body);
    let o = run(trtc(Some(ep), home)
        .arg(tencentcloud_trtc_cli::table::command_name(create))
        .arg("--cli-input-json")
        .arg(body.to_string())
        .args(["--region", &region_of(spec, create)]));
    stdout_json(&o)["TaskId"].as_str().unwrap().to_owned()
}

fn rooms(ep: &LocalEndpoint, home: &std::path::Path, extra: &[&str]) -> Output {
    let mut c = trtc(Some(ep), home);
    c.args([
        "describe-room-info",
        "--sdk-app-id",
        "1400000001",
        "--start-time",
        "1",
        "--end-time",
        "2",
    ]);
    if !extra.contains(&"--region") {
        c.args(["--region", "ap-guangzhou"]);
    }
    run(c.args(extra))
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_are_merged_and_limited() {
    let ep = endpoint().await;
    let home = temp_home();
    let all = stdout_json(&rooms(&ep, &home, &[]));
    assert_eq!(all["RoomList"].as_array().unwrap().len(), 23);
    assert_eq!(all["Total"], 23);
    let strings: Vec<&str> = all["RoomList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["RoomString"].as_str().unwrap())
        .collect();
    assert!(strings[22].ends_with("-22"));
    let some = stdout_json(&rooms(&ep, &home, &["--max-items", "12"]));
    assert_eq!(some["RoomList"].as_array().unwrap().len(), 12);
    let one = stdout_json(&rooms(&ep, &home, &["--no-paginate", "--page-size", "5"]));
    assert_eq!(one["RoomList"].as_array().unwrap().len(), 5);
    // tccli's spelling.
    let o = run(trtc(Some(&ep), &home)
        .args([
            "DescribeRoomInfo",
            "--SdkAppId",
            "1400000001",
            "--StartTime",
            "1",
            "--EndTime",
            "2",
            "--PageSize",
            "7",
        ])
        .args(["--region", "ap-guangzhou", "--no-paginate"]));
    assert_eq!(stdout_json(&o)["RoomList"].as_array().unwrap().len(), 7);
}

#[tokio::test(flavor = "multi_thread")]
async fn output_formats_and_query() {
    let ep = endpoint().await;
    let home = temp_home();
    let q = rooms(&ep, &home, &["--query", "RoomList[0:2].RoomString"]);
    assert_eq!(
        stdout_json(&q),
        json!([
            "113a730673fee2d86e93e26cddb25b7d-0",
            "113a730673fee2d86e93e26cddb25b7d-1"
        ])
    );
    let f = rooms(&ep, &home, &["--filter", "length(RoomList)"]);
    assert_eq!(stdout_json(&f), json!(23));
    // Compact JSON in a pipe.
    let o = rooms(&ep, &home, &["--query", "{t: Total}"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "{\"t\":23}\n");
    let text = rooms(
        &ep,
        &home,
        &[
            "-o",
            "text",
            "--query",
            "RoomList[0:2].[RoomString, IsFinished]",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&text.stdout),
        "113a730673fee2d86e93e26cddb25b7d-0\tfalse\n113a730673fee2d86e93e26cddb25b7d-1\tfalse\n"
    );
    let yaml = rooms(
        &ep,
        &home,
        &[
            "-o",
            "yaml",
            "--query",
            "{Total: Total, First: RoomList[0].{Room: RoomString, Done: IsFinished}}",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&yaml.stdout),
        "First:\n  Done: false\n  Room: 113a730673fee2d86e93e26cddb25b7d-0\nTotal: 23\n"
    );
    let table = rooms(
        &ep,
        &home,
        &[
            "-o",
            "table",
            "--max-items",
            "2",
            "--query",
            "RoomList[].{Room: RoomString}",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&table.stdout),
        "+------------------------------------+\n| Room                               |\n+------------------------------------+\n\
         | 113a730673fee2d86e93e26cddb25b7d-0 |\n| 113a730673fee2d86e93e26cddb25b7d-1 |\n+------------------------------------+\n"
    );
    let bad = rooms(&ep, &home, &["--query", "RoomList[?"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Each class of bad input is a usage error (exit 2) naming the member, and nothing is sent.
#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_sending() {
    let ep = endpoint().await;
    let home = temp_home();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        // missing required member
        (
            vec![
                "describe-room-info",
                "--sdk-app-id",
                "1400000001",
                "--start-time",
                "1",
            ],
            "EndTime",
        ),
        // wrong type in an option
        (
            vec![
                "describe-room-info",
                "--sdk-app-id",
                "abc",
                "--start-time",
                "1",
                "--end-time",
                "2",
            ],
            "SdkAppId",
        ),
        // malformed JSON argument
        (
            vec![
                "create-cloud-transcription",
                "--sdk-app-id",
                "1",
                "--room-id",
                "1",
                "--room-id-type",
                "0",
                "--asr-param",
                "{\"Lang\":\"16k_zh\"}",
                "--transcription-param",
                "{\"UserId\": \"bot\",",
            ],
            "--transcription-param",
        ),
        // missing nested member
        (
            vec![
                "create-cloud-transcription",
                "--sdk-app-id",
                "1",
                "--room-id",
                "1",
                "--room-id-type",
                "0",
                "--asr-param",
                "{\"Lang\":\"16k_zh\"}",
                "--transcription-param",
                "{\"UserId\":\"bot\"}",
            ],
            "TranscriptionParam.UserSig",
        ),
        // unknown nested member
        (
            vec![
                "create-cloud-transcription",
                "--sdk-app-id",
                "1",
                "--room-id",
                "1",
                "--room-id-type",
                "0",
                "--asr-param",
                "{\"Lang\":\"16k_zh\",\"Langg\":1}",
                "--transcription-param",
                "{\"UserId\":\"bot\",\"UserSig\":\"x\"}",
            ],
            "AsrParam.Langg",
        ),
        // wrong type inside JSON
        (
            vec![
                "create-cloud-transcription",
                "--sdk-app-id",
                "1",
                "--room-id",
                "1",
                "--room-id-type",
                "0",
                "--asr-param",
                "{\"Lang\":5}",
                "--transcription-param",
                "{\"UserId\":\"bot\",\"UserSig\":\"x\"}",
            ],
            "AsrParam.Lang",
        ),
        // unknown option
        (
            vec!["describe-room-info", "--sdk-app-idd", "1"],
            "--sdk-app-idd",
        ),
        // unknown command
        (vec!["describe-nothing"], "describe-nothing"),
        // --cli-input-json that is not an object
        (
            vec!["describe-room-info", "--cli-input-json", "[1]"],
            "--cli-input-json",
        ),
    ];
    for (args, named) in cases {
        let o = run(trtc(Some(&ep), &home)
            .args(&args)
            .args(["--region", "ap-guangzhou"]));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(named), "{args:?} should name {named}: {err}");
    }
    assert!(
        ep.calls().is_empty(),
        "nothing may reach the endpoint: {:?}",
        ep.calls()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn json_carried_in_a_string_is_checked_before_sending() {
    // As the SDK and the local endpoint check it: the same checker and facts.
    let ep = endpoint().await;
    let home = temp_home();
    let start = |llm: &str| {
        run(trtc(Some(&ep), &home).args([
            "update-ai-conversation",
            "--task-id",
            "t",
            "--llm-config",
            llm,
            "--region",
            "ap-guangzhou",
        ]))
    };
    for (llm, named) in [
        (
            r#"{"LLMType":"openai","Model":"m","APIUrl":"u"}"#,
            "member `LLMConfig` is invalid: LLMConfig (openai): $.APIKey: missing required key `APIKey`",
        ),
        (
            r#"{"LLMType":"openai","Model":"m","APIKey":"sk-secret","APIUrl":"u","History":99}"#,
            "LLMConfig (openai): $.History: 99 is above the maximum 50",
        ),
        (
            "{not json",
            "member `LLMConfig` should be a string of JSON (LLMConfig), but it is not valid JSON",
        ),
    ] {
        let o = start(llm);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{llm}: {err}");
        assert!(err.contains(named), "{llm} should say {named}: {err}");
        assert!(!err.contains("sk-secret"), "{err}");
    }
    assert!(ep.calls().is_empty(), "{:?}", ep.calls());
    // A valid document of a provider the SDK does not know is sent.
    let o = start(r#"{"LLMType":"newvendor","Anything":1}"#);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("invalid"), "{err}");
    assert_eq!(ep.count("UpdateAIConversation"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_per_class() {
    let ep = endpoint().await;
    let home = temp_home();
    // Service error: the JSON on stderr, exit 4.
    ep.inject(
        tencentcloud_local_endpoint::Fault::error("FailedOperation.Test"),
        1,
    );
    let o = rooms(&ep, &home, &[]);
    assert_eq!(o.status.code(), Some(4));
    let e: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["Code"], "FailedOperation.Test");
    assert!(e["RequestId"].is_string() && e["Message"].is_string());
    // The call's trace ID, as the endpoint received it in X-TC-TraceId.
    let sent = ep
        .calls()
        .last()
        .unwrap()
        .header("x-tc-traceid")
        .unwrap()
        .to_owned();
    assert_eq!(e["TraceId"], sent.as_str(), "{e}");
    assert_eq!(sent.len(), 36, "a UUID: {sent}");
    // Network: a closed port, exit 5.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let o = run(trtc(None, &home)
        .args([
            "describe-room-info",
            "--sdk-app-id",
            "1",
            "--start-time",
            "1",
            "--end-time",
            "2",
        ])
        .args([
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
        ]));
    assert_eq!(
        o.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Timeout: the answer comes too late, exit 5.
    ep.inject(
        tencentcloud_local_endpoint::Fault::Delay(std::time::Duration::from_secs(3)),
        1,
    );
    let o = rooms(&ep, &home, &["--timeout", "0.3", "--no-paginate"]);
    assert_eq!(
        o.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Configuration: an unknown profile, exit 3; an unsupported region, exit 3.
    let o = run(trtc(Some(&ep), &home).args([
        "describe-room-info",
        "--sdk-app-id",
        "1",
        "--start-time",
        "1",
        "--end-time",
        "2",
        "--profile",
        "nope",
    ]));
    assert_eq!(o.status.code(), Some(3));
    let o = rooms(&ep, &home, &["--region", "mars-1"]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Help lists them.
    let o = run(trtc(None, &home).arg("--help"));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Exit codes") && help.contains("5  network or timeout"));
    assert_eq!(ep.count("DescribeRoomInfo"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn skeletons_and_help_come_from_the_spec() {
    let home = temp_home();
    let o = run(trtc(None, &home).args(["create-cloud-transcription", "--generate-cli-skeleton"]));
    let sk = stdout_json(&o);
    assert_eq!(sk["TranscriptionParam"]["UserSig"], "");
    let o =
        run(trtc(None, &home).args(["describe-room-info", "--generate-cli-skeleton", "output"]));
    assert!(stdout_json(&o)["RoomList"].is_array());
    let o = run(trtc(None, &home).args(["describe-room-info", "--help"]));
    let help = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "--sdk-app-id",
        "[uint64, required]",
        "Example: 1400xxxxxx",
        "Regions:",
        "Rate limit:",
        "Documented error codes",
        "Paginated",
        // A documented limit.
        "Range: 1 to 100.",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
    // A member's limits, and its structure's members' limits, in --help.
    let o = run(trtc(None, &home).args(["start-mcu-mix-transcode", "--help"]));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.contains("VideoFramerate (uint64, range 1 to 60)"),
        "limits in help:\n{help}"
    );
    let o = run(trtc(None, &home).args(["create-cloud-transcription", "--help"]));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Values: 0"), "enum values in help:\n{help}");
    for shell in ["bash", "zsh", "fish"] {
        let o = run(trtc(None, &home).args(["completions", shell]));
        assert!(o.status.success());
        assert!(String::from_utf8_lossy(&o.stdout).contains("describe-room-info"));
    }
}

/// tencentcloud-sdk-nodejs #119 from the shell: a bitrate given as the
/// framerate exits 2 naming the member, the value and the documented range,
/// and nothing is sent; `--skip-limit-checks` sends it (the endpoint then
/// refuses it with InvalidParameterValue and the same words).
#[tokio::test(flavor = "multi_thread")]
async fn documented_limits_are_refused_before_sending() {
    let ep = endpoint().await;
    let home = temp_home();
    let body = json!({
        "SdkAppId": 1400000001, "RoomId": 3560,
        "OutputParams": {"StreamId": "mix_3560"},
        "EncodeParams": {"AudioSampleRate": 48000, "AudioBitrate": 64, "AudioChannels": 2,
            "VideoWidth": 1280, "VideoHeight": 720, "VideoBitrate": 15, "VideoFramerate": 2000},
        "LayoutParams": {"Template": 1}
    })
    .to_string();
    let expected = "EncodeParams.VideoFramerate: 2000 is outside the documented range: 1 to 60 (\"取值范围[1,60]";
    let o = run(trtc(Some(&ep), &home).args([
        "start-mcu-mix-transcode",
        "--cli-input-json",
        &body,
        "--region",
        "ap-guangzhou",
    ]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(expected), "{err}");
    assert!(err.contains("--skip-limit-checks"), "{err}");
    assert_eq!(ep.count("StartMCUMixTranscode"), 0, "nothing was sent");

    let o = run(trtc(Some(&ep), &home).args([
        "start-mcu-mix-transcode",
        "--cli-input-json",
        &body,
        "--region",
        "ap-guangzhou",
        "--skip-limit-checks",
    ]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(err.contains("InvalidParameterValue"), "{err}");
    assert!(err.contains(&expected.replace('"', "\\\"")), "{err}");
    assert_eq!(ep.count("StartMCUMixTranscode"), 1);

    // An option of the command line, inside and outside its range.
    let room_info = |size: &str| {
        run(trtc(Some(&ep), &home).args([
            "describe-room-info",
            "--sdk-app-id",
            "1400000001",
            "--start-time",
            "1700000000",
            "--end-time",
            "1700003600",
            "--no-paginate",
            "--region",
            "ap-guangzhou",
            "--PageSize",
            size,
        ]))
    };
    let o = room_info("1000");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("PageSize: 1000 is outside the documented range: 1 to 100"),
        "{err}"
    );
    assert_eq!(ep.count("DescribeRoomInfo"), 0);
    let o = room_info("100");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(ep.count("DescribeRoomInfo"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn text_to_speech_events_as_lines_and_audio_to_a_file() {
    let ep = endpoint().await;
    let home = temp_home();
    let audio = home.join("out.bin");
    let o = run(trtc(Some(&ep), &home)
        .args([
            "text-to-speech-sse",
            "--sdk-app-id",
            "1400000001",
            "--text",
            "Hello, world of streams",
        ])
        .args([
            "--voice",
            "{\"VoiceId\":\"v-female-R2s4N9qJ\"}",
            "--region",
            "ap-singapore",
        ])
        .arg("--audio-out")
        .arg(&audio));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["IsEnd"], true);
    // The local endpoint's "audio" is the text's bytes.
    assert_eq!(
        std::fs::read_to_string(&audio).unwrap(),
        "Hello, world of streams"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn debug_redacts_user_signatures() {
    let ep = endpoint().await;
    let home = temp_home();
    let sig = user_sig(1400000001, "bot");
    let o = run(trtc(Some(&ep), &home)
        .args([
            "create-cloud-transcription",
            "--sdk-app-id",
            "1400000001",
            "--room-id",
            "1234",
            "--room-id-type",
            "0",
        ])
        .args([
            "--asr-param",
            "{\"Lang\":\"16k_zh_en\"}",
            "--region",
            "ap-guangzhou",
            "--debug",
        ])
        .arg("--transcription-param")
        .arg(format!("{{\"UserId\":\"bot\",\"UserSig\":\"{sig}\"}}")));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("CreateCloudTranscription") && err.contains("** redacted **"),
        "{err}"
    );
    assert!(
        !err.contains(&sig) && !err.contains(DEFAULT_SECRET_KEY),
        "{err}"
    );
    // The trace ID the request went with is printed, before and after.
    let sent = ep
        .calls()
        .last()
        .unwrap()
        .header("x-tc-traceid")
        .unwrap()
        .to_owned();
    assert!(err.contains(&format!("X-TC-TraceId: {sent}")), "{err}");
    assert!(err.matches(&sent).count() >= 2, "{err}");
}

fn wait(
    ep: &LocalEndpoint,
    home: &std::path::Path,
    waiter: &str,
    task: &str,
    extra: &[&str],
) -> Output {
    run(trtc(Some(ep), home)
        .args([
            "wait",
            waiter,
            "--sdk-app-id",
            "1400000001",
            &format!("--task-id={task}"),
            "--delay",
            "0.01",
            "--region",
            "ap-singapore",
        ])
        .args(extra))
}

/// Every waiter of the spec reaches success, reaches failure and times out
/// against the endpoint's lifecycles, calling only its Describe action.
/// A state no waiter lists, of the type of `w`'s status member: a number for
/// an integer (or integer enum) status, else a string.
fn unheard_of(spec: &tencentcloud_spec::Spec, w: &tencentcloud_spec::Waiter) -> Value {
    let mut shape = spec.actions.get(&w.action).unwrap().output.clone();
    let mut ty = String::new();
    for seg in w.status.split('.') {
        let m = spec.shapes.get(&shape).unwrap().members.as_ref().unwrap();
        ty = m.get(seg).unwrap().ty.clone();
        shape = ty.clone();
    }
    let base = spec
        .shapes
        .get(&ty)
        .and_then(|s| s.base.clone())
        .unwrap_or(ty);
    match tencentcloud_spec::Prim::parse(&base) {
        Some(tencentcloud_spec::Prim::Int64 | tencentcloud_spec::Prim::Uint64) => json!(987_654),
        _ => json!("Unheard-of"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_waiter_succeeds_fails_and_times_out() {
    let spec = tencentcloud_trtc_cli::table::load().unwrap();
    // However many the spec has: a waiter added to the spec is tested here too.
    assert!(!spec.waiters.is_empty(), "the spec has no waiters");
    let ep = endpoint().await;
    let home = temp_home();
    for (name, w) in spec.waiters.iter() {
        let cmd = heck::ToKebabCase::to_kebab_case(name);
        let state = |s: &str| -> Value {
            match s.parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => json!(s),
            }
        };
        let gone = w.not_found_codes[0].as_str();
        // A state no waiter lists, of the status's type (the endpoint checks
        // its answers against the output shape).
        let unheard = unheard_of(&spec, w);
        // Success: an unknown state first (matches nothing), then a success state or gone.
        let t = format!("{name}-ok");
        let before = ep.calls().len();
        match w.success.first() {
            Some(s) => ep.lifecycle(&t, vec![unheard.clone(), state(s)], None),
            None => ep.lifecycle(&t, vec![unheard.clone()], Some(gone)),
        }
        let o = wait(&ep, &home, &cmd, &t, &[]);
        let v = stdout_json(&o);
        assert_eq!(v["Outcome"], "reached", "{name}: {v}");
        assert_eq!(v["Polls"], 2, "{name}: {v}");
        let calls = ep.calls();
        assert!(
            calls[before..].iter().all(|c| c.action == w.action),
            "{name} called only {}",
            w.action
        );
        // Failure: a failure state, or gone when that is a failure.
        let t = format!("{name}-fail");
        let fails = match (w.failure.first(), w.not_found) {
            (Some(f), _) => {
                ep.lifecycle(&t, vec![state(f)], None);
                true
            }
            (None, tencentcloud_spec::NotFound::Failure) => {
                ep.lifecycle(&t, vec![], Some(gone));
                true
            }
            _ => false,
        };
        if fails {
            let o = wait(&ep, &home, &cmd, &t, &[]);
            assert_eq!(
                o.status.code(),
                Some(6),
                "{name}: {}",
                String::from_utf8_lossy(&o.stdout)
            );
        }
        // Timeout: a state that never changes.
        let t = format!("{name}-slow");
        ep.lifecycle(&t, vec![unheard], None);
        let o = wait(&ep, &home, &cmd, &t, &["--max-wait", "0.05"]);
        assert_eq!(
            o.status.code(),
            Some(7),
            "{name}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["Outcome"], "timed_out");
    }
    // A non-retryable error ends a wait with that error.
    ep.inject(
        tencentcloud_local_endpoint::Fault::error("InvalidParameter.TaskId"),
        1,
    );
    let o = wait(&ep, &home, "cloud-recording-in-progress", "x", &[]);
    assert_eq!(o.status.code(), Some(4));
}

/// The cloud recording lifecycle itself: created (InProgress), deleted (gone).
#[tokio::test(flavor = "multi_thread")]
async fn recording_waiters_follow_the_real_lifecycle() {
    let ep = endpoint().await;
    let home = temp_home();
    let sig = user_sig(1400000001, "recorder");
    let o = run(trtc(Some(&ep), &home)
        .args([
            "create-cloud-recording",
            "--sdk-app-id",
            "1400000001",
            "--room-id",
            "1234",
            "--user-id",
            "recorder",
        ])
        .arg("--user-sig")
        .arg(&sig)
        .args([
            "--record-params",
            "{\"RecordMode\":2}",
            "--storage-params",
            "{\"CloudVod\":{}}",
            "--region",
            "ap-singapore",
        ]));
    let task = stdout_json(&o)["TaskId"].as_str().unwrap().to_owned();
    let v = stdout_json(&wait(&ep, &home, "cloud-recording-in-progress", &task, &[]));
    assert_eq!(v["State"], "InProgress");
    let o = run(trtc(Some(&ep), &home).args([
        "delete-cloud-recording",
        "--sdk-app-id",
        "1400000001",
        &format!("--task-id={task}"),
        "--region",
        "ap-singapore",
    ]));
    stdout_json(&o);
    let v = stdout_json(&wait(&ep, &home, "cloud-recording-stopped", &task, &[]));
    assert_eq!(v["Outcome"], "reached");
}

/// A profile written by `trtc configure` is read by tccli, and one written by
/// tccli is used by `trtc` (HOME in a temporary directory).
#[tokio::test(flavor = "multi_thread")]
async fn tccli_profiles_work_both_ways() {
    let ep = endpoint().await;
    let tccli = tccli();
    // Ours → tccli.
    let home = temp_home();
    let o = run(trtc(None, &home).args([
        "configure",
        "set",
        "secretId",
        "AKIDOURS",
        "secretKey",
        "ours-key",
        "region",
        "ap-singapore",
        "--profile",
        "p1",
    ]));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (key, want) in [("region", "ap-singapore"), ("secretId", "OURS")] {
        let o = Command::new(&tccli)
            .env_clear()
            .env("HOME", &home)
            .args(["configure", "get", key, "--profile", "p1"])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains(want),
            "tccli configure get {key}: {out} {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // tccli → ours: its profile's keys sign a call the endpoint accepts.
    let home = temp_home();
    let o = Command::new(&tccli)
        .env_clear()
        .env("HOME", &home)
        .args([
            "configure",
            "set",
            "secretId",
            DEFAULT_SECRET_ID,
            "secretKey",
            DEFAULT_SECRET_KEY,
            "region",
            "ap-guangzhou",
            "--profile",
            "p2",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(Command::new(BIN)
        .env_clear()
        .env("HOME", &home)
        .env("TCCLI_PROFILE", "p2")
        .args([
            "describe-room-info",
            "--sdk-app-id",
            "1",
            "--start-time",
            "1",
            "--end-time",
            "2",
            "--no-paginate",
        ])
        .args(["--endpoint", &ep.url()]));
    assert_eq!(stdout_json(&o)["Total"], 23);
}

/// tccli (pinned, from PyPI) installed under target/ on first use (once,
/// however many tests ask at the same time: `tencentcloud_codegen::install`).
fn tccli() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let venv = target.join("tccli");
    tencentcloud_codegen::install::python_venv(
        &venv,
        "python3".as_ref(),
        &["tccli-intl-en==3.1.193.1"],
    )
    .unwrap_or_else(|e| panic!("tccli compatibility needs python3 with venv and pip: {e}"));
    venv.join("bin").join("tccli")
}

/// `trtc configure` asks as tccli does (an empty answer keeps the default) and
/// writes tccli's files; `get` and `list` read them back, keys masked.
#[test]
fn configure_interactively() {
    use std::io::Write;
    let home = temp_home();
    let mut child = trtc(None, &home)
        .env_remove("TENCENTCLOUD_SECRET_ID")
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .args(["configure", "--profile", "ci"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"AKIDINTERACTIVE1234\nsecret-key-5678\n\nyaml\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cred: Value =
        serde_json::from_str(&std::fs::read_to_string(home.join(".tccli/ci.credential")).unwrap())
            .unwrap();
    assert_eq!(cred["secretId"], "AKIDINTERACTIVE1234");
    let conf: Value =
        serde_json::from_str(&std::fs::read_to_string(home.join(".tccli/ci.configure")).unwrap())
            .unwrap();
    assert_eq!(conf["_sys_param"]["region"], "ap-guangzhou");
    assert_eq!(conf["_sys_param"]["output"], "yaml");
    assert_eq!(conf["trtc"]["endpoint"], "trtc.intl.tencentcloudapi.com");
    let o = run(trtc(None, &home).args(["configure", "list", "--profile", "ci"]));
    let list = String::from_utf8_lossy(&o.stdout);
    assert!(
        list.contains("****************5678") && !list.contains("secret-key-5678"),
        "{list}"
    );
    let o = run(trtc(None, &home).args(["configure", "get", "output", "--profile", "ci"]));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "yaml\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn https_proxy_in_tccli_spelling() {
    let ep = endpoint().await;
    let home = temp_home();
    // A malformed proxy URL: a configuration error naming the option, nothing sent.
    for bad in ["not a url", "ftp://proxy:21", "http://"] {
        let o = run(trtc(Some(&ep), &home).args([
            "describe-room-info",
            "--sdk-app-id",
            "1",
            "--start-time",
            "1700000000",
            "--end-time",
            "1700003600",
            "--region",
            "ap-guangzhou",
            "--https-proxy",
            bad,
        ]));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{bad}: {err}");
        assert!(
            err.contains("--https-proxy") && err.contains("invalid proxy"),
            "{err}"
        );
    }
    assert!(ep.calls().is_empty());
    // A proxy that is there: the request goes through it (an HTTP proxy
    // forwarding absolute-form requests to the endpoint).
    let proxy = tencentcloud_local_endpoint::proxy::LocalProxy::start()
        .await
        .unwrap();
    let o = run(trtc(Some(&ep), &home).args([
        "describe-room-info",
        "--sdk-app-id",
        "1",
        "--start-time",
        "1700000000",
        "--end-time",
        "1700003600",
        "--region",
        "ap-guangzhou",
        "--no-paginate",
        "--https-proxy",
        &proxy.url(),
    ]));
    stdout_json(&o);
    let lines = proxy.requests();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("POST {}/ ", ep.url()))),
        "the proxy saw {lines:?}"
    );
}
