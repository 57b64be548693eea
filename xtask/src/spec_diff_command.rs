//! `cargo xtask diff BASE [--format human|json|github] [--working SPEC]`:
//! reads both versions of the spec, prints the changes in the chosen form,
//! and exits 0 without breaking changes, 1 with, 2 on a usage or I/O error.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::{json, Value};
use xtask::spec_diff::{self, Change, Class};
use xtask::yaml_lines;
use zendesk_spec::{workspace_root, SpecDocument, SPEC_PATH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Github,
}

struct Arguments {
    base: String,
    format: Format,
    working: PathBuf,
}

const USAGE: &str = "usage: cargo xtask diff BASE [--format human|json|github] [--working SPEC]";

pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let arguments = match parse(args) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match compare(&arguments) {
        Ok((changes, report)) => {
            if let Err(e) = std::io::stdout().lock().write_all(report.as_bytes()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: stdout: {e}");
                    return ExitCode::from(2);
                }
            }
            if changes.iter().any(|c| c.class == Class::Breaking) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: &[String]) -> Result<Arguments, String> {
    let mut base = None;
    let mut format = Format::Human;
    let mut working = workspace_root().join(SPEC_PATH);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--format" => {
                format = match rest.next().map(String::as_str) {
                    Some("human") => Format::Human,
                    Some("json") => Format::Json,
                    Some("github") => Format::Github,
                    other => {
                        return Err(format!(
                            "--format takes human, json or github, not {other:?}"
                        ))
                    }
                }
            }
            "--working" => {
                working = rest
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--working takes the path of a spec")?;
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            other if base.is_none() => base = Some(other.to_string()),
            other => return Err(format!("one BASE only, not also {other:?}")),
        }
    }
    Ok(Arguments {
        base: base.ok_or("BASE is missing: a git revision or a path to a spec")?,
        format,
        working,
    })
}

/// A spec version: its text (for line numbers) and its value.
struct Version {
    name: String,
    text: String,
    value: Value,
}

fn load(name: String, text: String) -> Result<Version, String> {
    let document = SpecDocument::parse(&text, PathBuf::from(&name)).map_err(|e| e.to_string())?;
    Ok(Version {
        name,
        value: document.value().clone(),
        text,
    })
}

/// BASE as a file when one exists at that path, else as a git revision of
/// the workspace's spec.
fn base_version(base: &str) -> Result<Version, String> {
    let path = Path::new(base);
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{base}: {e}"))?;
        return load(base.to_string(), text);
    }
    let object = format!("{base}:{SPEC_PATH}");
    let output = Command::new("git")
        .args(["show", &object])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("git show {object}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{base} is neither a file nor a git revision with {SPEC_PATH}: git says {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8(output.stdout).map_err(|e| format!("{object}: {e}"))?;
    load(object, text)
}

fn compare(arguments: &Arguments) -> Result<(Vec<Change>, String), String> {
    let base = base_version(&arguments.base)?;
    let working_text = std::fs::read_to_string(&arguments.working)
        .map_err(|e| format!("{}: {e}", arguments.working.display()))?;
    let working = load(relative(&arguments.working), working_text)?;
    let changes = spec_diff::diff(&base.value, &working.value);
    let report = match arguments.format {
        Format::Human => human(&base, &working, &changes),
        Format::Json => json_report(&base, &working, &changes),
        Format::Github => github(&working, &changes),
    };
    Ok((changes, report))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The file and line a change points at: the working spec, or for a removal
/// the base spec's line of what was removed.
fn location<'a>(base: &'a Version, working: &'a Version, change: &Change) -> (&'a str, usize) {
    if change.removed {
        (
            &base.name,
            yaml_lines::nearest_line(&base.text, &change.pointer),
        )
    } else {
        (
            &working.name,
            yaml_lines::nearest_line(&working.text, &change.pointer),
        )
    }
}

fn human(base: &Version, working: &Version, changes: &[Change]) -> String {
    let mut out = format!("{} -> {}\n", base.name, working.name);
    if changes.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    for class in [Class::Breaking, Class::NonBreaking, Class::Documentation] {
        let of_class: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
        if of_class.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({}):", class.label(), of_class.len());
        for change in of_class {
            let (file, line) = location(base, working, change);
            let _ = writeln!(out, "  {file}:{line}: {}", change.message);
        }
    }
    out
}

fn json_report(base: &Version, working: &Version, changes: &[Change]) -> String {
    let count = |class| changes.iter().filter(|c| c.class == class).count();
    let items: Vec<Value> = changes
        .iter()
        .map(|change| {
            let (file, line) = location(base, working, change);
            json!({
                "class": change.class,
                "message": change.message,
                "pointer": change.pointer,
                "file": file,
                "line": line,
            })
        })
        .collect();
    let report = json!({
        "base": base.name,
        "working": working.name,
        "breaking": count(Class::Breaking),
        "non_breaking": count(Class::NonBreaking),
        "documentation": count(Class::Documentation),
        "changes": items,
    });
    format!("{report:#}\n")
}

/// GitHub Actions workflow commands: an error per breaking change, a warning
/// per addition, a notice per documentation change.
fn github(working: &Version, changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        // Annotations belong on the file under review: a removal is shown at
        // its nearest ancestor that still exists.
        let (file, line) = (
            &working.name,
            yaml_lines::nearest_line(&working.text, &change.pointer),
        );
        let command = match change.class {
            Class::Breaking => "error",
            Class::NonBreaking => "warning",
            Class::Documentation => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={line},title={} spec change::{}",
            escape_property(file),
            change.class.label(),
            escape_data(&change.message)
        );
    }
    if changes.is_empty() {
        out.push_str("no changes\n");
    }
    out
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
