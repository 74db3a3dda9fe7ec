//! Failover: a region breaker that sends calls to a backup endpoint while the
//! primary one fails, with the semantics and defaults of Tencent's SDKs
//! (Python's `RegionBreakerProfile` and `CircuitBreaker`). Off by default, as
//! in Tencent's SDKs; [`ConfigBuilder::region_breaker`](crate::ConfigBuilder::region_breaker) turns it on.
//!
//! - **Closed** (calls go to the primary): each attempt counts as a success
//!   or a failure. It opens after 5 failures at a failure rate of at least 75 %
//!   within the window (5 minutes; the counts restart with each window), or
//!   after 5 failures in a row.
//! - **Open** (calls go to the backup, `<service>.ap-guangzhou.tencentcloudapi.com`
//!   by default): for 60 s; then half-open.
//! - **Half-open** (calls go to the primary again): one failure opens it
//!   again; 5 successes close it.
//!
//! A failure is an attempt that got no API 3.0 answer with a RequestId (no
//! connection, connection lost, timeout, a response that is not an answer) or
//! that answered `InternalError`; any other answer, an error code included,
//! is a success (the region is up). Results of an attempt that started in an
//! earlier state (another "generation") are ignored.
//!
//! Actions with their own host (`TextToSpeechSSE` on `trtc.ai.tencentcloudapi.com`)
//! never fail over and do not count: the backup region's service host does not
//! serve them. A call with its own endpoint (`CallOptions::endpoint`) does not
//! either.
//!
//! The backup must be a Tencent Cloud host: `tencentcloudapi.com` or
//! `<region>.tencentcloudapi.com`, to which the service's name is prefixed, as
//! in Tencent's SDKs. Anything else is refused when the configuration is
//! built: a breaker must never send signed requests to a host that is not
//! Tencent's. Tests against local endpoints use
//! [`RegionBreaker::backup_loopback`], which takes only a loopback address.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::config::{ConfigError, ResolvedEndpoint};

/// The breaker's settings (see the [module](self) for the semantics).
#[derive(Clone, Debug, PartialEq)]
pub struct RegionBreaker {
    backup: Backup,
    max_failures: u32,
    failure_ratio: f64,
    consecutive_failures: u32,
    window: Duration,
    open_for: Duration,
    half_open_successes: u32,
}

#[derive(Clone, Debug, PartialEq)]
enum Backup {
    /// `ap-guangzhou.tencentcloudapi.com`: the service's name is prefixed.
    Tencent(String),
    /// A loopback URL, used as it is (tests).
    Loopback(String),
}

impl Default for RegionBreaker {
    fn default() -> Self {
        RegionBreaker::new()
    }
}

/// The default backup, as in Tencent's SDKs.
pub const DEFAULT_BACKUP: &str = "ap-guangzhou.tencentcloudapi.com";

impl RegionBreaker {
    /// Tencent's defaults: backup `ap-guangzhou.tencentcloudapi.com`; open
    /// after 5 failures at a 75 % failure rate within 5 minutes (or 5 in a
    /// row); half-open after 60 s; closed after 5 successes.
    pub fn new() -> Self {
        RegionBreaker {
            backup: Backup::Tencent(DEFAULT_BACKUP.to_owned()),
            max_failures: 5,
            failure_ratio: 0.75,
            consecutive_failures: 5,
            window: Duration::from_secs(300),
            open_for: Duration::from_secs(60),
            half_open_successes: 5,
        }
    }

    /// The backup: `tencentcloudapi.com` or `<region>.tencentcloudapi.com`
    /// (the service's name is prefixed: `trtc.ap-singapore.tencentcloudapi.com`).
    /// Anything else fails the configuration's `build`.
    pub fn backup_endpoint(mut self, host: impl Into<String>) -> Self {
        self.backup = Backup::Tencent(host.into());
        self
    }

    /// For tests against local endpoints: a backup URL whose host is a
    /// loopback address (`127.0.0.1`, `::1`, `localhost`), used for every
    /// service as it is. Any other host fails the configuration's `build`.
    pub fn backup_loopback(mut self, url: impl Into<String>) -> Self {
        self.backup = Backup::Loopback(url.into());
        self
    }

    /// Failures within a window that open the breaker (with the failure rate).
    pub fn max_failures(mut self, n: u32) -> Self {
        self.max_failures = n.max(1);
        self
    }

