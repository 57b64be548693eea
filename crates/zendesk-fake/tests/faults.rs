//! Injected faults, and the client's retries surviving them: the tour
//! completes under a rate limit and 20% 503s, and exports every event it
//! made exactly once.

#[path = "../examples/tour/steps.rs"]
mod steps;

use std::time::Duration;

use zendesk_client::{Client, Credentials, Pacing, RetryPolicy};
use zendesk_fake::{Config, Faults, RateLimitFault};

fn faulty() -> Config {
    Config {
        validate_responses: true,
        faults: Faults {
            rate_limit: Some(RateLimitFault {
                requests: 12,
                window: Duration::from_secs(1),
            }),
            unavailable_share: 0.2,
            unavailable_retry_after: 0,
            latency: Duration::from_millis(2),
            random_seed: 7,
            ..Faults::default()
        },
        ..Config::default()
    }
}

fn client(base_url: &str, email: &str, token: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::api_token(email, token))
        .retry(retry)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faults_fire() {
    let fake = zendesk_fake::start(faulty()).await.unwrap();
    // No retries and no pacing: every fault reaches the caller (pacing would
    // wait out the rate limit instead of meeting its 429s).
    let bare = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .retry(RetryPolicy::none())
        .pacing(Pacing::off())
        .build()
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let status = match bare.show_attachment().attachment_id(498_483).send().await {
            Ok(response) => response.status().as_u16(),
            Err(error) => zendesk_client::Error::from(error)
                .status()
                .map_or(0, |s| s.as_u16()),
        };
        statuses.push(status);
    }
    let count = |s: u16| statuses.iter().filter(|&&x| x == s).count();
    assert!(
        count(200) > 0 && count(503) > 0 && count(429) > 0,
        "{statuses:?}"
    );
    let rate_limited = zendesk_client::Error::from(
        bare.show_attachment()
            .attachment_id(498_483)
            .send()
            .await
            .unwrap_err(),
    );
    assert!(rate_limited.is_rate_limited(), "{rate_limited}");
    assert_eq!(rate_limited.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(
        rate_limited.raw_body(),
        Some("Rate limit exceeded"),
        "Zendesk's plain-text 429"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tour_survives_a_rate_limit_and_a_fifth_of_requests_failing() {
    let fake = zendesk_fake::start(faulty()).await.unwrap();
    let retry = || RetryPolicy::default().with_max_attempts(10);
    let agent = client(fake.base_url(), "agent@example.com", "agent-token", retry());
    let admin = client(fake.base_url(), "admin@example.com", "admin-token", retry());
    let end_user = client(
        fake.base_url(),
        "customer@example.com",
        "customer-token",
        retry(),
    );
    let tour = steps::Tour::of_default_fake(&agent, &admin, &end_user);
    let mut lines = Vec::new();
    let outcome = steps::run(&tour, &mut |line| lines.push(line))
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", lines.join("\n")));
    assert_eq!(outcome.steps, 14, "{}", lines.join("\n"));
    assert_eq!(
        outcome.created_events.len(),
        5,
        "create, reply, update and two imported events"
    );
    for id in &outcome.created_events {
        let times = outcome.exported_events.iter().filter(|e| *e == id).count();
        assert_eq!(times, 1, "event {id} exported {times} times");
    }
}
