//! The request journal: the most recent requests the fake received, kept
//! compactly and bounded (by count and by bytes), with a count of those it
//! let go. An entry is turned into a [`RecordedRequest`] only when it is
//! read, so that recording costs a request little.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Requests the journal keeps by default: enough for a test suite's
/// assertions, little memory under a load test.
pub const DEFAULT_JOURNAL_LIMIT: usize = 10_000;

/// The largest request body the journal keeps (a larger one is recorded
/// with its size, and no JSON).
pub const JOURNAL_BODY_LIMIT: usize = 1024 * 1024;

/// The most bytes the journal's entries hold together; past it the oldest go,
/// whatever the count limit says (10,000 bodies of 1 MiB would be 10 GiB).
pub const JOURNAL_BYTES_LIMIT: usize = 64 * 1024 * 1024;

/// Request headers the journal never keeps: they carry credentials.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

/// What an entry costs beside its bytes (the struct, the queue's slot).
const ENTRY_OVERHEAD: usize = 128;

/// One request as the fake received it, credentials left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any (without `?`).
    pub query: Option<String>,
    /// The operation of the spec it calls, if any.
    pub operation_id: Option<String>,
    /// Every header but those that carry credentials, names in lower case.
    pub headers: BTreeMap<String, String>,
    /// The body, when it is JSON.
    pub json: Option<Value>,
    /// The body's size in bytes.
    pub body_bytes: usize,
    /// The status the fake answered.
    pub status: u16,
}

/// A request as the middleware saw it, before it is stored.
pub struct Received<'a> {
    pub method: &'a axum::http::Method,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub operation_id: Option<&'static str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// A stored request: its text in one buffer, read back on demand.
pub struct Entry {
    /// Standard methods are kept without an allocation.
    method: axum::http::Method,
    /// Path, then query, then each header's name and value, then the body
    /// (when it is short enough to keep); their lengths in `path_length`,
    /// `query_length` and `header_lengths`.
    text: Box<[u8]>,
    path_length: u32,
    query_length: Option<u32>,
    header_lengths: Box<[(u32, u32)]>,
    kept_body: bool,
    operation_id: Option<&'static str>,
    body_bytes: usize,
    status: u16,
}

impl Entry {
    fn new(request: &Received<'_>) -> Entry {
        let kept_body = request.body.len() <= JOURNAL_BODY_LIMIT && !request.body.is_empty();
        // Walked again where needed (to size the buffers, then to fill them)
        // rather than collected: one allocation less for every request.
        let headers = || {
            request
                .headers
                .iter()
                .filter(|(name, _)| !SECRET_HEADERS.contains(&name.as_str()))
        };
        let mut text = Vec::with_capacity(
            request.path.len()
                + request.query.map_or(0, str::len)
                + headers()
                    .map(|(n, v)| n.as_str().len() + v.len())
                    .sum::<usize>()
                + if kept_body { request.body.len() } else { 0 },
        );
        text.extend_from_slice(request.path.as_bytes());
        if let Some(query) = request.query {
            text.extend_from_slice(query.as_bytes());
        }
        let mut header_lengths = Vec::with_capacity(headers().count());
        for (name, value) in headers() {
            text.extend_from_slice(name.as_str().as_bytes());
            text.extend_from_slice(value.as_bytes());
            header_lengths.push((name.as_str().len() as u32, value.len() as u32));
        }
        if kept_body {
            text.extend_from_slice(request.body);
        }
        Entry {
            method: request.method.clone(),
            text: text.into_boxed_slice(),
            path_length: request.path.len() as u32,
            query_length: request.query.map(|q| q.len() as u32),
            header_lengths: header_lengths.into_boxed_slice(),
            kept_body,
            operation_id: request.operation_id,
            body_bytes: request.body.len(),
            status: 0,
        }
    }

    fn size(&self) -> usize {
        ENTRY_OVERHEAD + self.text.len() + self.header_lengths.len() * 8
    }

    fn to_recorded(&self) -> RecordedRequest {
        let mut at = 0usize;
        let mut take = |length: usize| {
            let part = &self.text[at..at + length];
            at += length;
            String::from_utf8_lossy(part).into_owned()
        };
        let path = take(self.path_length as usize);
        let query = self.query_length.map(|length| take(length as usize));
        let headers = self
            .header_lengths
            .iter()
            .map(|&(name, value)| (take(name as usize), take(value as usize)))
            .collect();
        let json = if self.kept_body {
            serde_json::from_slice::<Value>(&self.text[at..]).ok()
        } else {
            None
        };
        RecordedRequest {
            method: self.method.as_str().to_string(),
            path,
            query,
            operation_id: self.operation_id.map(str::to_string),
            headers,
            json,
            body_bytes: self.body_bytes,
            status: self.status,
        }
    }
}

/// The most recent requests, at most `limit` of them and
/// [`JOURNAL_BYTES_LIMIT`] bytes; 0 keeps none.
pub struct Journal {
    limit: usize,
    state: Mutex<State>,
    /// Outside the lock, so that a journal turned off takes no lock.
    dropped: AtomicU64,
}

