//! The generated models against the spec's examples: each type's derived
//! schema accepts its examples (the types are no stricter than the spec),
//! and each example reads into its type and writes back unchanged.

mod support;

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};
use support::{bundle, example_cases, ExampleCase};
use zendesk_models::{schema_type, SCHEMA_TYPES};

/// The examples the spec holds valid (those noted `x-invalid` break the
/// schema on purpose and are no test of the types).
fn valid_examples() -> Vec<ExampleCase> {
    let cases: Vec<ExampleCase> = example_cases()
        .into_iter()
        .filter(|c| c.invalid_at.is_empty() && c.schema.is_some())
        .collect();
    assert!(cases.len() >= 25, "only {} valid examples", cases.len());
    cases
}

#[test]
fn every_component_schema_has_one_type() {
    let types: BTreeSet<&str> = SCHEMA_TYPES.iter().map(|t| t.name).collect();
    let schemas: BTreeSet<&str> = bundle()["definitions"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(types, schemas);
    assert_eq!(types.len(), SCHEMA_TYPES.len(), "a schema listed twice");
}

#[test]
fn each_types_derived_schema_accepts_its_examples() {
    for case in valid_examples() {
        let name = case.schema.as_deref().unwrap_or_default();
        let schema_type = schema_type(name).unwrap_or_else(|| panic!("no type for {name}"));
        let derived = serde_json::to_value((schema_type.json_schema)()).unwrap();
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&derived)
            .unwrap_or_else(|e| panic!("{name}: the derived schema does not compile: {e}"));
        let instance = &case.value;
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {name} refuses it:\n{}",
            case.what,
            errors.join("\n")
        );
    }
}

#[test]
fn every_example_reads_into_its_type_and_writes_back_unchanged() {
    for case in valid_examples() {
        let name = case.schema.as_deref().unwrap_or_default();
        let original = case.value.clone();
        let schema_type = schema_type(name).unwrap();
        let written = (schema_type.round_trip)(&original)
            .unwrap_or_else(|e| panic!("{}: does not read as {name}: {e}", case.what));
        let schema = json!({"$ref": format!("#/definitions/{name}")});
        assert_eq!(
            without_optional_nulls(&written, &schema),
            without_optional_nulls(&original, &schema),
            "{}: written back differently",
            case.what
        );
    }
}

#[test]
fn the_comparison_keeps_nulls_where_they_matter() {
    // A required property's null is kept, so losing it would be caught.
    let schema = json!({"$ref": "#/definitions/Upload"});
    assert_eq!(
        without_optional_nulls(&json!({"token": null, "expires_at": null}), &schema),
        json!({"token": null})
    );
}

#[test]
fn responses_with_unknown_fields_still_read() {
    let response = json!({
        "side_conversation": {"id": "a", "added_later": {"x": [1]}, "participants": [{"user_id": 1, "new": true}]},
        "events": [{"id": "e", "type": "some_new_type", "message": {"to": [], "brand_new": 1}}],
    });
    let written = (schema_type("SideConversationResponse").unwrap().round_trip)(&response).unwrap();
    assert_eq!(written["side_conversation"]["id"], "a");
    assert_eq!(written["events"][0]["type"], "some_new_type");
}

#[test]
fn request_types_refuse_what_the_service_refuses() {
    let create = schema_type("CreateSideConversationRequest").unwrap();
    let unknown_field = json!({"message": {"to": [{"user_id": 1}], "cc": []}});
    assert!((create.round_trip)(&unknown_field).is_err());
    let mixed = json!({"message": {"to": [{"user_id": 1}, {"slack_workspace_id": "T", "slack_channel_id": "C"}]}});
    assert!((create.round_trip)(&mixed).is_err());
    let state = schema_type("UpdateSideConversationRequest").unwrap();
    assert!((state.round_trip)(&json!({"side_conversation": {"state": "pending"}})).is_err());
}

#[test]
fn requests_built_in_rust_pass_the_spec() {
    use zendesk_models::{
        CreateSideConversationRequest, MessageRequest, SlackMessageRequest, SlackParticipant,
    };
    let message = SlackMessageRequest::builder()
        .subject(Some("My printer is on fire!".to_string()))
        .body(Some("The smoke is very colorful.".to_string()))
        .to(vec![SlackParticipant::new("T123ABC", "C456DEF")]);
    let request = CreateSideConversationRequest::builder()
        .message(MessageRequest::SlackMessageRequest(
            message.try_into().unwrap(),
        ))
        .try_into()
        .map(|r: CreateSideConversationRequest| r)
        .unwrap();
    let json = serde_json::to_value(&request).unwrap();
    let errors: Vec<String> = support::validator("CreateSideConversationRequest")
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{json}: {errors:?}");
    assert_eq!(json["message"]["to"][0]["slack_channel_id"], "C456DEF");
}

