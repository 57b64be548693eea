//! The shell blocks of `docs/validating-payloads.md` marked to run, as
//! written there, with this crate's `zendesk-validate` on `PATH`, in a
//! folder holding the files they name (made from the spec's examples and
//! the workspace's recorded traffic).

#[path = "../../../tests/support/markdown_snippets.rs"]
mod markdown_snippets;

use std::path::{Path, PathBuf};

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
}

#[test]
fn the_validating_guide_s_commands_run() {
    let root = markdown_snippets::root();
    let examples = root.join("spec/examples");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("guide_commands");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    copy(
        &examples.join("SideConversation.json"),
        &dir.join("conversation.json"),
    );
    copy(
        &examples.join("ListSideConversations.200.json"),
        &dir.join("recorded/page-1.json"),
    );
    let export: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(examples.join("IncrementalSideConversationEventExport.200.json"))
            .unwrap(),
    )
    .unwrap();
    let lines: Vec<String> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert!(!lines.is_empty());
    std::fs::write(dir.join("export.ndjson"), lines.join("\n") + "\n").unwrap();
    for fixture in std::fs::read_dir(root.join("tests/fixtures/traffic")).unwrap() {
        let path = fixture.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            copy(&path, &dir.join("fixtures").join(path.file_name().unwrap()));
        }
    }
    copy_dir(&examples, &dir.join("spec/examples"));

    let ran = markdown_snippets::run_shell_blocks(
        "docs/validating-payloads.md",
        "crates/zendesk-validate/tests/guide_commands.rs",
        &dir,
        |command| {
            command.env(
                "PATH",
                markdown_snippets::path_with(env!("CARGO_BIN_EXE_zendesk-validate")),
            );
        },
    );
    assert_eq!(ran, 1);
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        copy(&path, &to.join(path.file_name().unwrap()));
    }
}
