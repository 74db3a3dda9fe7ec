//! A local stand-in for a Tencent Cloud API 3.0 endpoint, for tests and demos.
//!
//! Driven by specs at run time (any service in them), it serves `POST /` on
//! 127.0.0.1 and checks requests the way the real endpoint does, answering with
//! the real error codes: TC3-HMAC-SHA256 signatures (malformed header, unknown
//! SecretId, wrong signature, scope or date, expired timestamp, bad token),
//! action, version and region, the body against the action's input shape
//! (missing, unknown and mistyped members), UserSigs in requests
//! (`InvalidParameter.UserSig`, checked with the application's key and
//! remembered once verified), and each action's rate limit.
//!
//! TRTC's task lifecycles behave like the service: `CreateCloudTranscription`
//! starts a task with a fresh TaskId, `DescribeCloudTranscription` reports it,
//! `DeleteCloudTranscription` stops it, and an unknown TaskId gets
//! `ResourceNotFound`; cloud recording (`CreateCloudRecording`,
//! `DescribeCloudRecording`, `ModifyCloudRecording`, `DeleteCloudRecording`)
//! likewise. Listings page over a configurable number of items; `TextToSpeechSSE`
//! answers as an event stream. Other actions answer with their documented
//! example, or a minimal valid output.
//!
//! Event callbacks (recording's, as the lifecycle runs) are delivered to a
//! configured URL, signed with the callback key, on TRTC's retry schedule
//! (`delivery.rs`), with a record of each delivery.
//!
//! Faults can be injected for the next calls: an error code, a delay, a dropped
//! connection, an HTTP status, a malformed, truncated or oversized body, values
//! drifted from their documented types.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use tencentcloud_local_endpoint::{Fault, LocalEndpoint};
//!
//! let endpoint = LocalEndpoint::builder().start().await?;
//! println!("serving on {}", endpoint.url());
//! endpoint.inject(Fault::status(503), 2);
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod ai;
mod behavior;
mod delivery;
mod fault;
pub mod http;
pub mod proxy;
mod service;
mod sts;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tencentcloud_spec::{CommonErrors, Spec, SpecErrors};
use tokio::net::TcpListener;

pub use behavior::{MixTranscode, Recording, Task};
pub use delivery::{CallbackTarget, DeliveryAttempt, RetrySchedule};
pub use fault::{Fault, FaultFlag};
pub use sts::IssuedCredentials;
pub use tencentcloud_trtc_server::SecretKey;

/// The SecretId the endpoint accepts unless told otherwise.
pub const DEFAULT_SECRET_ID: &str = "AKIDLOCALENDPOINT0000000000000000000";
/// The application key (the TRTC console's "SDKSecretKey") the endpoint checks
/// UserSigs with, for every SdkAppId not given its own key with
/// [`LocalEndpointBuilder::app`].
pub const DEFAULT_APP_KEY: &str = "local-endpoint-application-key-for-usersigs";

/// The SecretKey the endpoint accepts unless told otherwise.
pub const DEFAULT_SECRET_KEY: &str = "local-endpoint-secret-key-not-a-real-one";

const TRTC_SPEC: &str = include_str!("../spec/trtc-2019-07-22.json");
const STS_SPEC: &str = include_str!("../spec/sts-2018-08-13.json");
const COMMON_ERRORS: &str = include_str!("../spec/common-errors.json");

/// The specs this crate was built with (the project's `spec/` directory).
pub fn embedded_specs() -> Result<(Vec<Spec>, CommonErrors), SpecErrors> {
    let spec: Spec =
        tencentcloud_spec::parse_json(Path::new("spec/trtc-2019-07-22.json"), TRTC_SPEC)?;
    let common: CommonErrors =
        tencentcloud_spec::parse_json(Path::new("spec/common-errors.json"), COMMON_ERRORS)?;
    let sts: Spec = tencentcloud_spec::parse_json(Path::new("spec/sts-2018-08-13.json"), STS_SPEC)?;
    Ok((vec![spec, sts], common))
}

