//! The `zendesk` binary against `zendesk-fake`: every subcommand, `--all`,
//! bodies refused before sending, errors and exit statuses, completions.

use crate::support;

use std::path::PathBuf;

use heck::ToKebabCase;
use serde_json::json;
use support::{fake, Zendesk};

fn write(dir: &std::path::Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn every_subcommand_runs_against_the_fake() {
    let fake = fake(zendesk_fake::Config::default()).await;
    let agent = Zendesk::agent(&fake);
    let admin = Zendesk::admin(&fake);
    let dir = support::temporary_dir("every_subcommand");

    let attachment = agent
        .ok(&[
            "create-side-conversation-attachment",
            "--file",
            write(&dir, "notes.txt", "hello").to_str().unwrap(),
        ])
        .await;
    assert_eq!(attachment["name"], "notes.txt");
    assert_eq!(attachment["content_type"], "text/plain");
    let attachment_id = attachment["id"].as_str().unwrap();

    let create = write(
        &dir,
        "create.json",
        &json!({"message": {"to": [{"email": "anna@example.com"}], "subject": "Order", "body": "Hi",
                            "attachment_ids": [attachment_id]}})
        .to_string(),
    );
    let created = agent
        .ok(&[
            "create-side-conversation",
            "--ticket-id",
            "12345",
            "--json-body",
            create.to_str().unwrap(),
        ])
        .await;
    let id = created["side_conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(created["event"]["type"], "create");

    let shown = agent
        .ok(&[
            "show-side-conversation",
            "--ticket-id",
            "12345",
            "--side-conversation-id",
            &id,
            "--include",
            "events",
        ])
        .await;
    assert_eq!(shown["side_conversation"]["subject"], "Order");
    assert_eq!(shown["events"].as_array().unwrap().len(), 1);

    let reply = write(
        &dir,
        "reply.json",
        r#"{"message": {"body": "More", "to": [{"email": "anna@example.com"}]}}"#,
    );
    let replied = agent
        .ok(&[
            "reply-to-side-conversation",
            "--ticket-id",
            "12345",
            "--side-conversation-id",
            &id,
            "--json-body",
            reply.to_str().unwrap(),
        ])
        .await;
    assert_eq!(replied["event"]["type"], "reply");

    // The body from stdin.
    let updated = agent
        .ok_with_stdin(
            &[
                "update-side-conversation",
                "--ticket-id",
                "12345",
                "--side-conversation-id",
                &id,
                "--json-body",
                "-",
            ],
            r#"{"side_conversation": {"state": "closed"}}"#,
        )
        .await;
    assert_eq!(updated["side_conversation"]["state"], "closed");

    let import = write(
        &dir,
        "import.json",
        &json!({"side_conversation": {"subject": "Migrated"},
                "events": [{"message": {"to": [{"email": "old@example.com"}], "body": "Earlier"},
                            "created_at": "2020-01-01T00:00:00Z"}]})
        .to_string(),
    );
    let imported = agent
        .ok(&[
            "import-side-conversation",
            "--ticket-id",
            "12346",
            "--json-body",
            import.to_str().unwrap(),
        ])
        .await;
    let imported_id = imported["side_conversation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let events = write(
        &dir,
        "events.json",
        r#"{"events": [{"message": {"to": [{"email": "old@example.com"}], "body": "Later"}, "created_at": "2020-01-02T00:00:00Z"}]}"#,
    );
    agent
        .ok(&[
            "import-side-conversation-events",
            "--ticket-id",
            "12346",
            "--side-conversation-id",
            &imported_id,
            "--json-body",
            events.to_str().unwrap(),
        ])
        .await;
    let listed_events = agent
        .ok(&[
            "list-side-conversation-events",
            "--ticket-id",
            "12346",
            "--side-conversation-id",
            &imported_id,
        ])
        .await;
    assert_eq!(listed_events["events"].as_array().unwrap().len(), 2);

    let listed = agent
        .ok(&["list-side-conversations", "--ticket-id", "12345"])
        .await;
    assert_eq!(listed["count"], 1);

    let page = admin
        .ok(&[
            "incremental-side-conversation-event-export",
            "--start-time",
            "0",
        ])
        .await;
    assert_eq!(page["events"].as_array().unwrap().len(), 5);
    let exported = admin.lines(&["export-events", "--start-time", "0"]).await;
    assert_eq!(exported.len(), 5);

    let shown = agent
        .ok(&["show-attachment", "--attachment-id", "498483"])
        .await;
    assert_eq!(shown["attachment"]["file_name"], "myfile.dat");
    let redacted = agent
        .ok(&[
            "redact-comment-attachment",
            "--ticket-id",
            "12345",
            "--comment-id",
            "100",
            "--attachment-id",
            "498483",
        ])
        .await;
    assert_eq!(redacted["attachment"]["file_name"], "redacted.txt");

    let customer = Zendesk::customer(&fake);
    let file = write(&dir, "photo.png", "not really a png");
    let uploaded = customer
        .ok(&["upload-files", "--file", file.to_str().unwrap()])
        .await;
    assert_eq!(uploaded["upload"]["attachment"]["file_name"], "photo.png");
    assert_eq!(
        uploaded["upload"]["attachment"]["content_type"],
        "image/png"
    );
    let token = uploaded["upload"]["token"].as_str().unwrap().to_string();
    let added = customer
        .ok(&[
            "upload-files",
            "--file",
            file.to_str().unwrap(),
            "--filename",
            "second.bin",
            "--content-type",
            "application/pdf",
            "--token",
            &token,
        ])
        .await;
    assert_eq!(added["upload"]["attachments"].as_array().unwrap().len(), 2);
    assert_eq!(
        added["upload"]["attachments"][1]["content_type"],
        "application/pdf"
    );
    let deleted = customer.run(&["delete-upload", "--token", &token]).await;
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    assert_eq!(deleted.stdout, "", "a 204 prints nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_follows_every_page_as_json_lines() {
    let fake = fake(zendesk_fake::Config::default()).await;
    let agent = Zendesk::agent(&fake);
    let dir = support::temporary_dir("all_pages");
    let body = write(
        &dir,
        "create.json",
        r#"{"message": {"to": [{"email": "a@example.com"}], "body": "Hi"}}"#,
    );
    for _ in 0..5 {
        agent
            .ok(&[
                "create-side-conversation",
                "--ticket-id",
                "12345",
                "--json-body",
                body.to_str().unwrap(),
            ])
            .await;
    }
    fake.clear_journal();
    let items = agent
        .lines(&[
            "list-side-conversations",
            "--ticket-id",
            "12345",
            "--per-page",
            "2",
            "--all",
        ])
        .await;
    assert_eq!(items.len(), 5);
    let ids: std::collections::BTreeSet<_> = items.iter().map(|i| i["id"].to_string()).collect();
    assert_eq!(ids.len(), 5, "every side conversation once");
    assert_eq!(
        fake.requests_for("ListSideConversations").len(),
        3,
        "three pages of two"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_breaks_the_spec_is_refused_with_its_place_and_nothing_is_sent() {
    let fake = fake(zendesk_fake::Config::default()).await;
    let agent = Zendesk::agent(&fake);
    let dir = support::temporary_dir("refused_body");
    let body = write(
        &dir,
        "mixed.json",
        "{\n  \"message\": {\n    \"body\": \"Hi\",\n    \"to\": [\n      {\"email\": \"a@example.com\"},\n      {\"slack_workspace_id\": \"T1\", \"slack_channel_id\": \"C1\"}\n    ]\n  }\n}\n",
    );
    fake.clear_journal();
    let refused = agent
        .run(&[
            "create-side-conversation",
            "--ticket-id",
            "12345",
            "--json-body",
            body.to_str().unwrap(),
        ])
        .await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let name = body.display().to_string();
    assert!(
        refused.stderr.contains(&format!("{name}:2:")),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("/message"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("nothing was sent"),
        "{}",
        refused.stderr
    );
    assert!(fake.journal().is_empty(), "nothing reached the fake");

    let malformed = write(&dir, "malformed.json", "{\n  \"message\": \n}");
    let refused = agent
        .run(&[
            "create-side-conversation",
            "--ticket-id",
            "12345",
            "--json-body",
            malformed.to_str().unwrap(),
        ])
        .await;
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains(&format!("{}:3:1: not JSON", malformed.display())),
        "{}",
        refused.stderr
    );
    assert!(fake.journal().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_go_to_stderr_with_their_status_and_exit_code() {
    let fake = fake(zendesk_fake::Config::default()).await;
    let agent = Zendesk::agent(&fake);
    let missing = agent
        .run(&["show-attachment", "--attachment-id", "1"])
        .await;
    assert_eq!(missing.code, 1);
    assert_eq!(missing.stdout, "");
    assert!(
        missing.stderr.starts_with("zendesk: 404 RecordNotFound: "),
        "{}",
        missing.stderr
    );

    let forbidden = agent
        .run(&[
            "incremental-side-conversation-event-export",
            "--start-time",
            "0",
        ])
        .await;
    assert_eq!(forbidden.code, 1);
    assert!(
        forbidden.stderr.contains("403 Forbidden"),
        "{}",
        forbidden.stderr
    );

    let closed = agent
        .run(&[
            "redact-comment-attachment",
            "--ticket-id",
            "12347",
            "--comment-id",
            "300",
            "--attachment-id",
            "498499",
        ])
        .await;
    assert_eq!(closed.code, 1);
    assert!(closed.stderr.contains("422"), "{}", closed.stderr);

    let usage = agent
        .run(&["show-attachment", "--attachment-id", "zero"])
        .await;
    assert_eq!(usage.code, 2);
    let unreadable = agent
        .run(&[
            "create-side-conversation",
            "--ticket-id",
            "1",
            "--json-body",
            "/no/such/file.json",
        ])
        .await;
    assert_eq!(unreadable.code, 2);
    assert!(
        unreadable.stderr.contains("/no/such/file.json"),
        "{}",
        unreadable.stderr
    );

    let wrong_token = Zendesk::new(
        &fake,
        &[
            ("ZENDESK_EMAIL", "agent@example.com"),
            ("ZENDESK_API_TOKEN", "s3cret-wrong"),
        ],
    );
    let unauthorized = wrong_token
        .run(&["show-attachment", "--attachment-id", "498483"])
        .await;
    assert_eq!(unauthorized.code, 1);
    assert!(
        unauthorized.stderr.contains("401"),
        "{}",
        unauthorized.stderr
    );
    assert!(
        !unauthorized.stderr.contains("s3cret-wrong"),
        "credentials never appear"
    );

    let no_credentials = Zendesk::new(&fake, &[]);
    let unconfigured = no_credentials
        .run(&["show-attachment", "--attachment-id", "498483"])
        .await;
    assert_eq!(unconfigured.code, 2);
    assert!(
        unconfigured.stderr.contains("ZENDESK_API_TOKEN"),
        "{}",
        unconfigured.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_and_help_cover_every_subcommand() {
    let fake = fake(zendesk_fake::Config::default()).await;
    let zendesk = Zendesk::agent(&fake);
    for shell in ["bash", "zsh", "fish"] {
        let script = zendesk.run(&["completions", shell]).await;
        assert_eq!(script.code, 0);
        assert!(script.stdout.contains("list-side-conversations"), "{shell}");
        assert!(script.stdout.contains("export-events"), "{shell}");
    }
    for operation in zendesk_validate::OPERATIONS {
        let name = operation.id.to_kebab_case();
        let help = zendesk.run(&[&name, "--help"]).await;
        assert_eq!(help.code, 0, "{name}: {}", help.stderr);
        assert!(
            help.stdout.contains("Allowed for: "),
            "{name} --help says who may call it"
        );
    }
}
