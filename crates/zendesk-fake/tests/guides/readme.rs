//! The README's taste of the workspace.

use zendesk_client::models::{
    EmailParticipant, MessageRequest, TicketCommentInput, TicketCreateInput, TicketCreateRequest,
};
use zendesk_client::{Client, Credentials, FileToUpload};

#[rustfmt::skip]
#[tokio::test]
async fn a_ticket_with_an_upload_and_a_side_conversation_on_it() -> super::Outcome {
    // ANCHOR: taste
    let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;
    let client = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .build()?;

    let log = client.upload(FileToUpload::new("crash.log", b"fuser at 480C".to_vec())).send().await?;
    let ticket = TicketCreateInput::new(TicketCommentInput::new().body("The printer is on fire.").upload(&log))
        .subject("My printer is on fire!");
    let created = client.create_ticket().body(TicketCreateRequest::from(ticket)).send().await?;
    let ticket_id = created.into_inner().ticket.id.unwrap_or_default();

    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
        .subject("Is this fuser yours?")
        .body("The log is on the ticket.");
    client.create_side_conversation().ticket_id(ticket_id).body(message).send().await?;
    // ANCHOR_END: taste

    let comments = client.list_ticket_comments().ticket_id(ticket_id).send().await?.into_inner();
    let attachments = comments.comments[0].attachments.clone().unwrap_or_default();
    assert_eq!(attachments[0].file_name.as_deref(), Some("crash.log"));
    let listed = client.list_side_conversations().ticket_id(ticket_id).send().await?.into_inner();
    assert_eq!(listed.side_conversations.len(), 1);
    Ok(())
}
