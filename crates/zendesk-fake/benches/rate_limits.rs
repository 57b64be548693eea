//! The client's pacing in real time against the fake's binary with a short
//! window: for 1, 16 and 64 tasks on one client, pacing on and off in the
//! same run, one fresh fake each, one warm-up window then the measured ones.
//! Prints the share of the allowed rate sustained, 429s per 1,000 requests
//! the fake received, failed calls, the p50 and p99 time of a call, and
//! fairness (the slowest task's calls over the fastest's).
//!
//! `cargo bench -p zendesk-fake --bench rate_limits [-- --limit 100 --window 2 --windows 3 --burst 0.5 --tasks 1,16,64]`
//! (`--burst`: `Pacing::burst`, its default when not given).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zendesk_client::{Client, Credentials, Pacing, RetryPolicy};

fn option(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |n| n.parse().expect("a number"))
}

struct Row {
    tasks: usize,
    pacing: bool,
    share_of_allowed: f64,
    too_many_per_1000: f64,
    failed: u64,
    p50: Duration,
    p99: Duration,
    fairness: f64,
}

fn main() {
    let limit = option("--limit", 100);
    let window = option("--window", 2);
    let windows = option("--windows", 3);
    let args: Vec<String> = std::env::args().collect();
    let text = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let pacing = match text("--burst") {
        Some(share) => Pacing::default().burst(share.parse().expect("a share")),
        None => Pacing::default(),
    };
    let tasks: Vec<usize> = text("--tasks")
        .unwrap_or_else(|| "1,16,64".into())
        .split(',')
        .map(|n| n.trim().parse().expect("a number of tasks"))
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("zendesk-fake --rate-limit {limit} --rate-limit-window {window}: one warm-up window, {windows} measured; pacing bursts {} of a window", pacing.burst_share());
    let mut rows = Vec::new();
    for tasks in tasks {
        for paced in [true, false] {
            let pacing = if paced { pacing } else { Pacing::off() };
            rows.push(runtime.block_on(scenario(tasks, pacing, limit, window, windows)));
        }
    }
    println!("\n| tasks | pacing | share of the allowed rate | 429s per 1,000 sent | failed calls | p50 call | p99 call | fairness |");
    println!("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in &rows {
        println!(
            "| {} | {} | {:.3} | {:.1} | {} | {:.0} ms | {:.0} ms | {:.2} |",
            row.tasks,
            if row.pacing { "on" } else { "off" },
            row.share_of_allowed,
            row.too_many_per_1000,
            row.failed,
            row.p50.as_secs_f64() * 1000.0,
            row.p99.as_secs_f64() * 1000.0,
            row.fairness
        );
    }
    let paced: Vec<&Row> = rows.iter().filter(|r| r.pacing).collect();
    let met = paced.iter().all(|r| {
        r.share_of_allowed >= 0.95 && r.too_many_per_1000 <= 1.0 && r.failed == 0 && r.fairness >= 0.8
    });
    println!(
        "targets with pacing (>= 0.95 of the allowed rate, <= 1 429 per 1,000, 0 failed, fairness >= 0.8): {}",
        if met { "met" } else { "NOT met" }
    );
}

async fn scenario(tasks: usize, pacing: Pacing, limit: u64, window: u64, windows: u64) -> Row {
    let mut fake = Command::new(env!("CARGO_BIN_EXE_zendesk-fake"))
        .args(["--port", "0", "--journal-limit", "1000000"])
        .args(["--rate-limit", &limit.to_string(), "--rate-limit-window", &window.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the zendesk-fake binary starts");
    let mut output = BufReader::new(fake.stdout.take().unwrap());
    let mut first_line = String::new();
    output.read_line(&mut first_line).unwrap();
    let started = Instant::now();
    std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
    let base_url = first_line.trim().rsplit(' ').next().unwrap().to_string();
    let client = Client::builder()
        .base_url(&base_url)
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .pacing(pacing)
        // A window's wait fits the retries either way.
        .retry(RetryPolicy::default().with_max_attempts(8))
        .build()
        .unwrap();
    let window_length = Duration::from_secs(window);
    let warm = started + window_length;
    let end = warm + window_length * windows as u32;
    let calls = Arc::new(Mutex::new(Vec::new()));
    let failed = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let (client, calls, failed) = (client.clone(), calls.clone(), failed.clone());
            tokio::spawn(async move {
                while Instant::now() < end {
                    let sent = Instant::now();
                    match client.show_attachment().attachment_id(498_483).send().await {
                        Ok(_) => calls.lock().unwrap().push((task, sent, Instant::now())),
                        Err(_) => *failed.lock().unwrap() += 1,
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep_until(warm.into()).await;
    let http = reqwest::Client::new();
    let journal = |method: reqwest::Method| http.request(method, format!("{base_url}/__fake/journal")).send();
    journal(reqwest::Method::DELETE).await.unwrap();
    for handle in handles {
        handle.await.unwrap();
    }
    let received: serde_json::Value = journal(reqwest::Method::GET).await.unwrap().json().await.unwrap();
    let _ = fake.kill();
    let _ = fake.wait();

    let requests = received["requests"].as_array().unwrap();
    let too_many = requests.iter().filter(|r| r["status"] == 429).count();
    let calls = calls.lock().unwrap();
    let measured: Vec<_> = calls.iter().filter(|(_, _, done)| *done >= warm && *done < end).collect();
    let mut durations: Vec<Duration> = measured.iter().map(|(_, sent, done)| *done - *sent).collect();
    durations.sort();
    let percentile = |p: f64| {
        durations
            .get(((durations.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let mut per_task = vec![0u64; tasks];
    for (task, _, _) in &measured {
        per_task[*task] += 1;
    }
    let (slowest, fastest) = (
        *per_task.iter().min().unwrap_or(&0),
        *per_task.iter().max().unwrap_or(&0),
    );
    let failed = *failed.lock().unwrap();
    Row {
        tasks,
        pacing: pacing != Pacing::off(),
        share_of_allowed: measured.len() as f64 / (limit * windows) as f64,
        too_many_per_1000: too_many as f64 * 1000.0 / requests.len().max(1) as f64,
        failed,
        p50: percentile(0.5),
        p99: percentile(0.99),
        fairness: if fastest == 0 { 0.0 } else { slowest as f64 / fastest as f64 },
    }
}
