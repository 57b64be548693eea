//! zendesk-validate against parsing alone (and against jsonschema-cli when
//! it is on PATH), on the three shapes payloads come in, all generated here:
//! a folder of 2,000 single-event fixtures, one export response of 40,000
//! events as a single document, and 100,000 events as JSON Lines. Each tool
//! runs as its own process on the same files, on this machine: once to warm
//! up (its binary and the files in the page cache), then five times; the
//! table gives the median wall time and the highest peak resident memory.
//!
//! `cargo bench -p zendesk-validate --bench throughput`
//!
//! Options: `--events N` (JSON Lines events, default 100000);
//! `--write-only PATH` writes the JSON Lines export to PATH and stops.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const FIXTURES: usize = 2_000;
const DOCUMENT_EVENTS: usize = 40_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    // The bench runs itself as the parse-only baseline process.
    if let Some(path) = option("--parse-only") {
        let kind = option("--kind").expect("--kind");
        parse_only(&kind, Path::new(&path));
        return;
    }
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

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("validate-throughput");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let lines_path = dir.join("events.ndjson");
    let lines_bytes = write_export(&lines_path, events.max(FIXTURES).max(DOCUMENT_EVENTS));
    let lines: Vec<String> = std::fs::read_to_string(&lines_path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let fixtures = dir.join("fixtures");
    std::fs::create_dir_all(&fixtures).unwrap();
    let mut fixture_bytes = 0;
    let mut fixture_paths = Vec::new();
    for (n, line) in lines.iter().take(FIXTURES).enumerate() {
        let path = fixtures.join(format!("SideConversationEvent.e{n:05}.json"));
        std::fs::write(&path, line).unwrap();
        fixture_bytes += line.len();
        fixture_paths.push(path);
    }
    let document = dir.join("export.json");
    let body = format!(
        "{{\"events\":[{}],\"next_page\":null,\"end_of_stream\":true,\"end_time\":1542000000}}",
        lines[..DOCUMENT_EVENTS].join(",")
    );
    std::fs::write(&document, &body).unwrap();
    let schema_file = dir.join("schemas.json");
    let jsonschema_cli = on_path("jsonschema-cli");
    let zendesk_validate = env!("CARGO_BIN_EXE_zendesk-validate");

    let mut table = Table::default();
    let shape = format!(
        "fixture folder ({FIXTURES} files, {:.1} MB)",
        fixture_bytes as f64 / 1e6
    );
    let parse = table.row(
        &shape,
        "serde_json parse-only",
        parse_command("folder", &fixtures),
    );
    let ours = table.row(&shape, "zendesk-validate", {
        let mut command = Command::new(zendesk_validate);
        command.arg(&fixtures);
        command
    });
    let theirs = jsonschema_cli.as_ref().map(|cli| {
        write_schema(&schema_file, "SideConversationEvent");
        let mut command = Command::new(cli);
        command
            .args(["validate", "--errors-only", "--assert-format"])
            .arg(&schema_file)
            .arg("-i")
            .args(&fixture_paths);
        table.row(&shape, "jsonschema-cli", command)
    });
    table.note(format!(
        "fixture folder: zendesk-validate takes {:.2}x parse-only's time{}",
        ours.seconds / parse.seconds,
        theirs.map_or(
            " (jsonschema-cli is not on PATH: skipped)".to_string(),
            |t| format!(
                ", {:.2}x jsonschema-cli's (target: at most 1.00x)",
                ours.seconds / t.seconds
            )
        )
    ));

    let shape = format!(
        "single document ({DOCUMENT_EVENTS} events, {:.1} MB)",
        body.len() as f64 / 1e6
    );
    let parse = table.row(
        &shape,
        "serde_json parse-only",
        parse_command("document", &document),
    );
    let ours = table.row(&shape, "zendesk-validate", {
        let mut command = Command::new(zendesk_validate);
        command
            .args(["--schema", "SideConversationEventExportResponse"])
            .arg(&document);
        command
    });
    if let Some(cli) = &jsonschema_cli {
        write_schema(&schema_file, "SideConversationEventExportResponse");
        let mut command = Command::new(cli);
        command
            .args(["validate", "--errors-only", "--assert-format"])
            .arg(&schema_file)
            .arg("-i")
            .arg(&document);
        table.row(&shape, "jsonschema-cli", command);
    }
    table.note(format!(
        "single document: zendesk-validate takes {:.2}x parse-only's time (target: at most 1.10x) and {:.2}x its peak memory",
        ours.seconds / parse.seconds,
        ours.peak_kb as f64 / parse.peak_kb.max(1) as f64
    ));

    let shape = format!(
        "JSON Lines ({} events, {:.1} MB)",
        lines.len(),
        lines_bytes as f64 / 1e6
    );
    let parse = table.row(
        &shape,
        "serde_json parse-only",
        parse_command("lines", &lines_path),
    );
    let ours = table.row(&shape, "zendesk-validate", {
        let mut command = Command::new(zendesk_validate);
        command
            .args(["--schema", "SideConversationEvent", "--ndjson"])
            .arg(&lines_path);
        command
    });
    table.note(format!(
        "JSON Lines: zendesk-validate on {} threads has {:.2}x the throughput of single-threaded parse-only (target: at least 1.60x){}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        parse.seconds / ours.seconds,
        if jsonschema_cli.is_some() { "; jsonschema-cli reads no JSON Lines" } else { "" }
    ));
    table.print();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One measured run.
#[derive(Clone, Copy)]
struct Run {
    seconds: f64,
    peak_kb: u64,
}

#[derive(Default)]
struct Table {
    rows: Vec<(String, String, Run)>,
    notes: Vec<String>,
}

impl Table {
    /// Runs `command` once to warm up, then five times, and keeps its row:
    /// the median time and the highest peak memory.
    fn row(&mut self, shape: &str, tool: &str, mut command: Command) -> Run {
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let mut runs = Vec::new();
        for _ in 0..6 {
            let started = Instant::now();
            let child = command.spawn().unwrap_or_else(|e| panic!("{tool}: {e}"));
            let (success, peak_kb) = wait_measuring(child);
            assert!(success, "{tool} on the {shape} failed");
            runs.push(Run {
                seconds: started.elapsed().as_secs_f64(),
                peak_kb,
            });
        }
        let mut times: Vec<f64> = runs[1..].iter().map(|r| r.seconds).collect();
        times.sort_by(f64::total_cmp);
        let run = Run {
            seconds: times[times.len() / 2],
            peak_kb: runs.iter().map(|r| r.peak_kb).max().unwrap_or(0),
        };
        self.rows.push((shape.to_string(), tool.to_string(), run));
        run
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    fn print(&self) {
        println!("| input | tool | wall time | peak RSS |");
        println!("| --- | --- | ---: | ---: |");
        for (shape, tool, run) in &self.rows {
            println!(
                "| {shape} | {tool} | {:.3} s | {:.1} MB |",
                run.seconds,
                run.peak_kb as f64 / 1024.0
            );
        }
        println!();
        for note in &self.notes {
            println!("- {note}");
        }
    }
}

/// The peak resident memory of a running process so far (`VmHWM`), in kB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Waits for `child`, reading its high-water mark until it exits.
fn wait_measuring(mut child: Child) -> (bool, u64) {
    let mut peak = 0;
    loop {
        if let Some(kb) = peak_rss_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status.success(), peak);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

/// The bundle as one schema file whose root is `name`.
fn write_schema(path: &Path, name: &str) {
    let mut schema = zendesk_validate::bundle().clone();
    schema["$ref"] = json!(format!("#/definitions/{name}"));
    std::fs::write(path, serde_json::to_vec(&schema).unwrap()).unwrap();
}

fn parse_command(kind: &str, path: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--parse-only"])
        .arg(path)
        .args(["--kind", kind]);
    command
}

/// The baseline: every payload read and parsed into a `serde_json::Value`
/// on one thread, as a validator must before it validates.
fn parse_only(kind: &str, path: &Path) {
    let parse = |bytes: &[u8]| {
        let value: Value = serde_json::from_slice(bytes).unwrap();
        std::hint::black_box(&value);
    };
    match kind {
        "document" => parse(&std::fs::read(path).unwrap()),
        "folder" => {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(path)
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .collect();
            paths.sort();
            for path in paths {
                parse(&std::fs::read(path).unwrap());
            }
        }
        "lines" => {
            let mut reader = BufReader::with_capacity(256 * 1024, File::open(path).unwrap());
            let mut line = Vec::new();
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line).unwrap() == 0 {
                    return;
                }
                parse(&line);
            }
        }
        other => panic!("no kind {other}"),
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
