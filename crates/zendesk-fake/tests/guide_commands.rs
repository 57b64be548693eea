//! The shell blocks of `docs/testing-with-the-fake.md` and
//! `docs/your-account.md` marked to run, as written there, with this
//! crate's `zendesk-fake` on `PATH`; the fidelity block reads a recording
//! made first through the proxy, with another fake as the account.

use std::path::PathBuf;

#[path = "../../../tests/support/markdown_snippets.rs"]
mod markdown_snippets;

const RUNNER: &str = "crates/zendesk-fake/tests/guide_commands.rs";

fn folder(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("guide_commands")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn on_path(command: &mut std::process::Command) {
    command.env(
        "PATH",
        markdown_snippets::path_with(env!("CARGO_BIN_EXE_zendesk-fake")),
    );
}

#[test]
fn the_testing_guide_s_commands_run() {
    let dir = folder("testing");
    let ran =
        markdown_snippets::run_shell_blocks("docs/testing-with-the-fake.md", RUNNER, &dir, on_path);
    assert_eq!(ran, 1);
    let seed: zendesk_fake::Seed =
        serde_json::from_str(&std::fs::read_to_string(dir.join("seed.json")).unwrap()).unwrap();
    assert_eq!(seed.users.len(), 3, "the printed seed reads back");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_your_account_guide_s_commands_run() {
    let dir = folder("your-account");
    let account = zendesk_fake::start(zendesk_fake::Config::default())
        .await
        .unwrap();
    let recorder = zendesk_fake::start(zendesk_fake::Config {
        proxy: Some(zendesk_fake::ProxyConfig {
            record: Some(dir.join("recording")),
            ..zendesk_fake::ProxyConfig::new(account.base_url())
        }),
        ..zendesk_fake::Config::default()
    })
    .await
    .unwrap();
    let shown = reqwest::Client::new()
        .get(format!("{}/api/v2/tickets/12345", recorder.base_url()))
        .bearer_auth("agent-oauth")
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), 200);
    recorder.stop().await.unwrap();
    let ran = tokio::task::spawn_blocking(move || {
        markdown_snippets::run_shell_blocks("docs/your-account.md", RUNNER, &dir, on_path)
    })
    .await
    .unwrap();
    assert_eq!(ran, 1);
}
