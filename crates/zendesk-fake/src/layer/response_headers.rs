//! The request id every response of the service carries (`X-Request-Id`,
//! seen on every recorded response); the rate limit headers come from
//! `rate_limits`.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;

/// Hands out request ids.
#[derive(Default)]
pub struct RequestIds {
    issued: AtomicU64,
}

impl RequestIds {
    /// A request id shaped like the service's: 16 hex digits, unique per
    /// request of this fake.
    pub fn next(&self) -> HeaderValue {
        let n = self.issued.fetch_add(1, Ordering::Relaxed) + 1;
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

/// Adds the request id, unless a scripted response set its own.
pub fn add_request_id(id: HeaderValue, response: &mut Response) {
    const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
    response.headers_mut().entry(REQUEST_ID).or_insert(id);
}