    /// The failure rate (0 to 1) that, with `max_failures`, opens the breaker.
    pub fn failure_ratio(mut self, ratio: f64) -> Self {
        self.failure_ratio = ratio;
        self
    }

    /// Failures in a row that open the breaker whatever the rate (default 5).
    pub fn consecutive_failures(mut self, n: u32) -> Self {
        self.consecutive_failures = n.max(1);
        self
    }

    /// How long the closed breaker counts before it starts counting anew.
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// How long the breaker stays open before it tries the primary again.
    pub fn open_for(mut self, d: Duration) -> Self {
        self.open_for = d;
        self
    }

    /// Successes in the half-open state that close the breaker.
    pub fn half_open_successes(mut self, n: u32) -> Self {
        self.half_open_successes = n.max(1);
        self
    }

    /// Checks the settings; the error names what is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(0.0..=1.0).contains(&self.failure_ratio) {
            return Err(ConfigError::InvalidBreaker(format!(
                "failure_ratio must be between 0 and 1, not {}",
                self.failure_ratio
            )));
        }
        self.resolve_backup("service").map(|_| ())
    }

    /// The backup endpoint for `service`.
    pub fn resolve_backup(&self, service: &str) -> Result<ResolvedEndpoint, ConfigError> {
        match &self.backup {
            Backup::Tencent(host) => {
                check_tencent_backup(host)?;
                ResolvedEndpoint::from_url(&format!("https://{service}.{host}"))
            }
            Backup::Loopback(url) => {
                let resolved = ResolvedEndpoint::from_url(url)?;
                let host = resolved.url.host_str().unwrap_or("");
                let bare = host.trim_start_matches('[').trim_end_matches(']');
                let loopback = match bare.parse::<std::net::IpAddr>() {
                    Ok(ip) => ip.is_loopback(),
                    Err(_) => host == "localhost",
                };
                if !loopback {
                    return Err(ConfigError::InvalidBreaker(format!(
                        "backup_loopback takes a loopback address (127.0.0.1, ::1, localhost), not {url:?}"
                    )));
                }
                Ok(resolved)
            }
        }
    }
}

fn check_tencent_backup(host: &str) -> Result<(), ConfigError> {
    let refuse = || {
        ConfigError::InvalidBreaker(format!(
            "the backup endpoint {host:?} is not a Tencent Cloud host: give `tencentcloudapi.com` \
             or `<region>.tencentcloudapi.com` (such as `ap-guangzhou.tencentcloudapi.com`); \
             the service's name is prefixed"
        ))
    };
    let labels: Vec<&str> = host.split('.').collect();
    let region_ok = |r: &str| {
        !r.is_empty()
            && r.contains('-')
            && !r.starts_with('-')
            && !r.ends_with('-')
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    match labels.as_slice() {
        ["tencentcloudapi", "com"] => Ok(()),
        [region, "tencentcloudapi", "com"] if region_ok(region) => Ok(()),
        _ => Err(refuse()),
    }
}

/// Where the breaker stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls go to the primary endpoint.
    Closed,
    /// Calls go to the backup endpoint.
    Open,
    /// Calls go to the primary endpoint, on trial.
    HalfOpen,
}

#[derive(Debug, Default)]
struct Counter {
    failures: u32,
    total: u32,
    consecutive_failures: u32,
}

impl Counter {
    fn success(&mut self) {
        self.total += 1;
        self.consecutive_failures = 0;
    }

    fn failure(&mut self) {
        self.total += 1;
        self.failures += 1;
        self.consecutive_failures += 1;
    }

    fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            f64::from(self.failures) / f64::from(self.total)
        }
    }
}

#[derive(Debug)]
struct Machine {
    state: BreakerState,
    generation: u64,
    expiry: Instant,
    counter: Counter,
}

/// A running breaker: its settings, its backup endpoint and its state.
pub(crate) struct Breaker {
    settings: RegionBreaker,
    pub(crate) backup: ResolvedEndpoint,
    machine: Mutex<Machine>,
}

impl fmt::Debug for Breaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Breaker")
            .field("backup", &self.backup.host)
            .field("state", &self.state(Instant::now()))
            .finish_non_exhaustive()
    }
}

