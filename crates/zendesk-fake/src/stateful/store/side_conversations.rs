//! Side conversations and their events: what the side conversation
//! operations, the events' list and the incremental export do to the
//! account, and the side conversation attachments their messages carry.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use zendesk_models::{
    ExternalIds, Participant, ParticipantSupportAgentId, ParticipantSupportGroupId,
    ReportedSideConversationState, SideConversation, SideConversationAttachment,
    SideConversationChangeResponse, SideConversationEvent, SideConversationEventExportResponse,
    SideConversationEventListResponse, SideConversationListResponse, SideConversationMessage,
    SideConversationMessageAttachment, SideConversationMessageAttachmentId,
    SideConversationResponse, SideConversationUpdates, Timestamp,
};

use super::uploads::png_size;
use super::{escape_html, now, text, Store};
use crate::config::User;
use crate::errors::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Slack,
    ChildTicket,
    MsTeams,
}

impl Kind {
    fn of(participant: &Value) -> Kind {
        let has = |key: &str| participant.get(key).is_some();
        if has("slack_channel_id") || has("slack_workspace_id") {
            Kind::Slack
        } else if has("support_group_id") {
            Kind::ChildTicket
        } else if has("msteams_channel_id") {
            Kind::MsTeams
        } else {
            Kind::Email
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Slack => "Slack",
            Kind::ChildTicket => "child ticket",
            Kind::MsTeams => "Microsoft Teams",
        }
    }
}

pub(super) struct Stored {
    pub(super) side_conversation: SideConversation,
    kind: Kind,
    /// Indices into `Store::events`, oldest first.
    pub(super) events: Vec<usize>,
}

/// A side conversation attachment, as uploaded.
pub(super) struct StoredFile {
    name: String,
    content_type: String,
    size: i64,
    width: Option<i64>,
    height: Option<i64>,
}

/// A page of a list: which items, and the `page` numbers around it.
struct PageWindow {
    range: std::ops::Range<usize>,
    next: Option<u64>,
    previous: Option<u64>,
}

fn window(total: usize, page: u64, per_page: u64) -> PageWindow {
    let start = (page - 1).saturating_mul(per_page).min(total as u64) as usize;
    let end = (start + per_page as usize).min(total);
    PageWindow {
        range: start..end,
        next: (end < total).then_some(page + 1),
        previous: (page > 1).then_some(page - 1),
    }
}

impl Store {
    /// A side conversation of `ticket_id`, to read.
    fn stored_ref(&self, ticket_id: i64, id: &str) -> Result<&Stored, ApiError> {
        self.ticket_ref(ticket_id)?;
        match self.side_conversations.get(id) {
            Some(stored) if stored.side_conversation.ticket_id == Some(ticket_id) => Ok(stored),
            _ => Err(ApiError::not_found("side conversation", id)),
        }
    }

    fn stored(&mut self, ticket_id: i64, id: &str) -> Result<&mut Stored, ApiError> {
        self.ticket(ticket_id)?;
        match self.side_conversations.get_mut(id) {
            Some(stored) if stored.side_conversation.ticket_id == Some(ticket_id) => Ok(stored),
            _ => Err(ApiError::not_found("side conversation", id)),
        }
    }
    /// The absolute URL of another page of the list at `path`.
    fn page_link(&self, path: &str, include: Option<&str>, page: u64, per_page: u64) -> String {
        let include = include.map_or_else(String::new, |i| format!("include={i}&"));
        self.url(&format!("{path}?{include}page={page}&per_page={per_page}"))
    }

    fn user_participant(user: &User) -> Participant {
        Participant {
            user_id: Some(user.id),
            name: Some(user.name.clone()),
            email: Some(user.email.clone()),
            ..Default::default()
        }
    }

