//! What a test controls besides the account: scripted responses (the next N
//! calls of an operation answer what the test says) and the journal of every
//! request the fake received. Both are reachable from Rust (the methods of
//! [`crate::FakeZendesk`]) and over HTTP under [`ADMIN_PREFIX`].

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

/// Where the fake's own control API lives: a prefix the service never uses.
pub const ADMIN_PREFIX: &str = "/__fake";

/// The largest request body the journal keeps (larger ones are cut).
const JOURNAL_BODY_LIMIT: usize = 1024 * 1024;

/// Request headers the journal never keeps: they carry credentials.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
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

    fn into_response(self) -> Response {
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
            match self.body {
                ScriptedBody::Empty => status.into_response(),
                ScriptedBody::Json(body) => (status, axum::Json(body)).into_response(),
                ScriptedBody::Text(text) => (
                    status,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    text,
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

/// Why a script was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// No operation of the spec has this operationId.
    #[error("no operation `{0}` in the spec")]
    UnknownOperation(String),
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

/// Scripts and journal, shared by the middleware and the control API.
#[derive(Debug, Default)]
pub struct Control {
    scripts: Mutex<HashMap<String, VecDeque<ScriptedResponse>>>,
    journal: Mutex<Vec<RecordedRequest>>,
}

impl Control {
    /// The next `times` calls of `operation_id` answer `response`, after any
    /// already scripted for it.
    pub fn script(
        &self,
        operation_id: &str,
        times: u32,
        response: ScriptedResponse,
    ) -> Result<(), ScriptError> {
        let operation = zendesk_validate::operation(operation_id)
            .ok_or_else(|| ScriptError::UnknownOperation(operation_id.to_string()))?;
        if let ScriptedBody::Json(body) = &response.body {
            check_scripted_body(operation.id, response.status, body)?;
        }
        let mut scripts = self.scripts.lock().unwrap_or_else(|e| e.into_inner());
        let queue = scripts.entry(operation.id.to_string()).or_default();
        queue.extend(std::iter::repeat_n(response, times as usize));
        Ok(())
    }

    /// Forgets every script not yet used.
    pub fn clear_scripts(&self) {
        self.scripts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn next_scripted(&self, operation_id: &str) -> Option<ScriptedResponse> {
        let mut scripts = self.scripts.lock().unwrap_or_else(|e| e.into_inner());
        scripts.get_mut(operation_id)?.pop_front()
    }

    /// Every request received since the start (or the last clear), in order.
    pub fn journal(&self) -> Vec<RecordedRequest> {
        self.journal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.journal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn record(&self, entry: RecordedRequest) {
        self.journal
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
    }
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

/// Records every request in the journal and answers scripted calls before
/// anything else sees them.
pub async fn script_and_record(
    State(control): State<Arc<Control>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with(ADMIN_PREFIX) {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_string();
    let query = request.uri().query().map(str::to_string);
    let operation_id = zendesk_validate::operation_at(&method, &path).map(|o| o.id.to_string());
    let headers: BTreeMap<String, String> = request
        .headers()
        .iter()
        .filter(|(name, _)| !SECRET_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let json = serde_json::from_slice::<Value>(&bytes[..bytes.len().min(JOURNAL_BODY_LIMIT)]).ok();
    let body_bytes = bytes.len();
    let request = Request::from_parts(parts, Body::from(bytes));

    let scripted = operation_id
        .as_deref()
        .and_then(|id| control.next_scripted(id));
    let response = match scripted {
        Some(scripted) => {
            if scripted.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(scripted.delay_ms)).await;
            }
            scripted.into_response()
        }
        None => next.run(request).await,
    };
    control.record(RecordedRequest {
        method,
        path,
        query,
        operation_id,
        headers,
        json,
        body_bytes,
        status: response.status().as_u16(),
    });
    response
}

/// `POST /__fake/scripts` body.
#[derive(Debug, Deserialize)]
pub struct ScriptRequest {
    operation: String,
    #[serde(default = "one")]
    times: u32,
    response: ScriptedResponse,
}

fn one() -> u32 {
    1
}

/// `POST /__fake/scripts`: `{"operation": .., "times": n, "response": {..}}`.
pub async fn add_script(
    State(control): State<Arc<Control>>,
    axum::Json(script): axum::Json<ScriptRequest>,
) -> Response {
    match control.script(&script.operation, script.times, script.response) {
        Ok(()) => StatusCode::CREATED.into_response(),
        Err(error) => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": "InvalidScript", "description": error.to_string()})),
        )
            .into_response(),
    }
}

/// `DELETE /__fake/scripts`.
pub async fn clear_scripts(State(control): State<Arc<Control>>) -> StatusCode {
    control.clear_scripts();
    StatusCode::NO_CONTENT
}

/// `GET /__fake/journal`: `{"requests": [..]}`, oldest first.
pub async fn journal(State(control): State<Arc<Control>>) -> axum::Json<Value> {
    axum::Json(json!({ "requests": control.journal() }))
}

/// `DELETE /__fake/journal`.
pub async fn clear_journal(State(control): State<Arc<Control>>) -> StatusCode {
    control.clear_journal();
    StatusCode::NO_CONTENT
}
