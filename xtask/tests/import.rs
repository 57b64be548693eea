//! `cargo xtask import` on the committed slice of Zendesk's Support API
//! document (tests never read `../shared`): what it copies, how it writes
//! it, and every bad input, each refused with what and where, changing
//! nothing.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xtask::import::{import, Outcome, Request, Select};
use zendesk_spec::{workspace_root, SpecDocument, SPEC_PATH};

const SLICE: &str = "tests/fixtures/vendor/zendesk-support-oas.slice.yaml";

const EIGHT: [&str; 8] = [
    "CreateTicket",
    "ShowTicket",
    "UpdateTicket",
    "ListTicketComments",
    "MakeTicketCommentPrivate",
    "UpdateAttachment",
    "ShowUser",
    "ShowSuspendedTickets",
];

/// The spec as it was before anything was imported into it.
const SEED_SPEC: &str = "tests/fixtures/import/seed-openapi.yaml";

/// A spec with only the seed pages' operations (whatever the workspace's
/// own has imported since), with the workspace's examples, corrections and
/// the evidence they name, under a scratch folder of its own.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let root = std::env::temp_dir().join(format!("xtask-import-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let workspace = workspace_root();
        for folder in ["spec", "tests/fixtures"] {
            copy_folder(&workspace.join(folder), &root.join(folder));
        }
        std::fs::copy(workspace.join(SEED_SPEC), root.join(SPEC_PATH)).unwrap();
        Scratch { root }
    }

    fn spec(&self) -> PathBuf {
        self.root.join(SPEC_PATH)
    }

    fn request(&self, select: Select) -> Request {
        Request {
            from: workspace_root().join(SLICE),
            select,
            corrections: None,
            spec: self.spec(),
            root: self.root.clone(),
            dry_run: false,
        }
    }

    fn operations(&self, ids: &[&str]) -> Request {
        self.request(Select::Operations(ids.iter().map(|s| s.to_string()).collect()))
    }

    /// Every file of the scratch spec folder, with its bytes.
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect(&self.root.join("spec"), &mut files);
        files.sort();
        files
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn collect(folder: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            files.push((path, bytes));
        }
    }
}

fn spec_value(path: &Path) -> Value {
    serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn operation<'a>(spec: &'a Value, path: &str, method: &str) -> &'a Value {
    &spec["paths"][path][method]
}

/// Whether every line of `before` is in `after`, in order (nothing that
/// was there is rewritten, only lines added).
fn only_lines_added(before: &str, after: &str) -> bool {
    let mut after = after.lines();
    before.lines().all(|line| after.any(|l| l == line))
}

fn must_fail(scratch: &Scratch, request: &Request, expected: &str) {
    let before = scratch.snapshot();
    let error = import(request).expect_err("the import must fail");
    assert!(error.contains(expected), "expected {expected:?} in: {error}");
    assert!(scratch.snapshot() == before, "a failed import changed files: {error}");
}

#[test]
fn eight_operations_come_with_their_components_examples_roles_and_source() {
    let scratch = Scratch::new("eight");
    let before = std::fs::read_to_string(scratch.spec()).unwrap();
    let outcome: Outcome = import(&scratch.operations(&EIGHT)).unwrap();
    assert!(outcome.written);
    assert_eq!(outcome.imported.len(), 8, "{:?}", outcome.imported);
    assert!(outcome.refused.is_empty());
    let after = std::fs::read_to_string(scratch.spec()).unwrap();
    assert!(only_lines_added(&before, &after), "the spec's own text was rewritten");

    let spec = spec_value(&scratch.spec());
    let document = SpecDocument::load(scratch.spec()).unwrap();
    let operations = document.operations().unwrap();
    for id in EIGHT {
        assert!(operations.iter().any(|o| o.id == id), "{id} is not in the spec");
    }
    // The source, on each operation.
    let show = operation(&spec, "/api/v2/tickets/{ticket_id}", "get");
    assert_eq!(show["x-source"]["title"], "Support API");
    assert_eq!(show["x-source"]["version"], "2.0.0");
    assert_eq!(show["x-source"]["sha256"].as_str().unwrap().len(), 64);
    // "Allowed For" prose as roles.
    assert_eq!(show["x-allowed-for"], serde_json::json!(["agents"]));
    let update_attachment = operation(&spec, "/api/v2/attachments/{attachment_id}", "put");
    assert_eq!(update_attachment["x-allowed-for"], serde_json::json!(["admins"]));
    // The spec's own path item keeps its operation and parameters.
    assert_eq!(
        operation(&spec, "/api/v2/attachments/{attachment_id}", "get")["operationId"],
        "ShowAttachment"
    );
    // Every error the service may answer, from the spec's x-common-responses.
    for status in ["401", "403", "404", "429", "503"] {
        assert!(show["responses"].get(status).is_some(), "ShowTicket has no {status}");
    }
    // Components, transitively, with the corrections applied before they
    // were copied; what a correction left out of the source is the spec's
    // own, linked.
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for name in ["TicketResponse", "TicketObject", "TicketCommentObject", "TicketCreateInput", "EmailCCObject"] {
        assert!(schemas.contains_key(name), "{name} was not copied");
        assert_eq!(schemas[name]["x-source"]["title"], "Support API", "{name}");
    }
    assert!(outcome.corrections.len() > 20, "{:?}", outcome.corrections);
    assert_eq!(schemas["TicketCreateInput"]["additionalProperties"], false);
    assert_eq!(
        schemas["TicketCommentObject"]["properties"]["attachments"]["items"]["$ref"],
        "#/components/schemas/Attachment"
    );
    assert!(outcome.components.iter().any(|c| c == "linked parameters/TicketId to the spec's own"));
    assert_eq!(show["parameters"][0]["$ref"], "#/components/parameters/TicketId");
    // Examples, as files named by the convention, linked from the spec.
    let examples = &operation(&spec, "/api/v2/tickets", "post")["requestBody"]["content"]["application/json"]["examples"];
    assert_eq!(examples["default"]["externalValue"], "examples/CreateTicket.request.json");
    assert!(scratch.root.join("spec/examples/CreateTicket.request.json").is_file());
    assert!(scratch.root.join("spec/examples/ListTicketComments.200.json").is_file());
    // Each example file is linked, and carries the label `invalid` exactly
    // when the corrected schema refuses it (then noted with x-invalid).
    let mut linked = 0;
    for operation in operations.iter().filter(|o| EIGHT.contains(&o.id.as_str())) {
        let bodies = operation.request_body.iter().flat_map(|b| &b.media);
        for media in bodies.chain(operation.responses.iter().flat_map(|r| &r.media)) {
            for example in &media.examples {
                let Some(file) = example.file() else { continue };
                linked += 1;
                assert!(scratch.root.join("spec").join(file).is_file(), "{file}");
                assert_eq!(file.split('.').any(|p| p == "invalid"), !example.invalid.is_empty(), "{file}");
            }
        }
    }
    assert_eq!(linked, outcome.example_files.len());
}

