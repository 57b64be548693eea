//! Tickets, their comments and the attachments on them, through the client
//! against the fake (which checks every response it sends against the
//! spec): the Attachments page's workflow step by step, the token used once,
//! cursor pages, roles, and the seed's tickets as ordinary tickets.

use crate::support;

use futures_util::TryStreamExt;
use zendesk_client::models::{
    AttachmentUpdateInput, AttachmentUpdateRequest, CreateSideConversationRequest,
    EmailParticipant, MessageRequest, TicketCommentInput, TicketCreateInput, TicketCreateRequest,
    TicketUpdateInput, TicketUpdateRequest,
};
use zendesk_client::{Client, Credentials, FileToUpload, Pacing, RetryPolicy};
use zendesk_fake::FakeZendesk;

/// A PNG header of 640 x 480.
fn png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&640u32.to_be_bytes());
    png.extend_from_slice(&480u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0]);
    png
}

/// A fake and a client per role. Keep `fake` bound while the clients are in
/// use: the fake stops when it is dropped.
struct Account {
    fake: FakeZendesk,
    agent: Client,
    admin: Client,
    customer: Client,
}

async fn account() -> Account {
    let fake = support::checked_fake(zendesk_fake::Config::default()).await;
    let client = |email: &str, token: &str| {
        Client::builder()
            .base_url(fake.base_url())
            .credentials(Credentials::api_token(email, token))
            .retry(RetryPolicy::none())
            .pacing(Pacing::off())
            .build()
            .unwrap()
    };
    Account {
        agent: client("agent@example.com", "agent-token"),
        admin: client("admin@example.com", "admin-token"),
        customer: client("customer@example.com", "customer-token"),
        fake,
    }
}

/// A new ticket whose first comment carries `uploads`; its id.
async fn ticket_with(agent: &Client, subject: &str, uploads: &[String]) -> i64 {
    let comment = TicketCommentInput::new()
        .body("The printer is on fire.")
        .uploads(uploads.to_vec());
    let request: TicketCreateRequest = TicketCreateInput::new(comment).subject(subject).into();
    let created = agent
        .create_ticket()
        .body(request)
        .send()
        .await
        .unwrap()
        .into_inner();
    created.ticket.id.unwrap()
}

