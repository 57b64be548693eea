//! Proactive rate limiting: one budget per client, shared by its clones and
//! every task using them, so that a client stays under Zendesk's
//! account-wide limit instead of spending 429s the whole account pays for.
//!
//! The budget is read from every response (`X-Rate-Limit`,
//! `X-Rate-Limit-Remaining`, `ratelimit-reset`). Each request sent gets a
//! sequence number; a response to request `k` saying `remaining = R` means
//! the service will take requests up to number `k + R` in this window (those
//! sent after `k` may not have been counted yet, so they count against it).
//! The smallest such ceiling seen in a window wins, whatever order responses
//! arrive in. A 429 or 503 with `Retry-After` stops every task until it has
//! passed. An endpoint limit, which the headers do not show, is learned from
//! its first 429 (a 429 while the account still has budget): how many calls
//! of that operation went through, and when its window ends; from then on
//! that operation is paced to it. Waiting is first come, first served (a
//! fair semaphore), and a dropped wait gives its place back; no lock is held
//! across an await.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// How a client paces its requests. On by default: [`Pacing::off`] turns it
/// off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pacing {
    pub(crate) enabled: bool,
    pub(crate) reserve: f64,
    pub(crate) max_in_flight: usize,
}

impl Default for Pacing {
    /// On, with no reserve and at most 16 requests in flight.
    fn default() -> Self {
        Pacing {
            enabled: true,
            reserve: 0.0,
            max_in_flight: 16,
        }
    }
}

impl Pacing {
    /// No pacing: every request is sent at once, and 429s are left to the
    /// retries.
    pub fn off() -> Self {
        Pacing {
            enabled: false,
            ..Pacing::default()
        }
    }

    /// Leaves this share of the account's limit (0.0 to 0.9) to the
    /// account's other integrations: the client stops when only that much
    /// of a window's budget is left.
    pub fn reserve(mut self, share: f64) -> Self {
        self.reserve = if share.is_finite() { share.clamp(0.0, 0.9) } else { 0.0 };
        self
    }

    /// The most requests of this client in flight at once (at least 1).
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests.max(1);
        self
    }
}

/// What the client knows of the account's current window.
#[derive(Debug)]
struct Window {
    /// Requests sent so far, over every window (the next gets this number).
    sent: u64,
    /// The account's limit per window, once a response has said it.
    limit: Option<u64>,
    /// The highest request number the service takes in this window, less
    /// the reserve; `None` until a response of the window says.
    ceiling: Option<u64>,
    /// When the current window ends, as the earliest response of it says.
    ends: Option<Instant>,
    /// No request before this (a `Retry-After`).
    paused_until: Option<Instant>,
    /// What was learned of each operation's own limit.
    endpoints: HashMap<&'static str, Endpoint>,
}

/// An operation's own limit, as its 429s tell it.
#[derive(Debug)]
struct Endpoint {
    /// Calls let through per window, once a 429 has shown it.
    limit: Option<u64>,
    /// The window's length, once two window ends are known.
    length: Option<Duration>,
    /// The start of the current window (or of the first call).
    started: Instant,
    /// Calls sent, and answered without a 429, in the current window.
    sent: u64,
    answered: u64,
}

impl Endpoint {
    fn new(now: Instant) -> Endpoint {
        Endpoint {
            limit: None,
            length: None,
            started: now,
            sent: 0,
            answered: 0,
        }
    }

    /// When the next call may go, if not now.
    fn blocked_until(&mut self, now: Instant) -> Option<Instant> {
        if now < self.started {
            return Some(self.started);
        }
        if let Some(length) = self.length.filter(|l| !l.is_zero()) {
            let elapsed = now - self.started;
            if elapsed >= length {
                let windows = (elapsed.as_nanos() / length.as_nanos()) as u32;
                self.started += length * windows;
                self.sent = 0;
                self.answered = 0;
            }
        }
        match (self.limit, self.length) {
            (Some(limit), Some(length)) if self.sent >= limit && !length.is_zero() => {
                Some(self.started + length)
            }
            _ => None,
        }
    }
}

/// The budget shared by a client's clones.
#[derive(Debug)]
pub(crate) struct Budget {
    pacing: Pacing,
    /// One waiter at a time checks the budget, in arrival order.
    turnstile: Arc<Semaphore>,
    in_flight: Arc<Semaphore>,
    window: Mutex<Window>,
}

/// A request let through: its number, its operation, and its place among
/// those in flight.
pub(crate) struct Ticket {
    number: u64,
    operation: &'static str,
    _in_flight: OwnedSemaphorePermit,
}

