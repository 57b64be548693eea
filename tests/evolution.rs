//! Additive spec changes need no hand edit: each change below is applied to a
//! scratch copy of the workspace's spec, every generated file is regenerated
//! in the copy, and `cargo check --workspace --all-targets` must pass there.
//!
//! The copy lives under Cargo's test scratch folder and keeps its own target
//! folder, so the dependencies are checked once and each evolution rebuilds
//! only the workspace's crates.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Map, Value};
use zendesk_spec::{workspace_root, SPEC_PATH};

/// An additive change a spec editor makes when Zendesk extends the API.
struct Evolution {
    name: &'static str,
    change: Change,
    /// Text each regenerated file must now hold: (path, text).
    yields: &'static [(&'static str, &'static str)],
}

enum Change {
    /// An edit of the spec as a document.
    Spec(fn(&mut Value)),
    /// `cargo xtask import` of these operations of the committed slice of
    /// Zendesk's Support API document, corrections and all.
    Import(&'static [&'static str]),
}

/// The slice of Zendesk's Support API document the tests import from.
const VENDOR_SLICE: &str = "tests/fixtures/vendor/zendesk-support-oas.slice.yaml";

const EVOLUTIONS: &[Evolution] = &[
    Evolution {
        name: "an optional nullable property on every response schema",
        change: Change::Spec(add_property_to_response_schemas),
        yields: &[(
            xtask::MODELS_RS,
            "pub sentiment_score: ::std::option::Option<f64>",
        )],
    },
    Evolution {
        name: "a new optional query parameter on a list operation",
        change: Change::Spec(add_query_parameter),
        yields: &[
            (xtask::CLIENT_RS, "pub fn sort_order<V>(mut self, value: V)"),
            (xtask::CLI_RS, "clap::Arg::new(\"sort-order\")"),
        ],
    },
    Evolution {
        name: "a new value in every response enum",
        change: Change::Spec(add_response_enum_values),
        yields: &[(xtask::OPEN_ENUMS_RS, "AddedLater")],
    },
    Evolution {
        name: "a new optional property on every request schema",
        change: Change::Spec(add_property_to_request_schemas),
        yields: &[(xtask::CONSTRUCTORS_RS, "pub fn added_later_note(")],
    },
    Evolution {
        name: "a new operation (a GET on a new path returning an existing schema)",
        change: Change::Spec(add_operation),
        yields: &[
            (xtask::CLIENT_RS, "pub fn show_side_conversation_summary("),
            (xtask::OPERATIONS_RS, "id: \"ShowSideConversationSummary\""),
            (
                xtask::CLI_RS,
                "clap::Command::new(\"show-side-conversation-summary\")",
            ),
        ],
    },
    Evolution {
        name: "an operation of every shape a vendor's document has (every parameter type, \
               names typify changes, inline examples, a body without a schema)",
        change: Change::Spec(add_vendor_shaped_operation),
        yields: &[
            // Parameters of every type, in the path, the query and a header.
            (xtask::CLIENT_RS, "pub fn include_inline_images<V>(mut self, value: V) -> Self"),
            (xtask::CLIENT_RS, "pub fn ids<V>(mut self, value: V) -> Self"),
            (xtask::CLIENT_RS, "pub fn x_request_priority<V>(mut self, value: V) -> Self"),
            (xtask::CLIENT_RS, "pub fn ratio<V>(mut self, value: V) -> Self"),
            (xtask::CLI_RS, ".default_missing_value(\"true\")"),
            (xtask::CLI_RS, "clap::Arg::new(\"ids\")"),
            (xtask::CLI_RS, "clap::Arg::new(\"x-request-priority\")"),
            (xtask::OPERATIONS_RS, "name: \"include_inline_images\""),
            (xtask::OPERATIONS_RS, "location: \"header\""),
            // Schema names typify changes, in the registry and constructors.
            (xtask::MODELS_RS, "pub struct EvolutionCcObject"),
            (xtask::MODELS_RS, "rust_name: \"EvolutionCcObject\""),
            (xtask::MODELS_RS, "pub struct HttpEvolution"),
            (xtask::MODELS_RS, "pub struct EvolutionObject"),
            (xtask::MODELS_RS, "pub struct EvolutionField"),
            (xtask::CONSTRUCTORS_RS, "impl EvolutionObject"),
            (xtask::CONSTRUCTORS_RS, "impl EvolutionCcObject"),
            (xtask::CONSTRUCTORS_RS, "impl HttpEvolution"),
            // A body of a media type without a schema, as bytes.
            (xtask::CLIENT_RS, "ResponseValue<ByteStream>"),
        ],
    },
    Evolution {
        name: "eight operations imported from Zendesk's Support API document",
        change: Change::Import(&[
            "CreateTicket",
            "ShowTicket",
            "UpdateTicket",
            "ListTicketComments",
            "MakeTicketCommentPrivate",
            "UpdateAttachment",
            "ShowUser",
            "ShowSuspendedTickets",
        ]),
        yields: &[
            (xtask::CLIENT_RS, "pub fn list_ticket_comments(&self)"),
            (xtask::CLI_RS, "clap::Command::new(\"show-suspended-tickets\")"),
            (xtask::OPERATIONS_RS, "id: \"MakeTicketCommentPrivate\""),
        ],
    },
];