/// Loads and validates a spec file. (`common` is not needed to serve a spec:
/// the endpoint answers with the codes its checks and lifecycles name.)
pub fn load_spec(path: &Path, common: &CommonErrors) -> Result<Spec, SpecErrors> {
    let _ = common;
    tencentcloud_spec::load(path)
}

/// A key pair the endpoint accepts.
#[derive(Clone)]
pub struct AcceptedKey {
    /// The SecretId.
    pub secret_id: String,
    /// The SecretKey.
    pub secret_key: String,
    /// For temporary credentials: the token that must come as `X-TC-Token`.
    pub token: Option<String>,
}

impl std::fmt::Debug for AcceptedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AcceptedKey")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

/// One call as the endpoint saw it.
#[derive(Clone, Debug)]
pub struct CallRecord {
    /// `X-TC-Action` (empty if absent).
    pub action: String,
    /// `X-TC-Region` (empty if absent).
    pub region: String,
    /// `ok`, the error code answered, or the fault applied.
    pub verdict: String,
    /// Time from request read to response ready.
    pub latency: Duration,
    /// Request headers, lower-cased; `x-tc-token` is redacted.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
}

impl CallRecord {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Shared state of a running endpoint.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) specs: Vec<Spec>,
    pub(crate) keys: Vec<AcceptedKey>,
    pub(crate) max_skew: i64,
    pub(crate) clock_offset: AtomicI64,
    pub(crate) rate_limits: bool,
    pub(crate) strict_answers: bool,
    faults: Mutex<VecDeque<fault::FaultRule>>,
    pub(crate) tasks: Mutex<HashMap<String, Task>>,
    pub(crate) windows: Mutex<HashMap<String, VecDeque<tokio::time::Instant>>>,
    calls: Mutex<Vec<CallRecord>>,
    arrivals: Mutex<HashMap<String, usize>>,
    pub(crate) keep_calls: bool,
    /// How many items a paginated listing holds.
    pub(crate) listing_size: u64,
    /// Application keys by SdkAppId (UserSig checks), and the key for the others.
    pub(crate) apps: HashMap<u64, SecretKey>,
    pub(crate) default_app_key: SecretKey,
    /// UserSigs already verified: (SdkAppId, ticket) → (its UserId, expiry).
    pub(crate) verified_sigs: Mutex<HashMap<(u64, String), (String, u64)>>,
    /// Running cloud recordings by TaskId.
    pub(crate) recordings: Mutex<HashMap<String, Recording>>,
    /// Running MCU mix transcodes, one per room.
    pub(crate) mixes: Mutex<Vec<MixTranscode>>,
    /// Task lifecycles the waiters' Describe actions report, by TaskId.
    pub(crate) lifecycles: Mutex<HashMap<String, behavior::Lifecycle>>,
    /// Delivers event callbacks, when a callback URL is configured.
    pub(crate) deliverer: Option<delivery::Deliverer>,
    /// AI conversations and AI transcriptions.
    pub(crate) ai: Mutex<ai::AiState>,
    /// STS: the web identity accepted, the temporary credentials issued.
    pub(crate) sts: sts::StsState,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl State {
    pub(crate) fn now(&self) -> i64 {
        unix_now() + self.clock_offset.load(Ordering::Relaxed)
    }

    pub(crate) fn date_header(&self) -> String {
        let t = UNIX_EPOCH + Duration::from_secs(self.now().max(0) as u64);
        httpdate::fmt_http_date(t)
    }

    fn take_fault(&self, action: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let i = faults
            .iter()
            .position(|r| r.action.as_deref().is_none_or(|a| a == action))?;
        let rule = &mut faults[i];
        let fault = rule.fault.clone();
        rule.remaining -= 1;
        if rule.remaining == 0 {
            faults.remove(i);
        }
        Some(fault)
    }

    fn record(&self, record: CallRecord) {
        if self.keep_calls {
            lock(&self.calls).push(record);
        }
    }
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Configures and starts a [`LocalEndpoint`].
#[derive(Debug)]
pub struct LocalEndpointBuilder {
    specs: Option<Vec<Spec>>,
    keys: Vec<AcceptedKey>,
    port: u16,
    max_skew: Duration,
    clock_offset: i64,
    rate_limits: bool,
    strict_answers: bool,
    keep_calls: bool,
    listing_size: u64,
    apps: HashMap<u64, SecretKey>,
    callback: Option<CallbackTarget>,
    web_identity_token: Option<String>,
}

impl Default for LocalEndpointBuilder {
    fn default() -> Self {
        LocalEndpointBuilder {
            specs: None,
            keys: Vec::new(),
            port: 0,
            max_skew: Duration::from_secs(300),
            clock_offset: 0,
            rate_limits: true,
            strict_answers: true,
            keep_calls: true,
            listing_size: 23,
            apps: HashMap::new(),
            callback: None,
            web_identity_token: None,
        }
    }
}

impl LocalEndpointBuilder {
    /// Serves these specs instead of the embedded ones.
    pub fn specs(mut self, specs: Vec<Spec>) -> Self {
        self.specs = Some(specs);
        self
    }

    /// Accepts this key pair (may be called several times). Without any, the
    /// endpoint accepts [`DEFAULT_SECRET_ID`]/[`DEFAULT_SECRET_KEY`].
    pub fn credentials(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.keys.push(AcceptedKey {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
        });
        self
    }

    /// The OIDC token STS `AssumeRoleWithWebIdentity` accepts (a TKE pod's
    /// token file holds it); any other token is refused with
    /// `InvalidParameter.WebIdentityTokenError`. Without it every token is refused.
    pub fn web_identity_token(mut self, token: impl Into<String>) -> Self {
        self.web_identity_token = Some(token.into());
        self
    }

    /// Accepts temporary credentials: requests must also carry `token` as `X-TC-Token`.
    pub fn temporary_credentials(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.keys.push(AcceptedKey {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: Some(token.into()),
        });
        self
    }

    /// The port (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How far a request timestamp may be from the endpoint's clock (default 5 minutes).
    pub fn max_skew(mut self, d: Duration) -> Self {
        self.max_skew = d;
        self
    }

    /// Runs the endpoint's clock this many seconds ahead of the machine's
    /// (negative: behind); its `Date` header shows the same time.
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset = seconds;
        self
    }

    /// Enforces each action's documented rate limit (default on).
    pub fn rate_limits(mut self, on: bool) -> Self {
        self.rate_limits = on;
        self
    }

    /// Checks every answer the endpoint makes against the action's output
    /// shape (or its stream's event shape) before sending it (default on): an
    /// answer with an unknown member, a member of the wrong type or a missing
    /// required member is a bug of the endpoint, which then answers
    /// `InternalError` naming the problem (and logs it) instead of an answer
    /// the SDK would silently read as `None`. Turn it off only to serve answers
    /// off the spec on purpose (or to take its cost out of a benchmark).
    pub fn strict_answers(mut self, on: bool) -> Self {
        self.strict_answers = on;
        self
    }

    /// Keeps a record of every call for [`LocalEndpoint::calls`] (default on;
    /// turn off for long benchmarks).
    pub fn keep_calls(mut self, on: bool) -> Self {
        self.keep_calls = on;
        self
    }

    /// How many items every paginated listing (DescribeRoomInfo, DescribeUserInfo,
    /// ...) holds (default 23, so that default page sizes give a short last page).
    pub fn listing_size(mut self, items: u64) -> Self {
        self.listing_size = items;
        self
    }

    /// Checks the UserSigs of `sdk_app_id` with `key` (the application's key
    /// from the TRTC console) instead of [`DEFAULT_APP_KEY`].
    pub fn app(mut self, sdk_app_id: u64, key: impl Into<SecretKey>) -> Self {
        self.apps.insert(sdk_app_id, key.into());
        self
    }

    /// Delivers event callbacks (cloud recording events) to `url`, signed with
    /// `key`, on TRTC's retry schedule.
    pub fn callback(self, url: impl Into<String>, key: impl Into<SecretKey>) -> Self {
        self.callback_with(url, key, RetrySchedule::TRTC)
    }

    /// Delivers event callbacks to `url` on the given (e.g. shorter) retry schedule.
    pub fn callback_with(
        mut self,
        url: impl Into<String>,
        key: impl Into<SecretKey>,
        schedule: RetrySchedule,
    ) -> Self {
        self.callback = Some(CallbackTarget {
            url: url.into(),
            key: key.into(),
            schedule,
        });
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current tokio runtime.
    pub async fn start(self) -> std::io::Result<LocalEndpoint> {
        let specs = match self.specs {
            Some(s) => s,
            None => {
                embedded_specs()
                    .map_err(|e| {
                        std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
                    })?
                    .0
            }
        };
        let keys = if self.keys.is_empty() {
            vec![AcceptedKey {
                secret_id: DEFAULT_SECRET_ID.to_owned(),
                secret_key: DEFAULT_SECRET_KEY.to_owned(),
                token: None,
            }]
        } else {
            self.keys
        };
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            specs,
            keys,
            max_skew: self.max_skew.as_secs() as i64,
            clock_offset: AtomicI64::new(self.clock_offset),
            rate_limits: self.rate_limits,
            strict_answers: self.strict_answers,
            faults: Mutex::new(VecDeque::new()),
            tasks: Mutex::new(HashMap::new()),
            windows: Mutex::new(HashMap::new()),
            calls: Mutex::new(Vec::new()),
            arrivals: Mutex::new(HashMap::new()),
            keep_calls: self.keep_calls,
            listing_size: self.listing_size,
            apps: self.apps,
            default_app_key: SecretKey::new(DEFAULT_APP_KEY),
            verified_sigs: Mutex::new(HashMap::new()),
            recordings: Mutex::new(HashMap::new()),
            mixes: Mutex::new(Vec::new()),
            lifecycles: Mutex::new(HashMap::new()),
            deliverer: self.callback.map(delivery::Deliverer::new),
            ai: Mutex::new(ai::AiState::default()),
            sts: sts::StsState {
                web_identity_token: self.web_identity_token,
                ..Default::default()
            },
        });
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        let serve_state = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let st = serve_state.clone();
                        let mut stop = stop_rx.clone();
                        tokio::spawn(async move {
                            let date_state = st.clone();
                            tokio::select! {
                                _ = http::serve_connection(
                                    stream,
                                    |req| handle(st.clone(), req),
                                    move || date_state.date_header(),
                                ) => {}
                                _ = stop.changed() => {}
                            }
                        });
                    }
                    _ = stop_rx.changed() => break,
                }
            }
        });
        tracing::info!(%addr, "local endpoint listening");
        Ok(LocalEndpoint {
            addr,
            state,
            stop: stop_tx,
        })
    }
}

