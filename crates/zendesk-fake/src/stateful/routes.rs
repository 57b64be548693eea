//! The stateful mode's routes: one per operation of the spec. Every request
//! is signed in and checked against the operation's roles; every JSON body
//! is checked against the spec with `zendesk-validate` before anything
//! changes.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockWriteGuard};

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{json, Value};

use crate::config::{Config, User};
use crate::errors::ApiError;
use super::multipart;
use super::store::{CommentsQuery, Store, MAX_PAGE_SIZE};
use super::written::Written;

pub struct App {
    /// Calls that only read share the store; the rest take it in turn.
    store: RwLock<Store>,
    /// What reads answered, until the store changes.
    written: Written,
    config: Config,
    base_url: String,
    sign_in: SignIn,
}

/// The operations that change the store without adding a record to it.
const ADD_NOTHING: &[&str] = &[
    "DeleteUpload",
    "MakeTicketCommentPrivate",
    "RedactCommentAttachment",
    "UpdateAttachment",
];

type Shared = State<Arc<App>>;
type Params = Query<HashMap<String, String>>;

impl App {
    pub fn new(config: Config, base_url: String) -> App {
        App {
            store: RwLock::new(Store::new(&config.seed, base_url.clone())),
            written: Written::default(),
            sign_in: SignIn::new(&config.seed.users),
            config,
            base_url,
        }
    }
}

/// One route per operation of the spec; an operation without a handler, or
/// a method the spec does not define, is answered by [`unhandled`].
pub fn routes(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/api/v2/tickets/{ticket_id}/side_conversations",
            get(list_side_conversations).post(create_side_conversation),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/side_conversations/import",
            post(import_side_conversation),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/side_conversations/{id}",
            get(show_side_conversation).put(update_side_conversation),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/side_conversations/{id}/reply",
            post(reply_to_side_conversation),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/side_conversations/{id}/events",
            get(list_side_conversation_events),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/side_conversations/{id}/events/import",
            post(import_side_conversation_events),
        )
        .route(
            "/api/v2/tickets/side_conversations/events",
            get(export_events),
        )
        .route(
            "/api/v2/tickets/side_conversations/attachments",
            post(create_side_conversation_attachment),
        )
        .route("/api/v2/tickets", post(create_ticket))
        .route(
            "/api/v2/tickets/{ticket_id}",
            get(show_ticket).put(update_ticket),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/comments",
            get(list_ticket_comments),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/comments/{id}/make_private",
            put(make_ticket_comment_private),
        )
        .route(
            "/api/v2/attachments/{id}",
            get(show_attachment).put(update_attachment),
        )
        .route(
            "/api/v2/tickets/{ticket_id}/comments/{comment_id}/attachments/{id}/redact",
            put(redact_comment_attachment),
        )
        .route("/api/v2/uploads", post(upload_files))
        .route(
            "/api/v2/uploads/{token}",
            axum::routing::delete(delete_upload),
        )
        .fallback(unhandled)
        .method_not_allowed_fallback(unhandled)
        .with_state(app)
}

impl App {
    /// Back to the seed: every side conversation, event and upload is gone.
    pub fn reset(&self) {
        let mut store = self.store_to_change();
        *store = Store::new(&self.config.seed, self.base_url.clone());
    }

    /// Imports a side conversation with its events on `ticket_id`, as an
    /// agent of the seed, whatever the roles: test data, not a call.
    pub fn seed_side_conversation(
        &self,
        ticket_id: i64,
        body: &Value,
    ) -> Result<zendesk_models::SideConversationChangeResponse, ApiError> {
        let actor = self
            .config
            .seed
            .users
            .iter()
            .find(|u| u.role.may(&["agents"]))
            .cloned()
            .ok_or_else(|| ApiError::bad_request("the seed has no agent to import as"))?;
        check_request("ImportSideConversation", body)?;
        let mut store = self.store_to_change();
        self.room_for("ImportSideConversation", &store)?;
        store.import(ticket_id, &actor, body)
    }

