//! The layer every mode's requests pass through, as one middleware: the
//! headers the service puts on every response (`response_headers`), scripted
//! responses and the journal (`intercept`, `scripts`, `journal`), and
//! injected faults (`faults`). The fake's own API under `/__fake/` passes
//! through untouched.

pub mod faults;
pub mod intercept;
pub mod journal;
pub mod response_headers;
pub mod scripts;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Config;
use faults::FaultState;
use intercept::{Control, ADMIN_PREFIX};
use response_headers::RateLimitCounter;

/// What the layer keeps between requests.
pub struct Layer {
    pub control: Arc<Control>,
    faults: FaultState,
    headers: RateLimitCounter,
}

impl Layer {
    pub fn new(config: &Config) -> Layer {
        Layer {
            control: Arc::new(Control::new(config.journal_limit)),
            faults: FaultState::new(config.faults.clone()),
            headers: RateLimitCounter::new(&config.faults),
        }
    }
}

/// The middleware: one for every mode, so that a request pays for one.
pub async fn handle(State(layer): State<Arc<Layer>>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with(ADMIN_PREFIX) {
        return next.run(request).await;
    }
    let stamp = layer.headers.stamp();
    let mut response =
        intercept::script_and_record(&layer.control, &layer.faults, request, next).await;
    layer.headers.add(stamp, &mut response);
    response
}
