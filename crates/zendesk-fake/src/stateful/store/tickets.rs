//! Tickets and their comments: created with a first comment, updated with
//! more, listed a cursor page at a time, made private; the seed's tickets
//! are tickets like any other.

// Generated structs are built with `..Default::default()` even where every
// field is set: a property the spec adds later must not break this file.
#![allow(clippy::needless_update)]

use base64::Engine as _;
use serde_json::{json, Map, Value};
use zendesk_models::{
    AuditObject, AuditObjectEventsItem, CursorPageLinks, CursorPageMeta, TicketAuditViaObject,
    TicketCommentInput, TicketCommentObject, TicketCommentsResponse,
    TicketCommentsResponseUsersItem, TicketCreateRequest, TicketObject,
    TicketObjectCustomFieldsItem, TicketObjectFieldsItem, TicketObjectVia, TicketResponse,
    TicketUpdateRequest, TicketUpdateResponse, Timestamp, ViaObject,
};

use super::{html_of, now, Store};
use crate::config::{Role, SeedTicket, User};
use crate::errors::ApiError;

/// A ticket, as reported, with its comments and side conversations.
pub(super) struct Ticket {
    pub(super) ticket: TicketObject,
    pub(super) comments: Vec<Comment>,
    /// Side conversation ids, oldest first.
    pub(super) side_conversations: Vec<String>,
}

impl Ticket {
    /// A closed ticket takes no change: no update, no redaction.
    pub(super) fn closed(&self) -> bool {
        self.ticket.status.as_deref() == Some("closed")
    }
}

/// A comment, and the ids of its attachments (read from the store's
/// attachments when listed, so a redaction shows).
pub(super) struct Comment {
    pub(super) comment: TicketCommentObject,
    pub(super) attachments: Vec<i64>,
}

/// What `ListTicketComments` is asked for.
pub struct CommentsQuery {
    pub include_inline_images: bool,
    pub include_users: bool,
    pub descending: bool,
    pub size: usize,
    pub after: Option<String>,
    pub before: Option<String>,
}

/// The most comments a page holds, and what it holds when not asked.
pub const MAX_PAGE_SIZE: usize = 100;

impl Store {
    /// A ticket of the seed: its comments (by the requester, public) hold
    /// the seed's attachments.
    pub(super) fn seed_ticket(&mut self, seed: &SeedTicket) {
        let requester = self
            .users
            .iter()
            .find(|u| u.role == Role::EndUser)
            .or(self.users.first())
            .map_or(1, |u| u.id);
        let created = now();
        let mut ticket = self.new_ticket_object(seed.id, requester, &created);
        ticket.subject = Some(format!("Seeded ticket {}", seed.id));
        ticket.raw_subject = ticket.subject.clone();
        ticket.status = Some(if seed.closed { "closed" } else { "open" }.into());
        ticket.description = Some(format!(
            "Seeded comment {}",
            seed.comments.first().map_or(0, |c| c.id)
        ));
        let mut comments = Vec::new();
        for comment in &seed.comments {
            for file in &comment.attachments {
                let attachment = self.attachment(
                    file.id,
                    &file.file_name,
                    &file.content_type,
                    file.size,
                    None,
                );
                self.attachments.insert(file.id, attachment);
            }
            let body = format!("Seeded comment {}", comment.id);
            comments.push(Comment {
                comment: self.comment_object(comment.id, requester, &body, None, true, &created),
                attachments: comment.attachments.iter().map(|a| a.id).collect(),
            });
        }
        self.comments += comments.len();
        self.tickets.insert(
            seed.id,
            Ticket {
                ticket,
                comments,
                side_conversations: Vec::new(),
            },
        );
    }

