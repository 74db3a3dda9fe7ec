//! The round-trip floor: the cheapest possible sequential API 3.0 call over the
//! loopback. It signs one CreateCloudTranscription request (the seed's body,
//! serialized once) at start, then loops: one `write` of the prebuilt request
//! bytes on one keep-alive `TcpStream`, blocking reads until the response's
//! `Content-Length` is complete. No runtime, no allocation per call, no parsing
//! beyond the status line and `Content-Length`.
//!
//! The server still verifies the signature, the timestamp (within 300 s of its
//! clock: the run must be shorter than that) and the body of every call, so
//! each call costs the server what a real client's call costs it.
//!
//! `--stack` adds the layers the client is built on, one at a time, with the
//! same prebuilt request, to show where the time between the floor and the
//! client goes: `blocking` (the floor), `tokio` (the same on a current-thread
//! tokio runtime), `hyper` (a hyper HTTP/1.1 connection, its dispatch task),
//! `hyper-pool` (hyper-util's pooled client, what reqwest is built on),
//! `reqwest` (reqwest with the client's settings). `tokio-sdk` is the other
//! way round: the client's own per-call work (serialize the request, sign it
//! with a cached key and a fresh timestamp, format the head, parse the
//! envelope, decode the output) on the bare tokio stream, without an HTTP
//! library: what a purpose-built HTTP/1.1 transport could approach.
//!
//! Prints one JSON line like `loopback`: calls/s, CPU per call, peak RSS.

use std::io::{Read, Write};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use tencentcloud_bench::{cpu_time_us, peak_rss_kib, seed_request};
use tencentcloud_runtime::envelope::{self, Parsed};
use tencentcloud_runtime::sign::{self, SignedHeaders, SigningInput, SigningKey};
use tencentcloud_trtc::model::{CreateCloudTranscriptionRequest, CreateCloudTranscriptionResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
    /// Unmeasured calls first.
    #[arg(long, default_value_t = 50)]
    warmup: usize,
    /// `blocking` (the floor), `tokio`, `tokio-sdk`, `hyper`, `hyper-pool` or `reqwest`.
    #[arg(long, default_value = "blocking")]
    stack: String,
}

