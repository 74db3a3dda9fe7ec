//! The generated client against the local endpoint: the lifecycle, what goes
//! on the wire, and every error path surfacing as the right typed error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use tencentcloud_local_endpoint::{Fault, LocalEndpoint, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use tencentcloud_runtime::sign::{self, SignedHeaders, SigningInput};
use tencentcloud_runtime::{
    ConstructionError, Credentials, ResponseErrorKind, RetryConfig, SdkError,
};
use tencentcloud_tests::{config_for, endpoint_and_client, seed_request};
use tencentcloud_trtc::error::{
    CreateCloudTranscriptionError, DeleteCloudTranscriptionError, DescribeCloudTranscriptionError,
    ErrorCode,
};
use tencentcloud_trtc::model::TranscriptionStatus;
use tencentcloud_trtc::prelude::*;
use tencentcloud_trtc::Client;

fn client(
    endpoint: &LocalEndpoint,
    f: impl FnOnce(tencentcloud_runtime::ConfigBuilder) -> tencentcloud_runtime::ConfigBuilder,
) -> Client {
    Client::new(f(config_for(endpoint)).build().unwrap()).unwrap()
}

#[tokio::test]
async fn lifecycle_create_describe_delete() {
    let (endpoint, client) = endpoint_and_client().await;
    let created = seed_request(&client).send().await.expect("create");
    assert!(!created.task_id.is_empty());
    assert_eq!(created.request_id.len(), 36);
    assert_eq!(endpoint.tasks().len(), 1);

    let described = client
        .describe_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id(&created.task_id)
        .send()
        .await
        .expect("describe");
    assert_eq!(described.task_id, created.task_id);
    assert_eq!(described.status, TranscriptionStatus::InProgress);
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    assert!(described.start_time <= now_ms + 1000 && described.start_time + 60_000 > now_ms);

    let deleted = client
        .delete_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id(&created.task_id)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.task_id, created.task_id);
    assert!(endpoint.tasks().is_empty());

    // Querying after termination is an error, typed as the documented code.
    let err = client
        .describe_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id(&created.task_id)
        .send()
        .await
        .unwrap_err();
    match err.service_error() {
        Some(DescribeCloudTranscriptionError::ResourceNotFound(e)) => {
            assert_eq!(e.request_id().len(), 36);
            assert!(e.message().contains(&created.task_id));
        }
        other => panic!("expected ResourceNotFound, got {other:?}"),
    }
    let err = client
        .delete_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id("no-such-task")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        err.service_error(),
        Some(DeleteCloudTranscriptionError::ResourceNotFound(_))
    ));
}

#[tokio::test]
async fn wire_headers_body_and_signature() {
    let (endpoint, client) = endpoint_and_client().await;
    let input = seed_request(&client).as_input().clone().build().unwrap();
    client
        .create_cloud_transcription_with(&input)
        .await
        .expect("create");
    let calls = endpoint.calls();
    assert_eq!(calls.len(), 1);
    let c = &calls[0];
    assert_eq!(c.verdict, "ok");
    assert_eq!(c.header("content-type"), Some("application/json"));
    assert_eq!(c.header("x-tc-action"), Some("CreateCloudTranscription"));
    assert_eq!(c.header("x-tc-version"), Some("2019-07-22"));
    assert_eq!(c.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(c.header("x-tc-language"), Some("en-US"));
    assert!(c
        .header("x-tc-requestclient")
        .unwrap()
        .starts_with("tencentcloud-sdk-rust/"));
    assert_eq!(c.header("x-tc-token"), None, "no token for long-term keys");
    let host = endpoint.addr().to_string();
    assert_eq!(c.header("host"), Some(host.as_str()));
    let ts: i64 = c.header("x-tc-timestamp").unwrap().parse().unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((now - ts).abs() <= 5);
    // The body is the input, serialized with exact wire names.
    assert_eq!(c.body, serde_json::to_vec(&input).unwrap());
    let body: Value = serde_json::from_slice(&c.body).unwrap();
    assert_eq!(body["TranscriptionParam"]["SendCustomMode"], json!(2));
    assert_eq!(body["TranslationParam"]["TargetLang"], json!(["en"]));
    // The signature, recomputed independently from what was received.
    let expected = sign::sign(&SigningInput {
        secret_id: DEFAULT_SECRET_ID,
        secret_key: DEFAULT_SECRET_KEY,
        service: "trtc",
        host: &host,
        action: "CreateCloudTranscription",
        content_type: "application/json",
        timestamp: ts,
        payload: &c.body,
        signed_headers: SignedHeaders::ContentTypeHost,
    });
    assert_eq!(
        c.header("authorization"),
        Some(expected.authorization.as_str())
    );
}

#[tokio::test]
async fn temporary_credentials_send_the_token() {
    let endpoint = LocalEndpoint::builder()
        .temporary_credentials("AKIDTMP", "tmp-key", "the-session-token")
        .start()
        .await
        .unwrap();
    let ok = client(&endpoint, |b| {
        b.credentials(Credentials::new("AKIDTMP", "tmp-key").with_token("the-session-token"))
    });
    seed_request(&ok).send().await.expect("token accepted");
    assert_eq!(
        endpoint.calls()[0].header("x-tc-token"),
        Some("** redacted **")
    );
    let bad = client(&endpoint, |b| {
        b.credentials(Credentials::new("AKIDTMP", "tmp-key").with_token("stale-token"))
    });
    let err = seed_request(&bad).send().await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code(),
        ErrorCode::AuthFailureTokenFailure
    );
}

