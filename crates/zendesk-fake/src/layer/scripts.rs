//! Scripted responses: the next N calls of an operation answer what a test
//! says instead of the account. A script is stored once with a count of the
//! calls it has left, so `times` costs nothing, and every part of it is
//! checked when it is added: a bad one changes nothing.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The most scripts queued for one operation at once (each with its own
/// `times`).
pub const MAX_QUEUED_SCRIPTS: usize = 1_000;

/// The longest delay a script may ask for: 10 minutes, in milliseconds.
pub const MAX_DELAY_MS: u64 = 600_000;

/// The most headers one scripted response may set.
pub const MAX_SCRIPTED_HEADERS: usize = 64;

/// Headers that say how a response is framed or carried: the server sets
/// them from the body, and a scripted value would break the connection.
const FRAMING_HEADERS: [&str; 5] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
];

/// The body of a scripted response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptedBody {
    /// No body.
    #[default]
    Empty,
    /// A JSON body, sent as `application/json`.
    Json(Value),
    /// A text body, sent as `text/plain; charset=utf-8` unless the scripted
    /// headers say otherwise (Zendesk's rate limiter answers so).
    Text(String),
}

/// What a scripted call answers. Build one with [`ScriptedResponse::status`],
/// [`ScriptedResponse::error`] or [`ScriptedResponse::dropped_connection`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptedResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers to send, by name.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The body.
    #[serde(default)]
    pub body: ScriptedBody,
    /// How long to wait before answering, in milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
    /// Close the connection after the status line instead of sending a body:
    /// the client sees a transport error, not a response it can read.
    #[serde(default)]
    pub drop_connection: bool,
}

impl ScriptedResponse {
    /// A response with this status and no body.
    pub fn status(status: u16) -> Self {
        ScriptedResponse {
            status,
            headers: BTreeMap::new(),
            body: ScriptedBody::Empty,
            delay_ms: 0,
            drop_connection: false,
        }
    }

    /// Zendesk's error body: `{"error": .., "description": ..}`.
    pub fn error(status: u16, error: &str, description: &str) -> Self {
        Self::status(status).json(json!({"error": error, "description": description}))
    }

    /// A connection closed before a response could be read.
    pub fn dropped_connection() -> Self {
        ScriptedResponse {
            drop_connection: true,
            ..Self::status(200)
        }
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = ScriptedBody::Json(body);
        self
    }

    /// Sets a plain-text body.
    pub fn text(mut self, body: impl Into<String>) -> Self {
        self.body = ScriptedBody::Text(body.into());
        self
    }

    /// Adds `details` to a JSON error body (Zendesk's per-field problems).
    pub fn details(mut self, details: Value) -> Self {
        if let ScriptedBody::Json(Value::Object(body)) = &mut self.body {
            body.insert("details".into(), details);
        }
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl ToString) -> Self {
        self.headers.insert(name.to_string(), value.to_string());
        self
    }

    /// Waits before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay_ms = delay.as_millis() as u64;
        self
    }

    pub(crate) fn to_response(&self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = if self.drop_connection {
            // A body that fails at once makes the server abort the connection.
            let failing = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other(
                    "connection dropped by a script",
                ))
            });
            (status, Body::from_stream(failing)).into_response()
        } else {
            match &self.body {
                ScriptedBody::Empty => status.into_response(),
                ScriptedBody::Json(body) => (status, axum::Json(body)).into_response(),
                ScriptedBody::Text(text) => (
                    status,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    text.clone(),
                )
                    .into_response(),
            }
        };
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }
}

/// Why a script was refused. Nothing is queued when one is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// No operation of the spec has this operationId.
    #[error("no operation `{0}` in the spec (`zendesk-validate --list` lists them)")]
    UnknownOperation(String),
    /// `times` is 0.
    #[error("`times` must be an integer from 1 to {max}, not 0", max = u32::MAX)]
    NoTimes,
    /// The operation has [`MAX_QUEUED_SCRIPTS`] scripts queued already.
    #[error("{operation} has {MAX_QUEUED_SCRIPTS} scripts queued, the most it may have; DELETE /__fake/scripts, or give one script a larger `times`")]
    QueueFull {
        /// The operationId.
        operation: String,
    },
    /// A field of the response is outside what it may be.
    #[error("`{field}` {problem}")]
    InvalidField {
        /// The field, as a JSON pointer into the script (`/response/status`).
        field: String,
        /// What is wrong, with the allowed range.
        problem: String,
    },
    /// The scripted JSON body breaks the schema the spec gives that response.
    #[error("the scripted {operation} {status} body breaks the spec at `{pointer}`: {message}")]
    BodyBreaksSpec {
        /// The operationId.
        operation: String,
        /// The scripted status.
        status: u16,
        /// Where in the body.
        pointer: String,
        /// What rule it breaks.
        message: String,
    },
}

impl ScriptError {
    fn field(field: &str, problem: impl Into<String>) -> Self {
        ScriptError::InvalidField {
            field: field.to_string(),
            problem: problem.into(),
        }
    }
}

/// A script in its queue: the response, and the calls it still answers.
#[derive(Debug)]
struct Queued {
    response: ScriptedResponse,
    remaining: u32,
}

