//! `zendesk export-events` against the client's own export stream, over one
//! `zendesk-fake` process seeded with 1,000,000 events: events per second
//! for each (one run each, same fake, same machine), their ratio, and the
//! CLI's peak resident memory.
//!
//! ```sh
//! cargo build --release -p zendesk-fake     # the fake's binary, beside this bench's
//! cargo bench -p zendesk-cli --bench export [-- --events N --zendesk PATH]
//! ```

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use zendesk_client::{Client, Credentials, Pacing};

fn option(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |n| n.parse().expect("a number"))
}

fn text_option(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// The fake's binary, built in the same profile folder as `zendesk`.
fn fake_binary() -> PathBuf {
    let zendesk = PathBuf::from(env!("CARGO_BIN_EXE_zendesk"));
    let fake = zendesk.with_file_name("zendesk-fake");
    assert!(
        fake.exists(),
        "{} is missing: cargo build --release -p zendesk-fake",
        fake.display()
    );
    fake
}

/// The peak resident memory of a running process so far (`VmHWM`), in kB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Waits for `child`, reading its peak memory until it exits (the high-water
/// mark only grows, so the last reading is the peak, give or take the
/// process's last milliseconds).
fn wait_measuring(mut child: Child) -> (bool, u64) {
    let mut peak = 0;
    loop {
        if let Some(kb) = peak_rss_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status.success(), peak);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn count_lines(path: &Path) -> u64 {
    let file = std::fs::File::open(path).unwrap();
    BufReader::new(file).lines().count() as u64
}

fn main() {
    let events = option("--events", 1_000_000);
    // Another build of `zendesk` to compare (an older commit's), else this one.
    let zendesk = text_option("--zendesk").unwrap_or_else(|| env!("CARGO_BIN_EXE_zendesk").into());
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("export-bench");
    std::fs::create_dir_all(&dir).unwrap();

    let started = Instant::now();
    let mut fake = Command::new(fake_binary())
        .args(["--port", "0", "--generated-events", &events.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the zendesk-fake binary starts");
    let mut output = BufReader::new(fake.stdout.take().unwrap());
    let mut first_line = String::new();
    output.read_line(&mut first_line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
    let base_url = first_line.trim().rsplit(' ').next().unwrap().to_string();
    println!(
        "zendesk-fake with {events} events ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The library: the client's export stream, every event as a JSON line.
    let library_output = dir.join("library.jsonl");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    runtime.block_on(async {
        let client = Client::builder()
            .base_url(&base_url)
            .credentials(Credentials::oauth("admin-oauth"))
            // The export is measured, not pacing: the fake reports a limit
            // it does not enforce.
            .pacing(Pacing::off())
            .build()
            .unwrap();
        let mut file = std::io::BufWriter::new(std::fs::File::create(&library_output).unwrap());
        let mut stream = std::pin::pin!(client.export_events().start_time(0).stream());
        while let Some(page) = stream.try_next().await.unwrap() {
            for event in &page.events {
                serde_json::to_writer(&mut file, event).unwrap();
                file.write_all(b"\n").unwrap();
            }
        }
        file.flush().unwrap();
    });
    let library_seconds = started.elapsed().as_secs_f64();
    assert_eq!(count_lines(&library_output), events);

    let run_cli = |name: &str, checkpoint: bool| {
        let output = dir.join(format!("{name}.jsonl"));
        let checkpoint_file = dir.join(format!("{name}.checkpoint"));
        let _ = std::fs::remove_file(&checkpoint_file);
        let mut command = Command::new(&zendesk);
        command
            .args(["export-events", "--no-pacing", "--start-time", "0", "--output"])
            .arg(&output)
            .env("ZENDESK_BASE_URL", &base_url)
            .env("ZENDESK_OAUTH_TOKEN", "admin-oauth");
        if checkpoint {
            command.arg("--checkpoint").arg(&checkpoint_file);
        }
        let started = Instant::now();
        let (success, peak_kb) = wait_measuring(command.spawn().unwrap());
        let seconds = started.elapsed().as_secs_f64();
        assert!(success, "zendesk export-events failed");
        assert_eq!(count_lines(&output), events);
        (seconds, peak_kb)
    };
    let (cli_seconds, cli_peak_kb) = run_cli("cli", false);
    let (checkpoint_seconds, checkpoint_peak_kb) = run_cli("cli-checkpoint", true);
    let _ = fake.kill();
    let _ = fake.wait();

    let rate = |seconds: f64| events as f64 / seconds;
    println!(
        "library export stream:                 {:>9.0} events/s ({library_seconds:.2} s)",
        rate(library_seconds)
    );
    println!(
        "zendesk export-events:                 {:>9.0} events/s ({cli_seconds:.2} s), {:.2}x the library's time, peak RSS {:.1} MB",
        rate(cli_seconds),
        cli_seconds / library_seconds,
        cli_peak_kb as f64 / 1024.0
    );
    println!(
        "zendesk export-events --checkpoint:    {:>9.0} events/s ({checkpoint_seconds:.2} s), {:.2}x the library's time, peak RSS {:.1} MB",
        rate(checkpoint_seconds),
        checkpoint_seconds / library_seconds,
        checkpoint_peak_kb as f64 / 1024.0
    );
}
