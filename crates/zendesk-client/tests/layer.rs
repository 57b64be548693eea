//! The hand-written layer against a local mock: retries and rate limits
//! (waits recorded, never slept), errors, pagination, the export, uploads,
//! construction and credentials.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zendesk_client::{
    Client, Credentials, ErrorKind, ExportCheckpoint, FileToUpload, ResponseMeta, RetryPolicy,
    Sleeper,
};

/// Records every wait instead of sleeping.
#[derive(Default)]
struct RecordedWaits(Mutex<Vec<Duration>>);

impl Sleeper for RecordedWaits {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

impl RecordedWaits {
    fn all(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

const TOKEN: &str = "s3cr3t-ap1-t0ken";

fn client_with(server: &MockServer, retry: RetryPolicy) -> (Client, Arc<RecordedWaits>) {
    let waits = Arc::new(RecordedWaits::default());
    let client = Client::builder()
        .base_url(&server.uri())
        .credentials(Credentials::api_token("agent@acme.test", TOKEN))
        .retry(retry.with_sleeper(waits.clone()))
        .build()
        .unwrap();
    (client, waits)
}

fn client(server: &MockServer) -> (Client, Arc<RecordedWaits>) {
    client_with(server, RetryPolicy::default())
}

fn side_conversation(id: &str) -> Value {
    json!({"side_conversation": {"id": id, "state": "open"}})
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "2")
                .set_body_string("Rate limit exceeded"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(side_conversation("abc"))
                .insert_header("X-Rate-Limit", "700")
                .insert_header("X-Rate-Limit-Remaining", "699")
                .insert_header("X-Request-Id", "req-1"),
        )
        .mount(&server)
        .await;
    let (client, waits) = client(&server);
    let shown = client
        .show_side_conversation()
        .ticket_id(1)
        .side_conversation_id("abc")
        .send()
        .await
        .unwrap();
    assert_eq!(
        waits.all(),
        [Duration::from_secs(2)],
        "waited the advertised time, once"
    );
    assert_eq!(shown.attempts(), 2);
    assert_eq!(
        shown.rate_limit().map(|l| (l.limit, l.remaining)),
        Some((700, 699))
    );
    assert_eq!(shown.request_id(), Some("req-1"));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_post_is_retried_after_a_429_but_not_after_a_500() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error": "InternalError", "description": "boom"})),
        )
        .mount(&server)
        .await;
    let (client, waits) = client(&server);
    let body = zendesk_client::models::CreateSideConversationRequest::from(
        zendesk_client::models::MessageRequest::email(
            zendesk_client::models::EmailParticipant::user(1),
        ),
    );
    let error: zendesk_client::Error = client
        .create_side_conversation()
        .ticket_id(1)
        .body(body.clone())
        .send()
        .await
        .unwrap_err()
        .into();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        error.attempts(),
        2,
        "the 429, then the 500 which is not retried"
    );
    assert_eq!(
        (error.code(), error.description()),
        (Some("InternalError"), Some("boom"))
    );
    assert_eq!(waits.all(), [Duration::from_secs(1)]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_stop_at_the_cap_and_say_how_many_attempts_were_made() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default().with_max_attempts(3);
    let (client, waits) = client_with(&server, policy);
    let error: zendesk_client::Error = client
        .show_attachment()
        .attachment_id(7)
        .send()
        .await
        .unwrap_err()
        .into();
    assert_eq!(error.attempts(), 3);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert!(error.is_retryable());
    assert_eq!(
        waits.all().len(),
        2,
        "a backoff between each of the three attempts"
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn a_retry_after_past_the_cap_is_handed_to_the_caller() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "3600")
                .set_body_string("Too Many Requests"),
        )
        .mount(&server)
        .await;
    let (client, waits) = client(&server);
    let error: zendesk_client::Error = client
        .show_attachment()
        .attachment_id(7)
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(
        error.raw_body(),
        Some("Too Many Requests"),
        "a plain-text body is kept as text"
    );
    assert_eq!(error.attempts(), 1);
    assert!(waits.all().is_empty());
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let (client, waits) = client_with(&server, RetryPolicy::none());
    let error: zendesk_client::Error = client
        .show_attachment()
        .attachment_id(7)
        .send()
        .await
        .unwrap_err()
        .into();
    assert_eq!((error.attempts(), waits.all().len()), (1, 0));
}

