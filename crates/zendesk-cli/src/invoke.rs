//! What every operation subcommand shares: its common arguments, the JSON
//! body read and checked against the spec before anything is sent, and the
//! answer printed (JSON on stdout, errors on stderr).

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use futures_util::{Stream, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zendesk_client::{Error, ErrorKind, ResponseValue};
use zendesk_validate::Verdict;

/// Why a command failed, and the exit status that says so.
#[derive(Debug)]
pub struct CliError {
    /// 1: the service (or the way to it) failed; 2: usage or a local error.
    pub exit_code: u8,
    /// What to print on stderr, one or more lines.
    pub message: String,
}

impl CliError {
    /// A local error: a file, an argument, the environment. Exit status 2.
    pub fn local(message: impl Into<String>) -> Self {
        CliError {
            exit_code: 2,
            message: message.into(),
        }
    }

    /// An error from the service, as `status error: description`, then
    /// Zendesk's `details` as JSON. Exit status 1 (2 for one the client
    /// refused before sending, or a configuration it cannot use).
    pub fn from_client(error: Error) -> Self {
        let exit_code = match error.kind() {
            ErrorKind::InvalidRequest | ErrorKind::Configuration | ErrorKind::Io => 2,
            _ => 1,
        };
        let mut message = match error.status() {
            Some(status) => {
                let code = error.code().unwrap_or("error");
                match error.description() {
                    Some(description) => format!("{} {code}: {description}", status.as_u16()),
                    None => format!("{} {code}", status.as_u16()),
                }
            }
            None => error.to_string(),
        };
        if let Some(details) = error.details() {
            message.push('\n');
            message.push_str(&serde_json::to_string(details).unwrap_or_default());
        }
        if let Some(id) = error.request_id() {
            message.push_str(&format!("\n(request id {id})"));
        }
        CliError { exit_code, message }
    }
}

/// `--all`: every page, every item as one JSON line.
pub fn all_argument() -> clap::Arg {
    clap::Arg::new("all")
        .long("all")
        .action(clap::ArgAction::SetTrue)
        .help("Follow the pages to the end (next_page, or the cursor's links.next), printing every item as one JSON line (JSON Lines)")
}

/// Whether `--all` was given.
pub fn all(args: &clap::ArgMatches) -> bool {
    args.get_flag("all")
}

/// `--json-body FILE` (`-` for stdin).
pub fn json_body_argument(required: bool) -> clap::Arg {
    clap::Arg::new("json-body")
        .long("json-body")
        .value_name("FILE")
        .required(required)
        .value_parser(clap::value_parser!(std::path::PathBuf))
        .help("The request body, a JSON file (- reads stdin); checked against the spec before it is sent")
}

/// The `--json-body`, read and checked against the operation's request
/// schema: an invalid body is refused with its place, and nothing is sent.
pub fn json_body<T: DeserializeOwned>(
    args: &clap::ArgMatches,
    operation_id: &str,
) -> Result<Option<T>, CliError> {
    let Some(path) = args.get_one::<std::path::PathBuf>("json-body") else {
        return Ok(None);
    };
    let (name, bytes) = read_input(path)?;
    let validator = zendesk_validate::request(operation_id)
        .map_err(|e| CliError::local(format!("{operation_id}: {e}")))?;
    let checked = zendesk_validate::check_document(&bytes, 1, validator);
    match checked.verdict {
        Verdict::Valid => {}
        Verdict::Malformed {
            line,
            column,
            message,
        } => {
            return Err(CliError::local(format!(
                "{name}:{line}:{column}: {message}"
            )))
        }
        Verdict::Invalid(violations) => {
            let lines: Vec<String> = violations
                .iter()
                .map(|v| {
                    let pointer = if v.violation.pointer.is_empty() {
                        "(the body)"
                    } else {
                        &v.violation.pointer
                    };
                    format!(
                        "{name}:{}:{}: {pointer}: {}",
                        v.line, v.column, v.violation.message
                    )
                })
                .collect();
            return Err(CliError::local(format!(
                "{}\nthe body breaks the spec of {operation_id}; nothing was sent",
                lines.join("\n")
            )));
        }
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| CliError::local(format!("{name}:{}:{}: {e}", e.line(), e.column())))
}

/// A file's name for messages and its bytes; `-` is stdin.
pub fn read_input(path: &Path) -> Result<(String, Vec<u8>), CliError> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::local(format!("stdin: {e}")))?;
        return Ok(("<stdin>".to_string(), bytes));
    }
    let name = path.display().to_string();
    std::fs::read(path)
        .map(|bytes| (name.clone(), bytes))
        .map_err(|e| CliError::local(format!("{name}: {e}")))
}

/// A value of an enum parameter (clap has checked it is one of them).
pub fn enum_value<T: DeserializeOwned>(value: &str) -> Result<T, CliError> {
    serde_json::from_value(serde_json::Value::String(value.to_string()))
        .map_err(|e| CliError::local(format!("{value:?}: {e}")))
}

/// Writes a successful answer that is not JSON (an image, a file) to
/// stdout as its bytes arrive; an error becomes a [`CliError`]. The
/// generated subcommands call it for such operations, when the spec has any.
#[allow(dead_code)]
pub async fn respond_bytes<E: Into<Error>>(
    result: Result<ResponseValue<zendesk_client::ByteStream>, E>,
) -> Result<(), CliError> {
    let mut body = result
        .map_err(|e| CliError::from_client(e.into()))?
        .into_inner()
        .into_inner();
    while let Some(chunk) = body.try_next().await.map_err(|e| CliError {
        exit_code: 1,
        message: format!("the answer broke off: {}", e.without_url()),
    })? {
        // A reader that went away (`| head`) ends the output, not the run.
        if std::io::stdout().write_all(&chunk).is_err() {
            return Ok(());
        }
    }
    let _ = std::io::stdout().flush();
    Ok(())
}

/// Prints a successful answer's body; an error becomes a [`CliError`].
pub fn respond<T: Serialize, E: Into<Error>>(
    result: Result<ResponseValue<T>, E>,
) -> Result<(), CliError> {
    let value = result
        .map_err(|e| CliError::from_client(e.into()))?
        .into_inner();
    print_value(&value)
}

/// Prints a body as JSON: pretty on a terminal, one line otherwise. A body
/// of nothing (a 204) prints nothing.
pub fn print_value<T: Serialize>(value: &T) -> Result<(), CliError> {
    let value = serde_json::to_value(value)
        .map_err(|e| CliError::local(format!("the answer cannot be written as JSON: {e}")))?;
    if value.is_null() {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    let text = if stdout.is_terminal() {
        serde_json::to_string_pretty(&value)
    } else {
        serde_json::to_string(&value)
    }
    .map_err(|e| CliError::local(e.to_string()))?;
    writeln!(stdout, "{text}").map_err(stdout_error)
}

/// Prints every item of a stream as one JSON line, as it arrives.
pub async fn print_stream<T: Serialize>(
    stream: impl Stream<Item = Result<T, Error>>,
) -> Result<(), CliError> {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut stream = std::pin::pin!(stream);
    while let Some(item) = stream.try_next().await.map_err(CliError::from_client)? {
        serde_json::to_writer(&mut stdout, &item).map_err(|e| CliError::local(e.to_string()))?;
        stdout.write_all(b"\n").map_err(stdout_error)?;
    }
    stdout.flush().map_err(stdout_error)
}

fn stdout_error(error: std::io::Error) -> CliError {
    CliError::local(format!("stdout: {error}"))
}
