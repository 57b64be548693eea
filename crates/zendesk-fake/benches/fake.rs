//! The fake under load, with the fake in its own process:
//!
//! 1. HTTP throughput of `ListSideConversations` and `ShowSideConversation`
//!    against a floor: a minimal axum server (this bench's own binary, run
//!    with `--serve-minimal`) answering the fake's very response (status,
//!    headers, body) to every request, on the same runtime and allocator.
//!    Each server is loaded the same way for the same time, in alternating
//!    rounds; the fake's requests per second are reported as a ratio to the
//!    floor's.
//!    The load comes from `wrk` when it is on `PATH` (as `wrk -t2 -c16`),
//!    else from a client loop in this process.
//! 2. The fake's resident memory after a warm-up load and after a long one
//!    (the journal at its default limit must keep it flat).
//! 3. `ShowSideConversation` through the client, one call at a time, and the
//!    incremental export of 1,000,000 seeded events (events per second, and
//!    this client process's peak memory).
//!
//! `cargo bench -p zendesk-fake --bench fake [-- --seconds 12 --rounds 3 --warmup 5
//! --soak 60 --connections 16 --events N --calls N --fake PATH]`

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use zendesk_client::{Client, Credentials, ExportCheckpoint, Pacing};

// The fake's binary uses mimalloc; the floor must too, or the ratio would
// measure allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AGENT_AUTHORIZATION: &str = "Basic YWdlbnRAZXhhbXBsZS5jb20vdG9rZW46YWdlbnQtdG9rZW4=";

fn args() -> Vec<String> {
    std::env::args().collect()
}

fn option(name: &str, default: u64) -> u64 {
    let args = args();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |n| n.parse().expect("a number"))
}

