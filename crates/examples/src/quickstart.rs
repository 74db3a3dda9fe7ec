//! The quickstart's lifecycle, as a library so it is tested: the example
//! binary only reads its arguments and the environment, then calls [`run`].

use tencentcloud_trtc::model::{AsrParam, RoomIdType, TranscriptionParam};
use tencentcloud_trtc::Client;
use tencentcloud_trtc_server::usersig::TlsSigApi;
use tencentcloud_trtc_server::SecretKey;

/// What to transcribe, and as whom.
#[derive(Clone, Debug)]
pub struct Options {
    /// SdkAppId of the TRTC application.
    pub sdk_app_id: u64,
    /// The room to transcribe.
    pub room_id: String,
    /// The UserId the transcription bot joins the room as.
    pub user_id: String,
    /// A UserSig for that UserId; `None` makes one from the application key.
    pub user_sig: Option<String>,
    /// How long a generated UserSig is valid, in seconds.
    pub user_sig_validity: u64,
    /// The ASR model.
    pub lang: String,
}

/// What the lifecycle produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The task started.
    pub task_id: String,
    /// Its status while running.
    pub status: String,
    /// Its start time, ms since the Unix epoch.
    pub start_time: u64,
}

fn redact(sig: &str) -> String {
    let shown: String = sig.chars().take(4).collect();
    format!("{shown}… ({} chars)", sig.chars().count())
}

/// The bot's UserSig: `opts.user_sig`, or one made from `app_key`.
pub fn user_sig(opts: &Options, app_key: Option<&SecretKey>) -> Result<String, String> {
    if let Some(sig) = &opts.user_sig {
        return Ok(sig.clone());
    }
    let key = app_key.ok_or(
        "the bot needs a UserSig: set TRTC_SDK_SECRET_KEY (the application's key from the \
         TRTC console) to generate one, or pass --user-sig",
    )?;
    key.validate()
        .map_err(|e| format!("the application key: {e}"))?;
    Ok(TlsSigApi::new(opts.sdk_app_id, key.clone())
        .user_sig(&opts.user_id, opts.user_sig_validity)
        .sign())
}

/// Starts a transcription (CreateCloudTranscription), queries it
/// (DescribeCloudTranscription) and stops it (DeleteCloudTranscription),
/// printing each step with `say`.
pub async fn run(
    client: &Client,
    app_key: Option<&SecretKey>,
    opts: &Options,
    mut say: impl FnMut(String),
) -> Result<Outcome, String> {
    let user_sig = user_sig(opts, app_key)?;
    let room_id_type = if opts.room_id.parse::<u64>().is_ok() {
        RoomIdType::Integer
    } else {
        RoomIdType::String
    };
    say(format!(
        "CreateCloudTranscription: SdkAppId {}, room {} ({room_id_type:?}), user {}, UserSig {}",
        opts.sdk_app_id,
        opts.room_id,
        opts.user_id,
        redact(&user_sig)
    ));
    let created = client
        .create_cloud_transcription()
        .sdk_app_id(opts.sdk_app_id)
        .room_id(&opts.room_id)
        .room_id_type(room_id_type)
        .transcription_param(
            TranscriptionParam::builder()
                .user_id(&opts.user_id)
                .user_sig(&user_sig)
                .max_idle_time(30)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .asr_param(
            AsrParam::builder()
                .lang(&opts.lang)
                .build()
                .map_err(|e| e.to_string())?,
        )
        .send()
        .await
        .map_err(|e| e.to_string())?;
    say(format!("  TaskId    {}", created.task_id));
    say(format!("  RequestId {}", created.request_id));

    let described = client
        .describe_cloud_transcription()
        .sdk_app_id(opts.sdk_app_id)
        .task_id(&created.task_id)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    say("DescribeCloudTranscription:".to_owned());
    say(format!("  Status    {}", described.status));
    say(format!(
        "  StartTime {} (ms since the Unix epoch)",
        described.start_time
    ));

    let deleted = client
        .delete_cloud_transcription()
        .sdk_app_id(opts.sdk_app_id)
        .task_id(&created.task_id)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    say("DeleteCloudTranscription:".to_owned());
    say(format!("  stopped   {}", deleted.task_id));
    Ok(Outcome {
        task_id: created.task_id,
        status: described.status.to_string(),
        start_time: described.start_time,
    })
}

/// A simulated TKE pod: the local endpoint serving STS and TRTC, accepting no
/// long-lived key this process knows (only one it generated and forgot), an
/// OIDC token file, and the four TKE variables set in this process. The
/// client's credentials come from the default chain (`tencentcloud-config`),
/// which finds the pod identity and trades the token for temporary
/// credentials with STS `AssumeRoleWithWebIdentity`.
pub struct SimulatedTkePod {
    /// The endpoint (STS and TRTC).
    pub endpoint: tencentcloud_local_endpoint::LocalEndpoint,
    /// A client whose credentials come from the pod identity.
    pub client: Client,
    /// The chain, to see which provider it settled on.
    pub chain: tencentcloud_config::DefaultCredentialsChain,
    dir: std::path::PathBuf,
}

impl Drop for SimulatedTkePod {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl SimulatedTkePod {
    /// Starts the endpoint, writes the token file and sets `TKE_REGION`,
    /// `TKE_PROVIDER_ID`, `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN`.
    pub async fn start(region: &str) -> Result<SimulatedTkePod, String> {
        use tencentcloud_local_endpoint::LocalEndpoint;
        let random = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[fastrand::usize(0..36)])
                })
                .collect()
        };
        let token = format!("oidc.{}", random(48));
        let endpoint = LocalEndpoint::builder()
            // The only long-lived key the endpoint accepts: random, never kept.
            .credentials(format!("AKID{}", random(32)), random(32))
            .web_identity_token(token.clone())
            .start()
            .await
            .map_err(|e| format!("cannot start the local endpoint: {e}"))?;
        let dir =
            std::env::temp_dir().join(format!("tke-pod-{}-{}", std::process::id(), random(8)));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let file = dir.join("token");
        std::fs::write(&file, token).map_err(|e| e.to_string())?;
        std::env::set_var("TKE_REGION", region);
        std::env::set_var("TKE_PROVIDER_ID", "tke-cluster-oidc");
        std::env::set_var("TKE_WEB_IDENTITY_TOKEN_FILE", &file);
        std::env::set_var(
            "TKE_ROLE_ARN",
            "qcs::cam::uin/100000000001:roleName/trtc-transcriber",
        );
        let chain = tencentcloud_config::DefaultCredentialsChain::builder()
            .sts_endpoint(tencentcloud_trtc::Endpoint::Url(endpoint.url()))
            .build();
        let config = tencentcloud_trtc::Config::builder()
            .credentials_provider(chain.clone())
            .region(region)
            .endpoint_url(endpoint.url())
            .build()
            .map_err(|e| e.to_string())?;
        let client = Client::new(config).map_err(|e| e.to_string())?;
        Ok(SimulatedTkePod {
            endpoint,
            client,
            chain,
            dir,
        })
    }
}