#[tokio::test]
async fn the_attachments_page_s_workflow_step_by_step() {
    let Account { fake, agent, .. } = account().await;
    // 1. Two files uploaded, each under a token of its own.
    let photo = agent
        .upload(FileToUpload::new("printer.png", png()))
        .send()
        .await
        .unwrap();
    let log = agent
        .upload(FileToUpload::new("crash.log", "segfault at 0x0"))
        .send()
        .await
        .unwrap();
    let photo_attachment = photo.attachment.clone().unwrap();
    assert_eq!(
        (photo_attachment.width, photo_attachment.height),
        (Some(640), Some(480))
    );

    // 2. A ticket whose first comment carries the log.
    let comment = TicketCommentInput::new()
        .body("It smokes. The log is attached.")
        .upload(&log);
    let request: TicketCreateRequest = TicketCreateInput::new(comment)
        .subject("The printer is on fire")
        .priority(zendesk_client::models::TicketCreateInputPriority::Urgent)
        .tag("printer")
        .into();
    let created = agent
        .create_ticket()
        .body(request)
        .send()
        .await
        .unwrap()
        .into_inner();
    let ticket = created.ticket;
    let ticket_id = ticket.id.unwrap();
    assert_eq!(ticket.subject.as_deref(), Some("The printer is on fire"));
    assert_eq!(ticket.priority.as_deref(), Some("urgent"));
    assert_eq!(ticket.status.as_deref(), Some("new"));
    assert_eq!(ticket.tags, Some(vec!["printer".to_string()]));
    let audit = created.audit.unwrap();
    assert_eq!(audit.events.unwrap()[0].type_.as_deref(), Some("Comment"));

    // 3. A second comment carries the photo, shown inline in its HTML.
    let shown = photo_attachment.content_url.clone().unwrap();
    let update = TicketUpdateRequest::comment(
        TicketCommentInput::new()
            .html_body(format!("<p>The smoke:</p><img src=\"{shown}\">"))
            .upload(&photo),
    );
    let updated = agent
        .update_ticket()
        .ticket_id(ticket_id)
        .body(update)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated.ticket.id, Some(ticket_id));
    assert_eq!(
        updated.audit.unwrap().events.unwrap()[0].type_.as_deref(),
        Some("Comment")
    );

    // 4. The comments, without and then with inline images.
    let plain = agent
        .list_ticket_comments()
        .ticket_id(ticket_id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(plain.comments.len(), 2);
    let log_on_comment = &plain.comments[0].attachments.as_ref().unwrap()[0];
    assert_eq!(log_on_comment.file_name.as_deref(), Some("crash.log"));
    assert!(
        plain.comments[1].attachments.as_ref().unwrap().is_empty(),
        "an inline image is not listed unless asked"
    );
    let with_inline = agent
        .list_ticket_comments()
        .ticket_id(ticket_id)
        .include_inline_images(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    let inline = &with_inline.comments[1].attachments.as_ref().unwrap()[0];
    assert_eq!(
        (inline.inline, inline.id),
        (Some(true), photo_attachment.id)
    );

    // 5. The inline image redacted, by its comment's id and its own.
    let comment_id = with_inline.comments[1].id.unwrap();
    let redacted = agent
        .redact_comment_attachment()
        .ticket_id(ticket_id)
        .comment_id(comment_id)
        .attachment_id(inline.id.unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        redacted.attachment.file_name.as_deref(),
        Some("redacted.txt")
    );

    // 6. Shown, it stays redacted.
    let shown = agent
        .show_attachment()
        .attachment_id(inline.id.unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (shown.attachment.file_name.as_deref(), shown.attachment.size),
        (Some("redacted.txt"), Some(0))
    );

    // 7. A side conversation on that ticket; none on a ticket that is not.
    let message =
        MessageRequest::email(EmailParticipant::address("vendor@example.com")).subject("The fuser");
    let opened = agent
        .create_side_conversation()
        .ticket_id(ticket_id)
        .body(CreateSideConversationRequest::from(message.clone()))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(opened.side_conversation.ticket_id, Some(ticket_id));
    let nowhere = support::error_of(
        agent
            .create_side_conversation()
            .ticket_id(999_999)
            .body(CreateSideConversationRequest::from(message))
            .send(),
    )
    .await;
    assert!(nowhere.is_not_found(), "{nowhere}");

    // The ticket, shown, is what was made.
    let shown = agent
        .show_ticket()
        .ticket_id(ticket_id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        shown.ticket.description.as_deref(),
        Some("It smokes. The log is attached.")
    );
    assert!(shown.audit.is_none());
    assert!(fake.journal().iter().any(|r| r.path == "/api/v2/tickets"));
}

#[tokio::test]
async fn an_upload_s_token_is_attached_once() {
    let Account {
        fake: _fake, agent, ..
    } = account().await;
    let upload = agent
        .upload(FileToUpload::new("notes.txt", "notes"))
        .send()
        .await
        .unwrap();
    let token = upload.token.clone();
    ticket_with(&agent, "First", std::slice::from_ref(&token)).await;
    let comment = TicketCommentInput::new().body("Again").upload(&upload);
    let again = support::error_of(
        agent
            .create_ticket()
            .body(TicketCreateRequest::from(TicketCreateInput::new(comment)))
            .send(),
    )
    .await;
    assert_eq!(again.status().map(|s| s.as_u16()), Some(422), "{again}");
    assert!(
        again.to_string().contains("attached to a comment already"),
        "{again}"
    );
    // Nor can it be deleted: it is no upload any more.
    let deleted = support::error_of(agent.delete_upload().token(&token).send()).await;
    assert!(deleted.is_not_found(), "{deleted}");
    // An unknown token is refused the same way, and nothing is created.
    let unknown = TicketCommentInput::new().body("x").upload("no-such-token");
    let refused = support::error_of(
        agent
            .create_ticket()
            .body(TicketCreateRequest::from(TicketCreateInput::new(unknown)))
            .send(),
    )
    .await;
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn a_closed_ticket_takes_no_redaction_and_no_update() {
    let Account {
        fake: _fake, agent, ..
    } = account().await;
    let upload = agent
        .upload(FileToUpload::new("notes.txt", "notes"))
        .send()
        .await
        .unwrap();
    let ticket = ticket_with(&agent, "Soon closed", &[upload.token.clone()]).await;
    let close = TicketUpdateRequest::from(
        TicketUpdateInput::new().status(zendesk_client::models::TicketUpdateInputStatus::Closed),
    );
    agent
        .update_ticket()
        .ticket_id(ticket)
        .body(close)
        .send()
        .await
        .unwrap();
    let comments = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .send()
        .await
        .unwrap()
        .into_inner();
    let comment = &comments.comments[0];
    let redaction = support::error_of(
        agent
            .redact_comment_attachment()
            .ticket_id(ticket)
            .comment_id(comment.id.unwrap())
            .attachment_id(comment.attachments.as_ref().unwrap()[0].id.unwrap())
            .send(),
    )
    .await;
    assert_eq!(
        redaction.status().map(|s| s.as_u16()),
        Some(422),
        "{redaction}"
    );
    let update = support::error_of(
        agent
            .update_ticket()
            .ticket_id(ticket)
            .body(TicketUpdateRequest::comment(
                TicketCommentInput::new().body("Late"),
            ))
            .send(),
    )
    .await;
    assert_eq!(update.status().map(|s| s.as_u16()), Some(422), "{update}");
}

#[tokio::test]
async fn comments_page_by_cursor_forward_and_back() {
    let Account { fake, agent, .. } = account().await;
    let ticket = ticket_with(&agent, "Many comments", &[]).await;
    for n in 1..=4 {
        let note =
            TicketUpdateRequest::comment(TicketCommentInput::new().body(format!("Comment {n}")));
        agent
            .update_ticket()
            .ticket_id(ticket)
            .body(note)
            .send()
            .await
            .unwrap();
    }
    let pages: Vec<_> = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3, "five comments, two a page");
    assert_eq!(pages[0].meta.as_ref().unwrap().has_more, Some(true));
    assert_eq!(pages[2].meta.as_ref().unwrap().has_more, Some(false));
    assert!(pages[2].links.as_ref().unwrap().next.is_none());
    let bodies: Vec<String> = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .page_size(2)
        .stream()
        .map_ok(|c| c.body.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        bodies,
        [
            "The printer is on fire.",
            "Comment 1",
            "Comment 2",
            "Comment 3",
            "Comment 4"
        ]
    );
    // Newest first, and back from the last page by its cursor.
    let newest = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .sort_order("desc")
        .page_size(1)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(newest.comments[0].body.as_deref(), Some("Comment 4"));
    let before = pages[2]
        .meta
        .as_ref()
        .unwrap()
        .before_cursor
        .clone()
        .unwrap();
    let back = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .page_size(2)
        .page_before(before)
        .send()
        .await
        .unwrap()
        .into_inner();
    let back: Vec<_> = back
        .comments
        .iter()
        .map(|c| c.body.clone().unwrap())
        .collect();
    assert_eq!(back, ["Comment 2", "Comment 3"]);
    // A cursor this list did not give is refused.
    let bad = support::error_of(
        agent
            .list_ticket_comments()
            .ticket_id(ticket)
            .page_after("not-a-cursor")
            .send(),
    )
    .await;
    assert_eq!(bad.status().map(|s| s.as_u16()), Some(400), "{bad}");
    // So is a page size the spec refuses, before anything is read.
    let raw = support::agent_get(
        &fake,
        &format!("/api/v2/tickets/{ticket}/comments?page%5Bsize%5D=101"),
    )
    .await;
    assert_eq!(raw.status(), 400);
    let body: serde_json::Value = raw.json().await.unwrap();
    assert!(
        body["description"].as_str().unwrap().contains("page[size]"),
        "{body}"
    );
}

#[tokio::test]
async fn comments_become_private_and_sideload_their_authors() {
    let Account {
        fake: _fake, agent, ..
    } = account().await;
    let ticket = ticket_with(&agent, "A note", &[]).await;
    let listed = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .include("users")
        .send()
        .await
        .unwrap()
        .into_inner();
    let comment = &listed.comments[0];
    assert_eq!(comment.public, Some(true));
    let users = listed.users.unwrap();
    assert_eq!(users[0].email.as_deref(), Some("agent@example.com"));
    agent
        .make_ticket_comment_private()
        .ticket_id(ticket)
        .ticket_comment_id(comment.id.unwrap())
        .send()
        .await
        .unwrap();
    let listed = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.comments[0].public, Some(false));
    let shown = agent
        .show_ticket()
        .ticket_id(ticket)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        shown.ticket.is_public,
        Some(false),
        "no public comment is left"
    );
}

