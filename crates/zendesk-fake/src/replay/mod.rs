//! The replay mode: each request is answered with what was recorded for it
//! (method, path and query, the query's parameters in any order; JSON
//! bodies compared as JSON). A request recorded several times gets its
//! answers in recorded order, then the last one again. Before matching, a
//! request is scrubbed as the recording was (the caller's rules; every email
//! address stands for any other, since placeholders are numbered in
//! recording order), so that one sent as it was while recording finds its
//! recording. A request with no recording gets a 404 naming the closest
//! recorded one and what differs, or, with a fallback, the stateful fake's
//! answer.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body as HttpBody;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use regex::Regex;
use serde_json::{json, Value};
use tower::ServiceExt as _;

use crate::cassette::{self, Body, Exchange};
use crate::errors::ApiError;
use crate::layer::intercept::MAX_REQUEST_BODY;
use crate::record::scrub::{ScrubRule, EMAIL_PATTERN};

/// A recording, ready to answer.
pub struct Replayer {
    exchanges: Vec<Exchange>,
    /// The recorded answers of each distinct request, in recorded order,
    /// and how many were given.
    by_request: HashMap<String, (Vec<usize>, AtomicUsize)>,
    normalizer: Normalizer,
    fallback: Option<Router>,
}

/// What makes a request sent now comparable with a recorded one.
struct Normalizer {
    rules: Vec<ScrubRule>,
    email: Regex,
}

impl Normalizer {
    fn text(&self, text: &str) -> String {
        let mut text = text.to_string();
        for rule in &self.rules {
            text = rule.pattern.replace_all(&text, rule.replacement.as_str()).into_owned();
        }
        self.email.replace_all(&text, "<email>").into_owned()
    }

    fn json(&self, json: &mut Value) {
        match json {
            Value::String(text) => *text = self.text(text),
            Value::Array(items) => items.iter_mut().for_each(|item| self.json(item)),
            Value::Object(fields) => fields.values_mut().for_each(|value| self.json(value)),
            _ => {}
        }
    }

    fn body(&self, body: &Body) -> Body {
        match body {
            Body::Json(json) => {
                let mut json = json.clone();
                self.json(&mut json);
                Body::Json(json)
            }
            Body::Text(text) => Body::Text(self.text(text)),
            other => other.clone(),
        }
    }

    /// The query's parameters, normalized, in order.
    fn query(&self, query: Option<&str>) -> Vec<String> {
        let mut pairs: Vec<String> = query
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| self.text(p))
            .collect();
        pairs.sort();
        pairs
    }

    fn request(&self, method: &str, path: &str, query: Option<&str>, body: &Body) -> Normalized {
        Normalized {
            method: method.to_ascii_uppercase(),
            path: self.text(path),
            query: self.query(query),
            body: self.body(body),
        }
    }
}

/// A request as matching sees it.
struct Normalized {
    method: String,
    path: String,
    query: Vec<String>,
    body: Body,
}

impl Normalized {
    fn key(&self) -> String {
        let body = serde_json::to_string(&self.body).unwrap_or_default();
        format!("{} {}?{}\n{body}", self.method, self.path, self.query.join("&"))
    }
}