/// `value` without the `null`s and empty lists of properties its schema does
/// not require: the types write an absent optional value as absent, never as
/// `null`, and an optional list that is empty as absent.
fn without_optional_nulls(value: &Value, schema: &Value) -> Value {
    let schema = resolve(schema);
    match value {
        Value::Object(map) => {
            let required = required_properties(schema);
            let mut out = Map::new();
            for (key, child) in map {
                // An optional property that is null, an empty list, or an
                // empty free-form object (a map to typify) reads as the same
                // absence: typify skips writing each.
                let free_form = || resolve(&property_schema(schema, key)).get("properties").is_none();
                let empty = child.is_null()
                    || child.as_array().is_some_and(Vec::is_empty)
                    || (child.as_object().is_some_and(Map::is_empty) && free_form());
                if empty && !required.contains(key.as_str()) {
                    continue;
                }
                out.insert(
                    key.clone(),
                    without_optional_nulls(child, &property_schema(schema, key)),
                );
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let item_schema = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                items
                    .iter()
                    .map(|i| without_optional_nulls(i, &item_schema))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(
            bundle()
                .pointer(reference.trim_start_matches('#'))
                .expect("$ref resolves"),
        ),
        None => schema,
    }
}

/// The schema and the branches of its `oneOf`/`anyOf`/`allOf`.
fn branches(schema: &Value) -> Vec<&Value> {
    let mut all = vec![schema];
    for keyword in ["oneOf", "anyOf", "allOf"] {
        for branch in schema
            .get(keyword)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            all.extend(branches(resolve(branch)));
        }
    }
    all
}

fn required_properties(schema: &Value) -> BTreeSet<&str> {
    branches(schema)
        .into_iter()
        .flat_map(|s| {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(Value::as_str)
        .collect()
}

fn property_schema(schema: &Value, key: &str) -> Value {
    branches(schema)
        .into_iter()
        .find_map(|s| s.get("properties").and_then(|p| p.get(key)))
        .cloned()
        .unwrap_or(json!({}))
}

#[test]
fn a_message_attachment_id_reads_as_a_string_or_an_integer() {
    use zendesk_models::{SideConversationMessageAttachment, SideConversationMessageAttachmentId};
    let read = |body: serde_json::Value| {
        serde_json::from_value::<SideConversationMessageAttachment>(body)
            .unwrap()
            .id
    };
    assert_eq!(
        read(json!({"id": "4c4ab5b0-a3dd-11ec"})),
        Some(SideConversationMessageAttachmentId::String(
            "4c4ab5b0-a3dd-11ec".into()
        ))
    );
    assert_eq!(
        read(json!({"id": 9223372036854775807_i64})),
        Some(SideConversationMessageAttachmentId::Int64(i64::MAX))
    );
}

/// The bodies in the shape the service sends (`tests/fixtures/traffic/`,
/// named as `zendesk-validate` reads names): each is valid, reads into its
/// type and writes back the same, and the spec describes every property.
#[test]
fn bodies_as_the_service_sends_them_validate_and_read_into_their_types() {
    let folder = zendesk_spec::workspace_root().join("tests/fixtures/traffic");
    let mut checked = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        let named = support::classify(name).unwrap_or_else(|e| panic!("{e}"));
        let validator = zendesk_validate::for_target(&named.target).unwrap();
        let body = support::read_json(&path);
        let violations = validator.validate(&body);
        assert!(violations.is_empty(), "{name}: {violations:?}");
        let undocumented = validator.undocumented(&body);
        assert!(undocumented.is_empty(), "{name}: the spec does not describe {undocumented:?}");
        let schema = validator.schema_name();
        let written = (schema_type(schema).unwrap().round_trip)(&body)
            .unwrap_or_else(|e| panic!("{name}: does not read as {schema}: {e}"));
        let reference = json!({"$ref": format!("#/definitions/{schema}")});
        assert_eq!(
            without_optional_nulls(&written, &reference),
            without_optional_nulls(&body, &reference),
            "{name}: written back differently"
        );
        checked += 1;
    }
    assert!(checked >= 2, "only {checked} bodies");
}
