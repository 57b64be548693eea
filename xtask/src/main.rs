//! `cargo xtask <task>`: tasks that read the OpenAPI document.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use zendesk_spec::operations::{BodySchema, Operation};
use zendesk_spec::{workspace_root, SpecDocument, SPEC_PATH};

mod import_command;
mod spec_diff_command;

const USAGE: &str = "usage: cargo xtask <task>
  operations        list every operation the spec defines, with its request and responses
  generate          write every generated file from spec/openapi.yaml
  generate --check  write nothing; fail with a diff if a committed generated file is stale
  import --from FILE (--operation ID[,ID..] | --tag TAG | --all) [--corrections OVERLAY] [--dry-run]
                    copy a vendor document's operations, with every component they
                    reference and the corrections in spec/corrections/, into the spec;
                    exit 0 when imported (or nothing to change), 1 when an operation was
                    refused, 2 on a usage or input error (then nothing is written)
  diff BASE [--format human|json|github] [--working SPEC]
                    the changes from BASE's spec (a git revision, or a path to a spec) to
                    the working one, classified breaking, non-breaking or documentation;
                    exit 0 without breaking changes, 1 with, 2 on a usage or I/O error";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("diff") {
        return spec_diff_command::run(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("import") {
        return import_command::run(&args[1..]);
    }
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["operations"] => print_operations(),
        ["generate"] => generate(false),
        ["generate", "--check"] => generate(true),
        ["-h" | "--help" | "help"] => write_stdout(&format!("{USAGE}\n")),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(check: bool) -> Result<(), String> {
    let started = Instant::now();
    let root = workspace_root();
    let xtask::Generation { files, notes } = xtask::generate(&root.join(SPEC_PATH))?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    if check {
        let drift = xtask::drift(&root, &files);
        for file in &drift {
            eprintln!("{}", file.diff);
        }
        if !drift.is_empty() {
            return Err(format!(
                "{} generated file(s) differ from what spec/openapi.yaml yields; run `cargo xtask generate`",
                drift.len()
            ));
        }
        return write_stdout(&format!(
            "{} generated files are up to date ({} ms)\n",
            files.len(),
            started.elapsed().as_millis()
        ));
    }
    let mut report = String::new();
    for file in &files {
        let path = root.join(&file.path);
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|c| c == file.contents);
        if !unchanged {
            write_atomically(&path, &file.contents)?;
        }
        let state = if unchanged { "unchanged" } else { "written" };
        let _ = writeln!(
            report,
            "{state:>9} {} ({} bytes)",
            file.path.display(),
            file.contents.len()
        );
    }
    let _ = writeln!(
        report,
        "generated {} files in {} ms",
        files.len(),
        started.elapsed().as_millis()
    );
    write_stdout(&report)
}

/// Writes through a temporary file and a rename, so an interrupted run never
/// leaves a half-written file behind.
fn write_atomically(path: &Path, contents: &str) -> Result<(), String> {
    let directory = path
        .parent()
        .ok_or_else(|| format!("{}: no parent folder", path.display()))?;
    std::fs::create_dir_all(directory).map_err(|e| format!("{}: {e}", directory.display()))?;
    let temporary = path.with_extension("tmp-generated");
    std::fs::write(&temporary, contents).map_err(|e| format!("{}: {e}", temporary.display()))?;
    std::fs::rename(&temporary, path).map_err(|e| format!("{}: {e}", path.display()))
}

fn print_operations() -> Result<(), String> {
    let spec = SpecDocument::load_workspace_spec().map_err(|e| e.to_string())?;
    let operations = spec.operations().map_err(|e| e.to_string())?;
    let mut out = format!(
        "{} operations in {}\n",
        operations.len(),
        spec.path().display()
    );
    for operation in &operations {
        let _ = write!(
            out,
            "\n{} {}\n  {}: {}\n  allowed for: {}\n  request:     {}\n  responses:   {}\n",
            operation.method,
            operation.path,
            operation.id,
            operation.summary,
            operation.allowed_for.join(", "),
            request_line(operation),
            responses_line(operation),
        );
    }
    write_stdout(&out)
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn write_stdout(text: &str) -> Result<(), String> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(()),
    }
}

fn request_line(operation: &Operation) -> String {
    match &operation.request_body {
        None => "none".into(),
        Some(body) => body
            .media
            .iter()
            .map(|m| format!("{} {}", m.media_type, schema_name(&m.schema)))
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

fn responses_line(operation: &Operation) -> String {
    operation
        .responses
        .iter()
        .map(|response| match response.media.first() {
            Some(media) if response.is_success() => {
                format!("{} {}", response.status, schema_name(&media.schema))
            }
            _ => response.status.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn schema_name(schema: &BodySchema) -> String {
    match schema {
        BodySchema::Component(name) => name.clone(),
        BodySchema::Inline(value) => {
            let kind = value["type"].as_str().unwrap_or("any");
            match value["format"].as_str() {
                Some(format) => format!("{kind} ({format})"),
                None => kind.to_string(),
            }
        }
        BodySchema::Untyped => "bytes".to_string(),
    }
}
