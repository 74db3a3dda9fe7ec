//! The request pipeline a production team configures, end to end against the
//! local endpoint (and the test-util mock): trace IDs, extra headers,
//! per-call `customize`, interceptors, failover between two endpoints, the
//! retry budget, shared rate limiters, the dynamic client, the transport
//! (and the connect timeout it owns), record and replay.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tencentcloud_local_endpoint::{Fault, LocalEndpoint};
use tencentcloud_runtime::interceptor::{CallInfo, Interceptor, ResponseInfo};
use tencentcloud_runtime::test_util::{
    MockResponse, MockTransport, RecordingTransport, ReplayTransport, Rule,
};
use tencentcloud_runtime::{
    ActionMeta, ApiError, BreakerState, CallOptions, ConfigError, ConstructionError, DispatchKind,
    DynamicClient, ErrorCategory, RateLimitConfig, RateLimiter, RegionBreaker, RetryBudget,
    RetryConfig, SdkError, ServiceMeta,
};
use tencentcloud_tests::{config_for, seed_request, trtc_spec};
use tencentcloud_trtc::model::Voice;
use tencentcloud_trtc::Client;

const CREATE: &str = "CreateCloudTranscription";

fn fast_retries() -> RetryConfig {
    RetryConfig::standard()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

async fn setup(
    f: impl FnOnce(tencentcloud_runtime::ConfigBuilder) -> tencentcloud_runtime::ConfigBuilder,
) -> (LocalEndpoint, Client) {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let config = f(config_for(&endpoint).retry(fast_retries()))
        .build()
        .unwrap();
    (endpoint, Client::new(config).unwrap())
}

fn trace_of(endpoint: &LocalEndpoint, i: usize) -> String {
    endpoint.calls()[i]
        .header("x-tc-traceid")
        .expect("every call sends X-TC-TraceId")
        .to_owned()
}

fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        && s.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[tokio::test]
async fn every_call_has_a_trace_id_kept_across_retries_and_on_errors() {
    let (endpoint, client) = setup(|b| b).await;
    let (_, meta) = seed_request(&client).send_with_meta().await.unwrap();
    let first = trace_of(&endpoint, 0);
    assert!(is_uuid_v4(&first), "{first}");
    assert_eq!(meta.trace_id, first, "ResponseMeta has the trace ID sent");
    seed_request(&client).send().await.unwrap();
    assert_ne!(trace_of(&endpoint, 1), first, "a fresh one per call");
    // Retries of one call keep its ID; the error carries it.
    endpoint.inject(Fault::error("RequestLimitExceeded"), 3);
    let err = seed_request(&client).send().await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    let ids: Vec<String> = (2..5).map(|i| trace_of(&endpoint, i)).collect();
    assert!(ids.iter().all(|i| i == &ids[0]), "{ids:?}");
    assert_eq!(err.trace_id(), Some(ids[0].as_str()));
    // A connection lost: the dispatch error has it too.
    endpoint.inject(Fault::Drop, 1);
    let err = seed_request(&client).send().await.unwrap_err();
    assert!(matches!(err, SdkError::Dispatch(_)));
    assert_eq!(err.trace_id(), Some(trace_of(&endpoint, 5).as_str()));
    // The caller's own ID.
    seed_request(&client)
        .customize(|o| o.trace_id("order-42/attempt"))
        .send()
        .await
        .unwrap();
    assert_eq!(trace_of(&endpoint, 6), "order-42/attempt");
    // Nothing sent, no trace ID: a construction error.
    let err = seed_request(&client)
        .customize(|o| o.region("ap-nowhere"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        SdkError::Construction(ConstructionError::UnsupportedRegion { .. })
    ));
    assert_eq!(err.trace_id(), None);
    // A bad trace ID is refused before sending.
    let err = seed_request(&client)
        .customize(|o| o.trace_id("two words"))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("visible ASCII"), "{err}");
    assert_eq!(endpoint.calls().len(), 7);
}

