//! Holds `spec/openapi.yaml` to Zendesk's documentation: it is valid OpenAPI
//! 3.0, defines exactly the 14 documented operations, carries every
//! documented example (each valid, or invalid exactly where the spec says the
//! documentation is wrong), and refuses the request bodies the service would.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{json, Value};
use support::{
    bundle, classify, example_cases, example_files, example_path, operations, read_json, spec,
    validator, walk,
};
use zendesk_spec::operations::{BodySchema, Operation};
use zendesk_spec::{workspace_root, SpecDocument};
use zendesk_validate::file_names::Target;

/// The operations of Zendesk's reference pages: method, path, operationId.
const DOCUMENTED_OPERATIONS: [(&str, &str, &str); 14] = [
    (
        "GET",
        "/api/v2/tickets/{ticket_id}/side_conversations",
        "ListSideConversations",
    ),
    (
        "GET",
        "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}",
        "ShowSideConversation",
    ),
    (
        "POST",
        "/api/v2/tickets/{ticket_id}/side_conversations",
        "CreateSideConversation",
    ),
    (
        "PUT",
        "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}",
        "UpdateSideConversation",
    ),
    (
        "POST",
        "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/reply",
        "ReplyToSideConversation",
    ),
    (
        "POST",
        "/api/v2/tickets/{ticket_id}/side_conversations/import",
        "ImportSideConversation",
    ),
    (
        "POST",
        "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/events/import",
        "ImportSideConversationEvents",
    ),
    (
        "GET",
        "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/events",
        "ListSideConversationEvents",
    ),
    (
        "GET",
        "/api/v2/tickets/side_conversations/events",
        "IncrementalSideConversationEventExport",
    ),
    (
        "POST",
        "/api/v2/tickets/side_conversations/attachments",
        "CreateSideConversationAttachment",
    ),
    (
        "GET",
        "/api/v2/attachments/{attachment_id}",
        "ShowAttachment",
    ),
    (
        "PUT",
        "/api/v2/tickets/{ticket_id}/comments/{comment_id}/attachments/{attachment_id}/redact",
        "RedactCommentAttachment",
    ),
    ("POST", "/api/v2/uploads", "UploadFiles"),
    ("DELETE", "/api/v2/uploads/{token}", "DeleteUpload"),
];

/// How many example bodies the reference pages print; the spec carries each.
const DOCUMENTED_EXAMPLE_COUNT: usize = 33;

#[test]
fn document_parses_as_openapi_3_0_with_openapiv3() {
    let spec = spec();
    assert_eq!(spec.openapi().openapi, "3.0.3");
    assert_eq!(
        spec.openapi().paths.paths.len(),
        12,
        "the documented operations use 12 paths; see the_fourteen_documented_operations_are_present_exactly"
    );
}

#[test]
fn document_validates_against_the_official_openapi_3_0_schema() {
    let meta_schema = read_json(workspace_root().join("spec/vendor/openapi-3.0-schema.json"));
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&meta_schema)
        .expect("the OpenAPI 3.0 meta-schema compiles");
    let problems: Vec<String> = validator
        .iter_errors(spec().value())
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "not valid OpenAPI 3.0:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_ref_resolves() {
    let document = spec().value();
    let mut unresolved = Vec::new();
    let mut count = 0;
    walk(document, "", &mut |pointer, value| {
        if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            count += 1;
            let target = reference
                .strip_prefix('#')
                .and_then(|p| document.pointer(p));
            if target.is_none() {
                unresolved.push(format!("{pointer}: {reference}"));
            }
        }
    });
    assert!(count > 100, "only {count} $refs found");
    assert!(
        unresolved.is_empty(),
        "unresolved $refs:\n{}",
        unresolved.join("\n")
    );
}

