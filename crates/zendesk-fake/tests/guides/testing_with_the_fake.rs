//! `docs/testing-with-the-fake.md`: the fake in-process, its seed, scripted
//! responses, the journal and faults.

use std::time::Duration;

use serde_json::json;
use zendesk_client::models::{
    EmailParticipant, ImportSideConversationRequest, MessageRequest, SideConversationEventImport,
    SideConversationImport,
};
use zendesk_client::{Client, Credentials, RetryPolicy};
use zendesk_fake::{Config, Faults, Seed, SeedTicket};

#[rustfmt::skip]
#[tokio::test]
async fn in_process() -> super::Outcome {
    // ANCHOR: in-process
    let fake = zendesk_fake::start(zendesk_fake::Config::default()).await?;   // an ephemeral loopback port
    let client = zendesk_client::Client::builder()
        .base_url(fake.base_url())
        .credentials(zendesk_client::Credentials::api_token("agent@example.com", "agent-token"))
        .build()?;
    // ANCHOR_END: in-process
    client.show_ticket().ticket_id(12345).send().await?;
    fake.stop().await?;
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn a_seed_of_your_own() -> super::Outcome {
    // ANCHOR: seed
    let mut seed = Seed::default();                      // the users and tickets `--print-seed` shows
    seed.tickets.push(SeedTicket::new(777).closed(true));
    let fake = zendesk_fake::start(Config { seed, ..Config::default() }).await?;
    // ANCHOR_END: seed
    let client = super::agent(&fake);
    let shown = client.show_ticket().ticket_id(777).send().await?.into_inner();
    assert_eq!(shown.ticket.id, Some(777));
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn scripted_responses_and_the_journal() -> super::Outcome {
    let fake = zendesk_fake::start(Config::default()).await?;
    let body = json!({"attachment": {"id": 498483, "file_name": "smoke.png", "content_type": "image/png"}});
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com")).subject("Printer").body("On fire");
    let history = ImportSideConversationRequest::new(
        SideConversationImport::new().subject("Seeded"),
        SideConversationEventImport::new(message.clone()),
    );
    // ANCHOR: scripts
    use zendesk_fake::ScriptedResponse;

    fake.script("CreateSideConversation", 1,
        ScriptedResponse::error(422, "RecordInvalid", "Record validation errors")
            .details(json!({"to": [{"error": "InvalidValue", "description": "is not a known user"}]})))?;
    fake.script("ListSideConversations", 2,
        ScriptedResponse::status(429).header("Retry-After", 1).text("Rate limit exceeded"))?;
    fake.script("ShowAttachment", 1, ScriptedResponse::error(503, "ServiceUnavailable", "Maintenance"))?;
    fake.script("ShowAttachment", 1, ScriptedResponse::status(200).json(body).delay(Duration::from_millis(200)))?;
    fake.script("ShowAttachment", 1, ScriptedResponse::dropped_connection())?;
    // ANCHOR_END: scripts

    // The code under test.
    let client = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .retry(RetryPolicy::none())
        .build()?;
    let refused = client.create_side_conversation().ticket_id(12345).body(message).send().await;
    assert_eq!(zendesk_client::Error::from(refused.unwrap_err()).code(), Some("RecordInvalid"));
    for _ in 0..2 {
        let limited = client.list_side_conversations().ticket_id(12345).send().await;
        assert!(zendesk_client::Error::from(limited.unwrap_err()).is_rate_limited());
    }
    let unavailable = client.show_attachment().attachment_id(498483).send().await;
    assert_eq!(zendesk_client::Error::from(unavailable.unwrap_err()).status().map(|s| s.as_u16()), Some(503));
    let slow = client.show_attachment().attachment_id(498483).send().await?;
    assert_eq!(slow.into_inner().attachment.file_name.as_deref(), Some("smoke.png"));
    assert!(client.show_attachment().attachment_id(498483).send().await.is_err(), "dropped");

    // ANCHOR: journal
    let sent = fake.requests_for("CreateSideConversation");   // method, path, query, headers, JSON body, status
    assert_eq!(sent[0].json.as_ref().unwrap()["message"]["subject"], "Printer");
    fake.seed_side_conversation(12345, &history).expect("seeded"); // an ImportSideConversationRequest, no sign-in
    fake.reset();                                              // the seed again, no scripts, empty journal
    // ANCHOR_END: journal
    assert!(fake.journal().is_empty());
    Ok(())
}

#[rustfmt::skip]
#[tokio::test]
async fn faults() -> super::Outcome {
    // ANCHOR: faults
    let flaky = Config {
        faults: Faults {
            unavailable_share: 0.5,             // half the requests get a 503 ...
            unavailable_retry_after: 0,         // ... with `Retry-After: 0`
            latency: Duration::from_millis(20), // before every answer
            random_seed: 7,                     // the same requests fail on every run
            ..Faults::default()
        },
        journal_limit: 1_000,                   // the most recent requests kept
        ..Config::default()
    };
    // ANCHOR_END: faults
    let fake = zendesk_fake::start(flaky).await?;
    let client = super::agent(&fake);
    for _ in 0..10 {
        client.list_side_conversations().ticket_id(12345).send().await?;   // retried past the 503s
    }
    let unavailable = fake.journal().iter().filter(|r| r.status == 503).count();
    assert!(unavailable > 0, "some requests were refused and retried");
    Ok(())
}
