//! An async client for Zendesk's side conversations and attachments API.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use zendesk_client::{Client, Credentials, FileToUpload, ResponseMeta};
//! use zendesk_client::models::{CreateSideConversationRequest, EmailMessageRequest, MessageRequest};
//!
//! # async fn example() -> Result<(), zendesk_client::Error> {
//! // Construct: an account and an API token (or `Client::builder().from_env()`).
//! let client = Client::builder()
//!     .subdomain("acme")
//!     .credentials(Credentials::api_token("agent@acme.test", "API-TOKEN"))
//!     .build()?;
//!
//! // Upload an attachment, then start a side conversation that carries it.
//! let attachment = client
//!     .upload_side_conversation_attachment(FileToUpload::new("smoke.png", std::fs::read("smoke.png").unwrap()))
//!     .await?;
//! let message = EmailMessageRequest {
//!     subject: Some("My printer is on fire!".into()),
//!     body: Some("The smoke is very colorful.".into()),
//!     to: vec![serde_json::from_value(serde_json::json!({"email": "vendor@example.com"})).unwrap()],
//!     from: None,
//!     html_body: None,
//!     external_ids: None,
//!     attachment_ids: attachment.id.into_iter().collect(),
//! };
//! let request = CreateSideConversationRequest {
//!     message: MessageRequest::EmailMessageRequest(message),
//!     external_ids: None,
//! };
//! let created = match client.create_side_conversation(12345, &request).await {
//!     Ok(created) => created,
//!     // Rate limits are retried within the policy; past it, the error says how long to wait.
//!     Err(error) => {
//!         let error = zendesk_client::Error::from(error);
//!         if error.is_rate_limited() {
//!             eprintln!("rate limited after {} attempts; retry in {:?}", error.attempts(), error.retry_after());
//!         }
//!         return Err(error);
//!     }
//! };
//! if let Some(limit) = created.rate_limit() {
//!     println!("{} of {} requests left this minute", limit.remaining, limit.limit);
//! }
//! let side_conversation_id = created.into_inner().side_conversation.id.unwrap_or_default();
//!
//! // Stream its events, following every `next_page`.
//! let mut events = Box::pin(client.side_conversation_events(12345, &side_conversation_id, None));
//! while let Some(event) = events.try_next().await? {
//!     println!("{} {}", event.type_.unwrap_or_default(), event.created_at.map(|t| t.to_string()).unwrap_or_default());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [`Client`] has one method per operation of `spec/openapi.yaml`, generated
//! by progenitor, whose bodies are [`zendesk_models`] types; their errors
//! convert into this crate's [`Error`] with `?`. Around them, written by
//! hand:
//!
//! - construction from a subdomain, a base URL or the environment
//!   ([`ClientBuilder`]), with API-token, OAuth or (deprecated by Zendesk)
//!   password [`Credentials`], never printed; plain `http://` is refused
//!   except to loopback;
//! - retries ([`RetryPolicy`]): `Retry-After` honoured on 429 and 503,
//!   backoff with jitter for other 5xx and connection errors on GET, PUT
//!   and DELETE; a POST is sent again only when the service says it did not
//!   take it (a 429, or a 503 with `Retry-After`);
//! - [`ResponseMeta`]: rate-limit headers, request id and attempts of a
//!   response; a `tracing` span per attempt (never headers or bodies);
//! - lists as streams that follow `next_page`, and the incremental export
//!   with a resumable [`ExportCheckpoint`];
//! - uploads with the file's media type, several files under one token, and
//!   the multipart side conversation attachment.

mod builder;
mod errors;
#[allow(clippy::all, clippy::pedantic, missing_docs, unused)]
#[rustfmt::skip]
mod generated;
mod hooks;
mod multipart;
mod pagination;
mod retry;
mod send;
mod uploads;

pub use builder::{ClientBuilder, Credentials, USER_AGENT};
pub use errors::{Error, ErrorKind, RateLimit, ResponseMeta};
pub use generated::*;
pub use hooks::ClientSettings;
pub use pagination::{ExportCheckpoint, ExportPage};
pub use retry::{RetryPolicy, Sleeper};
pub use uploads::{guess_media_type, FileToUpload};
pub use zendesk_models as models;

/// The error type of the generated methods, which converts into [`Error`].
pub type GeneratedError = progenitor_client::Error<zendesk_models::ErrorResponse>;
