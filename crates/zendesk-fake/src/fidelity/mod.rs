//! Fidelity: how faithful the stateful fake is to what a recording says the
//! service answered. The recorded requests are sent, in order, to a fresh
//! fake (seeded with the tickets, comments and attachments the recording
//! names; ids and tokens the service returned mapped to the ones the fake
//! returned), and each answer is compared with the recorded one: the
//! status, and the response's fields as JSON pointers with their JSON types
//! (the items of an array merged as `/*`). The score is the share of
//! recorded fields the fake reproduces with their type.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::cassette::{self, Body, Exchange};
use crate::config::{Config, Seed, SeedAttachment, SeedComment, SeedTicket};

/// Who the recorded requests are sent as: the default seed's admin, who may
/// call every operation.
const SIGN_IN: (&str, &str) = ("admin@example.com/token", "admin-token");

/// What one operation and recorded status came to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// The operation (or `METHOD path` for one the spec does not know).
    pub operation: String,
    /// The status the service answered.
    pub status: u16,
    /// Recorded exchanges of this operation and status.
    pub exchanges: u64,
    /// Of them, the ones the fake answered with the same status.
    pub same_status: u64,
    /// The statuses the fake answered instead.
    pub fake_statuses: BTreeSet<u16>,
    /// Recorded fields, over every exchange.
    pub recorded_fields: u64,
    /// Of them, the ones the fake sent with the same type.
    pub reproduced_fields: u64,
    /// Fields the service sent and the fake did not.
    pub only_in_service: BTreeSet<String>,
    /// Fields the fake sent and the service did not.
    pub only_in_fake: BTreeSet<String>,
    /// Fields both sent with different types: pointer -> (service's, fake's).
    pub type_differences: BTreeMap<String, (String, String)>,
    /// Fields the service sent that the spec does not describe, with the
    /// JSON types they had: what the spec lacks.
    pub undocumented: BTreeMap<String, BTreeSet<&'static str>>,
}

/// A recording's fidelity.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fidelity {
    /// Per operation and recorded status.
    pub rows: Vec<Row>,
    /// Recorded exchanges.
    pub exchanges: u64,
    /// Of them, answered by the fake with the recorded status.
    pub same_status: u64,
    /// Recorded fields, over every exchange.
    pub recorded_fields: u64,
    /// Of them, reproduced with their type.
    pub reproduced_fields: u64,
    /// `reproduced_fields / recorded_fields` (1.0 for a recording with no
    /// fields).
    pub score: f64,
    /// Places of fields the service sent that the spec does not describe,
    /// over every row.
    pub undocumented: u64,
    /// What reading the recording warned of (a last line cut off).
    pub warnings: Vec<String>,
}

impl std::fmt::Display for Fidelity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        writeln!(f, "| operation | status | exchanges | same status | recorded fields | reproduced |")?;
        writeln!(f, "| --- | ---: | ---: | ---: | ---: | ---: |")?;
        for row in &self.rows {
            let other: Vec<String> = row.fake_statuses.iter().map(u16::to_string).collect();
            writeln!(
                f,
                "| {} | {} | {} | {}{} | {} | {} |",
                row.operation,
                row.status,
                row.exchanges,
                row.same_status,
                if other.is_empty() { String::new() } else { format!(" (fake: {})", other.join(", ")) },
                row.recorded_fields,
                row.reproduced_fields
            )?;
        }
        for row in &self.rows {
            let lines: Vec<String> = row
                .only_in_service
                .iter()
                .map(|p| format!("  the service sent, the fake did not: {p}"))
                .chain(row.only_in_fake.iter().map(|p| format!("  the fake sent, the service did not: {p}")))
                .chain(
                    row.type_differences
                        .iter()
                        .map(|(p, (s, k))| format!("  type differs at {p}: the service sent {s}, the fake {k}")),
                )
                .chain(
                    row.undocumented
                        .iter()
                        .map(|(p, types)| format!("  the spec does not describe: {p} ({})", join(types))),
                )
                .collect();
            if !lines.is_empty() {
                writeln!(f, "{} {}:", row.operation, row.status)?;
                for line in lines {
                    writeln!(f, "{line}")?;
                }
            }
        }
        writeln!(
            f,
            "score {:.3}: {} of {} recorded fields reproduced with their type; {} of {} statuses the same",
            self.score, self.reproduced_fields, self.recorded_fields, self.same_status, self.exchanges
        )?;
        if self.undocumented > 0 {
            writeln!(
                f,
                "{} places of fields the service sent that the spec does not describe (listed above)",
                self.undocumented
            )?;
        }
        Ok(())
    }
}