#[tokio::test]
async fn roles_end_users_upload_agents_work_tickets_admins_override_malware() {
    let Account {
        fake: _fake,
        agent,
        admin,
        customer,
    } = account().await;
    let upload = customer
        .upload(FileToUpload::new("photo.png", png()))
        .send()
        .await
        .unwrap();
    let ticket = ticket_with(&agent, "By an agent", &[upload.token.clone()]).await;
    let forbidden = |e: zendesk_client::Error| e.status().map(|s| s.as_u16()) == Some(403);
    let comment = || TicketCommentInput::new().body("From a customer");
    assert!(forbidden(
        support::error_of(
            customer
                .create_ticket()
                .body(TicketCreateRequest::from(TicketCreateInput::new(comment())))
                .send()
        )
        .await
    ));
    assert!(forbidden(
        support::error_of(customer.show_ticket().ticket_id(ticket).send()).await
    ));
    assert!(forbidden(
        support::error_of(
            customer
                .update_ticket()
                .ticket_id(ticket)
                .body(TicketUpdateRequest::comment(comment()))
                .send()
        )
        .await
    ));
    assert!(forbidden(
        support::error_of(customer.list_ticket_comments().ticket_id(ticket).send()).await
    ));
    let listed = agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .send()
        .await
        .unwrap()
        .into_inner();
    let comment_id = listed.comments[0].id.unwrap();
    let attachment_id = listed.comments[0].attachments.as_ref().unwrap()[0]
        .id
        .unwrap();
    assert!(forbidden(
        support::error_of(
            customer
                .make_ticket_comment_private()
                .ticket_id(ticket)
                .ticket_comment_id(comment_id)
                .send()
        )
        .await
    ));
    assert!(forbidden(
        support::error_of(
            customer
                .redact_comment_attachment()
                .ticket_id(ticket)
                .comment_id(comment_id)
                .attachment_id(attachment_id)
                .send()
        )
        .await
    ));
    // The malware override is the admins'.
    let allow = || AttachmentUpdateRequest::new(AttachmentUpdateInput::new(true));
    assert!(forbidden(
        support::error_of(
            agent
                .update_attachment()
                .attachment_id(attachment_id)
                .body(allow())
                .send()
        )
        .await
    ));
    let overridden = admin
        .update_attachment()
        .attachment_id(attachment_id)
        .body(allow())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(overridden.attachment.malware_access_override, Some(true));
}

