//! What a fake account holds when it starts: users with their roles and
//! credentials, tickets (with comments and attachments to redact), and the
//! faults to inject.

use std::path::PathBuf;
use std::time::Duration;

pub use crate::record::scrub::ScrubRule;

use serde::{Deserialize, Serialize};

/// A user's role, which decides what they may call (the spec's `x-allowed-for`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A customer: may upload files.
    EndUser,
    /// May work with side conversations, tickets and attachments.
    Agent,
    /// May do what agents may, and export events.
    Admin,
}

impl Role {
    /// Whether this role is among `allowed_for` (`end-users`, `agents`,
    /// `admins`): admins may do what agents may, and agents what end users
    /// may. An operation whose spec says nothing (an imported operation
    /// whose description names no role) is taken as for agents.
    pub fn may(self, allowed_for: &[&str]) -> bool {
        if allowed_for.is_empty() {
            return self.may(&["agents"]);
        }
        allowed_for.iter().any(|allowed| match *allowed {
            "end-users" => true,
            "agents" => matches!(self, Role::Agent | Role::Admin),
            "admins" => self == Role::Admin,
            _ => false,
        })
    }
}

/// A user of the fake account and the credentials they sign in with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    /// The user id (what `user_id` participants name).
    pub id: i64,
    /// The display name.
    pub name: String,
    /// The email address, which API token sign-in names.
    pub email: String,
    /// What the user may call.
    pub role: Role,
    /// Accepted as `{email}/token:{api_token}` basic authentication.
    #[serde(default)]
    pub api_token: Option<String>,
    /// Accepted as a bearer token.
    #[serde(default)]
    pub oauth_token: Option<String>,
}

/// A ticket, so that side conversations have somewhere to live.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedTicket {
    /// The ticket id.
    pub id: i64,
    /// A closed ticket's attachments cannot be redacted.
    #[serde(default)]
    pub closed: bool,
    /// Its comments, with their attachments.
    #[serde(default)]
    pub comments: Vec<SeedComment>,
}

impl SeedTicket {
    /// An open ticket without comments.
    pub fn new(id: i64) -> Self {
        SeedTicket {
            id,
            closed: false,
            comments: Vec::new(),
        }
    }

    /// The ticket, closed (`true`) or open.
    pub fn closed(mut self, closed: bool) -> Self {
        self.closed = closed;
        self
    }
}

/// A ticket comment and its attachments (what redaction works on).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedComment {
    /// The comment id.
    pub id: i64,
    /// Its attachments.
    #[serde(default)]
    pub attachments: Vec<SeedAttachment>,
}

/// A ticket attachment (what `ShowAttachment` and redaction work on).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedAttachment {
    /// The attachment id.
    pub id: i64,
    /// The file name.
    pub file_name: String,
    /// The media type.
    pub content_type: String,
    /// The size in bytes.
    pub size: i64,
}

/// Everything the account starts with (the binary's `--seed FILE`, as JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Seed {
    /// Who may sign in.
    pub users: Vec<User>,
    /// The tickets side conversations can be started on.
    pub tickets: Vec<SeedTicket>,
    /// Side conversation events to generate for ticket `tickets[0]`, spread
    /// over past seconds (for export load tests).
    #[serde(default)]
    pub generated_events: u64,
}

impl Default for Seed {
    /// The documented default account:
    ///
    /// | user | role | API token | OAuth token |
    /// | --- | --- | --- | --- |
    /// | 1 `admin@example.com` | admin | `admin-token` | `admin-oauth` |
    /// | 2 `agent@example.com` | agent | `agent-token` | `agent-oauth` |
    /// | 3 `customer@example.com` | end user | `customer-token` | — |
    ///
    /// Tickets 12345 (open; comment 100 holds attachment 498483, `myfile.dat`),
    /// 12346 (open) and 12347 (closed; comment 300 holds attachment 498499).
    fn default() -> Self {
        let user = |id, name: &str, email: &str, role, api: &str, oauth: Option<&str>| User {
            id,
            name: name.into(),
            email: email.into(),
            role,
            api_token: Some(api.into()),
            oauth_token: oauth.map(String::from),
        };
        let attachment = |id, file_name: &str| SeedAttachment {
            id,
            file_name: file_name.into(),
            content_type: "application/binary".into(),
            size: 2532,
        };
        Seed {
            users: vec![
                user(
                    1,
                    "Admin Ada",
                    "admin@example.com",
                    Role::Admin,
                    "admin-token",
                    Some("admin-oauth"),
                ),
                user(
                    2,
                    "Johnny Agent",
                    "agent@example.com",
                    Role::Agent,
                    "agent-token",
                    Some("agent-oauth"),
                ),
                user(
                    3,
                    "Carla Customer",
                    "customer@example.com",
                    Role::EndUser,
                    "customer-token",
                    None,
                ),
            ],
            tickets: vec![
                SeedTicket {
                    id: 12345,
                    closed: false,
                    comments: vec![SeedComment {
                        id: 100,
                        attachments: vec![attachment(498_483, "myfile.dat")],
                    }],
                },
                SeedTicket {
                    id: 12346,
                    closed: false,
                    comments: Vec::new(),
                },
                SeedTicket {
                    id: 12347,
                    closed: true,
                    comments: vec![SeedComment {
                        id: 300,
                        attachments: vec![attachment(498_499, "closed.dat")],
                    }],
                },
            ],
            generated_events: 0,
        }
    }
}