    /// The store, for a call that may change it: what reads answered
    /// before is let go.
    fn store_to_change(&self) -> RwLockWriteGuard<'_, Store> {
        let store = self.store.write().unwrap_or_else(|e| e.into_inner());
        self.written.forget();
        store
    }

    /// Signs the caller in and checks the operation's roles, runs `action`
    /// on the store, and answers with `status` and its JSON.
    fn answer<T: Serialize>(
        &self,
        operation_id: &str,
        headers: &HeaderMap,
        status: StatusCode,
        action: impl FnOnce(&mut Store, &User) -> Result<T, ApiError>,
    ) -> Response {
        let result = self.signed_in(operation_id, headers).and_then(|user| {
            let mut store = self.store_to_change();
            self.room_for(operation_id, &store)?;
            action(&mut store, user)
        });
        match result {
            Ok(body) => self.respond(operation_id, status, &body),
            Err(error) => self.respond(operation_id, error.status, &error.body()),
        }
    }

    /// Whether the account may take what `operation_id` adds: calls add
    /// at most [`Config::account_limit`] records after the seed (a call
    /// that only changes or removes is always taken).
    fn room_for(&self, operation_id: &str, store: &Store) -> Result<(), ApiError> {
        let limit = self.config.account_limit;
        if ADD_NOTHING.contains(&operation_id) || store.records_created() < limit {
            Ok(())
        } else {
            Err(ApiError::account_full(limit))
        }
    }

    /// [`Self::answer`] for a call that only reads the store. What it
    /// answered is kept by the request's path and query, and sent again as
    /// it is until the store changes.
    fn answer_read<T: Serialize>(
        &self,
        operation_id: &str,
        request: &Request,
        action: impl FnOnce(&Store) -> Result<T, ApiError>,
    ) -> Response {
        if let Err(error) = self.signed_in(operation_id, request.headers()) {
            return self.respond(operation_id, error.status, &error.body());
        }
        let key = request.uri().path_and_query().map_or("", |p| p.as_str());
        // Held until the answer is kept: a change cannot come between.
        let store = self.store.read().unwrap_or_else(|e| e.into_inner());
        if let Some(body) = self.written.get(key) {
            return json_response(StatusCode::OK, body);
        }
        match action(&store) {
            Ok(body) => match self.write(operation_id, StatusCode::OK, &body) {
                Ok(body) => {
                    self.written.keep(key, &body);
                    json_response(StatusCode::OK, body)
                }
                Err(refusal) => refusal,
            },
            Err(error) => self.respond(operation_id, error.status, &error.body()),
        }
    }

    /// The signed-in user, if they may call the operation.
    fn signed_in(&self, operation_id: &str, headers: &HeaderMap) -> Result<&User, ApiError> {
        let allowed_for =
            zendesk_validate::operation(operation_id).map_or(&[][..], |o| o.allowed_for);
        self.signed_in_as(operation_id, allowed_for, headers)
    }

    /// The signed-in user, if their role is one of `allowed_for`.
    fn signed_in_as(
        &self,
        operation_id: &str,
        allowed_for: &[&str],
        headers: &HeaderMap,
    ) -> Result<&User, ApiError> {
        let user = self
            .sign_in
            .user(&self.config.seed.users, headers)
            .ok_or_else(ApiError::unauthorized)?;
        if !user.role.may(allowed_for) {
            return Err(ApiError::forbidden(operation_id, allowed_for));
        }
        Ok(user)
    }

    /// `body` as the response with `status`.
    fn respond<T: Serialize>(&self, operation_id: &str, status: StatusCode, body: &T) -> Response {
        if status == StatusCode::NO_CONTENT {
            return status.into_response();
        }
        match self.write(operation_id, status, body) {
            Ok(body) => json_response(status, body),
            Err(refusal) => refusal,
        }
    }

    /// The body as JSON, written straight from its type (a `Value` is built
    /// only to check it, when responses are checked) into a buffer sized for
    /// a typical page (axum's `Json` starts at 128 bytes and grows). A body
    /// that breaks the spec, or cannot be written, is a 500 that says why.
    fn write<T: Serialize>(
        &self,
        operation_id: &str,
        status: StatusCode,
        body: &T,
    ) -> Result<Bytes, Response> {
        if self.config.validate_responses {
            if let Some(error) = response_violation(operation_id, status, body) {
                return Err((StatusCode::INTERNAL_SERVER_ERROR, axum::Json(error)).into_response());
            }
        }
        let mut bytes = Vec::with_capacity(1024);
        match serde_json::to_writer(&mut bytes, body) {
            Ok(()) => Ok(Bytes::from(bytes)),
            Err(error) => Err((
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(json!({"error": "FakeResponseInvalid", "description": error.to_string()})),
            )
                .into_response()),
        }
    }
}

