//! Loopback load through the client: N CreateCloudTranscription calls (the seed's
//! example) against one endpoint, sequential or with C concurrent tasks. Prints
//! one JSON line with calls/s, this process's CPU time (user + system, all
//! threads) per measured call and its peak RSS.

use std::time::{Duration, Instant};

use clap::Parser;
use tencentcloud_bench::{cpu_time_us, peak_rss_kib, seed_request};
use tencentcloud_trtc::runtime::{BreakerState, RegionBreaker};
use tencentcloud_trtc::{Client, Config, Credentials, RateLimitConfig, RetryConfig};

/// `http://127.0.0.1:PORT` with nothing listening.
fn closed_port() -> String {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a probe port");
    let port = probe.local_addr().expect("probe address").port();
    drop(probe);
    format!("http://127.0.0.1:{port}")
}

#[derive(Parser)]
struct Args {
    /// The endpoint URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    endpoint: String,
    #[arg(long)]
    secret_id: String,
    #[arg(long)]
    secret_key: String,
    /// Measured calls.
    #[arg(long, default_value_t = 5000)]
    calls: usize,
    /// Concurrent calls in flight (1: sequential).
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Unmeasured calls first (connections, caches).
    #[arg(long, default_value_t = 50)]
    warmup: usize,
    /// Tokio runtime: `current` (one thread) or `multi` (one worker per core).
    #[arg(long, default_value = "multi")]
    runtime: String,
    /// The region breaker: `off` (the default configuration), `closed` (on,
    /// calls to the endpoint as primary), or `open` (on, the primary a closed
    /// port: the warm-up opens it, then every call goes to the endpoint as the
    /// backup).
    #[arg(long, default_value = "off")]
    breaker: String,
}

async fn run(args: Args) -> Result<(), String> {
    let mut config = Config::builder()
        .credentials(Credentials::new(args.secret_id, args.secret_key))
        .region("ap-guangzhou")
        .rate_limit(RateLimitConfig::disabled())
        .retry(RetryConfig::disabled());
    let breaker = RegionBreaker::new().open_for(Duration::from_secs(3600));
    config = match args.breaker.as_str() {
        "off" => config.endpoint_url(&args.endpoint),
        "closed" => config
            .endpoint_url(&args.endpoint)
            .region_breaker(breaker.backup_loopback(closed_port())),
        "open" => config
            .endpoint_url(closed_port())
            .region_breaker(breaker.backup_loopback(&args.endpoint)),
        other => return Err(format!("--breaker: off, closed or open, not {other}")),
    };
    let config = config.build().map_err(|e| e.to_string())?;
    let client = Client::new(config).map_err(|e| e.to_string())?;
    let request = seed_request();
    if args.breaker == "open" {
        // Connections refused by the primary open the breaker.
        for _ in 0..10 {
            if client.runtime().breaker_state() == Some(BreakerState::Open) {
                break;
            }
            let _ = client.create_cloud_transcription_with(&request).await;
        }
        if client.runtime().breaker_state() != Some(BreakerState::Open) {
            return Err("the breaker did not open".to_owned());
        }
    }
    for _ in 0..args.warmup {
        client
            .create_cloud_transcription_with(&request)
            .await
            .map_err(|e| e.to_string())?;
    }
    let cpu_before = cpu_time_us();
    let started = Instant::now();
    if args.concurrency <= 1 {
        for _ in 0..args.calls {
            client
                .create_cloud_transcription_with(&request)
                .await
                .map_err(|e| e.to_string())?;
        }
    } else {
        let per = args.calls / args.concurrency;
        let mut tasks = Vec::new();
        for _ in 0..args.concurrency {
            let c = client.clone();
            let r = request.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..per {
                    c.create_cloud_transcription_with(&r)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                Ok::<(), String>(())
            }));
        }
        for t in tasks {
            t.await.map_err(|e| e.to_string())??;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu_us = cpu_time_us().saturating_sub(cpu_before);
    let calls = if args.concurrency <= 1 {
        args.calls
    } else {
        args.calls / args.concurrency * args.concurrency
    };
    println!(
        "{}",
        serde_json::json!({
            "client": "rust",
            "breaker": args.breaker,
            "concurrency": args.concurrency,
            "calls": calls,
            "seconds": secs,
            "calls_per_sec": calls as f64 / secs,
            "cpu_us_per_call": cpu_us as f64 / calls as f64,
            "peak_rss_kib": peak_rss_kib(),
        })
    );
    Ok(())
}

fn main() {
    let args = Args::parse();
    let rt = match args.runtime.as_str() {
        "current" => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
    }
    .expect("tokio runtime");
    if let Err(e) = rt.block_on(run(args)) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