/// Responses in one window disagree on when it ends by up to a second
/// (`ratelimit-reset` is whole seconds, rounded up); a later end by more than
/// this is a new window.
const SAME_WINDOW: Duration = Duration::from_millis(1000);

/// The longest wait a `Retry-After` or `ratelimit-reset` is taken at.
const MAX_WAIT_SECONDS: u64 = 3600;

/// Zendesk's limits are per minute.
const ASSUMED_WINDOW: Duration = Duration::from_secs(60);

impl Budget {
    pub(crate) fn new(pacing: Pacing) -> Budget {
        Budget {
            pacing,
            turnstile: Arc::new(Semaphore::new(1)),
            in_flight: Arc::new(Semaphore::new(pacing.max_in_flight)),
            window: Mutex::new(Window {
                sent: 0,
                limit: None,
                ceiling: None,
                ends: None,
                paused_until: None,
                endpoints: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the budget lets one more request of `operation`
    /// through, in turn.
    pub(crate) async fn admit(&self, operation: &'static str) -> Option<Ticket> {
        if !self.pacing.enabled {
            return None;
        }
        // Semaphores are never closed here, so acquiring cannot fail.
        let _turn = self.turnstile.clone().acquire_owned().await.ok()?;
        let in_flight = self.in_flight.clone().acquire_owned().await.ok()?;
        loop {
            let wait_until = {
                let mut window = self.lock();
                let now = Instant::now();
                let endpoint = window
                    .endpoints
                    .entry(operation)
                    .or_insert_with(|| Endpoint::new(now))
                    .blocked_until(now);
                match endpoint.or_else(|| self.blocked_until(&mut window, now)) {
                    None => {
                        let number = window.sent;
                        window.sent += 1;
                        if let Some(endpoint) = window.endpoints.get_mut(operation) {
                            endpoint.sent += 1;
                        }
                        return Some(Ticket {
                            number,
                            operation,
                            _in_flight: in_flight,
                        });
                    }
                    Some(until) => until,
                }
            };
            tokio::time::sleep_until(wait_until).await;
        }
    }

    /// When the next request may go, if not now.
    fn blocked_until(&self, window: &mut Window, now: Instant) -> Option<Instant> {
        if let Some(until) = window.paused_until {
            if now < until {
                return Some(until);
            }
            window.paused_until = None;
        }
        if let Some(ends) = window.ends {
            if now >= ends {
                // The window is over: a full one until a response says more.
                window.ends = None;
                window.ceiling = window
                    .limit
                    .map(|limit| window.sent + self.usable(limit));
            }
        }
        match window.ceiling {
            Some(ceiling) if window.sent >= ceiling => Some(
                window
                    .ends
                    .unwrap_or_else(|| now + Duration::from_millis(100)),
            ),
            _ => None,
        }
    }

    /// The share of a window's budget this client may use: at least one
    /// request, so that a new window is always probed (a limit of 0, or a
    /// reserve as large as it, would otherwise wait for an answer that no
    /// request asks for).
    fn usable(&self, limit: u64) -> u64 {
        let reserve = (limit as f64 * self.pacing.reserve).ceil() as u64;
        limit.saturating_sub(reserve).max(1)
    }

    /// Reads what a response says of the budget.
    pub(crate) fn observe(&self, ticket: Option<Ticket>, headers: &http::HeaderMap, status: u16) {
        let Some(ticket) = ticket else { return };
        let number = |name: &str| -> Option<u64> {
            headers.get(name)?.to_str().ok()?.trim().parse().ok()
        };
        let now = Instant::now();
        let mut window = self.lock();
        let limit = number("x-rate-limit").or_else(|| number("ratelimit-limit"));
        let remaining = number("x-rate-limit-remaining").or_else(|| number("ratelimit-remaining"));
        // Waits a response asks for are capped: a header is outside input,
        // and an `Instant` far enough ahead would overflow.
        let seconds = |name: &str| number(name).map(|s| Duration::from_secs(s.min(MAX_WAIT_SECONDS)));
        let retry_after = seconds("retry-after");
        if let (true, Some(wait)) = (matches!(status, 429 | 503), retry_after) {
            let until = now + wait;
            window.paused_until = Some(window.paused_until.map_or(until, |u| u.max(until)));
        }
        if let Some(endpoint) = window.endpoints.get_mut(ticket.operation) {
            let ends = now + retry_after.unwrap_or(Duration::from_secs(1));
            // The account had budget left: the operation's own limit. The
            // 429s of calls already in flight tell of the same window again.
            if status == 429
                && remaining.is_some_and(|r| r > 0)
                && ends > endpoint.started + SAME_WINDOW
            {
                endpoint.limit = Some(endpoint.answered.max(1));
                endpoint.length = Some(ends.saturating_duration_since(endpoint.started));
                endpoint.started = ends;
                endpoint.sent = 0;
                endpoint.answered = 0;
            } else if status != 429 {
                endpoint.answered += 1;
            }
        }
        let (Some(limit), Some(remaining)) = (limit, remaining) else {
            return;
        };
        window.limit = Some(limit);
        let reserve = limit.saturating_sub(self.usable(limit));
        let ceiling = (ticket.number + 1 + remaining).saturating_sub(reserve);
        let ends = seconds("ratelimit-reset").map(|wait| now + wait);
        let new_window = match (ends, window.ends) {
            (Some(ends), Some(known)) => ends > known + SAME_WINDOW,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        if new_window {
            // Without `ratelimit-reset` (not every API sends it), a window is
            // taken to be Zendesk's minute from its first answer.
            window.ends = Some(ends.unwrap_or(now + ASSUMED_WINDOW));
            window.ceiling = Some(ceiling);
        } else {
            if let (Some(ends), Some(known)) = (ends, window.ends) {
                window.ends = Some(known.min(ends));
            }
            window.ceiling = Some(window.ceiling.map_or(ceiling, |c| c.min(ceiling)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(limit: u64, remaining: u64, reset: u64) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-rate-limit", limit.into());
        headers.insert("x-rate-limit-remaining", remaining.into());
        headers.insert("ratelimit-reset", reset.into());
        headers
    }

    #[tokio::test(start_paused = true)]
    async fn the_smallest_remaining_wins_and_the_window_reset_lets_requests_on() {
        let budget = Budget::new(Pacing::default());
        let first = budget.admit("Test").await.unwrap();
        let second = budget.admit("Test").await.unwrap();
        // Out of order: the second's answer (1 left after it) arrives first.
        budget.observe(Some(second), &headers(3, 1, 60), 200);
        budget.observe(Some(first), &headers(3, 2, 60), 200);
        let third = budget.admit("Test").await.unwrap();
        assert_eq!(third.number, 2);
        let started = Instant::now();
        budget.observe(Some(third), &headers(3, 0, 60), 200);
        let fourth = budget.admit("Test").await.unwrap();
        assert_eq!(fourth.number, 3);
        assert_eq!(started.elapsed(), Duration::from_secs(60), "waited for the window");
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_stops_every_waiter_and_a_dropped_wait_gives_its_place_back() {
        let budget = Arc::new(Budget::new(Pacing::default()));
        let first = budget.admit("Test").await.unwrap();
        let mut limited = headers(10, 5, 60);
        limited.insert("retry-after", 7u64.into());
        budget.observe(Some(first), &limited, 429);
        let started = Instant::now();
        // A wait dropped part way: the next in line is not held up by it.
        let dropped = tokio::time::timeout(Duration::from_secs(1), budget.admit("Test")).await;
        assert!(dropped.is_err());
        let next = budget.admit("Test").await.unwrap();
        assert_eq!(next.number, 1);
        assert_eq!(started.elapsed(), Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn the_reserve_is_left_for_other_integrations() {
        let budget = Budget::new(Pacing::default().reserve(0.5));
        let first = budget.admit("Test").await.unwrap();
        budget.observe(Some(first), &headers(10, 9, 60), 200);
        let mut let_through = 1;
        while tokio::time::timeout(Duration::from_secs(1), budget.admit("Test")).await.is_ok() {
            let_through += 1;
        }
        assert_eq!(let_through, 5, "half of 10");
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_reset_header_a_window_is_a_minute() {
        let budget = Budget::new(Pacing::default());
        let first = budget.admit("Test").await.unwrap();
        let mut headers = http::HeaderMap::new();
        headers.insert("x-rate-limit", 2u64.into());
        headers.insert("x-rate-limit-remaining", 0u64.into());
        let started = Instant::now();
        budget.observe(Some(first), &headers, 200);
        let next = budget.admit("Test").await.unwrap();
        assert_eq!(next.number, 1);
        assert_eq!(started.elapsed(), Duration::from_secs(60));
    }

    #[tokio::test(start_paused = true)]
    async fn an_absurd_wait_is_capped_instead_of_overflowing() {
        let budget = Budget::new(Pacing::default());
        let first = budget.admit("Test").await.unwrap();
        let mut headers = headers(10, 5, u64::MAX);
        headers.insert("retry-after", u64::MAX.into());
        budget.observe(Some(first), &headers, 429);
        let started = Instant::now();
        budget.admit("Test").await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(MAX_WAIT_SECONDS));
    }

    #[tokio::test]
    async fn off_lets_everything_through() {
        let budget = Budget::new(Pacing::off());
        assert!(budget.admit("Test").await.is_none());
    }
}
