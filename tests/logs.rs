//! Tracing: the call span carries service, action, region, attempt, RequestId,
//! latency and outcome; and no secret (secret key, session token, user
//! signature) reaches a log line, an error or a `Debug` output. Alone in its
//! test binary: `tracing` caches per-callsite interest process-wide, so other
//! tests running in parallel without a subscriber could hide events from this one.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_local_endpoint::{Fault, LocalEndpoint};
use tencentcloud_runtime::RetryConfig;
use tencentcloud_tests::{config_for, seed_request};
use tencentcloud_trtc::Client;

fn fast_retries() -> RetryConfig {
    RetryConfig::standard()
        .initial_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(100))
}

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[test]
fn spans_carry_the_call_and_no_secret_reaches_logs_errors_or_debug() {
    const KEY: &str = "SUPER-SECRET-KEY-VALUE";
    const TOKEN: &str = "SUPER-SECRET-TOKEN-VALUE";
    let sig = tencentcloud_tests::seed_user_sig();
    let sig = sig.as_str();
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // One thread, so the endpoint's tasks log into this thread's subscriber too.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut texts: Vec<String> = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        rt.block_on(async {
            let endpoint = LocalEndpoint::builder()
                .temporary_credentials("AKIDlogs", KEY, TOKEN)
                .start()
                .await
                .unwrap();
            let creds = tencentcloud_runtime::Credentials::new("AKIDlogs", KEY).with_token(TOKEN);
            let config = config_for(&endpoint)
                .credentials(creds.clone())
                .retry(fast_retries())
                .build()
                .unwrap();
            let client = Client::new(config.clone()).unwrap();
            let ok = seed_request(&client).send().await.unwrap();
            texts.push(format!("{ok:?}"));
            endpoint.inject(Fault::error("RequestLimitExceeded"), 1);
            seed_request(&client).send().await.unwrap();
            endpoint.inject(Fault::status(500), 1);
            texts.push(seed_request(&client).send().await.unwrap_err().to_string());
            let wrong = Client::new(
                config_for(&endpoint)
                    .credentials(
                        tencentcloud_runtime::Credentials::new("AKIDlogs", "wrong")
                            .with_token(TOKEN),
                    )
                    .build()
                    .unwrap(),
            )
            .unwrap();
            let err = seed_request(&wrong).send().await.unwrap_err();
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
            let bad = Client::new(
                config_for(&endpoint)
                    .credentials(tencentcloud_runtime::Credentials::new(
                        "AKIDlogs",
                        format!("{KEY}\n"),
                    ))
                    .build()
                    .unwrap(),
            )
            .unwrap();
            let err = seed_request(&bad).send().await.unwrap_err();
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
            texts.push(format!("{creds:?}"));
            texts.push(format!("{config:?}"));
            texts.push(format!("{client:?}"));
            texts.push(format!("{:?}", seed_request(&client)));
            texts.push(format!("{:?}", endpoint.calls()));
        });
    });
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The call span and its fields.
    assert!(logs.contains("tencentcloud.call"), "{logs}");
    for field in [
        "service=\"trtc\"",
        "action=\"CreateCloudTranscription\"",
        "region=\"ap-guangzhou\"",
        "attempt=2",
        "request_id=",
        "latency_ms=",
        "outcome=\"success\"",
        "outcome=\"response_error\"",
        "trace_id=\"",
    ] {
        assert!(
            logs.contains(field),
            "span field {field} missing from:\n{logs}"
        );
    }
    assert!(logs.contains("retrying"), "{logs}");
    // Wire logging at TRACE: the bodies, with the seed's UserSig masked.
    assert!(
        logs.contains("tencentcloud_runtime::wire") && logs.contains("UserSig\":\"** redacted **"),
        "wire logs missing or unmasked:\n{logs}"
    );
    assert!(
        logs.contains("verdict=\"ok\""),
        "the endpoint logs its verdicts:\n{logs}"
    );
    // No secret anywhere.
    for secret in [KEY, TOKEN, sig] {
        assert!(!logs.contains(secret), "{secret} leaked into logs");
        for t in &texts {
            assert!(!t.contains(secret), "{secret} leaked into {t}");
        }
    }
}
