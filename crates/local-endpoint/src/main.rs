//! `tencentcloud-local-endpoint`: serve a local Tencent Cloud API 3.0 endpoint.
//!
//! Prints `listening on http://127.0.0.1:PORT` on its first line of standard
//! output, then logs each call (action, verdict, latency; never secrets) on
//! standard error until interrupted.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser};
use tencentcloud_local_endpoint::{embedded_specs, load_spec, Fault, FaultFlag, LocalEndpoint};

#[derive(Parser, Debug)]
#[command(
    version,
    about = "A local Tencent Cloud API 3.0 endpoint for tests and demos"
)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Spec files to serve (default: the specs built into this binary).
    #[arg(long = "spec")]
    specs: Vec<PathBuf>,
    /// The common error codes file for --spec (default: the built-in one).
    #[arg(long)]
    common_errors: Option<PathBuf>,
    /// The SecretId to accept (default: TENCENTCLOUD_SECRET_ID, else the built-in test key).
    #[arg(long)]
    secret_id: Option<String>,
    /// The SecretKey to accept (default: TENCENTCLOUD_SECRET_KEY, else the built-in test key).
    #[arg(long)]
    secret_key: Option<String>,
    /// Require this session token (temporary credentials).
    #[arg(long)]
    token: Option<String>,
    /// Run the endpoint's clock this many seconds ahead (negative: behind).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    clock_offset: i64,
    /// Do not enforce the documented rate limits.
    #[arg(long)]
    no_rate_limits: bool,
    /// Check the UserSigs of this application with its own key: SDKAPPID=KEY
    /// (others are checked with the built-in key, DEFAULT_APP_KEY).
    #[arg(long = "app", value_name = "SDKAPPID=KEY")]
    apps: Vec<String>,
    /// The OIDC token STS AssumeRoleWithWebIdentity accepts (a TKE pod's token file content).
    #[arg(long, value_name = "TOKEN", hide_env_values = true)]
    web_identity_token: Option<String>,
    /// Deliver event callbacks (cloud recording events) to this URL.
    #[arg(long, requires = "callback_key")]
    callback_url: Option<String>,
    /// The callback signature key (default: TRTC_CALLBACK_KEY).
    #[arg(long, env = "TRTC_CALLBACK_KEY", hide_env_values = true)]
    callback_key: Option<String>,
    /// Do not check the endpoint's own answers against the output shapes
    /// (serve answers off the spec on purpose, or benchmark without the check).
    #[arg(long)]
    lenient_answers: bool,
    /// Do not keep call records in memory (long runs, benchmarks).
    #[arg(long)]
    no_records: bool,
    /// Serve from one thread (lowest latency for one client at a time) instead
    /// of one worker per core.
    #[arg(long)]
    single_thread: bool,
}

async fn run(args: Args, faults: Vec<(Fault, u32)>) -> Result<(), String> {
    let (embedded, embedded_common) = embedded_specs().map_err(|e| e.to_string())?;
    let specs = if args.specs.is_empty() {
        embedded
    } else {
        let common = match &args.common_errors {
            Some(p) => tencentcloud_spec::read_json(p).map_err(|e| e.to_string())?,
            None => embedded_common,
        };
        let mut out = Vec::new();
        for p in &args.specs {
            out.push(load_spec(p, &common).map_err(|e| e.to_string())?);
        }
        out
    };
    let mut b = LocalEndpoint::builder();
    if let Some(t) = &args.web_identity_token {
        b = b.web_identity_token(t.clone());
    }
    for app in &args.apps {
        // The value holds a key: errors never echo it.
        let (id, key) = app
            .split_once('=')
            .ok_or("--app takes SDKAPPID=KEY (the value given has no `=`)")?;
        let id: u64 = id
            .parse()
            .map_err(|_| format!("--app: `{id}` is not an SdkAppId"))?;
        b = b.app(id, key);
    }
    if let (Some(url), Some(key)) = (&args.callback_url, &args.callback_key) {
        b = b.callback(url.clone(), key.clone());
    }
    let mut b = b
        .specs(specs)
        .port(args.port)
        .clock_offset(args.clock_offset)
        .rate_limits(!args.no_rate_limits)
        .strict_answers(!args.lenient_answers)
        .keep_calls(!args.no_records);
    let id = args
        .secret_id
        .clone()
        .or_else(|| std::env::var("TENCENTCLOUD_SECRET_ID").ok());
    let key = args
        .secret_key
        .clone()
        .or_else(|| std::env::var("TENCENTCLOUD_SECRET_KEY").ok());
    match (id, key, &args.token) {
        (Some(id), Some(key), Some(token)) => b = b.temporary_credentials(id, key, token.clone()),
        (Some(id), Some(key), None) => b = b.credentials(id, key),
        (None, None, _) => {}
        _ => return Err("give both --secret-id and --secret-key (or neither)".to_owned()),
    }
    let endpoint = b.start().await.map_err(|e| format!("cannot start: {e}"))?;
    for (fault, n) in faults {
        endpoint.inject(fault, n);
    }
    println!("listening on {}", endpoint.url());
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    endpoint.shutdown();
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    // The fault options come from the endpoint's list of faults.
    let matches = FaultFlag::augment(Args::command()).get_matches();
    let (args, faults) = match Args::from_arg_matches(&matches)
        .map_err(|e| e.to_string())
        .and_then(|a| FaultFlag::from_matches(&matches).map(|f| (a, f)))
    {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(args, faults)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
