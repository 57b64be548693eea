//! `zendesk export-events` interrupted (killed, or failing under 429s and
//! 503s past its retry budget) and resumed from its checkpoint: the output
//! holds every event exactly once, as one uninterrupted run writes it.

use crate::support;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{fake, temporary_dir, Zendesk};
use zendesk_fake::{Config, Faults, ScriptedResponse, Seed};

const EVENTS: u64 = 3000;
const EXPORT: &str = "IncrementalSideConversationEventExport";

async fn exporting_fake() -> zendesk_fake::FakeZendesk {
    fake(Config {
        seed: Seed {
            generated_events: EVENTS,
            ..Seed::default()
        },
        export_page_size: 100,
        // Slow enough that a run can be interrupted part way.
        faults: Faults {
            latency: Duration::from_millis(20),
            ..Faults::default()
        },
        ..Config::default()
    })
    .await
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// The events the checkpoint says were written, once it exists.
fn checkpointed_events(checkpoint: &Path) -> u64 {
    std::fs::read(checkpoint)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|saved| saved["events"].as_u64())
        .unwrap_or(0)
}

/// Waits until the checkpoint records at least `events` events.
async fn until_checkpointed(checkpoint: &Path, events: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while checkpointed_events(checkpoint) < events {
        assert!(Instant::now() < deadline, "the export made no progress");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn wait(child: Child) -> (i32, String) {
    tokio::task::spawn_blocking(move || {
        let output = child.wait_with_output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_export_resumes_from_its_checkpoint_with_every_event_once() {
    let fake = exporting_fake().await;
    let admin = Zendesk::admin(&fake);
    let dir = temporary_dir("export_resumes");
    let reference = dir.join("reference.jsonl");
    // Unpaced: the reference run need not keep to the limit the fake
    // reports.
    let ran = admin
        .run(&[
            "export-events",
            "--no-pacing",
            "--start-time",
            "0",
            "--output",
            reference.to_str().unwrap(),
        ])
        .await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let expected = lines(&reference);
    assert_eq!(expected.len() as u64, EVENTS);
    let ids: std::collections::HashSet<String> = expected
        .iter()
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["id"].to_string())
        .collect();
    assert_eq!(
        ids.len() as u64,
        EVENTS,
        "one uninterrupted run gives every event once"
    );

    let output = dir.join("events.jsonl");
    let checkpoint = dir.join("checkpoint.json");
    let export = [
        "export-events",
        "--start-time",
        "0",
        "--checkpoint",
        checkpoint.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--max-attempts",
        "2",
    ];
    let spawn = || {
        admin
            .command(&export)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };

    // 1. Killed part way, as a crash would end it, leaving half a line
    //    after its last checkpoint.
    let mut child = spawn();
    until_checkpointed(&checkpoint, 500).await;
    child.kill().unwrap();
    let _ = wait(child).await;
    let killed_at = checkpointed_events(&checkpoint);
    assert!(killed_at < EVENTS, "killed before the end");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&output)
        .and_then(|mut file| std::io::Write::write_all(&mut file, b"{\"id\":\"half a li"))
        .unwrap();

    // 2. Resumed, then failing part way under 429s, then 503s, past its
    //    retry budget of two attempts.
    let faults = [
        ScriptedResponse::status(429)
            .text("Rate limit exceeded")
            .header("Retry-After", 0),
        ScriptedResponse::error(503, "ServiceUnavailable", "Maintenance").header("Retry-After", 0),
    ];
    for fault in faults {
        let status = fault.status;
        let before = checkpointed_events(&checkpoint);
        let child = spawn();
        until_checkpointed(&checkpoint, before + 300).await;
        fake.script(EXPORT, 2, fault).unwrap();
        let (code, stderr) = wait(child).await;
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains(&status.to_string()), "{stderr}");
        let stopped_at = checkpointed_events(&checkpoint);
        assert!(
            stopped_at > before && stopped_at < EVENTS,
            "{status}: stopped part way"
        );
    }

    // 3. Resumed to the end.
    let (code, stderr) = wait(spawn()).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        lines(&output),
        expected,
        "every event once, in the export's order"
    );
    assert_eq!(checkpointed_events(&checkpoint), EVENTS);

    // A finished export resumed again finds nothing new.
    let (code, stderr) = wait(spawn()).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(lines(&output), expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checkpoint_of_another_output_is_refused() {
    let fake = exporting_fake().await;
    let admin = Zendesk::admin(&fake);
    let dir = temporary_dir("export_other_output");
    let checkpoint = dir.join("checkpoint.json");
    let output = dir.join("events.jsonl");
    let export = |output: &Path| {
        vec![
            "export-events".to_string(),
            "--start-time".into(),
            "0".into(),
            "--checkpoint".into(),
            checkpoint.display().to_string(),
            "--output".into(),
            output.display().to_string(),
        ]
    };
    let args = export(&output);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(admin.run(&args).await.code, 0);

    let other = dir.join("other.jsonl");
    std::fs::write(&other, "").unwrap();
    let args = export(&other);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let refused = admin.run(&args).await;
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("not this export's output"),
        "{}",
        refused.stderr
    );

    std::fs::write(&checkpoint, "{\"start_time\": ").unwrap();
    let args = export(&output);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let refused = admin.run(&args).await;
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("not a checkpoint"),
        "{}",
        refused.stderr
    );
}