    /// A ticket object with what every ticket the service reports has.
    fn new_ticket_object(&self, id: i64, requester: i64, created: &Timestamp) -> TicketObject {
        let mut ticket = TicketObject::new(requester);
        ticket.id = Some(id);
        ticket.url = Some(self.url(&format!("/api/v2/tickets/{id}.json")));
        ticket.via = Some(TicketObjectVia {
            channel: Some("api".into()),
            source: api_source(),
            ..Default::default()
        });
        ticket.created_at = Some(created.clone());
        ticket.updated_at = Some(created.clone());
        ticket.generated_timestamp = created.to_datetime().ok().map(|t| t.timestamp());
        ticket.submitter_id = Some(requester);
        ticket.is_public = Some(true);
        ticket.has_incidents = Some(false);
        ticket.allow_attachments = Some(true);
        ticket.allow_channelback = Some(false);
        ticket.from_messaging_channel = Some(false);
        for list in [
            &mut ticket.collaborator_ids,
            &mut ticket.email_cc_ids,
            &mut ticket.follower_ids,
            &mut ticket.followup_ids,
            &mut ticket.sharing_agreement_ids,
        ] {
            *list = Some(Vec::new());
        }
        ticket.tags = Some(Vec::new());
        ticket.custom_fields = Some(Vec::new());
        ticket.fields = Some(Vec::new());
        ticket
    }

    fn comment_object(
        &self,
        id: i64,
        author: i64,
        body: &str,
        html_body: Option<&str>,
        public: bool,
        created: &Timestamp,
    ) -> TicketCommentObject {
        TicketCommentObject {
            id: Some(id),
            type_: Some("Comment".into()),
            author_id: Some(author),
            body: Some(body.to_string()),
            html_body: Some(html_body.map_or_else(|| html_of(body), String::from)),
            plain_body: Some(body.to_string()),
            public: Some(public),
            via: Some(TicketAuditViaObject {
                channel: Some("api".into()),
                source: api_source(),
                ..Default::default()
            }),
            created_at: Some(created.clone()),
            metadata: [
                ("system".to_string(), json!({})),
                ("custom".to_string(), json!({})),
            ]
            .into_iter()
            .collect(),
            attachments: Some(Vec::new()),
            ..Default::default()
        }
    }

    pub fn create_ticket(
        &mut self,
        actor: &User,
        body: &Value,
    ) -> Result<TicketResponse, ApiError> {
        let request: TicketCreateRequest = typed(body)?;
        let input = request.ticket;
        // Everything that can fail is checked before anything changes.
        self.check_uploads(&input.comment)?;
        let requester = match (&input.requester_id, &input.requester) {
            (Some(id), _) => *id,
            (None, Some(requester)) => {
                self.requester_by_email(&requester.email, requester.name.as_deref())
            }
            (None, None) => actor.id,
        };
        let id = self.next_ticket_id;
        self.next_ticket_id += 1;
        let created = now();
        let mut ticket = self.new_ticket_object(id, requester, &created);
        ticket.submitter_id = Some(input.submitter_id.unwrap_or(actor.id));
        ticket.subject = input.subject.clone();
        ticket.raw_subject = input.raw_subject.clone().or(input.subject.clone());
        ticket.priority = input.priority.map(|p| p.to_string());
        ticket.type_ = input.type_.map(|t| t.to_string());
        let status = match input.status {
            Some(status) => status.to_string(),
            None if input.assignee_id.is_some() => "open".into(),
            None => "new".into(),
        };
        ticket.status = Some(status);
        ticket.assignee_id = input.assignee_id;
        ticket.group_id = input.group_id;
        ticket.organization_id = input.organization_id;
        ticket.brand_id = input.brand_id;
        ticket.ticket_form_id = input.ticket_form_id;
        ticket.external_id = input.external_id.clone();
        ticket.due_at = input.due_at.clone();
        ticket.problem_id = input.problem_id;
        ticket.recipient = input.recipient.clone();
        ticket.custom_status_id = input.custom_status_id;
        ticket.tags = Some(tags(&input.tags));
        set_custom_fields(&mut ticket, &input.custom_fields);
        ticket.collaborator_ids = Some(input.collaborator_ids.clone());
        ticket.email_cc_ids = Some(input.email_cc_ids.clone());
        ticket.follower_ids = Some(input.follower_ids.clone());
        ticket.description = input
            .comment
            .body
            .clone()
            .or(input.comment.html_body.clone());
        let mut events = Vec::new();
        for (field, value) in [
            ("subject", json!(ticket.subject)),
            ("status", json!(ticket.status)),
            ("priority", json!(ticket.priority)),
            ("type", json!(ticket.type_)),
            ("tags", json!(ticket.tags)),
            ("assignee_id", json!(ticket.assignee_id)),
            ("group_id", json!(ticket.group_id)),
        ] {
            events.push(self.change_event("Create", field, value, None));
        }
        self.tickets.insert(
            id,
            Ticket {
                ticket,
                comments: Vec::new(),
                side_conversations: Vec::new(),
            },
        );
        let author = input.comment.author_id.unwrap_or(actor.id);
        let audit_id = self.new_long_id();
        let comment_event = self.add_comment(id, author, &input.comment, audit_id, &created)?;
        let ticket = &mut self.ticket(id)?.ticket;
        ticket.is_public = comment_event.public;
        let ticket = ticket.clone();
        events.insert(0, comment_event);
        let audit = audit(audit_id, id, actor.id, events, &created);
        Ok(TicketResponse {
            audit: Some(audit),
            ..TicketResponse::new(ticket)
        })
    }

