//! The client's requests for each of the 14 operations, against a local HTTP
//! mock: method, path, query, headers and body as the spec says, and the
//! documented responses read into the right types.

mod support;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zendesk_client::{Client, ClientSettings, GeneratedError};
use zendesk_models as models;

/// A mock that answers `method path` with `status` and the example file
/// `response` (a file name under `spec/examples/`), once.
async fn serve(
    http_method: &str,
    url_path: &str,
    status: u16,
    response: Option<&str>,
) -> MockServer {
    let server = MockServer::start().await;
    let mut template = ResponseTemplate::new(status);
    if let Some(file) = response {
        template = template.set_body_raw(
            std::fs::read(example_file(file)).unwrap(),
            "application/json",
        );
    }
    Mock::given(method(http_method))
        .and(path(url_path))
        .respond_with(template)
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::new(&server.uri(), ClientSettings::default())
}

fn example_file(name: &str) -> std::path::PathBuf {
    support::spec().directory().join("examples").join(name)
}

fn example_json(name: &str) -> Value {
    support::read_json(example_file(name))
}

fn example<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(example_json(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The one request the server received.
async fn received(server: &MockServer) -> wiremock::Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn query(request: &wiremock::Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A JSON request: the body is the given JSON and says so.
fn assert_json_body(request: &wiremock::Request, expected: &Value) {
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(&request.body_json::<Value>().unwrap(), expected);
}

/// Requests carry no header of progenitor's own.
fn assert_plain_headers(request: &wiremock::Request) {
    assert_eq!(header(request, "api-version"), None);
    assert_eq!(header(request, "accept"), Some("application/json"));
}

#[tokio::test]
async fn list_side_conversations() {
    let server = serve(
        "GET",
        "/api/v2/tickets/12345/side_conversations",
        200,
        Some("ListSideConversations.200.json"),
    )
    .await;
    let page = client(&server)
        .list_side_conversations()
        .ticket_id(12345)
        .include(models::SideConversationSideload::Events)
        .per_page(50)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.into_inner(),
        example::<models::SideConversationListResponse>("ListSideConversations.200.json")
    );
    let request = received(&server).await;
    assert_eq!(
        query(&request),
        [
            ("include".into(), "events".into()),
            ("per_page".into(), "50".into())
        ]
    );
    assert!(request.body.is_empty());
    assert_plain_headers(&request);
}

#[tokio::test]
async fn show_side_conversation() {
    let path = "/api/v2/tickets/12345/side_conversations/8566255a-ece5-11e8-857d-493066fa7b17";
    let server = serve("GET", path, 200, Some("ShowSideConversation.200.json")).await;
    let shown = client(&server)
        .show_side_conversation()
        .ticket_id(12345)
        .side_conversation_id("8566255a-ece5-11e8-857d-493066fa7b17")
        .send()
        .await
        .unwrap();
    assert_eq!(
        shown.into_inner().side_conversation.id.as_deref(),
        Some("8566255a-ece5-11e8-857d-493066fa7b17")
    );
    let request = received(&server).await;
    assert!(query(&request).is_empty());
    assert_plain_headers(&request);
}

#[tokio::test]
async fn create_side_conversation() {
    let server = serve(
        "POST",
        "/api/v2/tickets/12345/side_conversations",
        201,
        Some("CreateSideConversation.201.json"),
    )
    .await;
    let body: models::CreateSideConversationRequest =
        example("CreateSideConversation.request.slack.json");
    let created = client(&server)
        .create_side_conversation()
        .ticket_id(12345)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created = created.into_inner();
    assert_eq!(
        created.event.unwrap().type_,
        Some(models::SideConversationEventType::Create)
    );
    let request = received(&server).await;
    assert_json_body(
        &request,
        &example_json("CreateSideConversation.request.slack.json"),
    );
    assert_plain_headers(&request);
}

#[tokio::test]
async fn update_side_conversation() {
    let server = serve(
        "PUT",
        "/api/v2/tickets/12345/side_conversations/abc",
        200,
        Some("UpdateSideConversation.200.json"),
    )
    .await;
    let body: models::UpdateSideConversationRequest =
        example("UpdateSideConversation.request.close.json");
    client(&server)
        .update_side_conversation()
        .ticket_id(12345)
        .side_conversation_id("abc")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_json_body(
        &received(&server).await,
        &json!({"side_conversation": {"state": "closed"}}),
    );
}

#[tokio::test]
async fn reply_to_side_conversation() {
    let server = serve(
        "POST",
        "/api/v2/tickets/12345/side_conversations/abc/reply",
        200,
        Some("ReplyToSideConversation.200.json"),
    )
    .await;
    let body: models::ReplyToSideConversationRequest =
        example("ReplyToSideConversation.request.repaired.json");
    let replied = client(&server)
        .reply_to_side_conversation()
        .ticket_id(12345)
        .side_conversation_id("abc")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert!(
        replied.into_inner().event.is_none(),
        "the documented reply response has no event"
    );
    assert_json_body(
        &received(&server).await,
        &example_json("ReplyToSideConversation.request.repaired.json"),
    );
}

#[tokio::test]
async fn import_side_conversation() {
    let server = serve(
        "POST",
        "/api/v2/tickets/12345/side_conversations/import",
        201,
        Some("ImportSideConversation.201.json"),
    )
    .await;
    let body: models::ImportSideConversationRequest =
        example("ImportSideConversation.request.repaired.json");
    client(&server)
        .import_side_conversation()
        .ticket_id(12345)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_json_body(
        &received(&server).await,
        &example_json("ImportSideConversation.request.repaired.json"),
    );
}

#[tokio::test]
async fn import_side_conversation_events() {
    let server = serve(
        "POST",
        "/api/v2/tickets/12345/side_conversations/abc/events/import",
        201,
        Some("ImportSideConversationEvents.201.json"),
    )
    .await;
    let body: models::ImportSideConversationEventsRequest =
        example("ImportSideConversationEvents.request.repaired.json");
    client(&server)
        .import_side_conversation_events()
        .ticket_id(12345)
        .side_conversation_id("abc")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let request = received(&server).await;
    // The documented "2022-10-05T20:47:02.230Z" is sent as written.
    assert_json_body(
        &request,
        &example_json("ImportSideConversationEvents.request.repaired.json"),
    );
}

#[tokio::test]
async fn list_side_conversation_events() {
    let server = serve(
        "GET",
        "/api/v2/tickets/12345/side_conversations/abc/events",
        200,
        Some("ListSideConversationEvents.200.json"),
    )
    .await;
    let events = client(&server)
        .list_side_conversation_events()
        .ticket_id(12345)
        .side_conversation_id("abc")
        .include(models::SideConversationEventSideload::SideConversations)
        .page(2)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(events.events.len(), 1);
    let request = received(&server).await;
    assert_eq!(
        query(&request),
        [
            ("include".into(), "side_conversations".into()),
            ("page".into(), "2".into())
        ]
    );
}

#[tokio::test]
async fn incremental_side_conversation_event_export() {
    let server = serve(
        "GET",
        "/api/v2/tickets/side_conversations/events",
        200,
        Some("IncrementalSideConversationEventExport.200.json"),
    )
    .await;
    let page = client(&server)
        .incremental_side_conversation_event_export()
        .start_time(1_383_685_952)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.end_time, Some(1_383_685_952));
    assert_eq!(
        page.events[0].message.as_ref().unwrap().via,
        Some(models::Via::Support)
    );
    assert_eq!(
        query(&received(&server).await),
        [("start_time".into(), "1383685952".into())]
    );
}

#[tokio::test]
async fn create_side_conversation_attachment() {
    let server = serve(
        "POST",
        "/api/v2/tickets/side_conversations/attachments",
        201,
        Some("CreateSideConversationAttachment.201.json"),
    )
    .await;
    let png = b"\x89PNG\r\n\x1a\nnot really an image".to_vec();
    let attachment = client(&server)
        .create_side_conversation_attachment()
        .file(
            zendesk_client::FileToUpload::new("image.png", png.clone())
                .with_content_type("image/png"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(attachment.status(), 201);
    assert_eq!(
        attachment.into_inner().id.as_deref(),
        Some("s3-d2a3111e-26d9-4e1c-88b4-cf7c0649d81d")
    );
    let request = received(&server).await;
    let content_type = header(&request, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect(content_type);
    let body = request.body.clone();
    let text = String::from_utf8_lossy(&body);
    assert!(text.starts_with(&format!("--{boundary}\r\n")), "{text}");
    assert!(
        text.contains("Content-Disposition: form-data; name=\"file\"; filename=\"image.png\"\r\n"),
        "{text}"
    );
    assert!(text.contains("Content-Type: image/png\r\n\r\n"), "{text}");
    assert!(
        body.windows(png.len()).any(|w| w == png),
        "the file's bytes are in the part"
    );
    assert_plain_headers(&request);
}

#[tokio::test]
async fn show_attachment() {
    let server = serve(
        "GET",
        "/api/v2/attachments/498483",
        200,
        Some("ShowAttachment.200.json"),
    )
    .await;
    let shown = client(&server)
        .show_attachment()
        .attachment_id(498_483)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(shown.attachment.id, Some(498_483));
    assert_eq!(shown.attachment.thumbnails, Some(vec![]));
}

#[tokio::test]
async fn redact_comment_attachment() {
    let server = serve(
        "PUT",
        "/api/v2/tickets/12345/comments/67890/attachments/498483/redact",
        200,
        Some("RedactCommentAttachment.200.json"),
    )
    .await;
    let redacted = client(&server)
        .redact_comment_attachment()
        .ticket_id(12345)
        .comment_id(67890)
        .attachment_id(498_483)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(redacted.attachment.file_name.as_deref(), Some("myfile.dat"));
    assert!(received(&server).await.body.is_empty(), "no request body");
}

#[tokio::test]
async fn upload_files() {
    let server = serve("POST", "/api/v2/uploads", 201, Some("UploadFiles.201.json")).await;
    let upload = client(&server)
        .upload_files()
        .filename("crash.log")
        .token("6bk3gql82em5nmf")
        .body(b"line 1\nline 2\n".to_vec())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(upload.upload.token, "6bk3gql82em5nmf");
    let request = received(&server).await;
    assert_eq!(
        query(&request),
        [
            ("filename".into(), "crash.log".into()),
            ("token".into(), "6bk3gql82em5nmf".into())
        ]
    );
    assert_eq!(
        header(&request, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, b"line 1\nline 2\n");
}

#[tokio::test]
async fn delete_upload_answers_204_with_no_body() {
    let server = serve("DELETE", "/api/v2/uploads/6bk3gql82em5nmf", 204, None).await;
    let deleted = client(&server)
        .delete_upload()
        .token("6bk3gql82em5nmf")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let () = deleted.into_inner();
    assert!(received(&server).await.body.is_empty());
}

#[tokio::test]
async fn a_zendesk_error_body_becomes_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/attachments/1"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "RecordNotFound", "description": "Not found"})),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .show_attachment()
        .attachment_id(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let GeneratedError::ErrorResponse(body) = &error else {
        panic!("not a typed error: {error:?}")
    };
    assert_eq!(
        body.error,
        Some(models::ErrorResponseError::String("RecordNotFound".into()))
    );
    let error = zendesk_client::Error::from(error);
    assert_eq!(
        (error.code(), error.description()),
        (Some("RecordNotFound"), Some("Not found"))
    );
}
