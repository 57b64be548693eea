//! Proactive rate limiting: one budget per client, shared by its clones and
//! every task using them, so that a client stays under Zendesk's
//! account-wide limit instead of spending 429s the whole account pays for.
//!
//! The budget is read from every response (`X-Rate-Limit`,
//! `X-Rate-Limit-Remaining`, `ratelimit-reset`). The smallest remaining seen
//! in a window wins: the service's count only goes down in a window, so the
//! smallest is the latest, whatever order responses arrive in. Every request
//! answered before it was counted before it; every request still in flight
//! may not have been, so it is taken to spend from what remains. The client
//! may then send while `in flight < remaining`. Part of a window's budget
//! may go at once (a fifth, by default); the rest is spread over the time the
//! window has left. A 429 or 503 with `Retry-After` stops every task until it has
//! passed. An endpoint limit, which the headers do not show, is learned from
//! its first 429 (a 429 while the account still has budget): how many calls
//! of that operation went through, and when its window ends; from then on
//! that operation is paced to it. Waiting is first come, first served (a
//! fair semaphore), and a dropped wait gives its place back; no lock is held
//! across an await.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
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
    pub(crate) burst: f64,
}

impl Default for Pacing {
    /// On, with no reserve, at most 16 requests in flight, and a fifth of a
    /// window's budget sent at once.
    fn default() -> Self {
        Pacing {
            enabled: true,
            reserve: 0.0,
            max_in_flight: 16,
            burst: 0.2,
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

    /// The share of a window's budget (0.0 to 1.0) that may go at once; the
    /// rest is spread evenly over the time the window has left. A job
    /// smaller than the burst is not held up; a longer one sends all through
    /// the window, whose answers then tell when it ends to the millisecond
    /// (`ratelimit-reset` is whole seconds), so that no part of a window is
    /// lost waiting for it. At least one request always goes at once.
    pub fn burst(mut self, share: f64) -> Self {
        self.burst = if share.is_finite() { share.clamp(0.0, 1.0) } else { Pacing::default().burst };
        self
    }

    /// The share of a window's budget that may go at once.
    pub fn burst_share(&self) -> f64 {
        self.burst
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
    /// The smallest remaining seen in this window; `None` until a response
    /// of the window says.
    remaining: Option<u64>,
    /// When the current window ends, as the earliest response of it says.
    ends: Option<Instant>,
    /// No request before this (a `Retry-After`).
    paused_until: Option<Instant>,
    /// Requests that may go at once before the rest of the window's budget
    /// is spread over its time left, and when that was last counted.
    tokens: f64,
    counted: Instant,
    /// The window's first answer (when, its remaining, requests done) and
    /// when the smallest remaining came (and requests done then): what the
    /// account's other integrations spend is what the remaining lost
    /// beyond this client's requests.
    first: Option<(Instant, u64, u64)>,
    latest: Option<(Instant, u64)>,
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
    finished: Arc<Finished>,
    window: Mutex<Window>,
}

/// A request let through: its number, its operation, and its place among
/// those in flight. Dropped once answered, it is done: counted in what the
/// account has left. Dropped unanswered (failed or cancelled), it may still
/// have been counted, so it spends from this window until the next.
pub(crate) struct Ticket {
    #[cfg_attr(not(test), allow(dead_code))] // the tests check the order
    number: u64,
    operation: &'static str,
    answered: bool,
    finished: Arc<Finished>,
    _in_flight: OwnedSemaphorePermit,
}

/// Requests no longer in flight, over every window.
#[derive(Debug, Default)]
struct Finished {
    answered: AtomicU64,
    unanswered: AtomicU64,
}

impl Finished {
    /// The requests that no longer spend from this window.
    fn done(&self) -> u64 {
        self.answered.load(Ordering::Relaxed)
    }

    fn unanswered(&self) -> u64 {
        self.unanswered.load(Ordering::Relaxed)
    }

    /// Whether none of `sent` requests is still in flight.
    fn all_done(&self, sent: u64) -> bool {
        self.answered.load(Ordering::Relaxed) + self.unanswered.load(Ordering::Relaxed) >= sent
    }

    /// A new window: an unanswered request of an earlier one spends nothing
    /// of it.
    fn new_window(&self) {
        let unanswered = self.unanswered.swap(0, Ordering::Relaxed);
        self.answered.fetch_add(unanswered, Ordering::Relaxed);
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let count = if self.answered { &self.finished.answered } else { &self.finished.unanswered };
        count.fetch_add(1, Ordering::Relaxed);
    }
}

/// Responses in one window disagree on when it ends by up to a second
/// (`ratelimit-reset` is whole seconds, rounded up); a later end by more than
/// this is a new window.
const SAME_WINDOW: Duration = Duration::from_millis(1000);

/// The longest wait a `Retry-After` or `ratelimit-reset` is taken at.
const MAX_WAIT_SECONDS: u64 = 3600;

/// Zendesk's limits are per minute.
const ASSUMED_WINDOW: Duration = Duration::from_secs(60);

/// The shortest part of a window other integrations' spending is measured
/// over.
const MIN_ESTIMATE: Duration = Duration::from_secs(1);

impl Budget {
    pub(crate) fn new(pacing: Pacing) -> Budget {
        Budget {
            pacing,
            turnstile: Arc::new(Semaphore::new(1)),
            in_flight: Arc::new(Semaphore::new(pacing.max_in_flight)),
            finished: Arc::default(),
            window: Mutex::new(Window {
                sent: 0,
                limit: None,
                remaining: None,
                ends: None,
                paused_until: None,
                tokens: f64::INFINITY,
                counted: Instant::now(),
                first: None,
                latest: None,
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
                        window.tokens -= 1.0;
                        if let Some(endpoint) = window.endpoints.get_mut(operation) {
                            endpoint.sent += 1;
                        }
                        return Some(Ticket {
                            number,
                            operation,
                            answered: false,
                            finished: self.finished.clone(),
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
                // The window is over: a full one until a response says more
                // (at least one request, to ask: see `usable`).
                window.ends = None;
                window.remaining = window.limit.map(|limit| limit.max(1));
                window.tokens = f64::INFINITY;
                window.first = None;
                window.latest = None;
                self.finished.new_window();
            }
        }
        let mut ceiling = self.ceiling(window)?;
        let Some(ends) = window.ends else {
            // Until a response of the window says when it ends: no more
            // than the ceiling, as fast as it goes. With nothing in flight,
            // no answer is coming to say more: requests that failed without
            // one are taken not to have been counted, rather than waiting
            // for ever.
            window.tokens = f64::INFINITY;
            if window.sent >= ceiling && self.finished.all_done(window.sent) {
                self.finished.new_window();
                ceiling = self.ceiling(window)?;
            }
            return (window.sent >= ceiling).then(|| now + Duration::from_millis(100));
        };
        if window.sent >= ceiling {
            return Some(ends);
        }
        // Leave what the account's other integrations will spend before the
        // window ends, at the rate they have spent so far.
        let others = self.others_rate(window, now);
        let time_left = ends.saturating_duration_since(now).as_secs_f64();
        let theirs = (others * time_left).ceil() as u64;
        let ours = ceiling.saturating_sub(theirs);
        if window.sent >= ours {
            let one_of_theirs = Duration::from_secs_f64((1.0 / others).min(time_left));
            return Some((now + one_of_theirs).min(ends));
        }
        self.spread(window, ours, ends, now)
    }

    /// Requests a second the account's other integrations spend in this
    /// window, once it is long enough to tell: what the smallest remaining
    /// lost since the window's first answer beyond this client's requests
    /// (those in flight taken as counted, so that an estimate errs low).
    fn others_rate(&self, window: &Window, now: Instant) -> f64 {
        let (Some((started, first_remaining, first_done)), Some((at, done)), Some(remaining)) =
            (window.first, window.latest, window.remaining)
        else {
            return 0.0;
        };
        let elapsed = at.saturating_duration_since(started);
        let window_so_far = window.ends.map_or(ASSUMED_WINDOW, |ends| ends.saturating_duration_since(started));
        if elapsed < MIN_ESTIMATE.max(window_so_far / 10) || now < at {
            return 0.0;
        }
        let in_flight = window
            .sent
            .saturating_sub(self.finished.done() + self.finished.unanswered());
        let spent = first_remaining.saturating_sub(remaining);
        let ours = done.saturating_sub(first_done) + in_flight;
        spent.saturating_sub(ours) as f64 / elapsed.as_secs_f64()
    }

    /// How many requests may have been sent, in all, before the next one
    /// waits: those done, and the remaining less the reserve (requests in
    /// flight spend from it).
    fn ceiling(&self, window: &Window) -> Option<u64> {
        let remaining = window.remaining?;
        let reserve = window.limit.map_or(0, |limit| limit.saturating_sub(self.usable(limit)));
        Some((self.finished.done() + remaining).saturating_sub(reserve))
    }

    /// When the next request may go so that the window's budget left, less
    /// the burst, is spread evenly over its time left.
    fn spread(&self, window: &mut Window, ceiling: u64, ends: Instant, now: Instant) -> Option<Instant> {
        // One slot more than is left: the last request goes a slot before
        // the end, not at it, where it could fall into the next window.
        let slots = (ceiling.saturating_sub(window.sent) + 1) as f64;
        let burst = window
            .limit
            .map_or(1.0, |limit| (self.usable(limit) as f64 * self.pacing.burst).max(1.0));
        let time_left = ends.saturating_duration_since(now).as_secs_f64();
        let rate = slots / time_left.max(f64::MIN_POSITIVE);
        let elapsed = now.saturating_duration_since(window.counted).as_secs_f64();
        window.tokens = (window.tokens + elapsed * rate).min(burst);
        window.counted = now;
        if window.tokens >= 1.0 || time_left == 0.0 {
            return None;
        }
        let wait = ((1.0 - window.tokens) / rate).min(time_left);
        Some(now + Duration::from_secs_f64(wait))
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
        let Some(mut ticket) = ticket else { return };
        ticket.answered = true;
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
            window.remaining = Some(remaining);
            window.tokens = f64::INFINITY;
            self.finished.new_window();
            let done = self.finished.done() + 1;
            window.first = Some((now, remaining, done));
            window.latest = Some((now, done));
        } else if ends.zip(window.ends).is_some_and(|(ends, known)| ends + SAME_WINDOW < known) {
            // Counted in a window that is over: it tells nothing of this one.
        } else {
            if let (Some(ends), Some(known)) = (ends, window.ends) {
                window.ends = Some(known.min(ends));
            }
            if window.remaining.is_none_or(|r| remaining < r) {
                window.remaining = Some(remaining);
                window.latest = Some((now, self.finished.done() + 1));
            }
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
        // Spread over the window: counted until just before it ends.
        let before_the_end = Instant::now() + Duration::from_secs(59);
        let mut let_through = 1;
        while tokio::time::timeout_at(before_the_end, budget.admit("Test")).await.is_ok() {
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

    #[tokio::test(start_paused = true)]
    async fn requests_counted_in_another_order_than_sent_lose_nothing_of_the_window() {
        let budget = Budget::new(Pacing::default());
        let tickets: Vec<_> = [(); 4].iter().map(|_| budget.admit("Test")).collect();
        let mut in_flight = Vec::new();
        for ticket in tickets {
            in_flight.push(ticket.await.unwrap());
        }
        // The service counted them last to first, and they are answered
        // first to last: the first answer has the smallest remaining.
        for (ticket, remaining) in in_flight.into_iter().zip([6, 7, 8, 9]) {
            budget.observe(Some(ticket), &headers(10, remaining, 60), 200);
        }
        let before_the_end = Instant::now() + Duration::from_secs(59);
        let mut let_through = 0;
        while let Ok(ticket) = tokio::time::timeout_at(before_the_end, budget.admit("Test")).await {
            let_through += 1;
            budget.observe(ticket, &headers(10, 6 - let_through, 60), 200);
        }
        assert_eq!(let_through, 6, "all of the 10 in the window");
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_at_once_and_the_rest_is_spread_over_the_window() {
        let budget = Budget::new(Pacing::default().burst(0.1));
        let first = budget.admit("Test").await.unwrap();
        let started = Instant::now();
        budget.observe(Some(first), &headers(100, 99, 60), 200);
        let mut sent_at = Vec::new();
        for _ in 0..99 {
            budget.admit("Test").await.unwrap();
            sent_at.push(started.elapsed());
        }
        // 10% of the window's budget at once, the rest spread to its end.
        assert!(sent_at[..10].iter().all(|t| t.is_zero()), "{sent_at:?}");
        assert!(!sent_at[10].is_zero());
        let last = *sent_at.last().unwrap();
        assert!(last > Duration::from_secs(55) && last < Duration::from_secs(60), "{last:?}");
        let gaps: Vec<_> = sent_at[11..].windows(2).map(|w| w[1] - w[0]).collect();
        let (shortest, longest) = (gaps.iter().min().unwrap(), gaps.iter().max().unwrap());
        assert!(longest.as_secs_f64() < shortest.as_secs_f64() * 1.5, "{shortest:?} {longest:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_limit_of_none_still_asks_once_a_window() {
        let budget = Budget::new(Pacing::default());
        let first = budget.admit("Test").await.unwrap();
        let started = Instant::now();
        budget.observe(Some(first), &headers(0, 0, 7), 429);
        budget.admit("Test").await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(7), "the next window's one request");
    }

    #[tokio::test(start_paused = true)]
    async fn requests_that_fail_without_an_answer_do_not_stop_the_client_for_ever() {
        let budget = Budget::new(Pacing::default());
        let first = budget.admit("Test").await.unwrap();
        budget.observe(Some(first), &headers(1, 1, 1), 200);
        tokio::time::sleep(Duration::from_secs(2)).await;
        // A new window with one request's budget; that request fails
        // without an answer (a connection error).
        drop(budget.admit("Test").await.unwrap());
        let next = tokio::time::timeout(Duration::from_secs(1), budget.admit("Test")).await;
        assert!(next.is_ok(), "nothing in flight: no answer is coming to wait for");
    }

    #[tokio::test]
    async fn off_lets_everything_through() {
        let budget = Budget::new(Pacing::off());
        assert!(budget.admit("Test").await.is_none());
    }
}