/// The request, signed once: its headers and body, and the whole of it as bytes.
struct Signed {
    headers: Vec<(&'static str, String)>,
    body: Bytes,
    wire: Vec<u8>,
}

fn signed_request(args: &Args, host: &str) -> Signed {
    let body = serde_json::to_vec(&seed_request()).expect("the seed request serializes");
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let action = "CreateCloudTranscription";
    let signature = sign::sign(&SigningInput {
        secret_id: &args.secret_id,
        secret_key: &args.secret_key,
        service: "trtc",
        host,
        action,
        content_type: "application/json",
        timestamp,
        payload: &body,
        signed_headers: SignedHeaders::ContentTypeHost,
    });
    let headers = vec![
        ("host", host.to_owned()),
        ("content-type", "application/json".to_owned()),
        ("content-length", body.len().to_string()),
        ("x-tc-action", action.to_owned()),
        ("x-tc-version", "2019-07-22".to_owned()),
        ("x-tc-region", "ap-guangzhou".to_owned()),
        ("x-tc-timestamp", timestamp.to_string()),
        ("authorization", signature.authorization),
    ];
    let mut wire = b"POST / HTTP/1.1\r\n".to_vec();
    for (name, value) in &headers {
        wire.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    wire.extend_from_slice(b"\r\n");
    wire.extend_from_slice(&body);
    Signed {
        headers,
        body: Bytes::from(body),
        wire,
    }
}

/// Where a response's head ends and how long it is in all, once `buf` holds its head.
fn response_extent(buf: &[u8]) -> Option<(usize, usize)> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let len = buf[..end]
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = std::str::from_utf8(line).ok()?;
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .next()
        .unwrap_or(0);
    Some((end, end + len))
}

fn status_of(buf: &[u8]) -> u16 {
    buf.get(9..12)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn check(status: u16, body: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(body);
    if status != 200 || text.contains("\"Error\"") || !text.contains("\"TaskId\"") {
        return Err(format!(
            "the endpoint refused the request: HTTP {status} {text}"
        ));
    }
    Ok(())
}

/// Blocking: one write, reads until `Content-Length` is complete.
fn blocking(
    stream: &mut std::net::TcpStream,
    wire: &[u8],
    buf: &mut [u8],
) -> Result<usize, String> {
    let io = |e: std::io::Error| e.to_string();
    stream.write_all(wire).map_err(io)?;
    let mut have = 0;
    loop {
        let n = stream.read(&mut buf[have..]).map_err(io)?;
        if n == 0 {
            return Err("connection closed".into());
        }
        have += n;
        if let Some((_, total)) = response_extent(&buf[..have]) {
            if have >= total {
                return Ok(total);
            }
        }
        if have == buf.len() {
            return Err("response too large".into());
        }
    }
}

/// The same on a tokio `TcpStream`.
async fn tokio_call(
    stream: &mut tokio::net::TcpStream,
    wire: &[u8],
    buf: &mut [u8],
) -> Result<usize, String> {
    let io = |e: std::io::Error| e.to_string();
    stream.write_all(wire).await.map_err(io)?;
    let mut have = 0;
    loop {
        let n = stream.read(&mut buf[have..]).await.map_err(io)?;
        if n == 0 {
            return Err("connection closed".into());
        }
        have += n;
        if let Some((_, total)) = response_extent(&buf[..have]) {
            if have >= total {
                return Ok(total);
            }
        }
        if have == buf.len() {
            return Err("response too large".into());
        }
    }
}

/// What the client does per call, on the bare stream: serialize, sign with the
/// cached key and a fresh timestamp, format the head, one write, read, parse
/// the envelope, decode the output. Returns the status and the response length.
async fn sdk_call(
    stream: &mut tokio::net::TcpStream,
    buf: &mut [u8],
    request: &CreateCloudTranscriptionRequest,
    key: &SigningKey,
    args: &Args,
    host: &str,
) -> Result<(u16, usize), String> {
    const ACTION: &str = "CreateCloudTranscription";
    let body = serde_json::to_vec(request).map_err(|e| e.to_string())?;
    let timestamp = unix_now();
    let authorization = sign::authorization(
        key,
        &SigningInput {
            secret_id: &args.secret_id,
            secret_key: &args.secret_key,
            service: "trtc",
            host,
            action: ACTION,
            content_type: "application/json",
            timestamp,
            payload: &body,
            signed_headers: SignedHeaders::ContentTypeHost,
        },
    );
    let mut wire = Vec::with_capacity(512 + body.len());
    write!(
        wire,
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         X-TC-Action: {ACTION}\r\nX-TC-Version: 2019-07-22\r\nX-TC-Region: ap-guangzhou\r\n\
         X-TC-Timestamp: {timestamp}\r\nX-TC-Language: en-US\r\nAuthorization: {authorization}\r\n\r\n",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    wire.extend_from_slice(&body);
    let total = tokio_call(stream, &wire, buf).await?;
    let status = status_of(buf);
    let (head_end, _) = response_extent(&buf[..total]).ok_or("no response head")?;
    let body = &buf[head_end..total];
    match envelope::parse(ACTION, status, body).map_err(|e| e.to_string())? {
        Parsed::Success {
            response,
            request_id,
        } => {
            let (out, _): (CreateCloudTranscriptionResponse, _) = envelope::decode(
                ACTION,
                body,
                response,
                &request_id,
                tencentcloud_runtime::drift::Mode::Tolerant,
            )
            .map_err(|e| e.to_string())?;
            std::hint::black_box(out);
        }
        Parsed::Error(e) => return Err(e.to_string()),
    }
    Ok((status, total))
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn hyper_request(signed: &Signed, uri: &str) -> hyper::Request<Full<Bytes>> {
    let mut b = hyper::Request::post(uri);
    for (name, value) in &signed.headers {
        b = b.header(*name, value.as_str());
    }
    b.body(Full::new(signed.body.clone()))
        .expect("a valid request")
}

struct Measured {
    calls: usize,
    secs: f64,
    cpu_us: u64,
}

/// Runs `warmup` unmeasured then `calls` measured calls of `one` (which gives
/// the status and the response); the first call's response is checked to be a
/// success by `first`.
macro_rules! measure {
    ($args:expr, $one:expr, |$status:ident, $resp:ident| $first:expr) => {{
        let ($status, $resp) = $one?;
        $first?;
        for _ in 0..$args.warmup {
            $one?;
        }
        let cpu_before = cpu_time_us();
        let started = Instant::now();
        for _ in 0..$args.calls {
            let (status, _) = $one?;
            if status != 200 {
                return Err(format!("HTTP {status}"));
            }
        }
        Measured {
            calls: $args.calls,
            secs: started.elapsed().as_secs_f64(),
            cpu_us: cpu_time_us().saturating_sub(cpu_before),
        }
    }};
}

fn run(args: &Args) -> Result<Measured, String> {
    let host = args
        .endpoint
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let signed = signed_request(args, &host);
    let connect_err = |e: std::io::Error| format!("connect {host}: {e}");
    let mut buf = vec![0u8; 64 * 1024];
    if args.stack == "blocking" {
        let mut stream = std::net::TcpStream::connect(&host).map_err(connect_err)?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        return Ok(measure!(
            args,
            blocking(&mut stream, &signed.wire, &mut buf).map(|total| (status_of(&buf), total)),
            |status, total| check(status, &buf[..total])
        ));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let uri = format!("http://{host}/");
        match args.stack.as_str() {
            "tokio" => {
                let mut stream = tokio::net::TcpStream::connect(&host)
                    .await
                    .map_err(connect_err)?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                Ok(measure!(
                    args,
                    tokio_call(&mut stream, &signed.wire, &mut buf)
                        .await
                        .map(|total| (status_of(&buf), total)),
                    |status, total| check(status, &buf[..total])
                ))
            }
            "tokio-sdk" => {
                let mut stream = tokio::net::TcpStream::connect(&host)
                    .await
                    .map_err(connect_err)?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                let request = seed_request();
                let key = SigningKey::derive(&args.secret_key, &sign::utc_date(unix_now()), "trtc");
                Ok(measure!(
                    args,
                    sdk_call(&mut stream, &mut buf, &request, &key, args, &host).await,
                    |status, total| check(status, &buf[..total])
                ))
            }
            "hyper" => {
                let stream = tokio::net::TcpStream::connect(&host)
                    .await
                    .map_err(connect_err)?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                let (mut sender, conn) =
                    hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                        .await
                        .map_err(|e| e.to_string())?;
                tokio::spawn(conn);
                Ok(measure!(
                    args,
                    async {
                        let resp = sender
                            .send_request(hyper_request(&signed, "/"))
                            .await
                            .map_err(|e| e.to_string())?;
                        let status = resp.status().as_u16();
                        let body = resp
                            .into_body()
                            .collect()
                            .await
                            .map_err(|e| e.to_string())?;
                        Ok::<_, String>((status, body.to_bytes()))
                    }
                    .await,
                    |status, body| check(status, &body)
                ))
            }
            "hyper-pool" => {
                let mut connector = hyper_util::client::legacy::connect::HttpConnector::new();
                connector.set_nodelay(true);
                let client = hyper_util::client::legacy::Client::builder(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .build::<_, Full<Bytes>>(connector);
                Ok(measure!(
                    args,
                    async {
                        let resp = client
                            .request(hyper_request(&signed, &uri))
                            .await
                            .map_err(|e| e.to_string())?;
                        let status = resp.status().as_u16();
                        let body = resp
                            .into_body()
                            .collect()
                            .await
                            .map_err(|e| e.to_string())?;
                        Ok::<_, String>((status, body.to_bytes()))
                    }
                    .await,
                    |status, body| check(status, &body)
                ))
            }
            "reqwest" => {
                let client = reqwest::Client::builder()
                    .tcp_nodelay(true)
                    .use_rustls_tls()
                    .build()
                    .map_err(|e| e.to_string())?;
                let mut headers = reqwest::header::HeaderMap::new();
                for (name, value) in &signed.headers {
                    if *name != "host" && *name != "content-length" {
                        headers.insert(*name, value.parse().map_err(|_| "header")?);
                    }
                }
                Ok(measure!(
                    args,
                    async {
                        let resp = client
                            .post(&uri)
                            .headers(headers.clone())
                            .body(signed.body.clone())
                            .send()
                            .await
                            .map_err(|e| e.to_string())?;
                        let status = resp.status().as_u16();
                        let body = resp.bytes().await.map_err(|e| e.to_string())?;
                        Ok::<_, String>((status, body))
                    }
                    .await,
                    |status, body| check(status, &body)
                ))
            }
            other => Err(format!(
                "unknown --stack {other}: blocking, tokio, tokio-sdk, hyper, hyper-pool or reqwest"
            )),
        }
    })
}

fn main() {
    let args = Args::parse();
    match run(&args) {
        Ok(m) => println!(
            "{}",
            serde_json::json!({
                "client": format!("floor-{}", args.stack),
                "concurrency": 1,
                "calls": m.calls,
                "seconds": m.secs,
                "calls_per_sec": m.calls as f64 / m.secs,
                "cpu_us_per_call": m.cpu_us as f64 / m.calls as f64,
                "peak_rss_kib": peak_rss_kib(),
            })
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
