//! Scripted responses and the request journal, through the client as a
//! user's own test would use them: every kind of scripted answer, the
//! journal without credentials, reset, seeded side conversations, and the
//! same controls over the HTTP API under `/__fake/`.

use crate::support;

use std::time::{Duration, Instant};
use support::{checked_fake, error_of, history, raw_http};

use serde_json::{json, Value};
use zendesk_client::{Client, Credentials, RetryPolicy};
use zendesk_fake::{Config, ScriptError, ScriptedResponse};
use zendesk_models::{EmailParticipant, MessageRequest};

const TICKET: i64 = 12345;

fn agent(fake: &zendesk_fake::FakeZendesk, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .retry(retry)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_scripted_422_with_details_reaches_the_caller_and_changes_nothing() {
    let fake = checked_fake(Config::default()).await;
    fake.script(
        "CreateSideConversation",
        1,
        ScriptedResponse::error(422, "RecordInvalid", "Record validation errors").details(
            json!({"to": [{"error": "InvalidValue", "description": "is not a known user"}]}),
        ),
    )
    .unwrap();
    let client = agent(&fake, RetryPolicy::default());
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com")).body("Hi");
    let error = error_of(
        client
            .create_side_conversation()
            .ticket_id(TICKET)
            .body(message.clone())
            .send(),
    )
    .await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(error.code(), Some("RecordInvalid"));
    assert_eq!(error.details().unwrap()["to"][0]["error"], "InvalidValue");
    let listed = client
        .list_side_conversations()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.into_inner().count,
        Some(0),
        "the scripted call created nothing"
    );

    // The script is used up: the next call reaches the account.
    let created = client
        .create_side_conversation()
        .ticket_id(TICKET)
        .body(message)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
}

#[tokio::test]
async fn a_plain_text_429_with_retry_after_is_retried_after_the_wait() {
    let fake = checked_fake(Config::default()).await;
    fake.script(
        "ShowAttachment",
        2,
        ScriptedResponse::status(429)
            .header("Retry-After", 1)
            .text("Rate limit exceeded"),
    )
    .unwrap();

    let bare = agent(&fake, RetryPolicy::none());
    let error = error_of(bare.show_attachment().attachment_id(498_483).send()).await;
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(error.raw_body(), Some("Rate limit exceeded"));

    let started = Instant::now();
    let shown = agent(&fake, RetryPolicy::default())
        .show_attachment()
        .attachment_id(498_483)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status().as_u16(), 200);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let statuses: Vec<u16> = fake
        .requests_for("ShowAttachment")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 429, 200]);
}

#[tokio::test]
async fn a_scripted_503_a_slow_answer_and_a_dropped_connection() {
    let fake = checked_fake(Config::default()).await;
    let bare = agent(&fake, RetryPolicy::none());

    fake.script(
        "ShowAttachment",
        1,
        ScriptedResponse::error(503, "ServiceUnavailable", "Maintenance").header("Retry-After", 0),
    )
    .unwrap();
    let error = error_of(bare.show_attachment().attachment_id(498_483).send()).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.is_retryable());

    let slow = ScriptedResponse::status(200)
        .json(json!({"attachment": {"id": 1, "file_name": "slow.txt"}}))
        .delay(Duration::from_millis(300));
    fake.script("ShowAttachment", 1, slow).unwrap();
    let started = Instant::now();
    let shown = bare
        .show_attachment()
        .attachment_id(498_483)
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        shown.into_inner().attachment.file_name.as_deref(),
        Some("slow.txt")
    );

    fake.script("ShowAttachment", 1, ScriptedResponse::dropped_connection())
        .unwrap();
    let error = error_of(bare.show_attachment().attachment_id(498_483).send()).await;
    assert_eq!(
        error.status(),
        None,
        "a dropped connection has no status: {error}"
    );
    // A GET is sent again after a transport error.
    fake.script("ShowAttachment", 1, ScriptedResponse::dropped_connection())
        .unwrap();
    let shown = agent(&fake, RetryPolicy::default())
        .show_attachment()
        .attachment_id(498_483)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.into_inner().attachment.id, Some(498_483));
}

#[tokio::test]
async fn a_scripted_body_is_checked_against_the_operation() {
    let fake = checked_fake(Config::default()).await;
    assert_eq!(
        fake.script("ShowSomething", 1, ScriptedResponse::status(404)),
        Err(ScriptError::UnknownOperation("ShowSomething".into()))
    );
    let wrong = fake.script(
        "ShowAttachment",
        1,
        ScriptedResponse::status(200).json(json!({"attachment": {"id": "498483"}})),
    );
    match wrong {
        Err(ScriptError::BodyBreaksSpec { pointer, .. }) => assert_eq!(pointer, "/attachment/id"),
        other => panic!("{other:?}"),
    }
    // An error status the operation does not document must still be
    // Zendesk's error body.
    let not_an_error = fake.script(
        "ShowAttachment",
        1,
        ScriptedResponse::status(500).json(json!({"error": 5})),
    );
    assert!(matches!(
        not_an_error,
        Err(ScriptError::BodyBreaksSpec { status: 500, .. })
    ));
    assert!(fake
        .script(
            "ShowAttachment",
            1,
            ScriptedResponse::error(500, "InternalError", "Boom")
        )
        .is_ok());
}

