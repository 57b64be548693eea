//! `CreateSideConversationAttachment`, the one operation progenitor 0.15
//! cannot generate (it refuses `multipart/form-data` bodies).

use progenitor_client::{Error, ResponseValue};
use zendesk_models::{ErrorResponse, SideConversationAttachment};

use crate::Client;

/// Where `CreateSideConversationAttachment` is sent.
pub(crate) const ATTACHMENTS_PATH: &str = "/api/v2/tickets/side_conversations/attachments";

impl Client {
    /// Upload a file for side conversation messages
    ///
    /// Uploads one file, sent as the `file` part of a `multipart/form-data`
    /// body with its file name and content type. The returned attachment
    /// `id` is then listed in a message's `attachment_ids`.
    ///
    /// Allowed for: agents.
    ///
    /// Sends a `POST` request to `/api/v2/tickets/side_conversations/attachments`
    pub async fn create_side_conversation_attachment(
        &self,
        file_name: &str,
        content_type: &str,
        contents: impl Into<reqwest::Body>,
    ) -> Result<ResponseValue<SideConversationAttachment>, Error<ErrorResponse>> {
        let part = reqwest::multipart::Part::stream(contents)
            .file_name(file_name.to_string())
            .mime_str(content_type)
            .map_err(|e| Error::InvalidRequest(format!("content type {content_type:?}: {e}")))?;
        let request = self
            .request_to(reqwest::Method::POST, ATTACHMENTS_PATH)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .build()?;
        self.send(request, "create_side_conversation_attachment", 201)
            .await
    }
}
