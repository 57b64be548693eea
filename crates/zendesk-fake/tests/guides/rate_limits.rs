//! `docs/rate-limits.md`: pacing a client, and the fake enforcing limits.

use std::time::Duration;

use zendesk_client::{Client, Credentials, Pacing};
use zendesk_fake::{Config, EndpointLimit, Faults, RateLimitFault, ZendeskPlan};

#[rustfmt::skip]
#[tokio::test]
async fn a_paced_client_is_never_refused() -> super::Outcome {
    // ANCHOR: fake-limits
    let enterprise = Config { faults: Faults::zendesk_limits(ZendeskPlan::Enterprise), ..Config::default() };
    let tight = Config {
        faults: Faults {
            rate_limit: Some(RateLimitFault { requests: 5, window: Duration::from_secs(1) }),
            endpoint_limits: vec![EndpointLimit {
                operation: "ListSideConversations".into(),
                requests: 100,
                window: Duration::from_secs(60),
            }],
            foreign_share: 0.2,   // another integration of the account spends a fifth of each window
            ..Faults::default()
        },
        ..Config::default()
    };
    let fake = zendesk_fake::start(tight).await?;
    // ANCHOR_END: fake-limits
    drop(enterprise);
    // ANCHOR: pacing
    let client = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .pacing(Pacing::default().reserve(0.2).max_in_flight(8).burst(0.5))
        .build()?;
    // ANCHOR_END: pacing
    for _ in 0..12 {
        client.list_side_conversations().ticket_id(12345).send().await?;
    }
    let refused = fake.journal().iter().filter(|r| r.status == 429).count();
    assert_eq!(refused, 0, "pacing kept under 5 a second, less the foreign share");
    Ok(())
}

#[test]
fn pacing_off() -> super::Outcome {
    // ANCHOR: pacing-off
    let client = Client::builder()
        .base_url("http://127.0.0.1:8080")
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .pacing(Pacing::off()) // a test suite against a fake that does not enforce a limit
        .build()?;
    // ANCHOR_END: pacing-off
    drop(client);
    Ok(())
}
