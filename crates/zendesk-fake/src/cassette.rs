//! The recording format shared by the record, replay and fidelity modes:
//! `cassette.jsonl`, one exchange per line, in the order they happened.

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::Path;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The cassette's file name inside a recording folder.
pub const CASSETTE_FILE: &str = "cassette.jsonl";

/// The longest line a cassette may hold: a body as large as the largest
/// request the fake reads, written as base64.
const MAX_LINE: u64 = 80 * 1024 * 1024;

/// One request and its answer, as recorded (after scrubbing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query, without the `?`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The allow-listed request headers, lower-case names.
    #[serde(default)]
    pub request_headers: BTreeMap<String, String>,
    /// What the request carried.
    #[serde(default, skip_serializing_if = "Body::is_empty")]
    pub request_body: Body,
    /// The answer's status.
    pub status: u16,
    /// The allow-listed response headers, lower-case names.
    #[serde(default)]
    pub response_headers: BTreeMap<String, String>,
    /// What the answer carried.
    #[serde(default, skip_serializing_if = "Body::is_empty")]
    pub response_body: Body,
}

/// A body: JSON when it parses as JSON (whatever its media type says), else
/// text when it is UTF-8, else base64.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// A JSON document.
    Json(Value),
    /// Text that is not JSON.
    Text(String),
    /// Bytes that are not text.
    Base64(String),
}

impl Body {
    /// What `bytes` hold.
    pub fn from_bytes(bytes: &[u8]) -> Body {
        if bytes.is_empty() {
            return Body::Empty;
        }
        if let Ok(json) = serde_json::from_slice(bytes) {
            return Body::Json(json);
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Body::Text(text.to_string()),
            Err(_) => Body::Base64(base64::engine::general_purpose::STANDARD.encode(bytes)),
        }
    }

    /// The bytes to send.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Body::Empty => Vec::new(),
            Body::Json(json) => serde_json::to_vec(json).unwrap_or_default(),
            Body::Text(text) => text.as_bytes().to_vec(),
            Body::Base64(encoded) => base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .unwrap_or_default(),
        }
    }

    /// Whether there is no body.
    pub fn is_empty(&self) -> bool {
        matches!(self, Body::Empty)
    }

    /// The JSON document, if the body is one.
    pub fn json(&self) -> Option<&Value> {
        match self {
            Body::Json(json) => Some(json),
            _ => None,
        }
    }
}

/// A cassette as read: its exchanges, and what was worth a warning.
#[derive(Debug)]
pub struct Cassette {
    pub exchanges: Vec<Exchange>,
    /// A last line torn mid-write (no newline, not an exchange), left out.
    pub warnings: Vec<String>,
}

/// Every exchange of `dir/cassette.jsonl`, in order. An unreadable file, or
/// a line that is not an exchange, is an error naming the file and line;
/// only the last line, when it has no newline (a recording stopped while
/// writing it), is left out with a warning instead.
pub fn read(dir: &Path) -> Result<Cassette, String> {
    let path = dir.join(CASSETTE_FILE);
    let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut reader = std::io::BufReader::new(file);
    let mut exchanges = Vec::new();
    let mut warnings = Vec::new();
    let mut line = String::new();
    for number in 1.. {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE + 1)
            .read_line(&mut line)
            .map_err(|e| format!("{}:{number}: {e}", path.display()))?;
        if read == 0 {
            break;
        }
        if read as u64 > MAX_LINE {
            return Err(format!(
                "{}:{number}: a line longer than {MAX_LINE} bytes",
                path.display()
            ));
        }
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(&line) {
            Ok(exchange) => exchanges.push(exchange),
            Err(_) if !line.ends_with('\n') => {
                warnings.push(format!(
                    "{}:{number}: the last line was cut off while it was written (the recording stopped); it is left out",
                    path.display()
                ));
            }
            Err(e) => {
                return Err(format!(
                    "{}:{number}, column {}: not an exchange: {e}",
                    path.display(),
                    e.column()
                ))
            }
        }
    }
    Ok(Cassette {
        exchanges,
        warnings,
    })
}
