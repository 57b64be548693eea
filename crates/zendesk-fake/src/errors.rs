//! Zendesk's error body, with the statuses the service answers.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
    pub details: Option<Value>,
    pub form: ErrorForm,
}

/// The shapes of Zendesk's error body seen in recorded traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorForm {
    /// `{"error": "RecordNotFound", "description": ".."}`: most errors.
    CodeAndDescription,
    /// `{"error": "Couldn't authenticate you"}`: a 401.
    CodeOnly,
    /// `{"error": {"title": "Forbidden", "message": ".."}}`: a 403 for a
    /// role, and some 400s.
    TitleAndMessage,
}

impl ApiError {
    pub fn not_found(what: &str, id: impl std::fmt::Display) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            error: "RecordNotFound",
            description: format!("Not found: no {what} {id}"),
            details: None,
            form: ErrorForm::CodeAndDescription,
        }
    }

    /// 404 for a call of an operation the spec defines but the fake has no
    /// handler for yet (one added to the spec after this fake was built).
    pub fn not_implemented(operation_id: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            error: "RecordNotFound",
            description: format!(
                "{operation_id} is in the spec but not implemented by zendesk-fake"
            ),
            details: None,
            form: ErrorForm::CodeAndDescription,
        }
    }

    /// 405: the path is the spec's, the method is not (the caller adds
    /// `Allow`).
    pub fn method_not_allowed(method: &str, path: &str, allowed: &[&str]) -> Self {
        ApiError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            error: "MethodNotAllowed",
            description: format!(
                "{method} is not allowed on {path}; {} {}",
                allowed.join(", "),
                if allowed.len() == 1 { "is" } else { "are" }
            ),
            details: None,
            form: ErrorForm::CodeAndDescription,
        }
    }

    /// 422: well-formed, but the service refuses it.
    pub fn invalid(description: impl Into<String>, details: Value) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            error: "RecordInvalid",
            description: description.into(),
            details: Some(details).filter(|d| d.as_object().is_some_and(|o| !o.is_empty())),
            form: ErrorForm::CodeAndDescription,
        }
    }

    /// 422 `RecordInvalid` for violations of the spec, given as (JSON
    /// pointer, message): `details` lists them per field (`base` for the
    /// whole body), as the service lists a record's errors.
    pub fn record_invalid<'a>(violations: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut details = serde_json::Map::new();
        let mut first = None;
        for (pointer, message) in violations {
            first.get_or_insert_with(|| message.to_string());
            let field = if pointer.is_empty() { "base" } else { pointer };
            let entry = details.entry(field).or_insert_with(|| json!([]));
            if let Some(list) = entry.as_array_mut() {
                list.push(json!({"error": "InvalidValue", "description": message}));
            }
        }
        ApiError::invalid(
            format!("Record validation errors: {}", first.unwrap_or_default()),
            Value::Object(details),
        )
    }

    /// 400: malformed (not JSON, a bad query parameter).
    pub fn bad_request(description: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: "InvalidRequest",
            description: description.into(),
            details: None,
            form: ErrorForm::CodeAndDescription,
        }
    }

    /// 422 `AccountFull`: calls have added `limit` records since the
    /// account was seeded ([`crate::Config::account_limit`]).
    pub fn account_full(limit: usize) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            error: "AccountFull",
            description: format!(
                "the fake account holds the {limit} records calls may add (tickets, comments, \
                 side conversations, their events and files, uploads): POST {}/reset empties \
                 it, and Config::account_limit (--account-limit) raises the limit",
                crate::ADMIN_PREFIX
            ),
            details: None,
            form: ErrorForm::CodeAndDescription,
        }
    }

    /// 400 `InvalidPaginationParameter`: a cursor the list did not give.
    pub fn bad_cursor(description: impl Into<String>) -> Self {
        ApiError {
            error: "InvalidPaginationParameter",
            ..ApiError::bad_request(description)
        }
    }

    /// 413: a request body larger than the fake reads.
    pub fn too_large(limit: usize) -> Self {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            error: "PayloadTooLarge",
            description: format!("the request body is larger than {limit} bytes, the most accepted"),
            details: None,
            form: ErrorForm::CodeAndDescription,
        }
    }

    /// 401, as the service sends it: `{"error":"Couldn't authenticate you"}`
    /// and nothing more.
    pub fn unauthorized() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            error: "Couldn't authenticate you",
            description: String::new(),
            details: None,
            form: ErrorForm::CodeOnly,
        }
    }

    pub fn forbidden(operation: &str, allowed_for: &[&str]) -> Self {
        ApiError {
            status: StatusCode::FORBIDDEN,
            error: "Forbidden",
            description: format!(
                "You do not have access to {operation}: it is allowed for {}",
                allowed_for.join(", ")
            ),
            details: None,
            form: ErrorForm::TitleAndMessage,
        }
    }

    pub fn body(&self) -> Value {
        let mut body = match self.form {
            ErrorForm::CodeAndDescription => {
                json!({"error": self.error, "description": self.description})
            }
            ErrorForm::CodeOnly => json!({"error": self.error}),
            ErrorForm::TitleAndMessage => {
                json!({"error": {"title": self.error, "message": self.description}})
            }
        };
        if let Some(details) = &self.details {
            body["details"] = details.clone();
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}
