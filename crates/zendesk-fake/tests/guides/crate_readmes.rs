//! The snippets of the crates' READMEs (what crates.io shows).

use futures_util::TryStreamExt;
use zendesk_client::models::{CreateSideConversationRequest, EmailParticipant, MessageRequest};
use zendesk_client::{Client, Credentials};

#[rustfmt::skip]
#[tokio::test]
async fn zendesk_client() -> super::Outcome {
    let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;
    let token = "agent-token";
    // ANCHOR: client
    let client = Client::builder()
        .base_url(fake.base_url())                  // or .subdomain("acme")
        .credentials(Credentials::api_token("agent@example.com", token))
        .build()?;
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
        .subject("My printer is on fire!")
        .body("The smoke is very colorful.");
    let created = client.create_side_conversation().ticket_id(12345).body(message).send().await?;
    let all: Vec<_> = client.list_side_conversations().ticket_id(12345).stream().try_collect().await?;
    // ANCHOR_END: client
    assert_eq!(all[0].id, created.into_inner().side_conversation.id);
    Ok(())
}

#[rustfmt::skip]
#[test]
fn zendesk_models() -> super::Outcome {
    // ANCHOR: models
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
        .subject("My printer is on fire!")
        .body("The smoke is very colorful.");
    let body = CreateSideConversationRequest::from(message);
    // ANCHOR_END: models
    let json = serde_json::to_value(&body)?;
    assert!(zendesk_validate::request("CreateSideConversation")?.is_valid(&json), "{json}");
    Ok(())
}

#[rustfmt::skip]
#[test]
fn zendesk_validate() -> super::Outcome {
    let body = serde_json::json!({"message": {"to": [{"user_id": 35436}]}});
    // ANCHOR: validate
    let violations = zendesk_validate::request("CreateSideConversation")?.validate(&body);
    // ANCHOR_END: validate
    assert!(violations.is_empty(), "{violations:?}");
    Ok(())
}
