//! The fake under load, through the client, with the fake in its own process:
//! `ShowSideConversation` requests per second, and the incremental export of
//! 1,000,000 seeded events (events per second, and this client process's
//! peak memory).
//!
//! `cargo bench -p zendesk-fake --bench fake [-- --events N --calls N]`

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use futures_util::TryStreamExt;
use zendesk_client::{Client, Credentials, ExportCheckpoint};

fn option(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |n| n.parse().expect("a number"))
}

fn main() {
    let events = option("--events", 1_000_000);
    let calls = option("--calls", 10_000);
    let started = Instant::now();
    let mut fake = Command::new(env!("CARGO_BIN_EXE_zendesk-fake"))
        .args(["--port", "0", "--generated-events", &events.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the zendesk-fake binary starts");
    let mut output = BufReader::new(fake.stdout.take().unwrap());
    let mut first_line = String::new();
    output.read_line(&mut first_line).unwrap();
    // Keep reading what the fake prints, so it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
    let base_url = first_line.trim().rsplit(' ').next().unwrap().to_string();
    println!(
        "zendesk-fake with {events} seeded events ready in {:.1} s at {base_url}",
        started.elapsed().as_secs_f64()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = |email: &str, token: &str| {
            Client::builder().base_url(&base_url).credentials(Credentials::api_token(email, token)).build().unwrap()
        };
        let agent = client("agent@example.com", "agent-token");
        let admin = client("admin@example.com", "admin-token");

        let page = agent.list_side_conversations().ticket_id(12345).per_page(1).send().await.unwrap().into_inner();
        let id = page.side_conversations[0].id.clone().unwrap();
        let started = Instant::now();
        for _ in 0..calls {
            agent.show_side_conversation().ticket_id(12345).side_conversation_id(&id).send().await.unwrap();
        }
        let seconds = started.elapsed().as_secs_f64();
        println!("ShowSideConversation through the client: {calls} calls in {seconds:.2} s, {:.0} requests/s", calls as f64 / seconds);

        let started = Instant::now();
        let mut exported = 0u64;
        let mut pages = 0u64;
        let mut last_seen = BTreeSet::new();
        let mut stream = Box::pin(admin.export_events().checkpoint(ExportCheckpoint::from_start_time(0)).stream());
        while let Some(page) = stream.try_next().await.unwrap() {
            pages += 1;
            exported += page.events.len() as u64;
            last_seen = page.checkpoint.seen_event_ids;
        }
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(exported, events, "every seeded event exactly once");
        println!(
            "export: {exported} events in {pages} pages, {seconds:.1} s, {:.0} events/s (checkpoint holds {} ids)",
            exported as f64 / seconds,
            last_seen.len()
        );
    });
    println!(
        "peak RSS of this client process: {:.1} MB",
        peak_rss_kb() as f64 / 1024.0
    );
    let _ = fake.kill();
    let _ = fake.wait();
}

/// `VmHWM` of this process, in kB (Linux).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(String::from)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}