async fn handle(state: Arc<State>, req: http::Request) -> http::Reply {
    let started = tokio::time::Instant::now();
    let action = req.header("x-tc-action").unwrap_or("").to_owned();
    let region = req.header("x-tc-region").unwrap_or("").to_owned();
    *lock(&state.arrivals).entry(action.clone()).or_default() += 1;
    let (verdict, reply) = match state.take_fault(&action) {
        Some(fault) => fault::apply(&state, &req, fault).await,
        None => service::process(&state, &req),
    };
    let latency = started.elapsed();
    tracing::info!(
        action = action.as_str(),
        region = region.as_str(),
        verdict = verdict.as_str(),
        latency_us = latency.as_micros() as u64,
        "call"
    );
    let headers = req
        .headers
        .iter()
        .map(|(n, v)| {
            if n == "x-tc-token" {
                (n.clone(), "** redacted **".to_owned())
            } else {
                (n.clone(), v.clone())
            }
        })
        .collect();
    state.record(CallRecord {
        action,
        region,
        verdict,
        latency,
        headers,
        body: req.body,
    });
    reply
}

/// A running endpoint. Dropping it stops the server.
#[derive(Debug)]
pub struct LocalEndpoint {
    addr: SocketAddr,
    state: Arc<State>,
    stop: tokio::sync::watch::Sender<bool>,
}

