//! An async client for Zendesk's side conversations, tickets and attachments API.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use zendesk_client::{Client, Credentials, FileToUpload, ResponseMeta};
//! use zendesk_client::models::{EmailParticipant, MessageRequest, SideConversationEventType};
//!
//! # async fn example() -> Result<(), zendesk_client::Error> {
//! // Construct: an account and an API token (or `ClientBuilder::from_env()`).
//! let client = Client::builder()
//!     .subdomain("acme")
//!     .credentials(Credentials::api_token("agent@acme.test", "API-TOKEN"))
//!     .build()?;
//!
//! // Upload an attachment, then start a side conversation that carries it.
//! let file = FileToUpload::read("smoke.png").await?;
//! let attachment = client.create_side_conversation_attachment().file(file).send().await?;
//! let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
//!     .subject("My printer is on fire!")
//!     .body("The smoke is very colorful.")
//!     .attachment_ids(attachment.id.clone());
//! let created = match client.create_side_conversation().ticket_id(12345).body(message).send().await {
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
//! let mut events = Box::pin(
//!     client.list_side_conversation_events().ticket_id(12345).side_conversation_id(&side_conversation_id).stream(),
//! );
//! while let Some(event) = events.try_next().await? {
//!     if event.type_ == Some(SideConversationEventType::Reply) {
//!         println!("a reply at {}", event.created_at.map(|t| t.to_string()).unwrap_or_default());
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The Attachments page's workflow: files uploaded, attached to a ticket's
//! comments (the first when the ticket is created, another inline in a
//! later comment), the comments listed with their inline images a cursor
//! page at a time, one attachment redacted.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use zendesk_client::{Client, Credentials, FileToUpload};
//! use zendesk_client::models::{TicketCommentInput, TicketCreateInput, TicketCreateRequest, TicketUpdateRequest};
//!
//! # async fn example(client: Client) -> Result<(), zendesk_client::Error> {
//! let log = client.upload(FileToUpload::read("crash.log").await?).send().await?;
//! let photo = client.upload(FileToUpload::read("smoke.png").await?).send().await?;
//!
//! // A ticket whose first comment carries the log: an upload is attached by its token.
//! let ticket: TicketCreateRequest = TicketCreateInput::new(
//!     TicketCommentInput::new().body("The printer is on fire. The log is attached.").upload(&log),
//! )
//! .subject("My printer is on fire!")
//! .into();
//! let ticket_id = client.create_ticket().body(ticket).send().await?.into_inner().ticket.id.unwrap_or_default();
//!
//! // A comment showing the photo inline: its HTML shows the upload's content URL.
//! let shown_at = photo.attachment.as_ref().and_then(|a| a.content_url.clone()).unwrap_or_default();
//! let comment = TicketCommentInput::new().html_body(format!(r#"<img src="{shown_at}">"#)).upload(&photo);
//! client.update_ticket().ticket_id(ticket_id).body(TicketUpdateRequest::comment(comment)).send().await?;
//!
//! // Every comment with its attachments, inline images too, following the cursor.
//! let comments: Vec<_> = client
//!     .list_ticket_comments()
//!     .ticket_id(ticket_id)
//!     .include_inline_images(true)
//!     .stream()
//!     .try_collect()
//!     .await?;
//!
//! // Redact the photo, by its comment's id and its own.
//! let second = &comments[1];
//! let photo_id = second.attachments.iter().flatten().find_map(|a| a.id).unwrap_or_default();
//! let redacted = client
//!     .redact_comment_attachment()
//!     .ticket_id(ticket_id)
//!     .comment_id(second.id.unwrap_or_default())
//!     .attachment_id(photo_id)
//!     .send()
//!     .await?;
//! assert_eq!(redacted.into_inner().attachment.file_name.as_deref(), Some("redacted.txt"));
//! # Ok(())
//! # }
//! ```
//!
//! [`Client`] has one method per operation of `spec/openapi.yaml`, generated
//! by progenitor in its builder style: the method returns a request on which
//! every path parameter, query parameter and body is set by name, and
//! `.send()` sends it. Bodies are [`zendesk_models`] types (a message
//! converts into a whole request body), and errors convert into this crate's
//! [`Error`] with `?`. Around them, written by hand in the same style:
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
//! - lists as streams that follow `next_page`, or a cursor page's
//!   `links.next` (`.stream()` and `.pages()` on the side conversation,
//!   event and ticket comment lists), and the incremental export with a resumable
//!   [`ExportCheckpoint`] ([`Client::export_events`]);
//! - uploads with the file's media type ([`Client::upload`]), several files
//!   under one token ([`Client::upload_all`]), and the multipart side
//!   conversation attachment ([`Client::create_side_conversation_attachment`]).

#![warn(missing_docs)]

mod client_builder;
mod errors;
#[allow(clippy::all, clippy::pedantic, missing_docs, unused)]
#[rustfmt::skip]
mod generated;
mod hooks;
mod multipart;
mod pacing;
mod pagination;
mod retry;
mod send;
mod uploads;

pub use client_builder::{ClientBuilder, Credentials, USER_AGENT};
pub use errors::{Error, ErrorKind, RateLimit, ResponseMeta};
pub use generated::*;
pub use hooks::ClientSettings;
pub use multipart::CreateSideConversationAttachment;
pub use pacing::Pacing;
pub use pagination::{ExportCheckpoint, ExportEvents, ExportPage};
pub use retry::{RetryPolicy, Sleeper};
pub use uploads::{guess_media_type, FileToUpload, UploadFile, UploadFiles};
pub use zendesk_models as models;

/// The error type of the generated methods, which converts into [`Error`].
pub type GeneratedError = progenitor_client::Error<zendesk_models::ErrorResponse>;