#[test]
fn the_fourteen_documented_operations_are_present_exactly() {
    let defined: BTreeSet<(String, String, String)> = operations()
        .iter()
        .map(|o| (o.method.clone(), o.path.clone(), o.id.clone()))
        .collect();
    let documented: BTreeSet<(String, String, String)> = DOCUMENTED_OPERATIONS
        .iter()
        .map(|(m, p, id)| (m.to_string(), p.to_string(), id.to_string()))
        .collect();
    let added: Vec<String> = defined
        .difference(&documented)
        .map(|(m, p, id)| format!("  + {id}: {m} {p}"))
        .collect();
    let missing: Vec<String> = documented
        .difference(&defined)
        .map(|(m, p, id)| format!("  - {id}: {m} {p}"))
        .collect();
    assert!(
        added.is_empty() && missing.is_empty(),
        "spec/openapi.yaml now differs from the 14 operations of Zendesk's reference pages \
         (../shared/docs/):\n{}\n\
         If the change is meant (Zendesk documented it, or the spec decides beyond the pages), \
         record the decision and its source in spec/NOTES.md, then update \
         DOCUMENTED_OPERATIONS in tests/spec_contract.rs to match.",
        [added, missing].concat().join("\n")
    );
    assert_eq!(operations().len(), DOCUMENTED_OPERATIONS.len());
}

#[test]
fn every_operation_is_fully_described() {
    let declared_tags: BTreeSet<String> = spec()
        .openapi()
        .tags
        .iter()
        .map(|t| t.name.clone())
        .collect();
    for operation in operations() {
        let id = &operation.id;
        assert!(!operation.summary.is_empty(), "{id}: no summary");
        assert!(
            operation.description.contains("Allowed for:"),
            "{id}: description does not say who may call it"
        );
        assert!(!operation.allowed_for.is_empty(), "{id}: no x-allowed-for");
        for role in &operation.allowed_for {
            assert!(
                ["agents", "admins", "end-users"].contains(&role.as_str()),
                "{id}: unknown role {role}"
            );
        }
        assert_eq!(operation.tags.len(), 1, "{id}: one tag per reference page");
        assert!(
            declared_tags.contains(&operation.tags[0]),
            "{id}: undeclared tag"
        );
        assert!(
            operation.responses.iter().any(|r| r.is_success()),
            "{id}: no success response"
        );
        for status in ["401", "403", "429"] {
            assert!(
                operation.responses.iter().any(|r| r.status == status),
                "{id}: no {status} response"
            );
        }
        for response in operation.responses.iter().filter(|r| r.is_error()) {
            let json = response
                .media
                .iter()
                .find(|m| m.media_type == "application/json");
            assert_eq!(
                json.map(|m| &m.schema),
                Some(&BodySchema::Component("ErrorResponse".into())),
                "{id} {}: errors use Zendesk's error body",
                response.status
            );
        }
        for response in operation
            .responses
            .iter()
            .filter(|r| r.is_success() && r.status != "204")
        {
            assert!(
                response
                    .media
                    .iter()
                    .any(|m| matches!(m.schema, BodySchema::Component(_))),
                "{id} {}: a success body must be a named schema",
                response.status
            );
        }
        for parameter in &operation.parameters {
            assert!(
                parameter.schema.get("type").is_some() || parameter.schema.get("$ref").is_some(),
                "{id}: parameter {} has no type",
                parameter.name
            );
            if parameter.location == "path" {
                assert!(
                    operation.path.contains(&format!("{{{}}}", parameter.name)),
                    "{id}: path parameter {} is not in the path",
                    parameter.name
                );
            }
        }
        let path_parameters = operation.path.matches('{').count();
        assert_eq!(
            operation
                .parameters
                .iter()
                .filter(|p| p.location == "path")
                .count(),
            path_parameters,
            "{id}: every path template is a declared parameter"
        );
    }
}

