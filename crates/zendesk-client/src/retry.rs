//! When a request is sent again, and after how long.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// How the client retries. The defaults suit Zendesk's rate limits: up to 4
/// attempts, `Retry-After` honoured up to 60 s, at most 2 minutes of waiting.
#[derive(Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub(crate) max_attempts: u32,
    /// The longest `Retry-After` honoured; a longer one ends the retries and
    /// is reported in the error, for the caller to decide.
    pub(crate) max_retry_after: Duration,
    /// The most time spent waiting between the attempts of one call.
    pub(crate) max_total_wait: Duration,
    /// The first backoff for errors that name no wait; it doubles per attempt.
    pub(crate) initial_backoff: Duration,
    /// The longest single backoff.
    pub(crate) max_backoff: Duration,
    pub(crate) sleeper: Arc<dyn Sleeper>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_retry_after: Duration::from_secs(60),
            max_total_wait: Duration::from_secs(120),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            sleeper: Arc::new(TokioSleeper),
        }
    }
}

impl std::fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("max_retry_after", &self.max_retry_after)
            .field("max_total_wait", &self.max_total_wait)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .finish_non_exhaustive()
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Default::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest `Retry-After` to wait out; a longer one ends the retries.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The most time spent waiting between the attempts of one call.
    pub fn with_max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// The first backoff (it doubles per attempt) and the longest one.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Waits through `sleeper` instead of the tokio timer (for tests, or to
    /// record waits).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// The backoff before attempt `attempt + 1`, with full jitter.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        ceiling.mul_f64(jitter())
    }
}

/// Waits between attempts.
pub trait Sleeper: Send + Sync {
    /// A future that ends after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A factor in [0.5, 1.0), from the clock's low bits: spreading the retries
/// of many clients needs no cryptographic randomness.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    0.5 + f64::from(nanos % 1000) / 2000.0
}

/// Methods that may be sent twice without doing twice what they do.
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    matches!(
        *method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
    )
}

/// What to do after an attempt answered with `status`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Done,
    RetryAfter(Duration),
    Backoff,
}

pub(crate) fn decide(
    status: reqwest::StatusCode,
    idempotent: bool,
    retry_after: Option<Duration>,
) -> Decision {
    match status.as_u16() {
        // The service says it did not take the request: safe for any method.
        429 => retry_after.map_or(Decision::Backoff, Decision::RetryAfter),
        // Unavailable, come back after `Retry-After`: also not taken.
        503 if retry_after.is_some() => Decision::RetryAfter(retry_after.unwrap_or_default()),
        503 if idempotent => Decision::Backoff,
        500..=599 if idempotent => Decision::Backoff,
        _ => Decision::Done,
    }
}

/// `Retry-After` in seconds (Zendesk's form); an HTTP date is not used here.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    #[test]
    fn only_what_the_service_did_not_process_is_sent_again() {
        let wait = Some(Duration::from_secs(2));
        assert_eq!(
            decide(StatusCode::TOO_MANY_REQUESTS, false, wait),
            Decision::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(
            decide(StatusCode::TOO_MANY_REQUESTS, false, None),
            Decision::Backoff
        );
        assert_eq!(
            decide(StatusCode::SERVICE_UNAVAILABLE, true, wait),
            Decision::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(
            decide(StatusCode::SERVICE_UNAVAILABLE, false, wait),
            Decision::RetryAfter(Duration::from_secs(2)),
            "a 503 with Retry-After says the request was not taken"
        );
        assert_eq!(
            decide(StatusCode::SERVICE_UNAVAILABLE, false, None),
            Decision::Done
        );
        assert_eq!(
            decide(StatusCode::SERVICE_UNAVAILABLE, true, None),
            Decision::Backoff
        );
        assert_eq!(
            decide(StatusCode::INTERNAL_SERVER_ERROR, true, None),
            Decision::Backoff
        );
        assert_eq!(
            decide(StatusCode::INTERNAL_SERVER_ERROR, false, None),
            Decision::Done
        );
        assert_eq!(decide(StatusCode::NOT_FOUND, true, None), Decision::Done);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let policy = RetryPolicy::default();
        for attempt in 1..10 {
            let ceiling = (policy.initial_backoff * 2u32.pow(attempt - 1)).min(policy.max_backoff);
            let backoff = policy.backoff(attempt);
            assert!(
                backoff >= ceiling / 2 && backoff < ceiling,
                "{attempt}: {backoff:?} vs {ceiling:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(reqwest::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