#[tokio::test]
async fn the_seed_s_tickets_are_tickets_like_any_other() {
    let Account {
        fake: _fake, agent, ..
    } = account().await;
    let seeded = agent
        .show_ticket()
        .ticket_id(12345)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(seeded.ticket.status.as_deref(), Some("open"));
    let comments = agent
        .list_ticket_comments()
        .ticket_id(12345)
        .send()
        .await
        .unwrap()
        .into_inner();
    let attachment = &comments.comments[0].attachments.as_ref().unwrap()[0];
    assert_eq!(
        (comments.comments[0].id, attachment.id),
        (Some(100), Some(498_483))
    );
    let closed = agent
        .show_ticket()
        .ticket_id(12347)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(closed.ticket.status.as_deref(), Some("closed"));
    let missing = support::error_of(agent.show_ticket().ticket_id(1).send()).await;
    assert!(missing.is_not_found());
    // A new ticket takes the next id after the seed's.
    let new = ticket_with(&agent, "Next", &[]).await;
    assert_eq!(new, 12348);
}

#[tokio::test]
async fn a_body_the_spec_refuses_changes_nothing() {
    let Account { fake, .. } = account().await; // the clients are not needed
    let no_comment = support::raw_http()
        .post(format!("{}/api/v2/tickets", fake.base_url()))
        .header("authorization", support::AGENT_AUTHORIZATION)
        .header("content-type", "application/json")
        .body(r#"{"ticket": {"subject": "No comment"}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(no_comment.status(), 422);
    let body: serde_json::Value = no_comment.json().await.unwrap();
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("\"comment\" is a required property"),
        "{body}"
    );
    let next = support::raw_http()
        .get(format!("{}/api/v2/tickets/12348", fake.base_url()))
        .header("authorization", support::AGENT_AUTHORIZATION)
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), 404, "no ticket was made");
}