    /// A request participant as the service reports it.
    fn participant(&self, request: &Value) -> Participant {
        match Kind::of(request) {
            Kind::Email => match request.get("user_id").and_then(Value::as_i64) {
                Some(user_id) => match self.users.iter().find(|u| u.id == user_id) {
                    Some(user) => Self::user_participant(user),
                    None => Participant {
                        user_id: Some(user_id),
                        ..Default::default()
                    },
                },
                None => {
                    let email = text(request, "email");
                    let known = self.users.iter().find(|u| Some(&u.email) == email.as_ref());
                    Participant {
                        user_id: known.map(|u| u.id),
                        name: text(request, "name").or_else(|| known.map(|u| u.name.clone())),
                        email,
                        ..Default::default()
                    }
                }
            },
            Kind::Slack => Participant {
                slack_workspace_id: text(request, "slack_workspace_id"),
                slack_channel_id: text(request, "slack_channel_id"),
                ..Default::default()
            },
            Kind::ChildTicket => Participant {
                support_group_id: request["support_group_id"]
                    .as_i64()
                    .map(ParticipantSupportGroupId::Int64),
                support_agent_id: request["support_agent_id"]
                    .as_i64()
                    .map(ParticipantSupportAgentId::Int64),
                ..Default::default()
            },
            Kind::MsTeams => Participant {
                msteams_channel_id: text(request, "msteams_channel_id"),
                ..Default::default()
            },
        }
    }
    // ---- messages and events -------------------------------------------------

    /// Records an event on a side conversation, keeping its timestamps.
    fn record(
        &mut self,
        side_conversation_id: &str,
        mut event: SideConversationEvent,
    ) -> SideConversationEvent {
        let sequence = self.next_sequence();
        let second = event
            .created_at
            .as_ref()
            .and_then(|t| t.to_datetime().ok())
            .map_or_else(|| Utc::now().timestamp(), |t| t.timestamp());
        event.url = Some(self.url(&format!(
            "/api/v2/tickets/{}/side_conversations/{side_conversation_id}/events/{}",
            event.ticket_id.unwrap_or_default(),
            event.id.as_deref().unwrap_or_default()
        )));
        let index = self.events.len();
        self.events.push(event.clone());
        self.export_order.insert((second, sequence), index);
        if let Some(stored) = self.side_conversations.get_mut(side_conversation_id) {
            stored.events.push(index);
        }
        event
    }

