//! One error type for everything the client does, and what a response says
//! besides its body (rate limits, request id, attempts).

use std::fmt;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use zendesk_models::{ErrorResponse, ErrorResponseError};

use crate::hooks::{ATTEMPTS_HEADER, RAW_BODY_HEADER, TRANSPORT_PREFIX};
use crate::retry::retry_after;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The service answered with an error status.
    Status,
    /// The request did not get an answer (connection, timeout, TLS).
    Transport,
    /// The service answered, but not with the documented body.
    InvalidResponse,
    /// The request could not be built (a bad argument).
    InvalidRequest,
    /// The client could not be built (a bad base URL, missing credentials).
    Configuration,
    /// A local file could not be read (uploads from a path).
    Io,
}

/// Everything that can go wrong calling Zendesk. It never holds credentials.
///
/// Every generated method's error converts into it with `?`, and the
/// client's own helpers (pagination, export, uploads) return it.
#[derive(Debug, Clone)]
pub struct Error(Box<Details>);

/// Boxed, so a `Result<T, Error>` stays small.
#[derive(Debug, Clone)]
struct Details {
    kind: ErrorKind,
    status: Option<StatusCode>,
    body: Option<ErrorResponse>,
    raw_body: Option<String>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Details {
            kind,
            status: None,
            body: None,
            raw_body: None,
            request_id: None,
            retry_after: None,
            attempts: 0,
            message: message.into(),
        }))
    }

    fn from_response_parts(
        status: StatusCode,
        headers: &HeaderMap,
        body: Option<ErrorResponse>,
    ) -> Self {
        let (body, raw_body) = match body {
            Some(body) if headers.contains_key(RAW_BODY_HEADER) => (None, body.description),
            other => (other, None),
        };
        Error(Box::new(Details {
            kind: ErrorKind::Status,
            status: Some(status),
            body,
            raw_body,
            request_id: request_id(headers).map(str::to_string),
            retry_after: retry_after(headers),
            attempts: attempts(headers),
            message: String::new(),
        }))
    }

    /// What went wrong, broadly: for `match`ing.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// Zendesk's error code (`error`), such as `RecordNotFound`; for the
    /// object form of `error`, its `title`.
    pub fn code(&self) -> Option<&str> {
        match self.0.body.as_ref()?.error.as_ref()? {
            ErrorResponseError::String(code) => Some(code),
            ErrorResponseError::ErrorTitleAndMessage(object) => object.title.as_deref(),
        }
    }

    /// Zendesk's `description` (or, for the object form of `error`, its `message`).
    pub fn description(&self) -> Option<&str> {
        let body = self.0.body.as_ref()?;
        body.description.as_deref().or(match body.error.as_ref()? {
            ErrorResponseError::ErrorTitleAndMessage(object) => object.message.as_deref(),
            ErrorResponseError::String(_) => None,
        })
    }

    /// Zendesk's `details`, problems per field, when present.
    pub fn details(&self) -> Option<&serde_json::Map<String, serde_json::Value>> {
        self.0
            .body
            .as_ref()
            .map(|b| &b.details)
            .filter(|d| !d.is_empty())
    }

    /// The whole error body, when it was Zendesk's JSON.
    pub fn body(&self) -> Option<&ErrorResponse> {
        self.0.body.as_ref()
    }

    /// The body as text, when it was not JSON (a plain-text 429, a proxy's page).
    pub fn raw_body(&self) -> Option<&str> {
        self.0.raw_body.as_deref()
    }

    /// The service's id for the request, to quote to Zendesk support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// How long the service asked to wait (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// How many times the request was sent (0 when it never was).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// Whether sending the same request later may succeed: a rate limit, a
    /// 5xx, or a transport failure.
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport => true,
            ErrorKind::Status => self
                .0
                .status
                .is_some_and(|s| s.as_u16() == 429 || s.is_server_error()),
            _ => false,
        }
    }

    /// 429: the account's rate limit; `retry_after` says how long to wait.
    pub fn is_rate_limited(&self) -> bool {
        self.0.status == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// 404: no such record (or no such endpoint).
    pub fn is_not_found(&self) -> bool {
        self.0.status == Some(StatusCode::NOT_FOUND)
    }

    /// 401: no credentials, or credentials the service did not take.
    pub fn is_unauthorized(&self) -> bool {
        self.0.status == Some(StatusCode::UNAUTHORIZED)
    }

    /// 403: the user's role may not do this.
    pub fn is_forbidden(&self) -> bool {
        self.0.status == Some(StatusCode::FORBIDDEN)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.status {
            Some(status) => {
                write!(f, "Zendesk answered {status}")?;
                if let Some(code) = self.code() {
                    write!(f, ": {code}")?;
                }
                if let Some(description) = self.description() {
                    write!(f, ": {description}")?;
                }
                if let Some(raw) = &self.0.raw_body {
                    let raw: String = raw.chars().take(200).collect();
                    write!(f, ": {}", raw.trim())?;
                }
                if !self.0.message.is_empty() {
                    write!(f, ": {}", self.0.message)?;
                }
            }
            None => write!(f, "{}", self.0.message)?,
        }
        let mut notes = Vec::new();
        if let Some(id) = &self.0.request_id {
            notes.push(format!("request id {id}"));
        }
        if let Some(wait) = self.0.retry_after {
            notes.push(format!("retry after {} s", wait.as_secs_f64()));
        }
        if self.0.attempts > 1 {
            notes.push(format!("after {} attempts", self.0.attempts));
        }
        if !notes.is_empty() {
            write!(f, " ({})", notes.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<progenitor_client::Error<ErrorResponse>> for Error {
    fn from(error: progenitor_client::Error<ErrorResponse>) -> Self {
        use progenitor_client::Error as Generated;
        match error {
            Generated::ErrorResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                Error::from_response_parts(status, &headers, Some(response.into_inner()))
            }
            Generated::UnexpectedResponse(response) => {
                let mut error =
                    Error::from_response_parts(response.status(), response.headers(), None);
                error.0.message = "a status the API does not document".into();
                error
            }
            Generated::InvalidResponsePayload(bytes, parse_error) => {
                let mut error = Error::new(
                    ErrorKind::InvalidResponse,
                    format!("the response body is not the documented JSON: {parse_error}"),
                );
                error.0.raw_body =
                    Some(String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned());
                error.0.attempts = 1;
                error
            }
            Generated::CommunicationError(e)
            | Generated::ResponseBodyError(e)
            | Generated::InvalidUpgrade(e) => {
                Error::new(ErrorKind::Transport, e.without_url().to_string())
            }
            Generated::InvalidRequest(message) => Error::new(ErrorKind::InvalidRequest, message),
            Generated::Custom(message) => match message.strip_prefix(TRANSPORT_PREFIX) {
                Some(rest) => {
                    let attempts = rest
                        .split(' ')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(1);
                    let mut error = Error::new(
                        ErrorKind::Transport,
                        format!(
                            "no answer from Zendesk: {}",
                            rest.split_once(": ").map_or(rest, |(_, m)| m)
                        ),
                    );
                    error.0.attempts = attempts;
                    error
                }
                None => Error::new(ErrorKind::InvalidRequest, message),
            },
        }
    }
}

/// What a response says besides its body.
pub trait ResponseMeta {
    /// `X-Rate-Limit` and `X-Rate-Limit-Remaining`, when the service sent them.
    fn rate_limit(&self) -> Option<RateLimit>;
    /// The service's id for the request.
    fn request_id(&self) -> Option<&str>;
    /// How many times the request was sent.
    fn attempts(&self) -> u32;
}

/// The account's rate limit, as the last response reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a minute the account may make.
    pub limit: u64,
    /// Requests left this minute.
    pub remaining: u64,
}

impl<T> ResponseMeta for ResponseValue<T> {
    fn rate_limit(&self) -> Option<RateLimit> {
        let number = |name: &str| self.headers().get(name)?.to_str().ok()?.trim().parse().ok();
        Some(RateLimit {
            limit: number("x-rate-limit")?,
            remaining: number("x-rate-limit-remaining")?,
        })
    }

    fn request_id(&self) -> Option<&str> {
        request_id(self.headers())
    }

    fn attempts(&self) -> u32 {
        attempts(self.headers())
    }
}

/// The service's request id header.
fn request_id(headers: &HeaderMap) -> Option<&str> {
    ["x-request-id", "x-zendesk-request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
}

fn attempts(headers: &HeaderMap) -> u32 {
    headers
        .get(ATTEMPTS_HEADER)
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .unwrap_or(1)
}
