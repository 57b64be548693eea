//! `zendesk-validate`: checks JSON and JSON Lines payloads against the spec.

mod report;

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use zendesk_validate::file_names::{Target, PAYLOAD_EXTENSIONS};
use zendesk_validate::{
    check_lines, check_reader, classify_file_name, for_target, schema_names, SchemaValidator,
    DEFAULT_MAX_PAYLOAD_BYTES, OPERATIONS,
};

use report::{Format, Reporter};

const AFTER_HELP: &str = "\
Without --schema or --operation, each file's name says what it holds:
  {OperationId}.request[.label].json       a request body of the operation
  {OperationId}.{status}[.label].json      a response body with that status
  {SchemaName}[.label].json                an instance of a component schema
A label `invalid` marks a payload that must fail (a negative fixture).
.ndjson and .jsonl files (or --ndjson) hold one payload per line.

Exit status: 0 all valid, 1 some payload invalid or malformed, 2 usage or I/O error.";

/// Checks Zendesk side conversation and attachment payloads against the API's spec.
#[derive(Parser, Debug)]
#[command(name = "zendesk-validate", version, after_help = AFTER_HELP)]
struct Args {
    /// Files or folders to check (`-` reads standard input); folders are
    /// searched for .json, .ndjson and .jsonl files.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Check every payload against this component schema.
    #[arg(long, value_name = "NAME", conflicts_with = "operation")]
    schema: Option<String>,

    /// Check every payload as a body of this operation (with --request or --response).
    #[arg(long, value_name = "OPERATION_ID")]
    operation: Option<String>,

    /// With --operation: the payloads are request bodies.
    #[arg(long, requires = "operation", conflicts_with = "response")]
    request: bool,

    /// With --operation: the payloads are response bodies with this HTTP status.
    #[arg(long, value_name = "STATUS", requires = "operation")]
    response: Option<String>,

    /// Read every file as JSON Lines, one payload per line.
    #[arg(long)]
    ndjson: bool,

    /// How to report: `human` (file:line:col), `json` (one object per line) or `github` (Actions annotations).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// List every schema and operation, then exit.
    #[arg(long)]
    list: bool,

    /// Refuse, unread, any payload larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_PAYLOAD_BYTES)]
    max_payload_bytes: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.list {
        return print_list();
    }
    let explicit = match explicit_target(&args) {
        Ok(target) => target,
        Err(message) => return usage_error(&message),
    };
    if args.files.is_empty() {
        return usage_error("no FILE given (use `-` for standard input)");
    }
    let mut reporter = Reporter::new(args.format);
    let inputs = expand(&args.files, &mut reporter);
    let progress = progress_bar(&inputs, args.format);
    for input in &inputs {
        check_input(
            input,
            explicit.as_ref(),
            &args,
            &mut reporter,
            progress.as_ref(),
        );
    }
    if let Some(progress) = progress {
        progress.finish_and_clear();
    }
    reporter.finish()
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("zendesk-validate: {message}\nTry `zendesk-validate --help`.");
    ExitCode::from(2)
}

/// The target given on the command line, if any, checked to exist.
fn explicit_target(args: &Args) -> Result<Option<(Target, SchemaValidator)>, String> {
    let target = match (&args.schema, &args.operation) {
        (Some(name), None) => Target::Schema(name.clone()),
        (None, Some(operation)) => match (&args.response, args.request) {
            (Some(status), false) => Target::Response {
                operation_id: operation.clone(),
                status: status.clone(),
            },
            (None, true) => Target::Request {
                operation_id: operation.clone(),
            },
            _ => return Err("--operation needs --request or --response STATUS".into()),
        },
        _ => return Ok(None),
    };
    let validator = for_target(&target).map_err(|e| e.to_string())?;
    Ok(Some((target, validator)))
}

