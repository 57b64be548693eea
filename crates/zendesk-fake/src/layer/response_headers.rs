//! What every response of the service carries: its rate limit
//! (`X-Rate-Limit`, `X-Rate-Limit-Remaining`) and a request id
//! (`X-Request-Id`), seen on every recorded response.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;

use crate::config::Faults;
use crate::layer::faults::WindowCounter;

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
    fn request_id(&self) -> HeaderValue {
        let n = self.request_ids.fetch_add(1, Ordering::Relaxed) + 1;
        // splitmix64: distinct, well spread ids from a counter.
        let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let id = z ^ (z >> 31);
        let mut hex = [0u8; 16];
        for (i, digit) in hex.iter_mut().enumerate() {
            *digit = b"0123456789abcdef"[((id >> (60 - 4 * i)) & 0xf) as usize];
        }
        HeaderValue::from_bytes(&hex).expect("hex digits are a valid header value")
    }
}

/// What a response will say of the rate limit and its id, taken when the
/// request arrives.
pub struct Stamp {
    remaining: u32,
    request_id: HeaderValue,
}

impl RateLimitCounter {
    /// Counts the request; the headers its response will carry.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            remaining: self.remaining(),
            request_id: self.request_id(),
        }
    }

    /// Adds the headers to `response`; a scripted response may set its own
    /// values, and those stand.
    pub fn add(&self, stamp: Stamp, response: &mut Response) {
        const LIMIT: HeaderName = HeaderName::from_static("x-rate-limit");
        const REMAINING: HeaderName = HeaderName::from_static("x-rate-limit-remaining");
        const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
        let headers = response.headers_mut();
        if !headers.contains_key(&LIMIT) {
            headers.insert(LIMIT, HeaderValue::from(self.limit));
        }
        if !headers.contains_key(&REMAINING) {
            headers.insert(REMAINING, HeaderValue::from(stamp.remaining));
        }
        if !headers.contains_key(&REQUEST_ID) {
            headers.insert(REQUEST_ID, stamp.request_id);
        }
    }
}
