//! `CreateSideConversationAttachment`, the one operation progenitor 0.15
//! cannot generate (it refuses `multipart/form-data` bodies).

use progenitor_client::{Error, ResponseValue};
use zendesk_models::{ErrorResponse, SideConversationAttachment};

use crate::{Client, FileToUpload};

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
    ///
    /// ```no_run
    /// # async fn example(client: &zendesk_client::Client) -> Result<(), zendesk_client::Error> {
    /// use zendesk_client::FileToUpload;
    ///
    /// let file = FileToUpload::new("smoke.png", std::fs::read("smoke.png").unwrap_or_default());
    /// let attachment = client.create_side_conversation_attachment().file(file).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn create_side_conversation_attachment(&self) -> CreateSideConversationAttachment<'_> {
        CreateSideConversationAttachment {
            client: self,
            file: Err("file was not initialized".to_string()),
        }
    }
}

/// The request of [`Client::create_side_conversation_attachment`].
#[derive(Debug, Clone)]
pub struct CreateSideConversationAttachment<'a> {
    client: &'a Client,
    file: Result<FileToUpload, String>,
}

impl CreateSideConversationAttachment<'_> {
    /// The file, sent as the `file` part with its name and media type.
    pub fn file(mut self, file: FileToUpload) -> Self {
        self.file = Ok(file);
        self
    }

    /// Sends the request.
    pub async fn send(
        self,
    ) -> Result<ResponseValue<SideConversationAttachment>, Error<ErrorResponse>> {
        let file = self.file.map_err(Error::InvalidRequest)?;
        let content_type = file.media_type();
        let part = reqwest::multipart::Part::stream(file.contents)
            .file_name(file.filename)
            .mime_str(&content_type)
            .map_err(|e| Error::InvalidRequest(format!("content type {content_type:?}: {e}")))?;
        let request = self
            .client
            .request_to(reqwest::Method::POST, ATTACHMENTS_PATH)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .build()?;
        self.client
            .send(request, "create_side_conversation_attachment", 201)
            .await
    }
}