#[tokio::test]
async fn connection_errors_are_retried_for_idempotent_calls() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let waits = Arc::new(RecordedWaits::default());
    let client = Client::builder()
        .base_url(&format!("http://{address}"))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_sleeper(waits.clone()),
        )
        .build()
        .unwrap();
    let error: zendesk_client::Error = client
        .show_attachment()
        .attachment_id(1)
        .send()
        .await
        .unwrap_err()
        .into();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(error.attempts(), 3, "{error}");
    assert!(error.is_retryable());
    assert_eq!(waits.all().len(), 2);
}

#[tokio::test]
async fn errors_carry_what_zendesk_said() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("X-Request-Id", "req-404")
                .set_body_json(json!({"error": "RecordNotFound", "description": "Not found", "details": {"id": [{"description": "unknown"}]}})),
        )
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let error: zendesk_client::Error = client
        .show_side_conversation()
        .ticket_id(1)
        .side_conversation_id("nope")
        .send()
        .await
        .unwrap_err()
        .into();
    assert!(error.is_not_found() && !error.is_retryable());
    assert_eq!(error.request_id(), Some("req-404"));
    assert_eq!(error.details().map(|d| d.contains_key("id")), Some(true));
    assert_eq!(
        error.to_string(),
        "Zendesk answered 404 Not Found: RecordNotFound: Not found (request id req-404)"
    );
}

#[tokio::test]
async fn a_list_over_three_pages_yields_every_item_once_in_order() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        json!({
            "side_conversations": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
            "next_page": next, "previous_page": null, "count": 5
        })
    };
    // next_page names the real host; the client follows it on its own base URL.
    let next = |n: u32| {
        format!(
            "https://acme.zendesk.com/api/v2/tickets/9/side_conversations.json?page={n}&per_page=2"
        )
    };
    Mock::given(path("/api/v2/tickets/9/side_conversations"))
        .and(query_param("per_page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a", "b"], Some(&next(2)))))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/tickets/9/side_conversations.json"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["c", "d"], Some(&next(3)))))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/tickets/9/side_conversations.json"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["e"], None)))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let ids: Vec<String> = client
        .list_side_conversations()
        .ticket_id(9)
        .per_page(2)
        .stream()
        .map_ok(|sc| sc.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn the_export_stops_at_end_of_stream_and_resumes_without_duplicates() {
    let server = MockServer::start().await;
    let event = |id: &str, at: &str| json!({"id": id, "type": "reply", "created_at": at});
    // Page 1 ends at second 100; page 2 starts there and repeats e2.
    Mock::given(query_param("start_time", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "events": [event("e1", "1970-01-01T00:01:39Z"), event("e2", "1970-01-01T00:01:40Z")],
            "end_time": 100, "count": 2, "end_of_stream": false,
            "next_page": "https://acme.zendesk.com/api/v2/tickets/side_conversations/events.json?start_time=100"
        })))
        .mount(&server)
        .await;
    Mock::given(query_param("start_time", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "events": [event("e2", "1970-01-01T00:01:40Z"), event("e3", "1970-01-01T00:01:45Z")],
            "end_time": 105, "count": 2, "end_of_stream": true,
            "next_page": "https://acme.zendesk.com/api/v2/tickets/side_conversations/events.json?start_time=105"
        })))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let pages: Vec<_> = client
        .export_events()
        .checkpoint(ExportCheckpoint::from_start_time(0))
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids = |page: &zendesk_client::ExportPage| {
        page.events
            .iter()
            .map(|e| e.id.clone().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(pages.len(), 2, "stops at end_of_stream");
    assert_eq!(
        (ids(&pages[0]), ids(&pages[1])),
        (vec!["e1".to_string(), "e2".into()], vec!["e3".to_string()])
    );
    assert!(pages[1].caught_up);

    // A reader that crashed after page 1 resumes from its checkpoint.
    let checkpoint = pages[0].checkpoint.clone();
    assert_eq!(checkpoint.start_time, 100);
    let saved = serde_json::to_string(&checkpoint).unwrap();
    let resumed: Vec<_> = client
        .export_events()
        .checkpoint(serde_json::from_str(&saved).unwrap())
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(resumed.len(), 1);
    assert_eq!(ids(&resumed[0]), ["e3"], "e2 is not handed out twice");
    assert_eq!(resumed[0].checkpoint.start_time, 105);
}

#[tokio::test]
async fn an_empty_export_page_means_caught_up() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tickets/side_conversations/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"events": [], "end_time": 50, "next_page": "https://x/?start_time=50"}),
        ))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let pages: Vec<_> = client
        .export_events()
        .checkpoint(ExportCheckpoint::from_start_time(50))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].caught_up && pages[0].events.is_empty());
}

