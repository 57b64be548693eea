//! The tour's steps: a side conversation's whole life through the client,
//! each step one line of output. Request bodies are checked against the
//! spec before they are sent.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use serde::Serialize;
use zendesk_client::models::{
    CreateSideConversationRequest, EmailParticipant, ImportSideConversationRequest, MessageRequest,
    ReplyToSideConversationRequest, SideConversationEventImport, SideConversationEventType,
    SideConversationImport, SideConversationSideload, SideConversationState, Timestamp,
    UpdateSideConversationRequest,
};
use zendesk_client::{Client, ExportCheckpoint, FileToUpload};

pub type TourError = Box<dyn std::error::Error + Send + Sync>;

/// Who the tour acts as, and on what.
pub struct Tour<'a> {
    pub agent: &'a Client,
    pub admin: &'a Client,
    /// Uploads are allowed for end users.
    pub end_user: &'a Client,
    pub ticket_id: i64,
    /// `(comment_id, attachment_id)` of a ticket comment attachment to redact.
    pub redact: Option<(i64, i64)>,
    /// Whether to change anything (off for a real account unless asked).
    pub writes: bool,
    /// Where the export starts.
    pub export_from: ExportCheckpoint,
}

impl<'a> Tour<'a> {
    /// The tour of a fake account with the default seed: ticket 12345, and
    /// attachment 498483 of its comment 100 to redact.
    pub fn of_default_fake(agent: &'a Client, admin: &'a Client, end_user: &'a Client) -> Self {
        Tour {
            agent,
            admin,
            end_user,
            ticket_id: 12345,
            redact: Some((100, 498_483)),
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
    let ticket = tour.ticket_id;

    if !tour.writes {
        return read_only(tour, &mut |text| step(&mut outcome, text))
            .await
            .map(|()| outcome);
    }

    let log = b"2026-11-21 11:03:41 printer: fuser temperature 480C\n".to_vec();
    let upload = tour
        .end_user
        .upload(FileToUpload::new("crash.log", log))
        .send()
        .await?;
    let uploaded = upload.attachment.clone().unwrap_or_default();
    step(
        &mut outcome,
        format!(
            "uploaded crash.log for a ticket comment: token {}, attachment {} ({}, {} bytes)",
            upload.token,
            uploaded.id.unwrap_or_default(),
            uploaded.content_type.unwrap_or_default(),
            uploaded.size.unwrap_or_default()
        ),
    );

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
        format!("created side conversation {id} on ticket {ticket}, with smoke.png attached"),
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

    let shown = tour
        .agent
        .show_attachment()
        .attachment_id(uploaded.id.unwrap_or_default())
        .send()
        .await?
        .into_inner();
    step(
        &mut outcome,
        format!(
            "showed attachment {}: {} at {}",
            shown.attachment.id.unwrap_or_default(),
            shown.attachment.file_name.unwrap_or_default(),
            shown.attachment.content_url.unwrap_or_default()
        ),
    );

    match tour.redact {
        Some((comment, attachment)) => {
            let redacted = tour
                .agent
                .redact_comment_attachment()
                .ticket_id(ticket)
                .comment_id(comment)
                .attachment_id(attachment)
                .send()
                .await?
                .into_inner();
            step(&mut outcome, format!(
                "redacted attachment {attachment} of comment {comment}: now {} ({} bytes), for good",
                redacted.attachment.file_name.unwrap_or_default(),
                redacted.attachment.size.unwrap_or_default()
            ));
        }
        None => step(
            &mut outcome,
            "skipped redaction (no comment attachment named for it)".into(),
        ),
    }

    tour.end_user
        .delete_upload()
        .token(&upload.token)
        .send()
        .await?;
    step(&mut outcome, format!("deleted upload {}", upload.token));
    Ok(outcome)
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