#[derive(Default)]
struct State {
    entries: VecDeque<Entry>,
    bytes: usize,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl Journal {
    pub fn new(limit: usize) -> Journal {
        Journal {
            limit,
            state: Mutex::new(State::default()),
            dropped: AtomicU64::new(0),
        }
    }

    /// The most requests kept.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Whether anything is kept (a limit of 0 keeps nothing, and counts
    /// every request as dropped).
    pub fn keeps_requests(&self) -> bool {
        self.limit > 0
    }

    /// The entry of a request before it is answered (built outside the
    /// lock, from the request as it arrived); `None` when nothing is kept,
    /// and the request counts as dropped.
    pub fn start(&self, request: &Received<'_>) -> Option<Entry> {
        if !self.keeps_requests() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        Some(Entry::new(request))
    }

    /// Keeps an entry with the status it was answered; the oldest go past
    /// the limits.
    pub fn record(&self, mut entry: Entry, status: u16) {
        entry.status = status;
        // What is let go is freed after the lock, not while others wait
        // (one entry, in the steady state of a full journal).
        let mut let_go = 0u64;
        let mut last_let_go = None;
        let mut state = self.lock();
        state.bytes += entry.size();
        state.entries.push_back(entry);
        while state.entries.len() > self.limit
            || (state.bytes > JOURNAL_BYTES_LIMIT && state.entries.len() > 1)
        {
            let Some(oldest) = state.entries.pop_front() else {
                break;
            };
            state.bytes -= oldest.size();
            let_go += 1;
            last_let_go = Some(oldest);
        }
        drop(state);
        drop(last_let_go);
        self.dropped.fetch_add(let_go, Ordering::Relaxed);
    }

    /// The requests kept, oldest first, and how many were let go before them
    /// since the start (or the last clear).
    pub fn read(&self) -> (Vec<RecordedRequest>, u64) {
        let state = self.lock();
        (
            state.entries.iter().map(Entry::to_recorded).collect(),
            self.dropped.load(Ordering::Relaxed),
        )
    }

    /// How many requests were let go since the start (or the last clear).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    pub fn clear(&self) {
        let mut state = self.lock();
        *state = State::default();
        self.dropped.store(0, Ordering::Relaxed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received<'a>(path: &'a str, headers: &'a HeaderMap, body: &'a [u8]) -> Received<'a> {
        Received {
            method: &axum::http::Method::POST,
            path,
            query: Some("page=2"),
            operation_id: Some("CreateSideConversation"),
            headers,
            body,
        }
    }

    fn record(journal: &Journal, request: Received<'_>) {
        if let Some(entry) = journal.start(&request) {
            journal.record(entry, 201);
        }
    }

    #[test]
    fn an_entry_reads_back_as_received_without_credentials() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Basic c2VjcmV0".parse().unwrap());
        headers.insert("content-type", "application/json".parse().unwrap());
        headers.insert("x-custom", "caf\u{e9}".parse().unwrap());
        let journal = Journal::new(10);
        record(&journal, received("/api/v2/x", &headers, br#"{"a":1}"#));
        let (requests, dropped) = journal.read();
        assert_eq!(dropped, 0);
        let request = &requests[0];
        assert_eq!(request.path, "/api/v2/x");
        assert_eq!(request.query.as_deref(), Some("page=2"));
        assert_eq!(request.json, Some(serde_json::json!({"a": 1})));
        assert_eq!(request.body_bytes, 7);
        assert_eq!(request.status, 201);
        assert_eq!(request.headers.len(), 2, "{:?}", request.headers);
        assert_eq!(request.headers["content-type"], "application/json");
        assert_eq!(request.headers["x-custom"], "caf\u{e9}");
    }

    #[test]
    fn the_oldest_go_past_the_limit_and_are_counted() {
        let headers = HeaderMap::new();
        let journal = Journal::new(3);
        for n in 0..5 {
            record(&journal, received(&format!("/{n}"), &headers, b""));
        }
        let (requests, dropped) = journal.read();
        let paths: Vec<_> = requests.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["/2", "/3", "/4"]);
        assert_eq!(dropped, 2);
        journal.clear();
        assert_eq!(journal.read(), (Vec::new(), 0));
    }

    #[test]
    fn a_limit_of_zero_keeps_nothing_and_counts_everything() {
        let headers = HeaderMap::new();
        let journal = Journal::new(0);
        record(&journal, received("/", &headers, b"{}"));
        assert_eq!(journal.read(), (Vec::new(), 1));
    }

    #[test]
    fn big_bodies_are_bounded_by_bytes_whatever_the_count() {
        let headers = HeaderMap::new();
        let body = vec![b' '; JOURNAL_BODY_LIMIT];
        let journal = Journal::new(1_000);
        for _ in 0..100 {
            record(&journal, received("/", &headers, &body));
        }
        let (requests, dropped) = journal.read();
        assert!(requests.len() < 64, "{} kept", requests.len());
        assert_eq!(requests.len() as u64 + dropped, 100);
        let over_limit = vec![b' '; JOURNAL_BODY_LIMIT + 1];
        record(&journal, received("/", &headers, &over_limit));
        let (requests, _) = journal.read();
        let last = requests.last().unwrap();
        assert_eq!(last.body_bytes, JOURNAL_BODY_LIMIT + 1);
        assert_eq!(last.json, None);
    }
}
