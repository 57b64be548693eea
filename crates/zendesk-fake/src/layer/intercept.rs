//! The middleware every request of the API passes through, whatever the
//! mode: it finds the request's operation, answers a scripted call before
//! the mode sees it, and records the exchange in the journal.

use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};

use super::journal::{Journal, Received};
use super::scripts::Scripts;
use crate::errors::ApiError;

/// Where the fake's own control API lives: a prefix the service never uses.
pub const ADMIN_PREFIX: &str = "/__fake";

/// The largest request body the fake reads: Zendesk's 50 MB attachment limit
/// (larger ones get 413).
pub const MAX_REQUEST_BODY: usize = 50 * 1024 * 1024;

/// Scripts and journal, shared by the middleware and the control API.
#[derive(Debug)]
pub struct Control {
    pub scripts: Scripts,
    pub journal: Journal,
}

impl Control {
    pub fn new(journal_limit: usize) -> Self {
        Control {
            scripts: Scripts::default(),
            journal: Journal::new(journal_limit),
        }
    }
}

/// Records every request in the journal and answers scripted calls before
/// anything else sees them; the rest are answered by `otherwise` (the rate
/// limits, the faults, then the mode).
pub async fn script_and_record<F, Fut>(
    control: &Control,
    operation_id: Option<&'static str>,
    request: Request,
    otherwise: F,
) -> Response
where
    F: FnOnce(Request) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    // A request without a body (most GETs) is passed on as it is; one with
    // a body is read once, for the journal and the handler alike.
    let (request, body) = if request.body().is_end_stream() {
        (request, None)
    } else {
        let (parts, body) = request.into_parts();
        match axum::body::to_bytes(body, MAX_REQUEST_BODY).await {
            Ok(bytes) => (
                Request::from_parts(parts, Body::from(bytes.clone())),
                Some(bytes),
            ),
            Err(_) => return ApiError::too_large(MAX_REQUEST_BODY).into_response(),
        }
    };
    let entry = control.journal.start(&Received {
        method: request.method(),
        path: request.uri().path(),
        query: request.uri().query(),
        operation_id,
        headers: request.headers(),
        body: body.as_deref().unwrap_or_default(),
    });
    drop(body);

    let scripted = operation_id.and_then(|id| control.scripts.next(id));
    let response = match scripted {
        Some(scripted) => {
            if scripted.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(scripted.delay_ms)).await;
            }
            scripted.to_response()
        }
        None => otherwise(request).await,
    };
    if let Some(entry) = entry {
        control.journal.record(entry, response.status().as_u16());
    }
    response
}