/// Replays the recording in `dir` against a fresh fake and compares.
pub async fn run(dir: &Path) -> Result<Fidelity, String> {
    let cassette::Cassette { exchanges, warnings } = cassette::read(dir)?;
    let config = Config {
        seed: seed_for(&exchanges),
        ..Config::default()
    };
    let fake = crate::start(config).await.map_err(|e| format!("the fake did not start: {e}"))?;
    let http = crate::proxy::outbound_client()?;
    let mut ids = Ids::default();
    let mut rows: BTreeMap<(String, u16), Row> = BTreeMap::new();
    for exchange in &exchanges {
        let path = ids.path(&exchange.path);
        let mut url = format!("{}{path}", fake.base_url());
        if let Some(query) = &exchange.query {
            url = format!("{url}?{}", ids.query(query));
        }
        let method = reqwest::Method::from_bytes(exchange.method.as_bytes())
            .map_err(|_| format!("{:?} is not an HTTP method", exchange.method))?;
        let mut request = http.request(method, url).basic_auth(SIGN_IN.0, Some(SIGN_IN.1));
        if let Some(content_type) = exchange.request_headers.get("content-type") {
            request = request.header("content-type", content_type);
        }
        let body = match &exchange.request_body {
            Body::Json(json) => {
                let mut json = json.clone();
                ids.json(&mut json);
                Body::Json(json).to_bytes()
            }
            other => other.to_bytes(),
        };
        let answer = request
            .body(body)
            .send()
            .await
            .map_err(|e| format!("the fake did not answer {} {}: {}", exchange.method, exchange.path, e.without_url()))?;
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.map_err(|e| e.without_url().to_string())?;
        let fake_body = Body::from_bytes(&bytes);
        if let (Some(recorded), Some(answered)) = (exchange.response_body.json(), fake_body.json()) {
            ids.learn(recorded, answered);
        }
        let spec_operation = zendesk_validate::operation_at(&exchange.method, &exchange.path);
        let operation = spec_operation
            .map_or_else(|| format!("{} {}", exchange.method, exchange.path), |o| o.id.to_string());
        let row = rows.entry((operation.clone(), exchange.status)).or_insert_with(|| Row {
            operation,
            status: exchange.status,
            ..Row::default()
        });
        compare(row, exchange, status, &fake_body);
        if let (Some(spec_operation), Some(recorded)) = (spec_operation, exchange.response_body.json()) {
            for finding in crate::layer::checks::undocumented_in(spec_operation, exchange.status, recorded) {
                row.undocumented
                    .entry(finding.pointer)
                    .or_default()
                    .extend(finding.json_type);
            }
        }
    }
    let _ = fake.stop().await;
    let rows: Vec<Row> = rows.into_values().collect();
    let sum = |field: fn(&Row) -> u64| rows.iter().map(field).sum::<u64>();
    let (recorded_fields, reproduced_fields) = (sum(|r| r.recorded_fields), sum(|r| r.reproduced_fields));
    Ok(Fidelity {
        warnings,
        undocumented: rows.iter().map(|r| r.undocumented.len() as u64).sum(),
        exchanges: sum(|r| r.exchanges),
        same_status: sum(|r| r.same_status),
        recorded_fields,
        reproduced_fields,
        score: if recorded_fields == 0 { 1.0 } else { reproduced_fields as f64 / recorded_fields as f64 },
        rows,
    })
}

fn compare(row: &mut Row, exchange: &Exchange, status: u16, answered: &Body) {
    row.exchanges += 1;
    if status == exchange.status {
        row.same_status += 1;
    } else {
        row.fake_statuses.insert(status);
    }
    let recorded = exchange.response_body.json().map(fields).unwrap_or_default();
    let answered = answered.json().map(fields).unwrap_or_default();
    for (pointer, types) in &recorded {
        row.recorded_fields += 1;
        match answered.get(pointer) {
            Some(fake) if !fake.is_disjoint(types) => row.reproduced_fields += 1,
            Some(fake) => {
                row.type_differences.insert(pointer.clone(), (join(types), join(fake)));
            }
            None => {
                row.only_in_service.insert(pointer.clone());
            }
        }
    }
    for pointer in answered.keys().filter(|p| !recorded.contains_key(*p)) {
        row.only_in_fake.insert(pointer.clone());
    }
}

fn join(types: &BTreeSet<&'static str>) -> String {
    types.iter().copied().collect::<Vec<_>>().join(" or ")
}