#[tokio::test]
async fn uploads_chain_the_token_and_send_the_media_type() {
    let server = MockServer::start().await;
    let upload = |token: &str, names: &[&str]| json!({"upload": {"token": token, "attachments": names.iter().map(|n| json!({"file_name": n})).collect::<Vec<_>>()}});
    Mock::given(method("POST"))
        .and(path("/api/v2/uploads"))
        .and(query_param("filename", "first.png"))
        .and(header("content-type", "image/png"))
        .and(body_string("PNG"))
        .respond_with(ResponseTemplate::new(201).set_body_json(upload("tok-1", &["first.png"])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/uploads"))
        .and(query_param("filename", "second.txt"))
        .and(query_param("token", "tok-1"))
        .and(header("content-type", "text/plain"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(upload("tok-1", &["first.png", "second.txt"])),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/uploads/tok-1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let files = [
        FileToUpload::new("first.png", "PNG"),
        FileToUpload::new("second.txt", "text"),
    ];
    let uploaded = client.upload_all(files).send().await.unwrap();
    assert_eq!(uploaded.token, "tok-1");
    assert_eq!(uploaded.attachments.map(|a| a.len()), Some(2));
    assert_eq!(
        requests(&server).await.len(),
        2,
        "each file matched its mock"
    );
    client
        .delete_upload()
        .token(&uploaded.token)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn upload_from_a_path_and_from_a_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/uploads"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"upload": {"token": "t"}})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let file =
        std::env::temp_dir().join(format!("zendesk-client-upload-{}.json", std::process::id()));
    std::fs::write(&file, "{}").unwrap();
    client
        .upload(FileToUpload::read(&file).await.unwrap())
        .send()
        .await
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let chunks =
        futures_util::stream::iter(vec![Ok::<_, std::io::Error>("line 1\n"), Ok("line 2\n")]);
    client
        .upload_stream("log.txt", reqwest::Body::wrap_stream(chunks))
        .token("t")
        .send()
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent[0].headers["content-type"], "application/json");
    assert_eq!(sent[1].headers["content-type"], "text/plain");
    assert_eq!(sent[1].body, b"line 1\nline 2\n");
}

#[tokio::test]
async fn a_side_conversation_attachment_is_a_multipart_file_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets/side_conversations/attachments"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "s3-abc", "name": "smoke.png"})),
        )
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let attachment = client
        .create_side_conversation_attachment()
        .file(FileToUpload::new("smoke.png", "PNG-BYTES"))
        .send()
        .await
        .unwrap();
    assert_eq!(attachment.id.as_deref(), Some("s3-abc"));
    let sent = &requests(&server).await[0];
    let body = String::from_utf8_lossy(&sent.body);
    assert!(sent.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    assert!(body.contains("Content-Disposition: form-data; name=\"file\"; filename=\"smoke.png\"\r\nContent-Type: image/png\r\n\r\nPNG-BYTES\r\n"), "{body}");
}

#[tokio::test]
async fn requests_sign_in_and_name_the_client_but_debug_holds_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"attachment": {"id": 1}})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    client
        .show_attachment()
        .attachment_id(1)
        .send()
        .await
        .unwrap();
    let sent = &requests(&server).await[0];
    let basic = format!(
        "Basic {}",
        base64_of(&format!("agent@acme.test/token:{TOKEN}"))
    );
    assert_eq!(sent.headers["authorization"], basic.as_str());
    assert_eq!(sent.headers["user-agent"], zendesk_client::USER_AGENT);
    assert!(zendesk_client::USER_AGENT.starts_with("zendesk-client/"));

    let debug = format!(
        "{client:?} {:?}",
        Credentials::api_token("agent@acme.test", TOKEN)
    );
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(
        !debug.contains(&base64_of(&format!("agent@acme.test/token:{TOKEN}"))),
        "{debug}"
    );
    let oauth = Client::builder()
        .base_url(&server.uri())
        .credentials(Credentials::oauth(TOKEN))
        .build()
        .unwrap();
    assert!(!format!("{oauth:?}").contains(TOKEN));
}

#[test]
fn plain_http_to_another_host_is_refused() {
    let refused = Client::builder()
        .base_url("http://acme.zendesk.com")
        .credentials(Credentials::api_token("agent@acme.test", TOKEN))
        .build()
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Configuration);
    assert!(
        refused.to_string().contains("refusing plain http://"),
        "{refused}"
    );
    assert!(!refused.to_string().contains(TOKEN));
    assert!(Client::builder()
        .base_url("http://acme.internal")
        .allow_insecure_http(true)
        .build()
        .is_ok());
    assert!(Client::builder().subdomain("acme").build().is_ok());
}

fn base64_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}