#[test]
fn operations_accept_what_the_documentation_says() {
    let by_id: BTreeMap<&str, &Operation> =
        operations().iter().map(|o| (o.id.as_str(), o)).collect();
    let request = |id: &str| -> Vec<String> {
        by_id[id]
            .request_body
            .iter()
            .flat_map(|b| b.media.iter().map(|m| m.media_type.clone()))
            .collect()
    };
    assert_eq!(
        request("CreateSideConversationAttachment"),
        ["multipart/form-data"]
    );
    assert_eq!(request("UploadFiles")[0], "application/binary");
    assert!(request("DeleteUpload").is_empty());
    let delete = &by_id["DeleteUpload"].responses[0];
    assert_eq!(
        (delete.status.as_str(), delete.media.len()),
        ("204", 0),
        "DeleteUpload answers 204 with no body"
    );

    let query = |id: &str| -> BTreeMap<String, bool> {
        by_id[id]
            .parameters
            .iter()
            .filter(|p| p.location == "query")
            .map(|p| (p.name.clone(), p.required))
            .collect()
    };
    assert_eq!(
        query("UploadFiles"),
        BTreeMap::from([("filename".into(), true), ("token".into(), false)])
    );
    assert_eq!(
        query("IncrementalSideConversationEventExport"),
        BTreeMap::from([("start_time".into(), true)])
    );
    assert!(!query("ListSideConversations")["include"]);
    assert!(!query("ListSideConversationEvents")["include"]);
    assert_eq!(
        by_id["IncrementalSideConversationEventExport"].allowed_for,
        ["admins"]
    );
    assert_eq!(by_id["UploadFiles"].allowed_for, ["end-users"]);

    let security = spec().value()["components"]["securitySchemes"].clone();
    assert_eq!(security["apiToken"]["scheme"], "basic");
    assert_eq!(security["oauthBearer"]["scheme"], "bearer");
    assert_eq!(security["passwordBasic"]["x-deprecated"], true);
    let server = &spec().value()["servers"][0];
    assert_eq!(server["url"], "https://{subdomain}.zendesk.com");
    assert!(server["variables"]["subdomain"].is_object());
}

#[test]
fn the_json_schema_bundle_is_complete_and_self_contained() {
    let bundle = bundle();
    let definitions = bundle["definitions"].as_object().unwrap();
    assert_eq!(definitions.len(), spec().component_schemas().len());
    walk(bundle, "", &mut |pointer, value| {
        if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            let target = reference.strip_prefix('#').and_then(|p| bundle.pointer(p));
            assert!(
                target.is_some(),
                "{pointer}: {reference} does not resolve inside the bundle"
            );
        }
        assert!(
            value.get("nullable").is_none(),
            "{pointer}: `nullable` left untranslated"
        );
    });
    jsonschema::draft7::meta::validate(bundle).expect("the bundle is valid draft-07");
}

#[test]
fn every_example_validates_against_its_schema_or_fails_exactly_where_noted() {
    let cases = example_cases();
    for case in &cases {
        let file_name = case.file.file_name().unwrap().to_str().unwrap();
        let named = classify(file_name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            named.target, case.target,
            "{}: the file name does not say what it is an example of",
            case.what
        );
        assert_eq!(
            named.expect_invalid,
            !case.invalid_at.is_empty(),
            "{}: the label `invalid` is in the name exactly when the spec notes x-invalid",
            case.what
        );
        let expected: BTreeSet<String> = case.invalid_at.iter().cloned().collect();
        assert_violations(&case.schema, &read_json(&case.file), &expected, &case.what);
    }
    assert_eq!(
        cases.len(),
        example_files().len(),
        "every example file is checked once"
    );
}

