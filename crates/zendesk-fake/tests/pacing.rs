//! The client's pacing against the fake's rate limits, on tokio's paused
//! clock (the fake runs in the same runtime, so its windows pass with the
//! test's clock): many tasks on one client, a 60-second window, three
//! windows measured after one of warm-up.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use zendesk_client::{Client, Credentials, Pacing};
use zendesk_fake::{Config, EndpointLimit, Faults, RateLimitFault};

const WINDOW: Duration = Duration::from_secs(60);
const LIMIT: u32 = 120;
const MEASURED_WINDOWS: u32 = 3;

struct Outcome {
    /// Successful calls answered in the measured windows.
    measured: u64,
    failed: u64,
    /// Requests the fake received after the warm-up window.
    sent: u64,
    /// 429s the fake answered after the warm-up window.
    too_many_after_warmup: u64,
}

async fn run(tasks: usize, faults: Faults, pacing: Pacing) -> Outcome {
    let started = Instant::now();
    let fake = zendesk_fake::start(Config {
        faults,
        journal_limit: 100_000,
        ..Config::default()
    })
    .await
    .unwrap();
    let client = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .pacing(pacing)
        .build()
        .unwrap();
    let warm = started + WINDOW;
    let end = warm + WINDOW * MEASURED_WINDOWS;
    let answered = Arc::new(Mutex::new(Vec::new()));
    let failed = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (client, answered, failed) = (client.clone(), answered.clone(), failed.clone());
            tokio::spawn(async move {
                while Instant::now() < end {
                    match client.show_attachment().attachment_id(498_483).send().await {
                        Ok(_) => answered.lock().unwrap().push(Instant::now()),
                        Err(_) => *failed.lock().unwrap() += 1,
                    }
                }
            })
        })
        .collect();
    // What the fake answered in the warm-up is not counted.
    tokio::time::sleep_until(warm).await;
    fake.clear_journal();
    for handle in handles {
        handle.await.unwrap();
    }
    let measured = answered
        .lock()
        .unwrap()
        .iter()
        .filter(|at| **at >= warm && **at < end)
        .count() as u64;
    let journal = fake.journal();
    let failed = *failed.lock().unwrap();
    Outcome {
        measured,
        failed,
        sent: journal.len() as u64 + fake.journal_dropped(),
        too_many_after_warmup: journal.iter().filter(|r| r.status == 429).count() as u64,
    }
}

fn account(foreign_share: f64, endpoint: Option<u32>) -> Faults {
    Faults {
        rate_limit: Some(RateLimitFault {
            requests: LIMIT,
            window: WINDOW,
        }),
        endpoint_limits: endpoint
            .map(|requests| EndpointLimit {
                operation: "ShowAttachment".into(),
                requests,
                window: WINDOW,
            })
            .into_iter()
            .collect(),
        foreign_share,
        ..Faults::default()
    }
}

fn check(tasks: usize, outcome: &Outcome, allowed_per_window: f64, max_429_per_1000: f64) {
    let rate = outcome.measured as f64 / (allowed_per_window * f64::from(MEASURED_WINDOWS));
    let per_1000 = outcome.too_many_after_warmup as f64 * 1000.0 / outcome.sent.max(1) as f64;
    assert_eq!(outcome.failed, 0, "{tasks} tasks: failed calls");
    assert!(
        per_1000 <= max_429_per_1000,
        "{tasks} tasks: {} 429s after warm-up of {} sent",
        outcome.too_many_after_warmup,
        outcome.sent
    );
    assert!(rate >= 0.95, "{tasks} tasks: {rate:.3} of the allowed rate");
}

#[tokio::test(start_paused = true)]
async fn any_number_of_tasks_stays_under_the_account_limit_at_its_rate() {
    for tasks in [1, 4, 16, 64, 256] {
        let outcome = run(tasks, account(0.0, None), Pacing::default()).await;
        check(tasks, &outcome, f64::from(LIMIT), 0.0);
    }
}

#[tokio::test(start_paused = true)]
async fn another_integration_s_share_costs_at_most_one_429_in_a_thousand() {
    for tasks in [1, 4, 16, 64, 256] {
        let outcome = run(tasks, account(0.2, None), Pacing::default()).await;
        check(tasks, &outcome, f64::from(LIMIT) * 0.8, 1.0);
    }
}

#[tokio::test(start_paused = true)]
async fn an_endpoint_limit_below_the_account_s_is_learned_in_the_warm_up() {
    for tasks in [1, 4, 16, 64, 256] {
        let outcome = run(tasks, account(0.0, Some(LIMIT / 2)), Pacing::default()).await;
        check(tasks, &outcome, f64::from(LIMIT / 2), 0.0);
    }
}

#[tokio::test(start_paused = true)]
async fn without_pacing_the_same_load_gets_429s() {
    let outcome = run(16, account(0.0, None), Pacing::off()).await;
    assert!(outcome.too_many_after_warmup > 0, "pacing off: the retries meet 429s");
}
