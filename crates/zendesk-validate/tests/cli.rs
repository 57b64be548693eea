//! The `zendesk-validate` command: formats, exit codes, standard input,
//! folders, JSON Lines, and input that is not JSON at all.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn zendesk_validate(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zendesk-validate"))
        .args(args)
        .current_dir(workspace())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        if let Some(bytes) = stdin {
            // The command may stop reading early; a closed pipe is fine.
            let _ = input.write_all(&bytes);
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

/// A folder of files written for one test, removed afterwards.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("zendesk-validate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }
    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }
    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const MIXED: &str = "{\n  \"message\": {\n    \"to\": [\n      {\"email\": \"a@example.com\"},\n      {\"slack_workspace_id\": \"T1\", \"slack_channel_id\": \"C1\"}\n    ]\n  }\n}\n";

#[test]
fn the_spec_examples_pass_with_their_negative_fixtures() {
    let run = zendesk_validate(&["spec/examples"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let names: Vec<String> = std::fs::read_dir(workspace().join("spec/examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let invalid = names.iter().filter(|n| n.contains(".invalid.")).count();
    assert!(invalid >= 10, "the seed pages' 10 invalid examples are kept");
    assert_eq!(
        run.stdout.trim_end(),
        format!(
            "{} valid, {invalid} invalid ({invalid} of them marked invalid, as expected)",
            names.len() - invalid
        )
    );
}

#[test]
fn human_format_points_at_the_line_and_column() {
    let run = zendesk_validate(
        &[
            "spec/examples/CreateSideConversation.request.invalid.message-object.json",
            "--operation",
            "CreateSideConversation",
            "--request",
        ],
        None,
    );
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "spec/examples/CreateSideConversation.request.invalid.message-object.json:7:18: /message/to/0/email: \"\" is not a \"email\"",
            "0 valid, 1 invalid"
        ]
    );
}

#[test]
fn json_format_has_one_object_per_violation() {
    let scratch = Scratch::new("json");
    let file = scratch.file("mixed.json", MIXED);
    let run = zendesk_validate(
        &[
            "--format",
            "json",
            "--schema",
            "CreateSideConversationRequest",
            &file,
        ],
        None,
    );
    assert_eq!(run.code, 1);
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 1, "{}", run.stdout);
    let violation = &objects[0];
    assert_eq!(violation["file"], file.as_str());
    assert_eq!(
        (violation["line"].as_u64(), violation["column"].as_u64()),
        (Some(2), Some(14))
    );
    assert_eq!(violation["pointer"], "/message");
    assert_eq!(violation["kind"], "violation");
    assert_eq!(violation["target"], "CreateSideConversationRequest");
    assert_eq!(
        violation["schema_location"],
        "#/definitions/MessageRequest/oneOf"
    );
    assert!(violation["message"].as_str().unwrap().contains(
        "mix an email participant (/message/to/0) with a Slack participant (/message/to/1)"
    ));
    assert_eq!(
        run.stderr.trim(),
        "0 valid, 1 invalid",
        "the summary goes to stderr"
    );
}

#[test]
fn github_format_writes_annotations() {
    let scratch = Scratch::new("github");
    let file = scratch.file(
        "UpdateSideConversation.request.json",
        "{\"side_conversation\": {\"state\": \"pending\"}}",
    );
    let run = zendesk_validate(&["--format", "github", &file], None);
    assert_eq!(run.code, 1);
    let first = run.stdout.lines().next().unwrap();
    let expected_file = file.replace(':', "%3A");
    assert_eq!(
        first,
        format!("::error file={expected_file},line=1,col=33,title=zendesk-validate (UpdateSideConversation request)::/side_conversation/state: \"pending\" is not one of \"open\" or \"closed\"")
    );
    assert_eq!(run.stdout.lines().last(), Some("0 valid, 1 invalid"));
}

#[test]
fn standard_input_is_read_with_a_named_target() {
    let good = zendesk_validate(
        &["--schema", "SideConversation", "-"],
        Some(b"{\"id\": \"abc\", \"state\": \"open\"}".to_vec()),
    );
    assert_eq!((good.code, good.stdout.trim()), (0, "1 valid, 0 invalid"));
    let bad = zendesk_validate(
        &[
            "--operation",
            "ListSideConversations",
            "--response",
            "200",
            "-",
        ],
        Some(b"{\"count\": 1}".to_vec()),
    );
    assert_eq!(bad.code, 1);
    assert!(
        bad.stdout
            .starts_with("-:1:1: (root): \"side_conversations\" is a required property"),
        "{}",
        bad.stdout
    );
    let unnamed = zendesk_validate(&["-"], Some(b"{}".to_vec()));
    assert_eq!(unnamed.code, 2);
    assert!(
        unnamed.stderr.contains("standard input has no file name"),
        "{}",
        unnamed.stderr
    );
}

#[test]
fn folders_are_walked_for_payload_files_only() {
    let scratch = Scratch::new("folder");
    scratch.file("SideConversation.json", "{\"id\": \"a\"}");
    scratch.file(
        "nested/deeper/ShowAttachment.200.json",
        "{\"attachment\": {\"id\": 1}}",
    );
    scratch.file(
        "nested/UploadFiles.201.invalid.no-token.json",
        "{\"upload\": {}}",
    );
    scratch.file("nested/Attachment.ndjson", "{\"id\": 1}\n{\"id\": 2}\n");
    scratch.file("notes.txt", "not a payload");
    let run = zendesk_validate(&[&scratch.path()], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "4 valid, 1 invalid (1 of them marked invalid, as expected)"
    );
}

#[test]
fn a_negative_fixture_that_passes_fails_the_run() {
    let scratch = Scratch::new("negative");
    let file = scratch.file("SideConversation.invalid.json", "{\"id\": \"fine\"}");
    let run = zendesk_validate(&[&file], None);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains(":1:1: valid, but the file's name marks it invalid"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_lines_report_each_bad_line_and_check_the_rest() {
    let scratch = Scratch::new("lines");
    let event =
        "{\"id\": \"e1\", \"type\": \"reply\", \"created_at\": \"2018-11-20T16:58:36.453+00:00\"}";
    let contents = format!("{event}\n{{\"id\": \"e2\", \"type\"\n\n{{\"id\": 3}}\r\n{event}\n");
    let file = scratch.file("export.jsonl", contents);
    let run = zendesk_validate(&["--schema", "SideConversationEvent", &file], None);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(
        lines[0].starts_with(&format!("{file}:2:"))
            && lines[0].contains("not JSON: EOF while parsing an object"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        format!("{file}:4:8: /id: 3 is not of type \"string\"")
    );
    assert_eq!(lines[2], "2 valid, 2 invalid");
    let forced = zendesk_validate(
        &["--ndjson", "--schema", "SideConversationEvent", "-"],
        Some(format!("{event}\n{event}\n").into_bytes()),
    );
    assert_eq!(
        (forced.code, forced.stdout.trim()),
        (0, "2 valid, 0 invalid")
    );
}

#[test]
fn input_that_is_not_json_gets_a_message_and_status_1() {
    let scratch = Scratch::new("malformed");
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("empty.json", Vec::new(), ":1:1: empty: no JSON payload"),
        (
            "utf8.json",
            b"{\"id\": \"\xff\xfe\"}".to_vec(),
            ":1:9: not UTF-8: invalid byte at offset 8",
        ),
        (
            "truncated.json",
            b"{\"id\": \"abc\",\n \"participants\": [".to_vec(),
            ":2:18: not JSON: EOF while parsing a list",
        ),
        (
            "deep.json",
            "[".repeat(100_000).into_bytes(),
            ":1:128: not JSON: recursion limit exceeded",
        ),
    ];
    for (name, contents, expected) in cases {
        let file = scratch.file(name, contents);
        let run = zendesk_validate(&["--schema", "SideConversation", &file], None);
        assert_eq!(run.code, 1, "{name}: {}{}", run.stdout, run.stderr);
        assert_eq!(
            run.stdout.lines().next(),
            Some(format!("{file}{expected}").as_str()),
            "{name}"
        );
        assert!(run.stderr.is_empty(), "{name}: {}", run.stderr);
    }
}

#[test]
fn a_byte_order_mark_is_noted_and_ignored() {
    let scratch = Scratch::new("bom");
    let file = scratch.file("SideConversation.json", b"\xEF\xBB\xBF{\"id\": \"abc\"}");
    let run = zendesk_validate(&[&file], None);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("{file}:1:1: note: a UTF-8 byte-order mark was ignored\n1 valid, 0 invalid\n")
    );
}

#[test]
fn a_gigabyte_line_is_refused_without_being_held() {
    let mut input = vec![b'x'; 1 << 30];
    input.extend_from_slice(b"\n{\"id\": \"after\"}\n");
    let run = zendesk_validate(
        &["--ndjson", "--schema", "SideConversation", "-"],
        Some(input),
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "-:1:1: payload larger than 67108864 bytes: not checked (see --max-payload-bytes)\n1 valid, 1 invalid\n"
    );
    let small_cap = zendesk_validate(
        &[
            "--max-payload-bytes",
            "10",
            "--schema",
            "SideConversation",
            "-",
        ],
        Some(b"{\"id\": \"too long\"}".to_vec()),
    );
    assert_eq!(small_cap.code, 1);
    assert!(
        small_cap
            .stdout
            .starts_with("-:1:1: payload larger than 10 bytes"),
        "{}",
        small_cap.stdout
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let scratch = Scratch::new("errors");
    let named_badly = scratch.file("fixture.json", "{}");
    let cases: [(Vec<&str>, &str); 5] = [
        (vec!["--schema", "Nope", "x.json"], "no schema named `Nope`"),
        (
            vec!["--operation", "CreateSideConversation", "x.json"],
            "--operation needs --request or --response STATUS",
        ),
        (
            vec![
                "--operation",
                "ShowAttachment",
                "--response",
                "418",
                "x.json",
            ],
            "ShowAttachment has no 418 response",
        ),
        (
            vec!["--schema", "SideConversation", "does/not/exist.json"],
            "does/not/exist.json: No such file or directory",
        ),
        (
            vec![named_badly.as_str()],
            "`fixture` is neither an operation id nor a schema name",
        ),
    ];
    for (args, expected) in cases {
        let run = zendesk_validate(&args, None);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
    let nothing = zendesk_validate(&[], None);
    assert_eq!(nothing.code, 2);
    let unknown_flag = zendesk_validate(&["--frobnicate"], None);
    assert_eq!(unknown_flag.code, 2);
}

#[test]
fn list_names_every_schema_and_operation() {
    let run = zendesk_validate(&["--list"], None);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("  SideConversationEvent\n"));
    assert!(run.stdout.contains("CreateSideConversationAttachment"));
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.contains(" /api/v2/"))
            .count(),
        zendesk_validate::OPERATIONS.len()
    );
}

#[test]
fn undocumented_properties_are_listed_and_fail_only_when_denied() {
    let scratch = Scratch::new("undocumented");
    let file = scratch.file(
        "ShowAttachment.200.json",
        "{\n  \"attachment\": {\n    \"id\": 1,\n    \"blurhash\": \"LEHV6n\",\n    \"thumbnails\": [{\"id\": 2, \"dominant_color\": 5}, {\"id\": 3, \"dominant_color\": 6}]\n  },\n  \"links\": null\n}\n",
    );
    let plain = zendesk_validate(&[&file], None);
    assert_eq!((plain.code, plain.stdout.trim_end()), (0, "1 valid, 0 invalid"), "not asked: not told");

    let listed = zendesk_validate(&["--undocumented", &file], None);
    assert_eq!(listed.code, 0, "{}{}", listed.stdout, listed.stderr);
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{file}:4:17: /attachment/blurhash: string property the spec does not describe").as_str(),
            format!("{file}:5:48: /attachment/thumbnails/*/dominant_color: integer property the spec does not describe").as_str(),
            format!("{file}:7:12: /links: null property the spec does not describe").as_str(),
            "1 valid, 0 invalid; 3 properties the spec does not describe",
        ],
        "once per place and type, array items as *"
    );

    let denied = zendesk_validate(&["--deny-undocumented", "--format", "json", &file], None);
    assert_eq!(denied.code, 1, "{}{}", denied.stdout, denied.stderr);
    let first: serde_json::Value = serde_json::from_str(denied.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["kind"], "undocumented");
    assert_eq!(first["pointer"], "/attachment/blurhash");

    let github = zendesk_validate(&["--undocumented", "--format", "github", &file], None);
    assert!(github.stdout.starts_with("::notice file="), "{}", github.stdout);

    // Request bodies are closed: an unknown property there is a violation.
    let request = scratch.file("UpdateSideConversation.request.json", "{\"side_conversation\": {\"state\": \"closed\", \"mood\": 1}}");
    let refused = zendesk_validate(&["--undocumented", &request], None);
    assert_eq!(refused.code, 1);
}