#[test]
fn additive_spec_changes_regenerate_and_build_without_hand_edits() {
    let root = workspace_root();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("evolution");
    let copy = scratch.join("workspace");
    let _ = std::fs::remove_dir_all(&copy);
    copy_workspace(&root, &copy);
    let original_spec = read_spec(&root.join(SPEC_PATH));

    let mut failures = Vec::new();
    for evolution in EVOLUTIONS {
        let spec_path = copy.join(SPEC_PATH);
        match &evolution.change {
            Change::Spec(apply) => {
                let mut spec = original_spec.clone();
                apply(&mut spec);
                assert_ne!(spec, original_spec, "{}: changed nothing", evolution.name);
                let text = serde_norway::to_string(&spec).expect("the spec serializes as YAML");
                std::fs::write(&spec_path, text).expect("the copy's spec is writable");
            }
            Change::Import(operations) => {
                let request = xtask::import::Request {
                    from: root.join(VENDOR_SLICE),
                    select: xtask::import::Select::Operations(
                        operations.iter().map(|o| o.to_string()).collect(),
                    ),
                    corrections: None,
                    spec: spec_path.clone(),
                    root: copy.clone(),
                    dry_run: false,
                };
                let outcome = xtask::import::import(&request)
                    .unwrap_or_else(|e| panic!("{}: import failed: {e}", evolution.name));
                assert!(outcome.written, "{}: nothing imported", evolution.name);
            }
        }

        let files = xtask::generated_files(&spec_path)
            .unwrap_or_else(|e| panic!("{}: generation failed: {e}", evolution.name));
        for file in &files {
            std::fs::write(copy.join(&file.path), &file.contents).expect("a generated file");
        }
        for (path, text) in evolution.yields {
            let contents = std::fs::read_to_string(copy.join(path)).expect("a generated file");
            assert!(
                contents.contains(text),
                "{}: {path} does not hold `{text}`",
                evolution.name
            );
        }
        let changed = changed_files(&root, &copy);
        eprintln!("{}: regenerated {}", evolution.name, changed.join(", "));
        let hand_written: Vec<&String> = changed
            .iter()
            .filter(|path| !path.as_str().eq(SPEC_PATH) && !is_generated(path))
            .collect();
        // An import also writes example files; nothing else.
        let examples_added = new_example_files(&root, &copy);
        assert!(
            hand_written.is_empty(),
            "{}: changed files that are not generated: {hand_written:?}",
            evolution.name
        );

        if let Err(output) = cargo_check(&copy, &scratch.join("target")) {
            let failure = format!(
                "{} needs a hand edit; `cargo check --workspace --all-targets` says:\n{output}",
                evolution.name
            );
            eprintln!("{failure}");
            failures.push(failure);
        }
        restore_generated_files(&root, &copy);
        for file in examples_added {
            let _ = std::fs::remove_file(file);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn read_spec(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    serde_norway::from_str(&text).expect("the spec is YAML")
}

fn is_generated(path: &str) -> bool {
    xtask::GENERATED_PATHS.contains(&path)
}

/// Copies the workspace's sources, without `target` or `.git`.
fn copy_workspace(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the copy's folder");
    for entry in std::fs::read_dir(from).expect("a readable folder") {
        let entry = entry.expect("a folder entry");
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let kind = entry.file_type().expect("a file type");
        if kind.is_dir() {
            copy_workspace(&entry.path(), &to.join(&name));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name)).expect("a copied file");
        }
    }
}

/// The spec and generated files that differ between the workspace and the copy.
fn changed_files(root: &Path, copy: &Path) -> Vec<String> {
    std::iter::once(SPEC_PATH)
        .chain(xtask::GENERATED_PATHS.iter().copied())
        .filter(|path| std::fs::read(root.join(path)).ok() != std::fs::read(copy.join(path)).ok())
        .map(str::to_string)
        .collect()
}

/// Example files the copy has and the workspace does not.
fn new_example_files(root: &Path, copy: &Path) -> Vec<PathBuf> {
    let examples = Path::new("spec/examples");
    std::fs::read_dir(copy.join(examples))
        .expect("the copy's examples")
        .map(|e| e.expect("an entry").path())
        .filter(|p| !root.join(examples).join(p.file_name().unwrap()).exists())
        .collect()
}

fn restore_generated_files(root: &Path, copy: &Path) {
    for path in std::iter::once(SPEC_PATH).chain(xtask::GENERATED_PATHS.iter().copied()) {
        std::fs::copy(root.join(path), copy.join(path)).expect("a restored file");
    }
}

fn cargo_check(workspace: &Path, target: &Path) -> Result<(), String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--offline",
            "--locked",
            "--quiet",
            "--message-format=short",
        ])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

