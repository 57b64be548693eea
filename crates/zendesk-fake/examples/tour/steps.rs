//! The tour's steps, each one line of output: the Attachments page's
//! workflow (files uploaded, a ticket carrying one, a comment carrying the
//! other inline, the comments listed with their inline images, an
//! attachment redacted), then a side conversation's whole life on that
//! ticket, through the client. Request bodies are checked against the spec
//! before they are sent.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use serde::Serialize;
use zendesk_client::models::{
    CreateSideConversationRequest, EmailParticipant, ImportSideConversationRequest, MessageRequest,
    ReplyToSideConversationRequest, SideConversationEventImport, SideConversationEventType,
    SideConversationImport, SideConversationSideload, SideConversationState, TicketCommentInput,
    TicketCreateInput, TicketCreateInputPriority, TicketCreateRequest, TicketUpdateRequest,
    Timestamp, UpdateSideConversationRequest,
};
use zendesk_client::{Client, ExportCheckpoint, FileToUpload};

pub type TourError = Box<dyn std::error::Error + Send + Sync>;

/// Who the tour acts as, and on what.
pub struct Tour<'a> {
    pub agent: &'a Client,
    pub admin: &'a Client,
    /// Uploads are allowed for end users.
    pub end_user: &'a Client,
    /// The ticket a read-only tour looks at (a tour that writes makes its own).
    pub ticket_id: i64,
    /// Whether to change anything (off for a real account unless asked).
    pub writes: bool,
    /// Where the export starts.
    pub export_from: ExportCheckpoint,
}

impl<'a> Tour<'a> {
    /// The tour of a fake account with the default seed.
    pub fn of_default_fake(agent: &'a Client, admin: &'a Client, end_user: &'a Client) -> Self {
        Tour {
            agent,
            admin,
            end_user,
            ticket_id: 12345,
            writes: true,
            export_from: ExportCheckpoint::from_start_time(0),
        }
    }
}

/// What the tour did, for checking.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The events the tour's own writes created.
    pub created_events: BTreeSet<String>,
    /// Every event id the export handed out, in order (with any repeat).
    pub exported_events: Vec<String>,
    pub steps: usize,
}

/// Serializes `body` and checks it against the operation's request schema.
fn checked<T: Serialize>(operation_id: &str, body: T) -> Result<T, TourError> {
    let json = serde_json::to_value(&body)?;
    let violations = zendesk_validate::request(operation_id)?.validate(&json);
    match violations.first() {
        None => Ok(body),
        Some(v) => Err(format!(
            "{operation_id} request breaks the spec at {}: {}",
            v.pointer, v.message
        )
        .into()),
    }
}

/// A 4x2 PNG (enough for the service to read its size).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x04\0\0\0\x02\x08\x02\0\0\0";

