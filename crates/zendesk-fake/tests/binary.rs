//! The `zendesk-fake` command: its help, its seed file, and that it keeps
//! serving whatever happens to its output.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn fake() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zendesk-fake"))
}

#[test]
fn help_explains_the_options_and_the_default_users() {
    let output = fake().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "--port",
        "--seed",
        "--generated-events",
        "--rate-limit",
        "--unavailable-share",
        "--latency-ms",
        "--validate-responses",
        "agent-token",
        "admin-oauth",
    ] {
        assert!(help.contains(expected), "--help lacks {expected}:\n{help}");
    }
}

#[test]
fn the_default_seed_prints_and_a_bad_seed_is_refused_with_its_place() {
    let output = fake().arg("--print-seed").output().unwrap();
    let seed: zendesk_fake::Seed = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(seed.users.len(), 3);

    let path = std::env::temp_dir().join(format!("zendesk-fake-seed-{}.json", std::process::id()));
    std::fs::write(
        &path,
        "{\n  \"users\": [],\n  \"tickets\": [{\"id\": \"twelve\"}]\n}",
    )
    .unwrap();
    let output = fake().arg("--seed").arg(&path).output().unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("line 3, column"), "{stderr}");
}

#[tokio::test]
async fn it_serves_on_after_its_output_is_closed() {
    let mut child = fake()
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    // The reader is gone now: the fake's later output has nowhere to go.
    let base_url = first_line.trim().rsplit(' ').next().unwrap().to_string();
    let client = zendesk_client::Client::builder()
        .base_url(&base_url)
        .credentials(zendesk_client::Credentials::api_token(
            "agent@example.com",
            "agent-token",
        ))
        .build()
        .unwrap();
    let listed = client
        .list_side_conversations()
        .ticket_id(12345)
        .send()
        .await;
    let alive = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(listed.is_ok() && alive, "{listed:?}");
}