#[tokio::test]
async fn headers_per_client_and_per_call_and_the_signers_are_refused() {
    let (endpoint, client) = setup(|b| b.header("X-Team", "media").header("X-Env", "prod")).await;
    seed_request(&client)
        .customize(|o| {
            o.header("X-Request-Source", "billing-job")
                .header("X-Env", "canary")
        })
        .send()
        .await
        .unwrap();
    let call = &endpoint.calls()[0];
    assert_eq!(call.header("x-team"), Some("media"));
    assert_eq!(call.header("x-request-source"), Some("billing-job"));
    let envs: Vec<&str> = call
        .headers
        .iter()
        .filter(|(n, _)| n == "x-env")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        envs,
        ["prod", "canary"],
        "the call's is added beside the client's"
    );
    // A header the signer owns: refused in the configuration, naming it...
    for owned in [
        "Authorization",
        "X-TC-Action",
        "X-TC-Timestamp",
        "x-tc-token",
        "Host",
    ] {
        let e = config_for(&endpoint)
            .header(owned, "x")
            .build()
            .unwrap_err();
        assert!(matches!(e, ConfigError::InvalidHeader(_)), "{e}");
        assert!(e.to_string().contains(&owned.to_ascii_lowercase()), "{e}");
        assert!(e.to_string().contains("owned by the signer"), "{e}");
    }
    let e = config_for(&endpoint)
        .header("X-TC-TraceId", "t")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("trace_id"), "{e}");
    // ...and per call, before anything is sent.
    let err = seed_request(&client)
        .customize(|o| o.header("X-TC-Action", "DeleteCloudTranscription"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, SdkError::Construction(ConstructionError::InvalidOptions(ref m)) if m.contains("x-tc-action")),
        "{err}"
    );
    assert_eq!(endpoint.calls().len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn customize_overrides_one_call_only() {
    let (endpoint, client) = setup(|b| b.attempt_timeout(Duration::from_secs(10))).await;
    // A shorter attempt timeout for one call.
    endpoint.inject(Fault::Delay(Duration::from_millis(500)), 1);
    let err = seed_request(&client)
        .customize(|o| o.attempt_timeout(Duration::from_millis(50)))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::Dispatch(d) if d.kind() == DispatchKind::Timeout),
        "{err}"
    );
    // retry_after_send for one idempotent call; the next call is back to the client's policy.
    endpoint.inject(Fault::Drop, 1);
    seed_request(&client)
        .customize(|o| o.retry_after_send(true))
        .send()
        .await
        .expect("retried after the drop");
    endpoint.inject(Fault::Drop, 1);
    let before = endpoint.count(CREATE);
    assert!(seed_request(&client).send().await.is_err());
    assert_eq!(
        endpoint.count(CREATE),
        before + 1,
        "not retried without the override"
    );
    // Another retry policy.
    endpoint.inject(Fault::error("RequestLimitExceeded"), 1);
    let err = seed_request(&client)
        .customize(|o| o.retry(RetryConfig::disabled()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    // The region: sent and checked.
    let mut calls = endpoint.calls().len();
    seed_request(&client)
        .customize(|o| o.region("ap-singapore"))
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint.calls()[calls].region, "ap-singapore");
    calls += 1;
    // The endpoint: another endpoint for this call.
    let other = LocalEndpoint::builder().start().await.unwrap();
    seed_request(&client)
        .customize(|o| o.endpoint_url(other.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(other.count(CREATE), 1);
    assert_eq!(endpoint.calls().len(), calls);
    // A paginator: every page with the call's header; a waiter: every poll.
    let pages = client
        .describe_room_info()
        .sdk_app_id(1_400_000_001)
        .start_time(1_700_000_000)
        .end_time(1_700_086_400)
        .into_paginator()
        .page_size(10)
        .customize(|o| o.header("X-Job", "report"))
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3, "23 rooms, 10 a page");
    let paged: Vec<_> = endpoint
        .calls()
        .into_iter()
        .filter(|c| c.action == "DescribeRoomInfo")
        .collect();
    assert_eq!(paged.len(), 3);
    assert!(paged.iter().all(|c| c.header("x-job") == Some("report")));
    endpoint.lifecycle(
        "task-w",
        vec![json!("Idle"), json!("InProgress")],
        Some("ResourceNotFound"),
    );
    let outcome = client
        .wait_until_cloud_transcription_stopped()
        .sdk_app_id(1_400_000_001)
        .task_id("task-w")
        .interval(Duration::from_millis(5))
        .customize(|o| o.header("X-Job", "wait"))
        .wait(Duration::from_secs(10))
        .await
        .unwrap();
    assert!(outcome.is_reached(), "{outcome:?}");
    let polls: Vec<_> = endpoint
        .calls()
        .into_iter()
        .filter(|c| c.action == "DescribeCloudTranscription")
        .collect();
    assert!(polls.len() >= 3 && polls.iter().all(|c| c.header("x-job") == Some("wait")));
}

/// Records each hook it sees, with the interceptor's name.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

struct Named(&'static str, Log);

impl Interceptor for Named {
    fn before_signing(
        &self,
        call: &CallInfo<'_>,
        headers: &mut tencentcloud_runtime::transport::HeaderMap,
    ) -> Result<(), tencentcloud_runtime::error::BoxError> {
        self.1
             .0
            .lock()
            .unwrap()
            .push(format!("{} before {}", self.0, call.attempt()));
        headers.insert("x-seen-by", self.0.parse().unwrap());
        Ok(())
    }

    fn after_signing(
        &self,
        call: &CallInfo<'_>,
        request: &tencentcloud_runtime::transport::HttpRequest,
    ) {
        let signed = request
            .headers
            .get("authorization")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("TC3-HMAC-SHA256"));
        let traced = request
            .headers
            .get("x-tc-traceid")
            .and_then(|v| v.to_str().ok())
            == Some(call.trace_id());
        self.1
             .0
            .lock()
            .unwrap()
            .push(format!("{} signed {signed} {traced}", self.0));
    }

    fn after_response(&self, _: &CallInfo<'_>, response: &ResponseInfo<'_>) {
        let body = response.body().map_or(0, |b| b.len());
        self.1 .0.lock().unwrap().push(format!(
            "{} response {} {}",
            self.0,
            response.status(),
            body > 0
        ));
    }

    fn on_error(&self, call: &CallInfo<'_>, error: &SdkError<ApiError>) {
        self.1 .0.lock().unwrap().push(format!(
            "{} error {} {}",
            self.0,
            call.attempt(),
            error.code().unwrap_or("-")
        ));
    }
}

#[tokio::test]
async fn interceptors_run_in_order_per_client_then_per_call() {
    let log = Log::default();
    let (endpoint, client) = setup(|b| b.interceptor(Named("client", log.clone()))).await;
    seed_request(&client)
        .customize(|o| o.interceptor(Named("call", log.clone())))
        .send()
        .await
        .unwrap();
    assert_eq!(
        *log.0.lock().unwrap(),
        [
            "client before 1",
            "call before 1",
            "client signed true true",
            "call signed true true",
            "client response 200 true",
            "call response 200 true",
        ]
    );
    // The last interceptor's header won; it reached the endpoint.
    assert_eq!(endpoint.calls()[0].header("x-seen-by"), Some("call"));
    // Per attempt, and on_error once at the end.
    log.0.lock().unwrap().clear();
    endpoint.inject(Fault::error("RequestLimitExceeded"), 2);
    endpoint.inject(Fault::error("InvalidParameter.SdkAppId"), 1);
    let err = seed_request(&client).send().await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    let lines = log.0.lock().unwrap().clone();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("client before"))
            .count(),
        3
    );
    assert_eq!(
        lines.last().unwrap(),
        "client error 3 InvalidParameter.SdkAppId"
    );
    assert_eq!(lines.iter().filter(|l| l.contains("error")).count(), 1);
}

