//! The cloud recording lifecycle end to end: the client starts, describes,
//! modifies and stops a recording on the local endpoint, which delivers the
//! documented recording events, signed, to a receiver verifying them; after
//! de-duplication every expected event arrives once and in order, and a
//! receiver that fails a delivery still gets the event on TRTC's retry.

use std::sync::Arc;
use std::time::Duration;

use tencentcloud_local_endpoint::{LocalEndpoint, RetrySchedule};
use tencentcloud_tests::receivers::{deliveries_until, distinct, flaky_receiver, Seen};
use tencentcloud_tests::{config_for, user_sig};
use tencentcloud_trtc::model::callbacks::Event;
use tencentcloud_trtc::model::{CloudStorage, CloudVod, RecordParams, StorageParams, TencentVod};
use tencentcloud_trtc::Client;
use tencentcloud_trtc_server::callback::{Callback, CallbackVerifier};
use tencentcloud_trtc_server::receiver;

const KEY: &str = "callbackKey0123456789";
const APP: u64 = 1_400_188_366;

/// A short schedule: a retry at once, then every 50 ms, for up to a minute.
const FAST: RetrySchedule = RetrySchedule {
    attempt_timeout: Duration::from_secs(2),
    interval: Duration::from_millis(50),
    // Long enough that a loaded machine never makes the endpoint give up on
    // a delivery the test waits for (the tests wait for the events, not the
    // schedule, so a passing run is no slower).
    give_up_after: Duration::from_secs(60),
};

/// The crate's receiver on port 0, recording every accepted callback.
async fn receiver() -> (String, Seen, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/trtc/callback", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let sink = seen.clone();
    let task = tokio::spawn(receiver::serve(
        listener,
        CallbackVerifier::new(KEY).expect_sdk_app_id(APP),
        move |cb| sink.lock().unwrap().push(cb.clone()),
    ));
    (url, seen, task)
}

fn names(events: &[Callback]) -> Vec<&'static str> {
    events.iter().map(|c| c.event().unwrap().name()).collect()
}

async fn start_recording(client: &Client, vod: bool) -> String {
    let storage = if vod {
        StorageParams::builder()
            .cloud_vod(
                CloudVod::builder()
                    .tencent_vod(TencentVod::builder().expire_time(0).build().unwrap())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    } else {
        StorageParams::builder()
            .cloud_storage(
                CloudStorage::builder()
                    .vendor(0)
                    .region("ap-shanghai")
                    .bucket("recordings-1250000000")
                    .access_key("AKIDcos")
                    .secret_key("cos-secret")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    };
    client
        .create_cloud_recording()
        .sdk_app_id(APP)
        .room_id("3560")
        .room_id_type(0)
        .user_id("recorder_1")
        .user_sig(user_sig(APP, "recorder_1"))
        .record_params(RecordParams::builder().record_mode(2).build().unwrap())
        .storage_params(storage)
        .send()
        .await
        .unwrap()
        .task_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_delivers_its_events_once_in_order() {
    let (url, seen, server) = receiver().await;
    let endpoint = LocalEndpoint::builder()
        .callback_with(url, KEY, FAST)
        .start()
        .await
        .unwrap();
    let client = Client::new(config_for(&endpoint).region("ap-shanghai").build().unwrap()).unwrap();

    let task_id = start_recording(&client, true).await;
    let status = client
        .describe_cloud_recording()
        .sdk_app_id(APP)
        .task_id(&task_id)
        .send()
        .await
        .unwrap();
    assert_eq!(status.status.as_deref(), Some("InProgress"));
    client
        .modify_cloud_recording()
        .sdk_app_id(APP)
        .task_id(&task_id)
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint.recordings()[0].modifications, 1);
    client
        .delete_cloud_recording()
        .sdk_app_id(APP)
        .task_id(&task_id)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_cloud_recording()
        .sdk_app_id(APP)
        .task_id(&task_id)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        gone.service_error(),
        Some(tencentcloud_trtc::error::DescribeCloudRecordingError::ResourceNotFound(_))
    ));

    let events = distinct(&seen, 4).await;
    assert_eq!(
        names(&events),
        [
            "RecorderStart",
            "RecorderStop",
            "RecordingVodCommit",
            "RecordingVodStop"
        ]
    );
    for cb in &events {
        assert_eq!(cb.sdk_app_id(), Some(APP));
        assert_eq!(cb.event_group_id(), 3);
    }
    let Event::RecordingVodCommit(commit) = events[2].event().unwrap() else {
        panic!()
    };
    assert_eq!(commit.info.task_id.as_deref(), Some(task_id.as_str()));
    assert_eq!(commit.info.user_id.as_deref(), Some("recorder_1"));
    assert_eq!(
        commit.info.room_id.as_ref().and_then(|r| r.as_i64()),
        Some(3560)
    );
    assert!(commit
        .payload
        .tencent_vod
        .and_then(|v| v.video_url)
        .is_some_and(|u| u.contains(&task_id)));
    // Every delivery succeeded at its first attempt.
    let deliveries = deliveries_until(&endpoint, |d| d.len() >= 4).await;
    assert_eq!(deliveries.len(), 4);
    assert!(deliveries.iter().all(|d| d.attempt == 1 && d.delivered));
    assert_eq!(seen.lock().unwrap().len(), 4);
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_delivery_is_retried_and_deduplicated() {
    let (url, seen, server) = flaky_receiver(KEY, None).await;
    let endpoint = LocalEndpoint::builder()
        .callback_with(url, KEY, FAST)
        .start()
        .await
        .unwrap();
    let client = Client::new(config_for(&endpoint).region("ap-shanghai").build().unwrap()).unwrap();

    // Cloud storage: start, upload start, index file; then stop and upload stop.
    let task_id = start_recording(&client, false).await;
    client
        .delete_cloud_recording()
        .sdk_app_id(APP)
        .task_id(&task_id)
        .send()
        .await
        .unwrap();
    let events = distinct(&seen, 5).await;
    assert_eq!(
        names(&events),
        [
            "RecorderStart",
            "RecordingUploadStart",
            "RecordingFileInfo",
            "RecorderStop",
            "RecordingUploadStop"
        ]
    );
    // Each event was answered 500 once and delivered by the immediate retry,
    // which carries a new CallbackTs but the same idempotency key.
    let deliveries = deliveries_until(&endpoint, |d| d.len() >= 10).await;
    assert_eq!(deliveries.len(), 10, "{deliveries:#?}");
    for pair in deliveries.chunks(2) {
        assert_eq!((pair[0].attempt, pair[0].status), (1, Some(500)));
        assert_eq!((pair[1].attempt, pair[1].status), (2, Some(200)));
        assert_eq!(pair[0].event_type, pair[1].event_type);
    }
    let all = seen.lock().unwrap().clone();
    assert_eq!(all.len(), 10, "the receiver saw every attempt");
    for pair in all.chunks(2) {
        assert_eq!(pair[0].idempotency_key(), pair[1].idempotency_key());
    }
    server.abort();
}

#[tokio::test]
async fn a_receiver_that_never_answers_200_is_given_up_on() {
    // Nothing listens on this port: every attempt fails to connect.
    let endpoint = LocalEndpoint::builder()
        .callback_with(
            "http://127.0.0.1:9/",
            KEY,
            RetrySchedule {
                attempt_timeout: Duration::from_millis(500),
                interval: Duration::from_millis(20),
                give_up_after: Duration::from_millis(200),
            },
        )
        .start()
        .await
        .unwrap();
    let client = Client::new(config_for(&endpoint).region("ap-shanghai").build().unwrap()).unwrap();
    start_recording(&client, true).await;
    let mut attempts = Vec::new();
    for _ in 0..200 {
        tokio::time::sleep(Duration::from_millis(25)).await;
        attempts = endpoint.deliveries();
        let last = attempts.last().map(|a| a.attempt).unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(100)).await;
        if endpoint.deliveries().len() == attempts.len() && last > 1 {
            break;
        }
    }
    assert!(attempts.len() >= 2, "retried: {attempts:#?}");
    assert!(attempts.iter().all(|a| !a.delivered && a.status.is_none()));
    assert_eq!(attempts[1].attempt, 2);
}

