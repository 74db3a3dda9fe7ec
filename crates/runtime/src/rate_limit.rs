//! Client-side rate limiting: a sliding window per action, shared by clones
//! of a client, or by several clients through one [`RateLimiter`].

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// At most `limit` starts in any `window`: each call reserves the earliest slot
/// that keeps the last `limit` starts at least `window` apart, then sleeps until
/// it. Reservations are handed out in order, so waiters are served first come,
/// first served, without polling.
#[derive(Debug)]
pub(crate) struct SlidingWindow {
    limit: usize,
    window: Duration,
    starts: Mutex<VecDeque<Instant>>,
}

impl SlidingWindow {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        SlidingWindow {
            limit: limit.max(1) as usize,
            window,
            starts: Mutex::new(VecDeque::with_capacity(limit as usize)),
        }
    }

    /// Reserves the next slot and returns when it starts (possibly now).
    pub(crate) fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut starts = match self.starts.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if starts.len() < self.limit {
            starts.push_back(now);
            return now;
        }
        let oldest = starts.pop_front().unwrap_or(now);
        let at = (oldest + self.window).max(now);
        starts.push_back(at);
        at
    }
}

/// The client-side rate limit windows (one per service and action), as a
/// handle several clients can share: Tencent Cloud limits calls per account,
/// not per process or per client, so clients of one account (built from
/// different configurations, for different regions) should wait in the same
/// windows. Give the same handle to each [`ConfigBuilder::rate_limiter`](crate::ConfigBuilder::rate_limiter).
/// Without one, each client has its own, shared by its clones.
///
/// A window's limit is set by the first call of the action through the
/// handle (the documented limit, or that client's override).
#[derive(Clone, Debug, Default)]
pub struct RateLimiter {
    pub(crate) limiters: Arc<Limiters>,
}

impl RateLimiter {
    /// A new set of windows, shared by every configuration given this handle.
    pub fn new() -> Self {
        RateLimiter::default()
    }

    /// Whether two handles share their windows.
    pub fn shares_with(&self, other: &RateLimiter) -> bool {
        Arc::ptr_eq(&self.limiters, &other.limiters)
    }
}

type Windows = HashMap<crate::meta::Text, Arc<SlidingWindow>>;

/// One [`SlidingWindow`] per service and action, created on first use.
#[derive(Debug, Default)]
pub(crate) struct Limiters {
    by_service: Mutex<HashMap<crate::meta::Text, Windows>>,
}

impl Limiters {
    pub(crate) fn get(
        &self,
        service: &crate::meta::Text,
        action: &crate::meta::Text,
        limit: u32,
        window: Duration,
    ) -> Arc<SlidingWindow> {
        let mut map = match self.by_service.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(w) = map
            .get(service.as_ref())
            .and_then(|m| m.get(action.as_ref()))
        {
            return w.clone();
        }
        let w = Arc::new(SlidingWindow::new(limit, window));
        map.entry(service.clone())
            .or_default()
            .insert(action.clone(), w.clone());
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn first_burst_is_free_then_one_window_later() {
        let w = SlidingWindow::new(3, Duration::from_secs(1));
        let t0 = Instant::now();
        let slots: Vec<_> = (0..7).map(|_| w.reserve() - t0).collect();
        assert_eq!(&slots[..3], &[Duration::ZERO; 3]);
        assert_eq!(&slots[3..6], &[Duration::from_secs(1); 3]);
        assert_eq!(slots[6], Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn any_window_holds_at_most_limit() {
        let w = SlidingWindow::new(20, Duration::from_millis(1050));
        let mut slots: Vec<Instant> = Vec::new();
        for i in 0..300 {
            if i % 7 == 0 {
                tokio::time::advance(Duration::from_millis(13)).await;
            }
            slots.push(w.reserve());
        }
        slots.sort();
        for (i, s) in slots.iter().enumerate() {
            let in_window = slots[i..]
                .iter()
                .take_while(|t| **t < *s + Duration::from_millis(1050))
                .count();
            assert!(in_window <= 20, "{in_window} starts within one window");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_shared_handle_shares_windows_per_service_and_action() {
        let shared = RateLimiter::new();
        let other = shared.clone();
        assert!(shared.shares_with(&other));
        let (svc, act) = ("trtc".into(), "DescribeX".into());
        let a = shared.limiters.get(&svc, &act, 2, Duration::from_secs(1));
        let b = other.limiters.get(&svc, &act, 2, Duration::from_secs(1));
        assert!(Arc::ptr_eq(&a, &b));
        let c = other
            .limiters
            .get(&"cvm".into(), &act, 2, Duration::from_secs(1));
        assert!(
            !Arc::ptr_eq(&a, &c),
            "another service's action is another window"
        );
        assert!(!RateLimiter::new().shares_with(&shared));
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_frees_slots() {
        let w = SlidingWindow::new(2, Duration::from_secs(1));
        let t0 = Instant::now();
        w.reserve();
        w.reserve();
        tokio::time::advance(Duration::from_secs(5)).await;
        assert_eq!(w.reserve() - t0, Duration::from_secs(5));
    }
}
