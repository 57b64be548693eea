//! What runs around every request of the generated methods (progenitor's
//! `ClientHooks`), and the settings it reads.

use progenitor_client::{ClientHooks, OperationInfo};

use crate::Client;

/// Per-client settings the hooks read (the generated client's inner value).
///
/// Every way to build a [`Client`] takes a `ClientSettings`, and making one
/// installs the TLS crypto provider (rustls with ring) for the process if
/// none is installed yet, so building the client's HTTP stack cannot fail
/// for want of one.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    _private: (),
}

impl ClientSettings {
    pub fn new() -> Self {
        // Fails only when a provider is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        ClientSettings { _private: () }
    }
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self::new()
    }
}

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
