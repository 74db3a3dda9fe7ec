//! A small local HTTP proxy, for tests that must show a request really went
//! through a proxy: `CONNECT host:port` tunnels (HTTPS) and absolute-form
//! requests (`POST http://host:port/ HTTP/1.1`, plain HTTP) forwarded to
//! their host. It records each request line it served.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let proxy = tencentcloud_local_endpoint::proxy::LocalProxy::start().await?;
//! // HTTPS_PROXY=proxy.url() ... then:
//! assert!(proxy.requests().iter().any(|l| l.starts_with("CONNECT ")));
//! # Ok(()) }
//! ```

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running proxy on 127.0.0.1. Dropping it stops accepting.
#[derive(Debug)]
pub struct LocalProxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl LocalProxy {
    /// Binds a free port and serves on the current tokio runtime.
    pub async fn start() -> std::io::Result<LocalProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let log = log.clone();
                tokio::spawn(async move {
                    let _ = serve(client, log).await;
                });
            }
        });
        Ok(LocalProxy { addr, seen, task })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request lines served so far (`CONNECT host:port HTTP/1.1`,
    /// `POST http://host:port/ HTTP/1.1`), in order.
    pub fn requests(&self) -> Vec<String> {
        crate::lock(&self.seen).clone()
    }
}

impl Drop for LocalProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut client: TcpStream, log: Arc<Mutex<Vec<String>>>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let line = head.lines().next().unwrap_or("").to_owned();
    crate::lock(&log).push(line.clone());
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method == "CONNECT" {
        let mut upstream = match TcpStream::connect(target).await {
            Ok(s) => s,
            Err(_) => {
                client
                    .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                    .await?;
                return Ok(());
            }
        };
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
        // Bytes the client sent after the head belong to the tunnel.
        upstream.write_all(&buf[head_end..]).await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    // Absolute form: forward one request, `Connection: close` upstream.
    let Some(rest) = target.strip_prefix("http://") else {
        client
            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            .await?;
        return Ok(());
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            if k.eq_ignore_ascii_case("content-length") {
                v.trim().parse().ok()
            } else {
                None
            }
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut upstream = TcpStream::connect(host).await?;
    let headers: String = head
        .split("\r\n")
        .skip(1)
        .filter(|l| {
            !l.is_empty()
                && !l.to_ascii_lowercase().starts_with("connection:")
                && !l.to_ascii_lowercase().starts_with("proxy-")
        })
        .map(|l| format!("{l}\r\n"))
        .collect();
    let version = parts.next().unwrap_or("HTTP/1.1");
    let mut out =
        format!("{method} {path} {version}\r\n{headers}Connection: close\r\n\r\n").into_bytes();
    out.extend_from_slice(&buf[head_end..head_end + len]);
    upstream.write_all(&out).await?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer).await?;
    client.write_all(&answer).await?;
    client.shutdown().await
}
