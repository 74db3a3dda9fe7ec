//! Tencent's official Node.js SDK (`tencentcloud-sdk-nodejs`, a second client
//! nobody here wrote, signing requests itself) against the local endpoint: the
//! lifecycle with the seed's example body succeeds, a stopped task is
//! ResourceNotFound, and a wrong secret key gets AuthFailure.SignatureFailure.
//!
//! The test installs the SDK itself with npm into `target/`, and fails loudly
//! (never skips) when node, npm or the SDK cannot be had.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_tests::tools::{self, run};

/// The pinned SDK version. Tencent publishes no TRTC-only Node package (there
/// is no `tencentcloud-sdk-nodejs-trtc`), so this is the all-products package.
const SDK_VERSION: &str = "4.1.313";

/// The `node_modules` directory holding the official SDK, installed on first use.
pub(crate) fn node_modules_with_sdk() -> PathBuf {
    let purpose =
        "the Node.js interop test (Tencent's official Node.js SDK against the local endpoint)";
    tools::require("node", "NODE", purpose);
    tools::npm_install(
        &format!("node-sdk-{SDK_VERSION}"),
        "tencentcloud-sdk-nodejs",
        SDK_VERSION,
        purpose,
    )
}

#[test]
fn official_node_sdk_against_the_local_endpoint() {
    let modules = node_modules_with_sdk();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let endpoint = rt.block_on(async {
        LocalEndpoint::builder()
            .credentials("AKIDnodeinterop", "node-interop-secret")
            .start()
            .await
            .unwrap()
    });
    let script = tools::tests_dir().join("node/interop.js");
    let stdout = run(
        Command::new("node")
            .arg(&script)
            .arg(endpoint.addr().port().to_string())
            .args(["AKIDnodeinterop", "node-interop-secret", "ap-guangzhou"])
            .arg(tencentcloud_tests::seed_user_sig())
            .env("NODE_PATH", &modules)
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy"),
        "the Node.js interop script",
    );
    let all = tools::json_lines(&stdout);

    tools::assert_sdk_lifecycle(&all);

    // What the endpoint saw: the SDK's own headers, signed as the SDK signs.
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 7);
    let first = &calls[0];
    assert_eq!(first.action, "CreateCloudTranscription");
    assert_eq!(first.verdict, "ok");
    assert_eq!(
        first.header("x-tc-requestclient"),
        Some(format!("SDK_NODEJS_{SDK_VERSION}").as_str()),
        "{:?}",
        first.headers
    );
    assert_eq!(first.header("x-tc-version"), Some("2019-07-22"));
    assert_eq!(first.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(first.header("content-type"), Some("application/json"));
    // The SDK's own tracing header, which no other client here sends.
    assert_eq!(first.header("x-tc-traceid").map(str::len), Some(36));
    // The SDK names the service by the endpoint's first label, so the script
    // gives it `trtc.localhost:PORT` (connected to the loopback address). It
    // sends `Host: trtc.localhost:PORT` but signs `host:trtc.localhost` (its
    // `URL.hostname`), which the endpoint accepts, as Tencent's does.
    assert_eq!(
        first.header("host"),
        Some(format!("trtc.localhost:{}", endpoint.addr().port()).as_str())
    );
    let auth = first.header("authorization").unwrap();
    assert!(
        auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDnodeinterop/"),
        "{auth}"
    );
    assert!(auth.contains("SignedHeaders=content-type;host,"), "{auth}");
    // The body is the SDK's own serialization of the seed's example.
    let body: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(body["TranscriptionParam"]["SendCustomMode"], 2);
    assert_eq!(body["TranslationParam"]["TargetLang"][0], "en");
}
