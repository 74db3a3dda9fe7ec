//! `trtc`'s credentials: tccli's global flags in both spellings, an assumed
//! role, and tccli `oauth` logins, against the local endpoint serving STS and TRTC.

use std::process::{Command, Output};

use tencentcloud_local_endpoint::{LocalEndpoint, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};

const BIN: &str = env!("CARGO_BIN_EXE_trtc");

fn home() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "trtc-creds-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir_all(d.join(".tccli")).unwrap();
    d
}

/// The binary with nothing in the environment but HOME and the endpoint.
fn trtc(ep: &LocalEndpoint, home: &std::path::Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env_clear()
        .env("HOME", home)
        .env("TENCENTCLOUD_ENDPOINT", ep.url())
        .env("TENCENTCLOUD_REGION", "ap-guangzhou")
        .env("TENCENTCLOUD_TCCLI_OAUTH_URL", "http://127.0.0.1:9")
        .args([
            "describe-room-info",
            "--sdk-app-id",
            "1400000001",
            "--start-time",
            "1700000000",
            "--end-time",
            "1700000600",
            "--no-paginate",
        ])
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn tccli_flags_in_both_spellings_and_an_assumed_role() {
    let ep = LocalEndpoint::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let h = home();
    // Nothing configured: a credentials error (exit 3).
    let o = trtc(&ep, &h, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    for (id, key) in [
        ("--secretId", "--secretKey"),
        ("--secret-id", "--secret-key"),
    ] {
        let o = trtc(&ep, &h, &[id, DEFAULT_SECRET_ID, key, DEFAULT_SECRET_KEY]);
        assert!(o.status.success(), "{}", text(&o));
    }
    let o = trtc(&ep, &h, &["--secret-id", DEFAULT_SECRET_ID]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--secret-key"),
        "{}",
        text(&o)
    );
    // --role-arn and --role-session-name: the keys sign AssumeRole, the role calls TRTC.
    let o = trtc(
        &ep,
        &h,
        &[
            "--secretId",
            DEFAULT_SECRET_ID,
            "--secretKey",
            DEFAULT_SECRET_KEY,
            "--role-arn",
            "qcs::cam::uin/1:roleName/ops",
            "--role-session-name",
            "cli",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(ep.count("AssumeRole"), 1);
    let issued = ep.issued_credentials();
    let last = ep
        .calls()
        .into_iter()
        .rfind(|c| c.action == "DescribeRoomInfo")
        .unwrap();
    assert!(last
        .header("authorization")
        .unwrap()
        .contains(&issued[0].secret_id));
    let o = trtc(&ep, &h, &["--role-arn", "qcs::cam::uin/1:roleName/ops"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!text(&o).contains(DEFAULT_SECRET_KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_tccli_login_names_the_profile_and_tccli_auth_login() {
    let ep = LocalEndpoint::builder()
        .rate_limits(false)
        .start()
        .await
        .unwrap();
    let h = home();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let login = serde_json::json!({
        "type": "oauth", "secretId": DEFAULT_SECRET_ID, "secretKey": DEFAULT_SECRET_KEY, "token": "t",
        "expiresAt": now - 60.0,
        "oauth": {"openId": "o", "accessToken": "a", "expiresAt": now - 60.0, "refreshToken": "refresh-secret", "site": "cn"}
    });
    std::fs::write(h.join(".tccli/work.credential"), login.to_string()).unwrap();
    let o = trtc(&ep, &h, &["--profile", "work"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("profile `work`") && err.contains("tccli auth login"),
        "{}",
        text(&o)
    );
    assert!(
        !err.contains("refresh-secret") && !err.contains(DEFAULT_SECRET_KEY),
        "{err}"
    );
    assert_eq!(
        ep.count("DescribeRoomInfo"),
        0,
        "nothing sent with an expired login"
    );
}