/// Every operation's queue of scripts.
#[derive(Debug, Default)]
pub struct Scripts {
    queues: Mutex<HashMap<&'static str, VecDeque<Queued>>>,
    /// Scripts queued over every operation: with none, a request takes no lock.
    queued: AtomicUsize,
}

impl Scripts {
    /// The next `times` calls of `operation_id` answer `response`, after any
    /// already scripted for it.
    pub fn add(
        &self,
        operation_id: &str,
        times: u32,
        response: ScriptedResponse,
    ) -> Result<(), ScriptError> {
        let operation = zendesk_validate::operation(operation_id)
            .ok_or_else(|| ScriptError::UnknownOperation(operation_id.to_string()))?;
        if times == 0 {
            return Err(ScriptError::NoTimes);
        }
        check_response(&response)?;
        if let ScriptedBody::Json(body) = &response.body {
            check_scripted_body(operation.id, response.status, body)?;
        }
        let mut queues = self.lock();
        let queue = queues.entry(operation.id).or_default();
        if queue.len() >= MAX_QUEUED_SCRIPTS {
            return Err(ScriptError::QueueFull {
                operation: operation.id.to_string(),
            });
        }
        queue.push_back(Queued {
            response,
            remaining: times,
        });
        self.queued.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Forgets every script not yet used.
    pub fn clear(&self) {
        let mut queues = self.lock();
        queues.clear();
        self.queued.store(0, Ordering::Relaxed);
    }

    /// The response the next call of `operation_id` gets, if one is scripted.
    pub fn next(&self, operation_id: &str) -> Option<ScriptedResponse> {
        if self.queued.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let mut queues = self.lock();
        let queue = queues.get_mut(operation_id)?;
        let front = queue.front_mut()?;
        front.remaining -= 1;
        if front.remaining > 0 {
            return Some(front.response.clone());
        }
        let used_up = queue.pop_front()?;
        self.queued.fetch_sub(1, Ordering::Relaxed);
        Some(used_up.response)
    }

    /// The scripts queued, per operation: the status each answers and the
    /// calls it has left.
    pub fn pending(&self) -> Value {
        let queues = self.lock();
        let mut operations: Vec<_> = queues.iter().filter(|(_, q)| !q.is_empty()).collect();
        operations.sort_by_key(|(id, _)| **id);
        let listed: serde_json::Map<String, Value> = operations
            .into_iter()
            .map(|(id, queue)| {
                let scripts = queue
                    .iter()
                    .map(|q| json!({"status": q.response.status, "remaining": q.remaining}))
                    .collect();
                (id.to_string(), Value::Array(scripts))
            })
            .collect();
        Value::Object(listed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, VecDeque<Queued>>> {
        self.queues.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The parts of a response that HTTP bounds: a status from 100 to 599, a
/// delay of at most [`MAX_DELAY_MS`], headers that are valid and do not
/// frame the response.
fn check_response(response: &ScriptedResponse) -> Result<(), ScriptError> {
    if !(100..=599).contains(&response.status) {
        return Err(ScriptError::field(
            "/response/status",
            format!("must be an integer from 100 to 599, not {}", response.status),
        ));
    }
    if response.delay_ms > MAX_DELAY_MS {
        return Err(ScriptError::field(
            "/response/delay_ms",
            format!(
                "must be an integer from 0 to {MAX_DELAY_MS} (10 minutes), not {}",
                response.delay_ms
            ),
        ));
    }
    if response.headers.len() > MAX_SCRIPTED_HEADERS {
        return Err(ScriptError::field(
            "/response/headers",
            format!(
                "may hold at most {MAX_SCRIPTED_HEADERS} headers, not {}",
                response.headers.len()
            ),
        ));
    }
    for (name, value) in &response.headers {
        let pointer = format!("/response/headers/{}", name.replace('~', "~0").replace('/', "~1"));
        let parsed = HeaderName::try_from(name.as_str()).map_err(|_| {
            ScriptError::field(&pointer, "is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")
        })?;
        if FRAMING_HEADERS.contains(&parsed.as_str()) {
            return Err(ScriptError::field(
                &pointer,
                "frames the response, which the server does from the body; it cannot be scripted",
            ));
        }
        HeaderValue::try_from(value.as_str()).map_err(|_| {
            ScriptError::field(&pointer, "is not a valid HTTP header value (no control characters)")
        })?;
    }
    Ok(())
}

/// A scripted JSON body must be what the spec says that response holds; an
/// error status the operation does not document must be Zendesk's error body.
fn check_scripted_body(operation_id: &str, status: u16, body: &Value) -> Result<(), ScriptError> {
    let validator = match zendesk_validate::response(operation_id, &status.to_string()) {
        Ok(validator) => validator,
        Err(zendesk_validate::LookupError::UnknownStatus { .. }) if status >= 400 => {
            match zendesk_validate::schema("ErrorResponse") {
                Ok(validator) => validator,
                Err(_) => return Ok(()),
            }
        }
        Err(_) => return Ok(()),
    };
    match validator.validate(body).into_iter().next() {
        None => Ok(()),
        Some(violation) => Err(ScriptError::BodyBreaksSpec {
            operation: operation_id.to_string(),
            status,
            pointer: violation.pointer,
            message: violation.message,
        }),
    }
}

