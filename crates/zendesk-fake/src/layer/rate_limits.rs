//! Rate limits as Zendesk enforces them: an account-wide budget per window,
//! endpoint limits on top of it (which the account's headers do not show),
//! and a share of the budget spent by another integration of the account.
//! Every response carries the account's headers; a refused request gets a
//! 429 whose `Retry-After` is the seconds until its window resets.
//!
//! Time is tokio's, so that a test on a paused clock sees windows pass.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

use crate::config::Faults;

/// Requests a minute an account gets when no limit is configured (Zendesk
/// Suite Enterprise's); reported, not enforced.
const DEFAULT_LIMIT: u32 = 700;

/// The incremental export family has its own limit and answers in JSON.
const INCREMENTAL_EXPORT: &str = "IncrementalSideConversationEventExport";

/// A budget of requests per window; windows follow one another from the
/// fake's start, as the service's minutes do.
struct Window {
    requests: u32,
    length: Duration,
    /// The start of the current window and the requests counted in it.
    started: Instant,
    used: u32,
}

impl Window {
    fn new(requests: u32, length: Duration, now: Instant) -> Window {
        Window {
            requests,
            // From 1 ms to a day, as the binary's flags allow: a longer
            // window would overflow `Instant` arithmetic.
            length: length.clamp(Duration::from_millis(1), Duration::from_secs(86_400)),
            started: now,
            used: 0,
        }
    }

    /// Moves to the window `now` is in.
    fn roll(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.started);
        if elapsed >= self.length {
            let windows = elapsed.as_nanos() / self.length.as_nanos();
            let whole = self.length.as_nanos() * windows;
            self.started += Duration::from_nanos(u64::try_from(whole).unwrap_or(u64::MAX));
            self.used = 0;
        }
    }

    /// What another integration has spent of this window by `now`: `share`
    /// of the budget, spent evenly over the window.
    fn foreign(&self, share: f64, now: Instant) -> u32 {
        if share <= 0.0 {
            return 0;
        }
        let elapsed = now.saturating_duration_since(self.started).as_secs_f64();
        let fraction = (elapsed / self.length.as_secs_f64()).min(1.0);
        (share * f64::from(self.requests) * fraction).floor() as u32
    }

    fn spent(&self, share: f64, now: Instant) -> u32 {
        self.used.saturating_add(self.foreign(share, now))
    }

    fn reset_in(&self, now: Instant) -> Duration {
        (self.started + self.length).saturating_duration_since(now)
    }
}

/// What the account's headers say, and whether the request may go on.
pub struct Decision {
    limit: u32,
    remaining: u32,
    reset: Duration,
    /// Set when a limit refused the request: the seconds until it resets.
    refused: Option<u64>,
}

impl Decision {
    /// Whether a limit refused the request.
    pub fn refused(&self) -> bool {
        self.refused.is_some()
    }

    /// The 429 the service sends: JSON for the incremental export family,
    /// plain text from the rate limiter for everything else.
    pub fn too_many_requests(&self, operation_id: Option<&str>) -> Response {
        let retry_after = [(header::RETRY_AFTER, self.refused.unwrap_or(1).to_string())];
        if operation_id == Some(INCREMENTAL_EXPORT) {
            let body = serde_json::json!({
                "error": "APIRateLimitExceeded",
                "description": "Number of allowed incremental export API requests per minute exceeded",
            });
            return (StatusCode::TOO_MANY_REQUESTS, retry_after, axum::Json(body)).into_response();
        }
        (
            StatusCode::TOO_MANY_REQUESTS,
            retry_after,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Rate limit exceeded",
        )
            .into_response()
    }

    /// Adds the account's headers; a scripted response may set its own
    /// values, and those stand.
    pub fn add_headers(&self, response: &mut Response) {
        const NAMES: [HeaderName; 5] = [
            HeaderName::from_static("x-rate-limit"),
            HeaderName::from_static("x-rate-limit-remaining"),
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
        ];
        let limit = u64::from(self.limit);
        let remaining = u64::from(self.remaining);
        let reset = seconds_up(self.reset);
        let values = [limit, remaining, limit, remaining, reset].map(number_value);
        let headers = response.headers_mut();
        headers.reserve(NAMES.len());
        for (name, value) in NAMES.into_iter().zip(values) {
            headers.entry(name).or_insert(value);
        }
    }
}

/// `n` as a header value. Every response carries five of these, so the
/// numbers a budget usually has (below [`STATIC_NUMBERS`]) are written once
/// for the process and shared; a larger one is written for its response.
fn number_value(n: u64) -> HeaderValue {
    static DIGITS: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    if n >= STATIC_NUMBERS {
        return HeaderValue::from(n);
    }
    // 0 to 9, then 10 to 99, ...: the numbers of d digits start where those
    // of fewer digits end, so where `n` lies follows from `n` alone.
    let digits = DIGITS.get_or_init(|| {
        let all: String = (0..STATIC_NUMBERS).map(|n| n.to_string()).collect();
        Box::leak(all.into_boxed_str())
    });
    let (mut start, mut width, mut first) = (0, 1, 0);
    loop {
        let next = (first * 10).max(10);
        if n < next {
            break;
        }
        start += (next - first) * width;
        (first, width) = (next, width + 1);
    }
    let start = (start + (n - first) * width) as usize;
    HeaderValue::from_static(&digits[start..start + width as usize])
}