/// Every field of `json` (not the document itself) with its JSON types; an
/// array's items share the pointer `{array}/*`.
fn fields(json: &Value) -> BTreeMap<String, BTreeSet<&'static str>> {
    fn walk(json: &Value, at: &str, out: &mut BTreeMap<String, BTreeSet<&'static str>>) {
        if !at.is_empty() {
            out.entry(at.to_string()).or_default().insert(zendesk_validate::json_type(json));
        }
        match json {
            Value::Object(fields) => {
                for (key, value) in fields {
                    walk(value, &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, &format!("{at}/*"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(json, "", &mut out);
    out
}

/// The default seed, with every ticket, comment and attachment the
/// recording's paths name.
fn seed_for(exchanges: &[Exchange]) -> Seed {
    let mut seed = Seed::default();
    for exchange in exchanges {
        let segments: Vec<&str> = exchange.path.trim_matches('/').split('/').collect();
        let number = |at: usize| segments.get(at).and_then(|s| s.parse::<i64>().ok());
        match segments.as_slice() {
            ["api", "v2", "tickets", _, "comments", _, "attachments", _, ..] => {
                if let (Some(ticket), Some(comment), Some(attachment)) = (number(3), number(5), number(7)) {
                    add_attachment(&mut seed, ticket, comment, attachment);
                }
            }
            ["api", "v2", "tickets", _, ..] => {
                if let Some(ticket) = number(3) {
                    ticket_of(&mut seed, ticket);
                }
            }
            ["api", "v2", "attachments", _] => {
                if let Some(attachment) = number(3) {
                    let (ticket, comment) = (seed.tickets[0].id, 100);
                    add_attachment(&mut seed, ticket, comment, attachment);
                }
            }
            _ => {}
        }
    }
    seed
}

fn ticket_of(seed: &mut Seed, id: i64) -> &mut SeedTicket {
    let index = match seed.tickets.iter().position(|t| t.id == id) {
        Some(index) => index,
        None => {
            seed.tickets.push(SeedTicket {
                id,
                closed: false,
                comments: Vec::new(),
            });
            seed.tickets.len() - 1
        }
    };
    &mut seed.tickets[index]
}

fn add_attachment(seed: &mut Seed, ticket: i64, comment: i64, attachment: i64) {
    let known = seed
        .tickets
        .iter()
        .flat_map(|t| &t.comments)
        .flat_map(|c| &c.attachments)
        .any(|a| a.id == attachment);
    if known {
        return;
    }
    let ticket = ticket_of(seed, ticket);
    let index = match ticket.comments.iter().position(|c| c.id == comment) {
        Some(index) => index,
        None => {
            ticket.comments.push(SeedComment {
                id: comment,
                attachments: Vec::new(),
            });
            ticket.comments.len() - 1
        }
    };
    ticket.comments[index].attachments.push(SeedAttachment {
        id: attachment,
        file_name: format!("attachment-{attachment}.dat"),
        content_type: "application/binary".into(),
        size: 1,
    });
}

/// Ids and tokens the service returned, mapped to the ones the fake
/// returned in the same place.
#[derive(Default)]
struct Ids {
    map: HashMap<String, String>,
}

impl Ids {
    fn learn(&mut self, recorded: &Value, answered: &Value) {
        match (recorded, answered) {
            (Value::Object(a), Value::Object(b)) => {
                for (key, x) in a {
                    let Some(y) = b.get(key) else { continue };
                    let names_an_id = key == "id" || key.ends_with("_id") || key == "token";
                    match (x, y) {
                        (Value::String(_) | Value::Number(_), Value::String(_) | Value::Number(_)) if names_an_id => {
                            let (x, y) = (scalar(x), scalar(y));
                            if x != y {
                                self.map.insert(x, y);
                            }
                        }
                        _ => self.learn(x, y),
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                for (x, y) in a.iter().zip(b) {
                    self.learn(x, y);
                }
            }
            _ => {}
        }
    }

    fn path(&self, path: &str) -> String {
        path.split('/')
            .map(|segment| self.map.get(segment).map_or(segment, String::as_str))
            .collect::<Vec<_>>()
            .join("/")
    }

    fn query(&self, query: &str) -> String {
        query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => match self.map.get(value) {
                    Some(mapped) => format!("{key}={mapped}"),
                    None => pair.to_string(),
                },
                None => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    fn json(&self, json: &mut Value) {
        match json {
            Value::String(text) => {
                if let Some(mapped) = self.map.get(text.as_str()) {
                    *text = mapped.clone();
                }
            }
            Value::Number(number) => {
                if let Some(mapped) = self.map.get(&number.to_string()).and_then(|m| m.parse().ok()) {
                    *number = mapped;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.json(item)),
            Value::Object(fields) => fields.values_mut().for_each(|value| self.json(value)),
            _ => {}
        }
    }
}

fn scalar(json: &Value) -> String {
    match json {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
