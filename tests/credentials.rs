//! Credential providers and the default chain. These tests change the process
//! environment, so they live in their own test binary and run one at a time.

use std::time::Duration;

use tencentcloud_config::{
    CvmRoleProvider, DefaultCredentialsChain, IdentityCache, ManualTimeSource, ENV_METADATA_URL,
    ENV_ROLE_NAME,
};
use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_runtime::credentials::{
    EnvironmentProvider, ProfileProvider, ProvideCredentials, ENV_CREDENTIALS_FILE, ENV_PROFILE,
    ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN,
};
use tencentcloud_runtime::{Config, CredentialsError, SdkError};
use tencentcloud_tests::{seed_request, MetadataServer};
use tencentcloud_trtc::error::ErrorCode;
use tencentcloud_trtc::prelude::*;

static ENV: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn clear_env() {
    for k in [
        ENV_SECRET_ID,
        ENV_SECRET_KEY,
        ENV_SESSION_TOKEN,
        ENV_CREDENTIALS_FILE,
        ENV_PROFILE,
        ENV_ROLE_NAME,
        ENV_METADATA_URL,
        "TENCENTCLOUD_SECRETID",
        "TENCENTCLOUD_SECRETKEY",
        "TENCENTCLOUD_SESSIONTOKEN",
        "TKE_REGION",
        "TKE_PROVIDER_ID",
        "TKE_WEB_IDENTITY_TOKEN_FILE",
        "TKE_ROLE_ARN",
        "TCCLI_PROFILE",
    ] {
        std::env::remove_var(k);
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("tc-creds-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test]
async fn environment_provider() {
    let _g = ENV.lock().await;
    clear_env();
    let e = EnvironmentProvider::new().load().unwrap_err();
    assert!(matches!(e, CredentialsError::NotConfigured { .. }));
    std::env::set_var(ENV_SECRET_ID, "AKIDenv");
    let e = EnvironmentProvider::new().load().unwrap_err();
    assert!(e.to_string().contains("TENCENTCLOUD_SECRET_KEY"), "{e}");
    std::env::set_var(ENV_SECRET_KEY, "env-key");
    std::env::set_var(ENV_SESSION_TOKEN, "env-token");
    let c = EnvironmentProvider::new()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.secret_id(), "AKIDenv");
    assert_eq!(c.token().unwrap().expose(), "env-token");
    std::env::set_var(ENV_SECRET_KEY, "env-key\n");
    let e = EnvironmentProvider::new().load().unwrap_err();
    assert!(matches!(e, CredentialsError::Invalid { .. }));
    assert!(
        e.to_string().contains("whitespace") && !e.to_string().contains("env-key"),
        "{e}"
    );
    clear_env();
}

#[tokio::test]
async fn profile_file_from_the_environment() {
    let _g = ENV.lock().await;
    clear_env();
    let dir = scratch("profile");
    let file = dir.join("credentials");
    std::fs::write(&file, "[default]\nsecret_id = AKIDdefault\nsecret_key = default-key\n\n[ci]\nsecret_id = AKIDci\nsecret_key = ci-key\n").unwrap();
    std::env::set_var(ENV_CREDENTIALS_FILE, &file);
    assert_eq!(
        ProfileProvider::new().load().unwrap().secret_id(),
        "AKIDdefault"
    );
    std::env::set_var(ENV_PROFILE, "ci");
    assert_eq!(ProfileProvider::new().load().unwrap().secret_id(), "AKIDci");
    std::env::set_var(ENV_PROFILE, "missing");
    let e = ProfileProvider::new().load().unwrap_err();
    assert!(e.to_string().contains("[missing]"), "{e}");
    clear_env();
}

#[tokio::test]
async fn cvm_role_refreshes_once_however_many_wait() {
    let server = MetadataServer::start("transcriber", 3600, Duration::from_millis(200)).await;
    let provider = IdentityCache::new(CvmRoleProvider::builder().base_url(&server.url).build());
    let mut handles = Vec::new();
    for _ in 0..50 {
        let p = provider.clone();
        handles.push(tokio::spawn(async move { p.provide_credentials().await }));
    }
    for h in handles {
        let c = h.await.unwrap().unwrap();
        assert_eq!(c.secret_id(), "AKIDtemporary");
        assert_eq!(c.token().unwrap().expose(), "token-1");
    }
    assert_eq!(server.fetches(), 1, "fifty waiting calls, one fetch");
    // Cached while fresh.
    provider.provide_credentials().await.unwrap();
    assert_eq!(server.fetches(), 1);
}

#[tokio::test]
async fn cvm_role_is_refreshed_before_expiry() {
    // Credentials that expire an hour after each fetch, refreshed 300 s ahead,
    // on a clock the test moves.
    let server = MetadataServer::start("transcriber", 3600, Duration::ZERO).await;
    let clock = ManualTimeSource::new(std::time::SystemTime::now());
    let provider = IdentityCache::builder(
        CvmRoleProvider::builder()
            .base_url(&server.url)
            .role("transcriber")
            .build(),
    )
    .time_source(clock.clone())
    .build();
    let token = |c: tencentcloud_runtime::Credentials| c.token().unwrap().expose().to_owned();
    assert_eq!(
        token(provider.provide_credentials().await.unwrap()),
        "token-1"
    );
    clock.advance(Duration::from_secs(3600 - 310));
    assert_eq!(
        token(provider.provide_credentials().await.unwrap()),
        "token-1"
    );
    clock.advance(Duration::from_secs(20));
    assert_eq!(
        token(provider.provide_credentials().await.unwrap()),
        "token-2"
    );
    assert_eq!(server.fetches(), 2);
}

#[tokio::test]
async fn cvm_role_credentials_sign_calls_with_their_token() {
    let server = MetadataServer::start("transcriber", 3600, Duration::ZERO).await;
    let endpoint = LocalEndpoint::builder()
        .temporary_credentials("AKIDtemporary", "temporary-secret-key", "token-1")
        .start()
        .await
        .unwrap();
    let config = Config::builder()
        .credentials_provider(IdentityCache::new(
            CvmRoleProvider::builder().base_url(&server.url).build(),
        ))
        .region("ap-guangzhou")
        .endpoint_url(endpoint.url())
        .build()
        .unwrap();
    let client = tencentcloud_trtc::Client::new(config).unwrap();
    seed_request(&client)
        .send()
        .await
        .expect("temporary credentials accepted");
    seed_request(&client).send().await.expect("cached");
    assert_eq!(server.fetches(), 1);
    assert_eq!(
        endpoint.calls()[0].header("x-tc-token"),
        Some("** redacted **")
    );
}

#[tokio::test]
async fn default_chain_order_and_its_error() {
    let _g = ENV.lock().await;
    clear_env();
    let dir = scratch("chain");
    let absent = dir.join("absent");
    // Nothing anywhere: the error names every source and why.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    std::env::set_var(ENV_CREDENTIALS_FILE, &absent);
    std::env::set_var(ENV_METADATA_URL, &dead_url);
    // No ~/.tccli either.
    let home = std::env::var_os("HOME");
    std::env::set_var("HOME", &dir);
    let e = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    let CredentialsError::NoneFound { tried } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(tried.len(), 6, "{e}");
    let text = e.to_string();
    assert!(
        text.contains(
            "environment (TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set)"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "profile file (none of {} exists)",
            absent.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("CVM role (metadata service") && text.contains("unreachable"),
        "{text}"
    );
    for source in ["SCF runtime (", "TKE OIDC (", "tccli profile ("] {
        assert!(text.contains(source), "{source}: {text}");
    }
    // Surfaces through a call as a credentials error, before anything is sent.
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let client = tencentcloud_trtc::Client::new(
        Config::builder()
            .credentials_provider(DefaultCredentialsChain::new())
            .region("ap-guangzhou")
            .endpoint_url(endpoint.url())
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = seed_request(&client).send().await.unwrap_err();
    assert!(
        matches!(
            err,
            SdkError::Credentials(CredentialsError::NoneFound { .. })
        ),
        "{err}"
    );
    assert!(endpoint.calls().is_empty());

    // The CVM role when it is the only source.
    let server = MetadataServer::start("transcriber", 3600, Duration::ZERO).await;
    std::env::set_var(ENV_METADATA_URL, &server.url);
    assert_eq!(
        DefaultCredentialsChain::new()
            .provide_credentials()
            .await
            .unwrap()
            .provider(),
        "CVM role"
    );
    // A profile file wins over the CVM role.
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        "[default]\nsecret_id = AKIDfile\nsecret_key = file-key\n",
    )
    .unwrap();
    std::env::set_var(ENV_CREDENTIALS_FILE, &file);
    assert_eq!(
        DefaultCredentialsChain::new()
            .provide_credentials()
            .await
            .unwrap()
            .secret_id(),
        "AKIDfile"
    );
    // The environment wins over both.
    std::env::set_var(ENV_SECRET_ID, "AKIDenv");
    std::env::set_var(ENV_SECRET_KEY, "env-key");
    assert_eq!(
        DefaultCredentialsChain::new()
            .provide_credentials()
            .await
            .unwrap()
            .secret_id(),
        "AKIDenv"
    );
    // A configured but broken source stops the chain instead of falling through.
    std::env::set_var(ENV_SECRET_KEY, " env-key");
    let e = DefaultCredentialsChain::new()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            CredentialsError::Invalid {
                provider: "environment",
                ..
            }
        ),
        "{e:?}"
    );
    clear_env();
    match home {
        Some(h) => std::env::set_var("HOME", h),
        None => std::env::remove_var("HOME"),
    }
}

#[tokio::test]
async fn wrong_key_through_the_chain_is_a_typed_signature_failure() {
    let _g = ENV.lock().await;
    clear_env();
    let endpoint = LocalEndpoint::builder()
        .credentials("AKIDenv", "right-key")
        .start()
        .await
        .unwrap();
    std::env::set_var(ENV_SECRET_ID, "AKIDenv");
    std::env::set_var(ENV_SECRET_KEY, "wrong-key");
    let client = tencentcloud_trtc::Client::new(
        Config::builder()
            .region("ap-guangzhou")
            .endpoint_url(endpoint.url())
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = seed_request(&client).send().await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code(),
        ErrorCode::AuthFailureSignatureFailure
    );
    clear_env();
}
