//! Every identity a workload runs with, end to end against the local endpoint
//! serving STS and TRTC: a TKE pod (token file, variables, STS, TRTC), an
//! assumed CAM role, SCF, tccli logins; the identity cache's refresh ahead of
//! expiry on a clock the test moves, its single flight, the errors of bad
//! input, and no secret in `Debug`, logs or errors. These tests change the
//! process environment, so they take a lock.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tencentcloud_config::{
    AssumeRoleProvider, DefaultCredentialsChain, IdentityCache, ManualTimeSource, ScfProvider,
    StsCredentialsError, TccliProfileProvider, WebIdentityProvider, TKE_VARIABLES,
};
use tencentcloud_local_endpoint::{LocalEndpoint, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use tencentcloud_runtime::{Config, Credentials, CredentialsError, Endpoint, SdkError};
use tencentcloud_sts::error::ErrorCode as StsCode;
use tencentcloud_tests::seed_request;
use tencentcloud_trtc::error::ErrorCode;
use tencentcloud_trtc::prelude::*;

static ENV: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const ROLE: &str = "qcs::cam::uin/100000000001:roleName/trtc-backend";
const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.pod-oidc-token-secret-value";

/// Everything logged, by every test of this binary (for the secret scan).
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Logs;
impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| Logs)
            .try_init();
    });
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned()
}

