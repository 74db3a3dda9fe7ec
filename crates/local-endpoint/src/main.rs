//! `tencentcloud-local-endpoint`: serve a local Tencent Cloud API 3.0 endpoint.
//!
//! Prints `listening on http://127.0.0.1:PORT` on its first line of standard
//! output, then logs each call (action, verdict, latency; never secrets) on
//! standard error until interrupted.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use tencentcloud_local_endpoint::{embedded_specs, load_spec, Fault, LocalEndpoint};

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
    /// Answer the next calls with this error code: CODE or CODE:N (default N=1).
    #[arg(long, value_name = "CODE[:N]")]
    fail_with: Vec<String>,
    /// Delay the next calls: MS or MS:N.
    #[arg(long, value_name = "MS[:N]")]
    delay_ms: Vec<String>,
    /// Drop the connection of the next N calls without answering.
    #[arg(long, value_name = "N")]
    drop: Option<u32>,
    /// Answer the next calls with this HTTP status: STATUS or STATUS:N.
    #[arg(long, value_name = "STATUS[:N]")]
    status: Vec<String>,
    /// Answer the next N calls with a malformed (non-JSON) body.
    #[arg(long, value_name = "N")]
    malformed: Option<u32>,
    /// Answer the next N calls normally but with their values drifted from the
    /// documented types (numbers as strings, bools as 0/1), as Tencent Cloud sometimes does.
    #[arg(long, value_name = "N")]
    drift: Option<u32>,
    /// Answer the next N calls with a truncated body.
    #[arg(long, value_name = "N")]
    truncate: Option<u32>,
    /// Answer the next calls with an oversized body: BYTES or BYTES:N.
    #[arg(long, value_name = "BYTES[:N]")]
    oversized: Vec<String>,
    /// Do not keep call records in memory (long runs, benchmarks).
    #[arg(long)]
    no_records: bool,
    /// Serve from one thread (lowest latency for one client at a time) instead
    /// of one worker per core.
    #[arg(long)]
    single_thread: bool,
}

fn split(v: &str) -> Result<(&str, u32), String> {
    match v.rsplit_once(':') {
        Some((a, n)) => Ok((
            a,
            n.parse()
                .map_err(|_| format!("`{n}` in `{v}` is not a count"))?,
        )),
        None => Ok((v, 1)),
    }
}

fn faults(args: &Args) -> Result<Vec<(Fault, u32)>, String> {
    let mut out = Vec::new();
    for f in &args.fail_with {
        let (code, n) = split(f)?;
        out.push((Fault::error(code), n));
    }
    for d in &args.delay_ms {
        let (ms, n) = split(d)?;
        let ms: u64 = ms
            .parse()
            .map_err(|_| format!("`{ms}` is not milliseconds"))?;
        out.push((Fault::Delay(Duration::from_millis(ms)), n));
    }
    if let Some(n) = args.drop {
        out.push((Fault::Drop, n));
    }
    for s in &args.status {
        let (status, n) = split(s)?;
        let status: u16 = status
            .parse()
            .map_err(|_| format!("`{status}` is not an HTTP status"))?;
        out.push((Fault::status(status), n));
    }
    if let Some(n) = args.malformed {
        out.push((Fault::Body(b"<html>this is not JSON".to_vec()), n));
    }
    if let Some(n) = args.drift {
        out.push((Fault::Drift, n));
    }
    if let Some(n) = args.truncate {
        out.push((Fault::Truncate, n));
    }
    for o in &args.oversized {
        let (bytes, n) = split(o)?;
        let bytes: usize = bytes
            .parse()
            .map_err(|_| format!("`{bytes}` is not a size"))?;
        out.push((Fault::Oversized(bytes), n));
    }
    Ok(out)
}

async fn run(args: Args) -> Result<(), String> {
    let faults = faults(&args)?;
    let (embedded, embedded_common) = embedded_specs().map_err(|e| e.to_string())?;
    let specs = if args.specs.is_empty() {
        embedded
    } else {
        let common = match &args.common_errors {
            Some(p) => tencentcloud_codegen::spec::read_json(p).map_err(|e| e.to_string())?,
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
    let args = Args::parse();
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
    match rt.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