fn print_list() -> ExitCode {
    let mut out = String::from("Schemas (--schema NAME):\n");
    for name in schema_names() {
        out.push_str(&format!("  {name}\n"));
    }
    out.push_str("\nOperations (--operation ID --request | --response STATUS):\n");
    for operation in OPERATIONS {
        let statuses: Vec<&str> = operation.responses.iter().map(|r| r.status).collect();
        out.push_str(&format!(
            "  {:<40} {:<6} {}  responses: {}\n",
            operation.id,
            operation.method,
            operation.path,
            statuses.join(" ")
        ));
    }
    report::write_stdout(&out);
    ExitCode::SUCCESS
}

/// One source of payloads.
struct Input {
    /// `None` for standard input.
    path: Option<PathBuf>,
    size: u64,
}

impl Input {
    fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "-".to_string(), |p| p.display().to_string())
    }
}

/// The files named, with folders replaced by the payload files below them.
fn expand(paths: &[PathBuf], reporter: &mut Reporter) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input {
                path: None,
                size: 0,
            });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut inputs, reporter),
            Ok(meta) => inputs.push(Input {
                path: Some(path.clone()),
                size: meta.len(),
            }),
            Err(error) => reporter.io_error(&path.display().to_string(), &error.to_string()),
        }
    }
    inputs
}

fn walk(folder: &Path, inputs: &mut Vec<Input>, reporter: &mut Reporter) {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) => return reporter.io_error(&folder.display().to_string(), &error.to_string()),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        // Links are not followed into folders, so a link loop cannot trap the walk.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, inputs, reporter);
        } else if has_payload_extension(&path) {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            inputs.push(Input {
                path: Some(path),
                size,
            });
        }
    }
}

fn has_payload_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PAYLOAD_EXTENSIONS.contains(&e))
}

fn is_lines_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("ndjson" | "jsonl")
    )
}

fn progress_bar(inputs: &[Input], format: Format) -> Option<indicatif::ProgressBar> {
    let interactive = io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !interactive || format != Format::Human {
        return None;
    }
    let total: u64 = inputs.iter().map(|i| i.size).sum();
    if total < 16 * 1024 * 1024 {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta} {msg}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

fn check_input(
    input: &Input,
    explicit: Option<&(Target, SchemaValidator)>,
    args: &Args,
    reporter: &mut Reporter,
    progress: Option<&indicatif::ProgressBar>,
) {
    let name = input.name();
    let (target, validator, expect_invalid) = match explicit {
        Some((target, validator)) => (target.clone(), *validator, false),
        None => {
            let Some(file_name) = input
                .path
                .as_ref()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
            else {
                return reporter.io_error(&name, "standard input has no file name to say what it holds: give --schema or --operation");
            };
            let named = match classify_file_name(file_name) {
                Ok(named) => named,
                Err(message) => return reporter.io_error(&name, &message),
            };
            match for_target(&named.target) {
                Ok(validator) => (named.target, validator, named.expect_invalid),
                Err(error) => return reporter.io_error(&name, &error.to_string()),
            }
        }
    };
    let reader: Box<dyn Read> = match &input.path {
        None => Box::new(io::stdin().lock()),
        Some(path) => match File::open(path) {
            Ok(file) => Box::new(file),
            Err(error) => return reporter.io_error(&name, &error.to_string()),
        },
    };
    let reader: Box<dyn Read> = match progress {
        Some(bar) => Box::new(bar.wrap_read(reader)),
        None => reader,
    };
    let lines = args.ndjson || input.path.as_deref().is_some_and(is_lines_file);
    let context = report::PayloadContext {
        file: &name,
        target: &target,
        expect_invalid,
    };
    let result = if lines {
        check_lines(
            BufReader::with_capacity(256 * 1024, reader),
            validator,
            args.max_payload_bytes,
            |checked| reporter.payload(&context, &checked),
        )
    } else {
        check_reader(reader, validator, args.max_payload_bytes)
            .map(|checked| reporter.payload(&context, &checked))
    };
    if let Err(error) = result {
        reporter.io_error(&name, &error.to_string());
    }
}
