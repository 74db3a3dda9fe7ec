//! The quickstart as a simulated TKE pod: token file, TKE variables, the local
//! endpoint serving STS and TRTC, and no long-lived key anywhere in this process.

use tencentcloud_examples::quickstart::{run, Options, SimulatedTkePod};
use tencentcloud_local_endpoint::DEFAULT_APP_KEY;
use tencentcloud_trtc_server::SecretKey;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_runs_as_a_tke_pod() {
    for k in [
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SECRETID",
        "TENCENTCLOUD_SECRETKEY",
    ] {
        std::env::remove_var(k);
    }
    let pod = SimulatedTkePod::start("ap-guangzhou").await.unwrap();
    let opts = Options {
        sdk_app_id: 1_400_000_001,
        room_id: "1234".to_owned(),
        user_id: "transcriber".to_owned(),
        user_sig: None,
        user_sig_validity: 3600,
        lang: "16k_zh_en".to_owned(),
    };
    let mut lines = Vec::new();
    let out = run(
        &pod.client,
        Some(&SecretKey::new(DEFAULT_APP_KEY)),
        &opts,
        |l| lines.push(l.to_owned()),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}\n{}", lines.join("\n")));
    assert!(!out.task_id.is_empty());
    assert_eq!(
        pod.endpoint.count("AssumeRoleWithWebIdentity"),
        1,
        "one STS call for the whole lifecycle"
    );
    let creds = pod.chain.resolved().unwrap().credentials().await.unwrap();
    assert_eq!(creds.provider(), "TKE OIDC");
    let issued = pod.endpoint.issued_credentials();
    for c in pod
        .endpoint
        .calls()
        .iter()
        .filter(|c| c.action.ends_with("CloudTranscription"))
    {
        assert!(c.verdict.starts_with("ok"), "{}", c.verdict);
        assert!(
            c.header("authorization")
                .unwrap()
                .contains(&issued[0].secret_id),
            "signed with the issued key"
        );
    }
}
