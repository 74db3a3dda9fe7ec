//! Callback receivers for the tests that run a lifecycle with its callbacks
//! (cloud recording, AI conversation).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tencentcloud_local_endpoint::http::{serve_connection, Reply, Request};
use tencentcloud_trtc_server::callback::{Callback, CallbackVerifier};

/// The callbacks a receiver accepted, in arrival order.
pub type Seen = Arc<Mutex<Vec<Callback>>>;

/// A receiver on port 0 that verifies (with `key`, and `app` when given) and
/// records every delivery but answers HTTP 500 to the first one of each event
/// type: as if it crashed after processing, so every event is delivered twice.
pub async fn flaky_receiver(
    key: &'static str,
    app: Option<u64>,
) -> (String, Seen, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let failed_once: Arc<Mutex<BTreeSet<u64>>> = Arc::default();
    let (sink, failed) = (seen.clone(), failed_once.clone());
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let (sink, failed) = (sink.clone(), failed.clone());
            tokio::spawn(serve_connection(
                stream,
                move |req: Request| {
                    let (sink, failed) = (sink.clone(), failed.clone());
                    async move {
                        let mut verifier = CallbackVerifier::new(key);
                        if let Some(app) = app {
                            verifier = verifier.expect_sdk_app_id(app);
                        }
                        let verdict =
                            verifier.verify(req.header("sign"), req.header("sdkappid"), &req.body);
                        let status = match verdict {
                            Ok(cb) => {
                                let first = failed.lock().unwrap().insert(cb.event_type());
                                sink.lock().unwrap().push(cb);
                                if first {
                                    500
                                } else {
                                    200
                                }
                            }
                            Err(e) => e.status(),
                        };
                        Reply::Full {
                            status,
                            body: br#"{"code":0}"#.to_vec(),
                            date: httpdate::fmt_http_date(SystemTime::now()),
                        }
                    }
                },
                || httpdate::fmt_http_date(SystemTime::now()),
            ));
        }
    });
    (url, seen, task)
}

/// Waits (polling, with a deadline of a minute so a bug cannot hang the
/// suite, however slow a loaded machine is) until `n` distinct events (by
/// idempotency key) arrived; returns them in arrival order.
pub async fn distinct(seen: &Seen, n: usize) -> Vec<Callback> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while tokio::time::Instant::now() < deadline {
        {
            let all = seen.lock().unwrap();
            let mut keys = BTreeSet::new();
            let unique: Vec<Callback> = all
                .iter()
                .filter(|c| keys.insert(c.idempotency_key().to_owned()))
                .cloned()
                .collect();
            if unique.len() >= n {
                return unique;
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let got: Vec<u64> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.event_type())
        .collect();
    panic!("expected {n} distinct events, got {got:?}");
}

/// Waits (polling, with a deadline of a minute) until the endpoint's record of
/// callback deliveries satisfies `done`; returns it. A receiver records an
/// event before it answers and the endpoint records the delivery only when
/// the answer arrives, so the receiver having seen everything does not mean
/// the endpoint has recorded it yet.
pub async fn deliveries_until(
    endpoint: &tencentcloud_local_endpoint::LocalEndpoint,
    done: impl Fn(&[tencentcloud_local_endpoint::DeliveryAttempt]) -> bool,
) -> Vec<tencentcloud_local_endpoint::DeliveryAttempt> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let all = endpoint.deliveries();
        if done(&all) {
            return all;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the endpoint's deliveries never got there: {all:#?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
