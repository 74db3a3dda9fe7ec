//! The local endpoint's checks, one test each, with hand-signed raw requests
//! (the client could not send most of these mistakes).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use tencentcloud_local_endpoint::{Fault, LocalEndpoint, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use tencentcloud_runtime::sign::{self, SignedHeaders, SigningInput};

struct Raw {
    secret_id: String,
    secret_key: String,
    service: String,
    action: Option<String>,
    version: Option<String>,
    region: Option<String>,
    timestamp: i64,
    scope_date: Option<String>,
    signed: SignedHeaders,
    authorization: Option<String>,
    body: Vec<u8>,
}

impl Raw {
    fn new(action: &str, body: Value) -> Raw {
        Raw {
            secret_id: DEFAULT_SECRET_ID.into(),
            secret_key: DEFAULT_SECRET_KEY.into(),
            service: "trtc".into(),
            action: Some(action.into()),
            version: Some("2019-07-22".into()),
            region: Some("ap-guangzhou".into()),
            timestamp: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64,
            scope_date: None,
            signed: SignedHeaders::ContentTypeHost,
            authorization: None,
            body: serde_json::to_vec(&body).unwrap(),
        }
    }

    async fn send(self, endpoint: &LocalEndpoint) -> (u16, Value) {
        let host = endpoint.addr().to_string();
        let sig = sign::sign(&SigningInput {
            secret_id: &self.secret_id,
            secret_key: &self.secret_key,
            service: &self.service,
            host: &host,
            action: self.action.as_deref().unwrap_or(""),
            content_type: "application/json",
            timestamp: self.timestamp,
            payload: &self.body,
            signed_headers: self.signed,
        });
        let mut auth = sig.authorization.clone();
        if let Some(d) = &self.scope_date {
            auth = auth.replace(&sig.date, d);
        }
        let auth = self.authorization.clone().unwrap_or(auth);
        let mut req = reqwest::Client::new()
            .post(endpoint.url())
            .header("content-type", "application/json")
            .header("authorization", auth)
            .header("x-tc-timestamp", self.timestamp.to_string())
            .body(self.body.clone());
        if let Some(a) = &self.action {
            req = req.header("x-tc-action", a);
        }
        if let Some(v) = &self.version {
            req = req.header("x-tc-version", v);
        }
        if let Some(r) = &self.region {
            req = req.header("x-tc-region", r);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        (status, v)
    }
}

fn code(v: &Value) -> &str {
    v["Response"]["Error"]["Code"].as_str().unwrap_or("ok")
}

fn message(v: &Value) -> &str {
    v["Response"]["Error"]["Message"].as_str().unwrap_or("")
}

fn seed_body() -> Value {
    json!({
        "SdkAppId": 14000000, "RoomId": "295000", "RoomIdType": 0,
        "TranscriptionParam": {"UserId": "trtc_test_1", "UserSig": tencentcloud_tests::seed_user_sig()},
        "AsrParam": {"Lang": "16k_zh_en"}
    })
}

async fn endpoint() -> LocalEndpoint {
    LocalEndpoint::builder().start().await.unwrap()
}

#[tokio::test]
async fn accepts_a_good_request_with_either_signed_headers_form() {
    let e = endpoint().await;
    let (status, v) = Raw::new("CreateCloudTranscription", seed_body())
        .send(&e)
        .await;
    assert_eq!((status, code(&v)), (200, "ok"));
    assert!(v["Response"]["TaskId"].as_str().unwrap().len() > 10);
    assert_eq!(v["Response"]["RequestId"].as_str().unwrap().len(), 36);
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.signed = SignedHeaders::ContentTypeHostAction;
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "ok");
}

#[tokio::test]
async fn malformed_authorization() {
    let e = endpoint().await;
    for bad in [
        "Basic Zm9vOmJhcg==",
        "TC3-HMAC-SHA256 Credential=x",
        "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request, SignedHeaders=host, Signature=00",
    ] {
        let mut r = Raw::new("CreateCloudTranscription", seed_body());
        r.authorization = Some(bad.into());
        let (_, v) = r.send(&e).await;
        assert_eq!(code(&v), "AuthFailure.InvalidAuthorization", "{bad}");
    }
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    let now = r.timestamp;
    let sig = "0".repeat(64);
    r.authorization = Some(format!(
        "TC3-HMAC-SHA256 Credential={DEFAULT_SECRET_ID}/{}/trtc/tc3_request, SignedHeaders=content-type;host;x-tc-region, Signature={sig}",
        sign::utc_date(now)
    ));
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "AuthFailure.InvalidAuthorization");
    assert!(message(&v).contains("SignedHeaders"));
}

#[tokio::test]
async fn unknown_secret_id() {
    let e = endpoint().await;
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.secret_id = "AKIDunknown".into();
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "AuthFailure.SecretIdNotFound");
}

