//! The quickstart against an endpoint that behaves like Tencent Cloud for an
//! application with its own key: given only the SdkAppId, the application key
//! and API keys (no precomputed UserSig), the lifecycle runs; a wrong
//! application key is refused with `InvalidParameter.UserSig`.

use tencentcloud_examples::quickstart::{run, Options};
use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_trtc::{Client, Config, Credentials};
use tencentcloud_trtc_server::SecretKey;

const APP: u64 = 1_400_000_001;
const APP_KEY: &str = "5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

fn options() -> Options {
    Options {
        sdk_app_id: APP,
        room_id: "1234".to_owned(),
        user_id: "transcriber".to_owned(),
        user_sig: None,
        user_sig_validity: 3600,
        lang: "16k_zh_en".to_owned(),
    }
}

async fn endpoint_and_client() -> (LocalEndpoint, Client) {
    let endpoint = LocalEndpoint::builder()
        .credentials("AKIDquickstart", "quickstart-api-key")
        .app(APP, APP_KEY)
        .start()
        .await
        .unwrap();
    let client = Client::new(
        Config::builder()
            .credentials(Credentials::new("AKIDquickstart", "quickstart-api-key"))
            .region("ap-singapore")
            .endpoint_url(endpoint.url())
            .build()
            .unwrap(),
    )
    .unwrap();
    (endpoint, client)
}

#[tokio::test]
async fn the_application_key_is_enough() {
    let (endpoint, client) = endpoint_and_client().await;
    let mut lines = Vec::new();
    let outcome = run(&client, Some(&SecretKey::new(APP_KEY)), &options(), |l| {
        lines.push(l)
    })
    .await
    .unwrap();
    assert_eq!(outcome.status, "InProgress");
    assert!(endpoint.tasks().is_empty(), "stopped at the end");
    let verdicts: Vec<String> = endpoint.calls().into_iter().map(|c| c.verdict).collect();
    assert_eq!(verdicts, ["ok", "ok", "ok"]);
    // The generated UserSig is printed redacted only.
    let sig_line = &lines[0];
    assert!(sig_line.contains("UserSig eJ"), "{sig_line}");
    assert!(!lines.iter().any(|l| l.contains(APP_KEY)));
}

#[tokio::test]
async fn a_wrong_application_key_is_refused() {
    let (_endpoint, client) = endpoint_and_client().await;
    let err = run(
        &client,
        Some(&SecretKey::new("not the key")),
        &options(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(err.contains("InvalidParameter.UserSig"), "{err}");
}

#[tokio::test]
async fn without_a_key_or_a_user_sig_the_quickstart_says_what_to_set() {
    let (endpoint, client) = endpoint_and_client().await;
    let err = run(&client, None, &options(), |_| {}).await.unwrap_err();
    assert!(err.contains("TRTC_SDK_SECRET_KEY"), "{err}");
    assert!(endpoint.calls().is_empty(), "nothing was sent");
}