// ---- the evolutions ----------------------------------------------------------

fn schemas(spec: &mut Value) -> &mut Map<String, Value> {
    spec.pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("components/schemas")
}

fn add_property_to_response_schemas(spec: &mut Value) {
    let names = xtask::spec_diff::response_schema_names(spec);
    for name in names {
        let schema = &mut schemas(spec)[&name];
        if schema.get("type") == Some(&json!("object")) && schema.get("properties").is_some() {
            schema["properties"]["sentiment_score"] = json!({
                "type": "number",
                "nullable": true,
                "description": "Added later by the service.",
            });
        }
    }
}

fn add_query_parameter(spec: &mut Value) {
    let parameters = spec["paths"]["/api/v2/tickets/{ticket_id}/side_conversations"]["get"]
        ["parameters"]
        .as_array_mut()
        .expect("ListSideConversations has parameters");
    parameters.push(json!({
        "name": "sort_order",
        "in": "query",
        "required": false,
        "description": "Added later by the service.",
        "schema": {"type": "string", "enum": ["asc", "desc"]},
    }));
}

fn add_response_enum_values(spec: &mut Value) {
    let names = xtask::spec_diff::response_schema_names(spec);
    let mut extended = 0;
    for name in names {
        let schema = &mut schemas(spec)[&name];
        for key in ["enum", "x-extensible-enum"] {
            if let Some(values) = schema.get_mut(key).and_then(Value::as_array_mut) {
                values.push(json!("added_later"));
                extended += 1;
            }
        }
    }
    assert!(extended > 0, "no response schema is an enum");
}

fn add_property_to_request_schemas(spec: &mut Value) {
    for schema in schemas(spec).values_mut() {
        if schema.get("additionalProperties") == Some(&json!(false)) {
            // A name no schema has yet: the change adds, it does not retype.
            schema["properties"]["added_later_note"] = json!({
                "type": "string",
                "description": "Added later by the service.",
            });
        }
    }
}

