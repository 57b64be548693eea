//! `cargo xtask <task>`: tasks that read the OpenAPI document.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use zendesk_spec::operations::{BodySchema, Operation};
use zendesk_spec::SpecDocument;

const USAGE: &str = "usage: cargo xtask operations
  operations   list every operation the spec defines, with its request and responses";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["operations"] => print_operations(),
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
    }
}
