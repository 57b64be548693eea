//! The whole client (generated method, hooks, retries on, deserialization
//! into models) against raw reqwest + `serde_json::Value`, for the same
//! `ShowSideConversation` calls to the same local server, in one run.
//!
//! `cargo bench -p zendesk-client --bench overhead [-- --calls N]`

use std::time::{Duration, Instant};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zendesk_client::{Client, Credentials};

const PATH: &str = "/api/v2/tickets/12345/side_conversations/8566255a-ece5-11e8-857d-493066fa7b17";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let calls: u32 = args
        .iter()
        .position(|a| a == "--calls")
        .and_then(|i| args.get(i + 1))
        .map_or(10_000, |n| n.parse().expect("--calls takes a number"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(calls));
}

async fn run(calls: u32) {
    let body = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/examples/ShowSideConversation.200.json"
    ))
    .unwrap();
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let url = format!("{}{PATH}", server.uri());

    // Built first: it installs the TLS provider both HTTP clients use.
    let client = Client::builder()
        .base_url(&server.uri())
        .credentials(Credentials::api_token("agent@acme.test", "token"))
        .build()
        .unwrap();
    let raw = reqwest::Client::builder().build().unwrap();

    let raw_call = || async {
        let bytes = raw.get(&url).send().await.unwrap().bytes().await.unwrap();
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert!(value["side_conversation"]["id"].is_string());
    };
    let client_call = || async {
        let shown = client
            .show_side_conversation()
            .ticket_id(12345)
            .side_conversation_id("8566255a-ece5-11e8-857d-493066fa7b17")
            .send()
            .await
            .unwrap();
        assert!(shown.into_inner().side_conversation.id.is_some());
    };
    for _ in 0..200 {
        raw_call().await;
        client_call().await;
    }
    let mut raw_time = Duration::ZERO;
    let mut client_time = Duration::ZERO;
    // Alternating rounds, so neither side gets the machine's quieter moments.
    for _ in 0..10 {
        let started = Instant::now();
        for _ in 0..calls / 10 {
            raw_call().await;
        }
        raw_time += started.elapsed();
        let started = Instant::now();
        for _ in 0..calls / 10 {
            client_call().await;
        }
        client_time += started.elapsed();
    }
    let report = |what: &str, time: Duration| {
        println!(
            "{what:<36} {:>7.3} s  {:>7.1} µs/call  {:>8.0} calls/s",
            time.as_secs_f64(),
            time.as_secs_f64() * 1e6 / f64::from(calls),
            f64::from(calls) / time.as_secs_f64()
        );
    };
    println!("{calls} ShowSideConversation calls on loopback");
    report("raw reqwest + serde_json::Value", raw_time);
    report("zendesk-client", client_time);
    println!(
        "client / raw time: {:.3}x",
        client_time.as_secs_f64() / raw_time.as_secs_f64()
    );
}