#[tokio::test]
async fn a_bad_user_sig_is_refused_as_documented() {
    const OWN_KEY: &str = "this application's own key";
    let endpoint = LocalEndpoint::builder()
        .app(APP, OWN_KEY)
        .start()
        .await
        .unwrap();
    let client = Client::new(config_for(&endpoint).region("ap-shanghai").build().unwrap()).unwrap();
    let create_as = |user_id: &'static str, user_sig: String| {
        client
            .create_cloud_recording()
            .sdk_app_id(APP)
            .room_id("3560")
            .user_id(user_id)
            .user_sig(user_sig)
            .record_params(RecordParams::builder().record_mode(2).build().unwrap())
            .storage_params(
                StorageParams::builder()
                    .cloud_vod(CloudVod::builder().build().unwrap())
                    .build()
                    .unwrap(),
            )
            .send()
    };
    let create = |user_sig: String| create_as("recorder_1", user_sig);
    // Signed with the default key, but this application has its own.
    let err = create(user_sig(APP, "recorder_1")).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter.UserSig"));
    assert!(err.to_string().contains("UserSig"), "{err}");
    assert!(
        !err.to_string().contains(OWN_KEY),
        "the key never shows: {err}"
    );
    // Another user's signature.
    let api = tencentcloud_trtc_server::usersig::TlsSigApi::new(APP, OWN_KEY);
    let err = create(api.user_sig("someone_else", 600).sign())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter.UserSig"));
    // Expired: issued two days ago for one day.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let old = api
        .user_sig("recorder_1", 86_400)
        .issued_at(now - 2 * 86_400)
        .sign();
    let err = create(old).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter.UserSig"));
    assert!(err.to_string().contains("expired"), "{err}");
    // The application's own key works.
    let good = api.user_sig("recorder_1", 600).sign();
    let ok = create(good.clone()).await;
    assert!(ok.is_ok(), "{ok:?}");
    // Once verified, the same ticket is still refused for another UserId.
    let err = create_as("recorder_2", good).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter.UserSig"));
    assert!(err.to_string().contains("recorder_1"), "{err}");
}
