//! The shell blocks of `docs/command-line.md` marked to run, as written
//! there, with this crate's `zendesk` on `PATH` and the account in the
//! environment pointing at an in-process fake (as an admin, who may call
//! every operation).

#[path = "../../../tests/support/markdown_snippets.rs"]
mod markdown_snippets;
use crate::support;

#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_guide_s_commands_run_against_the_fake() {
    let fake = support::fake(zendesk_fake::Config::default()).await;
    let dir = support::temporary_dir("guide_commands");
    std::fs::write(dir.join("photo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(dir.join("notes.pdf"), b"%PDF-1.4").unwrap();
    let base_url = fake.base_url().to_string();
    let ran = tokio::task::spawn_blocking(move || {
        let ran = markdown_snippets::run_shell_blocks(
            "docs/command-line.md",
            "crates/zendesk-cli/tests/guide_commands.rs",
            &dir,
            |command| {
                command
                    .env_clear()
                    .env(
                        "PATH",
                        markdown_snippets::path_with(env!("CARGO_BIN_EXE_zendesk")),
                    )
                    .env("ZENDESK_BASE_URL", &base_url)
                    .env("ZENDESK_OAUTH_TOKEN", "admin-oauth");
            },
        );
        let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
        (ran, events.lines().count())
    })
    .await
    .unwrap();
    assert_eq!(ran.0, 3, "three blocks of the guide run");
    assert_eq!(
        ran.1, 1,
        "the export wrote the one event the guide's commands made"
    );
    let created = fake.requests_for("CreateTicket");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].status, 201);
    let redacted = fake.requests_for("RedactCommentAttachment");
    assert_eq!(redacted[0].status, 200);
}
