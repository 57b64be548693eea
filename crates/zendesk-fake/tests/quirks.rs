//! The real service's quirks, from recorded traffic, reproduced by the fake
//! and read by the client: each one through the client, and on the wire
//! where the client hides it.

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;
use support::{checked_fake, error_of, raw_http};

use serde_json::{json, Value};
use zendesk_client::{Client, Credentials, FileToUpload, ResponseMeta, RetryPolicy};
use zendesk_fake::{Config, Faults, RateLimitFault, ScriptedResponse};

fn client(fake: &zendesk_fake::FakeZendesk, email: &str, token: &str) -> Client {
    Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token(email, token))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_upload_is_answered_as_text_plain_and_still_read_as_json() {
    let fake = checked_fake(Config::default()).await;
    let raw = raw_http()
        .post(format!(
            "{}/api/v2/uploads?filename=notes.txt",
            fake.base_url()
        ))
        .basic_auth("customer@example.com/token", Some("customer-token"))
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 201);
    assert_eq!(raw.headers()["content-type"], "text/plain; charset=utf-8");

    let customer = client(&fake, "customer@example.com", "customer-token");
    let uploaded = customer
        .upload(FileToUpload::new("notes.txt", "hello"))
        .send()
        .await
        .unwrap();
    assert!(!uploaded.token.is_empty());
    assert_eq!(uploaded.attachments.unwrap_or_default().len(), 1);
}

#[tokio::test]
async fn an_upload_takes_its_type_from_the_header_else_from_the_name_and_lives_three_days() {
    let fake = checked_fake(Config::default()).await;
    let customer = client(&fake, "customer@example.com", "customer-token");
    let declared = customer
        .upload(FileToUpload::new("scan.bin", vec![1u8, 2, 3]).with_content_type("image/png"))
        .send()
        .await
        .unwrap();
    let attachment = declared.attachment.unwrap();
    assert_eq!(attachment.content_type.as_deref(), Some("image/png"));

    let unnamed_type = raw_http()
        .post(format!(
            "{}/api/v2/uploads?filename=photo.jpg",
            fake.base_url()
        ))
        .basic_auth("customer@example.com/token", Some("customer-token"))
        .body(vec![0u8; 4])
        .send()
        .await
        .unwrap();
    let body: Value = unnamed_type.json().await.unwrap();
    assert_eq!(body["upload"]["attachment"]["content_type"], "image/jpeg");

    let expires_at = declared.expires_at.unwrap().to_datetime().unwrap();
    let in_three_days = chrono::Utc::now() + chrono::Duration::days(3);
    let off = (expires_at.timestamp() - in_three_days.timestamp()).abs();
    assert!(
        off < 60,
        "expires_at {expires_at} is not three days from now"
    );
}

#[tokio::test]
async fn a_401_says_only_that_it_could_not_authenticate() {
    let fake = checked_fake(Config::default()).await;
    let raw = raw_http()
        .get(format!("{}/api/v2/attachments/498483", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 401);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body, json!({"error": "Couldn't authenticate you"}));

    let stranger = client(&fake, "agent@example.com", "wrong-token");
    let error = error_of(stranger.show_attachment().attachment_id(498_483).send()).await;
    assert!(error.is_unauthorized());
    assert_eq!(error.code(), Some("Couldn't authenticate you"));
    assert_eq!(error.description(), None);
    assert!(!error.to_string().contains("wrong-token"));
}

#[tokio::test]
async fn a_403_for_a_role_has_the_title_and_message_form() {
    let fake = checked_fake(Config::default()).await;
    let agent = client(&fake, "agent@example.com", "agent-token");
    let error = error_of(
        agent
            .incremental_side_conversation_event_export()
            .start_time(0)
            .send(),
    )
    .await;
    assert!(error.is_forbidden());
    assert_eq!(error.code(), Some("Forbidden"));
    assert!(error.description().unwrap().contains("admins"), "{error}");
    let body = serde_json::to_value(error.body().unwrap()).unwrap();
    assert_eq!(body["error"]["title"], "Forbidden");
    assert!(body.get("description").is_none(), "{body}");
}

#[tokio::test]
async fn the_export_family_answers_a_429_in_json_and_the_rest_in_plain_text() {
    let fake = checked_fake(Config {
        faults: Faults {
            rate_limit: Some(RateLimitFault {
                requests: 0,
                window: Duration::from_secs(7),
            }),
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    let admin = client(&fake, "admin@example.com", "admin-token");
    let export = error_of(
        admin
            .incremental_side_conversation_event_export()
            .start_time(0)
            .send(),
    )
    .await;
    assert!(export.is_rate_limited());
    assert_eq!(export.code(), Some("APIRateLimitExceeded"));
    // The seconds until the 7-second window resets, rounded up.
    let retry_after = export.retry_after().unwrap().as_secs();
    assert!((6..=7).contains(&retry_after), "{retry_after}");

    let show = error_of(admin.show_attachment().attachment_id(498_483).send()).await;
    assert!(show.is_rate_limited());
    assert_eq!(show.code(), None);
    assert_eq!(show.raw_body(), Some("Rate limit exceeded"));
}

#[tokio::test]
async fn every_response_carries_its_rate_limit_and_a_request_id() {
    let fake = checked_fake(Config::default()).await;
    let agent = client(&fake, "agent@example.com", "agent-token");
    let mut request_ids = BTreeSet::new();

    let shown = agent
        .show_attachment()
        .attachment_id(498_483)
        .send()
        .await
        .unwrap();
    let first = shown.rate_limit().unwrap();
    assert_eq!(first.limit, 700);
    request_ids.insert(shown.request_id().unwrap().to_string());

    let listed = agent
        .list_side_conversations()
        .ticket_id(12345)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.rate_limit().unwrap().remaining, first.remaining - 1);
    request_ids.insert(listed.request_id().unwrap().to_string());

    let missing = error_of(agent.show_attachment().attachment_id(1).send()).await;
    assert!(missing.is_not_found());
    request_ids.insert(missing.request_id().unwrap().to_string());

    fake.script(
        "ShowAttachment",
        1,
        ScriptedResponse::error(500, "InternalError", "Boom"),
    )
    .unwrap();
    let scripted = error_of(agent.show_attachment().attachment_id(498_483).send()).await;
    request_ids.insert(scripted.request_id().unwrap().to_string());

    let raw = raw_http()
        .get(format!("{}/api/v2/attachments/498483", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 401);
    for name in [
        "x-rate-limit",
        "x-rate-limit-remaining",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "x-request-id",
    ] {
        assert!(raw.headers().contains_key(name), "the 401 lacks {name}");
    }
    request_ids.insert(raw.headers()["x-request-id"].to_str().unwrap().to_string());
    assert_eq!(request_ids.len(), 5, "request ids repeat: {request_ids:?}");
    assert!(request_ids.iter().all(|id| id.len() == 16));
}
