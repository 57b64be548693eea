//! The tour's steps: a side conversation's whole life through the client,
//! each step one line of output. Request bodies are checked against the
//! spec before they are sent.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use serde::Serialize;
use serde_json::json;
use zendesk_client::models::{
    CreateSideConversationRequest, ImportSideConversationRequest, ReplyToSideConversationRequest,
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

fn read<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, TourError> {
    Ok(serde_json::from_value(value)?)
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
    let upload = tour.end_user.upload("crash.log", None, log, None).await?;
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
        .upload_side_conversation_attachment(FileToUpload::new("smoke.png", PNG))
        .await?;
    let image_id = image.id.clone().unwrap_or_default();
    step(
        &mut outcome,
        format!(
            "uploaded smoke.png for side conversations: {image_id} ({}x{})",
            image.width.unwrap_or_default(),
            image.height.unwrap_or_default()
        ),
    );

    let create: CreateSideConversationRequest = checked(
        "CreateSideConversation",
        read(json!({
            "message": {
                "subject": "My printer is on fire!",
                "body": "The smoke is very colorful.",
                "to": [{"email": "printer.vendor@example.com", "name": "Printer Vendor"}],
                "attachment_ids": [image_id],
            },
            "external_ids": {"crm": "case-42"},
        }))?,
    )?;
    let created = tour
        .agent
        .create_side_conversation(ticket, &create)
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
        read(json!({
            "message": {"body": "Is the fuser meant to reach 480C?", "to": [{"email": "printer.vendor@example.com"}]},
        }))?,
    )?;
    let replied = tour
        .agent
        .reply_to_side_conversation(ticket, &id, &reply)
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
        .side_conversation_pages(ticket, true, None)
        .try_collect()
        .await?;
    let listed: usize = pages.iter().map(|p| p.side_conversations.len()).sum();
    let sideloaded: usize = pages
        .iter()
        .map(|p| p.events.as_ref().map_or(0, Vec::len))
        .sum();
    step(&mut outcome, format!("listed {listed} side conversation(s) on ticket {ticket} with {sideloaded} sideloaded event(s)"));

    let close: UpdateSideConversationRequest = checked(
        "UpdateSideConversation",
        read(json!({"side_conversation": {"state": "closed"}}))?,
    )?;
    tour.agent
        .update_side_conversation(ticket, &id, &close)
        .await?;
    let events: Vec<_> = tour
        .agent
        .side_conversation_events(ticket, &id, None)
        .try_collect()
        .await?;
    let update = events
        .iter()
        .rev()
        .find(|e| e.type_.as_deref() == Some("update"));
    outcome
        .created_events
        .extend(update.and_then(|e| e.id.clone()));
    step(
        &mut outcome,
        format!(
            "closed {id}; its events: {}",
            events
                .iter()
                .filter_map(|e| e.type_.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );

    let import: ImportSideConversationRequest = checked(
        "ImportSideConversation",
        read(json!({
            "side_conversation": {"subject": "Toner recall (from the old help desk)", "state": "closed", "external_ids": {"legacy": "T-1001"}},
            "events": [
                {"created_at": "2022-10-05T20:47:02.230Z", "message": {"body": "Is our model in the recall?", "to": [{"email": "recalls@example.com"}], "from": {"email": "customer@example.com"}}},
                {"created_at": "2022-10-06T08:12:00Z", "message": {"body": "Yes: we will send a new cartridge.", "to": [{"email": "customer@example.com"}], "from": {"email": "recalls@example.com"}}},
            ],
        }))?,
    )?;
    let imported = tour
        .agent
        .import_side_conversation(ticket, &import)
        .await?
        .into_inner();
    let imported_id = imported.side_conversation.id.clone().unwrap_or_default();
    let history: Vec<_> = tour
        .agent
        .side_conversation_events(ticket, &imported_id, None)
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
        .show_attachment(uploaded.id.unwrap_or_default())
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
                .redact_comment_attachment(ticket, comment, attachment)
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

    tour.end_user.delete_upload(&upload.token).await?;
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
        .export_events(tour.export_from.clone())
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
        .side_conversation_pages(ticket, true, None)
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
            .side_conversation_events(ticket, &id, None)
            .try_collect()
            .await?;
        step(format!(
            "side conversation {id} has {} event(s)",
            events.len()
        ));
    }
    let mut pages = Box::pin(tour.admin.export_events(tour.export_from.clone()));
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
