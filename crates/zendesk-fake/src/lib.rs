//! A stateful local Zendesk for side conversations and attachments.
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

mod config;
mod errors;
mod faults;
mod http;
mod store;

pub use config::{
    Config, Faults, RateLimitFault, Role, Seed, SeedAttachment, SeedComment, SeedTicket, User,
};

use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running fake. It stops when dropped (or with [`FakeZendesk::stop`]).
#[derive(Debug)]
pub struct FakeZendesk {
    base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl FakeZendesk {
    /// `http://127.0.0.1:{port}`, where it listens.
    pub fn base_url(&self) -> &str {
        &self.base_url
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
    let router = http::router(config, base_url.clone());
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
        shutdown: Some(shutdown),
        task: Some(task),
    })
}