    pub fn show_ticket(&self, id: i64) -> Result<TicketResponse, ApiError> {
        Ok(TicketResponse::new(self.ticket_ref(id)?.ticket.clone()))
    }

    pub fn update_ticket(
        &mut self,
        id: i64,
        actor: &User,
        body: &Value,
    ) -> Result<TicketUpdateResponse, ApiError> {
        let request: TicketUpdateRequest = typed(body)?;
        let input = request.ticket;
        if self.ticket_ref(id)?.closed() {
            return Err(ApiError::invalid(
                "the ticket is closed: it takes no update",
                json!({"status": [{"error": "Closed", "description": "closed prevents ticket update"}]}),
            ));
        }
        if let Some(comment) = &input.comment {
            self.check_uploads(comment)?;
        }
        let at = now();
        let mut changes: Vec<(&str, Value, Value)> = Vec::new();
        {
            let ticket = &mut self.ticket(id)?.ticket;
            let mut set = |field: &'static str, old: Value, new: Value| {
                if old != new {
                    changes.push((field, new, old));
                }
            };
            if let Some(subject) = &input.subject {
                set("subject", json!(ticket.subject), json!(subject));
                ticket.subject = Some(subject.clone());
            }
            if let Some(status) = input.status {
                set("status", json!(ticket.status), json!(status.to_string()));
                ticket.status = Some(status.to_string());
            }
            if let Some(priority) = input.priority {
                set(
                    "priority",
                    json!(ticket.priority),
                    json!(priority.to_string()),
                );
                ticket.priority = Some(priority.to_string());
            }
            if let Some(kind) = input.type_ {
                set("type", json!(ticket.type_), json!(kind.to_string()));
                ticket.type_ = Some(kind.to_string());
            }
            if !input.tags.is_empty() {
                let tags = tags(&input.tags);
                set("tags", json!(ticket.tags), json!(tags));
                ticket.tags = Some(tags);
            }
            if let Some(assignee) = input.assignee_id {
                set("assignee_id", json!(ticket.assignee_id), json!(assignee));
                ticket.assignee_id = Some(assignee);
                if ticket.status.as_deref() == Some("new") {
                    ticket.status = Some("open".into());
                }
            }
            if let Some(requester) = input.requester_id {
                set("requester_id", json!(ticket.requester_id), json!(requester));
                ticket.requester_id = requester;
            }
            for (field, value, slot) in [
                ("group_id", input.group_id, &mut ticket.group_id),
                (
                    "organization_id",
                    input.organization_id,
                    &mut ticket.organization_id,
                ),
                (
                    "custom_status_id",
                    input.custom_status_id,
                    &mut ticket.custom_status_id,
                ),
                ("problem_id", input.problem_id, &mut ticket.problem_id),
            ] {
                if let Some(value) = value {
                    set(field, json!(slot), json!(value));
                    *slot = Some(value);
                }
            }
            if let Some(external_id) = &input.external_id {
                ticket.external_id = Some(external_id.clone());
            }
            if input.due_at.is_some() {
                ticket.due_at = input.due_at.clone();
            }
            if !input.custom_fields.is_empty() {
                set_custom_fields(ticket, &input.custom_fields);
            }
            ticket.updated_at = Some(at.clone());
        }
        let mut events: Vec<AuditObjectEventsItem> = changes
            .into_iter()
            .map(|(field, value, previous)| {
                self.change_event("Change", field, value, Some(previous))
            })
            .collect();
        let audit_id = self.new_long_id();
        if let Some(comment) = &input.comment {
            let author = comment.author_id.unwrap_or(actor.id);
            events.insert(0, self.add_comment(id, author, comment, audit_id, &at)?);
        }
        let ticket = self.ticket(id)?.ticket.clone();
        let audit = audit(audit_id, id, actor.id, events, &at);
        Ok(TicketUpdateResponse {
            audit: Some(audit),
            ..TicketUpdateResponse::new(ticket)
        })
    }

    /// Every upload token of a comment is one that can be attached.
    fn check_uploads(&self, comment: &TicketCommentInput) -> Result<(), ApiError> {
        for token in &comment.uploads {
            if self.uploads.contains_key(token) {
                continue;
            }
            let why = if self.used_tokens.contains(token) {
                format!("the upload {token} is attached to a comment already; a token is used once")
            } else {
                format!("no upload has the token {token}")
            };
            return Err(ApiError::invalid(
                why.clone(),
                json!({"uploads": [{"error": "InvalidValue", "description": why}]}),
            ));
        }
        if comment.body.is_none() && comment.html_body.is_none() && comment.uploads.is_empty() {
            return Err(ApiError::invalid(
                "a comment needs a body, an HTML body or uploads",
                json!({"comment": [{"error": "BlankValue", "description": "cannot be blank"}]}),
            ));
        }
        Ok(())
    }

    /// Adds a comment (its uploads checked by [`Self::check_uploads`]),
    /// recorded by the audit `audit_id`, and answers its audit event. A
    /// comment is public unless it says otherwise.
    fn add_comment(
        &mut self,
        ticket_id: i64,
        author: i64,
        input: &TicketCommentInput,
        audit_id: i64,
        at: &Timestamp,
    ) -> Result<AuditObjectEventsItem, ApiError> {
        let id = self.new_long_id();
        let body = input.body.clone().unwrap_or_default();
        let public = input.public.unwrap_or(true);
        let html_body = input.html_body.as_deref();
        let mut comment = self.comment_object(id, author, &body, html_body, public, at);
        if body.is_empty() {
            comment.body = input.html_body.clone();
            comment.plain_body = input.html_body.clone();
        }
        let attachments = self.take_uploads(&input.uploads, html_body.unwrap_or_default());
        comment.audit_id = Some(audit_id);
        let event = AuditObjectEventsItem {
            id: Some(id),
            type_: Some("Comment".into()),
            author_id: Some(author),
            body: comment.body.clone(),
            html_body: comment.html_body.clone(),
            plain_body: comment.plain_body.clone(),
            public: Some(public),
            attachments: attachments
                .iter()
                .filter_map(|a| self.attachments.get(a).cloned())
                .collect(),
            ..Default::default()
        };
        self.ticket(ticket_id)?.comments.push(Comment {
            comment,
            attachments,
        });
        self.comments += 1;
        Ok(event)
    }

    fn change_event(
        &mut self,
        kind: &str,
        field: &str,
        value: Value,
        previous: Option<Value>,
    ) -> AuditObjectEventsItem {
        AuditObjectEventsItem {
            id: Some(self.new_long_id()),
            type_: Some(kind.into()),
            field_name: Some(field.into()),
            value: Some(value),
            previous_value: previous,
            ..Default::default()
        }
    }

    /// The requester with this address: a user of the account, or a new
    /// end user (who cannot sign in).
    fn requester_by_email(&mut self, email: &str, name: Option<&str>) -> i64 {
        if let Some(user) = self
            .users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
        {
            return user.id;
        }
        let id = self.users.iter().map(|u| u.id).max().unwrap_or(0) + 1;
        self.users.push(User {
            id,
            name: name.unwrap_or(email).to_string(),
            email: email.to_string(),
            role: Role::EndUser,
            api_token: None,
            oauth_token: None,
        });
        id
    }

    pub fn list_comments(
        &self,
        ticket_id: i64,
        query: &CommentsQuery,
    ) -> Result<TicketCommentsResponse, ApiError> {
        let ticket = self.ticket_ref(ticket_id)?;
        let mut order: Vec<&Comment> = ticket.comments.iter().collect();
        if query.descending {
            order.reverse();
        }
        let position = |cursor: &str, name: &str| -> Result<usize, ApiError> {
            let id = decode_cursor(cursor).ok_or_else(|| {
                ApiError::bad_cursor(format!("{name} is not a cursor this list gave: {cursor:?}"))
            })?;
            order
                .iter()
                .position(|c| c.comment.id == Some(id))
                .ok_or_else(|| {
                    ApiError::bad_cursor(format!("{name} names no comment of this ticket"))
                })
        };
        let (start, end) = match (&query.after, &query.before) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_cursor(
                    "page[after] and page[before] cannot be given together",
                ))
            }
            (Some(after), None) => {
                let start = position(after, "page[after]")? + 1;
                (start, (start + query.size).min(order.len()))
            }
            (None, Some(before)) => {
                let end = position(before, "page[before]")?;
                (end.saturating_sub(query.size), end)
            }
            (None, None) => (0, query.size.min(order.len())),
        };
        let page = &order[start..end];
        let comments: Vec<TicketCommentObject> = page
            .iter()
            .map(|stored| {
                let mut comment = stored.comment.clone();
                comment.attachments = Some(
                    stored
                        .attachments
                        .iter()
                        .filter_map(|id| self.attachments.get(id))
                        .filter(|a| query.include_inline_images || a.inline != Some(true))
                        .cloned()
                        .collect(),
                );
                comment
            })
            .collect();
        let first = page.first().and_then(|c| c.comment.id).map(encode_cursor);
        let last = page.last().and_then(|c| c.comment.id).map(encode_cursor);
        let has_more = end < order.len();
        let link = |key: &str, cursor: &str| {
            let mut query_text = format!(
                "page%5B{key}%5D={cursor}&page%5Bsize%5D={}",
                query.size
            );
            if query.include_inline_images {
                query_text.push_str("&include_inline_images=true");
            }
            if query.include_users {
                query_text.push_str("&include=users");
            }
            if query.descending {
                query_text.push_str("&sort_order=desc");
            }
            self.url(&format!(
                "/api/v2/tickets/{ticket_id}/comments?{query_text}"
            ))
        };
        let users = query.include_users.then(|| {
            let mut ids: Vec<i64> = comments.iter().filter_map(|c| c.author_id).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter()
                .map(|id| {
                    let user = self.user(id);
                    TicketCommentsResponseUsersItem {
                        id: Some(id),
                        name: user.map(|u| u.name.clone()),
                        email: user.map(|u| u.email.clone()),
                        ..Default::default()
                    }
                })
                .collect()
        });
        Ok(TicketCommentsResponse {
            meta: Some(CursorPageMeta {
                has_more: Some(has_more),
                after_cursor: last.clone(),
                before_cursor: first.clone(),
                ..Default::default()
            }),
            links: Some(CursorPageLinks {
                next: last.filter(|_| has_more).map(|c| link("after", &c)),
                prev: first.filter(|_| start > 0).map(|c| link("before", &c)),
                ..Default::default()
            }),
            users,
            ..TicketCommentsResponse::new(comments)
        })
    }

    pub fn make_comment_private(
        &mut self,
        ticket_id: i64,
        comment_id: i64,
    ) -> Result<(), ApiError> {
        let ticket = self.ticket(ticket_id)?;
        let comment = ticket
            .comments
            .iter_mut()
            .find(|c| c.comment.id == Some(comment_id))
            .ok_or_else(|| ApiError::not_found("comment", comment_id))?;
        comment.comment.public = Some(false);
        let any_public = ticket
            .comments
            .iter()
            .any(|c| c.comment.public == Some(true));
        ticket.ticket.is_public = Some(any_public);
        Ok(())
    }
}

