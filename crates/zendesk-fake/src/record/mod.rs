//! The record mode, beside the proxy: every exchange, scrubbed, appended to
//! `DIR/cassette.jsonl` as it happens, and each JSON body written as a
//! fixture under `DIR/fixtures/` named as `zendesk-validate` reads names
//! (`{OperationId}.request.{n}.json`, `{OperationId}.{status}.{n}.json`;
//! an error the operation does not document is Zendesk's error body,
//! `ErrorResponse.{OperationId}-{status}.{n}.json`). Nothing is held in
//! memory but the placeholder tables and the fixture counts.

pub mod scrub;

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use axum::http::HeaderMap;
use serde_json::Value;
use zendesk_validate::Operation;

use crate::cassette::{Body, Exchange, CASSETTE_FILE};
use scrub::{ScrubRule, Scrubber};

/// The request headers a recording keeps (never `Authorization` or a
/// cookie).
const REQUEST_HEADERS: [&str; 2] = ["accept", "content-type"];

/// The response headers a recording keeps (never `Set-Cookie`).
const RESPONSE_HEADERS: [&str; 8] = [
    "content-type",
    "location",
    "retry-after",
    "x-rate-limit",
    "x-rate-limit-remaining",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
];

/// The folder fixtures go to, inside a recording's.
pub const FIXTURES_DIR: &str = "fixtures";

/// One exchange as it went through the proxy, before scrubbing.
pub struct Seen<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub operation: Option<&'static Operation>,
    pub request_headers: &'a HeaderMap,
    pub request_body: &'a [u8],
    pub status: u16,
    pub response_headers: &'a HeaderMap,
    pub response_body: &'a [u8],
}

/// A recording being written.
#[derive(Debug)]
pub struct Recorder {
    fixtures: PathBuf,
    scrubber: Scrubber,
    cassette: Mutex<BufWriter<File>>,
    /// The last number given to each fixture name's stem.
    numbers: Mutex<HashMap<String, u64>>,
}

impl Recorder {
    /// Starts recording into `dir` (created if need be); an existing
    /// cassette is appended to, and fixtures are numbered after the ones
    /// already there.
    pub fn create(dir: &Path, upstream: &reqwest::Url, rules: Vec<ScrubRule>) -> std::io::Result<Recorder> {
        let fixtures = dir.join(FIXTURES_DIR);
        std::fs::create_dir_all(&fixtures)?;
        let cassette = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(CASSETTE_FILE))?;
        Ok(Recorder {
            numbers: Mutex::new(numbers_in(&fixtures)?),
            fixtures,
            scrubber: Scrubber::new(upstream, rules),
            cassette: Mutex::new(BufWriter::new(cassette)),
        })
    }

    /// Scrubs and writes one exchange: its cassette line (flushed), then
    /// its fixtures.
    pub fn record(&self, seen: &Seen<'_>) -> std::io::Result<()> {
        let mut request_body = Body::from_bytes(seen.request_body);
        let mut response_body = Body::from_bytes(seen.response_body);
        let tokens = self.scrubber.learn_tokens(
            seen.path,
            seen.query,
            &[request_body.json(), response_body.json()],
        );
        for body in [&mut request_body, &mut response_body] {
            match body {
                Body::Json(json) => self.scrubber.json(json, &tokens),
                Body::Text(text) => *text = self.scrubber.text(text, &tokens),
                // Uploaded file contents are kept as they are.
                Body::Empty | Body::Base64(_) => {}
            }
        }
        let exchange = Exchange {
            method: seen.method.to_string(),
            path: self.scrubber.text(seen.path, &tokens),
            query: seen.query.map(|q| self.scrubber.text(q, &tokens)),
            request_headers: self.headers(seen.request_headers, &REQUEST_HEADERS, &tokens),
            request_body,
            status: seen.status,
            response_headers: self.headers(seen.response_headers, &RESPONSE_HEADERS, &tokens),
            response_body,
        };
        {
            let mut cassette = self.cassette.lock().unwrap_or_else(|e| e.into_inner());
            serde_json::to_writer(&mut *cassette, &exchange)?;
            cassette.write_all(b"\n")?;
            cassette.flush()?;
        }
        self.write_fixtures(seen.operation, &exchange)
    }

    fn headers(&self, headers: &HeaderMap, keep: &[&str], tokens: &[(String, String)]) -> BTreeMap<String, String> {
        keep.iter()
            .filter_map(|name| {
                let value = headers.get(*name)?.to_str().ok()?;
                Some((name.to_string(), self.scrubber.text(value, tokens)))
            })
            .collect()
    }

    fn write_fixtures(&self, operation: Option<&Operation>, exchange: &Exchange) -> std::io::Result<()> {
        let Some(operation) = operation else { return Ok(()) };
        if let (Some(json), zendesk_validate::Body::Json(_)) = (exchange.request_body.json(), operation.request) {
            self.write_fixture(&format!("{}.request", operation.id), json)?;
        }
        if let Some(json) = exchange.response_body.json() {
            let status = exchange.status.to_string();
            match operation.response(&status) {
                Some(zendesk_validate::Body::Json(_)) => {
                    self.write_fixture(&format!("{}.{status}", operation.id), json)?
                }
                None if exchange.status >= 400 => {
                    self.write_fixture(&format!("ErrorResponse.{}-{status}", operation.id), json)?
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn write_fixture(&self, stem: &str, json: &Value) -> std::io::Result<()> {
        let number = {
            let mut numbers = self.numbers.lock().unwrap_or_else(|e| e.into_inner());
            let number = numbers.entry(stem.to_string()).or_insert(0);
            *number += 1;
            *number
        };
        let mut text = serde_json::to_vec_pretty(json)?;
        text.push(b'\n');
        std::fs::write(self.fixtures.join(format!("{stem}.{number}.json")), text)
    }
}

impl Drop for Recorder {
    /// The cassette reaches the disk when the recording ends, and what the
    /// placeholder tables could not hold is told.
    fn drop(&mut self) {
        let shared = self.scrubber.overflowed();
        if shared > 0 {
            eprintln!("zendesk-fake: {shared} emails or tokens past the tables' limit were recorded as one shared placeholder");
        }
        let cassette = self.cassette.get_mut().unwrap_or_else(|e| e.into_inner());
        if cassette.flush().is_ok() {
            let _ = cassette.get_ref().sync_all();
        }
    }
}

/// The highest number of each fixture stem already in `fixtures`.
fn numbers_in(fixtures: &Path) -> std::io::Result<HashMap<String, u64>> {
    let mut numbers = HashMap::new();
    for entry in std::fs::read_dir(fixtures)? {
        let name = entry?.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        let Some((stem, number)) = stem.rsplit_once('.') else { continue };
        if let Ok(number) = number.parse::<u64>() {
            let highest = numbers.entry(stem.to_string()).or_insert(0);
            *highest = number.max(*highest);
        }
    }
    Ok(numbers)
}
