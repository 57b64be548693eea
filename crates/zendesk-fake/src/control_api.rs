//! The fake's own API under [`ADMIN_PREFIX`]: scripts, the journal, reset
//! and seeding. Every field of every request is checked before anything
//! changes; a bad one gets a 400 naming the field and what it may be.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Map, Value};

use crate::layer::intercept::{Control, ADMIN_PREFIX};
use crate::layer::scripts::{ScriptedBody, ScriptedResponse, MAX_DELAY_MS};
use crate::stateful::App;

/// The largest body a control request may have (a scripted response's JSON
/// included).
pub const MAX_CONTROL_BODY: usize = 1024 * 1024;

type Shared = State<(Arc<App>, Arc<Control>)>;

/// The routes under [`ADMIN_PREFIX`].
pub fn router(app: Arc<App>, control: Arc<Control>) -> Router {
    Router::new()
        .route(
            "/scripts",
            post(add_script).get(pending_scripts).delete(clear_scripts),
        )
        .route("/journal", get(journal).delete(clear_journal))
        .route("/reset", post(reset))
        .route(
            "/tickets/{ticket_id}/side_conversations",
            post(seed_side_conversation),
        )
        .fallback(unknown)
        .with_state((app, control))
}

/// A 400 the control API answers: `{"error": kind, "description": ..}`.
fn refused(kind: &str, description: impl Into<String>) -> Response {
    let body = json!({"error": kind, "description": description.into()});
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

async fn unknown(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let body = json!({
        "error": "UnknownControl",
        "description": format!(
            "no {method} {uri} in the fake's control API; it has POST, GET and DELETE {ADMIN_PREFIX}/scripts, \
             GET and DELETE {ADMIN_PREFIX}/journal, POST {ADMIN_PREFIX}/reset and \
             POST {ADMIN_PREFIX}/tickets/{{ticket_id}}/side_conversations"
        ),
    });
    (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

/// A control request's body, at most [`MAX_CONTROL_BODY`] bytes, as JSON.
async fn json_body(body: Body, kind: &str) -> Result<Value, Response> {
    let bytes: Bytes = axum::body::to_bytes(body, MAX_CONTROL_BODY)
        .await
        .map_err(|_| {
            refused(
                kind,
                format!("the body is larger than {MAX_CONTROL_BODY} bytes, the most a control request may have"),
            )
        })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        refused(
            kind,
            format!(
                "the body is not JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// `POST /__fake/scripts`: `{"operation": .., "times": n, "response": {..}}`.
async fn add_script(State((_, control)): Shared, body: Body) -> Response {
    let value = match json_body(body, "InvalidScript").await {
        Ok(value) => value,
        Err(response) => return response,
    };
    let (operation, times, response) = match read_script(&value) {
        Ok(script) => script,
        Err(problem) => return refused("InvalidScript", problem),
    };
    match control.scripts.add(&operation, times, response) {
        Ok(()) => StatusCode::CREATED.into_response(),
        Err(error) => refused("InvalidScript", error.to_string()),
    }
}

/// `GET /__fake/scripts`: the scripts still queued, per operation.
async fn pending_scripts(State((_, control)): Shared) -> axum::Json<Value> {
    axum::Json(json!({ "scripts": control.scripts.pending() }))
}

/// `DELETE /__fake/scripts`.
async fn clear_scripts(State((_, control)): Shared) -> StatusCode {
    control.scripts.clear();
    StatusCode::NO_CONTENT
}

/// `GET /__fake/journal`: `{"requests": [..], "dropped": n, "limit": n}`,
/// oldest first; `dropped` counts the requests let go to stay in the limit.
async fn journal(State((_, control)): Shared) -> axum::Json<Value> {
    let (requests, dropped) = control.journal.read();
    axum::Json(json!({
        "requests": requests,
        "dropped": dropped,
        "limit": control.journal.limit(),
    }))
}

/// `DELETE /__fake/journal`.
async fn clear_journal(State((_, control)): Shared) -> StatusCode {
    control.journal.clear();
    StatusCode::NO_CONTENT
}

/// `POST /__fake/reset`: the seed again, no scripts, an empty journal.
async fn reset(State((app, control)): Shared) -> StatusCode {
    app.reset();
    control.scripts.clear();
    control.journal.clear();
    StatusCode::NO_CONTENT
}

/// `POST /__fake/tickets/{ticket_id}/side_conversations`: an
/// `ImportSideConversation` body, imported without signing in.
async fn seed_side_conversation(
    State((app, _)): Shared,
    Path(ticket): Path<String>,
    body: Body,
) -> Response {
    let Ok(ticket_id) = ticket.parse::<i64>() else {
        return refused(
            "InvalidRequest",
            format!("the ticket id {ticket:?} is not an integer"),
        );
    };
    let body = match json_body(body, "InvalidRequest").await {
        Ok(body) => body,
        Err(response) => return response,
    };
    match app.seed_side_conversation(ticket_id, &body) {
        Ok(created) => (StatusCode::CREATED, axum::Json(created)).into_response(),
        Err(error) => error.into_response(),
    }
}

/// A script's fields, each checked: the operation, `times` and the response.
fn read_script(value: &Value) -> Result<(String, u32, ScriptedResponse), String> {
    let script = object(value, "", &["operation", "times", "response"])?;
    let operation = match script.get("operation") {
        Some(Value::String(operation)) => operation.clone(),
        Some(other) => return Err(wrong_type("/operation", "an operationId string", other)),
        None => return Err("`/operation` is missing: the operationId to script".into()),
    };
    let times = match script.get("times") {
        None => 1,
        Some(times) => match times.as_u64() {
            Some(n) if (1..=u64::from(u32::MAX)).contains(&n) => n as u32,
            _ => {
                return Err(format!(
                    "`/times` must be an integer from 1 to {}, not {times}",
                    u32::MAX
                ))
            }
        },
    };
    let response = script
        .get("response")
        .ok_or("`/response` is missing: the status, headers and body to answer")?;
    Ok((operation, times, read_response(response)?))
}

fn read_response(value: &Value) -> Result<ScriptedResponse, String> {
    let fields = object(
        value,
        "/response",
        &["status", "headers", "body", "delay_ms", "drop_connection"],
    )?;
    let status = match fields.get("status") {
        None => return Err("`/response/status` is missing: an integer from 100 to 599".into()),
        Some(status) => match status.as_u64() {
            Some(n) if (100..=599).contains(&n) => n as u16,
            _ => {
                return Err(format!(
                    "`/response/status` must be an integer from 100 to 599, not {status}"
                ))
            }
        },
    };
    let mut response = ScriptedResponse::status(status);
    if let Some(headers) = fields.get("headers") {
        response.headers = read_headers(headers)?;
    }
    if let Some(body) = fields.get("body") {
        response.body = read_body(body)?;
    }
    if let Some(delay) = fields.get("delay_ms") {
        response.delay_ms = match delay.as_u64() {
            Some(ms) if ms <= MAX_DELAY_MS => ms,
            _ => {
                return Err(format!(
                "`/response/delay_ms` must be an integer from 0 to {MAX_DELAY_MS} (10 minutes), not {delay}"
            ))
            }
        };
    }
    if let Some(drop) = fields.get("drop_connection") {
        response.drop_connection = drop
            .as_bool()
            .ok_or_else(|| wrong_type("/response/drop_connection", "true or false", drop))?;
    }
    Ok(response)
}

fn read_headers(value: &Value) -> Result<BTreeMap<String, String>, String> {
    let Value::Object(headers) = value else {
        return Err(wrong_type(
            "/response/headers",
            "an object of header names to values",
            value,
        ));
    };
    headers
        .iter()
        .map(|(name, value)| match value {
            Value::String(text) => Ok((name.clone(), text.clone())),
            // `{"Retry-After": 3}` means what `"3"` does.
            Value::Number(number) => Ok((name.clone(), number.to_string())),
            other => Err(wrong_type(
                &format!("/response/headers/{}", escape(name)),
                "a string",
                other,
            )),
        })
        .collect()
}

fn read_body(value: &Value) -> Result<ScriptedBody, String> {
    if value == "empty" {
        return Ok(ScriptedBody::Empty);
    }
    let fields = object(value, "/response/body", &["json", "text"])?;
    match (fields.get("json"), fields.get("text")) {
        (Some(json), None) => Ok(ScriptedBody::Json(json.clone())),
        (None, Some(Value::String(text))) => Ok(ScriptedBody::Text(text.clone())),
        (None, Some(other)) => Err(wrong_type("/response/body/text", "a string", other)),
        _ => Err(
            "`/response/body` must have exactly one of `json` (any JSON) and `text` (a string), or be \"empty\""
                .into(),
        ),
    }
}

/// `value` as an object with no fields but `allowed`.
fn object<'a>(
    value: &'a Value,
    pointer: &str,
    allowed: &[&str],
) -> Result<&'a Map<String, Value>, String> {
    let Value::Object(fields) = value else {
        let at = if pointer.is_empty() { "the body" } else { pointer };
        return Err(format!(
            "`{at}` must be an object with the fields {}, not {}",
            allowed.join(", "),
            kind(value)
        ));
    };
    if let Some(unknown) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!(
            "`{pointer}/{}` is not a field of a script here; the fields are {}",
            escape(unknown),
            allowed.join(", ")
        ));
    }
    Ok(fields)
}

fn wrong_type(pointer: &str, expected: &str, found: &Value) -> String {
    format!("`{pointer}` must be {expected}, not {}", kind(found))
}

fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// A name as a JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(script: Value) -> String {
        read_script(&script).unwrap_err()
    }

    #[test]
    fn a_full_script_reads_as_the_rust_api_builds_it() {
        let (operation, times, response) = read_script(&json!({
            "operation": "ShowAttachment",
            "times": 4294967295u64,
            "response": {"status": 429, "headers": {"Retry-After": 3}, "body": {"text": "slow down"},
                         "delay_ms": 600000, "drop_connection": false}
        }))
        .unwrap();
        assert_eq!(operation, "ShowAttachment");
        assert_eq!(times, u32::MAX);
        assert_eq!(
            response,
            ScriptedResponse::status(429)
                .header("Retry-After", 3)
                .text("slow down")
                .delay(std::time::Duration::from_secs(600))
        );
    }

    #[test]
    fn each_bad_field_is_named_with_what_it_may_be() {
        let ok = json!({"status": 200});
        for (script, expected) in [
            (json!({"operation": "X", "times": 0, "response": ok}), "`/times` must be an integer from 1 to 4294967295, not 0"),
            (json!({"operation": "X", "times": -1, "response": ok}), "not -1"),
            (json!({"operation": "X", "times": 1.5, "response": ok}), "not 1.5"),
            (json!({"operation": "X", "times": 4294967296u64, "response": ok}), "not 4294967296"),
            (json!({"operation": "X", "times": "2", "response": ok}), "`/times` must be an integer"),
            (json!({"operation": 5, "response": ok}), "`/operation` must be an operationId string"),
            (json!({"response": ok}), "`/operation` is missing"),
            (json!({"operation": "X"}), "`/response` is missing"),
            (json!({"operation": "X", "response": ok, "extra": 1}), "`/extra` is not a field"),
            (json!({"operation": "X", "response": {"status": 99}}), "`/response/status` must be an integer from 100 to 599, not 99"),
            (json!({"operation": "X", "response": {"status": 600}}), "not 600"),
            (json!({"operation": "X", "response": {}}), "`/response/status` is missing"),
            (json!({"operation": "X", "response": {"status": 200, "delay_ms": 600001}}), "`/response/delay_ms` must be an integer from 0 to 600000"),
            (json!({"operation": "X", "response": {"status": 200, "delay_ms": -5}}), "not -5"),
            (json!({"operation": "X", "response": {"status": 200, "drop_connection": "yes"}}), "`/response/drop_connection` must be true or false"),
            (json!({"operation": "X", "response": {"status": 200, "colour": "red"}}), "`/response/colour` is not a field"),
            (json!({"operation": "X", "response": {"status": 200, "headers": ["a"]}}), "`/response/headers` must be an object"),
            (json!({"operation": "X", "response": {"status": 200, "headers": {"a/b": null}}}), "`/response/headers/a~1b` must be a string"),
            (json!({"operation": "X", "response": {"status": 200, "body": {"json": 1, "text": "a"}}}), "exactly one of"),
            (json!({"operation": "X", "response": {"status": 200, "body": {"text": 1}}}), "`/response/body/text` must be a string"),
            (json!({"operation": "X", "response": {"status": 200, "body": {"html": "<p>"}}}), "`/response/body/html` is not a field"),
            (json!([1]), "`the body` must be an object"),
        ] {
            let found = problem(script.clone());
            assert!(found.contains(expected), "{script}: {found}");
        }
    }
}
