//! Injected faults: a share of 503s, added latency (rate limits are
//! `rate_limits`).

use std::sync::Mutex;

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::Faults;

pub struct FaultState {
    faults: Faults,
    random: Mutex<u64>,
}

impl FaultState {
    pub fn new(faults: Faults) -> Self {
        let seed = faults.random_seed | 1;
        FaultState {
            faults,
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
}

/// The fault this request meets, if any; else the mode's answer.
pub async fn inject(state: &FaultState, request: Request, next: Next) -> Response {
    if !state.faults.latency.is_zero() {
        tokio::time::sleep(state.faults.latency).await;
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