/// Faults to inject, all off by default, so clients can test their retries.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// The account's rate limit: 429 (plain text, with `Retry-After`) once
    /// `requests` have arrived within one window. Without it, responses
    /// report 700 a minute and nothing is refused.
    pub rate_limit: Option<RateLimitFault>,
    /// Limits of single operations on top of the account's, which the
    /// account's headers do not show (as on the service).
    pub endpoint_limits: Vec<EndpointLimit>,
    /// The share of the account's budget (0.0 to below 1.0) that another
    /// integration of the same account spends, evenly over each window.
    pub foreign_share: f64,
    /// The share of requests (0.0 to 1.0) answered 503 before they are handled.
    pub unavailable_share: f64,
    /// The `Retry-After` of those 503s, in seconds.
    pub unavailable_retry_after: u64,
    /// Time added before every answer.
    pub latency: Duration,
    /// Seeds the choice of which requests get a 503, for repeatable runs.
    pub random_seed: u64,
}

impl Faults {
    /// The limits Zendesk documents for `plan`: its account limit a
    /// minute, and the incremental export's 10 a minute (`spec/NOTES.md`,
    /// "Rate limits", gives the sources).
    pub fn zendesk_limits(plan: ZendeskPlan) -> Faults {
        Faults {
            rate_limit: Some(RateLimitFault {
                requests: plan.requests_per_minute(),
                window: Duration::from_secs(60),
            }),
            endpoint_limits: vec![EndpointLimit {
                operation: "IncrementalSideConversationEventExport".into(),
                requests: 10,
                window: Duration::from_secs(60),
            }],
            ..Faults::default()
        }
    }
}

/// A Zendesk Suite plan, for [`Faults::zendesk_limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZendeskPlan {
    /// 200 requests a minute.
    Team,
    /// 400 requests a minute.
    Growth,
    /// 400 requests a minute.
    Professional,
    /// 700 requests a minute.
    Enterprise,
    /// 2,500 requests a minute (also the High Volume API add-on's).
    EnterprisePlus,
}

impl ZendeskPlan {
    /// The account's Support API requests a minute.
    pub fn requests_per_minute(self) -> u32 {
        match self {
            ZendeskPlan::Team => 200,
            ZendeskPlan::Growth | ZendeskPlan::Professional => 400,
            ZendeskPlan::Enterprise => 700,
            ZendeskPlan::EnterprisePlus => 2500,
        }
    }
}

/// 429s past a number of requests in a window of time. Windows follow one
/// another from the fake's start; a 429's `Retry-After` is the seconds until
/// the current one ends.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitFault {
    /// Requests answered per window.
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

/// A limit of one operation, on top of the account's.
#[derive(Debug, Clone)]
pub struct EndpointLimit {
    /// The operationId.
    pub operation: String,
    /// Requests of it answered per window.
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

/// How a fake account behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Users and tickets at start.
    pub seed: Seed,
    /// Errors and latency to inject (none by default).
    pub faults: Faults,
    /// Also check every response against the spec before sending it (a
    /// response that breaks it becomes a 500 naming the violation).
    pub validate_responses: bool,
    /// Items per page of the lists when the request names no `per_page`.
    pub default_per_page: u64,
    /// Events per page of the incremental export.
    pub export_page_size: usize,
    /// Requests the journal keeps, the most recent ones
    /// ([`crate::DEFAULT_JOURNAL_LIMIT`] by default); 0 keeps none.
    pub journal_limit: usize,
    /// Records (tickets, comments, side conversations, their events and
    /// files, uploads) calls may add after the seed
    /// ([`crate::DEFAULT_ACCOUNT_LIMIT`] by default); beyond it a call that
    /// would add one is refused with 422 `AccountFull` until a reset.
    pub account_limit: usize,
    /// Forward the API to an upstream instead of answering it (and check,
    /// report and record what goes through).
    pub proxy: Option<ProxyConfig>,
    /// Answer the API from a recording instead.
    pub replay: Option<ReplayConfig>,
}

/// The proxy mode: every request under `/api/v2/` goes to `upstream`.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// The upstream's base URL, such as `https://acme.zendesk.com`.
    pub upstream: String,
    /// Where each violation of the spec is written, as JSON Lines.
    pub report: Option<PathBuf>,
    /// Refuse an invalid request (422) and an invalid answer (502) instead
    /// of only reporting them.
    pub strict: bool,
    /// Record every exchange, scrubbed, into this folder
    /// (`cassette.jsonl` and `fixtures/`).
    pub record: Option<PathBuf>,
    /// More scrubbing for the recording, applied first.
    pub scrub: Vec<ScrubRule>,
}

impl ProxyConfig {
    /// A proxy to `upstream` that reports nothing to a file, records
    /// nothing, and is not strict.
    pub fn new(upstream: impl Into<String>) -> Self {
        ProxyConfig {
            upstream: upstream.into(),
            report: None,
            strict: false,
            record: None,
            scrub: Vec::new(),
        }
    }
}

/// The replay mode: answers from a recording made by the proxy.
#[derive(Debug, Clone)]
pub struct ReplayConfig {
    /// The recording's folder (holding `cassette.jsonl`).
    pub dir: PathBuf,
    /// Answer a request the recording does not hold from the stateful fake
    /// instead of with a 404.
    pub fallback: bool,
    /// The scrub rules the recording was made with, to match requests the
    /// same way.
    pub scrub: Vec<ScrubRule>,
}

impl ReplayConfig {
    /// A replay of `dir` without fallback.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ReplayConfig {
            dir: dir.into(),
            fallback: false,
            scrub: Vec::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: Seed::default(),
            faults: Faults::default(),
            validate_responses: false,
            default_per_page: 100,
            export_page_size: 1000,
            journal_limit: crate::DEFAULT_JOURNAL_LIMIT,
            account_limit: crate::DEFAULT_ACCOUNT_LIMIT,
            proxy: None,
            replay: None,
        }
    }
}