#[tokio::test]
async fn the_journal_keeps_every_request_in_order_without_credentials() {
    let fake = checked_fake(Config::default()).await;
    let client = agent(&fake, RetryPolicy::none());
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com")).body("Hi");
    client
        .create_side_conversation()
        .ticket_id(TICKET)
        .body(message)
        .send()
        .await
        .unwrap();
    client
        .list_side_conversations()
        .ticket_id(TICKET)
        .per_page(5)
        .send()
        .await
        .unwrap();
    let _ = client.show_attachment().attachment_id(1).send().await;

    let journal = fake.journal();
    let summary: Vec<(&str, &str, Option<&str>, u16)> = journal
        .iter()
        .map(|r| {
            (
                r.method.as_str(),
                r.operation_id.as_deref().unwrap_or("-"),
                r.query.as_deref(),
                r.status,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("POST", "CreateSideConversation", None, 201),
            ("GET", "ListSideConversations", Some("per_page=5"), 200),
            ("GET", "ShowAttachment", None, 404),
        ]
    );
    assert_eq!(journal[0].path, "/api/v2/tickets/12345/side_conversations");
    assert_eq!(journal[0].json.as_ref().unwrap()["message"]["body"], "Hi");
    for request in &journal {
        assert!(
            !request.headers.contains_key("authorization"),
            "{request:?}"
        );
        let text = serde_json::to_string(request).unwrap();
        assert!(!text.contains("agent-token"), "{text}");
        assert!(!text.to_lowercase().contains("basic "), "{text}");
    }
    fake.clear_journal();
    assert!(fake.journal().is_empty());
}

#[tokio::test]
async fn seeded_side_conversations_and_reset() {
    let fake = checked_fake(Config::default()).await;
    let seeded = fake.seed_side_conversation(TICKET, &history()).unwrap();
    let id = seeded.side_conversation.id.clone().unwrap();
    let client = agent(&fake, RetryPolicy::none());
    let events = client
        .list_side_conversation_events()
        .ticket_id(TICKET)
        .side_conversation_id(&id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(events.events.len(), 1);
    assert!(
        fake.journal().len() == 1,
        "seeding is not a request: {:?}",
        fake.journal()
    );

    let refused = fake.seed_side_conversation(99, &history()).unwrap_err();
    assert_eq!(refused["error"], "RecordNotFound");

    fake.script(
        "ShowAttachment",
        5,
        ScriptedResponse::error(500, "InternalError", "Boom"),
    )
    .unwrap();
    fake.reset();
    assert!(fake.journal().is_empty());
    let listed = client
        .list_side_conversations()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.into_inner().count, Some(0));
    let shown = client
        .show_attachment()
        .attachment_id(498_483)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status().as_u16(), 200, "reset dropped the scripts");
}

#[tokio::test]
async fn the_same_controls_over_http() {
    let fake = checked_fake(Config::default()).await;
    let http = raw_http();
    let admin = |path: &str| format!("{}/__fake{path}", fake.base_url());

    let scripted = http
        .post(admin("/scripts"))
        .json(&json!({
            "operation": "ShowAttachment",
            "times": 1,
            "response": {"status": 429, "headers": {"Retry-After": "3"}, "body": {"text": "Rate limit exceeded"}}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(scripted.status().as_u16(), 201);
    let refused = http
        .post(admin("/scripts"))
        .json(&json!({"operation": "ShowAttachment", "response": {"status": 200, "body": {"json": {"attachment": []}}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let refusal: Value = refused.json().await.unwrap();
    assert!(
        refusal["description"]
            .as_str()
            .unwrap()
            .contains("/attachment"),
        "{refusal}"
    );

    let error = error_of(
        agent(&fake, RetryPolicy::none())
            .show_attachment()
            .attachment_id(498_483)
            .send(),
    )
    .await;
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3)));

    let seeded = http
        .post(admin("/tickets/12345/side_conversations"))
        .json(&history())
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.status().as_u16(), 201);

    let journal: Value = http
        .get(admin("/journal"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let requests = journal["requests"].as_array().unwrap();
    assert_eq!(
        requests.len(),
        1,
        "control calls are not journaled: {journal:#}"
    );
    assert_eq!(requests[0]["status"], 429);

    let reset = http.post(admin("/reset")).send().await.unwrap();
    assert_eq!(reset.status().as_u16(), 204);
    let journal: Value = http
        .get(admin("/journal"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(journal["requests"], json!([]));
    let listed = agent(&fake, RetryPolicy::none())
        .list_side_conversations()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.into_inner().count, Some(0));
}