fn text_option(name: &str) -> Option<String> {
    let args = args();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() {
    if let Some(response_file) = text_option("--serve-minimal") {
        serve_minimal(PathBuf::from(response_file));
        return;
    }
    let seconds = option("--seconds", 12);
    let rounds = option("--rounds", 3).clamp(1, seconds.max(1));
    let warmup = option("--warmup", 5);
    let soak = option("--soak", 60);
    let connections = option("--connections", 16);
    let events = option("--events", 1_000_000);
    let calls = option("--calls", 10_000);
    let fake_binary = text_option("--fake").unwrap_or(env!("CARGO_BIN_EXE_zendesk-fake").into());
    let loader = Loader::find(connections);
    println!("load: {}", loader.describe());

    // 1. Throughput against the floor.
    let (mut fake, base_url) = start(Command::new(&fake_binary).args(["--port", "0"]));
    let runtime = runtime();
    let show_path = runtime.block_on(create_side_conversation(&base_url));
    let endpoints = [
        ("ListSideConversations", "/api/v2/tickets/12345/side_conversations".to_string()),
        ("ShowSideConversation", show_path),
    ];
    let mut rows = Vec::new();
    for (operation, path) in &endpoints {
        let response = runtime.block_on(fetch(&format!("{base_url}{path}")));
        let response_file = std::env::temp_dir().join(format!("zendesk-fake-bench-{}-{operation}.json", std::process::id()));
        std::fs::write(&response_file, serde_json::to_vec(&response).unwrap()).unwrap();
        let (mut floor, floor_url) = start(
            Command::new(std::env::current_exe().unwrap()).arg("--serve-minimal").arg(&response_file),
        );
        // Alternating rounds, so that a machine that speeds up or slows down
        // during the run weighs on both servers alike.
        let (mut fake_rate, mut floor_rate) = (Rate::default(), Rate::default());
        for _ in 0..rounds {
            fake_rate.add(loader.run(&runtime, &format!("{base_url}{path}"), seconds / rounds));
            floor_rate.add(loader.run(&runtime, &format!("{floor_url}{path}"), seconds / rounds));
        }
        stop(&mut floor);
        let _ = std::fs::remove_file(&response_file);
        rows.push((operation, response.body.len(), fake_rate, floor_rate));
    }
    println!("\n| operation | response bytes | zendesk-fake req/s | minimal axum req/s | ratio |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (operation, bytes, fake_rate, floor_rate) in &rows {
        println!(
            "| {operation} | {bytes} | {:.0} | {:.0} | {:.2}x |",
            fake_rate.per_second, floor_rate.per_second, fake_rate.per_second / floor_rate.per_second
        );
        for rate in [fake_rate, floor_rate] {
            assert_eq!(rate.failed, 0, "every loaded request answered 2xx");
        }
    }
    let worst = rows.iter().map(|r| r.2.per_second / r.3.per_second).fold(f64::INFINITY, f64::min);
    println!("target: at least 0.80x the floor on both: {}", if worst >= 0.8 { "met" } else { "NOT met" });

    // 2. Memory after a warm-up, then after a long load.
    let list_url = format!("{base_url}{}", endpoints[0].1);
    loader.run(&runtime, &list_url, warmup);
    let after_warmup = rss_kb(fake.id());
    let soaked = loader.run(&runtime, &list_url, soak);
    let after_soak = rss_kb(fake.id());
    let grown_mib = (after_soak as f64 - after_warmup as f64) / 1024.0;
    println!(
        "\nresident memory of the fake: {:.1} MiB after a {warmup} s warm-up, {:.1} MiB after {soak} s more ({} requests at {:.0}/s): {grown_mib:+.1} MiB; target: within 64 MiB: {}",
        after_warmup as f64 / 1024.0,
        after_soak as f64 / 1024.0,
        soaked.requests,
        soaked.per_second,
        if grown_mib <= 64.0 { "met" } else { "NOT met" }
    );
    stop(&mut fake);

    // 3. Through the client, and the export.
    client_calls_and_export(&fake_binary, &runtime, events, calls);
    println!("peak RSS of this client process: {:.1} MB", peak_rss_kb() as f64 / 1024.0);
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Starts a server that prints its base URL last on its first line.
fn start(command: &mut Command) -> (Child, String) {
    let mut child = command.stdout(Stdio::piped()).spawn().expect("the server starts");
    let mut output = BufReader::new(child.stdout.take().unwrap());
    let mut first_line = String::new();
    output.read_line(&mut first_line).unwrap();
    // Keep reading what it prints, so it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
    let base_url = first_line.trim().rsplit(' ').next().unwrap().to_string();
    (child, base_url)
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn agent(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        // The client and the fake are measured, not pacing: the fake
        // reports a 700-a-minute limit that it does not enforce.
        .pacing(Pacing::off())
        .build()
        .unwrap()
}

/// A side conversation on ticket 12345; the path that shows it.
async fn create_side_conversation(base_url: &str) -> String {
    use zendesk_models::{EmailParticipant, MessageRequest};
    let message = MessageRequest::email(EmailParticipant::address("vendor@example.com"))
        .subject("Load")
        .body("A side conversation to show under load.");
    let created = agent(base_url)
        .create_side_conversation()
        .ticket_id(12345)
        .body(message)
        .send()
        .await
        .unwrap()
        .into_inner();
    let id = created.side_conversation.id.unwrap();
    format!("/api/v2/tickets/12345/side_conversations/{id}")
}

/// A response as the minimal server replays it.
#[derive(serde::Serialize, serde::Deserialize)]
struct CannedResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

async fn fetch(url: &str) -> CannedResponse {
    let _ = zendesk_client::ClientSettings::new();
    let response = reqwest::Client::new()
        .get(url)
        .header("authorization", AGENT_AUTHORIZATION)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_eq!(status, 200, "{url}");
    // `content-length` and `date` are the server's own to set.
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| !["content-length", "date"].contains(&name.as_str()))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
        .collect();
    CannedResponse {
        status,
        headers,
        body: response.text().await.unwrap(),
    }
}

/// The floor: axum answering one prebuilt response to every request.
fn serve_minimal(response_file: PathBuf) {
    let canned: CannedResponse = serde_json::from_slice(&std::fs::read(response_file).unwrap()).unwrap();
    let status = axum::http::StatusCode::from_u16(canned.status).unwrap();
    let mut headers = axum::http::HeaderMap::new();
    for (name, value) in &canned.headers {
        headers.insert(
            axum::http::HeaderName::try_from(name.as_str()).unwrap(),
            axum::http::HeaderValue::try_from(value.as_str()).unwrap(),
        );
    }
    let body = axum::body::Bytes::from(canned.body);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async move {
        let router = axum::Router::new().fallback(move || {
            let (headers, body) = (headers.clone(), body.clone());
            async move { (status, headers, body) }
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        println!("minimal axum serving http://{}", listener.local_addr().unwrap());
        axum::serve(listener, router).await.unwrap();
    });
}

/// What a load run measured.
#[derive(Default)]
struct Rate {
    requests: u64,
    failed: u64,
    per_second: f64,
    seconds: f64,
}

impl Rate {
    /// Adds another run: requests over the time of both.
    fn add(&mut self, other: Rate) {
        self.requests += other.requests;
        self.failed += other.failed;
        self.seconds += other.seconds;
        self.per_second = self.requests as f64 / self.seconds;
    }
}

/// Where the load comes from.
enum Loader {
    Wrk { connections: u64 },
    Client { connections: u64 },
}

impl Loader {
    fn find(connections: u64) -> Loader {
        let wrk = Command::new("wrk").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
        match wrk {
            Ok(_) => Loader::Wrk { connections },
            Err(_) => Loader::Client { connections },
        }
    }

    fn describe(&self) -> String {
        match self {
            Loader::Wrk { connections } => format!("wrk -t2 -c{connections}"),
            Loader::Client { connections } => {
                format!("{connections} reqwest tasks in this process (wrk is not on PATH)")
            }
        }
    }

    fn run(&self, runtime: &tokio::runtime::Runtime, url: &str, seconds: u64) -> Rate {
        match *self {
            Loader::Wrk { connections } => wrk(url, connections, seconds),
            Loader::Client { connections } => runtime.block_on(client_load(url, connections, seconds)),
        }
    }
}

fn wrk(url: &str, connections: u64, seconds: u64) -> Rate {
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s")])
        .args(["-H", &format!("Authorization: {AGENT_AUTHORIZATION}")])
        .arg(url)
        .output()
        .expect("wrk runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let number_after = |label: &str| -> Option<f64> {
        let line = text.lines().find(|l| l.trim_start().starts_with(label))?;
        line.trim_start()[label.len()..].split_whitespace().next()?.parse().ok()
    };
    let requests = text
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("wrk printed no request count:\n{text}"));
    Rate {
        requests,
        failed: number_after("Non-2xx or 3xx responses:").unwrap_or(0.0) as u64 + socket_errors(&text),
        per_second: number_after("Requests/sec:").expect("wrk's Requests/sec"),
        seconds: seconds as f64,
    }
}

/// wrk's `Socket errors: connect 0, read 0, write 0, timeout 0`, summed.
fn socket_errors(text: &str) -> u64 {
    text.lines()
        .find(|l| l.trim_start().starts_with("Socket errors:"))
        .map_or(0, |line| {
            line.split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse::<u64>().ok())
                .sum()
        })
}

async fn client_load(url: &str, connections: u64, seconds: u64) -> Rate {
    let _ = zendesk_client::ClientSettings::new();
    let http = reqwest::Client::new();
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (http, url, stop, requests, failed) =
                (http.clone(), url.to_string(), stop.clone(), requests.clone(), failed.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let ok = match http.get(&url).header("authorization", AGENT_AUTHORIZATION).send().await {
                        Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    requests.fetch_add(1, Ordering::Relaxed);
                    if !ok {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    let requests = requests.load(Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    Rate {
        requests,
        failed: failed.load(Ordering::Relaxed),
        per_second: requests as f64 / elapsed,
        seconds: elapsed,
    }
}

fn client_calls_and_export(fake_binary: &str, runtime: &tokio::runtime::Runtime, events: u64, calls: u64) {
    let started = Instant::now();
    let (mut fake, base_url) =
        start(Command::new(fake_binary).args(["--port", "0", "--generated-events", &events.to_string()]));
    println!(
        "\nzendesk-fake with {events} seeded events ready in {:.1} s at {base_url}",
        started.elapsed().as_secs_f64()
    );
    runtime.block_on(async {
        let agent = agent(&base_url);
        let admin = Client::builder()
            .base_url(&base_url)
            .credentials(Credentials::api_token("admin@example.com", "admin-token"))
            .pacing(Pacing::off())
            .build()
            .unwrap();
        let page = agent.list_side_conversations().ticket_id(12345).per_page(1).send().await.unwrap().into_inner();
        let id = page.side_conversations[0].id.clone().unwrap();
        let started = Instant::now();
        for _ in 0..calls {
            agent.show_side_conversation().ticket_id(12345).side_conversation_id(&id).send().await.unwrap();
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "ShowSideConversation through the client, one at a time: {calls} calls in {seconds:.2} s, {:.0} requests/s",
            calls as f64 / seconds
        );

        let started = Instant::now();
        let mut exported = 0u64;
        let mut pages = 0u64;
        let mut last_seen = Default::default();
        let mut stream = Box::pin(admin.export_events().checkpoint(ExportCheckpoint::from_start_time(0)).stream());
        while let Some(page) = stream.try_next().await.unwrap() {
            pages += 1;
            exported += page.events.len() as u64;
            last_seen = page.checkpoint.seen_event_ids;
        }
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(exported, events, "every seeded event exactly once");
        let last_seen: std::collections::BTreeSet<String> = last_seen;
        println!(
            "export: {exported} events in {pages} pages, {seconds:.1} s, {:.0} events/s (checkpoint holds {} ids)",
            exported as f64 / seconds,
            last_seen.len()
        );
    });
    stop(&mut fake);
}

/// `VmRSS` of a process, in kB (Linux).
fn rss_kb(pid: u32) -> u64 {
    status_kb(&format!("/proc/{pid}/status"), "VmRSS:")
}

/// `VmHWM` of this process, in kB (Linux).
fn peak_rss_kb() -> u64 {
    status_kb("/proc/self/status", "VmHWM:")
}

fn status_kb(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(String::from))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}