impl Replayer {
    /// The recording in `dir`; `rules` are the scrub rules it was recorded
    /// with; misses go to `fallback` when there is one.
    pub fn load(dir: &Path, rules: Vec<ScrubRule>, fallback: Option<Router>) -> std::io::Result<Replayer> {
        let cassette::Cassette { exchanges, warnings } = cassette::read(dir)
            .map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidData, message))?;
        for warning in warnings {
            eprintln!("zendesk-fake: warning: {warning}");
        }
        let normalizer = Normalizer {
            rules,
            email: Regex::new(EMAIL_PATTERN).expect("a valid pattern"),
        };
        let mut by_request: HashMap<String, (Vec<usize>, AtomicUsize)> = HashMap::new();
        for (index, exchange) in exchanges.iter().enumerate() {
            let key = normalizer
                .request(&exchange.method, &exchange.path, exchange.query.as_deref(), &exchange.request_body)
                .key();
            by_request.entry(key).or_insert_with(|| (Vec::new(), AtomicUsize::new(0))).0.push(index);
        }
        Ok(Replayer {
            exchanges,
            by_request,
            normalizer,
            fallback,
        })
    }

    fn answer(&self, request: &Normalized) -> Option<&Exchange> {
        let (answers, given) = self.by_request.get(&request.key())?;
        let turn = given.fetch_add(1, Ordering::Relaxed).min(answers.len() - 1);
        Some(&self.exchanges[answers[turn]])
    }

    /// The recorded request most like `request`, and what differs.
    fn closest(&self, request: &Normalized) -> Option<(&Exchange, Vec<String>)> {
        let mut best: Option<(u32, &Exchange, Vec<String>)> = None;
        for exchange in &self.exchanges {
            let recorded = self.normalizer.request(
                &exchange.method,
                &exchange.path,
                exchange.query.as_deref(),
                &exchange.request_body,
            );
            let mut score = 0;
            let mut differs = Vec::new();
            if recorded.method == request.method {
                score += 8;
            } else {
                differs.push(format!("the method (recorded {}, sent {})", recorded.method, request.method));
            }
            if recorded.path == request.path {
                score += 4;
            } else {
                let same_operation = zendesk_validate::operation_at(&recorded.method, &recorded.path)
                    .zip(zendesk_validate::operation_at(&request.method, &request.path))
                    .is_some_and(|(a, b)| a.id == b.id);
                if same_operation {
                    score += 2;
                }
                differs.push(format!("the path (recorded {}, sent {})", exchange.path, request.path));
            }
            if recorded.query == request.query {
                score += 2;
            } else {
                differs.push(format!(
                    "the query (recorded {:?}, sent {:?})",
                    recorded.query.join("&"),
                    request.query.join("&")
                ));
            }
            if recorded.body == request.body {
                score += 1;
            } else {
                differs.push(body_difference(&recorded.body, &request.body));
            }
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, exchange, differs));
            }
        }
        best.map(|(_, exchange, differs)| (exchange, differs))
    }
}

/// Where two bodies first differ.
fn body_difference(recorded: &Body, sent: &Body) -> String {
    match (recorded, sent) {
        (Body::Json(recorded), Body::Json(sent)) => {
            let pointer = first_difference(recorded, sent, String::new());
            format!("the body at {:?}", if pointer.is_empty() { "(the whole body)".to_string() } else { pointer })
        }
        (Body::Empty, _) => "the body (recorded none)".to_string(),
        (_, Body::Empty) => "the body (sent none)".to_string(),
        _ => "the body".to_string(),
    }
}

fn first_difference(recorded: &Value, sent: &Value, at: String) -> String {
    match (recorded, sent) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) if x == y => {}
                    (Some(x), Some(y)) => return first_difference(x, y, here),
                    _ => return here,
                }
            }
            at
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                if x != y {
                    return first_difference(x, y, format!("{at}/{index}"));
                }
            }
            at
        }
        _ => at,
    }
}

/// Every request to the replayer.
pub fn routes(replayer: Arc<Replayer>) -> Router {
    Router::new().fallback(replay).with_state(replayer)
}

async fn replay(State(replayer): State<Arc<Replayer>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_REQUEST_BODY).await else {
        return ApiError::too_large(MAX_REQUEST_BODY).into_response();
    };
    let normalized = replayer.normalizer.request(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        &Body::from_bytes(&bytes),
    );
    if let Some(exchange) = replayer.answer(&normalized) {
        return recorded_response(exchange);
    }
    if let Some(fallback) = &replayer.fallback {
        let request = Request::from_parts(parts, HttpBody::from(bytes));
        return match fallback.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
    }
    let sent = format!("{} {}", normalized.method, parts.uri);
    let description = match replayer.closest(&normalized) {
        None => format!("no recording of {sent}: the recording is empty"),
        Some((closest, differs)) => {
            let query = closest.query.as_deref().map(|q| format!("?{q}")).unwrap_or_default();
            format!(
                "no recording of {sent}; the closest recorded is {} {}{query}, which differs in {}",
                closest.method,
                closest.path,
                differs.join(", ")
            )
        }
    };
    let body = json!({"error": "RecordingNotFound", "description": description});
    (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

fn recorded_response(exchange: &Exchange) -> Response {
    let mut response = Response::new(HttpBody::from(exchange.response_body.to_bytes()));
    *response.status_mut() = StatusCode::from_u16(exchange.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in &exchange.response_headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_str(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
