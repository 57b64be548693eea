//! `cargo xtask diff`: each class of change on a pair of small specs, and the
//! command's output and exit status.

use std::process::Command;

use serde_json::{json, Value};
use xtask::spec_diff::{diff, Class};

fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64"}}],
                "get": {
                    "operationId": "ShowThing",
                    "summary": "Show a thing",
                    "parameters": [{"name": "include", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The thing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingResponse"}}}}}
                }
            },
            "/things": {
                "post": {
                    "operationId": "CreateThing",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateThingRequest"}}}},
                    "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingResponse"}}}}}
                }
            }
        },
        "components": {"schemas": {
            "ThingResponse": {"type": "object", "required": ["thing"], "properties": {"thing": {"$ref": "#/components/schemas/Thing"}}},
            "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "integer", "format": "int64"},
                "name": {"type": "string", "description": "The name."},
                "state": {"type": "string", "x-extensible-enum": ["open", "closed"]},
                "kind": {"type": "string", "enum": ["big", "small"]}
            }},
            "CreateThingRequest": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {
                "name": {"type": "string"},
                "note": {"type": "string"}
            }}
        }}
    })
}

/// The changes `edit` makes to the base spec: (class, message).
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<(Class, String)> {
    let base = base();
    let mut working = base.clone();
    edit(&mut working);
    diff(&base, &working)
        .into_iter()
        .map(|c| (c.class, c.message))
        .collect()
}

/// Asserts exactly one change, of `class`, whose message contains `text`.
#[track_caller]
fn assert_one(found: Vec<(Class, String)>, class: Class, text: &str) {
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, class, "{found:#?}");
    assert!(found[0].1.contains(text), "`{}` lacks `{text}`", found[0].1);
}

fn thing(spec: &mut Value) -> &mut Value {
    &mut spec["components"]["schemas"]["Thing"]
}

fn request(spec: &mut Value) -> &mut Value {
    &mut spec["components"]["schemas"]["CreateThingRequest"]
}

#[test]
fn the_same_spec_has_no_changes() {
    assert!(changes(|_| {}).is_empty());
}

#[test]
fn breaking_changes() {
    assert_one(
        changes(|s| {
            drop(
                s["paths"]["/things"]
                    .as_object_mut()
                    .unwrap()
                    .remove("post"),
            )
        }),
        Class::Breaking,
        "operation CreateThing (POST /things) removed: the client's `create_thing` is gone",
    );
    assert_one(
        changes(|s| s["paths"]["/things/{id}"]["get"]["parameters"] = json!([])),
        Class::Breaking,
        "operation ShowThing: query parameter `include` removed",
    );
    assert_one(
        changes(|s| {
            drop(
                thing(s)["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("name"),
            )
        }),
        Class::Breaking,
        "property `name` of schema `Thing` removed",
    );
    assert_one(
        changes(|s| thing(s)["properties"]["name"]["type"] = json!("integer")),
        Class::Breaking,
        "property `name` of schema `Thing`: type changes from `string` to `integer`",
    );
    assert_one(
        changes(|s| thing(s)["properties"]["id"]["format"] = json!("int32")),
        Class::Breaking,
        "format changes from `int64` to `int32`",
    );
    assert_one(
        changes(|s| request(s)["required"] = json!(["name", "note"])),
        Class::Breaking,
        "property `note` of schema `CreateThingRequest` is now required",
    );
    assert_one(
        changes(|s| thing(s)["required"] = json!([])),
        Class::Breaking,
        "property `id` of schema `Thing` is now optional",
    );
    assert_one(
        changes(|s| thing(s)["properties"]["id"]["nullable"] = json!(true)),
        Class::Breaking,
        "property `id` of schema `Thing`: may now be null",
    );
    assert_one(
        changes(|s| {
            request(s)["properties"]["color"] = json!({"type": "string"});
            request(s)["required"] = json!(["name", "color"]);
        }),
        Class::Breaking,
        "property `color` of schema `CreateThingRequest` added, required",
    );
    assert_one(
        changes(|s| thing(s)["properties"]["state"]["x-extensible-enum"] = json!(["open"])),
        Class::Breaking,
        "enum value \"closed\" removed",
    );
    assert_one(
        changes(|s| thing(s)["properties"]["kind"]["enum"] = json!(["big", "small", "huge"])),
        Class::Breaking,
        "enum value \"huge\" added; older builds fail to read a response that holds it",
    );
    assert_one(
        changes(|s| s["paths"]["/things/{id}"]["get"]["operationId"] = json!("GetThing")),
        Class::Breaking,
        "the client's `show_thing` becomes `get_thing`",
    );
}

#[test]
fn non_breaking_changes() {
    assert_one(
        changes(|s| {
            s["paths"]["/things/{id}"]["delete"] =
                json!({"operationId": "DeleteThing", "responses": {"204": {"description": "Gone"}}})
        }),
        Class::NonBreaking,
        "operation DeleteThing (DELETE /things/{id}) added: the client gains `delete_thing`",
    );
    assert_one(
        changes(|s| {
            s["paths"]["/things/{id}"]["get"]["parameters"]
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "sort", "in": "query", "schema": {"type": "string"}}))
        }),
        Class::NonBreaking,
        "query parameter `sort` added, optional",
    );
    assert_one(
        changes(|s| thing(s)["properties"]["color"] = json!({"type": "string", "nullable": true})),
        Class::NonBreaking,
        "property `color` of schema `Thing` added, optional",
    );
    assert_one(
        changes(|s| request(s)["properties"]["color"] = json!({"type": "string"})),
        Class::NonBreaking,
        "property `color` of schema `CreateThingRequest` added, optional",
    );
    assert_one(
        changes(|s| {
            thing(s)["properties"]["state"]["x-extensible-enum"] =
                json!(["open", "closed", "archived"])
        }),
        Class::NonBreaking,
        "enum value \"archived\" added; older builds read it as `Other`",
    );
}

