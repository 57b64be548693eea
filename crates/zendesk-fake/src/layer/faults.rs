//! Injected faults: a rate limit, a share of 503s, added latency.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::Faults;

/// The path of the incremental event export.
const INCREMENTAL_EXPORT_PATH: &str = "/api/v2/tickets/side_conversations/events";

pub struct FaultState {
    faults: Faults,
    window: WindowCounter,
    random: Mutex<u64>,
}

/// Counts requests in a window of time that starts again once it is over.
pub struct WindowCounter {
    window: Duration,
    counted: Mutex<(Instant, u32)>,
}

impl WindowCounter {
    pub fn new(window: Duration) -> Self {
        WindowCounter {
            window,
            counted: Mutex::new((Instant::now(), 0)),
        }
    }

    /// Counts one more request; how many this window holds with it.
    pub fn count(&self) -> u32 {
        let mut counted = self.counted.lock().unwrap_or_else(|e| e.into_inner());
        if counted.0.elapsed() >= self.window {
            *counted = (Instant::now(), 0);
        }
        counted.1 = counted.1.saturating_add(1);
        counted.1
    }
}

impl FaultState {
    pub fn new(faults: Faults) -> Self {
        let seed = faults.random_seed | 1;
        let window = faults.rate_limit.map_or(Duration::ZERO, |r| r.window);
        FaultState {
            faults,
            window: WindowCounter::new(window),
            random: Mutex::new(seed),
        }
    }

    /// A number in [0, 1) from a xorshift generator: repeatable for a seed.
    fn next_fraction(&self) -> f64 {
        let mut state = self.random.lock().unwrap_or_else(|e| e.into_inner());
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    fn rate_limited(&self) -> Option<u64> {
        let limit = self.faults.rate_limit?;
        (self.window.count() > limit.requests).then_some(limit.retry_after)
    }
}

/// The fault this request meets, if any; else the mode's answer.
pub async fn inject(state: &FaultState, request: Request, next: Next) -> Response {
    if !state.faults.latency.is_zero() {
        tokio::time::sleep(state.faults.latency).await;
    }
    if let Some(retry_after) = state.rate_limited() {
        let retry_after = [(header::RETRY_AFTER, retry_after.to_string())];
        // The incremental export family has its own limit and answers in
        // JSON; everything else gets the rate limiter's plain text.
        if request.uri().path().ends_with(INCREMENTAL_EXPORT_PATH) {
            let body = serde_json::json!({
                "error": "APIRateLimitExceeded",
                "description": "Number of allowed incremental export API requests per minute exceeded",
            });
            return (StatusCode::TOO_MANY_REQUESTS, retry_after, axum::Json(body)).into_response();
        }
        return (
            StatusCode::TOO_MANY_REQUESTS,
            retry_after,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Rate limit exceeded",
        )
            .into_response();
    }
    if state.faults.unavailable_share > 0.0
        && state.next_fraction() < state.faults.unavailable_share
    {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, state.faults.unavailable_retry_after.to_string())],
            axum::Json(serde_json::json!({"error": "ServiceUnavailable", "description": "Try again shortly"})),
        )
            .into_response();
    }
    next.run(request).await
}
