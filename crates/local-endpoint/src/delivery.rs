//! Event callbacks, delivered like TRTC delivers them: a signed JSON `POST`
//! (`Sign` = base64 HMAC-SHA256 of the body, `SdkAppId` header) to the
//! configured URL; an answer other than HTTP 200 within the attempt timeout
//! (5 s, as TRTC) is a failure, retried at once and then every `interval`
//! until `give_up_after` since the first try (TRTC: 10 s and one minute).
//! Events of one task are delivered in order: the next waits for the previous
//! to be delivered or given up.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};
use tencentcloud_trtc_server::{callback, SecretKey};
use tokio::sync::mpsc;

use crate::lock;

/// Where and how callbacks go.
#[derive(Clone)]
pub struct CallbackTarget {
    /// The receiver's URL.
    pub url: String,
    /// The signature key configured in the console.
    pub key: SecretKey,
    /// The retry schedule.
    pub schedule: RetrySchedule,
}

impl std::fmt::Debug for CallbackTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackTarget")
            .field("url", &self.url)
            .field("key", &"** redacted **")
            .field("schedule", &self.schedule)
            .finish()
    }
}

/// TRTC's retry schedule, or a shorter one for tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetrySchedule {
    /// How long one attempt may take (TRTC: 5 s).
    pub attempt_timeout: Duration,
    /// The pause between retries after the immediate one (TRTC: 10 s).
    pub interval: Duration,
    /// No retry starts later than this after the first attempt (TRTC: 60 s).
    pub give_up_after: Duration,
}

impl RetrySchedule {
    /// TRTC's: 5 s per attempt, a retry at once, then every 10 s for a minute.
    pub const TRTC: RetrySchedule = RetrySchedule {
        attempt_timeout: Duration::from_secs(5),
        interval: Duration::from_secs(10),
        give_up_after: Duration::from_secs(60),
    };
}

impl Default for RetrySchedule {
    fn default() -> Self {
        RetrySchedule::TRTC
    }
}

/// One attempt to deliver one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// `EventGroupId`.
    pub group_id: i64,
    /// `EventType`.
    pub event_type: i64,
    /// The task the event is about.
    pub task_id: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The HTTP status answered, or `None` when the request failed or timed out.
    pub status: Option<u16>,
    /// Whether this attempt delivered the event (HTTP 200).
    pub delivered: bool,
}

/// An event to deliver.
pub(crate) struct Outgoing {
    pub(crate) sdk_app_id: u64,
    pub(crate) group_id: i64,
    pub(crate) event_type: i64,
    pub(crate) task_id: String,
    pub(crate) info: Map<String, Value>,
}

/// Delivers events for one target, in order per task.
#[derive(Debug)]
pub(crate) struct Deliverer {
    queues: Mutex<std::collections::HashMap<String, mpsc::UnboundedSender<Outgoing>>>,
    target: CallbackTarget,
    http: reqwest::Client,
    pub(crate) log: Arc<Mutex<Vec<DeliveryAttempt>>>,
}

impl Deliverer {
    pub(crate) fn new(target: CallbackTarget) -> Deliverer {
        let http = reqwest::Client::builder()
            .timeout(target.schedule.attempt_timeout)
            .build()
            .unwrap_or_default();
        Deliverer {
            queues: Mutex::new(Default::default()),
            target,
            http,
            log: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Queues `event` behind the earlier events of its task.
    pub(crate) fn send(&self, event: Outgoing) {
        let mut queues = lock(&self.queues);
        let tx = queues.entry(event.task_id.clone()).or_insert_with(|| {
            let (tx, mut rx) = mpsc::unbounded_channel::<Outgoing>();
            let (http, target, log) = (self.http.clone(), self.target.clone(), self.log.clone());
            tokio::spawn(async move {
                while let Some(event) = rx.recv().await {
                    deliver(&http, &target, &log, event).await;
                }
            });
            tx
        });
        let _ = tx.send(event);
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

async fn deliver(
    http: &reqwest::Client,
    target: &CallbackTarget,
    log: &Mutex<Vec<DeliveryAttempt>>,
    event: Outgoing,
) {
    let first = tokio::time::Instant::now();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        // Each attempt is sent anew, with its own CallbackTs, as TRTC does.
        let body = json!({
            "EventGroupId": event.group_id,
            "EventType": event.event_type,
            "CallbackTs": now_ms(),
            "EventInfo": event.info,
        })
        .to_string();
        let sign = callback::sign(&target.key, body.as_bytes());
        let result = http
            .post(&target.url)
            .header("Content-Type", "application/json")
            .header("Sign", sign)
            .header("SdkAppId", event.sdk_app_id.to_string())
            .body(body)
            .send()
            .await;
        let status = result.as_ref().ok().map(|r| r.status().as_u16());
        let delivered = status == Some(200);
        lock(log).push(DeliveryAttempt {
            group_id: event.group_id,
            event_type: event.event_type,
            task_id: event.task_id.clone(),
            attempt,
            status,
            delivered,
        });
        tracing::info!(
            event_type = event.event_type,
            task_id = event.task_id.as_str(),
            attempt,
            status = status.unwrap_or(0),
            "callback delivery"
        );
        if delivered {
            return;
        }
        // The first retry is immediate; the next ones wait `interval`.
        let pause = if attempt == 1 {
            Duration::ZERO
        } else {
            target.schedule.interval
        };
        if first.elapsed() + pause > target.schedule.give_up_after {
            tracing::warn!(
                event_type = event.event_type,
                task_id = event.task_id.as_str(),
                attempts = attempt,
                "callback given up"
            );
            return;
        }
        tokio::time::sleep(pause).await;
    }
}
