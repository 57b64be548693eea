//! Holds `spec/openapi.yaml` to Zendesk's documentation: it is valid OpenAPI
//! 3.0, defines the 14 operations of the seed reference pages as documented
//! (and every other operation says which document it was imported from),
//! carries every documented example (each valid, or invalid exactly where
//! the spec says the documentation is wrong), and refuses the request bodies
//! the service would.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{json, Value};
use support::{
    bundle, classify, example_cases, example_files, example_path, is_seed, operations, read_json,
    seed_operations, spec, validator, walk, SEED_OPERATIONS,
};
use zendesk_spec::operations::{BodySchema, Operation};
use zendesk_spec::{workspace_root, SpecDocument};
use zendesk_validate::file_names::Target;

/// How many example bodies the seed reference pages print; the spec carries each.
const DOCUMENTED_EXAMPLE_COUNT: usize = 33;

#[test]
fn document_parses_as_openapi_3_0_with_openapiv3() {
    let spec = spec();
    assert_eq!(spec.openapi().openapi, "3.0.3");
    let seed_paths: BTreeSet<&str> = SEED_OPERATIONS.iter().map(|(_, path, _)| *path).collect();
    assert_eq!(seed_paths.len(), 12, "the seed operations use 12 paths");
    for path in seed_paths {
        assert!(spec.openapi().paths.paths.contains_key(path), "{path} is missing");
    }
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
fn the_seed_operations_are_present_and_every_other_one_names_its_source() {
    let defined: BTreeSet<(String, String, String)> = operations()
        .iter()
        .map(|o| (o.method.clone(), o.path.clone(), o.id.clone()))
        .collect();
    let missing: Vec<String> = SEED_OPERATIONS
        .iter()
        .filter(|(m, p, id)| !defined.contains(&(m.to_string(), p.to_string(), id.to_string())))
        .map(|(m, p, id)| format!("  - {id}: {m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "spec/openapi.yaml no longer holds these operations of Zendesk's reference pages \
         (../shared/docs/) as documented:\n{}\n\
         If the change is meant, record the decision and its source in spec/NOTES.md, then \
         update SEED_OPERATIONS in tests/support/mod.rs.",
        missing.join("\n")
    );
    assert_eq!(seed_operations().len(), SEED_OPERATIONS.len());
    for operation in operations() {
        let pointer = format!(
            "/paths/{}/{}/x-source",
            zendesk_spec::json_schema::escape_pointer_token(&operation.path),
            operation.method.to_lowercase()
        );
        let source = spec().value().pointer(&pointer);
        if is_seed(operation) {
            assert!(source.is_none(), "{}: a seed operation is not imported", operation.id);
            continue;
        }
        let source = source.unwrap_or_else(|| {
            panic!(
                "{} is neither an operation of the seed pages nor imported (x-source); add it \
                 with `cargo xtask import`, or add it to SEED_OPERATIONS with its source",
                operation.id
            )
        });
        for key in ["title", "version", "sha256"] {
            assert!(source[key].is_string(), "{}: x-source has no {key}", operation.id);
        }
    }
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
        let seed = is_seed(operation);
        assert!(!operation.summary.is_empty(), "{id}: no summary");
        if seed {
            assert!(
                operation.description.contains("Allowed for:"),
                "{id}: description does not say who may call it"
            );
            assert!(!operation.allowed_for.is_empty(), "{id}: no x-allowed-for");
            assert_eq!(operation.tags.len(), 1, "{id}: one tag per reference page");
        }
        for role in &operation.allowed_for {
            assert!(
                ["agents", "admins", "end-users"].contains(&role.as_str()),
                "{id}: unknown role {role}"
            );
        }
        for tag in &operation.tags {
            assert!(declared_tags.contains(tag), "{id}: undeclared tag {tag}");
        }
        assert!(
            operation.responses.iter().any(|r| r.is_success()),
            "{id}: no success response"
        );
        // Every operation documents what the service answers any call with
        // (imported ones get the spec's `x-common-responses`).
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
            .filter(|r| seed && r.is_success() && r.status != "204")
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
                ["type", "$ref", "oneOf", "anyOf", "allOf"]
                    .iter()
                    .any(|k| parameter.schema.get(*k).is_some()),
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
        if let Some(file) = &case.file {
            let file_name = file.file_name().unwrap().to_str().unwrap();
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
        }
        let expected: BTreeSet<String> = case.invalid_at.iter().cloned().collect();
        let validator = match (&case.schema, &case.inline_schema) {
            (Some(schema), _) => validator(schema),
            (None, Some(schema)) => inline_validator(schema),
            (None, None) => continue,
        };
        assert_violations(&validator, &case.value, &expected, &case.what);
    }
    assert_eq!(
        cases.iter().filter(|c| c.file.is_some()).count(),
        example_files().len(),
        "every example file is checked once"
    );
}

#[test]
fn every_example_file_is_linked_and_every_documented_example_is_kept() {
    let linked_by = |operations: &[&zendesk_spec::Operation]| -> Vec<String> {
        operations
            .iter()
            .flat_map(|o| {
                let request = o.request_body.iter().flat_map(|b| b.media.iter());
                let responses = o.responses.iter().flat_map(|r| r.media.iter());
                request
                    .chain(responses)
                    .flat_map(|m| m.examples.iter().filter_map(|e| e.file().map(String::from)))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let linked = linked_by(&operations().iter().collect::<Vec<_>>());
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
    let seed = linked_by(&seed_operations());
    let repaired = seed.iter().filter(|f| f.contains(".repaired.")).count();
    let schema_examples = example_files()
        .iter()
        .filter(|f| {
            classify(f.file_name().unwrap().to_str().unwrap())
                .is_ok_and(|n| matches!(n.target, Target::Schema(_)))
        })
        .count();
    assert_eq!(
        seed.len() + schema_examples - repaired,
        DOCUMENTED_EXAMPLE_COUNT,
        "the seed pages' documented examples"
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
        let errors = leaf_error_locations(&validator(schema), &payload);
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
        &validator("SideConversationResponse"),
        &unknown_fields,
        &BTreeSet::new(),
        "unknown fields and 64-bit ids",
    );
    let bare_event = json!({"events": [{"id": "e1", "type": "email_failure", "actor": {}, "updates": {}}], "end_of_stream": true});
    assert_violations(
        &validator("SideConversationEventExportResponse"),
        &bare_event,
        &BTreeSet::new(),
        "an event type added later",
    );
    let plain_error = json!({"error": {"title": "Forbidden", "message": "You do not have access"}});
    assert_violations(
        &validator("ErrorResponse"),
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
fn leaf_error_locations(validator: &jsonschema::Validator, instance: &Value) -> BTreeSet<String> {
    validator
        .evaluate(instance)
        .iter_errors()
        .map(|e| e.instance_location.as_str().to_string())
        .collect()
}

/// A validator for a body's schema written in place (its `$ref`s into the
/// bundle).
fn inline_validator(schema: &Value) -> jsonschema::Validator {
    let mut root = zendesk_spec::json_schema::translate(schema, "/inline").unwrap();
    root["$schema"] = json!(zendesk_spec::json_schema::DRAFT_07);
    root["definitions"] = bundle()["definitions"].clone();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&root)
        .unwrap()
}

/// Checks that `instance` is valid when `expected` is empty; otherwise that
/// it is invalid, that every expected pointer is the place of a violation,
/// and that every violation lies on the way to an expected pointer (so
/// nothing else in the instance is wrong).
fn assert_violations(
    validator: &jsonschema::Validator,
    instance: &Value,
    expected: &BTreeSet<String>,
    what: &str,
) {
    if expected.is_empty() {
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{what} is not valid:\n{}",
            errors.join("\n")
        );
        return;
    }
    assert!(
        !validator.is_valid(instance),
        "{what}: noted as invalid, but it is valid"
    );
    let found = leaf_error_locations(validator, instance);
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
            BodySchema::Inline(_) | BodySchema::Untyped => None,
        })
        .collect()
}
