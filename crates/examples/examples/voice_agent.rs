//! A voice agent against the local endpoint, with nothing configured: starts
//! the endpoint and a callback receiver in this process, then runs the AI
//! conversation's lifecycle (start, describe, push a line, update the prompt,
//! read the messages, stop) and prints every AI callback the endpoint
//! delivers, verified and de-duplicated.
//!
//! ```text
//! cargo run --example voice_agent
//! ```

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tencentcloud_examples::voice_agent::{run, Options};
use tencentcloud_local_endpoint::{
    LocalEndpoint, RetrySchedule, DEFAULT_APP_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};
use tencentcloud_trtc::{Client, Config, Credentials};
use tencentcloud_trtc_server::callback::CallbackVerifier;
use tencentcloud_trtc_server::receiver;
use tencentcloud_trtc_server::usersig::TlsSigApi;

const APP: u64 = 1_400_000_001;
const CALLBACK_KEY: &str = "voice-agent-callback-key";

async fn main_inner() -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}/",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let keys: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let sink = seen.clone();
    tokio::spawn(receiver::serve(
        listener,
        CallbackVerifier::new(CALLBACK_KEY).expect_sdk_app_id(APP),
        move |cb| {
            // TRTC may deliver an event twice: keep the first.
            if keys.lock().unwrap().insert(cb.idempotency_key().to_owned()) {
                sink.lock().unwrap().push(receiver::event_line(cb));
            }
        },
    ));
    let endpoint = LocalEndpoint::builder()
        .callback_with(
            url,
            CALLBACK_KEY,
            RetrySchedule {
                attempt_timeout: Duration::from_secs(2),
                interval: Duration::from_millis(200),
                give_up_after: Duration::from_secs(5),
            },
        )
        .start()
        .await
        .map_err(|e| e.to_string())?;
    eprintln!("local endpoint on {}", endpoint.url());
    let client = Client::new(
        Config::builder()
            .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
            .region("ap-guangzhou")
            .endpoint_url(endpoint.url())
            .build()
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let opts = Options {
        sdk_app_id: APP,
        room_id: "1234".to_owned(),
        bot_id: "voice_bot".to_owned(),
        bot_sig: TlsSigApi::new(APP, DEFAULT_APP_KEY)
            .user_sig("voice_bot", 3600)
            .sign(),
        user_id: "alice".to_owned(),
        llm_api_key: "sk-not-a-real-key".to_owned(),
    };
    run(&client, &opts, |line| println!("{line}")).await?;
    // Wait (bounded) for the stop event to arrive.
    for _ in 0..100 {
        if seen
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("AiServiceStop"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("callbacks received:");
    for line in seen.lock().unwrap().iter() {
        println!("  {line}");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match main_inner().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
