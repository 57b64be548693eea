//! The layer every mode's requests pass through, as one middleware: rate
//! limits and the headers the service puts on every response
//! (`rate_limits`, `response_headers`), scripted responses and the journal
//! (`intercept`, `scripts`, `journal`), injected faults (`faults`), and
//! what the spec says of an exchange (`checks`). The fake's own API under
//! `/__fake/` passes through untouched.

pub mod checks;
pub mod faults;
pub mod intercept;
pub mod journal;
pub mod rate_limits;
pub mod response_headers;
pub mod scripts;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Config;
use faults::FaultState;
use intercept::{Control, ADMIN_PREFIX};
use rate_limits::RateLimits;
use response_headers::RequestIds;

/// What the layer keeps between requests.
pub struct Layer {
    pub control: Arc<Control>,
    faults: FaultState,
    rate_limits: RateLimits,
    request_ids: RequestIds,
    /// Whether the fake answers the API itself (the stateful mode): a proxy
    /// passes the upstream's headers on as they are, and a replay the
    /// recorded ones, so only the layer's own refusals get its headers.
    answers_itself: bool,
}

impl Layer {
    pub fn new(config: &Config) -> std::io::Result<Layer> {
        Ok(Layer {
            control: Arc::new(Control::new(config.journal_limit)),
            faults: FaultState::new(config.faults.clone()),
            rate_limits: RateLimits::new(&config.faults)?,
            request_ids: RequestIds::default(),
            answers_itself: config.proxy.is_none() && config.replay.is_none(),
        })
    }
}

/// The middleware: one for every mode, so that a request pays for one.
pub async fn handle(State(layer): State<Arc<Layer>>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with(ADMIN_PREFIX) {
        return next.run(request).await;
    }
    let operation_id =
        zendesk_validate::operation_at(request.method().as_str(), request.uri().path())
            .map(|o| o.id);
    let limits = layer.rate_limits.take(operation_id);
    let request_id = layer.request_ids.next();
    let refused = limits.refused().then(|| limits.too_many_requests(operation_id));
    let service_headers = layer.answers_itself || refused.is_some();
    let mut response = intercept::script_and_record(
        &layer.control,
        operation_id,
        request,
        |request| async {
            match refused {
                Some(too_many) => too_many,
                None => faults::inject(&layer.faults, request, next).await,
            }
        },
    )
    .await;
    if service_headers {
        limits.add_headers(&mut response);
        response_headers::add_request_id(request_id, &mut response);
    }
    response
}