#[test]
fn importing_again_changes_nothing() {
    let scratch = Scratch::new("again");
    import(&scratch.operations(&EIGHT)).unwrap();
    let once = scratch.snapshot();
    let again = import(&scratch.operations(&EIGHT)).unwrap();
    assert!(!again.changes() && !again.written, "{:?}", again.imported);
    assert_eq!(again.unchanged.len(), 8);
    assert!(scratch.snapshot() == once, "a second import changed the files");
    // A different selection later shares what is there.
    let more = import(&scratch.operations(&["ListTickets"])).unwrap();
    assert_eq!(more.imported.len(), 1);
    assert!(!more.components.iter().any(|c| c.contains("TicketObject")), "{:?}", more.components);
}

#[test]
fn a_name_the_spec_uses_for_another_component_is_renamed_and_reported() {
    let scratch = Scratch::new("rename");
    // Corrections that do not tie the document's `TicketId` to the spec's.
    let mut request = scratch.operations(&["ShowTicket"]);
    request.corrections = Some(scratch.write(
        "spec/corrections-test/minimal.overlay.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1', x-source-title: Support API}\nactions:\n  - x-name: noted\n    target: $.components.schemas.TicketObject\n    description: d\n    x-reason: r\n    x-evidence: [spec/NOTES.md]\n    update: {description: A ticket.}\n",
    ));
    let outcome = import(&request).unwrap();
    assert!(outcome
        .components
        .iter()
        .any(|c| c == "renamed parameters/TicketId to SupportTicketId: the spec's own TicketId is another"));
    let spec = spec_value(&scratch.spec());
    assert!(spec["components"]["parameters"]["SupportTicketId"].is_object());
    assert_eq!(
        operation(&spec, "/api/v2/tickets/{ticket_id}", "get")["parameters"][0]["$ref"],
        "#/components/parameters/SupportTicketId"
    );
    // The spec's own is left as it was.
    assert_eq!(spec["components"]["parameters"]["TicketId"]["schema"]["minimum"], 1);
}

#[test]
fn the_spec_s_own_operations_are_kept() {
    let scratch = Scratch::new("kept");
    let before = scratch.snapshot();
    let outcome = import(&scratch.request(Select::Tag("Attachments".into()))).unwrap();
    // ShowAttachment, RedactCommentAttachment, UploadFiles, DeleteUpload are
    // the spec's own; UpdateAttachment is new.
    assert_eq!(outcome.kept.len(), 4, "{:?}", outcome.kept);
    assert_eq!(outcome.imported.len(), 1, "{:?}", outcome.imported);
    assert!(scratch.snapshot() != before);
    let spec = spec_value(&scratch.spec());
    assert!(operation(&spec, "/api/v2/attachments/{attachment_id}", "get")
        .get("x-source")
        .is_none());
}

#[test]
fn a_dry_run_writes_nothing() {
    let scratch = Scratch::new("dry");
    let before = scratch.snapshot();
    let mut request = scratch.operations(&EIGHT);
    request.dry_run = true;
    let outcome = import(&request).unwrap();
    assert_eq!(outcome.imported.len(), 8);
    assert!(!outcome.written);
    assert!(scratch.snapshot() == before);
}

