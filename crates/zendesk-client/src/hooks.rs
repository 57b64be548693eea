//! What runs around every request of the client (progenitor's
//! `ClientHooks`): retries, tracing, and the marks the error type reads.

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, OperationInfo};
use tracing::Instrument;

use crate::pacing::{Budget, Pacing};
use crate::retry::{decide, is_idempotent, retry_after, Decision, RetryPolicy};
use crate::Client;

/// Set on every response: how many attempts the call took.
pub(crate) const ATTEMPTS_HEADER: &str = "x-zendesk-client-attempts";
/// Set on an error response whose body was not JSON; the text is then the
/// `description` of the error body the generated code reads.
pub(crate) const RAW_BODY_HEADER: &str = "x-zendesk-client-raw-body";

/// Per-client settings the hooks read (the generated client's inner value).
///
/// Every way to build a [`Client`] takes a `ClientSettings`, and making one
/// installs the TLS crypto provider (rustls with ring) for the process if
/// none is installed yet, so building the client's HTTP stack cannot fail
/// for want of one.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    pub(crate) retry: RetryPolicy,
    /// Shared by every clone of the client.
    pub(crate) budget: Arc<Budget>,
}

impl ClientSettings {
    /// The default settings: `RetryPolicy::default()`.
    pub fn new() -> Self {
        // Fails only when a provider is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        ClientSettings {
            retry: RetryPolicy::default(),
            budget: Arc::new(Budget::new(Pacing::default())),
        }
    }

    /// The same settings with another retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same settings with another pacing, and a budget of its own.
    pub fn with_pacing(mut self, pacing: Pacing) -> Self {
        self.budget = Arc::new(Budget::new(pacing));
        self
    }
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self::new()
    }
}

thread_local! {
    /// The attempts of a call that ended in a transport error, from `exec` to
    /// `post`. The generated code calls `post` right after `exec` returns, in
    /// the same poll on the same thread, and a `reqwest::Error` cannot carry it.
    static TRANSPORT_ATTEMPTS: Cell<u32> = const { Cell::new(0) };
}

/// The prefix of the `Error::Custom` message `post` makes of a transport
/// error; the error type reads the attempts back from it.
pub(crate) const TRANSPORT_PREFIX: &str = "transport error after ";

impl ClientHooks<ClientSettings> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // progenitor sends its own `api-version` header on every request;
        // Zendesk has no such header, so it is not sent.
        request.headers_mut().remove("api-version");
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner.retry;
        let idempotent = is_idempotent(request.method());
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        let mut pending = request;
        loop {
            // A streamed body cannot be sent twice: such a call gets one attempt.
            let spare = (attempt < policy.max_attempts)
                .then(|| pending.try_clone())
                .flatten();
            let span = tracing::info_span!(
                "zendesk.request",
                operation = info.operation_id,
                method = %pending.method(),
                path = pending.url().path(),
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            // Every attempt waits for the client's shared budget; the
            // response tells the budget what the account has left.
            let ticket = self
                .inner
                .budget
                .admit(info.operation_id)
                .instrument(span.clone())
                .await;
            let started = Instant::now();
            let result = self.client.execute(pending).instrument(span.clone()).await;
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            if let Ok(response) = &result {
                self.inner
                    .budget
                    .observe(ticket, response.headers(), response.status().as_u16());
            }
            let wait = match &result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    match decide(
                        response.status(),
                        idempotent,
                        retry_after(response.headers()),
                    ) {
                        Decision::Done => None,
                        Decision::RetryAfter(wait) => {
                            (wait <= policy.max_retry_after).then_some(wait)
                        }
                        Decision::Backoff => Some(policy.backoff(attempt)),
                    }
                }
                Err(error)
                    if idempotent
                        && (error.is_connect() || error.is_timeout() || error.is_request()) =>
                {
                    Some(policy.backoff(attempt))
                }
                Err(_) => None,
            };
            match (wait, spare) {
                (Some(wait), Some(spare)) if waited + wait <= policy.max_total_wait => {
                    span.in_scope(|| {
                        tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying")
                    });
                    drop(result);
                    policy.sleeper.sleep(wait).await;
                    waited += wait;
                    attempt += 1;
                    pending = spare;
                }
                _ => return finish(result, attempt).await,
            }
        }
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        match result {
            Ok(_) => Ok(()),
            Err(error) => {
                let attempts = TRANSPORT_ATTEMPTS.with(|a| a.replace(0)).max(1);
                let error = error.without_url_ref();
                Err(progenitor_client::Error::Custom(format!(
                    "{TRANSPORT_PREFIX}{attempts} attempt(s): {error}"
                )))
            }
        }
    }
}

/// Marks the final response with the attempts made, and gives an error body
/// that is not JSON (Zendesk's plain-text 429) a JSON form, so the generated
/// code keeps its status and headers instead of failing to parse it.
async fn finish(
    result: reqwest::Result<reqwest::Response>,
    attempts: u32,
) -> reqwest::Result<reqwest::Response> {
    let mut response = match result {
        Ok(response) => response,
        Err(error) => {
            TRANSPORT_ATTEMPTS.with(|a| a.set(attempts));
            return Err(error);
        }
    };
    response
        .headers_mut()
        .insert(ATTEMPTS_HEADER, attempts.into());
    let is_json = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if response.status().as_u16() < 400 || is_json {
        return Ok(response);
    }
    let status = response.status();
    let mut headers = response.headers().clone();
    let text = response.text().await?;
    headers.remove(reqwest::header::CONTENT_LENGTH);
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    headers.insert(
        RAW_BODY_HEADER,
        reqwest::header::HeaderValue::from_static("1"),
    );
    let body = serde_json::json!({ "description": text }).to_string();
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

/// `reqwest::Error::without_url` takes the error by value; this renders the
/// same text from a reference (URLs may carry upload tokens).
trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let text = self.to_string();
        match self.url() {
            Some(url) => text.replace(&format!(" for url ({url})"), ""),
            None => text,
        }
    }
}
