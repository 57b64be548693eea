//! The fake account's state and what each operation does to it, a file per
//! resource: tickets and their comments (`tickets`), side conversations and
//! their events (`side_conversations`), uploads and the attachments they
//! become (`uploads`). Request bodies arrive already checked against the
//! spec; responses are built from the generated model types.

mod side_conversations;
mod tickets;
mod uploads;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use serde_json::Value;
use zendesk_models::{Attachment, SideConversationEvent, Timestamp};

use crate::config::{Seed, User};
use crate::errors::ApiError;
use side_conversations::{Stored, StoredFile};
pub use tickets::{CommentsQuery, MAX_PAGE_SIZE};
use tickets::Ticket;

pub struct Store {
    base_url: String,
    /// Who may sign in, and the requesters tickets name.
    users: Vec<User>,
    tickets: BTreeMap<i64, Ticket>,
    side_conversations: HashMap<String, Stored>,
    events: Vec<SideConversationEvent>,
    /// (second of `created_at`, sequence) -> index into `events`: the export's order.
    export_order: BTreeMap<(i64, u64), usize>,
    message_attachments: HashMap<String, StoredFile>,
    /// Every ticket attachment: an upload's files, then a comment's.
    attachments: BTreeMap<i64, Attachment>,
    /// Upload tokens not yet attached to a comment, with their files.
    uploads: HashMap<String, Vec<i64>>,
    /// Tokens a comment took: one cannot be attached again.
    used_tokens: HashSet<String>,
    /// Comments on all tickets, counted as they are added.
    comments: usize,
    /// What the seed made the account hold: [`Store::records_created`]
    /// counts from here.
    seed_records: usize,
    sequence: u64,
    next_attachment_id: i64,
    next_ticket_id: i64,
    /// Comments, audits and their events share the service's long ids.
    next_comment_id: i64,
}

impl Store {
    pub fn new(seed: &Seed, base_url: String) -> Store {
        let mut store = Store {
            base_url,
            users: seed.users.clone(),
            tickets: BTreeMap::new(),
            side_conversations: HashMap::new(),
            events: Vec::new(),
            export_order: BTreeMap::new(),
            message_attachments: HashMap::new(),
            attachments: BTreeMap::new(),
            uploads: HashMap::new(),
            used_tokens: HashSet::new(),
            comments: 0,
            seed_records: 0,
            sequence: 0,
            next_attachment_id: 600_000_000_000,
            next_ticket_id: seed.tickets.iter().map(|t| t.id).max().unwrap_or(0).max(12_344) + 1,
            next_comment_id: 700_000_000_000,
        };
        for ticket in &seed.tickets {
            store.seed_ticket(ticket);
        }
        if seed.generated_events > 0 {
            if let Some(ticket) = seed.tickets.first() {
                store.generate_events(ticket.id, seed.generated_events);
            }
        }
        store.seed_records = store.records();
        store
    }

    // ---- how much the account holds -----------------------------------------

    /// Every record the account holds: tickets, comments, side
    /// conversations, their events and files, uploads and attachments.
    fn records(&self) -> usize {
        self.tickets.len()
            + self.comments
            + self.side_conversations.len()
            + self.events.len()
            + self.message_attachments.len()
            + self.attachments.len()
            + self.uploads.len()
            + self.used_tokens.len()
    }

    /// The records calls have added since the account was seeded (at start
    /// or at a reset).
    pub fn records_created(&self) -> usize {
        self.records().saturating_sub(self.seed_records)
    }

    // ---- ids, times and shapes ---------------------------------------------

    fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence
    }

    /// An id shaped like the service's (`8566255a-ece5-11e8-857d-493066fa7b17`).
    fn new_id(&mut self) -> String {
        let sequence = self.next_sequence();
        let nanos = Utc::now().timestamp_subsec_nanos();
        format!(
            "{:08x}-{:04x}-11ef-{:04x}-{:012x}",
            nanos ^ (sequence as u32).rotate_left(16),
            (sequence >> 16) & 0xffff,
            0x8000 | (sequence & 0x3fff),
            sequence
        )
    }

    /// A comment's, an audit's or an audit event's id.
    fn new_long_id(&mut self) -> i64 {
        self.next_comment_id += 1;
        self.next_comment_id
    }

    fn ticket(&mut self, id: i64) -> Result<&mut Ticket, ApiError> {
        self.tickets
            .get_mut(&id)
            .ok_or_else(|| ApiError::not_found("ticket", id))
    }

    fn ticket_ref(&self, id: i64) -> Result<&Ticket, ApiError> {
        self.tickets
            .get(&id)
            .ok_or_else(|| ApiError::not_found("ticket", id))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn user(&self, id: i64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
}

/// A string field of a request body.
fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(String::from)
}

fn now() -> Timestamp {
    Timestamp::from(Utc::now())
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Plain text as the service writes it as HTML: a paragraph per line.
fn html_of(text: &str) -> String {
    let paragraphs: String = text
        .lines()
        .map(|line| format!("<p>{}</p>", escape_html(line)))
        .collect();
    format!("<div class=\"zd-comment\" dir=\"auto\">{paragraphs}</div>")
}
