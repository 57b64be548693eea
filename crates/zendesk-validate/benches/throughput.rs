//! Validation throughput against parsing alone, on one generated export.
//!
//! `cargo bench -p zendesk-validate --bench throughput` writes a JSON Lines
//! export of side conversation events (shaped like the documented examples,
//! with every participant type and 0-3 attachments), then, in one run on the
//! same file: parses every line with serde_json (the baseline), and checks
//! every line with zendesk-validate (parse + validate). It prints events/s,
//! MB/s and the ratio.
//!
//! Options: `--events N` (default 100000); `--write-only PATH` writes the
//! export to PATH and stops (to measure the command's memory on a big file).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let events: usize =
        option("--events").map_or(100_000, |n| n.parse().expect("--events takes a number"));
    if let Some(path) = option("--write-only") {
        let bytes = write_export(Path::new(&path), events);
        println!(
            "wrote {events} events, {:.1} MB, to {path}",
            bytes as f64 / 1e6
        );
        return;
    }
    let path = std::env::temp_dir().join(format!(
        "zendesk-validate-bench-{}.ndjson",
        std::process::id()
    ));
    let bytes = write_export(&path, events);
    let megabytes = bytes as f64 / 1e6;
    println!(
        "export: {events} events, {megabytes:.1} MB ({} bytes per event)",
        bytes / events as u64
    );

    let started = Instant::now();
    let parsed = parse_only(&path);
    let parse_seconds = started.elapsed().as_secs_f64();

    let validator = zendesk_validate::schema("SideConversationEvent").unwrap();
    let started = Instant::now();
    let mut valid = 0;
    let mut invalid = 0;
    let reader = BufReader::with_capacity(256 * 1024, File::open(&path).unwrap());
    zendesk_validate::check_lines(
        reader,
        validator,
        zendesk_validate::DEFAULT_MAX_PAYLOAD_BYTES,
        |checked| match checked.verdict {
            zendesk_validate::Verdict::Valid => valid += 1,
            _ => invalid += 1,
        },
    )
    .unwrap();
    let validate_seconds = started.elapsed().as_secs_f64();
    std::fs::remove_file(&path).unwrap();

    assert_eq!(parsed, events);
    assert_eq!(
        (valid, invalid),
        (events, 0),
        "every generated event is valid"
    );
    let report = |what: &str, seconds: f64| {
        println!(
            "{what:<28} {seconds:>7.3} s  {:>10.0} events/s  {:>7.1} MB/s",
            events as f64 / seconds,
            megabytes / seconds
        );
    };
    report("serde_json parse only", parse_seconds);
    report("zendesk-validate", validate_seconds);
    println!(
        "validation throughput / parse-only throughput: {:.2}x",
        parse_seconds / validate_seconds
    );
}

/// Parses every line into a `serde_json::Value`, as the validator does first.
fn parse_only(path: &PathBuf) -> usize {
    let mut reader = BufReader::with_capacity(256 * 1024, File::open(path).unwrap());
    let mut line = Vec::new();
    let mut count = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).unwrap() == 0 {
            return count;
        }
        let value: Value = serde_json::from_slice(&line).unwrap();
        std::hint::black_box(&value);
        count += 1;
    }
}

fn write_export(path: &Path, events: usize) -> u64 {
    let mut out = BufWriter::new(File::create(path).unwrap());
    let mut random = XorShift(0x2545_F491_4F6C_DD1D);
    let mut bytes = 0;
    for n in 0..events {
        let line = serde_json::to_string(&event(n, &mut random)).unwrap();
        out.write_all(line.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
        bytes += line.len() as u64 + 1;
    }
    out.flush().unwrap();
    bytes
}

/// A deterministic generator (xorshift64), so every run checks the same file.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn participant(random: &mut XorShift) -> Value {
    match random.below(6) {
        0 | 1 => {
            json!({"email": format!("agent{}@example.com", random.below(500)), "name": "Johnny Agent", "user_id": 10_000_000_000u64 + random.below(1 << 20)})
        }
        2 => {
            json!({"email": format!("vendor{}@example.org", random.below(500)), "name": null, "user_id": null})
        }
        3 => {
            json!({"slack_workspace_id": "T123ABC", "slack_channel_id": format!("C{}", random.below(9_999)), "name": null})
        }
        4 => {
            json!({"support_group_id": random.below(90_000) + 1, "support_agent_id": random.below(1 << 30)})
        }
        _ => {
            json!({"msteams_channel_id": "19:xu2NZbPlloNMrbo_Z-6ksGSJ6LYauiQEP1xuBjJUXMU1@thread.tacv2"})
        }
    }
}

fn event(n: usize, random: &mut XorShift) -> Value {
    let created_at = format!(
        "2018-11-{:02}T{:02}:{:02}:36.453+00:00",
        1 + n % 28,
        n % 24,
        n % 60
    );
    let id = format!("{:08x}-ece5-11e8-857d-{:012x}", random.next() as u32, n);
    let side_conversation_id = format!("8566255a-ece5-11e8-857d-{:012x}", n / 4);
    let kind = ["create", "reply", "reply", "update"][n % 4];
    let mut event = json!({
        "id": id,
        "side_conversation_id": side_conversation_id,
        "ticket_id": 12_345 + (n / 16) as u64,
        "type": kind,
        "actor": participant(random),
        "created_at": created_at,
        "via": if n.is_multiple_of(3) { "api" } else { "support" },
        "url": format!("https://example.zendesk.com/api/v2/tickets/{}/side_conversations/{side_conversation_id}/events/{id}", 12_345 + n / 16),
    });
    if kind == "update" {
        event["updates"] = json!({"state": if n % 8 == 3 { "closed" } else { "open" }});
        return event;
    }
    let attachments: Vec<Value> = (0..random.below(4))
        .map(|i| {
            json!({
                "id": format!("s3-d2a3111e-26d9-4e1c-88b4-{:012x}", n * 4 + i as usize),
                "file_name": format!("image-{i}.png"),
                "content_type": "image/png",
                "content_url": format!("https://example.zendesk.com/attachments/token/{n}/?name=image-{i}.png"),
                "size": 50_645 + random.below(100_000),
                "width": 406, "height": 214, "inline": i == 0,
            })
        })
        .collect();
    let to: Vec<Value> = (0..1 + random.below(3))
        .map(|_| participant(random))
        .collect();
    event["message"] = json!({
        "subject": "Help, my printer is on fire!",
        "preview_text": "I was trying to print an email when the printer suddenly",
        "body": "I was trying to print an email when the printer suddenly started burning. The smoke is very colorful.",
        "html_body": "<div class=\"zd-comment\"><p>I was trying to print an email when the printer suddenly started <strong>burning</strong>.</p></div>",
        "from": participant(random),
        "to": to,
        "external_ids": {"message-external": format!("xyz-{n}")},
        "attachments": attachments,
        "via": "support",
    });
    event
}