struct Refuse;
impl Interceptor for Refuse {
    fn before_signing(
        &self,
        _: &CallInfo<'_>,
        _: &mut tencentcloud_runtime::transport::HeaderMap,
    ) -> Result<(), tencentcloud_runtime::error::BoxError> {
        Err("outside the maintenance window".into())
    }
}

struct Sneaky;
impl Interceptor for Sneaky {
    fn before_signing(
        &self,
        _: &CallInfo<'_>,
        headers: &mut tencentcloud_runtime::transport::HeaderMap,
    ) -> Result<(), tencentcloud_runtime::error::BoxError> {
        headers.insert("x-tc-region", "ap-nowhere".parse().unwrap());
        Ok(())
    }
}

#[tokio::test]
async fn an_interceptor_can_refuse_but_not_set_signer_headers() {
    let (endpoint, client) = setup(|b| b).await;
    let err = seed_request(&client)
        .customize(|o| o.interceptor(Refuse))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("an interceptor refused the call: outside the maintenance window"),
        "{err}"
    );
    let err = seed_request(&client)
        .customize(|o| o.interceptor(Sneaky))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("x-tc-region"), "{err}");
    assert!(endpoint.calls().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn failover_to_the_backup_while_the_primary_drops_connections() {
    let primary = LocalEndpoint::builder().start().await.unwrap();
    let backup = LocalEndpoint::builder().start().await.unwrap();
    let breaker = RegionBreaker::new()
        .backup_loopback(backup.url())
        .open_for(Duration::from_secs(3600));
    let client = Client::new(
        config_for(&primary)
            .retry(fast_retries())
            .region_breaker(breaker)
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(client.runtime().breaker_state(), Some(BreakerState::Closed));
    primary.inject(Fault::Drop, 5);
    for _ in 0..5 {
        let err = seed_request(&client).send().await.unwrap_err();
        assert!(matches!(err, SdkError::Dispatch(_)), "{err}");
    }
    assert_eq!(primary.count(CREATE), 5);
    assert_eq!(client.runtime().breaker_state(), Some(BreakerState::Open));
    // Open: calls go to the backup.
    seed_request(&client)
        .send()
        .await
        .expect("answered by the backup");
    seed_request(&client).send().await.unwrap();
    assert_eq!((primary.count(CREATE), backup.count(CREATE)), (5, 2));
    // Clones share the breaker.
    seed_request(&client.clone()).send().await.unwrap();
    assert_eq!(backup.count(CREATE), 3);
    // An action with its own host (TextToSpeechSSE) never fails over.
    let tts = Client::new(
        config_for(&primary)
            .region("ap-singapore")
            .region_breaker(RegionBreaker::new().backup_loopback(backup.url()))
            .build()
            .unwrap(),
    )
    .unwrap();
    primary.inject(Fault::Drop, 5);
    for _ in 0..5 {
        assert!(seed_request(&tts).send().await.is_err());
    }
    assert_eq!(tts.runtime().breaker_state(), Some(BreakerState::Open));
    let events = tts
        .text_to_speech_sse()
        .sdk_app_id(1_400_000_001)
        .text("hi")
        .voice(
            Voice::builder()
                .voice_id("v-female-R2s4N9qJ")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert!(!events.is_empty());
    assert_eq!(primary.count("TextToSpeechSSE"), 1);
    assert_eq!(backup.count("TextToSpeechSSE"), 0);
}

#[tokio::test]
async fn a_backup_that_is_not_a_tencent_host_is_refused() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    for bad in [
        "example.com",
        "ap-guangzhou.tencentcloudapi.com.attacker.net",
        "http://127.0.0.1:1",
    ] {
        let e = config_for(&endpoint)
            .region_breaker(RegionBreaker::new().backup_endpoint(bad))
            .build()
            .unwrap_err();
        assert!(matches!(e, ConfigError::InvalidBreaker(_)), "{bad}: {e}");
        assert!(e.to_string().contains("not a Tencent Cloud host"), "{e}");
    }
    let e = config_for(&endpoint)
        .region_breaker(RegionBreaker::new().backup_loopback("http://192.0.2.1:80"))
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("loopback"), "{e}");
    // The default backup is the service's host in ap-guangzhou.
    let client = Client::new(
        config_for(&endpoint)
            .region_breaker(RegionBreaker::new())
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(client.runtime().breaker_state(), Some(BreakerState::Closed));
    assert!(format!("{:?}", client.runtime()).contains("trtc.ap-guangzhou.tencentcloudapi.com"));
}

#[tokio::test]
async fn explicit_endpoints_and_per_action_hosts() {
    let tts = tencentcloud_trtc::actions::TEXT_TO_SPEECH_SSE.clone();
    let host = |endpoint: &str| {
        let config = tencentcloud_runtime::Config::builder()
            .credentials(tencentcloud_runtime::Credentials::new("AKID", "k"))
            .endpoint_url(endpoint)
            .build()
            .unwrap();
        let client = Client::new(config).unwrap();
        let h = client.runtime().endpoint_for(&tts).unwrap().host.clone();
        h
    };
    // A Tencent host replaces the service's host only: TextToSpeechSSE keeps its own.
    assert_eq!(
        host("trtc.ap-singapore.tencentcloudapi.com"),
        "trtc.ai.tencentcloudapi.com"
    );
    // Any other host stands in for all of Tencent Cloud.
    assert_eq!(host("http://127.0.0.1:9"), "127.0.0.1:9");
    assert_eq!(
        host("https://gateway.internal.example"),
        "gateway.internal.example"
    );
}

#[tokio::test]
async fn the_retry_budget_is_shared_by_clones_and_stops_a_retry_storm() {
    // 10 tokens: two retries (5 each) and the bucket is empty.
    let budget = RetryBudget::new(10, 5, 10, 1);
    let (endpoint, client) = setup(|b| {
        b.retry_budget(budget.clone())
            .retry(fast_retries().max_attempts(5))
    })
    .await;
    assert!(client.runtime().retry_budget().shares_with(&budget));
    endpoint.inject(Fault::error("RequestLimitExceeded"), 100);
    let err = seed_request(&client).send().await.unwrap_err();
    assert_eq!(err.attempts(), 3, "2 retries paid for, the 3rd refused");
    assert_eq!(budget.available(), Some(0));
    let clone = client.clone();
    let err = seed_request(&clone).send().await.unwrap_err();
    assert_eq!(err.attempts(), 1, "the clone spends from the same bucket");
    endpoint.clear_faults();
    for _ in 0..5 {
        seed_request(&client).send().await.unwrap();
    }
    assert_eq!(budget.available(), Some(5), "a success puts one back");
    // Another client given the same handle shares it.
    let other = Client::new(
        config_for(&endpoint)
            .retry_budget(budget.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    assert!(other.runtime().retry_budget().shares_with(&budget));
    // A fresh client has its own standard bucket.
    let fresh = Client::new(config_for(&endpoint).build().unwrap()).unwrap();
    assert_eq!(fresh.runtime().retry_budget().available(), Some(500));
}

fn mock_config(mock: &MockTransport) -> tencentcloud_runtime::ConfigBuilder {
    tencentcloud_runtime::Config::builder()
        .credentials(tencentcloud_runtime::Credentials::new(
            "AKIDmock", "mock-key",
        ))
        .region("ap-guangzhou")
        .retry(fast_retries())
        .transport(mock.clone())
}

#[tokio::test(start_paused = true)]
async fn clients_sharing_a_rate_limiter_wait_in_the_same_window() {
    let mock = MockTransport::new();
    mock.rule(Rule::action("DescribeRoomInfo").output(json!({"Total": 0, "RoomList": []})));
    let limits = RateLimitConfig::from_spec().action("DescribeRoomInfo", Some(1));
    let shared = RateLimiter::new();
    let a = Client::new(
        mock_config(&mock)
            .rate_limit(limits.clone())
            .rate_limiter(shared.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let b = Client::new(
        mock_config(&mock)
            .rate_limit(limits.clone())
            .rate_limiter(shared)
            .build()
            .unwrap(),
    )
    .unwrap();
    let list = |c: &Client| {
        c.describe_room_info()
            .sdk_app_id(1)
            .start_time(1_700_000_000)
            .end_time(1_700_000_600)
            .send()
    };
    let t0 = tokio::time::Instant::now();
    list(&a).await.unwrap();
    list(&b).await.unwrap();
    assert!(
        t0.elapsed() >= Duration::from_millis(1050),
        "b waited for a's window: {:?}",
        t0.elapsed()
    );
    // Without sharing, another client does not wait.
    let c = Client::new(mock_config(&mock).rate_limit(limits).build().unwrap()).unwrap();
    let t1 = tokio::time::Instant::now();
    list(&c).await.unwrap();
    assert_eq!(t1.elapsed(), Duration::ZERO);
}

#[tokio::test]
async fn the_dynamic_client_calls_any_action_by_name() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let config = config_for(&endpoint).build().unwrap();
    let dynamic = DynamicClient::for_service("trtc", "2019-07-22", config.clone()).unwrap();
    let out = dynamic
        .call(
            "DescribeRoomInfo",
            &json!({"SdkAppId": 1400000001, "StartTime": 1700000000, "EndTime": 1700003600}),
        )
        .await
        .unwrap();
    assert!(
        out["RoomList"].is_array() && out["RequestId"].is_string(),
        "{out}"
    );
    // An action the service does not know: refused by the service, its code kept as sent.
    let err = dynamic
        .call(
            "DescribeSomethingPublishedTomorrow",
            &json!({"SdkAppId": 1}),
        )
        .await
        .unwrap_err();
    let api = err.service_error().expect("a service error");
    assert_eq!(api.code(), "InvalidAction");
    assert_eq!(api.category(), ErrorCategory::InvalidRequest);
    assert!(!api.is_retryable());
    assert_eq!(err.attempts(), 1);
    assert!(err.trace_id().is_some());
    // The same code in the typed crate: a documented common code.
    assert_eq!(
        tencentcloud_trtc::error::ErrorCode::from("InvalidAction"),
        tencentcloud_trtc::error::ErrorCode::InvalidAction
    );
    // A bad input: the service's own check.
    let err = dynamic
        .call("DescribeRoomInfo", &json!({"Nope": 1}))
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().unwrap().category(),
        ErrorCategory::InvalidRequest
    );
    // Server-sent events by name.
    let sse = DynamicClient::for_service(
        "trtc",
        "2019-07-22",
        config_for(&endpoint)
            .region("ap-singapore")
            .build()
            .unwrap(),
    )
    .unwrap();
    let events = sse
        .call_sse(
            "TextToSpeechSSE",
            &json!({"SdkAppId": 1400000001, "Text": "hello", "Voice": {"VoiceId": "v-female-R2s4N9qJ"}}),
        )
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert!(!events.is_empty(), "{events:?}");
    assert_eq!(events.last().unwrap()["IsEnd"], true);
    // Metadata built from the spec at run time: the region check and the own host apply.
    let (spec, _) = trtc_spec();
    let action = spec.actions.get("CreateCloudTranscription").unwrap();
    let meta = ActionMeta {
        regions: action
            .regions
            .iter()
            .map(|r| r.clone().into())
            .collect::<Vec<_>>()
            .into(),
        sensitive: spec
            .sensitive_paths(action)
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>()
            .into(),
        ..ActionMeta::named("CreateCloudTranscription")
    };
    assert!(meta
        .sensitive
        .iter()
        .any(|p| p == "TranscriptionParam.UserSig"));
    let wrong_region = DynamicClient::new(
        std::borrow::Cow::Owned(ServiceMeta::tencent("trtc", "2019-07-22")),
        config_for(&endpoint).region("ap-nowhere").build().unwrap(),
    )
    .unwrap();
    let err = wrong_region
        .call_action(&meta, &json!({}), &CallOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            SdkError::Construction(ConstructionError::UnsupportedRegion { .. })
        ),
        "{err}"
    );
}

#[tokio::test]
async fn the_connect_timeout_applies_or_is_refused() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let own = reqwest::Client::new();
    let e = config_for(&endpoint)
        .http_client(own.clone())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(matches!(e, ConfigError::Conflict(_)), "{e}");
    assert!(
        e.to_string()
            .contains("connect_timeout cannot apply to a http_client built elsewhere"),
        "{e}"
    );
    for conflicting in [
        config_for(&endpoint)
            .http_client(own.clone())
            .proxy("http://127.0.0.1:3128"),
        config_for(&endpoint)
            .http_client(own.clone())
            .root_certificate_pem(b"x"),
        config_for(&endpoint)
            .transport(MockTransport::new())
            .connect_timeout(Duration::from_secs(1)),
    ] {
        assert!(matches!(
            conflicting.build().unwrap_err(),
            ConfigError::Conflict(_)
        ));
    }
    // Given alone, the client's own settings apply, and the config says so.
    let config = config_for(&endpoint).http_client(own).build().unwrap();
    assert_eq!(config.timeouts().connect, None);
    let client = Client::new(config).unwrap();
    seed_request(&client).send().await.unwrap();
    // The default transport applies it.
    let config = config_for(&endpoint)
        .connect_timeout(Duration::from_millis(1500))
        .build()
        .unwrap();
    assert_eq!(config.timeouts().connect, Some(Duration::from_millis(1500)));
}

#[tokio::test]
async fn malformed_proxies_and_certificates_are_refused() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    for bad in [
        "not a url",
        "ftp://proxy:21",
        "http://",
        "socks5://127.0.0.1:1080",
    ] {
        let e = config_for(&endpoint).proxy(bad).build().unwrap_err();
        assert!(matches!(e, ConfigError::InvalidProxy { .. }), "{bad}: {e}");
        assert!(
            e.to_string().starts_with(&format!("invalid proxy {bad:?}")),
            "{e}"
        );
    }
    let e = config_for(&endpoint)
        .no_proxy("localhost")
        .build()
        .unwrap_err();
    assert!(
        e.to_string().contains("no_proxy is set without a proxy"),
        "{e}"
    );
    let e = config_for(&endpoint)
        .root_certificate_pem("not a certificate")
        .build()
        .unwrap_err();
    assert!(matches!(e, ConfigError::InvalidCertificate(_)), "{e}");
    // An explicit proxy is really used.
    let proxy = tencentcloud_local_endpoint::proxy::LocalProxy::start()
        .await
        .unwrap();
    let client = Client::new(config_for(&endpoint).proxy(proxy.url()).build().unwrap()).unwrap();
    seed_request(&client).send().await.unwrap();
    assert_eq!(
        proxy.requests(),
        [format!("POST {}/ HTTP/1.1", endpoint.url())]
    );
    assert_eq!(endpoint.count(CREATE), 1);
    // no_proxy bypasses it.
    let client = Client::new(
        config_for(&endpoint)
            .proxy(proxy.url())
            .no_proxy("127.0.0.1")
            .build()
            .unwrap(),
    )
    .unwrap();
    seed_request(&client).send().await.unwrap();
    assert_eq!(proxy.requests().len(), 1, "bypassed");
    assert_eq!(endpoint.count(CREATE), 2);
}

#[tokio::test]
async fn the_mock_runs_the_whole_pipeline() {
    let mock = MockTransport::new();
    let created = mock.rule(
        Rule::action(CREATE)
            .matching(|input| input["RoomId"] == "295000")
            .sequence([
                MockResponse::error("RequestLimitExceeded", "slow down"),
                MockResponse::status(503),
            ])
            .output(json!({"TaskId": "mock-task"})),
    );
    let other_room = mock.rule(Rule::action(CREATE).error("InvalidParameter", "no such room"));
    let count = Arc::new(AtomicUsize::new(0));
    struct Count(Arc<AtomicUsize>);
    impl Interceptor for Count {
        fn after_signing(
            &self,
            _: &CallInfo<'_>,
            _: &tencentcloud_runtime::transport::HttpRequest,
        ) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
    let client = Client::new(
        mock_config(&mock)
            .interceptor(Count(count.clone()))
            .build()
            .unwrap(),
    )
    .unwrap();
    let out = seed_request(&client).send().await.unwrap();
    assert_eq!(out.task_id, "mock-task");
    assert_eq!(
        created.calls(),
        3,
        "throttled, 503, then the output: retried by the client"
    );
    assert_eq!(
        count.load(Ordering::Relaxed),
        3,
        "interceptors saw every attempt"
    );
    let calls = mock.calls_of(CREATE);
    assert!(calls.iter().all(|c| c
        .header("authorization")
        .unwrap()
        .contains("Credential=AKIDmock/")));
    assert!(calls.iter().all(|c| c.trace_id() == calls[0].trace_id()));
    assert_eq!(calls[0].input["SdkAppId"], 14_000_000);
    // The predicate: another room falls through to the next rule, typed.
    let err = seed_request(&client).room_id("1").send().await.unwrap_err();
    assert!(matches!(
        err.service_error(),
        Some(tencentcloud_trtc::error::CreateCloudTranscriptionError::InvalidParameter(_))
    ));
    assert_eq!(other_room.calls(), 1);
    mock.assert_all_used();
    // No rule: an error naming the action and the input.
    let err = client
        .delete_cloud_transcription()
        .sdk_app_id(1)
        .task_id("x")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no mock rule matches DeleteCloudTranscription"),
        "{err}"
    );
}

#[tokio::test]
async fn record_then_replay_offline_with_secrets_masked() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let dir = std::env::temp_dir().join(format!(
        "tc-replay-{}-{}",
        std::process::id(),
        fastrand_u64()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("calls.json");
    let recorder = RecordingTransport::reqwest(&file);
    let client = Client::new(
        config_for(&endpoint)
            .transport(recorder.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let task = seed_request(&client).send().await.unwrap();
    endpoint.inject(Fault::error("ResourceNotFound"), 1);
    assert_eq!(
        describe_gone(&client).await.as_deref(),
        Some("ResourceNotFound")
    );
    assert_eq!(recorder.exchanges().len(), 2);
    let text = std::fs::read_to_string(&file).unwrap();
    let sig = tencentcloud_tests::seed_user_sig();
    for secret in [
        sig.as_str(),
        tencentcloud_local_endpoint::DEFAULT_SECRET_KEY,
    ] {
        assert!(!text.contains(secret), "a secret was recorded");
    }
    let recorded: Value = serde_json::from_str(&text).unwrap();
    let auth = recorded["exchanges"][0]["request"]["headers"]["authorization"]
        .as_str()
        .unwrap();
    assert!(
        auth.contains("Credential=") && auth.ends_with("Signature=** redacted **"),
        "{auth}"
    );
    assert_eq!(
        recorded["exchanges"][0]["request"]["body"]["TranscriptionParam"]["UserSig"],
        "** redacted **"
    );
    // Offline: the endpoint is gone.
    drop(endpoint);
    let replay = ReplayTransport::from_file(&file).unwrap();
    let offline = replayed(&replay);
    let again = seed_request(&offline).send().await.unwrap();
    assert_eq!(again.task_id, task.task_id);
    assert_eq!(
        describe_gone(&offline).await.as_deref(),
        Some("ResourceNotFound")
    );
    replay.assert_all_replayed();
    // A request that is not the recorded one is refused, naming both.
    let offline = replayed(&ReplayTransport::from_file(&file).unwrap());
    let err = seed_request(&offline)
        .room_id("999")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("replay:") && err.to_string().contains("999"),
        "{err}"
    );
    // A file that is not a recording.
    std::fs::write(dir.join("bad.json"), "{}").unwrap();
    assert!(ReplayTransport::from_file(dir.join("bad.json"))
        .unwrap_err()
        .contains("is not a recording"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A client answered by `replay`, with other keys than the recording's.
fn replayed(replay: &ReplayTransport) -> Client {
    let config = tencentcloud_runtime::Config::builder()
        .credentials(tencentcloud_runtime::Credentials::new("AKIDother", "other"))
        .region("ap-guangzhou")
        .transport(replay.clone())
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// Describes a task that does not exist: the error code.
async fn describe_gone(client: &Client) -> Option<String> {
    let err = client
        .describe_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id("gone")
        .send()
        .await
        .unwrap_err();
    err.code().map(str::to_owned)
}

fn fastrand_u64() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}