impl LocalEndpoint {
    /// Configures an endpoint.
    pub fn builder() -> LocalEndpointBuilder {
        LocalEndpointBuilder::default()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for `TENCENTCLOUD_ENDPOINT` or `ConfigBuilder::endpoint_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Answers the next `times` calls (of any action) with `fault`.
    pub fn inject(&self, fault: Fault, times: u32) {
        self.inject_for(None, fault, times);
    }

    /// Answers the next `times` calls of `action` (or of any action) with `fault`.
    pub fn inject_for(&self, action: Option<&str>, fault: Fault, times: u32) {
        if times == 0 {
            return;
        }
        lock(&self.state.faults).push_back(fault::FaultRule {
            fault,
            remaining: times,
            action: action.map(str::to_owned),
        });
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// Every call so far, in arrival order.
    pub fn calls(&self) -> Vec<CallRecord> {
        lock(&self.state.calls).clone()
    }

    /// How many calls of `action` arrived (whatever their verdict, answered or not yet).
    pub fn count(&self, action: &str) -> usize {
        lock(&self.state.arrivals).get(action).copied().unwrap_or(0)
    }

    /// Gives task `task_id` a lifecycle: each call of a waiter's Describe
    /// action (any action a spec waiter polls) for this TaskId reports the
    /// next of `states` at the waiter's status path (the last one repeats);
    /// once they are used up, `then_gone` (an error code such as
    /// `ResourceNotFound`), if given, answers every later call: the task is gone.
    pub fn lifecycle(
        &self,
        task_id: &str,
        states: Vec<serde_json::Value>,
        then_gone: Option<&str>,
    ) {
        lock(&self.state.lifecycles).insert(
            task_id.to_owned(),
            behavior::Lifecycle {
                states: states.into(),
                then_gone: then_gone.map(str::to_owned),
                last: None,
            },
        );
    }

    /// The cloud recordings not yet deleted.
    pub fn recordings(&self) -> Vec<Recording> {
        let mut r: Vec<Recording> = lock(&self.state.recordings).values().cloned().collect();
        r.sort_by(|a, b| a.task_id.cmp(&b.task_id));
        r
    }

    /// The MCU mix transcodes running (started and not stopped), in start order.
    pub fn mix_transcodes(&self) -> Vec<MixTranscode> {
        lock(&self.state.mixes).clone()
    }

    /// Every callback delivery attempt so far, in order.
    pub fn deliveries(&self) -> Vec<DeliveryAttempt> {
        self.state
            .deliverer
            .as_ref()
            .map(|d| lock(&d.log).clone())
            .unwrap_or_default()
    }

    /// The transcription tasks currently running.
    pub fn tasks(&self) -> Vec<Task> {
        let mut t: Vec<Task> = lock(&self.state.tasks).values().cloned().collect();
        t.sort_by(|a, b| a.task_id.cmp(&b.task_id));
        t
    }

    /// The temporary credentials STS issued here, in order.
    pub fn issued_credentials(&self) -> Vec<IssuedCredentials> {
        sts::issued(&self.state)
    }

    /// Moves the endpoint's clock (seconds ahead of the machine's; negative: behind).
    pub fn set_clock_offset(&self, seconds: i64) {
        self.state.clock_offset.store(seconds, Ordering::Relaxed);
    }

    /// Stops serving (also done on drop).
    pub fn shutdown(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for LocalEndpoint {
    fn drop(&mut self) {
        self.shutdown();
    }
}