/// An `application/json` response.
fn json_response(status: StatusCode, body: Bytes) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    // Room for the layer's headers and Content-Length: the map is
    // allocated once and never grows.
    headers.reserve(RESPONSE_HEADERS);
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// The headers a response of the fake carries: its type, the five rate
/// limit headers, the request id, the length, and a few to spare.
const RESPONSE_HEADERS: usize = 12;

/// Zendesk's error body naming the first place where the fake's own
/// response breaks the spec, if it does.
fn response_violation<T: Serialize>(operation_id: &str, status: StatusCode, body: &T) -> Option<Value> {
    let status_text = status.as_u16().to_string();
    let validator = zendesk_validate::response(operation_id, &status_text).ok()?;
    let body = serde_json::to_value(body).unwrap_or(Value::Null);
    let violations = validator.validate(&body);
    let first = violations.first()?;
    Some(json!({
        "error": "FakeResponseInvalid",
        "description": format!("the fake's {operation_id} {status_text} response breaks the spec at {}: {}", first.pointer, first.message),
    }))
}

/// Who a request's `Authorization` signs in: the exact header values of
/// every user's credentials are known in advance, so most requests are a
/// lookup; anything else (an email in other letter case) is decoded.
struct SignIn {
    by_header: HashMap<Vec<u8>, usize>,
}

impl SignIn {
    fn new(users: &[User]) -> SignIn {
        let mut by_header = HashMap::new();
        for (index, user) in users.iter().enumerate() {
            if let Some(token) = &user.oauth_token {
                by_header.insert(format!("Bearer {token}").into_bytes(), index);
            }
            if let Some(token) = &user.api_token {
                let credentials = format!("{}/token:{token}", user.email);
                let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
                by_header.insert(format!("Basic {encoded}").into_bytes(), index);
            }
        }
        SignIn { by_header }
    }

    fn user<'a>(&self, users: &'a [User], headers: &HeaderMap) -> Option<&'a User> {
        let value = headers.get(header::AUTHORIZATION)?;
        match self.by_header.get(value.as_bytes()) {
            Some(&index) => users.get(index),
            None => authenticate(users, value.to_str().ok()?),
        }
    }
}

/// What the fake answers a request no route handles: for an operation the
/// spec defines (added to the spec before it has a handler), what the
/// service answers first (401 without credentials, 403 for a role the
/// operation does not allow), then a 404 naming the operation; a 405
/// listing the spec's methods in `Allow` when the path is the spec's but
/// the method is not; else a 404 for the path.
async fn unhandled(
    State(app): Shared,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    answer_unhandled(&app, zendesk_validate::OPERATIONS, &method, &uri, &headers)
}

/// [`unhandled`] for the spec's `operations`.
fn answer_unhandled(
    app: &App,
    operations: &[zendesk_validate::Operation],
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
) -> Response {
    let called = path_operations(operations, uri.path())
        .into_iter()
        .find(|o| o.method.eq_ignore_ascii_case(method.as_str()));
    if let Some(operation) = called {
        if let Err(refused) = app.signed_in_as(operation.id, operation.allowed_for, headers) {
            return refused.into_response();
        }
    }
    let error = unhandled_error(operations, method.as_str(), uri.path());
    let allow = allowed_methods(zendesk_validate::OPERATIONS, uri.path());
    let mut response = error.into_response();
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        if let Ok(value) = axum::http::HeaderValue::from_str(&allow.join(", ")) {
            response.headers_mut().insert(header::ALLOW, value);
        }
    }
    response
}

/// The spec's operations on `path`. Where templates overlap
/// (`.../side_conversations/import` also fits
/// `.../side_conversations/{side_conversation_id}`), the ones with the fewest
/// parameters are the path's, as they are for the router.
fn path_operations<'a>(
    operations: &'a [zendesk_validate::Operation],
    path: &str,
) -> Vec<&'a zendesk_validate::Operation> {
    let parameters = |operation: &zendesk_validate::Operation| operation.path.matches('{').count();
    let matching: Vec<_> = operations.iter().filter(|o| o.matches_path(path)).collect();
    let fewest = matching.iter().map(|o| parameters(o)).min();
    matching
        .into_iter()
        .filter(|o| Some(parameters(o)) == fewest)
        .collect()
}