/// The numbers below this are [`number_value`]'s shared ones: a few tens of
/// kilobytes, written once.
const STATIC_NUMBERS: u64 = 10_000;

/// Whole seconds, rounded up: a client that waits them finds the window over.
fn seconds_up(duration: Duration) -> u64 {
    let seconds = duration.as_secs();
    if duration.subsec_nanos() > 0 {
        seconds + 1
    } else {
        seconds
    }
}

struct State {
    account: Window,
    endpoints: HashMap<&'static str, Window>,
}

/// The account's limits and every endpoint's.
pub struct RateLimits {
    enforced: bool,
    foreign_share: f64,
    state: Mutex<State>,
}

impl RateLimits {
    /// The limits `faults` configures; an endpoint limit naming no operation
    /// of the spec is refused.
    pub fn new(faults: &Faults) -> std::io::Result<RateLimits> {
        let now = Instant::now();
        let (requests, length) = faults
            .rate_limit
            .map_or((DEFAULT_LIMIT, Duration::from_secs(60)), |r| (r.requests, r.window));
        let mut endpoints = HashMap::new();
        for limit in &faults.endpoint_limits {
            let operation = zendesk_validate::operation(&limit.operation).ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "endpoint limit for `{}`: no such operation in the spec (`zendesk-validate --list` lists them)",
                        limit.operation
                    ),
                )
            })?;
            endpoints.insert(operation.id, Window::new(limit.requests, limit.window, now));
        }
        if !(0.0..1.0).contains(&faults.foreign_share) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "the foreign share must be from 0.0 to below 1.0, not {}",
                    faults.foreign_share
                ),
            ));
        }
        Ok(RateLimits {
            enforced: faults.rate_limit.is_some(),
            foreign_share: faults.foreign_share,
            state: Mutex::new(State {
                account: Window::new(requests, length, now),
                endpoints,
            }),
        })
    }

    /// Counts a request of `operation_id` against the account and its
    /// endpoint, unless one of them is spent (a refused request spends
    /// nothing).
    pub fn take(&self, operation_id: Option<&str>) -> Decision {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let State { account, endpoints } = &mut *state;
        account.roll(now);
        let share = self.foreign_share;
        let mut refused = None;
        if self.enforced && account.spent(share, now) >= account.requests {
            refused = Some(seconds_up(account.reset_in(now)).max(1));
        }
        let endpoint = operation_id.and_then(|id| endpoints.get_mut(id));
        if let Some(endpoint) = endpoint {
            endpoint.roll(now);
            if refused.is_none() {
                if endpoint.used >= endpoint.requests {
                    refused = Some(seconds_up(endpoint.reset_in(now)).max(1));
                } else {
                    endpoint.used += 1;
                }
            }
        }
        if refused.is_none() {
            account.used = account.used.saturating_add(1);
        }
        Decision {
            limit: account.requests,
            remaining: account.requests.saturating_sub(account.spent(share, now)),
            reset: account.reset_in(now),
            refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{EndpointLimit, RateLimitFault};

    #[test]
    fn a_number_header_value_is_its_decimal_digits() {
        for n in (0..STATIC_NUMBERS + 20).chain([u64::from(u32::MAX), u64::MAX]) {
            assert_eq!(number_value(n).to_str().unwrap(), n.to_string());
        }
    }

    fn limits(requests: u32, endpoint: Option<(&str, u32)>, share: f64) -> RateLimits {
        RateLimits::new(&Faults {
            rate_limit: Some(RateLimitFault {
                requests,
                window: Duration::from_secs(60),
            }),
            endpoint_limits: endpoint
                .map(|(operation, requests)| EndpointLimit {
                    operation: operation.into(),
                    requests,
                    window: Duration::from_secs(60),
                })
                .into_iter()
                .collect(),
            foreign_share: share,
            ..Faults::default()
        })
        .unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn the_account_refuses_past_its_budget_until_the_window_resets() {
        let limits = limits(3, None, 0.0);
        let remaining: Vec<u32> = (0..3).map(|_| limits.take(None).remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        tokio::time::advance(Duration::from_millis(20_500)).await;
        let refused = limits.take(None);
        assert_eq!(refused.refused, Some(40), "39.5 s left, rounded up");
        assert_eq!(seconds_up(refused.reset), 40);
        tokio::time::advance(Duration::from_secs(40)).await;
        let again = limits.take(None);
        assert!(!again.refused());
        assert_eq!(again.remaining, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn an_endpoint_limit_refuses_below_the_account_s_and_the_headers_do_not_show_it() {
        let limits = limits(100, Some(("ShowAttachment", 2)), 0.0);
        assert!(!limits.take(Some("ShowAttachment")).refused());
        assert!(!limits.take(Some("ShowAttachment")).refused());
        let refused = limits.take(Some("ShowAttachment"));
        assert!(refused.refused());
        assert_eq!(refused.remaining, 98, "the account's budget, not the endpoint's");
        assert!(!limits.take(Some("ListSideConversations")).refused());
    }

    #[tokio::test(start_paused = true)]
    async fn a_foreign_share_spends_the_budget_over_the_window() {
        let limits = limits(100, None, 0.2);
        assert_eq!(limits.take(None).remaining, 99);
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(limits.take(None).remaining, 88, "10 spent by someone else by mid-window");
        assert!(RateLimits::new(&Faults {
            foreign_share: 1.0,
            ..Faults::default()
        })
        .is_err());
    }
}
