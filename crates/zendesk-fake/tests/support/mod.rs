#![allow(dead_code)] // each test file uses its own part of the support module
//! What several test files of the fake share.

/// A plain HTTP client, to see what the zendesk client hides.
pub fn raw_http() -> reqwest::Client {
    // Building settings installs the crypto provider reqwest needs, as every
    // zendesk client does.
    let _ = zendesk_client::ClientSettings::new();
    reqwest::Client::new()
}

/// The error a call ends with, as the client's one error type.
pub async fn error_of<T: std::fmt::Debug, E: Into<zendesk_client::Error>>(
    call: impl std::future::Future<Output = Result<T, E>>,
) -> zendesk_client::Error {
    call.await.map_err(Into::into).unwrap_err()
}

/// A fake that also checks every response it sends against the spec.
pub async fn checked_fake(config: zendesk_fake::Config) -> zendesk_fake::FakeZendesk {
    zendesk_fake::start(zendesk_fake::Config {
        validate_responses: true,
        ..config
    })
    .await
    .unwrap()
}

/// The default agent's API token, as an `Authorization` header.
pub const AGENT_AUTHORIZATION: &str = "Basic YWdlbnRAZXhhbXBsZS5jb20vdG9rZW46YWdlbnQtdG9rZW4=";

/// `GET path` as the default agent, with a plain HTTP client.
pub async fn agent_get(fake: &zendesk_fake::FakeZendesk, path: &str) -> reqwest::Response {
    raw_http()
        .get(format!("{}{path}", fake.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .send()
        .await
        .unwrap()
}

/// A side conversation with one event, as `ImportSideConversation` takes it
/// (subject "Seeded").
pub fn history() -> zendesk_models::ImportSideConversationRequest {
    use zendesk_models::{
        EmailParticipant, ImportSideConversationRequest, MessageRequest,
        SideConversationEventImport, SideConversationImport,
    };
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
        .subject("Seeded")
        .body("From the seed");
    ImportSideConversationRequest::new(
        SideConversationImport::new().subject("Seeded"),
        SideConversationEventImport::new(message),
    )
}