#[tokio::test]
async fn signed_action_header_form_is_accepted() {
    let (endpoint, _) = endpoint_and_client().await;
    let c = client(&endpoint, |b| {
        b.signed_headers(SignedHeaders::ContentTypeHostAction)
    });
    seed_request(&c)
        .send()
        .await
        .expect("content-type;host;x-tc-action accepted");
    assert!(endpoint.calls()[0]
        .header("authorization")
        .unwrap()
        .contains("SignedHeaders=content-type;host;x-tc-action,"));
}

#[tokio::test]
async fn documented_error_codes_surface_as_their_variants() {
    let (endpoint, client) = endpoint_and_client().await;
    let (spec, _) = tencentcloud_tests::trtc_spec();
    let codes: Vec<String> = spec
        .actions
        .get("CreateCloudTranscription")
        .unwrap()
        .errors
        .iter()
        .map(|(c, _)| c.to_owned())
        .collect();
    assert!(!codes.is_empty(), "the spec documents its errors");
    for code in &codes {
        endpoint.inject(Fault::error(code.as_str()), 1);
        let err = seed_request(&client).send().await.unwrap_err();
        let e = err
            .service_error()
            .unwrap_or_else(|| panic!("{code}: {err}"));
        assert!(
            !matches!(e, CreateCloudTranscriptionError::Unhandled(_)),
            "{code} is documented"
        );
        assert_eq!(e.api_error().code(), code);
        assert_eq!(e.code().as_str(), code);
        assert!(!matches!(e.code(), ErrorCode::Unknown(_)));
        assert_eq!(e.request_id().len(), 36);
        assert_eq!(err.request_id(), Some(e.request_id()));
        let text = err.to_string();
        assert!(
            text.contains(code) && text.contains(e.request_id()),
            "{text}"
        );
    }
    // Codes differing only in case land in different variants.
    let e = CreateCloudTranscriptionError::from(tencentcloud_runtime::ApiError::new(
        "InvalidParameter.SdkAppId",
        "m",
        "r",
    ));
    assert!(matches!(
        e,
        CreateCloudTranscriptionError::InvalidParameterSdkAppId(_)
    ));
    let e = CreateCloudTranscriptionError::from(tencentcloud_runtime::ApiError::new(
        "InvalidParameter.SdkAppid",
        "m",
        "r",
    ));
    assert!(matches!(e, CreateCloudTranscriptionError::Unhandled(_)));
}

#[tokio::test]
async fn unknown_code_keeps_code_and_message() {
    let (endpoint, client) = endpoint_and_client().await;
    endpoint.inject(
        Fault::Error {
            code: "FailedOperation.BrandNewThing".into(),
            message: "something new".into(),
        },
        1,
    );
    let err = seed_request(&client).send().await.unwrap_err();
    let e = err.into_service_error().unwrap();
    assert!(matches!(e, CreateCloudTranscriptionError::Unhandled(_)));
    assert_eq!(
        e.code(),
        ErrorCode::Unknown("FailedOperation.BrandNewThing".into())
    );
    assert_eq!(e.message(), "something new");
    assert_eq!(
        e.code().category(),
        tencentcloud_runtime::ErrorCategory::FailedOperation
    );
}

