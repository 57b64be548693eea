//! Where property-based testing (schemathesis, `.ci/schemathesis/run`) found
//! the spec and the fake disagreeing, and what they now agree on: each case
//! on the wire, and through the client where the client is involved.

use crate::support;

use support::{checked_fake, error_of, raw_http};

use serde_json::Value;
use zendesk_client::{Client, Credentials, RetryPolicy};
use zendesk_fake::Config;

const AGENT: (&str, &str) = ("agent@example.com/token", "agent-token");

async fn send(request: reqwest::RequestBuilder) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = request
        .basic_auth(AGENT.0, Some(AGENT.1))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

#[tokio::test]
async fn a_path_id_beyond_int64_or_not_a_number_names_no_record() {
    let fake = checked_fake(Config::default()).await;
    let http = raw_http();
    for path in [
        "/api/v2/attachments/9223372036854775808",
        "/api/v2/attachments/abc",
        "/api/v2/tickets/-9223372036854775809/side_conversations",
        "/api/v2/tickets/12345/comments/100/attachments/99999999999999999999/redact",
    ] {
        let method = if path.ends_with("redact") {
            reqwest::Method::PUT
        } else {
            reqwest::Method::GET
        };
        let (status, _, body) =
            send(http.request(method, format!("{}{path}", fake.base_url()))).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"], "RecordNotFound", "{path}");
    }
}

#[tokio::test]
async fn any_page_up_to_the_int64_maximum_is_a_page_past_the_end_is_empty() {
    let fake = checked_fake(Config::default()).await;
    let http = raw_http();
    let base = format!(
        "{}/api/v2/tickets/12345/side_conversations",
        fake.base_url()
    );
    let (status, _, body) =
        send(http.get(format!("{base}?page=9223372036854775807&per_page=100"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["side_conversations"], serde_json::json!([]));
    assert_eq!(body["next_page"], Value::Null);
    assert!(body["previous_page"]
        .as_str()
        .unwrap()
        .contains("page=9223372036854775806"));

    let (status, _, body) = send(http.get(format!("{base}?page=9223372036854775808"))).await;
    assert_eq!(status, 400, "{body}");
    let (status, _, body) = send(http.get(format!("{base}?page=0"))).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn an_empty_file_name_is_refused_by_the_fake_and_by_the_client_before_sending() {
    let fake = checked_fake(Config::default()).await;
    let (status, _, body) = send(
        raw_http()
            .post(format!("{}/api/v2/uploads?filename=", fake.base_url()))
            .body("hello"),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    let client = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    fake.clear_journal();
    let error = error_of(
        client
            .upload_files()
            .filename("")
            .body(b"hello".to_vec())
            .send(),
    )
    .await;
    assert!(error.to_string().contains("filename"), "{error}");
    assert!(fake.journal().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_multipart_body_may_carry_parts_beside_the_file_whatever_their_names() {
    let fake = checked_fake(Config::default()).await;
    let mut body = Vec::new();
    for name in [&b"note"[..], b"\x19\xf1\xb5 caf\xc3\xa9 \xff"] {
        body.extend_from_slice(b"--BOUNDARY\r\nContent-Disposition: form-data; name=\"");
        body.extend_from_slice(name);
        body.extend_from_slice(b"\"\r\n\r\n{}\r\n");
    }
    body.extend_from_slice(
        b"--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
Content-Type: text/plain\r\n\r\nhello\r\n--BOUNDARY--\r\n",
    );
    let (status, _, created) = send(
        raw_http()
            .post(format!(
                "{}/api/v2/tickets/side_conversations/attachments",
                fake.base_url()
            ))
            .header("content-type", "multipart/form-data; boundary=BOUNDARY")
            .body(body),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "a.txt");
    assert_eq!(created["content_type"], "text/plain");
    assert_eq!(created["size"], 5);

    let (status, _, error) = send(
        raw_http()
            .post(format!(
                "{}/api/v2/tickets/side_conversations/attachments",
                fake.base_url()
            ))
            .header("content-type", "multipart/form-data; boundary=BOUNDARY")
            .body("--BOUNDARY\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--BOUNDARY--"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(error["description"]
        .as_str()
        .unwrap()
        .contains("no `file` part"));
}

#[tokio::test]
async fn a_method_the_spec_does_not_define_on_its_path_is_405_with_allow() {
    let fake = checked_fake(Config::default()).await;
    let http = raw_http();
    for (method, path, allow) in [
        ("TRACE", "/api/v2/uploads", "POST"),
        (
            "OPTIONS",
            "/api/v2/tickets/12345/side_conversations/import",
            "POST",
        ),
        (
            "DELETE",
            "/api/v2/tickets/12345/side_conversations",
            "GET, POST",
        ),
        (
            "PATCH",
            "/api/v2/tickets/12345/side_conversations/abc",
            "GET, PUT",
        ),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let (status, headers, body) =
            send(http.request(method.clone(), format!("{}{path}", fake.base_url()))).await;
        assert_eq!(status, 405, "{method} {path}: {body}");
        assert_eq!(headers["allow"], allow, "{method} {path}");
        assert_eq!(body["error"], "MethodNotAllowed");
    }
    let (status, _, _) = send(http.get(format!("{}/api/v2/nowhere", fake.base_url()))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_id_in_a_body_beyond_int64_is_refused_with_422() {
    let fake = checked_fake(Config::default()).await;
    let (status, _, body) = send(
        raw_http()
            .post(format!(
                "{}/api/v2/tickets/12345/side_conversations",
                fake.base_url()
            ))
            .header("content-type", "application/json")
            .body(r#"{"message": {"to": [{"user_id": 9223372036854775808}], "body": "hi"}}"#),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "RecordInvalid");
}
