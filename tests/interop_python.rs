//! Tencent's official Python SDK (`tencentcloud-sdk-python-trtc`, a client
//! nobody here wrote) against the local endpoint: the lifecycle with the seed's
//! example body succeeds, and a wrong secret key gets AuthFailure.SignatureFailure.
//!
//! The test installs the SDK itself into a virtual environment under `target/`,
//! and fails loudly (never skips) when Python or the SDK cannot be had.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_tests::root;

/// The pinned SDK version (both packages are released together).
const SDK_VERSION: &str = "3.1.177";

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A virtual environment with the official SDK, created on first use.
fn python_with_sdk() -> PathBuf {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let venv = target_dir().join(format!("python-sdk-{SDK_VERSION}"));
    let bin = venv.join("bin").join("python");
    let marker = venv.join(".installed");
    if marker.exists() && bin.exists() {
        return bin;
    }
    if Command::new(&python).arg("--version").output().is_err() {
        panic!("python3 is required for the interop test (set PYTHON to another interpreter); it was not found");
    }
    run(
        Command::new(&python).args(["-m", "venv"]).arg(&venv),
        "creating the virtual environment",
    );
    run(
        Command::new(&bin).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("tencentcloud-sdk-python-common=={SDK_VERSION}"),
            &format!("tencentcloud-sdk-python-trtc=={SDK_VERSION}"),
        ]),
        "installing the official Python SDK from PyPI",
    );
    std::fs::write(&marker, SDK_VERSION).unwrap();
    bin
}

fn steps(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

fn step<'a>(all: &'a [Value], name: &str) -> &'a Value {
    all.iter()
        .find(|s| s["step"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {all:#?}"))
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
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/interop.py");
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
    let all = steps(&stdout);

    let create = step(&all, "create");
    assert_eq!(create["ok"], true, "{create}");
    let task_id = create["response"]["TaskId"].as_str().unwrap().to_owned();
    assert_eq!(create["response"]["RequestId"].as_str().unwrap().len(), 36);

    let describe = step(&all, "describe");
    assert_eq!(describe["ok"], true, "{describe}");
    assert_eq!(describe["response"]["TaskId"], task_id.as_str());
    assert_eq!(describe["response"]["Status"], "InProgress");
    assert!(describe["response"]["StartTime"].as_u64().unwrap() > 1_700_000_000_000);

    let delete = step(&all, "delete");
    assert_eq!(delete["ok"], true, "{delete}");
    assert_eq!(delete["response"]["TaskId"], task_id.as_str());

    let gone = step(&all, "describe_after_delete");
    assert_eq!(gone["ok"], false);
    assert_eq!(gone["code"], "ResourceNotFound");

    for name in ["create_wrong_key", "describe_wrong_key", "delete_wrong_key"] {
        let s = step(&all, name);
        assert_eq!(s["ok"], false, "{s}");
        assert_eq!(s["code"], "AuthFailure.SignatureFailure", "{s}");
        assert_eq!(s["request_id"].as_str().unwrap().len(), 36, "{s}");
    }

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
