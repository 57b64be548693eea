//! Rate limits as the service enforces them, over HTTP: the account's
//! headers on every response, a `Retry-After` that is the time left in the
//! window, endpoint limits the headers do not show, another integration's
//! share of the budget, and the binary's flags for them.

use crate::support;

use std::process::Command;
use std::time::Duration;

use support::agent_get;
use zendesk_fake::{Config, EndpointLimit, Faults, RateLimitFault, ZendeskPlan};

fn header(response: &reqwest::Response, name: &str) -> u64 {
    response.headers()[name].to_str().unwrap().parse().unwrap()
}

async fn show(fake: &zendesk_fake::FakeZendesk) -> reqwest::Response {
    agent_get(fake, "/api/v2/attachments/498483").await
}

async fn list(fake: &zendesk_fake::FakeZendesk) -> reqwest::Response {
    agent_get(fake, "/api/v2/tickets/12345/side_conversations").await
}

#[tokio::test]
async fn the_account_headers_count_down_and_a_429_waits_for_the_window() {
    let fake = zendesk_fake::start(Config {
        faults: Faults {
            rate_limit: Some(RateLimitFault {
                requests: 3,
                window: Duration::from_secs(30),
            }),
            ..Faults::default()
        },
        ..Config::default()
    })
    .await
    .unwrap();
    for expected in [2, 1, 0] {
        let response = show(&fake).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(header(&response, "x-rate-limit"), 3);
        assert_eq!(header(&response, "ratelimit-limit"), 3);
        assert_eq!(header(&response, "x-rate-limit-remaining"), expected);
        assert_eq!(header(&response, "ratelimit-remaining"), expected);
        let reset = header(&response, "ratelimit-reset");
        assert!((29..=30).contains(&reset), "{reset}");
    }
    let refused = show(&fake).await;
    assert_eq!(refused.status().as_u16(), 429);
    let retry_after = header(&refused, "retry-after");
    assert!((29..=30).contains(&retry_after), "the window's time left, not a constant: {retry_after}");
    assert_eq!(header(&refused, "x-rate-limit-remaining"), 0);
}

#[tokio::test]
async fn an_endpoint_limit_refuses_under_the_account_s_without_showing_in_its_headers() {
    let fake = zendesk_fake::start(Config {
        faults: Faults {
            rate_limit: Some(RateLimitFault {
                requests: 100,
                window: Duration::from_secs(60),
            }),
            endpoint_limits: vec![EndpointLimit {
                operation: "ShowAttachment".into(),
                requests: 2,
                window: Duration::from_secs(10),
            }],
            ..Faults::default()
        },
        ..Config::default()
    })
    .await
    .unwrap();
    assert_eq!(show(&fake).await.status().as_u16(), 200);
    assert_eq!(show(&fake).await.status().as_u16(), 200);
    let refused = show(&fake).await;
    assert_eq!(refused.status().as_u16(), 429);
    assert_eq!(header(&refused, "x-rate-limit-remaining"), 98, "the account's count");
    assert!((9..=10).contains(&header(&refused, "retry-after")));
    assert_eq!(list(&fake).await.status().as_u16(), 200, "other operations go on");

    let unknown = zendesk_fake::start(Config {
        faults: Faults {
            endpoint_limits: vec![EndpointLimit {
                operation: "ShowAttachments".into(),
                requests: 1,
                window: Duration::from_secs(1),
            }],
            ..Faults::default()
        },
        ..Config::default()
    })
    .await;
    assert!(unknown.unwrap_err().to_string().contains("ShowAttachments"));
}

#[tokio::test]
async fn another_integration_s_share_leaves_less_for_this_one() {
    let fake = zendesk_fake::start(Config {
        faults: Faults {
            rate_limit: Some(RateLimitFault {
                requests: 1000,
                window: Duration::from_secs(2),
            }),
            foreign_share: 0.5,
            ..Faults::default()
        },
        ..Config::default()
    })
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let remaining = header(&show(&fake).await, "x-rate-limit-remaining");
    // Half the budget over the window: about 250 gone by half-way.
    assert!((650..=770).contains(&remaining), "{remaining}");
}

#[test]
fn the_plans_are_zendesk_s_documented_limits() {
    let team = Faults::zendesk_limits(ZendeskPlan::Team);
    assert_eq!(team.rate_limit.unwrap().requests, 200);
    assert_eq!(team.rate_limit.unwrap().window, Duration::from_secs(60));
    assert_eq!(team.endpoint_limits[0].operation, "IncrementalSideConversationEventExport");
    assert_eq!(team.endpoint_limits[0].requests, 10);
    assert_eq!(ZendeskPlan::Enterprise.requests_per_minute(), 700);
}

#[test]
fn the_binary_refuses_a_bad_limit_with_its_reason() {
    let fake = || Command::new(env!("CARGO_BIN_EXE_zendesk-fake"));
    for (args, expected) in [
        (vec!["--endpoint-limit", "ShowAttachment=ten/60"], "is not OPERATION=REQUESTS/SECONDS"),
        (vec!["--endpoint-limit", "ShowAttachments=10/60"], "no operation"),
        (vec!["--endpoint-limit", "ShowAttachment=10/0"], "from 1 to 86400 seconds"),
        (vec!["--zendesk-limits", "platinum"], "is not a plan"),
        (vec!["--foreign-share", "1.5"], "--foreign-share must be from 0.0 to below 1.0"),
        (vec!["--rate-limit-window", "0"], "rate-limit-window"),
    ] {
        let output = fake().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