#[test]
fn every_example_file_is_linked_and_every_documented_example_is_kept() {
    let linked: Vec<String> = operations()
        .iter()
        .flat_map(|o| {
            let request = o.request_body.iter().flat_map(|b| b.media.iter());
            let responses = o.responses.iter().flat_map(|r| r.media.iter());
            request
                .chain(responses)
                .flat_map(|m| m.examples.iter().map(|e| e.file.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let linked_set: BTreeSet<PathBuf> = linked.iter().map(|f| example_path(f)).collect();
    assert_eq!(
        linked_set.len(),
        linked.len(),
        "an example file is linked twice"
    );
    for file in example_files() {
        let name = file.file_name().unwrap().to_str().unwrap();
        match classify(name) {
            Ok(named) if matches!(named.target, Target::Schema(_)) => {}
            Ok(_) => assert!(
                linked_set.contains(&file),
                "{name} is not linked from the spec"
            ),
            Err(message) => panic!("{message}"),
        }
    }
    let repaired = linked.iter().filter(|f| f.contains(".repaired.")).count();
    assert_eq!(
        example_files().len() - repaired,
        DOCUMENTED_EXAMPLE_COUNT,
        "documented examples"
    );
}

#[test]
fn request_bodies_the_service_would_refuse_are_rejected() {
    let email = json!({"email": "vendor@example.com"});
    let slack = json!({"slack_workspace_id": "T123ABC", "slack_channel_id": "C456DEF"});
    let create = |message: Value| json!({"message": message});
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        (
            "mixed participant types in `to`",
            "CreateSideConversationRequest",
            create(json!({"subject": "s", "to": [email, slack]})),
            "/message/to/1",
        ),
        (
            "`from` of another type than `to`",
            "CreateSideConversationRequest",
            create(json!({"to": [email], "from": slack})),
            "/message/from",
        ),
        (
            "missing `to`",
            "CreateSideConversationRequest",
            create(json!({"subject": "s", "body": "b"})),
            "/message",
        ),
        (
            "empty `to`",
            "ReplyToSideConversationRequest",
            create(json!({"to": []})),
            "/message/to",
        ),
        (
            "a string user id",
            "CreateSideConversationRequest",
            create(json!({"to": [{"user_id": "123"}]})),
            "/message/to/0/user_id",
        ),
        (
            "a string support group id",
            "CreateSideConversationRequest",
            create(json!({"to": [{"support_group_id": "123"}]})),
            "/message/to/0/support_group_id",
        ),
        (
            "an agent without a group",
            "CreateSideConversationRequest",
            create(json!({"to": [{"support_agent_id": 456}]})),
            "/message/to/0",
        ),
        (
            "a name with a user id",
            "CreateSideConversationRequest",
            create(json!({"to": [{"user_id": 1, "name": "N"}]})),
            "/message/to/0",
        ),
        (
            "an address that is not one",
            "CreateSideConversationRequest",
            create(json!({"to": [{"email": "not-an-address"}]})),
            "/message/to/0/email",
        ),
        (
            "a Slack channel without a workspace",
            "CreateSideConversationRequest",
            create(json!({"to": [{"slack_channel_id": "C1"}]})),
            "/message/to/0",
        ),
        (
            "an unknown message field",
            "CreateSideConversationRequest",
            create(json!({"to": [email], "cc": [email]})),
            "/message",
        ),
        (
            "external_ids with a number",
            "CreateSideConversationRequest",
            json!({"message": {"to": [email]}, "external_ids": {"crm": 42}}),
            "/external_ids/crm",
        ),
        (
            "an unknown state",
            "UpdateSideConversationRequest",
            json!({"side_conversation": {"state": "pending"}}),
            "/side_conversation/state",
        ),
        (
            "a read-only field in an update",
            "UpdateSideConversationRequest",
            json!({"side_conversation": {"id": "x"}}),
            "/side_conversation",
        ),
        (
            "an import without events",
            "ImportSideConversationRequest",
            json!({"side_conversation": {"subject": "s"}, "events": []}),
            "/events",
        ),
        (
            "an import event at a time that is not one",
            "ImportSideConversationEventsRequest",
            json!({"events": [{"created_at": "yesterday", "message": {"to": [email]}}]}),
            "/events/0/created_at",
        ),
        (
            "an upload response without a token",
            "UploadResponse",
            json!({"upload": {"attachments": []}}),
            "/upload",
        ),
        (
            "a side conversation with a string ticket id",
            "SideConversation",
            json!({"ticket_id": "12345"}),
            "/ticket_id",
        ),
    ];
    for (what, schema, payload, pointer) in cases {
        let errors = leaf_error_locations(schema, &payload);
        assert!(
            !errors.is_empty(),
            "{what}: accepted, but the service refuses it"
        );
        assert!(
            errors.contains(pointer),
            "{what}: expected a violation at {pointer}, got {errors:?}"
        );
    }
}

#[test]
fn responses_are_read_liberally() {
    let unknown_fields = json!({
        "side_conversation": {
            "id": "8566255a", "ticket_id": 12_345_678_901_i64, "future_field": {"a": 1},
            "created_at": "2018-11-20T16:58:36Z", "updated_at": "2018-11-20T16:58:36.453+00:00",
            "subject": null, "state": "archived",
            "participants": [{"user_id": 9_007_199_254_740_000_i64, "email": null, "name": null, "slack_user_id": "U1"},
                             {"support_group_id": 123, "support_agent_id": "456"}]
        },
        "sideloaded_later": []
    });
    assert_violations(
        "SideConversationResponse",
        &unknown_fields,
        &BTreeSet::new(),
        "unknown fields and 64-bit ids",
    );
    let bare_event = json!({"events": [{"id": "e1", "type": "email_failure", "actor": {}, "updates": {}}], "end_of_stream": true});
    assert_violations(
        "SideConversationEventExportResponse",
        &bare_event,
        &BTreeSet::new(),
        "an event type added later",
    );
    let plain_error = json!({"error": {"title": "Forbidden", "message": "You do not have access"}});
    assert_violations(
        "ErrorResponse",
        &plain_error,
        &BTreeSet::new(),
        "an error object",
    );

    // No object reachable from a response body may close itself to new fields.
    let bundle = bundle();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = response_schemas().into_iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let schema = &bundle["definitions"][&name];
        walk(schema, &name, &mut |pointer, value| {
            assert_ne!(
                value.get("additionalProperties"),
                Some(&json!(false)),
                "{pointer}: a response object refuses unknown fields"
            );
            if let Some(target) = value.get("$ref").and_then(Value::as_str) {
                pending.push(target.trim_start_matches("#/definitions/").to_string());
            }
        });
    }
    assert!(
        seen.contains("Participant") && seen.contains("Attachment"),
        "walked {seen:?}"
    );
}

#[test]
fn translation_errors_name_the_place() {
    let broken = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: 'other.yaml#/B'}\n";
    let spec = SpecDocument::parse(broken, "broken.yaml".into()).unwrap();
    let error = spec.json_schema_bundle().unwrap_err().to_string();
    assert!(
        error.contains("/components/schemas/A/properties/b/$ref"),
        "{error}"
    );
    let error = SpecDocument::parse(
        &broken.replace("{$ref: 'other.yaml#/B'}", "{nullable: 1}"),
        "b.yaml".into(),
    )
    .unwrap_err()
    .to_string();
    let location: Vec<&str> = error.splitn(4, ':').collect();
    assert_eq!(location[0], "b.yaml", "{error}");
    assert!(
        location[1].parse::<usize>().unwrap_or(0) > 0 && location[2].parse::<usize>().is_ok(),
        "{error}"
    );
    assert!(error.contains("expected a boolean"), "{error}");
    let error = SpecDocument::parse("openapi: 3.0.3\ninfo: [\n", "bad.yaml".into())
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("bad.yaml:"), "{error}");
}

