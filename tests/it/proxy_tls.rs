//! Proxies and TLS, for real: a TLS server (its CA made at run time) in front
//! of the local endpoint, and a proxy started by the test that records what
//! went through it.
//!
//! - an extra root certificate in the configuration makes the server trusted
//!   (without it the connection fails);
//! - an explicit proxy tunnels HTTPS with `CONNECT`;
//! - `HTTPS_PROXY` and `NO_PROXY` from the environment are honoured. The
//!   environment is the process's, so those calls run in a child process (this
//!   test binary, one ignored test) with its own environment: no other test
//!   can see the variables, whatever binary the tests end up in.

use std::sync::Arc;

use tencentcloud_local_endpoint::proxy::LocalProxy;
use tencentcloud_local_endpoint::LocalEndpoint;
use tencentcloud_runtime::{ConfigError, DispatchKind, SdkError};
use tencentcloud_tests::{config_for, seed_request};
use tencentcloud_trtc::Client;

/// A CA, and a TLS server for `localhost` signed by it that forwards every
/// connection to `upstream` (plain TCP).
struct TlsFront {
    ca_pem: String,
    port: u16,
}

async fn tls_front(upstream: std::net::SocketAddr) -> TlsFront {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "tencentcloud tests CA");
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    TlsFront {
        ca_pem: ca.pem(),
        port,
    }
}

fn https_config(endpoint: &LocalEndpoint, front: &TlsFront) -> tencentcloud_runtime::ConfigBuilder {
    config_for(endpoint)
        .endpoint_url(format!("https://localhost:{}", front.port))
        .retry(tencentcloud_runtime::RetryConfig::disabled())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_extra_root_certificate_and_an_explicit_proxy() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let front = tls_front(endpoint.addr()).await;
    // Not trusted without the CA: the connection fails, nothing reaches the endpoint.
    let untrusted = Client::new(
        https_config(&endpoint, &front)
            .proxy_from_env(false)
            .build()
            .unwrap(),
    )
    .unwrap();
    let err = seed_request(&untrusted).send().await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Dispatch(d) if d.kind() == DispatchKind::Connect),
        "{err}"
    );
    assert_eq!(endpoint.calls().len(), 0);
    // Trusted with it.
    let trusted = Client::new(
        https_config(&endpoint, &front)
            .root_certificate_pem(&front.ca_pem)
            .proxy_from_env(false)
            .build()
            .unwrap(),
    )
    .unwrap();
    seed_request(&trusted).send().await.unwrap();
    assert_eq!(endpoint.calls().len(), 1);
    // Through an explicit proxy: a CONNECT tunnel.
    let proxy = LocalProxy::start().await.unwrap();
    let proxied = Client::new(
        https_config(&endpoint, &front)
            .root_certificate_pem(&front.ca_pem)
            .proxy(proxy.url())
            .build()
            .unwrap(),
    )
    .unwrap();
    seed_request(&proxied).send().await.unwrap();
    assert_eq!(
        proxy.requests(),
        [format!("CONNECT localhost:{} HTTP/1.1", front.port)]
    );
    assert_eq!(endpoint.calls().len(), 2);
    // A root certificate that is not PEM is refused when building.
    let e = config_for(&endpoint)
        .root_certificate_pem(
            "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
        )
        .build()
        .unwrap_err();
    assert!(matches!(e, ConfigError::InvalidCertificate(_)), "{e}");
}

/// The environment's proxy: run in a child process with `HTTPS_PROXY` set,
/// and again with `NO_PROXY` naming the host.
#[tokio::test(flavor = "multi_thread")]
async fn https_proxy_and_no_proxy_from_the_environment() {
    let endpoint = LocalEndpoint::builder().start().await.unwrap();
    let front = tls_front(endpoint.addr()).await;
    let proxy = LocalProxy::start().await.unwrap();
    let child = |no_proxy: &str| {
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        cmd.args(["--exact", &child_test_name(), "--ignored", "--nocapture"])
            .env("HTTPS_PROXY", proxy.url())
            .env("NO_PROXY", no_proxy)
            .env_remove("https_proxy")
            .env_remove("no_proxy")
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .env("TC_CHILD_URL", format!("https://localhost:{}", front.port))
            .env("TC_CHILD_ENDPOINT", endpoint.url())
            .env("TC_CHILD_CA", &front.ca_pem);
        cmd
    };
    let run = |mut cmd: std::process::Command| async move {
        let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "child failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            stdout.contains("1 passed"),
            "the child ran its test: {stdout}"
        );
    };
    run(child("")).await;
    assert_eq!(
        proxy.requests(),
        [format!("CONNECT localhost:{} HTTP/1.1", front.port)],
        "HTTPS_PROXY was used"
    );
    assert_eq!(endpoint.calls().len(), 1);
    run(child("localhost")).await;
    assert_eq!(proxy.requests().len(), 1, "NO_PROXY bypassed the proxy");
    assert_eq!(endpoint.calls().len(), 2);
}

/// The child test's name as the harness knows it: `env_proxy_child` in this
/// binary, `proxy_tls::env_proxy_child` if the file becomes a module of a
/// larger test binary.
fn child_test_name() -> String {
    match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::env_proxy_child"),
        None => "env_proxy_child".to_owned(),
    }
}

/// The child of the test above: one call with the environment it was given.
#[tokio::test]
#[ignore = "run by https_proxy_and_no_proxy_from_the_environment in a child process"]
async fn env_proxy_child() {
    let (Ok(url), Ok(ca)) = (std::env::var("TC_CHILD_URL"), std::env::var("TC_CHILD_CA")) else {
        panic!("run by https_proxy_and_no_proxy_from_the_environment only");
    };
    let config = tencentcloud_runtime::Config::builder()
        .credentials(tencentcloud_runtime::Credentials::new(
            tencentcloud_local_endpoint::DEFAULT_SECRET_ID,
            tencentcloud_local_endpoint::DEFAULT_SECRET_KEY,
        ))
        .region("ap-guangzhou")
        .endpoint_url(url)
        .root_certificate_pem(ca)
        .retry(tencentcloud_runtime::RetryConfig::disabled())
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    seed_request(&client).send().await.unwrap();
}