#[tokio::test]
async fn common_errors_surface_typed_with_request_id() {
    let (endpoint, good) = endpoint_and_client().await;
    // Wrong secret key: SignatureFailure.
    let wrong_key = client(&endpoint, |b| {
        b.credentials(Credentials::new(DEFAULT_SECRET_ID, "not-the-key"))
    });
    let err = seed_request(&wrong_key).send().await.unwrap_err();
    let e = err.service_error().unwrap();
    assert_eq!(e.code(), ErrorCode::AuthFailureSignatureFailure);
    assert!(e.code().is_auth_failure() && !e.is_retryable());
    assert_eq!(e.request_id().len(), 36);
    // Unknown SecretId.
    let unknown_id = client(&endpoint, |b| {
        b.credentials(Credentials::new("AKIDnobody", "k"))
    });
    let err = seed_request(&unknown_id).send().await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code(),
        ErrorCode::AuthFailureSecretIdNotFound
    );
    // Unsupported region (client check skipped so the endpoint decides).
    let tokyo = client(&endpoint, |b| b.region("ap-tokyo").skip_region_check(true));
    let err = seed_request(&tokyo).send().await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code(),
        ErrorCode::UnsupportedRegion
    );
    // Rate limited, from the endpoint (client-side limiting off, no retries).
    let eager = client(&endpoint, |b| {
        b.rate_limit(tencentcloud_runtime::RateLimitConfig::disabled())
            .retry(RetryConfig::disabled())
    });
    // All 25 at once, so that they arrive within one window however slow
    // the machine (one after the other, 25 calls may take longer than it).
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..25 {
        let eager = eager.clone();
        calls.spawn(async move { seed_request(&eager).send().await });
    }
    let mut limited = 0;
    while let Some(outcome) = calls.join_next().await {
        if let Err(err) = outcome.unwrap() {
            let e = err.service_error().unwrap();
            assert_eq!(e.code(), ErrorCode::RequestLimitExceeded);
            assert!(e.code().is_rate_limited() && e.is_retryable());
            limited += 1;
        }
    }
    assert!(
        limited >= 5,
        "{limited} of 25 calls in one second were refused"
    );
    // Signature expired: the first one makes the client correct its clock and retry; a second surfaces.
    endpoint.inject(Fault::error("AuthFailure.SignatureExpire"), 2);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let err = seed_request(&good).send().await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code(),
        ErrorCode::AuthFailureSignatureExpire
    );
    assert_eq!(err.attempts(), 2);
}

