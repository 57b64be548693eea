//! The fake's control API under `/__fake/` against bad input, over HTTP as a
//! long-lived server's users send it: each bad request gets a 400 that names
//! the field and what it may be, changes nothing, and the fake keeps serving.
//! Also: the journal's limit and its count of dropped requests.

use crate::support;

use serde_json::{json, Value};
use support::{agent_get, raw_http, AGENT_AUTHORIZATION};
use zendesk_fake::{Config, FakeZendesk, ScriptedResponse, MAX_CONTROL_BODY, MAX_QUEUED_SCRIPTS};


async fn post_script(fake: &FakeZendesk, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = raw_http()
        .post(format!("{}/__fake/scripts", fake.base_url()))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn pending(fake: &FakeZendesk) -> Value {
    raw_http()
        .get(format!("{}/__fake/scripts", fake.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn show_attachment_status(fake: &FakeZendesk) -> u16 {
    agent_get(fake, "/api/v2/attachments/498483")
        .await
        .status()
        .as_u16()
}

fn script(times: Value, response: Value) -> String {
    json!({"operation": "ShowAttachment", "times": times, "response": response}).to_string()
}

#[tokio::test]
async fn every_bad_field_is_refused_with_its_name_and_range_and_changes_nothing() {
    let fake = zendesk_fake::start(Config::default()).await.unwrap();
    let ok = json!({"status": 503, "body": {"text": "x"}});
    let huge = format!(
        "{{\"operation\":\"ShowAttachment\",\"response\":{{\"status\":200,\"body\":{{\"text\":\"{}\"}}}}}}",
        "a".repeat(MAX_CONTROL_BODY)
    );
    let cases: Vec<(&str, String, &str)> = vec![
        ("times 0", script(json!(0), ok.clone()), "`/times` must be an integer from 1 to 4294967295, not 0"),
        ("times past the cap", script(json!(4_294_967_296u64), ok.clone()), "from 1 to 4294967295, not 4294967296"),
        ("negative times", script(json!(-3), ok.clone()), "not -3"),
        ("fractional times", script(json!(2.5), ok.clone()), "not 2.5"),
        ("times as text", script(json!("7"), ok.clone()), "`/times` must be an integer"),
        ("status below 100", script(json!(1), json!({"status": 42})), "`/response/status` must be an integer from 100 to 599, not 42"),
        ("status above 599", script(json!(1), json!({"status": 600})), "not 600"),
        ("no status", script(json!(1), json!({"body": {"text": "x"}})), "`/response/status` is missing"),
        ("delay past 10 minutes", script(json!(1), json!({"status": 200, "delay_ms": 600_001})), "`/response/delay_ms` must be an integer from 0 to 600000"),
        ("negative delay", script(json!(1), json!({"status": 200, "delay_ms": -1})), "not -1"),
        ("unknown field", json!({"operation": "ShowAttachment", "response": ok, "repeat": true}).to_string(), "`/repeat` is not a field"),
        ("unknown response field", script(json!(1), json!({"status": 200, "delay": 5})), "`/response/delay` is not a field"),
        ("unknown operation", json!({"operation": "ShowAttachments", "response": ok}).to_string(), "no operation `ShowAttachments`"),
        ("a framing header", script(json!(1), json!({"status": 200, "headers": {"Content-Length": "5"}})), "`/response/headers/Content-Length` frames the response"),
        ("a bad header name", script(json!(1), json!({"status": 200, "headers": {"bad name": "x"}})), "is not a valid HTTP header name"),
        ("a bad header value", script(json!(1), json!({"status": 200, "headers": {"X-A": "line\nbreak"}})), "is not a valid HTTP header value"),
        ("a body that breaks the spec", script(json!(1), json!({"status": 200, "body": {"json": {"attachment": 5}}})), "breaks the spec at `/attachment`"),
        ("not JSON", "{\"operation\": ".to_string(), "the body is not JSON"),
        ("not an object", "[1, 2]".to_string(), "must be an object"),
        ("a body over the size", huge, "larger than 1048576 bytes"),
    ];
    for (what, body, expected) in cases {
        let (status, refusal) = post_script(&fake, body).await;
        assert_eq!(status, 400, "{what}: {refusal}");
        assert_eq!(refusal["error"], "InvalidScript", "{what}: {refusal}");
        let description = refusal["description"].as_str().unwrap_or_default();
        assert!(description.contains(expected), "{what}: {description}");
        assert_eq!(pending(&fake).await["scripts"], json!({}), "{what} changed nothing");
        assert_eq!(show_attachment_status(&fake).await, 200, "still serving after {what}");
    }
}

#[tokio::test]
async fn times_costs_nothing_however_large() {
    let fake = zendesk_fake::start(Config::default()).await.unwrap();
    // Once an abort: 4,294,967,295 copies of the response.
    let (status, _) = post_script(
        &fake,
        script(json!(4_294_967_295u64), json!({"status": 503, "body": {"text": "x"}})),
    )
    .await;
    assert_eq!(status, 201);
    for _ in 0..3 {
        assert_eq!(show_attachment_status(&fake).await, 503);
    }
    assert_eq!(
        pending(&fake).await["scripts"]["ShowAttachment"],
        json!([{"status": 503, "remaining": 4_294_967_292u64}])
    );
}

#[tokio::test]
async fn scripts_answer_in_order_and_the_queue_has_a_cap() {
    let fake = zendesk_fake::start(Config::default()).await.unwrap();
    fake.script("ShowAttachment", 2, ScriptedResponse::error(503, "ServiceUnavailable", "a")).unwrap();
    fake.script("ShowAttachment", 1, ScriptedResponse::error(404, "RecordNotFound", "b")).unwrap();
    let statuses = [
        show_attachment_status(&fake).await,
        show_attachment_status(&fake).await,
        show_attachment_status(&fake).await,
        show_attachment_status(&fake).await,
    ];
    assert_eq!(statuses, [503, 503, 404, 200]);

    for _ in 0..MAX_QUEUED_SCRIPTS {
        fake.script("ShowAttachment", 1, ScriptedResponse::status(503)).unwrap();
    }
    let (status, refusal) =
        post_script(&fake, script(json!(1), json!({"status": 503}))).await;
    assert_eq!(status, 400);
    assert!(
        refusal["description"].as_str().unwrap().contains("1000 scripts queued"),
        "{refusal}"
    );
    let queued = pending(&fake).await["scripts"]["ShowAttachment"].as_array().unwrap().len();
    assert_eq!(queued, MAX_QUEUED_SCRIPTS);
    let refused = fake.script("ShowAttachment", 0, ScriptedResponse::status(503));
    assert!(refused.unwrap_err().to_string().contains("`times`"));
}

#[tokio::test]
async fn an_unknown_control_path_is_a_404_that_lists_the_real_ones() {
    let fake = zendesk_fake::start(Config::default()).await.unwrap();
    let response = raw_http()
        .post(format!("{}/__fake/script", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let body: Value = response.json().await.unwrap();
    assert!(body["description"].as_str().unwrap().contains("/__fake/scripts"), "{body}");
    let seeded = raw_http()
        .post(format!("{}/__fake/tickets/twelve/side_conversations", fake.base_url()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.status().as_u16(), 400);
}

#[tokio::test]
async fn the_journal_keeps_the_most_recent_and_counts_what_it_dropped() {
    let fake = zendesk_fake::start(Config {
        journal_limit: 5,
        ..Config::default()
    })
    .await
    .unwrap();
    for _ in 0..8 {
        show_attachment_status(&fake).await;
    }
    let journal: Value = raw_http()
        .get(format!("{}/__fake/journal", fake.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(journal["requests"].as_array().unwrap().len(), 5);
    assert_eq!(journal["dropped"], 3);
    assert_eq!(journal["limit"], 5);
    assert_eq!(fake.journal().len(), 5);
    assert_eq!(fake.journal_dropped(), 3);
    fake.clear_journal();
    assert_eq!((fake.journal().len(), fake.journal_dropped()), (0, 0));

    let off = zendesk_fake::start(Config {
        journal_limit: 0,
        ..Config::default()
    })
    .await
    .unwrap();
    assert_eq!(show_attachment_status(&off).await, 200);
    assert!(off.journal().is_empty());
    assert_eq!(off.journal_dropped(), 1);
}

#[tokio::test]
async fn an_api_body_over_the_limit_is_a_413_and_the_fake_serves_on() {
    let fake = zendesk_fake::start(Config::default()).await.unwrap();
    let response = raw_http()
        .post(format!("{}/api/v2/uploads?filename=big.bin", fake.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .body(vec![0u8; zendesk_fake::MAX_REQUEST_BODY + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(show_attachment_status(&fake).await, 200);
    // Below the limit, a file larger than axum's default 2 MB goes through.
    let response = raw_http()
        .post(format!("{}/api/v2/uploads?filename=big.bin", fake.base_url()))
        .header("authorization", AGENT_AUTHORIZATION)
        .body(vec![0u8; 3 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
}