    /// The message of a request as the service keeps it, with the side
    /// conversation type of its participants.
    fn message(
        &self,
        request: &Value,
        actor: &User,
    ) -> Result<(SideConversationMessage, Kind), ApiError> {
        let to: Vec<&Value> = request["to"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let kind = to.first().map_or(Kind::Email, |p| Kind::of(p));
        let body = text(request, "body");
        let html_body = text(request, "html_body").or_else(|| {
            body.as_ref()
                .map(|b| format!("<div class=\"zd-comment\"><p>{}</p></div>", escape_html(b)))
        });
        let mut attachments = Vec::new();
        for id in request["attachment_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let file = self.message_attachments.get(id).ok_or_else(|| {
                ApiError::invalid(
                    format!("attachment {id} is not a side conversation attachment of this account"),
                    json!({"attachment_ids": [{"error": "InvalidValue", "description": format!("unknown attachment {id}")}]}),
                )
            })?;
            attachments.push(SideConversationMessageAttachment {
                id: Some(SideConversationMessageAttachmentId::String(id.to_string())),
                file_name: Some(file.name.clone()),
                content_type: Some(file.content_type.clone()),
                content_url: Some(self.url(&format!(
                    "/attachments/side_conversations/{id}/{}",
                    file.name
                ))),
                size: Some(file.size),
                width: file.width,
                height: file.height,
                inline: Some(false),
                ..Default::default()
            });
        }
        let external_ids = request
            .get("external_ids")
            .map(|v| serde_json::from_value::<ExternalIds>(v.clone()))
            .transpose()
            .map_err(|e| ApiError::invalid(e.to_string(), json!({})))?;
        let from = match request.get("from") {
            Some(from) => self.participant(from),
            None => Self::user_participant(actor),
        };
        let message = SideConversationMessage {
            preview_text: body
                .as_deref()
                .or(text(request, "subject").as_deref())
                .map(preview),
            subject: text(request, "subject"),
            body,
            html_body,
            from: Some(from),
            to: Some(to.iter().map(|p| self.participant(p)).collect()),
            external_ids,
            attachments: Some(attachments),
            via: Some("api".into()),
            ..Default::default()
        };
        Ok((message, kind))
    }

    fn message_event(
        &mut self,
        side_conversation: &SideConversation,
        kind: &str,
        actor: &User,
        message: SideConversationMessage,
        created_at: Timestamp,
    ) -> SideConversationEvent {
        SideConversationEvent {
            id: Some(self.new_id()),
            side_conversation_id: side_conversation.id.clone(),
            ticket_id: side_conversation.ticket_id,
            type_: Some(kind.into()),
            actor: Some(Self::user_participant(actor)),
            created_at: Some(created_at),
            message: Some(message),
            via: Some("api".into()),
            ..Default::default()
        }
    }

    /// Adds a message's participants to the side conversation's, once each.
    fn add_participants(
        side_conversation: &mut SideConversation,
        message: &SideConversationMessage,
    ) {
        let participants = side_conversation.participants.get_or_insert_with(Vec::new);
        let incoming = message.from.iter().chain(message.to.iter().flatten());
        for participant in incoming {
            if !participants.contains(participant) {
                participants.push(participant.clone());
            }
        }
    }

    fn touch_with_message(
        side_conversation: &mut SideConversation,
        message: &SideConversationMessage,
        at: &Timestamp,
    ) {
        side_conversation.preview_text = message.preview_text.clone();
        side_conversation.message_added_at = Some(at.clone());
        side_conversation.updated_at = Some(now());
        Self::add_participants(side_conversation, message);
    }

    // ---- side conversations ---------------------------------------------------

    pub fn list_side_conversations(
        &self,
        ticket_id: i64,
        include_events: bool,
        page: u64,
        per_page: u64,
    ) -> Result<SideConversationListResponse, ApiError> {
        let ids = &self.ticket_ref(ticket_id)?.side_conversations;
        let window = window(ids.len(), page, per_page);
        let listed: Vec<&Stored> = ids[window.range.clone()]
            .iter()
            .map(|id| &self.side_conversations[id])
            .collect();
        let events = include_events.then(|| {
            listed
                .iter()
                .flat_map(|s| s.events.iter().map(|&i| self.events[i].clone()))
                .collect()
        });
        let path = format!("/api/v2/tickets/{ticket_id}/side_conversations");
        let link = |page| self.page_link(&path, include_events.then_some("events"), page, per_page);
        let side_conversations = listed.iter().map(|s| s.side_conversation.clone());
        Ok(SideConversationListResponse {
            events,
            count: Some(ids.len() as i64),
            next_page: window.next.map(link),
            previous_page: window.previous.map(link),
            ..SideConversationListResponse::new(side_conversations)
        })
    }

    pub fn show_side_conversation(
        &self,
        ticket_id: i64,
        id: &str,
        include_events: bool,
    ) -> Result<SideConversationResponse, ApiError> {
        let stored = self.stored_ref(ticket_id, id)?;
        let side_conversation = stored.side_conversation.clone();
        Ok(SideConversationResponse {
            events: include_events.then(|| {
                stored
                    .events
                    .iter()
                    .map(|&i| self.events[i].clone())
                    .collect()
            }),
            ..SideConversationResponse::new(side_conversation)
        })
    }

    fn new_side_conversation(
        &mut self,
        ticket_id: i64,
        subject: Option<String>,
        state: &str,
        external_ids: Option<ExternalIds>,
        kind: Kind,
    ) -> Result<String, ApiError> {
        self.ticket(ticket_id)?;
        let id = self.new_id();
        let created = now();
        let side_conversation = SideConversation {
            id: Some(id.clone()),
            ticket_id: Some(ticket_id),
            subject,
            state: Some(state.into()),
            external_ids,
            participants: Some(Vec::new()),
            created_at: Some(created.clone()),
            updated_at: Some(created.clone()),
            state_updated_at: Some(created),
            url: Some(self.url(&format!(
                "/api/v2/tickets/{ticket_id}/side_conversations/{id}"
            ))),
            ..Default::default()
        };
        self.side_conversations.insert(
            id.clone(),
            Stored {
                side_conversation,
                kind,
                events: Vec::new(),
            },
        );
        self.ticket(ticket_id)?.side_conversations.push(id.clone());
        Ok(id)
    }

    pub fn create(
        &mut self,
        ticket_id: i64,
        actor: &User,
        body: &Value,
    ) -> Result<SideConversationChangeResponse, ApiError> {
        self.ticket(ticket_id)?;
        let (message, kind) = self.message(&body["message"], actor)?;
        let external_ids = body
            .get("external_ids")
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let id = self.new_side_conversation(
            ticket_id,
            message.subject.clone(),
            "open",
            external_ids,
            kind,
        )?;
        self.add_message(ticket_id, &id, "create", actor, message, now())
    }

    fn add_message(
        &mut self,
        ticket_id: i64,
        id: &str,
        event_type: &str,
        actor: &User,
        message: SideConversationMessage,
        at: Timestamp,
    ) -> Result<SideConversationChangeResponse, ApiError> {
        let side_conversation = self.stored(ticket_id, id)?.side_conversation.clone();
        let event = self.message_event(
            &side_conversation,
            event_type,
            actor,
            message.clone(),
            at.clone(),
        );
        let event = self.record(id, event);
        let stored = self.stored(ticket_id, id)?;
        Self::touch_with_message(&mut stored.side_conversation, &message, &at);
        Ok(SideConversationChangeResponse {
            event: Some(event),
            updates: Some(SideConversationUpdates::default()),
            ..SideConversationChangeResponse::new(stored.side_conversation.clone())
        })
    }

    pub fn update(
        &mut self,
        ticket_id: i64,
        id: &str,
        actor: &User,
        body: &Value,
    ) -> Result<SideConversationResponse, ApiError> {
        let changes = &body["side_conversation"];
        let state = text(changes, "state");
        let subject = text(changes, "subject");
        let stored = self.stored(ticket_id, id)?;
        let side_conversation = &mut stored.side_conversation;
        let at = now();
        let mut updates = SideConversationUpdates::default();
        let state = state.map(ReportedSideConversationState::from);
        if let Some(state) = state.filter(|s| side_conversation.state.as_ref() != Some(s)) {
            side_conversation.state = Some(state.clone());
            side_conversation.state_updated_at = Some(at.clone());
            updates.state = Some(state);
        }
        if let Some(subject) = subject.filter(|s| side_conversation.subject.as_ref() != Some(s)) {
            side_conversation.subject = Some(subject.clone());
            updates.subject = Some(subject);
        }
        side_conversation.updated_at = Some(at.clone());
        let snapshot = side_conversation.clone();
        if updates != SideConversationUpdates::default() {
            let event = SideConversationEvent {
                id: Some(self.new_id()),
                side_conversation_id: snapshot.id.clone(),
                ticket_id: Some(ticket_id),
                type_: Some("update".into()),
                actor: Some(Self::user_participant(actor)),
                created_at: Some(at),
                updates: Some(updates),
                via: Some("api".into()),
                ..Default::default()
            };
            self.record(id, event);
        }
        Ok(SideConversationResponse::new(snapshot))
    }

    pub fn reply(
        &mut self,
        ticket_id: i64,
        id: &str,
        actor: &User,
        body: &Value,
    ) -> Result<SideConversationChangeResponse, ApiError> {
        let existing = self.stored(ticket_id, id)?.kind;
        let (message, kind) = self.message(&body["message"], actor)?;
        same_kind(existing, kind)?;
        // A reply reopens a closed side conversation.
        let stored = self.stored(ticket_id, id)?;
        if stored.side_conversation.state != Some(ReportedSideConversationState::Open) {
            stored.side_conversation.state = Some(ReportedSideConversationState::Open);
            stored.side_conversation.state_updated_at = Some(now());
        }
        self.add_message(ticket_id, id, "reply", actor, message, now())
    }

    /// Adds imported events to a side conversation; returns the first.
    fn import_into(
        &mut self,
        ticket_id: i64,
        id: &str,
        actor: &User,
        events: &[Value],
    ) -> Result<SideConversationChangeResponse, ApiError> {
        let existing = self.stored(ticket_id, id)?.kind;
        let mut prepared = Vec::new();
        for event in events {
            let (message, kind) = self.message(&event["message"], actor)?;
            same_kind(existing, kind)?;
            let at = event
                .get("created_at")
                .and_then(Value::as_str)
                .and_then(|t| t.parse::<Timestamp>().ok())
                .unwrap_or_else(now);
            prepared.push((message, at));
        }
        let mut first = None;
        for (message, at) in prepared {
            let event_type = if self.stored(ticket_id, id)?.events.is_empty() {
                "create"
            } else {
                "reply"
            };
            let response = self.add_message(ticket_id, id, event_type, actor, message, at)?;
            first.get_or_insert(response);
        }
        first.ok_or_else(|| ApiError::invalid("no events to import", json!({})))
    }

    pub fn import(
        &mut self,
        ticket_id: i64,
        actor: &User,
        body: &Value,
    ) -> Result<SideConversationChangeResponse, ApiError> {
        self.ticket(ticket_id)?;
        let imported = &body["side_conversation"];
        let events = body["events"].as_array().cloned().unwrap_or_default();
        // The first recipient gives the type; `import_into` checks every
        // message and the side conversation is removed again if one fails.
        let kind = events
            .first()
            .map_or(Kind::Email, |e| Kind::of(&e["message"]["to"][0]));
        let subject = text(imported, "subject");
        let state = text(imported, "state").unwrap_or_else(|| "open".into());
        let external_ids = imported
            .get("external_ids")
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let id = self.new_side_conversation(ticket_id, subject, &state, external_ids, kind)?;
        match self.import_into(ticket_id, &id, actor, &events) {
            Ok(response) => {
                let side_conversation = self.stored(ticket_id, &id)?.side_conversation.clone();
                Ok(SideConversationChangeResponse {
                    side_conversation,
                    ..response
                })
            }
            Err(error) => {
                self.side_conversations.remove(&id);
                self.ticket(ticket_id)?
                    .side_conversations
                    .retain(|s| s != &id);
                Err(error)
            }
        }
    }

    pub fn import_events(
        &mut self,
        ticket_id: i64,
        id: &str,
        actor: &User,
        body: &Value,
    ) -> Result<SideConversationChangeResponse, ApiError> {
        let events = body["events"].as_array().cloned().unwrap_or_default();
        let response = self.import_into(ticket_id, id, actor, &events)?;
        let side_conversation = self.stored(ticket_id, id)?.side_conversation.clone();
        Ok(SideConversationChangeResponse {
            side_conversation,
            ..response
        })
    }

    // ---- events -----------------------------------------------------------------

    pub fn list_events(
        &self,
        ticket_id: i64,
        id: &str,
        include_side_conversations: bool,
        page: u64,
        per_page: u64,
    ) -> Result<SideConversationEventListResponse, ApiError> {
        let stored = self.stored_ref(ticket_id, id)?;
        let indices = &stored.events;
        let side_conversation = stored.side_conversation.clone();
        let window = window(indices.len(), page, per_page);
        let path = format!("/api/v2/tickets/{ticket_id}/side_conversations/{id}/events");
        let link = |page| {
            self.page_link(
                &path,
                include_side_conversations.then_some("side_conversations"),
                page,
                per_page,
            )
        };
        let events = indices[window.range.clone()]
            .iter()
            .map(|&i| self.events[i].clone());
        Ok(SideConversationEventListResponse {
            side_conversations: include_side_conversations.then(|| vec![side_conversation]),
            count: Some(indices.len() as i64),
            next_page: window.next.map(link),
            previous_page: window.previous.map(link),
            ..SideConversationEventListResponse::new(events)
        })
    }

    /// The events created at or after `start_time`, oldest first. Like the
    /// service, a page repeats the events of the second it starts at (the
    /// previous page's `end_time`); after them come up to `page_size` newer
    /// events, never splitting a second, so every page moves forward.
    pub fn export(&self, start_time: i64, page_size: usize) -> SideConversationEventExportResponse {
        let mut indices: Vec<usize> = self
            .export_order
            .range((start_time, 0)..(start_time.saturating_add(1), 0))
            .map(|(_, &i)| i)
            .collect();
        let mut newer = self
            .export_order
            .range((start_time.saturating_add(1), 0)..)
            .peekable();
        let mut end_time = start_time;
        let mut taken = 0;
        while let Some(&(&(second, _), &index)) = newer.peek() {
            if taken >= page_size && second != end_time {
                break;
            }
            indices.push(index);
            taken += 1;
            end_time = second;
            newer.next();
        }
        let more = newer.peek().is_some();
        let events = indices.iter().map(|&i| self.events[i].clone());
        SideConversationEventExportResponse {
            count: Some(indices.len() as i64),
            end_time: Some(end_time),
            end_of_stream: Some(!more),
            next_page: Some(self.url(&format!(
                "/api/v2/tickets/side_conversations/events?start_time={end_time}"
            ))),
            ..SideConversationEventExportResponse::new(events)
        }
    }

    /// `count` events on ticket `ticket_id`, one side conversation per 50,
    /// 100 a second, ending now (seed data for load tests).
    pub(super) fn generate_events(&mut self, ticket_id: i64, count: u64) {
        let robot = User {
            id: 9,
            name: "Seed Robot".into(),
            email: "seed@example.com".into(),
            role: crate::config::Role::Agent,
            api_token: None,
            oauth_token: None,
        };
        let start = Utc::now().timestamp() - (count / 100) as i64 - 1;
        let mut current = String::new();
        for n in 0..count {
            if n % 50 == 0 {
                current = self
                    .new_side_conversation(
                        ticket_id,
                        Some(format!("Seeded {n}")),
                        "open",
                        None,
                        Kind::Email,
                    )
                    .expect("the seed ticket exists");
            }
            let second = start + (n / 100) as i64;
            let at = Timestamp::from(DateTime::from_timestamp(second, 0).unwrap_or_default());
            let message = SideConversationMessage {
                subject: Some("Seeded message".into()),
                body: Some(format!("Message {n}")),
                preview_text: Some(format!("Message {n}")),
                to: Some(vec![Participant {
                    email: Some("vendor@example.com".into()),
                    ..Default::default()
                }]),
                from: Some(Self::user_participant(&robot)),
                ..Default::default()
            };
            let side_conversation = self.side_conversations[&current].side_conversation.clone();
            let kind = if n % 50 == 0 { "create" } else { "reply" };
            let event = self.message_event(&side_conversation, kind, &robot, message, at);
            self.record(&current, event);
        }
    }

    // ---- side conversation attachments ----------------------------------------

    pub fn add_message_attachment(
        &mut self,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> SideConversationAttachment {
        let id = format!("s3-{}", self.new_id());
        let (width, height) = png_size(bytes).map_or((None, None), |(w, h)| (Some(w), Some(h)));
        self.message_attachments.insert(
            id.clone(),
            StoredFile {
                name: name.into(),
                content_type: content_type.into(),
                size: bytes.len() as i64,
                width,
                height,
            },
        );
        SideConversationAttachment {
            id: Some(id),
            name: Some(name.into()),
            content_type: Some(content_type.into()),
            size: Some(bytes.len() as i64),
            width,
            height,
            ..Default::default()
        }
    }
}