fn add_operation(spec: &mut Value) {
    let show = spec["paths"]
        .get("/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}")
        .expect("the ShowSideConversation path");
    let mut operation = show.get("get").expect("ShowSideConversation").clone();
    operation["operationId"] = json!("ShowSideConversationSummary");
    operation["summary"] = json!("Show a side conversation's summary");
    operation["description"] = json!("Added later by the service.\n\nAllowed for: agents.");
    let parameters = show["parameters"].clone();
    spec["paths"]
        ["/api/v2/tickets/{ticket_id}/side_conversations/{side_conversation_id}/summary"] =
        json!({"parameters": parameters, "get": operation});
}

/// One operation with what vendors' documents have and the seed pages do
/// not: parameters of every type in the path, the query and a header;
/// schemas whose names typify changes, of each shape vendors use
/// (`EvolutionCCObject` is `EvolutionCcObject`, as `EmailCCObject` is
/// `EmailCcObject`; `HTTPEvolution`, `evolution_object`, `Evolution-Field`,
/// named so as to meet no schema the workspace may have imported);
/// examples written in place; a response of a media type without a schema.
fn add_vendor_shaped_operation(spec: &mut Value) {
    schemas(spec).extend(
        json!({
            "EvolutionCCObject": {
                "type": "object",
                "additionalProperties": false,
                "required": ["user_email"],
                "properties": {
                    "user_email": {"type": "string", "format": "email"},
                    "action": {"type": "string", "enum": ["put", "delete"]},
                },
            },
            "Evolution-Field": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "value": {"nullable": true}},
            },
            "evolution_object": {
                "type": "object",
                "additionalProperties": false,
                "required": ["subject"],
                "properties": {
                    "subject": {"type": "string"},
                    "priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
                    "ratio": {"type": "number"},
                    "int32": {"type": "integer", "format": "int32"},
                    "metadata": {"type": "object"},
                    "email_ccs": {"type": "array", "items": {"$ref": "#/components/schemas/EvolutionCCObject"}},
                    "custom_fields": {"type": "array", "nullable": true, "items": {"$ref": "#/components/schemas/Evolution-Field"}},
                },
            },
            "HTTPEvolution": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "integer"}, "title": {"type": "string"}},
            },
            "ErrorWithHttpEvolution": {
                "type": "object",
                "properties": {"error": {"$ref": "#/components/schemas/HTTPEvolution"}},
            },
        })
        .as_object()
        .expect("an object")
        .clone(),
    );
    let query = |name: &str, schema: Value| json!({"name": name, "in": "query", "schema": schema});
    spec["paths"]["/api/v2/evolution/{count}/{kind}/{share}"] = json!({
        "post": {
            "operationId": "EvolveEverything",
            "summary": "Every shape at once",
            "description": "Added later.\n\nAllowed for: agents.",
            "x-allowed-for": ["agents"],
            "parameters": [
                {"name": "count", "in": "path", "required": true, "schema": {"type": "integer", "format": "int32"}},
                {"name": "kind", "in": "path", "required": true, "schema": {"type": "string", "enum": ["a", "b"]}},
                {"name": "share", "in": "path", "required": true, "schema": {"type": "number"}},
                query("include_inline_images", json!({"type": "boolean"})),
                query("ratio", json!({"type": "number", "format": "float"})),
                query("sort", json!({"type": "string", "enum": ["created_at", "-created_at"]})),
                query("ids", json!({"type": "array", "items": {"type": "integer"}})),
                query("names", json!({"type": "array", "items": {"type": "string"}})),
                query("when", json!({"type": "string", "format": "date-time"})),
                query("either", json!({"oneOf": [{"type": "integer"}, {"type": "string"}]})),
                {"name": "page", "in": "query", "style": "deepObject", "explode": true,
                 "schema": {"type": "object", "properties": {"size": {"type": "integer"}, "after": {"type": "string"}}}},
                {"name": "X-Request-Priority", "in": "header", "schema": {"type": "integer"}},
            ],
            "requestBody": {
                "required": true,
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/evolution_object"},
                    "examples": {"inline": {"summary": "Written in place", "value": {"subject": "Help"}}},
                }},
            },
            "responses": {
                "200": {
                    "description": "The ticket's picture.",
                    "content": {"image/png": {}},
                },
            },
        },
    });
}