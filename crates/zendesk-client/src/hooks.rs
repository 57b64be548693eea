//! What runs around every request of the generated methods (progenitor's
//! `ClientHooks`), and the settings it reads.

use progenitor_client::{ClientHooks, OperationInfo};

use crate::Client;

/// Per-client settings the hooks read (the generated client's inner value).
#[derive(Debug, Clone, Default)]
pub struct ClientSettings {}

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
}
