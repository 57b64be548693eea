//! `docs/calling-zendesk.md`: construction, the first calls, typed bodies
//! side by side with node-zendesk, the tickets and uploads workflow, open
//! enums, errors, retries and uploads.

use futures_util::TryStreamExt;
use zendesk_client::models::SideConversationSideload::Events;
use zendesk_client::models::{
    EmailParticipant, MessageRequest, ReportedSideConversationState, SideConversationEventType,
    TicketCommentInput, TicketCreateInput, TicketCreateInputPriority, TicketCreateRequest,
    TicketUpdateRequest, UpdateSideConversationRequest,
};
use zendesk_client::{
    Client, ClientBuilder, Credentials, ExportCheckpoint, FileToUpload, RetryPolicy,
};

/// A side conversation on ticket 12345 of the default seed; its id.
async fn side_conversation(client: &Client) -> String {
    let message = MessageRequest::email(EmailParticipant::user(35436)).body("Hello");
    let created = client
        .create_side_conversation()
        .ticket_id(12345)
        .body(message)
        .send()
        .await
        .unwrap();
    created.into_inner().side_conversation.id.unwrap()
}

#[rustfmt::skip]
#[test]
fn construction() -> super::Outcome {
    let token = "API-TOKEN";
    // ANCHOR: construct
    let client = Client::builder()
        .subdomain("acme")                      // or .base_url("http://127.0.0.1:8080")
        .credentials(Credentials::api_token("agent@acme.test", token))
        .build()?;
    // ANCHOR_END: construct
    assert!(!format!("{client:?}").contains(token), "credentials never print");
    // Without the variables, `from_env` says which one is missing.
    if std::env::var_os("ZENDESK_SUBDOMAIN").is_none() && std::env::var_os("ZENDESK_BASE_URL").is_none() {
        let error = ClientBuilder::from_env().err().expect("no account in the environment");
        assert!(error.to_string().contains("ZENDESK_SUBDOMAIN"), "{error}");
    }
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn first_calls() -> super::Outcome {
    let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;
    let client = super::agent(&fake);
    let admin = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::oauth("admin-oauth"))
        .build()?;
    let side_conversation_id = side_conversation(&client).await;
    let mut saved = Vec::new();
    let mut save = |events: &[_], checkpoint: &ExportCheckpoint| -> std::io::Result<()> {
        saved.extend_from_slice(events);
        let _ = checkpoint;
        Ok(())
    };
    // ANCHOR: first-calls
    let shown = client.show_side_conversation().ticket_id(12345).side_conversation_id(&side_conversation_id).send().await?;
    let all: Vec<_> = client.list_side_conversations().ticket_id(12345).stream().try_collect().await?; // follows next_page

    // The incremental export needs an admin.
    let mut export = Box::pin(admin.export_events().start_time(0).stream());
    while let Some(page) = export.try_next().await? {
        save(&page.events, &page.checkpoint)?;   // resume with .checkpoint(saved) after a crash: nothing lost, nothing twice
    }
    // ANCHOR_END: first-calls
    assert_eq!(shown.into_inner().side_conversation.id, Some(side_conversation_id));
    assert_eq!(all.len(), 1);
    assert_eq!(saved.len(), 1, "the create event, exported once");
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn side_by_side_with_node_zendesk() -> super::Outcome {
    let fake = zendesk_fake::start(zendesk_fake::Config { validate_responses: true, ..Default::default() }).await?;
    let client = super::agent(&fake);
    let ticket = 12345;
    let file = FileToUpload::new("smoke.png", b"\x89PNG\r\n\x1a\n".to_vec());
    let attachment = client.create_side_conversation_attachment().file(file).send().await?;
    // ANCHOR: side-by-side
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
    // ANCHOR_END: side-by-side

    let listed = &pages[0].side_conversations;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, Some(ReportedSideConversationState::Closed));
    let events = pages[0].events.clone().unwrap_or_default();
    let kinds: Vec<_> = events.iter().filter_map(|e| e.type_.clone()).collect();
    assert_eq!(kinds, [SideConversationEventType::Create, SideConversationEventType::Reply, SideConversationEventType::Update]);
    let first = events[0].message.clone().unwrap();
    let attached = first.attachments.unwrap_or_default();
    assert_eq!(attached[0].id.as_ref().map(ToString::to_string), attachment.id, "the uploaded file is attached");
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn the_tickets_and_uploads_workflow() -> super::Outcome {
    let fake = zendesk_fake::start(zendesk_fake::Config { validate_responses: true, ..Default::default() }).await?;
    let client = super::agent(&fake);
    // ANCHOR: tickets
    let log = client.upload(FileToUpload::new("crash.log", b"segfault at 0x0".to_vec())).send().await?;
    let photo = client.upload(FileToUpload::new("smoke.png", b"\x89PNG\r\n\x1a\n".to_vec())).send().await?;

    // A ticket whose first comment carries the log: an upload is attached by its token.
    let ticket: TicketCreateRequest = TicketCreateInput::new(
        TicketCommentInput::new().body("The printer is on fire. The log is attached.").upload(&log),
    )
    .subject("My printer is on fire!")
    .priority(TicketCreateInputPriority::Urgent)
    .tag("printer")
    .into();
    let ticket_id = client.create_ticket().body(ticket).send().await?.into_inner().ticket.id.unwrap_or_default();

    // A comment showing the photo inline: its HTML shows the upload's content URL.
    let shown_at = photo.attachment.as_ref().and_then(|a| a.content_url.clone()).unwrap_or_default();
    let comment = TicketCommentInput::new().html_body(format!(r#"<img src="{shown_at}">"#)).upload(&photo);
    client.update_ticket().ticket_id(ticket_id).body(TicketUpdateRequest::comment(comment)).send().await?;

    // Every comment with its attachments, inline images too, following the cursor.
    let comments: Vec<_> = client.list_ticket_comments().ticket_id(ticket_id)
        .include_inline_images(true).stream().try_collect().await?;

    // Redact the photo, by its comment's id and its own.
    let second = &comments[1];
    let photo_id = second.attachments.iter().flatten().find_map(|a| a.id).unwrap_or_default();
    let redacted = client.redact_comment_attachment().ticket_id(ticket_id)
        .comment_id(second.id.unwrap_or_default()).attachment_id(photo_id).send().await?;
    // ANCHOR_END: tickets
    assert_eq!(comments.len(), 2);
    assert_eq!(redacted.into_inner().attachment.file_name.as_deref(), Some("redacted.txt"));
    // A token is used once, as on the service.
    let again = TicketCreateInput::new(TicketCommentInput::new().body("again").upload(&log));
    let refused = client.create_ticket().body(TicketCreateRequest::from(again)).send().await;
    assert_eq!(zendesk_client::Error::from(refused.unwrap_err()).status().map(|s| s.as_u16()), Some(422));
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn errors_say_what_the_service_said() -> super::Outcome {
    let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;
    let client = super::agent(&fake);
    let result: Result<(), zendesk_client::Error> = async {
        // ANCHOR: errors
        match client.show_side_conversation().ticket_id(12345).side_conversation_id("no-such-id").send().await {
            Ok(shown) => println!("{:?}", shown.into_inner().side_conversation.subject),
            Err(error) => {
                let error = zendesk_client::Error::from(error);
                if error.is_not_found() {
                    println!("gone: {}", error.description().unwrap_or_default());
                } else if error.is_rate_limited() {
                    println!("retry in {:?}, after {} attempts", error.retry_after(), error.attempts());
                } else {
                    return Err(error);   // status, `error`, `description`, `details`, request id
                }
            }
        }
        // ANCHOR_END: errors
        Ok(())
    }
    .await;
    result?;
    let error = zendesk_client::Error::from(
        client.show_side_conversation().ticket_id(12345).side_conversation_id("no-such-id").send().await.unwrap_err(),
    );
    assert!(error.is_not_found(), "{error}");
    assert_eq!(error.code(), Some("RecordNotFound"));
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn retries_and_uploads() -> super::Outcome {
    let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;
    let dir = super::temporary_dir("retries_and_uploads");
    std::fs::write(dir.join("notes.pdf"), b"%PDF-1.4")?;
    std::fs::write(dir.join("smoke.png"), b"\x89PNG\r\n\x1a\n")?;
    let path = |name: &str| dir.join(name);
    // ANCHOR: retries
    let client = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .retry(RetryPolicy::default().with_max_attempts(6).with_max_retry_after(std::time::Duration::from_secs(30)))
        .timeout(std::time::Duration::from_secs(30))
        .build()?;
    // ANCHOR_END: retries
    // ANCHOR: uploads
    let notes = client.upload(FileToUpload::read(path("notes.pdf")).await?).send().await?;   // media type from the name
    let both = client
        .upload_all([FileToUpload::read(path("smoke.png")).await?, FileToUpload::new("log.txt", "fuser at 480C")])
        .send()
        .await?;                                                                  // one token for both files
    let attachment = client.create_side_conversation_attachment()
        .file(FileToUpload::new("photo.jpg", b"\xff\xd8\xff".to_vec()).with_content_type("image/jpeg"))
        .send()
        .await?;                                                                  // its id goes in a message's attachment_ids
    // ANCHOR_END: uploads
    assert_eq!(notes.attachment.and_then(|a| a.content_type).as_deref(), Some("application/pdf"));
    assert_eq!(both.attachments.unwrap_or_default().len(), 2);
    assert!(attachment.id.is_some());
    Ok(())
}