/// The methods the spec defines for `path`, in the spec's order.
fn allowed_methods(operations: &[zendesk_validate::Operation], path: &str) -> Vec<&'static str> {
    let mut methods: Vec<&'static str> = Vec::new();
    for operation in path_operations(operations, path) {
        if !methods.contains(&operation.method) {
            methods.push(operation.method);
        }
    }
    methods
}

fn unhandled_error(
    operations: &[zendesk_validate::Operation],
    method: &str,
    path: &str,
) -> ApiError {
    let on_path = path_operations(operations, path);
    if let Some(operation) = on_path
        .iter()
        .find(|o| o.method.eq_ignore_ascii_case(method))
    {
        return ApiError::not_implemented(operation.id);
    }
    let allowed = allowed_methods(operations, path);
    // `GET .../side_conversations/import` reads as a side conversation named
    // `import`, which does not exist.
    let fits_another_template = operations.iter().any(|o| o.matches(method, path));
    if allowed.is_empty() || fits_another_template {
        ApiError::not_found("endpoint", format!("{method} {path}"))
    } else {
        ApiError::method_not_allowed(method, path, &allowed)
    }
}

/// The user whose API token (basic) or OAuth token (bearer) an
/// `Authorization` value carries.
fn authenticate<'a>(users: &'a [User], value: &str) -> Option<&'a User> {
    if let Some(token) = value.strip_prefix("Bearer ") {
        return users
            .iter()
            .find(|u| u.oauth_token.as_deref() == Some(token.trim()));
    }
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()?,
    )
    .ok()?;
    let (user, secret) = decoded.split_once(':')?;
    let email = user.strip_suffix("/token")?;
    users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email) && u.api_token.as_deref() == Some(secret))
}

/// A request body checked against the operation's schema: 400 when it is
/// not JSON, 422 with a detail per violation when it breaks the spec.
fn json_body(operation_id: &str, bytes: &Bytes) -> Result<Value, ApiError> {
    let body: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    check_request(operation_id, &body)?;
    Ok(body)
}

/// A request body against the operation's schema: 422 with a detail per
/// violation when it breaks the spec.
fn check_request(operation_id: &str, body: &Value) -> Result<(), ApiError> {
    let validator = zendesk_validate::request(operation_id)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let violations = validator.validate(body);
    if violations.is_empty() {
        return Ok(());
    }
    Err(ApiError::record_invalid(
        violations.iter().map(|v| (v.pointer.as_str(), v.message.as_str())),
    ))
}

/// A path id. One that is not an int64 names no record: 404, as the
/// service's `find` answers, not 400.
fn id(text: &str, what: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found(what, text))
}

/// `page` and `per_page`, with the account's default page size.
fn paging(params: &HashMap<String, String>, default_per_page: u64) -> Result<(u64, u64), ApiError> {
    let number = |name: &str, default: u64, max: u64| match params.get(name) {
        None => Ok(default),
        Some(text) => match text.parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(format!(
                "{name} must be an integer from 1 to {max}, not {text:?}"
            ))),
        },
    };
    Ok((
        number("page", 1, i64::MAX as u64)?,
        number("per_page", default_per_page, 100)?,
    ))
}

/// Whether `include` asks for `allowed` (and nothing it cannot sideload).
fn sideload(params: &HashMap<String, String>, allowed: &str) -> Result<bool, ApiError> {
    match params.get("include").map(String::as_str) {
        None => Ok(false),
        Some(value) if value == allowed => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "include={other} cannot be sideloaded here; include={allowed} can"
        ))),
    }
}

async fn list_side_conversations(
    State(app): Shared,
    Path(ticket): Path<String>,
    Query(params): Params,
    request: Request,
) -> Response {
    app.answer_read(
        "ListSideConversations",
        &request,
        |store| {
            let (page, per_page) = paging(&params, app.config.default_per_page)?;
            store.list_side_conversations(
                id(&ticket, "ticket")?,
                sideload(&params, "events")?,
                page,
                per_page,
            )
        },
    )
}

