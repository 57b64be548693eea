//! The library against payloads written for the tests: each invalid one is
//! refused with the right pointer and a message a person understands.

use serde_json::{json, Value};
use zendesk_validate::{request, response, schema, LookupError, SchemaValidator};

fn email() -> Value {
    json!({"email": "vendor@example.com"})
}
fn slack() -> Value {
    json!({"slack_workspace_id": "T123ABC", "slack_channel_id": "C456DEF"})
}

/// Asserts exactly one violation, at `pointer`, whose message contains `message`.
fn assert_one(validator: SchemaValidator, payload: Value, pointer: &str, message: &str) {
    assert!(!validator.is_valid(&payload), "{payload} is valid");
    let violations = validator.validate(&payload);
    assert_eq!(violations.len(), 1, "{payload}: {violations:#?}");
    assert_eq!(violations[0].pointer, pointer, "{payload}: {violations:#?}");
    assert!(
        violations[0].message.contains(message),
        "{payload}: `{}` lacks `{message}`",
        violations[0].message
    );
    assert!(
        violations[0].schema_location.starts_with("#/definitions/"),
        "{:?}",
        violations[0]
    );
}

#[test]
fn mixed_participant_types_are_named() {
    let create = request("CreateSideConversation").unwrap();
    assert_one(
        create,
        json!({"message": {"to": [email(), slack()]}}),
        "/message",
        "participants of one message mix an email participant (/message/to/0) with a Slack participant (/message/to/1)",
    );
    assert_one(
        create,
        json!({"message": {"to": [{"support_group_id": 1}], "from": {"msteams_channel_id": "19:x"}}}),
        "/message",
        "mix a child ticket participant (/message/to/0) with a Microsoft Teams participant (/message/from)",
    );
    assert_one(
        create,
        json!({"message": {"to": [{"email": "a@example.com", "slack_channel_id": "C1"}]}}),
        "/message",
        "the participant at /message/to/0 mixes properties of an email participant and a Slack participant",
    );
}

#[test]
fn a_message_of_one_type_is_explained_by_that_types_rules() {
    let create = request("CreateSideConversation").unwrap();
    assert_one(
        create,
        json!({"message": {"subject": "s"}}),
        "/message",
        "\"to\" is a required property",
    );
    assert_one(
        create,
        json!({"message": {"to": [{"user_id": "123"}]}}),
        "/message/to/0/user_id",
        "is not of type \"integer\"",
    );
    assert_one(
        create,
        json!({"message": {"to": [{"support_group_id": "123"}]}}),
        "/message/to/0/support_group_id",
        "is not of type \"integer\"",
    );
    assert_one(
        create,
        json!({"message": {"to": [{"support_agent_id": 456}]}}),
        "/message/to/0",
        "\"support_group_id\" is a required property",
    );
    assert_one(
        create,
        json!({"message": {"to": [{"email": ""}]}}),
        "/message/to/0/email",
        "is not a \"email\"",
    );
    assert_one(
        create,
        json!({"message": {"to": [slack()], "cc": []}}),
        "/message",
        "('cc' was unexpected)",
    );
    assert_one(
        create,
        json!({"message": {"to": []}}),
        "/message/to",
        "[] has less than 1 item",
    );
}

#[test]
fn other_invalid_payloads() {
    let update = request("UpdateSideConversation").unwrap();
    assert_one(
        update,
        json!({"side_conversation": {"state": "pending"}}),
        "/side_conversation/state",
        "\"pending\" is not one of",
    );
    let create = request("CreateSideConversation").unwrap();
    assert_one(
        create,
        json!({"message": {"to": [email()]}, "external_ids": {"crm": 42}}),
        "/external_ids/crm",
        "42 is not of type \"string\"",
    );
    assert_one(
        response("UploadFiles", "201").unwrap(),
        json!({"upload": {"attachments": []}}),
        "/upload",
        "\"token\" is a required property",
    );
    assert_one(
        schema("SideConversation").unwrap(),
        json!({"ticket_id": "12345"}),
        "/ticket_id",
        "is not of type \"integer\"",
    );
    assert_one(
        schema("Attachment").unwrap(),
        json!({"id": 1, "thumbnails": [{"id": "2"}]}),
        "/thumbnails/0/id",
        "is not of type \"integer\"",
    );
}

#[test]
fn every_violation_is_listed() {
    let create = request("CreateSideConversation").unwrap();
    let payload =
        json!({"message": {"to": [email()]}, "external_ids": {"a": 1, "b": true}, "extra": 1});
    let pointers: Vec<String> = create
        .validate(&payload)
        .into_iter()
        .map(|v| v.pointer)
        .collect();
    assert!(
        pointers.contains(&"/external_ids/a".to_string()),
        "{pointers:?}"
    );
    assert!(
        pointers.contains(&"/external_ids/b".to_string()),
        "{pointers:?}"
    );
    assert!(
        pointers.contains(&String::new()),
        "the unknown top-level field: {pointers:?}"
    );
}

#[test]
fn lookups_say_what_is_missing() {
    assert_eq!(
        schema("Nope").unwrap_err(),
        LookupError::UnknownSchema("Nope".into())
    );
    assert!(request("ShowAttachment")
        .unwrap_err()
        .to_string()
        .contains("no request body"));
    let error = response("ShowAttachment", "201").unwrap_err().to_string();
    assert!(
        error.contains("has no 201 response; it answers 200, 401"),
        "{error}"
    );
    assert!(response("DeleteUpload", "204")
        .unwrap_err()
        .to_string()
        .contains("has no body"));
    assert!(request("UploadFiles")
        .unwrap_err()
        .to_string()
        .contains("not JSON but application/binary"));
    assert_eq!(
        request("CreateSideConversation").unwrap().schema_name(),
        "CreateSideConversationRequest"
    );
}

#[test]
fn validators_are_compiled_once() {
    // Equal handles share one compiled validator (equality is identity).
    assert_eq!(
        schema("SideConversationEvent").unwrap(),
        schema("SideConversationEvent").unwrap()
    );
    assert_eq!(
        request("CreateSideConversation").unwrap(),
        schema("CreateSideConversationRequest").unwrap()
    );
    assert_ne!(schema("Attachment").unwrap(), schema("Upload").unwrap());
}

#[test]
fn a_request_finds_the_operation_it_calls() {
    let at = |method: &str, path: &str| zendesk_validate::operation_at(method, path).map(|o| o.id);
    assert_eq!(
        at("get", "/api/v2/tickets/12345/side_conversations/8566a3b0"),
        Some("ShowSideConversation")
    );
    assert_eq!(
        at("POST", "/api/v2/tickets/12345/side_conversations/import"),
        Some("ImportSideConversation")
    );
    assert_eq!(
        at("DELETE", "/api/v2/uploads/6bk3gql82em5nmf"),
        Some("DeleteUpload")
    );
    assert_eq!(at("DELETE", "/api/v2/uploads/"), None);
    assert_eq!(at("PATCH", "/api/v2/uploads/6bk3gql82em5nmf"), None);
    assert_eq!(
        at("GET", "/api/v2/tickets/12345/side_conversations/x/y"),
        None
    );
}
