//! What the workspace tests share: the spec, its bundle, validators for its
//! schemas, and its example files.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{json, Value};
use zendesk_spec::json_schema;
use zendesk_spec::operations::{BodySchema, ExampleSource, Operation};
use zendesk_spec::SpecDocument;
use zendesk_validate::file_names::{self, NamedPayload, Target};

pub fn spec() -> &'static SpecDocument {
    static SPEC: OnceLock<SpecDocument> = OnceLock::new();
    SPEC.get_or_init(|| SpecDocument::load_workspace_spec().unwrap_or_else(|e| panic!("{e}")))
}

pub fn operations() -> &'static [Operation] {
    static OPERATIONS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPERATIONS.get_or_init(|| spec().operations().unwrap_or_else(|e| panic!("{e}")))
}

pub fn bundle() -> &'static Value {
    static BUNDLE: OnceLock<Value> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        spec()
            .json_schema_bundle()
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

/// A validator for one named schema of the bundle, with formats checked.
pub fn validator(schema: &str) -> jsonschema::Validator {
    assert!(
        bundle()["definitions"].get(schema).is_some(),
        "no schema {schema}"
    );
    let root = json!({
        "$schema": json_schema::DRAFT_07,
        "definitions": bundle()["definitions"],
        "allOf": [{"$ref": json_schema::bundle_ref(schema)}],
    });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("{schema} does not compile: {e}"))
}

/// What a file name says, against the spec's own operations and schemas.
pub fn classify(file_name: &str) -> Result<NamedPayload, String> {
    let schemas = spec().component_schemas();
    file_names::classify(
        file_name,
        |name| operations().iter().any(|o| o.id == name),
        |name| schemas.contains_key(name),
    )
}

pub fn example_path(relative: &str) -> PathBuf {
    spec().directory().join(relative)
}

pub fn example_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(spec().directory().join("examples"))
        .expect("spec/examples")
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

pub fn read_json(path: impl AsRef<std::path::Path>) -> Value {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Calls `visit` with every object in `value` and its JSON pointer.
pub fn walk(value: &Value, pointer: &str, visit: &mut dyn FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            visit(pointer, value);
            for (key, child) in map {
                walk(
                    child,
                    &format!("{pointer}/{}", json_schema::escape_pointer_token(key)),
                    visit,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, &format!("{pointer}/{index}"), visit);
            }
        }
        _ => {}
    }
}

/// One example body and the schema it is an example of.
#[derive(Debug, Clone)]
pub struct ExampleCase {
    /// Says which example it is, for messages.
    pub what: String,
    /// What the spec links the example to.
    pub target: Target,
    /// The component schema, when the body's schema is one.
    pub schema: Option<String>,
    /// The body's schema written in place, when it is not a component.
    pub inline_schema: Option<Value>,
    /// The example's file, when it is kept in one (else it is a `value`).
    pub file: Option<PathBuf>,
    /// The example itself.
    pub value: Value,
    /// The pointers where the spec notes that the example breaks the schema.
    pub invalid_at: Vec<String>,
}

/// Every example: those linked from operations (in files or written in
/// place), then the schema examples.
pub fn example_cases() -> Vec<ExampleCase> {
    let mut cases = Vec::new();
    for operation in operations() {
        let request = operation
            .request_body
            .iter()
            .flat_map(|b| b.media.iter().map(|m| ("request".to_string(), m)));
        let responses = operation
            .responses
            .iter()
            .flat_map(|r| r.media.iter().map(move |m| (r.status.clone(), m)));
        for (status, media) in request.chain(responses) {
            let target = if status == "request" {
                Target::Request {
                    operation_id: operation.id.clone(),
                }
            } else {
                Target::Response {
                    operation_id: operation.id.clone(),
                    status: status.clone(),
                }
            };
            for example in &media.examples {
                let (schema, inline_schema) = match &media.schema {
                    BodySchema::Component(name) => (Some(name.clone()), None),
                    BodySchema::Inline(schema) => (None, Some(schema.clone())),
                    BodySchema::Untyped => (None, None),
                };
                let (file, value) = match &example.source {
                    ExampleSource::File(file) => {
                        let path = example_path(file);
                        let value = read_json(&path);
                        (Some(path), value)
                    }
                    ExampleSource::Inline(value) => (None, value.clone()),
                };
                cases.push(ExampleCase {
                    what: format!("{} {status} example `{}`", operation.id, example.name),
                    target: target.clone(),
                    schema,
                    inline_schema,
                    file,
                    value,
                    invalid_at: example.invalid.iter().map(|v| v.pointer.clone()).collect(),
                });
            }
        }
    }
    for file in example_files() {
        let name = file.file_name().unwrap().to_str().unwrap().to_string();
        if let Ok(NamedPayload {
            target: Target::Schema(schema),
            ..
        }) = classify(&name)
        {
            cases.push(ExampleCase {
                what: name,
                target: Target::Schema(schema.clone()),
                schema: Some(schema),
                inline_schema: None,
                value: read_json(&file),
                file: Some(file),
                invalid_at: Vec::new(),
            });
        }
    }
    cases
}

/// The operations of the reference pages this workspace started from
/// (`../shared/docs/`): method, path, operationId. The spec holds each as
/// documented; any other operation came in by `cargo xtask import` and says
/// so in `x-source`.
pub const SEED_OPERATIONS: [(&str, &str, &str); 14] = [
    ("GET", "/api/v2/tickets/{ticket_id}/side_conversations", "ListSideConversations"),
    ("GET", "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}", "ShowSideConversation"),
    ("POST", "/api/v2/tickets/{ticket_id}/side_conversations", "CreateSideConversation"),
    ("PUT", "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}", "UpdateSideConversation"),
    ("POST", "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/reply", "ReplyToSideConversation"),
    ("POST", "/api/v2/tickets/{ticket_id}/side_conversations/import", "ImportSideConversation"),
    ("POST", "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/events/import", "ImportSideConversationEvents"),
    ("GET", "/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/events", "ListSideConversationEvents"),
    ("GET", "/api/v2/tickets/side_conversations/events", "IncrementalSideConversationEventExport"),
    ("POST", "/api/v2/tickets/side_conversations/attachments", "CreateSideConversationAttachment"),
    ("GET", "/api/v2/attachments/{attachment_id}", "ShowAttachment"),
    ("PUT", "/api/v2/tickets/{ticket_id}/comments/{comment_id}/attachments/{attachment_id}/redact", "RedactCommentAttachment"),
    ("POST", "/api/v2/uploads", "UploadFiles"),
    ("DELETE", "/api/v2/uploads/{token}", "DeleteUpload"),
];

/// Whether `operation` is one of the reference pages'.
pub fn is_seed(operation: &Operation) -> bool {
    SEED_OPERATIONS.iter().any(|(_, _, id)| *id == operation.id)
}

/// The reference pages' operations, in the spec's order.
pub fn seed_operations() -> Vec<&'static Operation> {
    operations().iter().filter(|o| is_seed(o)).collect()
}