#[test]
fn all_takes_what_it_can_and_says_where_it_cannot() {
    let scratch = Scratch::new("all");
    // A vendor defect: a path parameter the path does not have.
    let mut slice = std::fs::read_to_string(workspace_root().join(SLICE)).unwrap();
    slice = slice.replacen(
        "      operationId: ShowUser\n",
        "      operationId: ShowUser\n      parameters:\n      - name: brand_id\n        in: path\n        required: true\n        schema:\n          type: integer\n",
        1,
    );
    let broken = scratch.write("vendor/broken.yaml", &slice);
    let mut request = scratch.request(Select::All);
    request.from = broken.clone();
    request.dry_run = true;
    let outcome = import(&request).unwrap();
    assert_eq!(outcome.refused.len(), 1, "{:?}", outcome.refused);
    let refusal = &outcome.refused[0];
    assert!(refusal.operation.starts_with("ShowUser: GET /api/v2/users/{user_id}"), "{}", refusal.operation);
    assert!(
        refusal.problems[0].contains("/paths/~1api~1v2~1users~1{user_id}/get/parameters/")
            && refusal.problems[0].contains("`brand_id` is a path parameter, and the path /api/v2/users/{user_id} has no {brand_id}"),
        "{:?}",
        refusal.problems
    );
    assert!(outcome.imported.len() >= 12, "{:?}", outcome.imported);
    // Asked for by name, the same operation fails the whole import.
    let mut by_name = scratch.operations(&["ShowTicket", "ShowUser"]);
    by_name.from = broken;
    must_fail(&scratch, &by_name, "ShowUser cannot be imported; nothing was changed");
}

#[test]
fn bad_inputs_are_refused_with_what_and_where_and_change_nothing() {
    let scratch = Scratch::new("bad");
    let mut missing = scratch.operations(&["ShowTicket"]);
    missing.from = scratch.root.join("vendor/nowhere.yaml");
    must_fail(&scratch, &missing, "nowhere.yaml: cannot read");

    let mut not_yaml = scratch.operations(&["ShowTicket"]);
    not_yaml.from = scratch.write("vendor/not-yaml.yaml", "openapi: 3.0.3\npaths: [\n");
    must_fail(&scratch, &not_yaml, "not-yaml.yaml:3:1: not YAML");

    let mut swagger = scratch.operations(&["ShowTicket"]);
    swagger.from = scratch.write("vendor/swagger.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    must_fail(&scratch, &swagger, "swagger.yaml: not an OpenAPI 3.0 document");

    let mut no_paths = scratch.operations(&["ShowTicket"]);
    no_paths.from = scratch.write("vendor/no-paths.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n");
    must_fail(&scratch, &no_paths, "no `paths` object");

    must_fail(
        &scratch,
        &scratch.operations(&["ShowTicket", "ShowTickets", "Frobnicate"]),
        "has no operation ShowTickets (did you mean ShowTicket?), Frobnicate; nothing was changed",
    );
    must_fail(&scratch, &scratch.request(Select::Tag("Nothing".into())), "no operation has the tag \"Nothing\"");

    // Corrections the vendor's document no longer matches.
    let mut stale = scratch.operations(&["ShowTicket"]);
    stale.corrections = Some(scratch.write(
        "spec/corrections-test/stale.overlay.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1', x-source-title: Support API}\nactions:\n  - x-name: gone-schema\n    target: $.components.schemas.NoSuchSchema\n    description: d\n    x-reason: r\n    x-evidence: [spec/NOTES.md]\n    update: {type: object}\n",
    ));
    must_fail(&scratch, &stale, "the correction `gone-schema` selects nothing");

    // A correction without its proof.
    let mut unproven = scratch.operations(&["ShowTicket"]);
    unproven.corrections = Some(scratch.write(
        "spec/corrections-test/unproven.overlay.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1', x-source-title: Support API}\nactions:\n  - x-name: no-proof\n    target: $.components.schemas.TicketObject\n    description: d\n    x-reason: r\n    x-evidence: [tests/fixtures/traffic/nowhere.json]\n    update: {type: object}\n",
    ));
    must_fail(&scratch, &unproven, "unproven.overlay.yaml:4: correction `no-proof`: the evidence tests/fixtures/traffic/nowhere.json is not a file");

    // Corrections meant for another document.
    let mut other = scratch.operations(&["ShowTicket"]);
    other.corrections = Some(scratch.write(
        "spec/corrections-test/other.overlay.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1', x-source-title: Help Center API}\nactions:\n  - x-name: x\n    target: $.paths\n    description: d\n    x-reason: r\n    x-evidence: [spec/NOTES.md]\n    update: {}\n",
    ));
    must_fail(&scratch, &other, "the corrections are for \"Help Center API\"");

    // A spec that is not YAML.
    std::fs::write(scratch.spec(), "paths: [\n").unwrap();
    must_fail(&scratch, &scratch.operations(&["ShowTicket"]), "the spec is not YAML");
}