impl Breaker {
    pub(crate) fn new(settings: RegionBreaker, service: &str) -> Result<Breaker, ConfigError> {
        settings.validate()?;
        let backup = settings.resolve_backup(service)?;
        let now = Instant::now();
        Ok(Breaker {
            machine: Mutex::new(Machine {
                state: BreakerState::Closed,
                generation: 0,
                expiry: now + settings.window,
                counter: Counter::default(),
            }),
            settings,
            backup,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Machine> {
        match self.machine.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The state at `now` (moving on from an expired window or open period).
    pub(crate) fn state(&self, now: Instant) -> BreakerState {
        let mut m = self.lock();
        self.current(&mut m, now);
        m.state
    }

    /// Before an attempt: its generation, and whether it goes to the backup.
    pub(crate) fn before(&self, now: Instant) -> (u64, bool) {
        let mut m = self.lock();
        self.current(&mut m, now);
        (m.generation, m.state == BreakerState::Open)
    }

    /// After an attempt that started in `generation`.
    pub(crate) fn after(&self, generation: u64, success: bool, now: Instant) {
        let mut m = self.lock();
        self.current(&mut m, now);
        if m.generation != generation {
            return;
        }
        let s = &self.settings;
        match (m.state, success) {
            (BreakerState::Closed, true) => m.counter.success(),
            (BreakerState::Closed, false) => {
                m.counter.failure();
                let c = &m.counter;
                if (c.failures >= s.max_failures && c.rate() >= s.failure_ratio)
                    || c.consecutive_failures >= s.consecutive_failures
                {
                    self.switch(&mut m, BreakerState::Open, now);
                }
            }
            (BreakerState::HalfOpen, true) => {
                m.counter.success();
                if m.counter.total - m.counter.failures >= s.half_open_successes {
                    self.switch(&mut m, BreakerState::Closed, now);
                }
            }
            (BreakerState::HalfOpen, false) => {
                m.counter.failure();
                self.switch(&mut m, BreakerState::Open, now);
            }
            // Attempts of the open state go to the backup: they say nothing
            // about the primary (their generation ended when it opened).
            (BreakerState::Open, _) => {}
        }
    }

    fn current(&self, m: &mut Machine, now: Instant) {
        match m.state {
            BreakerState::Closed if m.expiry <= now => self.new_generation(m, now),
            BreakerState::Open if m.expiry <= now => self.switch(m, BreakerState::HalfOpen, now),
            _ => {}
        }
    }

    fn switch(&self, m: &mut Machine, to: BreakerState, now: Instant) {
        if m.state != to {
            tracing::warn!(
                from = ?m.state,
                to = ?to,
                backup = %self.backup.host,
                "region breaker changes state"
            );
            m.state = to;
            self.new_generation(m, now);
        }
    }

    fn new_generation(&self, m: &mut Machine, now: Instant) {
        m.generation += 1;
        m.counter = Counter::default();
        m.expiry = match m.state {
            BreakerState::Closed => now + self.settings.window,
            BreakerState::Open => now + self.settings.open_for,
            BreakerState::HalfOpen => now,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> Breaker {
        Breaker::new(RegionBreaker::new(), "trtc").unwrap()
    }

    fn fail(b: &Breaker, now: Instant) {
        let (g, _) = b.before(now);
        b.after(g, false, now);
    }

    fn succeed(b: &Breaker, now: Instant) {
        let (g, _) = b.before(now);
        b.after(g, true, now);
    }

    #[test]
    fn defaults_are_tencents() {
        let b = breaker();
        assert_eq!(b.backup.host, "trtc.ap-guangzhou.tencentcloudapi.com");
        assert_eq!(
            b.backup.url.as_str(),
            "https://trtc.ap-guangzhou.tencentcloudapi.com/"
        );
        let s = RegionBreaker::new();
        assert_eq!(
            (
                s.max_failures,
                s.consecutive_failures,
                s.half_open_successes
            ),
            (5, 5, 5)
        );
        assert_eq!(
            (s.window, s.open_for),
            (Duration::from_secs(300), Duration::from_secs(60))
        );
        assert_eq!(s.failure_ratio, 0.75);
    }

    #[test]
    fn five_failures_in_a_row_open_then_half_open_then_closed() {
        let b = breaker();
        let t0 = Instant::now();
        for _ in 0..4 {
            fail(&b, t0);
        }
        assert!(!b.before(t0).1, "4 failures: still closed");
        fail(&b, t0);
        assert_eq!(b.state(t0), BreakerState::Open);
        assert!(b.before(t0).1, "open: to the backup");
        // Results from the closed generation no longer count.
        let t1 = t0 + Duration::from_secs(59);
        assert_eq!(b.state(t1), BreakerState::Open);
        let t2 = t0 + Duration::from_secs(60);
        assert_eq!(b.state(t2), BreakerState::HalfOpen);
        assert!(!b.before(t2).1, "half-open: the primary again");
        for _ in 0..4 {
            succeed(&b, t2);
        }
        assert_eq!(b.state(t2), BreakerState::HalfOpen);
        succeed(&b, t2);
        assert_eq!(b.state(t2), BreakerState::Closed);
    }

    #[test]
    fn a_failure_while_half_open_opens_again() {
        let b = breaker();
        let t0 = Instant::now();
        for _ in 0..5 {
            fail(&b, t0);
        }
        let t1 = t0 + Duration::from_secs(61);
        succeed(&b, t1);
        fail(&b, t1);
        assert_eq!(b.state(t1), BreakerState::Open);
        assert_eq!(b.state(t1 + Duration::from_secs(59)), BreakerState::Open);
    }

    #[test]
    fn the_rate_rule_needs_both_count_and_rate() {
        // Consecutive failures set aside, to see the rate rule alone.
        let settings = RegionBreaker::new().consecutive_failures(1000);
        let b = Breaker::new(settings, "trtc").unwrap();
        let t0 = Instant::now();
        for _ in 0..4 {
            fail(&b, t0);
        }
        assert_eq!(
            b.state(t0),
            BreakerState::Closed,
            "100 % but only 4 failures"
        );
        for _ in 0..6 {
            succeed(&b, t0);
        }
        // 4 of 10 failed; 10 more failures make 14 of 20 (70 %): still closed.
        for _ in 0..10 {
            fail(&b, t0);
        }
        assert_eq!(b.state(t0), BreakerState::Closed);
        // 15 of 21 = 71 %, 16 of 22 = 72.7 %, 17 of 23 = 73.9 %, 18 of 24 = 75 %: open.
        for _ in 0..3 {
            fail(&b, t0);
            assert_eq!(b.state(t0), BreakerState::Closed);
        }
        fail(&b, t0);
        assert_eq!(b.state(t0), BreakerState::Open);
    }

    #[test]
    fn the_window_restarts_the_counts() {
        let b = breaker();
        let t0 = Instant::now();
        for _ in 0..4 {
            fail(&b, t0);
        }
        let (old, _) = b.before(t0);
        let t1 = t0 + Duration::from_secs(300);
        fail(&b, t1);
        assert_eq!(b.state(t1), BreakerState::Closed, "a new window: 1 failure");
        // A result of the old window is ignored.
        b.after(old, false, t1);
        for _ in 0..3 {
            fail(&b, t1);
        }
        assert_eq!(b.state(t1), BreakerState::Closed);
        fail(&b, t1);
        assert_eq!(b.state(t1), BreakerState::Open);
    }

    #[test]
    fn backups_must_be_tencent_hosts_or_explicit_loopback() {
        for good in [
            "ap-guangzhou.tencentcloudapi.com",
            "tencentcloudapi.com",
            "ap-shanghai-fsi.tencentcloudapi.com",
        ] {
            RegionBreaker::new()
                .backup_endpoint(good)
                .validate()
                .unwrap();
        }
        for bad in [
            "example.com",
            "ap-guangzhou.tencentcloudapi.com.evil.com",
            "evil.tencentcloudapi.com",
            "https://ap-guangzhou.tencentcloudapi.com",
            "a.b.tencentcloudapi.com",
            "",
        ] {
            let e = RegionBreaker::new()
                .backup_endpoint(bad)
                .validate()
                .unwrap_err();
            assert!(
                e.to_string().contains("not a Tencent Cloud host"),
                "{bad}: {e}"
            );
        }
        let ok = RegionBreaker::new().backup_loopback("http://127.0.0.1:9000");
        assert_eq!(ok.resolve_backup("trtc").unwrap().host, "127.0.0.1:9000");
        RegionBreaker::new()
            .backup_loopback("http://localhost:1")
            .validate()
            .unwrap();
        RegionBreaker::new()
            .backup_loopback("http://[::1]:1")
            .validate()
            .unwrap();
        let e = RegionBreaker::new()
            .backup_loopback("http://10.0.0.1:9000")
            .validate()
            .unwrap_err();
        assert!(e.to_string().contains("loopback"), "{e}");
        let e = RegionBreaker::new()
            .failure_ratio(1.5)
            .validate()
            .unwrap_err();
        assert!(e.to_string().contains("between 0 and 1"), "{e}");
    }
}
