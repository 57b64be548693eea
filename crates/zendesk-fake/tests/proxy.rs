//! The proxy, record, replay and fidelity modes, through the HTTP client,
//! with upstreams of the tests' own: another fake, and a small server
//! answering fixed bodies (one of which breaks the spec).

use crate::support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::Value;
use support::{raw_http, AGENT_AUTHORIZATION};
use zendesk_client::models::{CreateSideConversationRequest, EmailParticipant, MessageRequest, ReplyToSideConversationRequest};
use zendesk_client::{Client, Credentials, FileToUpload, RetryPolicy};
use zendesk_fake::{Config, FakeZendesk, ProxyConfig, ReplayConfig, ScrubRule};

/// The email address the fixed upstream's answers carry.
const UPSTREAM_EMAIL: &str = "Jane.Vendor@real-customer.example";

/// A server answering fixed bodies, with what it was sent.
struct FixedUpstream {
    base_url: String,
    authorizations: Arc<Mutex<Vec<String>>>,
    /// What `ShowAttachment` answers, byte for byte.
    attachment_body: String,
}

/// `ShowAttachment` answers a valid body (with the upstream's host, an
/// email and a cookie); `ShowSideConversation` one whose `id` is a number,
/// where the spec says a string. `drifted` adds a field to the attachment
/// and makes its `size` a string.
async fn fixed_upstream(drifted: bool) -> FixedUpstream {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let size = if drifted { "\"2532\", \"added_by_the_service\": true" } else { "2532" };
    // Odd spacing and key order: a proxy that re-serialized would change it.
    let attachment_body = format!(
        "{{\"attachment\":  {{\"id\": 498483, \"file_name\": \"notes.txt\", \"content_type\": \"text/plain\", \
         \"content_url\": \"{base_url}/attachments/token/SECRETTOKEN1/?name=notes.txt\", \"size\": {size}, \
         \"url\": \"{base_url}/api/v2/attachments/498483.json\", \"thumbnails\": [], \
         \"uploader_email\": \"{UPSTREAM_EMAIL}\"}}}}\n"
    );
    let authorizations = Arc::new(Mutex::new(Vec::new()));
    let seen = authorizations.clone();
    let attachment = attachment_body.clone();
    let app = axum::Router::new()
        .route(
            "/api/v2/attachments/{id}",
            get(move |headers: HeaderMap| {
                let (seen, attachment) = (seen.clone(), attachment.clone());
                async move {
                    let authorization = headers.get("authorization").map(|v| v.to_str().unwrap().to_string());
                    seen.lock().unwrap().extend(authorization);
                    (
                        [
                            ("content-type", "application/json; charset=utf-8"),
                            ("set-cookie", "_zendesk_session=SESSIONSECRET; path=/"),
                            ("x-rate-limit", "700"),
                        ],
                        attachment,
                    )
                }
            }),
        )
        .route(
            "/api/v2/tickets/{ticket}/side_conversations/{id}",
            get(|| async {
                (
                    StatusCode::OK,
                    [("content-type", "application/json")],
                    r#"{"side_conversation": {"id": 8, "subject": "broken"}}"#,
                )
                    .into_response()
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    FixedUpstream {
        base_url,
        authorizations,
        attachment_body,
    }
}

async fn proxy(config: ProxyConfig) -> FakeZendesk {
    zendesk_fake::start(Config {
        proxy: Some(config),
        ..Config::default()
    })
    .await
    .unwrap()
}

fn agent(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::api_token("agent@example.com", "agent-token"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn customer(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::api_token("customer@example.com", "customer-token"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn temporary_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zendesk-fake-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir`, as text.
fn everything_under(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            text.push_str(&everything_under(&path));
        } else {
            text.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
        }
    }
    text
}

async fn get_through(proxy: &FakeZendesk, path: &str) -> reqwest::Response {
    raw_http()
        .get(format!("{}{path}", proxy.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_proxy_answers_the_upstream_s_bytes_and_reports_what_breaks_the_spec() {
    let upstream = fixed_upstream(false).await;
    let dir = temporary_dir("report");
    let report = dir.join("violations.jsonl");
    let fake = proxy(ProxyConfig {
        report: Some(report.clone()),
        ..ProxyConfig::new(&upstream.base_url)
    })
    .await;

    let good = get_through(&fake, "/api/v2/attachments/498483").await;
    assert_eq!(good.status(), 200);
    assert_eq!(good.headers()["x-zendesk-fake-violations"], "0");
    assert_eq!(good.headers()["set-cookie"], "_zendesk_session=SESSIONSECRET; path=/", "the live answer is untouched");
    assert_eq!(good.text().await.unwrap(), upstream.attachment_body, "byte for byte");
    assert_eq!(upstream.authorizations.lock().unwrap().as_slice(), [AGENT_AUTHORIZATION], "the caller's credentials went on");

    // Through the typed client too.
    let attachment = agent(fake.base_url()).show_attachment().attachment_id(498_483).send().await.unwrap();
    assert_eq!(attachment.into_inner().attachment.file_name.as_deref(), Some("notes.txt"));

    let bad = get_through(&fake, "/api/v2/tickets/12345/side_conversations/abc").await;
    assert_eq!(bad.status(), 200, "reported, not refused, when not strict");
    assert_eq!(bad.headers()["x-zendesk-fake-violations"], "1");
    let unknown = get_through(&fake, "/api/v2/tickets/12345/not_in_the_spec").await;
    assert_eq!(unknown.status(), 404, "forwarded: the upstream knows no such path");

    let (undocumented, lines): (Vec<Value>, Vec<Value>) = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .partition(|line| line["rule"] == "undocumented");
    // A property the spec does not describe is its own rule, written once
    // for its place, and no violation.
    assert_eq!(undocumented.len(), 1, "{undocumented:#?}");
    assert_eq!(undocumented[0]["operation"], "ShowAttachment");
    assert_eq!(undocumented[0]["pointer"], "/attachment/uploader_email");
    assert_eq!(undocumented[0]["json_type"], "string");
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[0]["operation"], "ShowSideConversation");
    assert_eq!(lines[0]["side"], "response");
    assert_eq!(lines[0]["pointer"], "/side_conversation/id");
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[1]["rule"], "unknown-operation");
    assert_eq!(lines[1]["path"], "/api/v2/tickets/12345/not_in_the_spec");

    let summary: Value = raw_http()
        .get(format!("{}/__fake/report", fake.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(summary["exchanges"]["ShowAttachment"], 2);
    assert_eq!(summary["exchanges"]["ShowSideConversation"], 1);
    assert_eq!(summary["exchanges"]["unknown"], 1);
    assert_eq!(summary["exchanges_with_violations"], 2);
    assert_eq!(summary["undocumented"]["ShowAttachment 200 /attachment/uploader_email (string)"], 2);
}

#[tokio::test]
async fn strict_refuses_an_invalid_request_unsent_and_turns_an_invalid_answer_into_a_502() {
    let upstream = zendesk_fake::start(Config::default()).await.unwrap();
    let fake = proxy(ProxyConfig {
        strict: true,
        ..ProxyConfig::new(upstream.base_url())
    })
    .await;
    let refused = raw_http()
        .post(format!("{}/api/v2/tickets/12345/side_conversations", fake.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .header("content-type", "application/json")
        .body(r#"{"message": {"subject": "no recipients", "body": 5}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "RecordInvalid", "{body}");
    // A query parameter its schema refuses is refused the same way.
    let paging = raw_http()
        .get(format!("{}/api/v2/tickets/12345/side_conversations?per_page=500&include=everything", fake.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .send()
        .await
        .unwrap();
    assert_eq!(paging.status(), 422);
    let body: Value = paging.json().await.unwrap();
    let details = body["details"].to_string();
    assert!(details.contains("/query/per_page") && details.contains("/query/include"), "{body}");
    assert!(upstream.journal().is_empty(), "not sent upstream");

    let fixed = fixed_upstream(false).await;
    let fake = proxy(ProxyConfig {
        strict: true,
        ..ProxyConfig::new(&fixed.base_url)
    })
    .await;
    // A property the spec does not describe is no reason to refuse.
    let open = get_through(&fake, "/api/v2/attachments/498483").await;
    assert_eq!(open.status(), 200);
    assert_eq!(open.headers()["x-zendesk-fake-violations"], "0");
    let bad = get_through(&fake, "/api/v2/tickets/12345/side_conversations/abc").await;
    assert_eq!(bad.status(), 502);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"], "UpstreamResponseInvalid");
    assert!(body["description"].as_str().unwrap().contains("/side_conversation/id"), "{body}");
}

#[tokio::test]
async fn a_recording_keeps_no_credential_host_or_email_and_its_fixtures_check_against_the_spec() {
    let upstream = fixed_upstream(false).await;
    let upstream_host = upstream.base_url.trim_start_matches("http://").to_string();
    let dir = temporary_dir("record");
    let fake = proxy(ProxyConfig {
        record: Some(dir.clone()),
        scrub: vec![ScrubRule::parse("notes\\.txt=file.txt").unwrap()],
        ..ProxyConfig::new(&upstream.base_url)
    })
    .await;
    let live = get_through(&fake, "/api/v2/attachments/498483").await.text().await.unwrap();
    assert_eq!(live, upstream.attachment_body, "scrubbing touches only what is written");
    get_through(&fake, "/api/v2/attachments/498483").await;
    get_through(&fake, "/api/v2/tickets/12345/side_conversations/abc").await;
    fake.stop().await.unwrap();

    let written = everything_under(&dir);
    for secret in [
        AGENT_AUTHORIZATION,
        "YWdlbnRAZXhhbXBsZS5jb20vdG9rZW46YWdlbnQtdG9rZW4",
        "SESSIONSECRET",
        upstream_host.as_str(),
        UPSTREAM_EMAIL,
        &UPSTREAM_EMAIL.to_lowercase(),
        "SECRETTOKEN1",
        "notes.txt",
    ] {
        assert!(!written.contains(secret), "{secret:?} is in the recording:\n{written}");
    }
    let cassette: Vec<Value> = std::fs::read_to_string(dir.join("cassette.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(cassette.len(), 3);
    let first = &cassette[0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/api/v2/attachments/498483");
    let attachment = &first["response_body"]["json"]["attachment"];
    assert_eq!(attachment["uploader_email"], "person-1@example.invalid");
    assert_eq!(
        attachment["content_url"],
        "http://example.zendesk.com/attachments/token/token-1/?name=file.txt",
        "host, token and the caller's rule replaced"
    );
    assert_eq!(cassette[1]["response_body"]["json"]["attachment"]["uploader_email"], "person-1@example.invalid", "the same address, the same placeholder");
    assert!(first["request_headers"].get("authorization").is_none());
    assert!(first["response_headers"].get("set-cookie").is_none());
    assert_eq!(first["response_headers"]["x-rate-limit"], "700");

    // What `zendesk-validate DIR/fixtures` does: each file by its name.
    let mut names: Vec<String> = std::fs::read_dir(dir.join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["ShowAttachment.200.1.json", "ShowAttachment.200.2.json", "ShowSideConversation.200.1.json"]);
    let failing: Vec<&String> = names
        .iter()
        .filter(|name| {
            let named = zendesk_validate::classify_file_name(name).unwrap();
            let validator = zendesk_validate::for_target(&named.target).unwrap();
            let payload: Value = serde_json::from_slice(&std::fs::read(dir.join("fixtures").join(name)).unwrap()).unwrap();
            !validator.validate(&payload).is_empty()
        })
        .collect();
    assert_eq!(failing, ["ShowSideConversation.200.1.json"]);
}

/// Records a short session with the stateful fake as the upstream: an
/// upload, a side conversation created, shown, replied to, shown again,
/// listed.
async fn record_a_session(dir: &Path) -> (String, String) {
    let upstream = zendesk_fake::start(Config::default()).await.unwrap();
    let fake = proxy(ProxyConfig {
        record: Some(dir.to_path_buf()),
        ..ProxyConfig::new(upstream.base_url())
    })
    .await;
    let (agent, customer) = (agent(fake.base_url()), customer(fake.base_url()));
    let upload = customer
        .upload(FileToUpload::new("crash.log", b"fuser at 480C\n".to_vec()))
        .send()
        .await
        .unwrap();
    assert!(!upload.token.is_empty());
    let create = CreateSideConversationRequest::new(
        MessageRequest::email(EmailParticipant::address("printer.vendor@real-customer.example"))
            .subject("My printer is on fire!")
            .body("The smoke is very colorful."),
    );
    let created = agent
        .create_side_conversation()
        .ticket_id(12345)
        .body(create)
        .send()
        .await
        .unwrap()
        .into_inner();
    let id = created.side_conversation.id.clone().unwrap();
    let shown = agent.show_side_conversation().ticket_id(12345).side_conversation_id(&id).send().await.unwrap();
    let first_show = serde_json::to_string(&shown.into_inner()).unwrap();
    let reply: ReplyToSideConversationRequest =
        MessageRequest::email(EmailParticipant::address("printer.vendor@real-customer.example"))
            .body("Is 480C normal?")
            .into();
    agent
        .reply_to_side_conversation()
        .ticket_id(12345)
        .side_conversation_id(&id)
        .body(reply)
        .send()
        .await
        .unwrap();
    agent.show_side_conversation().ticket_id(12345).side_conversation_id(&id).send().await.unwrap();
    agent.list_side_conversations().ticket_id(12345).send().await.unwrap();
    fake.stop().await.unwrap();
    (id, first_show)
}

#[tokio::test]
async fn a_replay_answers_what_was_recorded_in_order_and_explains_a_miss() {
    let dir = temporary_dir("replay");
    let (id, first_show) = record_a_session(&dir).await;
    assert!(!everything_under(&dir).contains("printer.vendor@real-customer.example"));

    let replay = zendesk_fake::start(Config {
        replay: Some(ReplayConfig::new(&dir)),
        ..Config::default()
    })
    .await
    .unwrap();
    let agent = agent(replay.base_url());
    // The same request twice: the answer before the reply, then after it.
    let show = || agent.show_side_conversation().ticket_id(12345).side_conversation_id(&id).send();
    let before = show().await.unwrap().into_inner();
    let after = show().await.unwrap().into_inner();
    let again = show().await.unwrap().into_inner();
    let recorded: Vec<Value> = std::fs::read_to_string(dir.join("cassette.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .filter(|e: &Value| e["method"] == "GET" && e["path"].as_str().unwrap().ends_with(&id))
        .map(|e| e["response_body"]["json"].clone())
        .collect();
    assert_eq!(recorded.len(), 2);
    assert_eq!(serde_json::to_value(&before).unwrap()["side_conversation"]["updated_at"], recorded[0]["side_conversation"]["updated_at"]);
    assert_eq!(serde_json::to_value(&after).unwrap()["side_conversation"]["updated_at"], recorded[1]["side_conversation"]["updated_at"]);
    let live: Value = serde_json::from_str(&first_show).unwrap();
    assert_eq!(live["side_conversation"]["updated_at"], recorded[0]["side_conversation"]["updated_at"]);
    let emails: Vec<&Value> = recorded[0]["side_conversation"]["participants"].as_array().unwrap().iter().map(|p| &p["email"]).collect();
    assert_eq!(emails, ["person-2@example.invalid", "person-1@example.invalid"], "scrubbed in the recording");
    assert_ne!(serde_json::to_value(&before).unwrap(), serde_json::to_value(&after).unwrap(), "recorded order");
    assert_eq!(serde_json::to_value(&after).unwrap(), serde_json::to_value(&again).unwrap(), "then the last again");

    // A request sent as it was recorded, its email scrubbed in the recording.
    let create = CreateSideConversationRequest::new(
        MessageRequest::email(EmailParticipant::address("printer.vendor@real-customer.example"))
            .subject("My printer is on fire!")
            .body("The smoke is very colorful."),
    );
    let created = agent.create_side_conversation().ticket_id(12345).body(create).send().await.unwrap();
    assert_eq!(created.into_inner().side_conversation.id.as_deref(), Some(id.as_str()));

    let miss = raw_http()
        .get(format!("{}/api/v2/tickets/12345/side_conversations?per_page=3", replay.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .send()
        .await
        .unwrap();
    assert_eq!(miss.status(), 404);
    let body: Value = miss.json().await.unwrap();
    assert_eq!(body["error"], "RecordingNotFound");
    let description = body["description"].as_str().unwrap();
    assert!(description.contains("the closest recorded is GET /api/v2/tickets/12345/side_conversations"), "{description}");
    assert!(description.contains("the query"), "{description}");

    // With the fallback, the stateful fake answers instead.
    let with_fallback = zendesk_fake::start(Config {
        replay: Some(ReplayConfig {
            fallback: true,
            ..ReplayConfig::new(&dir)
        }),
        ..Config::default()
    })
    .await
    .unwrap();
    let answered = raw_http()
        .get(format!("{}/api/v2/tickets/12345/side_conversations?per_page=3", with_fallback.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 200);
}

#[tokio::test]
async fn fidelity_is_one_on_the_fake_s_own_recording_and_names_what_an_upstream_changed() {
    let dir = temporary_dir("fidelity-own");
    record_a_session(&dir).await;
    let own = zendesk_fake::fidelity::run(&dir).await.unwrap();
    assert_eq!(own.score, 1.0, "{own}");
    assert_eq!(own.same_status, own.exchanges, "{own}");
    assert!(own.exchanges >= 6 && own.recorded_fields > 50, "{own}");

    let drifted = fixed_upstream(true).await;
    let dir = temporary_dir("fidelity-drifted");
    let fake = proxy(ProxyConfig {
        record: Some(dir.clone()),
        ..ProxyConfig::new(&drifted.base_url)
    })
    .await;
    get_through(&fake, "/api/v2/attachments/498483").await;
    fake.stop().await.unwrap();
    let fidelity = zendesk_fake::fidelity::run(&dir).await.unwrap();
    assert!(fidelity.score < 1.0, "{fidelity}");
    let row = &fidelity.rows[0];
    assert_eq!((row.operation.as_str(), row.status), ("ShowAttachment", 200));
    assert!(row.only_in_service.contains("/attachment/added_by_the_service"), "{fidelity}");
    assert!(row.only_in_service.contains("/attachment/uploader_email"), "{fidelity}");
    assert_eq!(row.type_differences["/attachment/size"], ("string".to_string(), "integer".to_string()), "{fidelity}");
    let table = fidelity.to_string();
    assert!(table.contains("type differs at /attachment/size: the service sent string, the fake integer"), "{table}");
    // What the spec lacks, named.
    assert!(row.undocumented.contains_key("/attachment/added_by_the_service"), "{fidelity}");
    assert!(table.contains("the spec does not describe: /attachment/uploader_email (string)"), "{table}");
    assert_eq!(fidelity.undocumented, 2, "{fidelity}");
}

#[tokio::test]
async fn a_recording_cut_off_mid_line_still_replays_and_a_damaged_one_does_not() {
    let dir = temporary_dir("torn");
    record_a_session(&dir).await;
    let cassette = dir.join("cassette.jsonl");
    let whole = std::fs::read_to_string(&cassette).unwrap();
    let lines = whole.lines().count();
    // A recording stopped while it wrote its last line.
    std::fs::write(&cassette, format!("{whole}{{\"method\":\"GET\",\"path\":\"/api/v2/tick")).unwrap();
    let fidelity = zendesk_fake::fidelity::run(&dir).await.unwrap();
    assert_eq!(fidelity.exchanges, lines as u64, "{fidelity}");
    assert_eq!(fidelity.warnings.len(), 1, "{fidelity}");
    let warning = &fidelity.warnings[0];
    assert!(
        warning.contains(&format!("cassette.jsonl:{}: the last line was cut off", lines + 1)),
        "{warning}"
    );
    assert!(fidelity.to_string().starts_with("warning: "), "{fidelity}");
    let replay = zendesk_fake::start(Config {
        replay: Some(ReplayConfig::new(&dir)),
        ..Config::default()
    })
    .await;
    assert!(replay.is_ok(), "a cut-off last line does not stop a replay");

    // A bad line that is not the last is damage: refused, with its line.
    let mut damaged: Vec<&str> = whole.lines().collect();
    damaged.insert(1, "{\"method\": \"GET\"");
    std::fs::write(&cassette, format!("{}\n", damaged.join("\n"))).unwrap();
    let error = zendesk_fake::fidelity::run(&dir).await.unwrap_err();
    assert!(error.contains("cassette.jsonl:2, column"), "{error}");
    let replay = zendesk_fake::start(Config {
        replay: Some(ReplayConfig::new(&dir)),
        ..Config::default()
    })
    .await;
    assert!(replay.is_err(), "a damaged recording is not replayed");
    // So is a last line that ends with its newline: it was written whole.
    std::fs::write(&cassette, format!("{whole}{{\"method\": \"GET\"\n")).unwrap();
    let error = zendesk_fake::fidelity::run(&dir).await.unwrap_err();
    assert!(error.contains(&format!("cassette.jsonl:{}, column", lines + 1)), "{error}");
}
