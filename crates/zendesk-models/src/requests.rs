//! Shortcuts for the request bodies people send most, beside the generated
//! constructors.

use crate::{
    SideConversationState, SideConversationUpdate, TicketCommentInput, TicketUpdateInput,
    TicketUpdateRequest, UpdateSideConversationRequest, Upload, UploadResponse,
};

impl UpdateSideConversationRequest {
    /// Closes the side conversation.
    ///
    /// ```
    /// let close = zendesk_models::UpdateSideConversationRequest::close();
    /// assert_eq!(serde_json::to_string(&close)?, r#"{"side_conversation":{"state":"closed"}}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn close() -> Self {
        SideConversationUpdate::new()
            .state(SideConversationState::Closed)
            .into()
    }

    /// Reopens the side conversation.
    pub fn reopen() -> Self {
        SideConversationUpdate::new()
            .state(SideConversationState::Open)
            .into()
    }

    /// Changes the side conversation's subject.
    pub fn subject(subject: impl Into<String>) -> Self {
        SideConversationUpdate::new().subject(subject).into()
    }
}

impl TicketUpdateRequest {
    /// An update that only adds `comment` to the ticket.
    ///
    /// ```
    /// use zendesk_models::{TicketCommentInput, TicketUpdateRequest};
    ///
    /// let note = TicketUpdateRequest::comment(TicketCommentInput::new().body("Asked the vendor.").public(false));
    /// assert_eq!(
    ///     serde_json::to_string(&note)?,
    ///     r#"{"ticket":{"comment":{"body":"Asked the vendor.","public":false}}}"#
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn comment(comment: impl Into<TicketCommentInput>) -> Self {
        TicketUpdateInput::new().comment(comment).into()
    }
}

/// An upload's token, which attaches its files to a comment:
/// `TicketCommentInput::new().upload(&upload)`.
///
/// ```
/// use zendesk_models::{TicketCommentInput, Upload, UploadResponse};
///
/// let uploaded = UploadResponse::new(Upload::new("6bk3gql82em5nmf"));
/// let comment = TicketCommentInput::new().body("The photo").upload(&uploaded);
/// assert_eq!(comment.uploads, ["6bk3gql82em5nmf"]);
/// ```
impl From<&Upload> for String {
    fn from(upload: &Upload) -> String {
        upload.token.clone()
    }
}

/// The token of the upload an `UploadFiles` answer holds (see
/// `From<&Upload>`).
impl From<&UploadResponse> for String {
    fn from(uploaded: &UploadResponse) -> String {
        uploaded.upload.token.clone()
    }
}
