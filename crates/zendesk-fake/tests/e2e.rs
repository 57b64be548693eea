//! The client against the fake, end to end: every operation, every role
//! rule, the documented errors, pagination, the export, and concurrency.
//! The fake checks every response it sends against the spec.

use crate::support;

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use serde_json::Value;
use zendesk_client::models::{
    CreateSideConversationRequest, EmailMessageRequest, EmailParticipant,
    ImportSideConversationEventsRequest, ImportSideConversationRequest, MessageRequest,
    ReplyToSideConversationRequest, ReportedSideConversationState, SideConversationEventImport,
    SideConversationEventType, SideConversationImport, SideConversationState,
    SideConversationUpdate, SlackParticipant, Timestamp, UpdateSideConversationRequest,
};
use zendesk_client::{Client, Credentials, ExportCheckpoint, FileToUpload, RetryPolicy};
use zendesk_fake::{Config, FakeZendesk};

const TICKET: i64 = 12345;

struct Account {
    fake: FakeZendesk,
    agent: Client,
    admin: Client,
    customer: Client,
}

async fn account_with(config: Config) -> Account {
    let fake = support::checked_fake(config).await;
    let client = |email: &str, token: &str| {
        Client::builder()
            .base_url(fake.base_url())
            .credentials(Credentials::api_token(email, token))
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    };
    Account {
        agent: client("agent@example.com", "agent-token"),
        admin: client("admin@example.com", "admin-token"),
        customer: client("customer@example.com", "customer-token"),
        fake,
    }
}

async fn account() -> Account {
    account_with(Config::default()).await
}