fn audit(
    id: i64,
    ticket_id: i64,
    author: i64,
    events: Vec<AuditObjectEventsItem>,
    at: &Timestamp,
) -> AuditObject {
    AuditObject {
        id: Some(id),
        ticket_id: Some(ticket_id),
        author_id: Some(author),
        created_at: Some(at.clone()),
        events: Some(events),
        via: Some(ViaObject {
            channel: Some("api".into()),
            ..Default::default()
        }),
        metadata: [
            ("system".to_string(), json!({})),
            ("custom".to_string(), json!({})),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    }
}

/// A request body, already checked against the spec, as its model type.
fn typed<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, ApiError> {
    serde_json::from_value(body.clone()).map_err(|e| ApiError::invalid(e.to_string(), json!({})))
}

/// Tags as the service keeps them: lower case, spaces made underscores, once each.
fn tags(given: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in given {
        let tag = tag.trim().to_lowercase().replace(' ', "_");
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

fn set_custom_fields(ticket: &mut TicketObject, values: &[zendesk_models::TicketCustomFieldValue]) {
    let current = ticket.custom_fields.get_or_insert_with(Vec::new);
    for value in values {
        let value_json = value.value.clone().unwrap_or(Value::Null);
        match current.iter_mut().find(|f| f.id == Some(value.id)) {
            Some(field) => field.value = Some(value_json),
            None => current.push(TicketObjectCustomFieldsItem {
                id: Some(value.id),
                value: Some(value_json),
                ..Default::default()
            }),
        }
    }
    // The service sends the same pairs as `fields` too.
    ticket.fields = Some(
        current
            .iter()
            .map(|f| TicketObjectFieldsItem {
                id: f.id,
                value: f.value.clone(),
                ..Default::default()
            })
            .collect(),
    );
}

/// A `via.source` of the API: nothing from, nothing to.
fn api_source() -> Map<String, Value> {
    [("from", json!({})), ("to", json!({})), ("rel", Value::Null)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// A page's cursor: the comment it stands at, opaque to the caller. URL-safe
/// base64 without padding, so it goes into a query as it is.
fn encode_cursor(comment_id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("comment:{comment_id}"))
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("comment:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_what_they_did_not_make() {
        assert_eq!(
            decode_cursor(&encode_cursor(700_000_000_123)),
            Some(700_000_000_123)
        );
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(
            decode_cursor(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("other:1")),
            None
        );
    }

    #[test]
    fn tags_are_kept_as_the_service_keeps_them() {
        let given = [
            "Printer".to_string(),
            "on fire".into(),
            "printer".into(),
            " ".into(),
        ];
        assert_eq!(tags(&given), ["printer", "on_fire"]);
    }
}
