//! The generated waiters (`Client::wait_until_*`) against the local endpoint:
//! the transcription lifecycle for real, and scripted lifecycles for the
//! typed outcomes (reached, failed, timed out) and errors.

use std::time::Duration;

use serde_json::json;
use tencentcloud_local_endpoint::Fault;
use tencentcloud_tests::{endpoint_and_client, seed_request};
use tencentcloud_trtc::waiters::WaiterOutcome;

#[tokio::test]
async fn transcription_waiters_follow_the_lifecycle() {
    let (endpoint, client) = endpoint_and_client().await;
    let task = seed_request(&client).send().await.unwrap().task_id;
    let running = client
        .wait_until_cloud_transcription_in_progress()
        .sdk_app_id(14_000_000)
        .task_id(&task)
        .interval(Duration::from_millis(10))
        .wait(Duration::from_secs(5))
        .await
        .unwrap();
    match running {
        WaiterOutcome::Reached {
            last: Some(out),
            polls: 1,
        } => assert_eq!(out.task_id, task),
        other => panic!("{other:?}"),
    }
    client
        .delete_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id(&task)
        .send()
        .await
        .unwrap();
    let before = endpoint.calls().len();
    let stopped = client
        .wait_until_cloud_transcription_stopped()
        .sdk_app_id(14_000_000)
        .task_id(&task)
        .wait_default()
        .await
        .unwrap();
    assert!(
        matches!(stopped, WaiterOutcome::Reached { last: None, .. }),
        "{stopped:?}"
    );
    // Only the Describe action was called.
    assert!(endpoint.calls()[before..]
        .iter()
        .all(|c| c.action == "DescribeCloudTranscription"));
}

#[tokio::test]
async fn typed_outcomes_and_errors() {
    let (endpoint, client) = endpoint_and_client().await;
    let waiter = |task: &str| {
        client
            .wait_until_ai_conversation_in_progress()
            .sdk_app_id(1_400_000_001)
            .task_id(task)
            .interval(Duration::from_millis(5))
    };
    // Unknown states match nothing; then success with the last output.
    endpoint.lifecycle(
        "a",
        vec![
            json!("Idle"),
            json!("Preparing"),
            json!("Strange"),
            json!("InProgress"),
        ],
        None,
    );
    match waiter("a").wait(Duration::from_secs(5)).await.unwrap() {
        WaiterOutcome::Reached {
            last: Some(out),
            polls,
        } => {
            assert_eq!(out.status.as_deref(), Some("InProgress"));
            assert_eq!(polls, 4);
        }
        other => panic!("{other:?}"),
    }
    // A failure state, with the last output.
    endpoint.lifecycle("b", vec![json!("Idle"), json!("Stopped")], None);
    match waiter("b").wait(Duration::from_secs(5)).await.unwrap() {
        WaiterOutcome::Failed {
            last: Some(out),
            state,
            ..
        } => {
            assert_eq!(state, "Stopped");
            assert_eq!(out.status.as_deref(), Some("Stopped"));
        }
        other => panic!("{other:?}"),
    }
    // Gone is a failure for this waiter.
    endpoint.lifecycle(
        "c",
        vec![json!("Idle")],
        Some("FailedOperation.TaskNotExist"),
    );
    let gone = waiter("c").wait(Duration::from_secs(5)).await.unwrap();
    assert!(
        matches!(gone, WaiterOutcome::Failed { last: None, ref state, .. } if state == "FailedOperation.TaskNotExist"),
        "{gone:?}"
    );
    // Timed out, with the last output.
    endpoint.lifecycle("d", vec![json!("Preparing")], None);
    match waiter("d").wait(Duration::from_millis(50)).await.unwrap() {
        WaiterOutcome::TimedOut {
            last: Some(out), ..
        } => {
            assert_eq!(out.status.as_deref(), Some("Preparing"))
        }
        other => panic!("{other:?}"),
    }
    // A non-retryable error ends the wait with the action's typed error.
    endpoint.inject(Fault::error("InvalidParameter.TaskId"), 1);
    let err = waiter("e").wait(Duration::from_secs(5)).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter.TaskId"));
    // A missing required member fails before anything is sent.
    let calls = endpoint.calls().len();
    let err = client
        .wait_until_cloud_recording_stopped()
        .task_id("x")
        .wait_default()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("SdkAppId"), "{err}");
    assert_eq!(endpoint.calls().len(), calls);
}

#[tokio::test]
async fn a_scripted_state_off_the_spec_is_the_endpoints_error() {
    // The endpoint checks its own answers: a state of the wrong type at the
    // waiter's status path (`Status` is a string) is answered as its bug.
    let (endpoint, client) = endpoint_and_client().await;
    endpoint.lifecycle("task-off-spec", vec![json!(5)], None);
    let err = client
        .describe_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id("task-off-spec")
        .send()
        .await
        .unwrap_err();
    let api = err.service_error().expect("a service error").api_error();
    assert_eq!(api.code(), "InternalError");
    assert!(
        api.message()
            .contains("member `Status` should be string, found unsigned integer"),
        "{api}"
    );

    // Served anyway when the check is off (the client reads the drifted 5).
    let lenient = tencentcloud_local_endpoint::LocalEndpoint::builder()
        .strict_answers(false)
        .start()
        .await
        .unwrap();
    lenient.lifecycle("task-off-spec", vec![json!(5)], None);
    let client =
        tencentcloud_trtc::Client::new(tencentcloud_tests::config_for(&lenient).build().unwrap())
            .unwrap();
    let out = client
        .describe_cloud_transcription()
        .sdk_app_id(14_000_000)
        .task_id("task-off-spec")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status.to_string(), "5");
}