/// A message may only add participants of its side conversation's type.
fn same_kind(existing: Kind, kind: Kind) -> Result<(), ApiError> {
    if kind == existing {
        return Ok(());
    }
    Err(ApiError::invalid(
        format!(
            "a {} side conversation takes no {} participants",
            existing.name(),
            kind.name()
        ),
        json!({"to": [{"error": "InvalidValue", "description": "participants of another side conversation type"}]}),
    ))
}

/// The first words of `text`, at most 60 characters, as the service previews.
fn preview(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= 60 {
        return line.to_string();
    }
    let cut: String = line.chars().take(60).collect();
    match cut.rfind(' ') {
        Some(space) if space > 20 => cut[..space].to_string(),
        _ => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_cut_at_a_word() {
        assert_eq!(preview("short"), "short");
        let long = "I was trying to print an email when the printer suddenly started burning";
        assert_eq!(
            preview(long),
            "I was trying to print an email when the printer suddenly"
        );
    }

    #[test]
    fn pages_window_the_list() {
        let w = window(5, 2, 2);
        assert_eq!((w.range, w.next, w.previous), (2..4, Some(3), Some(1)));
        let last = window(5, 3, 2);
        assert_eq!((last.range, last.next), (4..5, None));
        assert_eq!(window(5, 9, 2).range, 5..5);
    }
}