pub async fn run(tour: &Tour<'_>, say: &mut dyn FnMut(String)) -> Result<Outcome, TourError> {
    let mut outcome = Outcome::default();
    let mut step = |outcome: &mut Outcome, text: String| {
        outcome.steps += 1;
        say(format!("[{:>2}] {text}", outcome.steps));
    };
    if !tour.writes {
        return read_only(tour, &mut |text| step(&mut outcome, text))
            .await
            .map(|()| outcome);
    }

    let ticket = ticket_workflow(tour, &mut outcome, &mut step).await?;

    let image = tour
        .agent
        .create_side_conversation_attachment()
        .file(FileToUpload::new("smoke.png", PNG))
        .send()
        .await?
        .into_inner();
    let image_id = image.id.clone().unwrap_or_default();
    step(
        &mut outcome,
        format!(
            "uploaded smoke.png for side conversations: {image_id} ({}x{})",
            image.width.unwrap_or_default(),
            image.height.unwrap_or_default()
        ),
    );

    let vendor = "printer.vendor@example.com";
    let create = checked(
        "CreateSideConversation",
        CreateSideConversationRequest::new(
            MessageRequest::email(EmailParticipant::address(vendor).name("Printer Vendor"))
                .subject("My printer is on fire!")
                .body("The smoke is very colorful.")
                .attachment_id(&image_id),
        )
        .external_id("crm", "case-42"),
    )?;
    let created = tour
        .agent
        .create_side_conversation()
        .ticket_id(ticket)
        .body(create)
        .send()
        .await?
        .into_inner();
    let id = created.side_conversation.id.clone().unwrap_or_default();
    outcome
        .created_events
        .extend(created.event.and_then(|e| e.id));
    step(
        &mut outcome,
        format!("opened side conversation {id} on ticket {ticket}, with smoke.png attached"),
    );

    let reply: ReplyToSideConversationRequest = checked(
        "ReplyToSideConversation",
        MessageRequest::email(EmailParticipant::address(vendor))
            .body("Is the fuser meant to reach 480C?")
            .into(),
    )?;
    let replied = tour
        .agent
        .reply_to_side_conversation()
        .ticket_id(ticket)
        .side_conversation_id(&id)
        .body(reply)
        .send()
        .await?
        .into_inner();
    outcome
        .created_events
        .extend(replied.event.and_then(|e| e.id));
    step(
        &mut outcome,
        format!(
            "replied: \"{}\"",
            replied.side_conversation.preview_text.unwrap_or_default()
        ),
    );

    let pages: Vec<_> = tour
        .agent
        .list_side_conversations()
        .ticket_id(ticket)
        .include(SideConversationSideload::Events)
        .pages()
        .try_collect()
        .await?;
    let listed: usize = pages.iter().map(|p| p.side_conversations.len()).sum();
    let sideloaded: usize = pages
        .iter()
        .map(|p| p.events.as_ref().map_or(0, Vec::len))
        .sum();
    step(&mut outcome, format!("listed {listed} side conversation(s) on ticket {ticket} with {sideloaded} sideloaded event(s)"));

    let close = checked(
        "UpdateSideConversation",
        UpdateSideConversationRequest::close(),
    )?;
    tour.agent
        .update_side_conversation()
        .ticket_id(ticket)
        .side_conversation_id(&id)
        .body(close)
        .send()
        .await?;
    let events: Vec<_> = tour
        .agent
        .list_side_conversation_events()
        .ticket_id(ticket)
        .side_conversation_id(&id)
        .stream()
        .try_collect()
        .await?;
    let update = events
        .iter()
        .rev()
        .find(|e| e.type_ == Some(SideConversationEventType::Update));
    outcome
        .created_events
        .extend(update.and_then(|e| e.id.clone()));
    step(
        &mut outcome,
        format!(
            "closed {id}; its events: {}",
            events
                .iter()
                .filter_map(|e| e.type_.as_ref().map(|t| t.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );

    let (customer, recalls) = ("customer@example.com", "recalls@example.com");
    let question = MessageRequest::email(EmailParticipant::address(recalls))
        .from(EmailParticipant::address(customer))
        .body("Is our model in the recall?");
    let answer = MessageRequest::email(EmailParticipant::address(customer))
        .from(EmailParticipant::address(recalls))
        .body("Yes: we will send a new cartridge.");
    let import = checked(
        "ImportSideConversation",
        ImportSideConversationRequest::new(
            SideConversationImport::new()
                .subject("Toner recall (from the old help desk)")
                .state(SideConversationState::Closed)
                .external_id("legacy", "T-1001"),
            SideConversationEventImport::new(question)
                .created_at("2022-10-05T20:47:02.230Z".parse::<Timestamp>()?),
        )
        .event(
            SideConversationEventImport::new(answer)
                .created_at("2022-10-06T08:12:00Z".parse::<Timestamp>()?),
        ),
    )?;
    let imported = tour
        .agent
        .import_side_conversation()
        .ticket_id(ticket)
        .body(import)
        .send()
        .await?
        .into_inner();
    let imported_id = imported.side_conversation.id.clone().unwrap_or_default();
    let history: Vec<_> = tour
        .agent
        .list_side_conversation_events()
        .ticket_id(ticket)
        .side_conversation_id(&imported_id)
        .stream()
        .try_collect()
        .await?;
    outcome
        .created_events
        .extend(history.iter().filter_map(|e| e.id.clone()));
    step(
        &mut outcome,
        format!(
            "imported side conversation {imported_id} with {} events from 2022",
            history.len()
        ),
    );

    export(tour, &mut outcome, &mut step).await?;

    let spare = tour
        .end_user
        .upload(FileToUpload::new("notes.txt", "not needed after all"))
        .send()
        .await?;
    tour.end_user
        .delete_upload()
        .token(&spare.token)
        .send()
        .await?;
    step(&mut outcome, format!("uploaded notes.txt and deleted the upload {} before any comment took it", spare.token));
    Ok(outcome)
}

/// The Attachments page's workflow: two files uploaded, a ticket whose
/// first comment carries one, a comment showing the other inline, the
/// comments listed with inline images, one attachment redacted and shown.
/// Answers the new ticket's id.
async fn ticket_workflow(
    tour: &Tour<'_>,
    outcome: &mut Outcome,
    step: &mut dyn FnMut(&mut Outcome, String),
) -> Result<i64, TourError> {
    let log = b"2026-11-21 11:03:41 printer: fuser temperature 480C\n".to_vec();
    let log = tour.end_user.upload(FileToUpload::new("crash.log", log)).send().await?;
    let photo = tour.end_user.upload(FileToUpload::new("smoke.png", PNG)).send().await?;
    let photo_file = photo.attachment.clone().unwrap_or_default();
    step(outcome, format!(
        "uploaded crash.log and smoke.png ({}x{}) for ticket comments: tokens {} and {}",
        photo_file.width.unwrap_or_default(),
        photo_file.height.unwrap_or_default(),
        log.token,
        photo.token
    ));

    let create: TicketCreateRequest = checked(
        "CreateTicket",
        TicketCreateInput::new(
            TicketCommentInput::new()
                .body("The printer is on fire again. The log is attached.")
                .upload(&log),
        )
        .subject("My printer is on fire!")
        .priority(TicketCreateInputPriority::Urgent)
        .tag("printer")
        .into(),
    )?;
    let created = tour.agent.create_ticket().body(create).send().await?.into_inner();
    let ticket = created.ticket.id.unwrap_or_default();
    step(outcome, format!(
        "created ticket {ticket} ({}, {}), its first comment carrying crash.log",
        created.ticket.status.unwrap_or_default(),
        created.ticket.priority.unwrap_or_default()
    ));

    let shown_at = photo_file.content_url.clone().unwrap_or_default();
    let comment = checked(
        "UpdateTicket",
        TicketUpdateRequest::comment(
            TicketCommentInput::new()
                .html_body(format!("<p>The smoke:</p><img src=\"{shown_at}\">"))
                .upload(&photo),
        ),
    )?;
    tour.agent.update_ticket().ticket_id(ticket).body(comment).send().await?;
    step(outcome, format!("added a comment to ticket {ticket} showing smoke.png inline"));

    let comments: Vec<_> = tour
        .agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .include_inline_images(true)
        .stream()
        .try_collect()
        .await?;
    let files: Vec<String> = comments
        .iter()
        .flat_map(|c| c.attachments.iter().flatten())
        .map(|a| format!("{}{}", a.file_name.clone().unwrap_or_default(), if a.inline == Some(true) { " (inline)" } else { "" }))
        .collect();
    step(outcome, format!(
        "listed {} comment(s) of ticket {ticket} with inline images: {}",
        comments.len(),
        files.join(", ")
    ));

    let first = &comments[0];
    let comment_id = first.id.unwrap_or_default();
    let attachment_id = first
        .attachments
        .iter()
        .flatten()
        .find_map(|a| a.id)
        .ok_or("the first comment has no attachment")?;
    let redacted = tour
        .agent
        .redact_comment_attachment()
        .ticket_id(ticket)
        .comment_id(comment_id)
        .attachment_id(attachment_id)
        .send()
        .await?
        .into_inner();
    step(outcome, format!(
        "redacted attachment {attachment_id} of comment {comment_id}: now {} ({} bytes), for good",
        redacted.attachment.file_name.unwrap_or_default(),
        redacted.attachment.size.unwrap_or_default()
    ));
    let shown = tour.agent.show_attachment().attachment_id(attachment_id).send().await?.into_inner();
    step(outcome, format!(
        "showed attachment {attachment_id}: {} at {}",
        shown.attachment.file_name.unwrap_or_default(),
        shown.attachment.content_url.unwrap_or_default()
    ));
    Ok(ticket)
}

async fn export(
    tour: &Tour<'_>,
    outcome: &mut Outcome,
    step: &mut dyn FnMut(&mut Outcome, String),
) -> Result<(), TourError> {
    let from = tour.export_from.start_time;
    let pages: Vec<_> = tour
        .admin
        .export_events()
        .checkpoint(tour.export_from.clone())
        .stream()
        .try_collect()
        .await?;
    outcome.exported_events = pages
        .iter()
        .flat_map(|p| p.events.iter().filter_map(|e| e.id.clone()))
        .collect();
    let resume = pages.last().map_or(from, |p| p.checkpoint.start_time);
    step(outcome, format!(
        "exported {} event(s) in {} page(s) from start_time {from}; resume from start_time {resume}",
        outcome.exported_events.len(),
        pages.len()
    ));
    Ok(())
}

/// A real account without `--allow-writes`: look, change nothing.
async fn read_only(tour: &Tour<'_>, step: &mut dyn FnMut(String)) -> Result<(), TourError> {
    let ticket = tour.ticket_id;
    let shown = tour.agent.show_ticket().ticket_id(ticket).send().await?.into_inner();
    step(format!(
        "ticket {ticket}: \"{}\" ({})",
        shown.ticket.subject.unwrap_or_default(),
        shown.ticket.status.unwrap_or_default()
    ));
    let comments: Vec<_> = tour
        .agent
        .list_ticket_comments()
        .ticket_id(ticket)
        .include_inline_images(true)
        .stream()
        .try_collect()
        .await?;
    let files: usize = comments.iter().map(|c| c.attachments.as_ref().map_or(0, Vec::len)).sum();
    step(format!("its {} comment(s) hold {files} attachment(s)", comments.len()));
    let pages: Vec<_> = tour
        .agent
        .list_side_conversations()
        .ticket_id(ticket)
        .include(SideConversationSideload::Events)
        .pages()
        .try_collect()
        .await?;
    let listed: Vec<_> = pages
        .iter()
        .flat_map(|p| p.side_conversations.iter())
        .collect();
    step(format!(
        "listed {} side conversation(s) on ticket {ticket}",
        listed.len()
    ));
    if let Some(id) = listed.first().and_then(|s| s.id.clone()) {
        let events: Vec<_> = tour
            .agent
            .list_side_conversation_events()
            .ticket_id(ticket)
            .side_conversation_id(&id)
            .stream()
            .try_collect()
            .await?;
        step(format!(
            "side conversation {id} has {} event(s)",
            events.len()
        ));
    }
    let mut pages = Box::pin(
        tour.admin
            .export_events()
            .checkpoint(tour.export_from.clone())
            .stream(),
    );
    match pages.try_next().await {
        Ok(Some(page)) => step(format!(
            "the export's first page from start_time {} holds {} event(s)",
            tour.export_from.start_time,
            page.events.len()
        )),
        Ok(None) => {}
        Err(error) if error.is_forbidden() => step("skipped the export (admins only)".into()),
        Err(error) => return Err(error.into()),
    }
    step("skipped every step that writes (run with --allow-writes)".into());
    Ok(())
}
