//! What the spec says of one exchange: the request body against its
//! operation, the response body against what the operation documents for
//! its status (Zendesk's error body for an error status it does not
//! document). Shared by every mode that sees traffic it did not answer
//! itself (the proxy, and the recorder through it).

use serde::Serialize;
use serde_json::Value;
use zendesk_validate::{Body, Operation};

/// Which half of an exchange broke the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// What the caller sent.
    Request,
    /// What the service answered.
    Response,
}

/// One way an exchange breaks the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Request or response.
    pub side: Side,
    /// JSON pointer into the body (`""` for the whole body).
    pub pointer: String,
    /// The rule broken: the schema location in the bundle, or one of
    /// `unknown-operation`, `undocumented-status`, `not-json`,
    /// `query-parameter`; or `undocumented` for a property the spec does
    /// not describe, which breaks no rule.
    pub rule: String,
    /// What is wrong, for people.
    pub message: String,
    /// For an `undocumented` property, the JSON type it had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_type: Option<&'static str>,
}

impl Finding {
    fn whole(side: Side, rule: &str, message: String) -> Finding {
        Finding {
            side,
            pointer: String::new(),
            rule: rule.to_string(),
            message,
            json_type: None,
        }
    }
}

/// A request for a path and method the spec has no operation for.
pub fn unknown_operation(method: &str, path: &str) -> Finding {
    Finding::whole(
        Side::Request,
        "unknown-operation",
        format!("the spec has no operation {method} {path}"),
    )
}

/// What is wrong with a request's query string for `operation`.
pub fn check_query(operation: &'static Operation, query: Option<&str>) -> Vec<Finding> {
    operation
        .check_query(query.unwrap_or(""))
        .into_iter()
        .map(|v| Finding {
            side: Side::Request,
            pointer: format!("/query/{}", v.name),
            rule: "query-parameter".into(),
            message: v.message,
            json_type: None,
        })
        .collect()
}

/// The rule of a finding that is no violation: a property the spec does not
/// describe.
pub const UNDOCUMENTED: &str = "undocumented";

/// Every property of a JSON response the spec does not describe (where the
/// spec documents a JSON body for the status), once per place and type:
/// `pointer` is the place with array indices as `*`.
pub fn undocumented(operation: &Operation, status: u16, body: &[u8]) -> Vec<Finding> {
    match serde_json::from_slice::<Value>(body) {
        Ok(json) => undocumented_in(operation, status, &json),
        Err(_) => Vec::new(),
    }
}

/// [`undocumented`] for a body already read.
pub fn undocumented_in(operation: &Operation, status: u16, json: &Value) -> Vec<Finding> {
    let status_text = status.to_string();
    let validator = match operation.response(&status_text) {
        Some(Body::Json(_)) => zendesk_validate::response(operation.id, &status_text),
        None if status >= 400 => zendesk_validate::schema("ErrorResponse"),
        _ => return Vec::new(),
    };
    let Ok(validator) = validator else {
        return Vec::new();
    };
    validator
        .undocumented(json)
        .into_iter()
        .map(|u| Finding {
            side: Side::Response,
            pointer: u.pattern,
            rule: UNDOCUMENTED.into(),
            message: format!("a {} property the spec does not describe", u.json_type),
            json_type: Some(u.json_type),
        })
        .collect()
}

/// What is wrong with a request body of `operation`.
pub fn check_request(operation: &Operation, body: &[u8]) -> Vec<Finding> {
    match operation.request {
        Body::Json(_) => {}
        Body::Empty | Body::NotJson(_) => return Vec::new(),
    }
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        return vec![not_json(Side::Request, operation.id, "request")];
    };
    match zendesk_validate::request(operation.id) {
        Ok(validator) => findings(Side::Request, validator.validate(&json)),
        Err(_) => Vec::new(),
    }
}

/// What is wrong with a response of `operation` with `status`.
pub fn check_response(operation: &Operation, status: u16, body: &[u8]) -> Vec<Finding> {
    let status_text = status.to_string();
    let validator = match operation.response(&status_text) {
        Some(Body::Json(_)) => zendesk_validate::response(operation.id, &status_text),
        Some(Body::Empty | Body::NotJson(_)) => return Vec::new(),
        // Zendesk's rate limiter answers most 429s in plain text (spec/NOTES.md).
        None if status == 429 && serde_json::from_slice::<Value>(body).is_err() => {
            return Vec::new()
        }
        None if status >= 400 => zendesk_validate::schema("ErrorResponse"),
        None => {
            let known: Vec<&str> = operation.responses.iter().map(|r| r.status).collect();
            return vec![Finding::whole(
                Side::Response,
                "undocumented-status",
                format!(
                    "{} documents no {status} response; it answers {}",
                    operation.id,
                    known.join(", ")
                ),
            )];
        }
    };
    let Ok(validator) = validator else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        return vec![not_json(Side::Response, operation.id, &status_text)];
    };
    findings(Side::Response, validator.validate(&json))
}

fn not_json(side: Side, operation: &str, what: &str) -> Finding {
    Finding::whole(
        side,
        "not-json",
        format!("the {operation} {what} body is not JSON, where the spec documents JSON"),
    )
}

fn findings(side: Side, violations: Vec<zendesk_validate::Violation>) -> Vec<Finding> {
    violations
        .into_iter()
        .map(|v| Finding {
            side,
            pointer: v.pointer,
            rule: v.schema_location,
            message: v.message,
            json_type: None,
        })
        .collect()
}