fn email_message(subject: &str) -> EmailMessageRequest {
    MessageRequest::email(EmailParticipant::address("vendor@example.com").name("Vendor"))
        .subject(subject)
        .body("The smoke is very colorful.")
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

async fn create(client: &Client, subject: &str) -> String {
    let request = CreateSideConversationRequest::from(email_message(subject));
    let created = client
        .create_side_conversation()
        .ticket_id(TICKET)
        .body(request.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    created.side_conversation.id.unwrap()
}

fn status_of(error: zendesk_client::GeneratedError) -> u16 {
    zendesk_client::Error::from(error)
        .status()
        .map_or(0, |s| s.as_u16())
}

#[tokio::test]
async fn a_side_conversation_lives_through_every_operation() {
    let Account {
        agent,
        admin,
        customer,
        ..
    } = &account().await;

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x96\0\0\0\xd6rest".to_vec();
    let attachment = agent
        .create_side_conversation_attachment()
        .file(FileToUpload::new("smoke.png", png))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (attachment.width, attachment.height),
        (Some(406), Some(214))
    );
    let attachment_id = attachment.id.unwrap();

    let request = CreateSideConversationRequest::new(
        email_message("My printer is on fire!").attachment_id(&attachment_id),
    )
    .external_id("crm", "42");
    let created = agent
        .create_side_conversation()
        .ticket_id(TICKET)
        .body(request.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    let id = created.side_conversation.id.clone().unwrap();
    let event = created.event.unwrap();
    assert_eq!(event.type_, Some(SideConversationEventType::Create));
    let sent = event.message.unwrap();
    assert_eq!(
        sent.html_body.as_deref(),
        Some("<div class=\"zd-comment\"><p>The smoke is very colorful.</p></div>")
    );
    assert_eq!(
        sent.preview_text.as_deref(),
        Some("The smoke is very colorful.")
    );
    let attached = &sent.attachments.unwrap()[0];
    assert_eq!(
        (
            attached.id.as_ref().map(ToString::to_string),
            attached.file_name.as_deref()
        ),
        (Some(attachment_id.clone()), Some("smoke.png"))
    );
    let participants = created.side_conversation.participants.unwrap();
    let emails: Vec<_> = participants
        .iter()
        .filter_map(|p| p.email.clone())
        .collect();
    assert_eq!(
        emails,
        ["agent@example.com", "vendor@example.com"],
        "the sender and the recipient, once each"
    );

    let reply = ReplyToSideConversationRequest::from(
        MessageRequest::email(EmailParticipant::address("vendor@example.com"))
            .body("Still burning."),
    );
    let replied = agent
        .reply_to_side_conversation()
        .ticket_id(TICKET)
        .side_conversation_id(&id)
        .body(reply.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        replied.side_conversation.preview_text.as_deref(),
        Some("Still burning.")
    );

    let close = UpdateSideConversationRequest::from(
        SideConversationUpdate::new()
            .state(SideConversationState::Closed)
            .subject("Printer (resolved)"),
    );
    let closed = agent
        .update_side_conversation()
        .ticket_id(TICKET)
        .side_conversation_id(&id)
        .body(close.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        closed.side_conversation.state,
        Some(ReportedSideConversationState::Closed)
    );
    assert_eq!(
        closed.side_conversation.subject.as_deref(),
        Some("Printer (resolved)")
    );

    let shown = agent
        .show_side_conversation()
        .ticket_id(TICKET)
        .side_conversation_id(&id)
        .include(zendesk_client::models::SideConversationSideload::Events)
        .send()
        .await
        .unwrap()
        .into_inner();
    let kinds: Vec<_> = shown
        .events
        .unwrap()
        .iter()
        .map(|e| e.type_.clone().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            SideConversationEventType::Create,
            SideConversationEventType::Reply,
            SideConversationEventType::Update
        ]
    );

    let old = || EmailParticipant::address("old@example.com");
    let imported = ImportSideConversationRequest::new(
        SideConversationImport::new()
            .subject("From the old system")
            .state(SideConversationState::Closed)
            .external_id("thread", "t-1"),
        SideConversationEventImport::new(
            MessageRequest::email(old())
                .from(EmailParticipant::address("customer@example.com"))
                .body("First"),
        )
        .created_at(at("2022-10-05T20:47:02.230Z")),
    )
    .event(
        SideConversationEventImport::new(MessageRequest::email(old()).body("Second"))
            .created_at(at("2022-10-06T08:00:00Z")),
    );
    let imported = agent
        .import_side_conversation()
        .ticket_id(TICKET)
        .body(imported.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    let imported_id = imported.side_conversation.id.unwrap();
    assert_eq!(
        imported.side_conversation.state,
        Some(ReportedSideConversationState::Closed)
    );
    assert_eq!(
        imported.event.unwrap().created_at.unwrap().as_str(),
        "2022-10-05T20:47:02.230Z",
        "the original time is kept"
    );
    let more = ImportSideConversationEventsRequest::new(MessageRequest::email(old()).body("Third"));
    agent
        .import_side_conversation_events()
        .ticket_id(TICKET)
        .side_conversation_id(&imported_id)
        .body(more.clone())
        .send()
        .await
        .unwrap();

    let events = agent
        .list_side_conversation_events()
        .ticket_id(TICKET)
        .side_conversation_id(&imported_id)
        .include(zendesk_client::models::SideConversationEventSideload::SideConversations)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(events.events.len(), 3);
    assert_eq!(events.side_conversations.map(|s| s.len()), Some(1));

    let listed = agent
        .list_side_conversations()
        .ticket_id(TICKET)
        .include(zendesk_client::models::SideConversationSideload::Events)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (listed.count, listed.events.map(|e| e.len())),
        (Some(2), Some(6))
    );

    let exported: Vec<_> = admin
        .export_events()
        .checkpoint(ExportCheckpoint::from_start_time(0))
        .stream()
        .try_collect()
        .await
        .unwrap();
    let exported: usize = exported.iter().map(|p| p.events.len()).sum();
    assert_eq!(exported, 6, "three events each");

    let upload = customer
        .upload(FileToUpload::new("crash.log", "line 1\n"))
        .send()
        .await
        .unwrap();
    let upload = customer
        .upload(
            FileToUpload::new("dump.bin", vec![0u8; 2048]).with_content_type("application/x-dump"),
        )
        .token(&upload.token)
        .send()
        .await
        .unwrap();
    let files = upload.attachments.unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(
        (files[1].content_type.as_deref(), files[1].size),
        (Some("application/x-dump"), Some(2048))
    );
    let uploaded_id = files[1].id.unwrap();
    let shown = agent
        .show_attachment()
        .attachment_id(uploaded_id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(shown.attachment.file_name.as_deref(), Some("dump.bin"));

    let redacted = agent
        .redact_comment_attachment()
        .ticket_id(TICKET)
        .comment_id(100)
        .attachment_id(498_483)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            redacted.attachment.file_name.as_deref(),
            redacted.attachment.size
        ),
        (Some("redacted.txt"), Some(0))
    );
    let again = agent
        .show_attachment()
        .attachment_id(498_483)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        again.attachment.file_name.as_deref(),
        Some("redacted.txt"),
        "redaction is permanent"
    );

    customer
        .delete_upload()
        .token(&upload.token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status_of(
            agent
                .show_attachment()
                .attachment_id(uploaded_id)
                .send()
                .await
                .unwrap_err()
        ),
        404
    );
    assert_eq!(
        status_of(
            customer
                .delete_upload()
                .token(&upload.token)
                .send()
                .await
                .unwrap_err()
        ),
        404
    );
}

