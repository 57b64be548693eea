//! What every response of the service carries: its rate limit
//! (`X-Rate-Limit`, `X-Rate-Limit-Remaining`) and a request id
//! (`X-Request-Id`), seen on every recorded response.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Faults;
use crate::faults::WindowCounter;

/// Requests a minute an account gets when no rate limit fault says otherwise
/// (Zendesk's Suite Professional limit).
const DEFAULT_LIMIT: u32 = 700;

/// Counts requests per window to report what remains of the limit.
pub struct RateLimitCounter {
    limit: u32,
    counted: WindowCounter,
    request_ids: AtomicU64,
}

impl RateLimitCounter {
    pub fn new(faults: &Faults) -> Self {
        let (limit, window) = faults
            .rate_limit
            .map_or((DEFAULT_LIMIT, Duration::from_secs(60)), |r| {
                (r.requests, r.window)
            });
        RateLimitCounter {
            limit,
            counted: WindowCounter::new(window),
            request_ids: AtomicU64::new(0),
        }
    }

    fn remaining(&self) -> u32 {
        self.limit.saturating_sub(self.counted.count())
    }

    /// A request id shaped like the service's: 16 hex digits, unique per
    /// request of this fake.
    fn request_id(&self) -> String {
        let n = self.request_ids.fetch_add(1, Ordering::Relaxed) + 1;
        // splitmix64: distinct, well spread ids from a counter.
        let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        format!("{:016x}", z ^ (z >> 31))
    }
}

pub async fn add(
    State(counter): State<Arc<RateLimitCounter>>,
    request: Request,
    next: Next,
) -> Response {
    if request
        .uri()
        .path()
        .starts_with(crate::control::ADMIN_PREFIX)
    {
        return next.run(request).await;
    }
    let remaining = counter.remaining();
    let request_id = counter.request_id();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // A scripted response may set its own values; those stand.
    for (name, value) in [
        ("x-rate-limit", counter.limit.to_string()),
        ("x-rate-limit-remaining", remaining.to_string()),
        ("x-request-id", request_id),
    ] {
        if !headers.contains_key(name) {
            if let Ok(value) = HeaderValue::try_from(value) {
                headers.insert(name, value);
            }
        }
    }
    response
}