#[test]
fn documentation_changes() {
    assert_one(
        changes(|s| thing(s)["properties"]["name"]["description"] = json!("What it is called.")),
        Class::Documentation,
        "property `name` of schema `Thing`: `description` changed",
    );
    assert_one(
        changes(|s| s["paths"]["/things/{id}"]["get"]["summary"] = json!("Show one thing")),
        Class::Documentation,
        "operation ShowThing: `summary` changed",
    );
}

// ---- the command -------------------------------------------------------------

fn scratch(name: &str) -> std::path::PathBuf {
    let folder = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("spec-diff");
    std::fs::create_dir_all(&folder).unwrap();
    folder.join(name)
}

fn write_yaml(name: &str, spec: &Value) -> String {
    let path = scratch(name);
    std::fs::write(&path, serde_norway::to_string(spec).unwrap()).unwrap();
    path.display().to_string()
}

fn xtask_diff(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_command_exits_by_the_worst_change() {
    let base_path = write_yaml("base.yaml", &base());
    let base = base_path.as_str();
    let (status, out, _) = xtask_diff(&[base, "--working", base]);
    assert_eq!((status, out.lines().last()), (0, Some("no changes")));

    let mut removed = self::base();
    removed["components"]["schemas"]["Thing"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let removed = write_yaml("removed.yaml", &removed);
    let (status, out, _) = xtask_diff(&[base, "--working", &removed]);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("breaking (1):"), "{out}");
    assert!(
        out.contains("property `name` of schema `Thing` removed"),
        "{out}"
    );

    let (status, out, _) = xtask_diff(&[base, "--working", &removed, "--format", "github"]);
    assert_eq!(status, 1);
    assert!(
        out.starts_with("::error file=") && out.contains(",line=") && out.contains("removed.yaml"),
        "{out}"
    );

    let mut added = self::base();
    added["components"]["schemas"]["Thing"]["properties"]["color"] =
        json!({"type": "string", "nullable": true});
    let added = write_yaml("added.yaml", &added);
    let (status, out, _) = xtask_diff(&[base, "--working", &added, "--format", "json"]);
    assert_eq!(status, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["breaking"], 0);
    assert_eq!(report["non_breaking"], 1);
    assert_eq!(report["changes"][0]["class"], "non-breaking");
    assert!(
        report["changes"][0]["line"].as_u64().unwrap() > 1,
        "{report:#}"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let (status, _, err) = xtask_diff(&[]);
    assert_eq!(status, 2);
    assert!(err.contains("BASE is missing"), "{err}");
    let (status, _, err) = xtask_diff(&["HEAD", "--format", "xml"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("--format takes human, json or github"),
        "{err}"
    );
    let missing = scratch("missing.yaml").display().to_string();
    let base = write_yaml("base-for-io.yaml", &base());
    let (status, _, err) = xtask_diff(&[&base, "--working", &missing]);
    assert_eq!(status, 2);
    assert!(err.contains("missing.yaml"), "{err}");
}