fn clear_env() {
    for k in TKE_VARIABLES.iter().copied().chain([
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
        "TENCENTCLOUD_SESSION_TOKEN",
        "TENCENTCLOUD_SECRETID",
        "TENCENTCLOUD_SECRETKEY",
        "TENCENTCLOUD_SESSIONTOKEN",
        "TENCENTCLOUD_ENDPOINT",
        "TENCENTCLOUD_CREDENTIALS_FILE",
        "TCCLI_PROFILE",
        "TENCENTCLOUD_TCCLI_OAUTH_URL",
    ]) {
        std::env::remove_var(k);
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("tc-sts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn trtc(
    endpoint: &LocalEndpoint,
    creds: impl tencentcloud_runtime::ProvideCredentials + 'static,
) -> tencentcloud_trtc::Client {
    tencentcloud_trtc::Client::new(
        Config::builder()
            .credentials_provider(creds)
            .region("ap-guangzhou")
            .endpoint_url(endpoint.url())
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!s.is_empty());
        assert!(!text.contains(s), "a secret value leaked: {text}");
    }
}

fn set_tke_env(file: &std::path::Path) {
    std::env::set_var("TKE_REGION", "ap-guangzhou");
    std::env::set_var("TKE_PROVIDER_ID", "tke-oidc-provider");
    std::env::set_var("TKE_WEB_IDENTITY_TOKEN_FILE", file);
    std::env::set_var("TKE_ROLE_ARN", ROLE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tke_pod_calls_trtc_with_no_long_lived_key() {
    capture_logs();
    let _g = ENV.lock().await;
    clear_env();
    let endpoint = LocalEndpoint::builder()
        .web_identity_token(OIDC_TOKEN)
        .start()
        .await
        .unwrap();
    let dir = scratch("tke");
    let file = dir.join("token");
    std::fs::write(&file, format!("{OIDC_TOKEN}\n")).unwrap();
    set_tke_env(&file);
    std::env::set_var("TENCENTCLOUD_ENDPOINT", endpoint.url());
    // The default chain finds the pod identity and settles on it.
    let chain = DefaultCredentialsChain::new();
    let client = trtc(&endpoint, chain.clone());
    seed_request(&client)
        .send()
        .await
        .expect("TRTC accepts the pod's temporary credentials");
    seed_request(&client).send().await.expect("cached");
    assert_eq!(endpoint.count("AssumeRoleWithWebIdentity"), 1);
    let creds = chain
        .resolved()
        .expect("resolved")
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider(), "TKE OIDC");
    assert!(creds.expires_at().unwrap() > SystemTime::now() + Duration::from_secs(7000));
    let calls = endpoint.calls();
    let sts = calls
        .iter()
        .find(|c| c.action == "AssumeRoleWithWebIdentity")
        .unwrap();
    assert_eq!(sts.header("authorization"), Some("SKIP"), "sent unsigned");
    assert_eq!(sts.header("x-tc-token"), None);
    let body: serde_json::Value = serde_json::from_slice(&sts.body).unwrap();
    assert_eq!(body["RoleArn"], ROLE);
    assert_eq!(body["ProviderId"], "tke-oidc-provider");
    assert!(body["RoleSessionName"]
        .as_str()
        .unwrap()
        .starts_with("tencentcloud-rust-sdk-"));
    let issued = endpoint.issued_credentials();
    assert_eq!(issued.len(), 1);
    let trtc_calls: Vec<_> = calls
        .iter()
        .filter(|c| c.action == "CreateCloudTranscription")
        .collect();
    assert_eq!(trtc_calls.len(), 2);
    for c in trtc_calls {
        assert!(c.verdict.starts_with("ok"), "{}", c.verdict);
        assert!(c
            .header("authorization")
            .unwrap()
            .contains(&issued[0].secret_id));
        assert_eq!(c.header("x-tc-token"), Some("** redacted **"));
    }
    // The span names the provider; nothing secret is logged or shown.
    let text = logs();
    assert!(
        text.contains("credentials=\"TKE OIDC\"") || text.contains("credentials=TKE OIDC"),
        "{text}"
    );
    let secrets = [
        OIDC_TOKEN,
        creds.secret_key().expose(),
        creds.token().unwrap().expose(),
    ];
    assert_no_secret(&text, &secrets);
    assert_no_secret(&format!("{chain:?} {creds:?}"), &secrets);
    clear_env();
}

#[tokio::test]
async fn bad_tke_input_names_the_variable_or_file() {
    capture_logs();
    let _g = ENV.lock().await;
    clear_env();
    let e = WebIdentityProvider::from_tke_env().unwrap_err();
    assert!(matches!(e, CredentialsError::NotConfigured { .. }), "{e}");
    let dir = scratch("bad-tke");
    let file = dir.join("token");
    set_tke_env(&file);
    for missing in TKE_VARIABLES {
        let value = std::env::var(missing).unwrap();
        std::env::remove_var(missing);
        let e = WebIdentityProvider::from_tke_env().unwrap_err();
        assert!(matches!(e, CredentialsError::Invalid { .. }), "{e}");
        assert!(
            e.to_string().contains(&format!("{missing} is not set")),
            "{e}"
        );
        // The chain stops there rather than falling through.
        let e = tencentcloud_runtime::ProvideCredentials::provide_credentials(
            &DefaultCredentialsChain::new(),
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains(missing), "{e}");
        std::env::set_var(missing, value);
    }
    let endpoint = LocalEndpoint::builder()
        .web_identity_token(OIDC_TOKEN)
        .start()
        .await
        .unwrap();
    let pod = WebIdentityProvider::tke_builder()
        .unwrap()
        .endpoint(Endpoint::Url(endpoint.url()))
        .build()
        .unwrap();
    // Unreadable (absent), then empty token file.
    let e = CredentialsError::from(pod.assume_role_with_web_identity().await.unwrap_err());
    assert!(
        e.to_string()
            .contains("cannot read the web identity token file"),
        "{e}"
    );
    assert!(e.to_string().contains(&file.display().to_string()), "{e}");
    assert!(e.to_string().contains("TKE_WEB_IDENTITY_TOKEN_FILE"), "{e}");
    std::fs::write(&file, "\n").unwrap();
    let e = CredentialsError::from(pod.assume_role_with_web_identity().await.unwrap_err());
    assert!(e.to_string().contains("is empty"), "{e}");
    assert!(e.to_string().contains(&file.display().to_string()), "{e}");
    assert_eq!(
        endpoint.count("AssumeRoleWithWebIdentity"),
        0,
        "nothing sent"
    );
    // A token STS refuses: the STS error crate's typed code.
    std::fs::write(&file, "someone-elses-token").unwrap();
    let e = pod.assume_role_with_web_identity().await.unwrap_err();
    let StsCredentialsError::Sts { provider, error } = &e else {
        panic!("{e}")
    };
    assert_eq!(*provider, "TKE OIDC");
    assert_eq!(
        error.service_error().unwrap().code(),
        StsCode::InvalidParameterWebIdentityTokenError
    );
    let text = CredentialsError::from(e).to_string();
    assert!(
        text.contains("TKE OIDC") && text.contains("InvalidParameter.WebIdentityTokenError"),
        "{text}"
    );
    assert_no_secret(&text, &["someone-elses-token"]);
    clear_env();
}

fn assume_role(endpoint: &LocalEndpoint, duration: u64) -> AssumeRoleProvider {
    AssumeRoleProvider::builder(ROLE, "nightly-report")
        .source(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
        .duration(Duration::from_secs(duration))
        .endpoint(Endpoint::Url(endpoint.url()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn assumed_role_credentials_refresh_ahead_and_expire_with_tencents_code() {
    capture_logs();
    let endpoint = LocalEndpoint::builder()
        .max_skew(Duration::from_secs(7200))
        .start()
        .await
        .unwrap();
    let role = assume_role(&endpoint, 900);
    let clock = ManualTimeSource::new(SystemTime::now());
    let cache = IdentityCache::builder(role.clone())
        .time_source(clock.clone())
        .build();
    let client = trtc(&endpoint, cache.clone());
    seed_request(&client).send().await.unwrap();
    assert_eq!(endpoint.count("AssumeRole"), 1);
    let sts = endpoint
        .calls()
        .into_iter()
        .find(|c| c.action == "AssumeRole")
        .unwrap();
    assert!(
        sts.header("authorization")
            .unwrap()
            .contains(DEFAULT_SECRET_ID),
        "signed with the source key"
    );
    let body: serde_json::Value = serde_json::from_slice(&sts.body).unwrap();
    assert_eq!(
        (
            body["RoleSessionName"].as_str(),
            body["DurationSeconds"].as_u64()
        ),
        (Some("nightly-report"), Some(900))
    );
    let first = cache.credentials().await.unwrap();
    assert_eq!(first.provider(), "STS AssumeRole");
    // 900 s credentials are refreshed 300 s ahead: still cached at +599 s, renewed at +600 s.
    clock.advance(Duration::from_secs(599));
    seed_request(&client).send().await.unwrap();
    assert_eq!(endpoint.count("AssumeRole"), 1);
    clock.advance(Duration::from_secs(1));
    seed_request(&client).send().await.unwrap();
    assert_eq!(endpoint.count("AssumeRole"), 2);
    assert_ne!(
        cache.credentials().await.unwrap().secret_id(),
        first.secret_id()
    );
    // Credentials used past their expiry are refused with AuthFailure.TokenFailure.
    let stale = trtc(&endpoint, first.clone());
    endpoint.set_clock_offset(901);
    let err = seed_request(&stale).send().await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code(),
        ErrorCode::AuthFailureTokenFailure,
        "{err}"
    );
    // Without the token they are refused too.
    endpoint.set_clock_offset(0);
    let tokenless = Credentials::new(first.secret_id(), first.secret_key().expose());
    let err = seed_request(&trtc(&endpoint, tokenless))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.service_error().unwrap().code(),
        ErrorCode::AuthFailureTokenFailure
    );
    let secrets = [
        first.secret_key().expose(),
        first.token().unwrap().expose(),
        DEFAULT_SECRET_KEY,
    ];
    assert_no_secret(
        &format!("{role:?} {cache:?} {first:?} {err} {err:?}"),
        &secrets,
    );
    assert_no_secret(&logs(), &secrets);
    // A role STS refuses: a typed error naming the provider.
    let bad = AssumeRoleProvider::builder(ROLE, "svc")
        .source(Credentials::new(DEFAULT_SECRET_ID, "not-the-key"))
        .endpoint(Endpoint::Url(endpoint.url()))
        .build()
        .unwrap();
    let e = CredentialsError::from(bad.assume_role().await.unwrap_err());
    assert!(
        e.to_string().contains("STS AssumeRole")
            && e.to_string().contains("AuthFailure.SignatureFailure"),
        "{e}"
    );
    assert_no_secret(&e.to_string(), &["not-the-key"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sts_call_for_a_hundred_concurrent_calls_at_expiry() {
    capture_logs();
    let endpoint = LocalEndpoint::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let clock = ManualTimeSource::new(SystemTime::now());
    let cache = IdentityCache::builder(assume_role(&endpoint, 3600))
        .time_source(clock.clone())
        .build();
    let client = trtc(&endpoint, cache.clone());
    for round in 1..=2u64 {
        let mut calls = Vec::new();
        for _ in 0..100 {
            let client = client.clone();
            calls.push(tokio::spawn(async move {
                client
                    .describe_room_info()
                    .sdk_app_id(1_400_000_001)
                    .start_time(1_700_000_000)
                    .end_time(1_700_000_600)
                    .send()
                    .await
            }));
        }
        for c in calls {
            c.await.unwrap().expect("accepted");
        }
        assert_eq!(
            endpoint.count("AssumeRole") as u64,
            round,
            "100 calls, one STS call"
        );
        assert_eq!(endpoint.count("DescribeRoomInfo") as u64, 100 * round);
        // Past the refresh point: the next 100 calls share one refresh.
        clock.advance(Duration::from_secs(3600 - 299));
    }
    assert_eq!(cache.refresh_count(), 2);
}

#[tokio::test]
async fn scf_runtime_variables() {
    let _g = ENV.lock().await;
    clear_env();
    let endpoint = LocalEndpoint::builder()
        .temporary_credentials("AKIDscf", "scf-secret-key", "scf-session-token")
        .start()
        .await
        .unwrap();
    assert!(matches!(
        ScfProvider::new().load(),
        Err(CredentialsError::NotConfigured { .. })
    ));
    std::env::set_var("TENCENTCLOUD_SECRETID", "AKIDscf");
    let e = ScfProvider::new().load().unwrap_err();
    assert!(e.to_string().contains("TENCENTCLOUD_SECRETKEY"), "{e}");
    std::env::set_var("TENCENTCLOUD_SECRETKEY", "scf-secret-key");
    std::env::set_var("TENCENTCLOUD_SESSIONTOKEN", "scf-session-token");
    let chain = DefaultCredentialsChain::new();
    seed_request(&trtc(&endpoint, chain.clone()))
        .send()
        .await
        .expect("accepted");
    let c = chain.resolved().unwrap().credentials().await.unwrap();
    assert_eq!(c.provider(), "SCF runtime");
    assert_no_secret(
        &format!("{c:?} {chain:?}"),
        &["scf-secret-key", "scf-session-token"],
    );
    clear_env();
}

/// A stand-in for tccli's login service: answers `/refresh_user_token` and
/// `/get_temp_cred` from a script, counting calls.
struct OauthStandIn {
    url: String,
    paths: Arc<Mutex<Vec<String>>>,
}

async fn oauth_stand_in(answers: Vec<(&'static str, serde_json::Value)>) -> OauthStandIn {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let paths = Arc::new(Mutex::new(Vec::new()));
    let seen = paths.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head and a Content-Length body.
            let (head_end, len) = loop {
                let n = s.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
                    let len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    break (i + 4, len);
                }
            };
            while buf.len() < head_end + len {
                let n = s.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let line = String::from_utf8_lossy(&buf[..head_end])
                .lines()
                .next()
                .unwrap_or("")
                .to_owned();
            let path = line.split(' ').nth(1).unwrap_or("").to_owned();
            seen.lock().unwrap().push(path.clone());
            let body = answers
                .iter()
                .find(|(p, _)| path.ends_with(p))
                .map(|(_, v)| v.to_string())
                .unwrap_or_else(|| "{}".into());
            let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            let _ = s.write_all(reply.as_bytes()).await;
        }
    });
    OauthStandIn { url, paths }
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[tokio::test]
async fn tccli_profiles_of_every_type() {
    capture_logs();
    let dir = scratch("tccli");
    let endpoint = LocalEndpoint::builder()
        .temporary_credentials("AKIDoauthfresh", "oauth-fresh-key", "oauth-fresh-token")
        .credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
        .start()
        .await
        .unwrap();
    let write = |name: &str, v: serde_json::Value| {
        std::fs::write(dir.join(format!("{name}.credential")), v.to_string()).unwrap()
    };
    let provider = |name: &str, url: &str| {
        TccliProfileProvider::builder()
            .dir(&dir)
            .profile(name)
            .oauth_url(url)
            .build()
    };
    // Static keys (no type).
    write(
        "plain",
        serde_json::json!({"secretId": DEFAULT_SECRET_ID, "secretKey": DEFAULT_SECRET_KEY}),
    );
    seed_request(&trtc(&endpoint, provider("plain", "http://127.0.0.1:9")))
        .send()
        .await
        .unwrap();
    // An expired oauth login, refreshed the way tccli does.
    let now = unix_now();
    let oauth = |expires: f64, access_expires: f64| {
        serde_json::json!({
            "type": "oauth", "secretId": "AKIDoauthold", "secretKey": "oauth-old-key", "token": "oauth-old-token",
            "expiresAt": expires,
            "oauth": {"openId": "open-1", "accessToken": "access-old", "expiresAt": access_expires, "refreshToken": "refresh-secret", "site": "cn"}
        })
    };
    write("login", oauth(now - 10.0, now - 10.0));
    let stand_in = oauth_stand_in(vec![
        ("/refresh_user_token", serde_json::json!({"AccessToken": "access-new", "ExpiresAt": now + 86400.0})),
        ("/get_temp_cred", serde_json::json!({"SecretId": "AKIDoauthfresh", "SecretKey": "oauth-fresh-key", "Token": "oauth-fresh-token", "ExpiresAt": now + 3600.0})),
    ]).await;
    let login = IdentityCache::new(provider("login", &stand_in.url));
    seed_request(&trtc(&endpoint, login.clone()))
        .send()
        .await
        .expect("refreshed login accepted");
    assert_eq!(
        *stand_in.paths.lock().unwrap(),
        ["/refresh_user_token", "/get_temp_cred"]
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("login.credential")).unwrap())
            .unwrap();
    assert_eq!(saved["secretId"], "AKIDoauthfresh");
    assert_eq!(saved["oauth"]["accessToken"], "access-new");
    assert_eq!(saved["oauth"]["refreshToken"], "refresh-secret");
    assert_eq!(saved["type"], "oauth");
    // A login whose refresh is refused: an error naming the profile and `tccli auth login`.
    write("stale", oauth(now - 10.0, now - 10.0));
    let refusing = oauth_stand_in(vec![(
        "/refresh_user_token",
        serde_json::json!({"Error": {"Code": "InvalidRefreshToken", "Message": "expired"}}),
    )])
    .await;
    let e = provider("stale", &refusing.url).load().await.unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("profile `stale`")
            && text.contains("tccli auth login")
            && text.contains("InvalidRefreshToken"),
        "{text}"
    );
    // An sso login past its expiry.
    write(
        "sso",
        serde_json::json!({"type": "sso", "secretId": "AKIDsso", "secretKey": "sso-key", "token": "sso-token", "expiresAt": now - 1.0, "sso": {}}),
    );
    let text = provider("sso", "http://127.0.0.1:9")
        .load()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("profile `sso`") && text.contains("tccli sso login"),
        "{text}"
    );
    // role-arn and role-session-name: the keys assume the role, as tccli does.
    write(
        "role",
        serde_json::json!({"secretId": DEFAULT_SECRET_ID, "secretKey": DEFAULT_SECRET_KEY, "role-arn": ROLE, "role-session-name": "ops"}),
    );
    std::fs::write(
        dir.join("role.configure"),
        serde_json::json!({"sts": {"endpoint": endpoint.url()}}).to_string(),
    )
    .unwrap();
    let c = provider("role", "http://127.0.0.1:9").load().await.unwrap();
    assert_eq!(c.provider(), "STS AssumeRole");
    seed_request(&trtc(&endpoint, c))
        .send()
        .await
        .expect("assumed role accepted");
    // Malformed profiles name the file.
    std::fs::write(dir.join("broken.credential"), "{not json").unwrap();
    let text = provider("broken", "").load().await.unwrap_err().to_string();
    assert!(
        text.contains("profile `broken`")
            && text.contains("broken.credential")
            && text.contains("not JSON"),
        "{text}"
    );
    write("odd", serde_json::json!({"type": "saml"}));
    let text = provider("odd", "").load().await.unwrap_err().to_string();
    assert!(
        text.contains("unknown credential `type` \"saml\""),
        "{text}"
    );
    write("half", serde_json::json!({"secretId": "AKIDx"}));
    let text = provider("half", "").load().await.unwrap_err().to_string();
    assert!(
        text.contains("profile `half`") && text.contains("secretKey"),
        "{text}"
    );
    assert_no_secret(
        &format!("{text} {login:?}"),
        &["refresh-secret", "oauth-fresh-key", "oauth-old-key"],
    );
    assert_no_secret(
        &logs(),
        &[
            "refresh-secret",
            "oauth-fresh-key",
            "oauth-fresh-token",
            "access-new",
        ],
    );
}

#[tokio::test]
async fn malformed_profile_file_names_the_file() {
    let dir = scratch("ini");
    let file = dir.join("credentials");
    std::fs::write(&file, "[default\nsecret_id = A\n").unwrap();
    let e = tencentcloud_runtime::ProfileProvider::new()
        .path(&file)
        .load()
        .unwrap_err();
    assert!(
        e.to_string().contains(&file.display().to_string()) && e.to_string().contains("line 1"),
        "{e}"
    );
    // Through a client: a credentials error, nothing sent.
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let err = seed_request(&trtc(
        &endpoint,
        tencentcloud_runtime::ProfileProvider::new().path(&file),
    ))
    .send()
    .await
    .unwrap_err();
    assert!(matches!(err, SdkError::Credentials(_)), "{err}");
    assert!(endpoint.calls().is_empty());
}
