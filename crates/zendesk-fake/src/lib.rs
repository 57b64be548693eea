//! A stateful local Zendesk for side conversations, tickets and attachments.
//!
//! Start one in a test, point a client at its base URL, and it behaves as
//! the spec and Zendesk's documentation say: side conversations keep their
//! messages, events, participants and state; lists page; the export runs
//! from a `start_time`; uploads chain tokens; redaction is permanent. Every
//! request body is checked against the spec (a bad one gets Zendesk's error
//! body and changes nothing), and callers sign in with a role.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;
//! let client = zendesk_client::Client::builder()
//!     .base_url(fake.base_url())
//!     .credentials(zendesk_client::Credentials::api_token("agent@example.com", "agent-token"))
//!     .build()
//!     .unwrap();
//! let page = client.list_side_conversations().ticket_id(12345).send().await.unwrap();
//! assert_eq!(page.into_inner().count, Some(0));
//! # Ok(())
//! # }
//! ```
//!
//! The default account ([`Seed::default`]): admin `admin@example.com`
//! (API token `admin-token`, OAuth token `admin-oauth`), agent
//! `agent@example.com` (`agent-token`, `agent-oauth`), end user
//! `customer@example.com` (`customer-token`); tickets 12345 and 12346, and
//! closed ticket 12347.

#![warn(missing_docs)]
// Generated types are built with `..Default::default()` even where every
// field is set today, so that a property the spec adds later breaks nothing.
#![allow(clippy::needless_update)]

// The shared layer every mode's requests pass through, the modes that
// answer them, the fake's own control API, and how they are put together.
mod cassette;
mod config;
mod control_api;
mod errors;
pub mod fidelity;
mod layer;
mod proxy;
mod record;
mod replay;
mod server;
mod stateful;

pub use cassette::{Body as RecordedBody, Exchange, CASSETTE_FILE};
pub use config::{
    Config, EndpointLimit, Faults, ProxyConfig, RateLimitFault, ReplayConfig, Role, ScrubRule,
    Seed, SeedAttachment, SeedComment, SeedTicket, User, ZendeskPlan,
};
pub use layer::checks::{Finding, Side};
pub use proxy::report::Summary as ProxySummary;
pub use proxy::VIOLATIONS_HEADER;
pub use record::scrub::{EMAIL_SUFFIX, HOST_PLACEHOLDER};
pub use record::FIXTURES_DIR;
pub use control_api::MAX_CONTROL_BODY;
pub use layer::intercept::{ADMIN_PREFIX, MAX_REQUEST_BODY};
pub use layer::journal::{
    RecordedRequest, DEFAULT_JOURNAL_LIMIT, JOURNAL_BODY_LIMIT, JOURNAL_BYTES_LIMIT,
};
pub use layer::scripts::{
    ScriptError, ScriptedBody, ScriptedResponse, MAX_DELAY_MS, MAX_QUEUED_SCRIPTS,
    MAX_SCRIPTED_HEADERS,
};

/// Records calls may add to the account by default
/// ([`Config::account_limit`]): about 280 MiB of memory when they are
/// tickets with a short comment each.
pub const DEFAULT_ACCOUNT_LIMIT: usize = 100_000;