#[tokio::test]
async fn wrong_signature_scope_service_and_date() {
    let e = endpoint().await;
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.secret_key = "wrong".into();
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "AuthFailure.SignatureFailure");
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.service = "cvm".into();
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "AuthFailure.SignatureFailure");
    assert!(message(&v).contains("cvm"));
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.scope_date = Some("2001-01-01".into());
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "AuthFailure.SignatureFailure");
    assert!(message(&v).contains("2001-01-01"));
}

#[tokio::test]
async fn expired_timestamp() {
    let e = endpoint().await;
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.timestamp -= 301;
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "AuthFailure.SignatureExpire");
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.timestamp += 299;
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "ok", "within five minutes is fine");
}

#[tokio::test]
async fn unknown_action_and_wrong_version() {
    let e = endpoint().await;
    let (_, v) = Raw::new("StartTimeTravel", json!({})).send(&e).await;
    assert_eq!(code(&v), "InvalidAction");
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.version = Some("2018-01-01".into());
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "NoSuchVersion");
}

#[tokio::test]
async fn missing_and_unsupported_region() {
    let e = endpoint().await;
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.region = None;
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "MissingParameter.Region");
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.region = Some("ap-tokyo".into());
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "UnsupportedRegion");
    assert!(message(&v).contains("ap-guangzhou, ap-hongkong, ap-singapore"));
}

#[tokio::test]
async fn body_against_the_input_shape() {
    let e = endpoint().await;
    let mut b = seed_body();
    b.as_object_mut().unwrap().remove("SdkAppId");
    let (_, v) = Raw::new("CreateCloudTranscription", b).send(&e).await;
    assert_eq!(
        code(&v),
        "MissingParameter.SdkAppId",
        "the documented sub-code"
    );
    let mut b = seed_body();
    b["AsrParam"].as_object_mut().unwrap().remove("Lang");
    let (_, v) = Raw::new("CreateCloudTranscription", b).send(&e).await;
    assert_eq!(code(&v), "MissingParameter");
    assert!(message(&v).contains("AsrParam.Lang"));
    let mut b = seed_body();
    b["SdkAppid"] = json!(1);
    let (_, v) = Raw::new("CreateCloudTranscription", b).send(&e).await;
    assert_eq!(code(&v), "UnknownParameter");
    assert!(message(&v).contains("SdkAppid") && message(&v).contains("SdkAppId"));
    let mut b = seed_body();
    b["TranscriptionParam"]["SubscribeList"] = json!([{"UserId": 5}]);
    let (_, v) = Raw::new("CreateCloudTranscription", b).send(&e).await;
    assert_eq!(code(&v), "InvalidParameter");
    assert!(
        message(&v).contains("TranscriptionParam.SubscribeList[0].UserId"),
        "{}",
        message(&v)
    );
    let mut r = Raw::new("CreateCloudTranscription", json!({}));
    r.body = b"{not json".to_vec();
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "InvalidParameter");
}

#[tokio::test]
async fn rate_limit_from_the_spec() {
    let e = endpoint().await;
    let mut codes = Vec::new();
    for _ in 0..30 {
        let (_, v) = Raw::new(
            "DescribeCloudTranscription",
            json!({"SdkAppId": 1, "TaskId": "t"}),
        )
        .send(&e)
        .await;
        codes.push(code(&v).to_owned());
    }
    let limited = codes
        .iter()
        .filter(|c| *c == "RequestLimitExceeded")
        .count();
    let passed = codes.iter().filter(|c| *c == "ResourceNotFound").count();
    assert_eq!(passed, 20, "{codes:?}");
    assert_eq!(limited, 10);
}

#[tokio::test]
async fn unknown_task_id() {
    let e = endpoint().await;
    let (_, v) = Raw::new(
        "DescribeCloudTranscription",
        json!({"SdkAppId": 1, "TaskId": "nope"}),
    )
    .send(&e)
    .await;
    assert_eq!(code(&v), "ResourceNotFound");
    let (_, v) = Raw::new(
        "DeleteCloudTranscription",
        json!({"SdkAppId": 1, "TaskId": "nope"}),
    )
    .send(&e)
    .await;
    assert_eq!(code(&v), "ResourceNotFound");
}

#[tokio::test]
async fn token_of_temporary_credentials() {
    let e = LocalEndpoint::builder()
        .temporary_credentials("AKIDTMP", "k", "tok")
        .start()
        .await
        .unwrap();
    let mut r = Raw::new("CreateCloudTranscription", seed_body());
    r.secret_id = "AKIDTMP".into();
    r.secret_key = "k".into();
    let (_, v) = r.send(&e).await;
    assert_eq!(code(&v), "AuthFailure.TokenFailure");
}

