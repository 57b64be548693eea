//! The Attachments page's workflow through `zendesk` against the fake:
//! uploads, a ticket carrying one, a comment carrying the other, the
//! comments with inline images and by cursor (`--all`), a redaction, a
//! private comment, the malware override, and a body refused before it is
//! sent.

use crate::support;

use serde_json::{json, Value};
use support::{fake, Zendesk};

fn write(dir: &std::path::Path, name: &str, contents: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_attachments_page_s_workflow_from_the_shell() {
    let fake = fake(zendesk_fake::Config::default()).await;
    let agent = Zendesk::agent(&fake);
    let admin = Zendesk::admin(&fake);
    let dir = support::temporary_dir("tickets");

    // An end user may upload, but tickets are the agents'.
    let customer = Zendesk::customer(&fake);
    let uploaded = customer
        .ok(&["upload-files", "--file", &write(&dir, "mine.txt", b"mine")])
        .await;
    let by_customer = customer
        .run_with_stdin(
            &["create-ticket", "--json-body", "-"],
            &json!({"ticket": {"comment": {"body": "Mine", "uploads": [uploaded["upload"]["token"]]}}})
                .to_string(),
        )
        .await;
    assert_eq!(by_customer.code, 1, "{}", by_customer.stderr);
    assert!(
        by_customer.stderr.contains("403 Forbidden"),
        "{}",
        by_customer.stderr
    );

    // Two files uploaded.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0, 0, 1, 0, 0, 0, 0, 200, 8, 6, 0, 0, 0]);
    let photo = agent
        .ok(&["upload-files", "--file", &write(&dir, "photo.png", &png)])
        .await;
    let log = agent
        .ok(&[
            "upload-files",
            "--file",
            &write(&dir, "crash.log", b"segfault"),
        ])
        .await;
    assert_eq!(photo["upload"]["attachment"]["width"], 256);
    let (photo_token, log_token) = (
        photo["upload"]["token"].as_str().unwrap(),
        log["upload"]["token"].as_str().unwrap(),
    );

    // A ticket carrying the log.
    let create = json!({"ticket": {"subject": "On fire", "comment": {"body": "Log attached", "uploads": [log_token]}}});
    let created = agent
        .ok(&[
            "create-ticket",
            "--json-body",
            &write(&dir, "create.json", create.to_string().as_bytes()),
        ])
        .await;
    let ticket = created["ticket"]["id"].as_i64().unwrap().to_string();
    assert_eq!(created["ticket"]["subject"], "On fire");
    let shown = agent.ok(&["show-ticket", "--ticket-id", &ticket]).await;
    assert_eq!(shown["ticket"]["description"], "Log attached");

    // A comment carrying the photo inline, then two more.
    let content_url = photo["upload"]["attachment"]["content_url"]
        .as_str()
        .unwrap();
    let update = json!({"ticket": {"comment": {"html_body": format!("<img src=\"{content_url}\">"), "uploads": [photo_token]}}});
    agent
        .ok(&[
            "update-ticket",
            "--ticket-id",
            &ticket,
            "--json-body",
            &write(&dir, "update.json", update.to_string().as_bytes()),
        ])
        .await;
    for n in 1..=2 {
        let note = json!({"ticket": {"comment": {"body": format!("Note {n}"), "public": false}}});
        agent
            .ok_with_stdin(
                &["update-ticket", "--ticket-id", &ticket, "--json-body", "-"],
                &note.to_string(),
            )
            .await;
    }

    // The comments: inline images only when asked (a flag alone is true).
    let page = agent
        .ok(&["list-ticket-comments", "--ticket-id", &ticket])
        .await;
    assert!(page["comments"][1]["attachments"]
        .as_array()
        .unwrap()
        .is_empty());
    let with_inline = agent
        .ok(&[
            "list-ticket-comments",
            "--ticket-id",
            &ticket,
            "--include-inline-images",
        ])
        .await;
    assert_eq!(with_inline["comments"][1]["attachments"][0]["inline"], true);
    let off = agent
        .ok(&[
            "list-ticket-comments",
            "--ticket-id",
            &ticket,
            "--include-inline-images=false",
        ])
        .await;
    assert!(off["comments"][1]["attachments"]
        .as_array()
        .unwrap()
        .is_empty());

    // `--all` follows the cursor, a comment a page.
    let all = agent
        .lines(&[
            "list-ticket-comments",
            "--ticket-id",
            &ticket,
            "--page-size",
            "1",
            "--all",
        ])
        .await;
    let bodies: Vec<&str> = all.iter().map(|c| c["body"].as_str().unwrap()).collect();
    assert_eq!(bodies.len(), 4, "{bodies:?}");
    assert_eq!((bodies[0], bodies[3]), ("Log attached", "Note 2"));
    let newest = agent
        .ok(&[
            "list-ticket-comments",
            "--ticket-id",
            &ticket,
            "--sort-order",
            "desc",
            "--page-size",
            "1",
        ])
        .await;
    assert_eq!(newest["comments"][0]["body"], "Note 2");

    // The log redacted, the first comment made private.
    let first = &page["comments"][0];
    let (comment, attachment) = (
        first["id"].as_i64().unwrap().to_string(),
        first["attachments"][0]["id"].as_i64().unwrap().to_string(),
    );
    let redacted = agent
        .ok(&[
            "redact-comment-attachment",
            "--ticket-id",
            &ticket,
            "--comment-id",
            &comment,
            "--attachment-id",
            &attachment,
        ])
        .await;
    assert_eq!(redacted["attachment"]["file_name"], "redacted.txt");
    let shown = agent
        .ok(&["show-attachment", "--attachment-id", &attachment])
        .await;
    assert_eq!(shown["attachment"]["file_name"], "redacted.txt");
    let private = agent
        .run(&[
            "make-ticket-comment-private",
            "--ticket-id",
            &ticket,
            "--ticket-comment-id",
            &comment,
        ])
        .await;
    assert_eq!(
        (private.code, private.stdout.as_str()),
        (0, ""),
        "no body, nothing printed: {}",
        private.stderr
    );
    let page = agent
        .ok(&["list-ticket-comments", "--ticket-id", &ticket])
        .await;
    assert_eq!(page["comments"][0]["public"], false);

    // The malware override, as an admin.
    let allow = write(
        &dir,
        "allow.json",
        br#"{"attachment": {"malware_access_override": true}}"#,
    );
    let denied = agent
        .run(&[
            "update-attachment",
            "--attachment-id",
            &attachment,
            "--json-body",
            &allow,
        ])
        .await;
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert!(denied.stderr.contains("403 Forbidden"), "{}", denied.stderr);
    let allowed = admin
        .ok(&[
            "update-attachment",
            "--attachment-id",
            &attachment,
            "--json-body",
            &allow,
        ])
        .await;
    assert_eq!(allowed["attachment"]["malware_access_override"], true);

    // A side conversation on that ticket.
    let message = json!({"message": {"to": [{"email": "vendor@example.com"}], "subject": "Fuser"}});
    let opened = agent
        .ok_with_stdin(
            &[
                "create-side-conversation",
                "--ticket-id",
                &ticket,
                "--json-body",
                "-",
            ],
            &message.to_string(),
        )
        .await;
    assert_eq!(opened["side_conversation"]["ticket_id"].to_string(), ticket);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ticket_without_a_comment_is_refused_before_it_is_sent() {
    let fake = fake(zendesk_fake::Config::default()).await;
    let agent = Zendesk::agent(&fake);
    let refused = agent
        .run_with_stdin(
            &["create-ticket", "--json-body", "-"],
            r#"{"ticket": {"subject": "No comment"}}"#,
        )
        .await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("/ticket: \"comment\" is a required property"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("nothing was sent"),
        "{}",
        refused.stderr
    );
    assert!(
        fake.journal().iter().all(|r| r.path != "/api/v2/tickets"),
        "nothing reached the fake"
    );
    // A field the service does not take, the same way.
    let unknown = agent
        .run_with_stdin(
            &["create-ticket", "--json-body", "-"],
            r#"{"ticket": {"comment": {"body": "x"}, "mood": "cheerful"}}"#,
        )
        .await;
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("mood"), "{}", unknown.stderr);
    let _: Value = agent
        .ok_with_stdin(
            &["create-ticket", "--json-body", "-"],
            r#"{"ticket": {"comment": {"body": "x"}}}"#,
        )
        .await;
}