// ---- helpers -----------------------------------------------------------------

/// Where the innermost violations lie (every branch of a `oneOf` included).
fn leaf_error_locations(schema: &str, instance: &Value) -> BTreeSet<String> {
    validator(schema)
        .evaluate(instance)
        .iter_errors()
        .map(|e| e.instance_location.as_str().to_string())
        .collect()
}

/// Checks that `instance` is valid when `expected` is empty; otherwise that
/// it is invalid, that every expected pointer is the place of a violation,
/// and that every violation lies on the way to an expected pointer (so
/// nothing else in the instance is wrong).
fn assert_violations(schema: &str, instance: &Value, expected: &BTreeSet<String>, what: &str) {
    let validator = validator(schema);
    if expected.is_empty() {
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{what} is not a valid {schema}:\n{}",
            errors.join("\n")
        );
        return;
    }
    assert!(
        !validator.is_valid(instance),
        "{what}: noted as invalid, but it is a valid {schema}"
    );
    let found = leaf_error_locations(schema, instance);
    for pointer in expected {
        assert!(
            found.contains(pointer),
            "{what}: no violation at {pointer}; violations at {found:?}"
        );
    }
    for location in &found {
        let explained = expected
            .iter()
            .any(|p| p == location || p.starts_with(&format!("{location}/")));
        assert!(
            explained,
            "{what}: a violation at {location} that the spec does not note"
        );
    }
}

/// The schemas of every success response body.
fn response_schemas() -> BTreeSet<String> {
    operations()
        .iter()
        .flat_map(|o| o.responses.iter().filter(|r| r.is_success()))
        .flat_map(|r| r.media.iter())
        .filter_map(|m| match &m.schema {
            BodySchema::Component(name) => Some(name.clone()),
            BodySchema::Inline(_) => None,
        })
        .collect()
}