#[tokio::test]
async fn faults_apply_to_the_next_calls_only() {
    let e = endpoint().await;
    e.inject_for(
        Some("DescribeCloudTranscription"),
        Fault::error("InternalError"),
        2,
    );
    let (_, v) = Raw::new("CreateCloudTranscription", seed_body())
        .send(&e)
        .await;
    assert_eq!(code(&v), "ok", "another action is unaffected");
    for _ in 0..2 {
        let (_, v) = Raw::new(
            "DescribeCloudTranscription",
            json!({"SdkAppId": 1, "TaskId": "x"}),
        )
        .send(&e)
        .await;
        assert_eq!(code(&v), "InternalError");
    }
    let (_, v) = Raw::new(
        "DescribeCloudTranscription",
        json!({"SdkAppId": 1, "TaskId": "x"}),
    )
    .send(&e)
    .await;
    assert_eq!(code(&v), "ResourceNotFound");
    let records = e.calls();
    assert_eq!(records.len(), 4);
    assert_eq!(records[1].verdict, "injected InternalError");
}

#[tokio::test]
async fn other_actions_answer_their_documented_example() {
    let (spec, common) = tencentcloud_tests::trtc_spec();
    // A spec with one more action, served from data alone.
    let mut spec = spec;
    let extra: tencentcloud_codegen::spec::Spec = serde_json::from_value(json!({
        "format": "tencentcloud-spec/1",
        "service": {"name": "trtc", "version": "2019-07-22", "endpoint": "trtc.tencentcloudapi.com"},
        "actions": {"DescribeWidget": {"input": "DescribeWidgetRequest", "output": "DescribeWidgetResponse",
            "examples": [{"title": "t", "request": "{}", "response": "{\"Response\": {\"Widget\": \"blue\", \"RequestId\": \"x\"}}"}]}},
        "shapes": {
            "DescribeWidgetRequest": {"type": "structure", "members": {}},
            "DescribeWidgetResponse": {"type": "structure", "members": {"Widget": {"type": "string"}, "RequestId": {"type": "string", "required": true}}}
        }
    }))
    .unwrap();
    tencentcloud_codegen::upstream::import::merge(&mut spec, extra);
    tencentcloud_codegen::model::resolve(std::path::Path::new("x"), "x", &spec, &common).unwrap();
    let e = LocalEndpoint::builder()
        .specs(vec![spec])
        .start()
        .await
        .unwrap();
    let (_, v) = Raw::new("DescribeWidget", json!({})).send(&e).await;
    assert_eq!(v["Response"]["Widget"], "blue");
    assert_ne!(v["Response"]["RequestId"], "x", "a fresh RequestId");
}

#[tokio::test]
async fn only_post_to_the_root_path() {
    let e = endpoint().await;
    let resp = reqwest::Client::new().get(e.url()).send().await.unwrap();
    let v: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(code(&v), "UnsupportedProtocol");
    let resp = reqwest::Client::new()
        .post(format!("{}/v2/transcribe", e.url()))
        .body("{}")
        .send()
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
    assert_eq!(code(&v), "UnsupportedProtocol");
    assert!(message(&v).contains("/v2/transcribe"));
}

/// Tencent's Node.js SDK sends `Host: name:port` but signs `host:name`
/// (`URL.hostname`): accepted, like the real endpoint accepts what Tencent's
/// own SDKs send. A signature over any other host is still refused.
#[tokio::test]
async fn accepts_a_signature_over_the_host_without_its_port() {
    let e = endpoint().await;
    let body = serde_json::to_vec(&seed_body()).unwrap();
    let port = e.addr().port();
    for (signed_host, expected) in [
        (format!("127.0.0.1:{port}"), "ok"),
        ("127.0.0.1".to_owned(), "ok"),
        ("localhost".to_owned(), "AuthFailure.SignatureFailure"),
        (
            format!("127.0.0.1:{}", port.wrapping_add(1)),
            "AuthFailure.SignatureFailure",
        ),
        (format!("127.0.0.1:{port}0"), "AuthFailure.SignatureFailure"),
    ] {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let sig = sign::sign(&SigningInput {
            secret_id: DEFAULT_SECRET_ID,
            secret_key: DEFAULT_SECRET_KEY,
            service: "trtc",
            host: &signed_host,
            action: "CreateCloudTranscription",
            content_type: "application/json",
            timestamp,
            payload: &body,
            signed_headers: SignedHeaders::ContentTypeHost,
        });
        let resp = reqwest::Client::new()
            .post(e.url())
            .header("content-type", "application/json")
            .header("authorization", sig.authorization)
            .header("x-tc-timestamp", timestamp.to_string())
            .header("x-tc-action", "CreateCloudTranscription")
            .header("x-tc-version", "2019-07-22")
            .header("x-tc-region", "ap-guangzhou")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        assert_eq!(code(&v), expected, "signed over {signed_host}: {v}");
    }
}
