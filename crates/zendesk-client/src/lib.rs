//! An async client for Zendesk's side conversations and attachments API.
//!
//! [`Client`] has one method per operation of `spec/openapi.yaml`, generated
//! by progenitor; every request and response body is a [`zendesk_models`]
//! type. The multipart attachment upload, which progenitor cannot generate,
//! is written beside it in the same style.

#[allow(clippy::all, clippy::pedantic, missing_docs, unused)]
#[rustfmt::skip]
mod generated;
mod hooks;
mod multipart;

pub use generated::*;
pub use hooks::ClientSettings;
pub use zendesk_models as models;
