//! Shortcuts for the request bodies people send most, beside the generated
//! constructors.

use crate::{SideConversationState, SideConversationUpdate, UpdateSideConversationRequest};

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