async fn show_side_conversation(
    State(app): Shared,
    Path((ticket, sc)): Path<(String, String)>,
    Query(params): Params,
    request: Request,
) -> Response {
    app.answer_read(
        "ShowSideConversation",
        &request,
        |store| {
            store.show_side_conversation(id(&ticket, "ticket")?, &sc, sideload(&params, "events")?)
        },
    )
}

async fn create_side_conversation(
    State(app): Shared,
    Path(ticket): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer(
        "CreateSideConversation",
        &headers,
        StatusCode::CREATED,
        |store, user| {
            let body = json_body("CreateSideConversation", &body)?;
            store.create(id(&ticket, "ticket")?, user, &body)
        },
    )
}

async fn update_side_conversation(
    State(app): Shared,
    Path((ticket, sc)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer(
        "UpdateSideConversation",
        &headers,
        StatusCode::OK,
        |store, user| {
            let body = json_body("UpdateSideConversation", &body)?;
            store.update(id(&ticket, "ticket")?, &sc, user, &body)
        },
    )
}

async fn reply_to_side_conversation(
    State(app): Shared,
    Path((ticket, sc)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer(
        "ReplyToSideConversation",
        &headers,
        StatusCode::OK,
        |store, user| {
            let body = json_body("ReplyToSideConversation", &body)?;
            store.reply(id(&ticket, "ticket")?, &sc, user, &body)
        },
    )
}

async fn import_side_conversation(
    State(app): Shared,
    Path(ticket): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer(
        "ImportSideConversation",
        &headers,
        StatusCode::CREATED,
        |store, user| {
            let body = json_body("ImportSideConversation", &body)?;
            store.import(id(&ticket, "ticket")?, user, &body)
        },
    )
}

async fn import_side_conversation_events(
    State(app): Shared,
    Path((ticket, sc)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer(
        "ImportSideConversationEvents",
        &headers,
        StatusCode::CREATED,
        |store, user| {
            let body = json_body("ImportSideConversationEvents", &body)?;
            store.import_events(id(&ticket, "ticket")?, &sc, user, &body)
        },
    )
}

async fn list_side_conversation_events(
    State(app): Shared,
    Path((ticket, sc)): Path<(String, String)>,
    Query(params): Params,
    request: Request,
) -> Response {
    app.answer_read(
        "ListSideConversationEvents",
        &request,
        |store| {
            let (page, per_page) = paging(&params, app.config.default_per_page)?;
            store.list_events(
                id(&ticket, "ticket")?,
                &sc,
                sideload(&params, "side_conversations")?,
                page,
                per_page,
            )
        },
    )
}

async fn export_events(State(app): Shared, Query(params): Params, request: Request) -> Response {
    app.answer_read(
        "IncrementalSideConversationEventExport",
        &request,
        |store| {
            let start_time = params
                .get("start_time")
                .ok_or_else(|| ApiError::bad_request("start_time is required (Unix seconds)"))?;
            let start_time: i64 = start_time.parse().ok().filter(|t| *t >= 0).ok_or_else(|| {
                ApiError::bad_request(format!("start_time {start_time:?} is not a Unix time"))
            })?;
            Ok(store.export(start_time, app.config.export_page_size))
        },
    )
}

async fn create_side_conversation_attachment(
    State(app): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer(
        "CreateSideConversationAttachment",
        &headers,
        StatusCode::CREATED,
        |store, _| {
            let (name, content_type, bytes) = file_part(&headers, &body)?;
            Ok(store.add_message_attachment(&name, &content_type, bytes))
        },
    )
}

/// The `file` part of a multipart body: its name, type and bytes. Other
/// parts are ignored, as the service ignores them.
fn file_part<'a>(
    headers: &HeaderMap,
    body: &'a [u8],
) -> Result<(String, String, &'a [u8]), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multipart::boundary(content_type).map_err(ApiError::bad_request)?;
    let parts = multipart::parts(&boundary, body)
        .map_err(|e| ApiError::bad_request(format!("the multipart body is malformed: {e}")))?;
    let file = parts
        .into_iter()
        .find(|part| part.name.as_deref() == Some("file"))
        .ok_or_else(|| ApiError::bad_request("the multipart body has no `file` part"))?;
    let name = file.file_name.unwrap_or_else(|| "file".to_string());
    let content_type = file.content_type.unwrap_or_else(|| guess(&name));
    Ok((name, content_type, file.body))
}

fn guess(file_name: &str) -> String {
    mime_guess::from_path(file_name)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

async fn create_ticket(State(app): Shared, headers: HeaderMap, body: Bytes) -> Response {
    app.answer("CreateTicket", &headers, StatusCode::CREATED, |store, user| {
        let body = json_body("CreateTicket", &body)?;
        store.create_ticket(user, &body)
    })
}

async fn show_ticket(State(app): Shared, Path(ticket): Path<String>, request: Request) -> Response {
    app.answer_read("ShowTicket", &request, |store| {
        store.show_ticket(id(&ticket, "ticket")?)
    })
}

async fn update_ticket(
    State(app): Shared,
    Path(ticket): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer("UpdateTicket", &headers, StatusCode::OK, |store, user| {
        let body = json_body("UpdateTicket", &body)?;
        store.update_ticket(id(&ticket, "ticket")?, user, &body)
    })
}

async fn list_ticket_comments(
    State(app): Shared,
    Path(ticket): Path<String>,
    Query(params): Params,
    request: Request,
) -> Response {
    let query = request.uri().query().unwrap_or("").to_string();
    app.answer_read("ListTicketComments", &request, |store| {
        checked_query("ListTicketComments", &query)?;
        // An empty value is no value.
        let text = |name: &str| params.get(name).map(String::as_str).filter(|v| !v.is_empty());
        let size = text("page[size]")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(MAX_PAGE_SIZE);
        let comments = CommentsQuery {
            include_inline_images: text("include_inline_images") == Some("true"),
            include_users: text("include") == Some("users"),
            descending: text("sort_order") == Some("desc"),
            size,
            after: text("page[after]").map(String::from),
            before: text("page[before]").map(String::from),
        };
        store.list_comments(id(&ticket, "ticket")?, &comments)
    })
}

async fn make_ticket_comment_private(
    State(app): Shared,
    Path((ticket, comment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    // The service answers 200 with no body (spec/NOTES.md).
    let mut response = app.answer(
        "MakeTicketCommentPrivate",
        &headers,
        StatusCode::NO_CONTENT,
        |store, _| store.make_comment_private(id(&ticket, "ticket")?, id(&comment, "comment")?),
    );
    if response.status() == StatusCode::NO_CONTENT {
        *response.status_mut() = StatusCode::OK;
    }
    response
}

async fn update_attachment(
    State(app): Shared,
    Path(attachment): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    app.answer("UpdateAttachment", &headers, StatusCode::OK, |store, _| {
        let body = json_body("UpdateAttachment", &body)?;
        let allowed = body["attachment"]["malware_access_override"].as_bool().unwrap_or(false);
        let updated = store.update_attachment(id(&attachment, "attachment")?, allowed)?;
        Ok(json!({ "attachment": updated }))
    })
}

/// A query string checked against the operation's parameters: 400 naming
/// each one the spec refuses.
fn checked_query(operation_id: &str, query: &str) -> Result<(), ApiError> {
    let Some(operation) = zendesk_validate::operation(operation_id) else {
        return Ok(());
    };
    let refused = operation.check_query(query);
    match refused.first() {
        None => Ok(()),
        Some(_) => Err(ApiError::bad_request(
            refused
                .iter()
                .map(|v| v.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}

async fn show_attachment(
    State(app): Shared,
    Path(attachment): Path<String>,
    request: Request,
) -> Response {
    app.answer_read("ShowAttachment", &request, |store| {
        let attachment = store.show_attachment(id(&attachment, "attachment")?)?;
        Ok(json!({ "attachment": attachment }))
    })
}

async fn redact_comment_attachment(
    State(app): Shared,
    Path((ticket, comment, attachment)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    app.answer(
        "RedactCommentAttachment",
        &headers,
        StatusCode::OK,
        |store, _| {
            let redacted = store.redact(
                id(&ticket, "ticket")?,
                id(&comment, "comment")?,
                id(&attachment, "attachment")?,
            )?;
            Ok(json!({ "attachment": redacted }))
        },
    )
}

async fn upload_files(
    State(app): Shared,
    Query(params): Params,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut response = app.answer("UploadFiles", &headers, StatusCode::CREATED, |store, _| {
        let file_name = params
            .get("filename")
            .filter(|f| !f.is_empty())
            .ok_or_else(|| ApiError::bad_request("filename is required"))?;
        let sent = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        // A generic type says nothing: the name says more.
        let content_type = match sent {
            "" | "application/binary" | "application/octet-stream" => guess(file_name),
            specific => specific.to_string(),
        };
        store.upload(
            file_name,
            &content_type,
            &body,
            params.get("token").map(String::as_str),
        )
    });
    // The service sends the upload's JSON as text/plain (every recording,
    // 2019 to 2024); clients must read it as JSON all the same.
    if response.status() == StatusCode::CREATED {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    response
}

async fn delete_upload(
    State(app): Shared,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    app.answer(
        "DeleteUpload",
        &headers,
        StatusCode::NO_CONTENT,
        |store, _| store.delete_upload(&token),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_without_a_handler_is_answered_with_a_404_naming_it() {
        let added = zendesk_validate::Operation {
            id: "ShowSideConversationSummary",
            method: "GET",
            path: "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/summary",
            allowed_for: &["agents"],
            parameters: &[],
            request: zendesk_validate::Body::Empty,
            responses: &[],
        };
        let error = unhandled_error(
            &[added],
            "GET",
            "/api/v2/tickets/12345/side_conversations/abc/summary",
        );
        assert_eq!(error.status, StatusCode::NOT_FOUND);
        assert_eq!(error.error, "RecordNotFound");
        assert_eq!(
            error.description,
            "ShowSideConversationSummary is in the spec but not implemented by zendesk-fake"
        );

        let other_method = unhandled_error(
            &[added],
            "TRACE",
            "/api/v2/tickets/12345/side_conversations/abc/summary",
        );
        assert_eq!(other_method.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            other_method.description,
            "TRACE is not allowed on /api/v2/tickets/12345/side_conversations/abc/summary; GET is"
        );

        let import = zendesk_validate::operation("ImportSideConversation").unwrap();
        let show = zendesk_validate::operation("ShowSideConversation").unwrap();
        let options = unhandled_error(
            &[*import, *show],
            "OPTIONS",
            "/api/v2/tickets/1/side_conversations/import",
        );
        assert_eq!(options.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            allowed_methods(
                &[*import, *show],
                "/api/v2/tickets/1/side_conversations/import"
            ),
            ["POST"]
        );
        let get = unhandled_error(
            &[*import, *show],
            "GET",
            "/api/v2/tickets/1/side_conversations/import",
        );
        assert_eq!(get.status, StatusCode::NOT_FOUND);

        let elsewhere = unhandled_error(&[added], "GET", "/api/v2/nowhere");
        assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
        assert_eq!(
            elsewhere.description,
            "Not found: no endpoint GET /api/v2/nowhere"
        );
    }

    #[test]
    fn an_unhandled_operation_signs_in_and_checks_roles_before_its_404() {
        let app = App::new(Config::default(), "http://fake.invalid".into());
        let added = zendesk_validate::Operation {
            id: "ShowTicketSummary",
            method: "GET",
            path: "/api/v2/tickets/{ticket_id}/summary",
            allowed_for: &["admins"],
            parameters: &[],
            request: zendesk_validate::Body::Empty,
            responses: &[],
        };
        let uri: axum::http::Uri = "/api/v2/tickets/12345/summary".parse().unwrap();
        let status = |credentials: Option<(&str, &str)>| {
            let mut headers = HeaderMap::new();
            if let Some((email, token)) = credentials {
                let encoded = base64::engine::general_purpose::STANDARD
                    .encode(format!("{email}/token:{token}"));
                headers.insert(
                    header::AUTHORIZATION,
                    format!("Basic {encoded}").parse().unwrap(),
                );
            }
            answer_unhandled(&app, &[added], &axum::http::Method::GET, &uri, &headers).status()
        };
        assert_eq!(status(None), StatusCode::UNAUTHORIZED);
        assert_eq!(status(Some(("agent@example.com", "wrong"))), StatusCode::UNAUTHORIZED);
        assert_eq!(status(Some(("agent@example.com", "agent-token"))), StatusCode::FORBIDDEN);
        assert_eq!(status(Some(("admin@example.com", "admin-token"))), StatusCode::NOT_FOUND);
        // A method the spec does not define on the path signs nobody in.
        let post = answer_unhandled(&app, &[added], &axum::http::Method::POST, &uri, &HeaderMap::new());
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}