#[tokio::test]
async fn invalid_action_version_and_parameters_via_the_runtime() {
    use tencentcloud_runtime::{ActionMeta, ServiceMeta};
    let (endpoint, client) = endpoint_and_client().await;
    let rt = client.runtime();
    // Descriptions built at run time (owned), as a program reading a spec does.
    let nope = ActionMeta::named(String::from("StartTimeTravel"));
    let err = rt
        .call::<Value, Value>(&nope, &json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidAction"));
    let old_service = ServiceMeta {
        version: String::from("2018-01-01").into(),
        ..tencentcloud_trtc::SERVICE.clone()
    };
    let old = tencentcloud_runtime::Client::with_service(
        std::borrow::Cow::Owned(old_service),
        config_for(&endpoint).build().unwrap(),
    )
    .unwrap();
    let err = old
        .call::<Value, Value>(
            &tencentcloud_trtc::actions::DESCRIBE_CLOUD_TRANSCRIPTION,
            &json!({}),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchVersion"));
    let create = &tencentcloud_trtc::actions::CREATE_CLOUD_TRANSCRIPTION;
    let mut body: Value =
        serde_json::to_value(seed_request(&client).as_input().clone().build().unwrap()).unwrap();
    body["TranscriptionParam"]
        .as_object_mut()
        .unwrap()
        .remove("UserSig");
    let err = rt.call::<Value, Value>(create, &body).await.unwrap_err();
    let typed = err.map_service(CreateCloudTranscriptionError::from);
    let e = typed.service_error().unwrap();
    assert!(
        matches!(e, CreateCloudTranscriptionError::MissingParameterUserSig(_)),
        "{e:?}"
    );
    assert!(e.message().contains("TranscriptionParam.UserSig"));
    let mut body2: Value =
        serde_json::to_value(seed_request(&client).as_input().clone().build().unwrap()).unwrap();
    body2["Colour"] = json!("blue");
    let err = rt.call::<Value, Value>(create, &body2).await.unwrap_err();
    assert_eq!(err.code(), Some("UnknownParameter"));
    let mut body3: Value =
        serde_json::to_value(seed_request(&client).as_input().clone().build().unwrap()).unwrap();
    body3["AsrParam"]["VadSilenceTime"] = json!("fast");
    let err = rt.call::<Value, Value>(create, &body3).await.unwrap_err();
    let typed = err.map_service(CreateCloudTranscriptionError::from);
    assert!(
        matches!(typed.service_error(), Some(CreateCloudTranscriptionError::InvalidParameter(e)) if e.message().contains("AsrParam.VadSilenceTime"))
    );
}

#[tokio::test]
async fn non_200_non_json_truncated_and_oversized_bodies() {
    let (endpoint, _) = endpoint_and_client().await;
    let c = client(&endpoint, |b| {
        b.retry(RetryConfig::disabled())
            .max_response_bytes(64 * 1024)
    });
    // Non-200 (not retryable): status and excerpt.
    endpoint.inject(Fault::status(500), 1);
    let err = seed_request(&c).send().await.unwrap_err();
    let SdkError::Response(r) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(r.status(), 500);
    assert!(r.excerpt().contains("500 injected"));
    assert!(err.to_string().contains("500"), "{err}");
    // Not JSON.
    endpoint.inject(Fault::Body(b"<html>gateway says hi".to_vec()), 1);
    let err = seed_request(&c).send().await.unwrap_err();
    let SdkError::Response(r) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(r.kind(), ResponseErrorKind::NotJson(_)));
    assert_eq!(r.status(), 200);
    assert!(r.excerpt().starts_with("<html>gateway"));
    // Truncated JSON body (complete HTTP framing).
    endpoint.inject(Fault::Body(br#"{"Response":{"TaskId":"abc"#.to_vec()), 1);
    let err = seed_request(&c).send().await.unwrap_err();
    let SdkError::Response(r) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(r.kind(), &ResponseErrorKind::Truncated);
    // Truncated on the wire (connection closed mid-body).
    endpoint.inject(Fault::Truncate, 1);
    let err = seed_request(&c).send().await.unwrap_err();
    let SdkError::Response(r) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(r.kind(), &ResponseErrorKind::Truncated);
    assert!(r.excerpt().starts_with("{\"Response\""), "{}", r.excerpt());
    // Larger than the configured cap.
    endpoint.inject(Fault::Oversized(1 << 20), 1);
    let err = seed_request(&c).send().await.unwrap_err();
    let SdkError::Response(r) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(r.kind(), &ResponseErrorKind::TooLarge { limit: 64 * 1024 });
    // A body of the right envelope but the wrong output shape names the member
    // (an object for a string: not a drift the client reads through).
    endpoint.inject(
        Fault::Body(br#"{"Response":{"TaskId":{"Id":42},"RequestId":"r"}}"#.to_vec()),
        1,
    );
    let err = seed_request(&c).send().await.unwrap_err();
    let SdkError::Response(r) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(r.kind(), ResponseErrorKind::Output { path, .. } if path == "Response.TaskId"),
        "{r}"
    );
    assert_eq!(r.request_id(), Some("r"));
    assert!(r.body().starts_with(br#"{"Response":{"TaskId":{"Id":42}"#));
}

#[tokio::test]
async fn refused_before_sending() {
    let (endpoint, _) = endpoint_and_client().await;
    let tokyo = client(&endpoint, |b| b.region("ap-tokyo"));
    let err = seed_request(&tokyo).send().await.unwrap_err();
    let SdkError::Construction(ConstructionError::UnsupportedRegion { region, supported }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(region, "ap-tokyo");
    assert_eq!(*supported, ["ap-guangzhou", "ap-hongkong", "ap-singapore"]);
    assert!(err
        .to_string()
        .contains("ap-guangzhou, ap-hongkong, ap-singapore"));
    assert!(err.to_string().contains("skip_region_check"));
    let no_region = Client::new(
        tencentcloud_runtime::Config::builder()
            .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
            .endpoint_url(endpoint.url())
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = seed_request(&no_region).send().await.unwrap_err();
    assert!(matches!(
        err,
        SdkError::Construction(ConstructionError::MissingRegion)
    ));
    let (_, c) = endpoint_and_client().await;
    let err = c
        .create_cloud_transcription()
        .sdk_app_id(1)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("required member `RoomId`"),
        "{err}"
    );
    assert_eq!(err.attempts(), 0);
    assert!(endpoint.calls().is_empty(), "nothing reached the endpoint");
}