#[tokio::test]
async fn roles_decide_who_may_call_what() {
    let account = account().await;
    let Account {
        agent,
        admin,
        customer,
        fake,
    } = &account;
    // Agents may not export; admins may.
    assert_eq!(
        status_of(
            agent
                .incremental_side_conversation_event_export()
                .start_time(0)
                .send()
                .await
                .unwrap_err()
        ),
        403
    );
    admin
        .incremental_side_conversation_event_export()
        .start_time(0)
        .send()
        .await
        .unwrap();
    // End users may upload, but not touch side conversations or ticket attachments.
    assert_eq!(
        status_of(
            customer
                .list_side_conversations()
                .ticket_id(TICKET)
                .send()
                .await
                .unwrap_err()
        ),
        403
    );
    let request = CreateSideConversationRequest::from(email_message("x"));
    assert_eq!(
        status_of(
            customer
                .create_side_conversation()
                .ticket_id(TICKET)
                .body(request.clone())
                .send()
                .await
                .unwrap_err()
        ),
        403
    );
    assert_eq!(
        status_of(
            customer
                .show_attachment()
                .attachment_id(498_483)
                .send()
                .await
                .unwrap_err()
        ),
        403
    );
    let upload = customer
        .upload(FileToUpload::new("a.txt", "a"))
        .send()
        .await
        .unwrap();
    agent
        .delete_upload()
        .token(&upload.token)
        .send()
        .await
        .unwrap();
    // Admins may do what agents may.
    create(admin, "by an admin").await;

    let anonymous = Client::builder()
        .base_url(fake.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let wrong = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::api_token("agent@example.com", "not-the-token"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    for client in [&anonymous, &wrong] {
        let error =
            support::error_of(client.list_side_conversations().ticket_id(TICKET).send()).await;
        assert!(error.is_unauthorized(), "{error}");
        assert_eq!(
            status_of(
                client
                    .upload_files()
                    .filename("a.txt")
                    .body("a")
                    .send()
                    .await
                    .unwrap_err()
            ),
            401
        );
    }
    let oauth = Client::builder()
        .base_url(fake.base_url())
        .credentials(Credentials::oauth("admin-oauth"))
        .build()
        .unwrap();
    oauth
        .incremental_side_conversation_event_export()
        .start_time(0)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn documented_errors_and_bad_bodies_change_nothing() {
    let account = account().await;
    let agent = &account.agent;
    create(agent, "the only one").await;

    assert_eq!(
        status_of(
            agent
                .list_side_conversations()
                .ticket_id(999)
                .send()
                .await
                .unwrap_err()
        ),
        404
    );
    assert_eq!(
        status_of(
            agent
                .show_side_conversation()
                .ticket_id(TICKET)
                .side_conversation_id("nope")
                .send()
                .await
                .unwrap_err()
        ),
        404
    );
    assert_eq!(
        status_of(
            agent
                .show_attachment()
                .attachment_id(1)
                .send()
                .await
                .unwrap_err()
        ),
        404
    );
    assert_eq!(
        status_of(
            agent
                .redact_comment_attachment()
                .ticket_id(TICKET)
                .comment_id(999)
                .attachment_id(498_483)
                .send()
                .await
                .unwrap_err()
        ),
        404
    );
    let closed = support::error_of(
        agent
            .redact_comment_attachment()
            .ticket_id(12347)
            .comment_id(300)
            .attachment_id(498_499)
            .send(),
    )
    .await;
    assert_eq!(
        (closed.status().map(|s| s.as_u16()), closed.code()),
        (Some(422), Some("RecordInvalid"))
    );
    assert_eq!(
        status_of(
            agent
                .upload_files()
                .filename("a.txt")
                .token("no-such-token")
                .body("a")
                .send()
                .await
                .unwrap_err()
        ),
        404
    );

    // Bodies the spec refuses never reach the store (sent raw: the client's types would not build them).
    let raw = support::raw_http();
    let url = format!(
        "{}/api/v2/tickets/{TICKET}/side_conversations",
        account.fake.base_url()
    );
    let send = |body: &'static str| {
        raw.post(&url)
            .basic_auth("agent@example.com/token", Some("agent-token"))
            .body(body)
            .send()
    };
    let malformed = send("{\"message\": ").await.unwrap();
    assert_eq!(malformed.status(), 400);
    let mixed = send(r#"{"message": {"to": [{"email": "a@b.co"}, {"slack_workspace_id": "T", "slack_channel_id": "C"}]}}"#).await.unwrap();
    assert_eq!(mixed.status(), 422);
    let error: Value = mixed.json().await.unwrap();
    assert_eq!(error["error"], "RecordInvalid");
    assert!(
        error["details"]["/message"][0]["description"]
            .as_str()
            .unwrap()
            .contains("mix an email participant"),
        "{error}"
    );
    let unknown_attachment =
        send(r#"{"message": {"to": [{"user_id": 2}], "attachment_ids": ["s3-missing"]}}"#)
            .await
            .unwrap();
    assert_eq!(unknown_attachment.status(), 422);
    let listed = agent
        .list_side_conversations()
        .ticket_id(TICKET)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        listed.count,
        Some(1),
        "nothing was created by the refused requests"
    );

    let slack_reply = ReplyToSideConversationRequest::from(MessageRequest::slack(
        SlackParticipant::new("T", "C"),
    ));
    let id = listed.side_conversations[0].id.clone().unwrap();
    assert_eq!(
        status_of(
            agent
                .reply_to_side_conversation()
                .ticket_id(TICKET)
                .side_conversation_id(&id)
                .body(slack_reply.clone())
                .send()
                .await
                .unwrap_err()
        ),
        422
    );

    let export = raw
        .get(format!(
            "{}/api/v2/tickets/side_conversations/events",
            account.fake.base_url()
        ))
        .basic_auth("admin@example.com/token", Some("admin-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 400, "start_time is required");
    let bad_include = raw
        .get(format!("{url}?include=users"))
        .basic_auth("agent@example.com/token", Some("agent-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_include.status(), 400);
}

#[tokio::test]
async fn lists_page_with_links_on_the_fakes_own_address() {
    let account = account().await;
    let agent = &account.agent;
    let mut made = Vec::new();
    for n in 0..5 {
        made.push(create(agent, &format!("number {n}")).await);
    }
    let first = agent
        .list_side_conversations()
        .ticket_id(TICKET)
        .per_page(2)
        .send()
        .await
        .unwrap()
        .into_inner();
    let next = first.next_page.unwrap();
    assert!(
        next.starts_with(account.fake.base_url()) && next.contains("page=2&per_page=2"),
        "{next}"
    );
    assert_eq!(first.previous_page, None);
    let listed: Vec<String> = agent
        .list_side_conversations()
        .ticket_id(TICKET)
        .per_page(2)
        .stream()
        .map_ok(|s| s.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        listed, made,
        "every side conversation once, in order, over three pages"
    );
}

/// The fake keeps what a read answered until the store changes: every
/// change, by any operation or by the fake's owner, shows in the next read.
#[tokio::test]
async fn a_read_repeated_after_a_change_sees_the_change() {
    let account = account().await;
    let agent = &account.agent;
    let list = || async {
        let page = agent
            .list_side_conversations()
            .ticket_id(TICKET)
            .send()
            .await
            .unwrap();
        page.into_inner().side_conversations.len()
    };
    let show = |id: String| async move {
        let shown = agent
            .show_side_conversation()
            .ticket_id(TICKET)
            .side_conversation_id(&id)
            .send()
            .await
            .unwrap();
        shown.into_inner().side_conversation
    };
    let events = |id: String| async move {
        let listed = agent
            .list_side_conversation_events()
            .ticket_id(TICKET)
            .side_conversation_id(&id)
            .send()
            .await
            .unwrap();
        listed.into_inner().events.len()
    };

    assert_eq!((list().await, list().await), (0, 0));
    let id = create(agent, "Printer").await;
    assert_eq!((list().await, list().await), (1, 1));
    assert_eq!(show(id.clone()).await.subject.as_deref(), Some("Printer"));
    assert_eq!(events(id.clone()).await, 1);

    let rename =
        UpdateSideConversationRequest::from(SideConversationUpdate::new().subject("Printer (2)"));
    agent
        .update_side_conversation()
        .ticket_id(TICKET)
        .side_conversation_id(&id)
        .body(rename)
        .send()
        .await
        .unwrap();
    assert_eq!(
        show(id.clone()).await.subject.as_deref(),
        Some("Printer (2)")
    );
    assert_eq!(events(id.clone()).await, 2);

    let reply = ReplyToSideConversationRequest::from(
        MessageRequest::email(EmailParticipant::address("vendor@example.com"))
            .body("Still burning."),
    );
    agent
        .reply_to_side_conversation()
        .ticket_id(TICKET)
        .side_conversation_id(&id)
        .body(reply)
        .send()
        .await
        .unwrap();
    assert_eq!(
        show(id.clone()).await.preview_text.as_deref(),
        Some("Still burning.")
    );
    assert_eq!(events(id.clone()).await, 3);

    // What an agent read is not what a customer may read.
    let refused = account
        .customer
        .show_side_conversation()
        .ticket_id(TICKET)
        .side_conversation_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status_of(refused), 403);

    let seeded = account
        .fake
        .seed_side_conversation(TICKET, &support::history())
        .unwrap();
    assert_eq!(
        list().await,
        2,
        "a side conversation seeded by the owner is listed"
    );
    let seeded_id = seeded.side_conversation.id.unwrap();
    assert_eq!(show(seeded_id).await.subject.as_deref(), Some("Seeded"));

    account.fake.reset();
    assert_eq!(
        list().await,
        0,
        "a reset empties the list that was read before"
    );
}

#[tokio::test]
async fn the_export_resumes_from_a_checkpoint_without_loss_or_repeats() {
    let account = account_with(Config {
        export_page_size: 4,
        ..Config::default()
    })
    .await;
    // Ten events, two a second over five seconds, so pages end mid-history.
    let event = |n: u32| {
        SideConversationEventImport::new(
            MessageRequest::email(EmailParticipant::address("old@example.com"))
                .body(format!("m{n}")),
        )
        .created_at(at(&format!("2022-01-01T00:00:0{}Z", n / 2)))
    };
    let import = ImportSideConversationRequest::new(
        SideConversationImport::new().subject("history"),
        event(0),
    )
    .events((1..10).map(event));
    account
        .agent
        .import_side_conversation()
        .ticket_id(TICKET)
        .body(import.clone())
        .send()
        .await
        .unwrap();

    let mut pages = Box::pin(
        account
            .admin
            .export_events()
            .checkpoint(ExportCheckpoint::from_start_time(0))
            .stream(),
    );
    let first = pages.try_next().await.unwrap().unwrap();
    drop(pages);
    assert_eq!(first.events.len(), 4);
    assert!(!first.caught_up);
    // A reader that stopped after one page resumes from its checkpoint.
    let rest: Vec<_> = account
        .admin
        .export_events()
        .checkpoint(first.checkpoint.clone())
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(rest.len() >= 2, "the rest spans pages: {}", rest.len());
    let bodies: Vec<String> = std::iter::once(&first)
        .chain(rest.iter())
        .flat_map(|p| {
            p.events
                .iter()
                .map(|e| e.message.as_ref().unwrap().body.clone().unwrap())
        })
        .collect();
    let expected: Vec<String> = (0..10).map(|n| format!("m{n}")).collect();
    assert_eq!(bodies, expected, "every event once, in order");
    assert!(rest.last().unwrap().caught_up);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_creates_make_a_hundred_side_conversations() {
    let account = account().await;
    let agent = account.agent.clone();
    let tasks: Vec<_> = (0..100)
        .map(|n| {
            let agent = agent.clone();
            tokio::spawn(async move { create(&agent, &format!("concurrent {n}")).await })
        })
        .collect();
    let mut created = BTreeSet::new();
    for task in tasks {
        created.insert(task.await.unwrap());
    }
    assert_eq!(created.len(), 100, "distinct ids");
    let listed: Vec<String> = agent
        .list_side_conversations()
        .ticket_id(TICKET)
        .per_page(100)
        .stream()
        .map_ok(|s| s.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 100);
    assert_eq!(
        listed.iter().cloned().collect::<BTreeSet<_>>(),
        created,
        "each listed once"
    );
    let pages: Vec<_> = account
        .admin
        .export_events()
        .checkpoint(ExportCheckpoint::from_start_time(0))
        .stream()
        .try_collect()
        .await
        .unwrap();
    let exported: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p.events
                .iter()
                .filter_map(|e| e.side_conversation_id.clone())
        })
        .collect();
    assert_eq!(exported.len(), 100);
    assert_eq!(
        exported.into_iter().collect::<BTreeSet<_>>(),
        created,
        "every event exactly once"
    );
}

/// Every operation, as every role and as nobody: 401 without credentials,
/// 403 exactly where the spec's `x-allowed-for` leaves the role out.
#[tokio::test]
async fn every_role_rule_of_every_operation() {
    let account = account().await;
    let raw = support::raw_http();
    let users = [
        ("admin@example.com", "admin-token", "admins"),
        ("agent@example.com", "agent-token", "agents"),
        ("customer@example.com", "customer-token", "end-users"),
    ];
    // An operation whose spec names no role is for agents.
    let may = |role: &str, allowed: &[&str]| match role {
        "admins" => true,
        "agents" => allowed.is_empty() || allowed.iter().any(|a| *a != "admins"),
        _ => allowed.contains(&"end-users"),
    };
    for operation in zendesk_validate::OPERATIONS {
        let path = operation
            .path
            .replace("{ticket_id}", "12345")
            .replace("{side_conversation_id}", "unknown")
            .replace("{comment_id}", "100")
            .replace("{attachment_id}", "498483")
            .replace("{token}", "unknown");
        let url = format!("{}{path}", account.fake.base_url());
        let method = reqwest::Method::from_bytes(operation.method.as_bytes()).unwrap();
        let anonymous = raw.request(method.clone(), &url).send().await.unwrap();
        assert_eq!(
            anonymous.status(),
            401,
            "{} without credentials",
            operation.id
        );
        for (email, token, role) in users {
            let status = raw
                .request(method.clone(), &url)
                .basic_auth(format!("{email}/token"), Some(token))
                .send()
                .await
                .unwrap()
                .status();
            let allowed = may(role, operation.allowed_for);
            assert_eq!(
                status == 403,
                !allowed,
                "{} as {role}: {status}",
                operation.id
            );
            assert_ne!(status, 401, "{} as {role}", operation.id);
        }
    }
}
