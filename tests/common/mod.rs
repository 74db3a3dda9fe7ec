//! Helpers shared by the cross-crate tests.

use std::path::{Path, PathBuf};

pub mod receivers;
pub mod tools;

use tencentcloud_codegen::spec::{CommonErrors, Spec};
use tencentcloud_local_endpoint::{
    LocalEndpoint, DEFAULT_APP_KEY, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};
use tencentcloud_runtime::{Config, ConfigBuilder, Credentials};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// The TRTC spec and the common errors, as committed.
pub fn trtc_spec() -> (Spec, CommonErrors) {
    let spec: Spec =
        tencentcloud_codegen::spec::read_json(&root().join("spec/trtc-2019-07-22.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let common: CommonErrors =
        tencentcloud_codegen::spec::read_json(&root().join("spec/common-errors.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    (spec, common)
}

/// A config pointing at `endpoint` with its default test key.
pub fn config_for(endpoint: &LocalEndpoint) -> ConfigBuilder {
    Config::builder()
        .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY))
        .region("ap-guangzhou")
        .endpoint_url(endpoint.url())
}

/// Starts an endpoint and a TRTC client configured for it.
pub async fn endpoint_and_client() -> (LocalEndpoint, tencentcloud_trtc::Client) {
    let endpoint = LocalEndpoint::builder()
        .start()
        .await
        .expect("start local endpoint");
    let client = tencentcloud_trtc::Client::new(config_for(&endpoint).build().expect("config"))
        .expect("client");
    (endpoint, client)
}

/// A UserSig the local endpoint accepts (signed with its default application key).
pub fn user_sig(sdk_app_id: u64, user_id: &str) -> String {
    tencentcloud_trtc_server::usersig::TlsSigApi::new(sdk_app_id, DEFAULT_APP_KEY)
        .user_sig(user_id, 86_400)
        .sign()
}

/// The seed request's bot UserSig: valid for the local endpoint (the seed's own
/// is elided, `eJjdaVgrxCdYrzkx*************BLATRT`).
pub fn seed_user_sig() -> String {
    user_sig(14_000_000, "trtc_test_1")
}

/// Replaces every `UserSig` in a request body (at any depth) with one the
/// local endpoint accepts for the body's `SdkAppId` and the `UserId` beside it.
pub fn with_valid_user_sigs(body: &mut serde_json::Value) {
    fn walk(v: &mut serde_json::Value, app: u64) {
        match v {
            serde_json::Value::Object(m) => {
                let user = m
                    .get("UserId")
                    .and_then(|u| u.as_str())
                    .unwrap_or("")
                    .to_owned();
                for (k, child) in m.iter_mut() {
                    if k == "UserSig" && child.is_string() {
                        *child = serde_json::Value::String(user_sig(app, &user));
                    } else {
                        walk(child, app);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|e| walk(e, app)),
            _ => {}
        }
    }
    let app = body["SdkAppId"].as_u64().unwrap_or(0);
    walk(body, app);
}

/// The seed document's CreateCloudTranscription request, as the client builds it.
pub fn seed_request(
    client: &tencentcloud_trtc::Client,
) -> tencentcloud_trtc::fluent::CreateCloudTranscriptionFluentBuilder {
    use tencentcloud_trtc::model::{
        AsrParam, CustomDataMode, RoomIdType, TranscriptionParam, TranscriptionUserInfoParams,
        TranslationParam,
    };
    client
        .create_cloud_transcription()
        .sdk_app_id(14_000_000)
        .room_id("295000")
        .room_id_type(RoomIdType::Integer)
        .transcription_param(
            TranscriptionParam::builder()
                .user_id("trtc_test_1")
                .user_sig(seed_user_sig())
                .subscribe_list(
                    TranscriptionUserInfoParams::builder()
                        .user_id("user_1")
                        .build()
                        .expect("user"),
                )
                .max_idle_time(30)
                .send_custom_mode(CustomDataMode::from(2))
                .build()
                .expect("transcription param"),
        )
        .asr_param(
            AsrParam::builder()
                .lang("16k_zh_en")
                .vad_silence_time(2000)
                .build()
                .expect("asr param"),
        )
        .translation_param(
            TranslationParam::builder()
                .target_lang("en")
                .build()
                .expect("translation param"),
        )
}

/// A stand-in for the CVM metadata service: answers the role list and the
/// role's temporary credentials, counting credential fetches.
pub struct MetadataServer {
    /// Base URL, e.g. `http://127.0.0.1:PORT`.
    pub url: String,
    fetches: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl MetadataServer {
    /// Serves role `role` whose credentials expire `ttl_s` seconds after each
    /// fetch; each fetch takes `delay`.
    pub async fn start(
        role: &'static str,
        ttl_s: i64,
        delay: std::time::Duration,
    ) -> MetadataServer {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        use tencentcloud_local_endpoint::http::{serve_connection, Reply, Request};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let fetches = Arc::new(AtomicUsize::new(0));
        let counter = fetches.clone();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    Ok((stream, _)) = listener.accept() => {
                        let counter = counter.clone();
                        tokio::spawn(serve_connection(stream, move |req: Request| {
                            let counter = counter.clone();
                            async move {
                                let list = "/latest/meta-data/cam/security-credentials/";
                                let (status, body) = if req.path == list {
                                    (200, format!("{role}\n"))
                                } else if req.path == format!("{list}{role}") {
                                    tokio::time::sleep(delay).await;
                                    let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                                    let now = std::time::SystemTime::now()
                                        .duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
                                    (200, serde_json::json!({
                                        "TmpSecretId": "AKIDtemporary",
                                        "TmpSecretKey": "temporary-secret-key",
                                        "Token": format!("token-{n}"),
                                        "ExpiredTime": now + ttl_s,
                                        "Expiration": "",
                                        "Code": "Success"
                                    }).to_string())
                                } else {
                                    (404, "not found".to_owned())
                                };
                                Reply::Full { status, body: body.into_bytes(), date: httpdate_now() }
                            }
                        }, httpdate_now));
                    }
                    _ = &mut rx => break,
                }
            }
        });
        MetadataServer {
            url,
            fetches,
            _stop: tx,
        }
    }

    /// How many times the role's credentials were fetched.
    pub fn fetches(&self) -> usize {
        self.fetches.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn httpdate_now() -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now())
}
