//! The README's side-by-side example, as written there, against the fake:
//! create an email side conversation with an attachment, reply, close, and
//! list with sideloaded events.

use futures_util::TryStreamExt;
use zendesk_client::models::SideConversationSideload::Events;
use zendesk_client::models::{
    EmailParticipant, MessageRequest, ReportedSideConversationState, SideConversationEventType,
    UpdateSideConversationRequest,
};
use zendesk_client::{Client, Credentials, FileToUpload};

#[tokio::test]
async fn the_readme_example_runs_against_the_fake() -> Result<(), zendesk_client::Error> {
    let fake = zendesk_fake::start(zendesk_fake::Config {
        validate_responses: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .build()?;
    let ticket = 12345;
    let file = FileToUpload::new("smoke.png", b"\x89PNG\r\n\x1a\n".to_vec());
    let attachment = client
        .create_side_conversation_attachment()
        .file(file)
        .send()
        .await?;

    #[rustfmt::skip]
    let pages: Vec<_> = {
        // As in the README, line for line.
        let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
            .subject("My printer is on fire!")
            .body("The smoke is very colorful.")
            .attachment_ids(attachment.id.clone());
        let created = client.create_side_conversation().ticket_id(ticket).body(message).send().await?;
        let id = created.into_inner().side_conversation.id.unwrap_or_default();
        let reply = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
            .body("Is the fuser meant to reach 480C?");
        client.reply_to_side_conversation().ticket_id(ticket).side_conversation_id(&id).body(reply).send().await?;
        client.update_side_conversation().ticket_id(ticket).side_conversation_id(&id)
            .body(UpdateSideConversationRequest::close()).send().await?;
        let pages: Vec<_> = client.list_side_conversations().ticket_id(ticket).include(Events).pages().try_collect().await?;
        pages
    };

    let listed = &pages[0].side_conversations;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, Some(ReportedSideConversationState::Closed));
    let kinds: Vec<_> = pages[0]
        .events
        .iter()
        .flatten()
        .filter_map(|e| e.type_.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            SideConversationEventType::Create,
            SideConversationEventType::Reply,
            SideConversationEventType::Update
        ]
    );
    let first = pages[0].events.as_ref().unwrap()[0]
        .message
        .clone()
        .unwrap();
    assert_eq!(
        first.attachments.unwrap()[0]
            .id
            .as_ref()
            .map(ToString::to_string),
        attachment.id,
        "the uploaded file is attached"
    );
    Ok(())
}