use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running fake. It stops when dropped (or with [`FakeZendesk::stop`]).
pub struct FakeZendesk {
    base_url: String,
    app: Arc<stateful::App>,
    control: Arc<layer::intercept::Control>,
    report: Option<Arc<proxy::report::Report>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for FakeZendesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeZendesk")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeZendesk {
    /// `http://127.0.0.1:{port}`, where it listens.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The next `times` calls of `operation_id` answer `response` instead of
    /// the account (after any scripted before). A JSON body is checked
    /// against what the spec says that operation answers with that status
    /// (Zendesk's error body for an error status it does not document); the
    /// status must be from 100 to 599, `delay_ms` at most [`MAX_DELAY_MS`],
    /// `times` at least 1, headers valid HTTP (and not the ones that frame a
    /// response, such as `Content-Length`), and an operation may have at
    /// most [`MAX_QUEUED_SCRIPTS`] scripts queued. A refused script changes
    /// nothing. A script is stored once, whatever `times` is.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use zendesk_fake::ScriptedResponse;
    /// let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;
    /// // A plain-text 429, as Zendesk's rate limiter sends it, twice.
    /// fake.script(
    ///     "ListSideConversations",
    ///     2,
    ///     ScriptedResponse::status(429).header("Retry-After", 1).text("Rate limit exceeded"),
    /// )?;
    /// // A body that breaks the spec is refused before any call sees it.
    /// let refused = fake.script("ShowAttachment", 1, ScriptedResponse::status(200).json(serde_json::json!({"attachment": 5})));
    /// assert!(refused.is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn script(
        &self,
        operation_id: &str,
        times: u32,
        response: ScriptedResponse,
    ) -> Result<(), ScriptError> {
        self.control.scripts.add(operation_id, times, response)
    }

    /// In proxy mode, what the report says so far: exchanges per
    /// operation, violations per rule (also `GET /__fake/report`).
    pub fn proxy_summary(&self) -> Option<ProxySummary> {
        self.report.as_ref().map(|r| r.summary())
    }

    /// Forgets every scripted response not yet sent.
    pub fn clear_scripts(&self) {
        self.control.scripts.clear();
    }

    /// The most recent requests received (but those to [`ADMIN_PREFIX`]),
    /// oldest first, without credentials: at most [`Config::journal_limit`]
    /// of them (and [`JOURNAL_BYTES_LIMIT`] bytes); [`Self::journal_dropped`]
    /// says how many older ones were let go.
    pub fn journal(&self) -> Vec<RecordedRequest> {
        self.control.journal.read().0
    }

    /// How many requests the journal let go to stay within its limits since
    /// the start (or the last clear or reset); every request when the limit
    /// is 0.
    pub fn journal_dropped(&self) -> u64 {
        self.control.journal.dropped()
    }

    /// The requests that called `operation_id`, oldest first.
    pub fn requests_for(&self, operation_id: &str) -> Vec<RecordedRequest> {
        self.journal()
            .into_iter()
            .filter(|r| r.operation_id.as_deref() == Some(operation_id))
            .collect()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.control.journal.clear();
    }

    /// Back to the seed: no side conversations, events or uploads, no
    /// scripts, an empty journal.
    pub fn reset(&self) {
        self.app.reset();
        self.control.scripts.clear();
        self.control.journal.clear();
    }

    /// Adds a side conversation with its events to `ticket_id` directly, as
    /// `ImportSideConversation` would (test data: no sign-in, no journal).
    /// The error is Zendesk's error body, as the import would answer.
    pub fn seed_side_conversation(
        &self,
        ticket_id: i64,
        body: &zendesk_models::ImportSideConversationRequest,
    ) -> Result<zendesk_models::SideConversationChangeResponse, serde_json::Value> {
        let body = serde_json::to_value(body).map_err(
            |e| serde_json::json!({"error": "InvalidRequest", "description": e.to_string()}),
        )?;
        self.app
            .seed_side_conversation(ticket_id, &body)
            .map_err(|e| e.body())
    }

    /// Stops serving and waits until it has.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

impl Drop for FakeZendesk {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Starts a fake on an ephemeral loopback port, in this process.
pub async fn start(config: Config) -> std::io::Result<FakeZendesk> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    serve_on(listener, config).await
}

/// Serves a fake on `listener` in the background.
pub async fn serve_on(listener: TcpListener, config: Config) -> std::io::Result<FakeZendesk> {
    let address = listener.local_addr()?;
    let base_url = format!("http://{address}");
    let server::Served {
        router,
        app,
        control,
        report,
    } = server::router(config, base_url.clone())?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(FakeZendesk {
        base_url,
        app,
        control,
        report,
        shutdown: Some(shutdown),
        task: Some(task),
    })
}
