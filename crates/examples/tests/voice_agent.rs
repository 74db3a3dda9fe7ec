//! The voice agent's lifecycle against the local endpoint.

use tencentcloud_examples::voice_agent::{run, Options};
use tencentcloud_local_endpoint::{
    LocalEndpoint, DEFAULT_APP_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};
use tencentcloud_trtc::{Client, Config, Credentials};
use tencentcloud_trtc_server::usersig::TlsSigApi;

#[tokio::test]
async fn the_voice_agent_runs_and_never_prints_its_llm_key() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = Client::new(
        Config::builder()
            .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
            .region("ap-guangzhou")
            .endpoint_url(endpoint.url())
            .build()
            .unwrap(),
    )
    .unwrap();
    let opts = Options {
        sdk_app_id: 1_400_000_001,
        room_id: "1234".to_owned(),
        bot_id: "bot".to_owned(),
        bot_sig: TlsSigApi::new(1_400_000_001, DEFAULT_APP_KEY)
            .user_sig("bot", 600)
            .sign(),
        user_id: "alice".to_owned(),
        llm_api_key: "sk-must-not-print".to_owned(),
    };
    let mut printed = Vec::new();
    let outcome = run(&client, &opts, |l| printed.push(l)).await.unwrap();
    assert_eq!(outcome.statuses, ["Idle", "Preparing", "InProgress"]);
    assert_eq!(
        outcome.messages,
        [
            ("assistant".to_owned(), "Hi! How can I help?".to_owned()),
            ("assistant".to_owned(), "Your order has shipped.".to_owned()),
        ]
    );
    let all = printed.join("\n");
    assert!(all.contains("gpt-4o-mini"), "{all}");
    assert!(!all.contains("sk-must-not-print"), "{all}");
}
