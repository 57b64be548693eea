//! The naming convention that says what a payload file is, so a whole
//! fixtures folder is checked with one command:
//!
//! - `{OperationId}.request[.{label}...].json`: a request body of the operation;
//! - `{OperationId}.{status}[.{label}...].json`: a response body of the
//!   operation with that HTTP status;
//! - `{SchemaName}[.{label}...].json`: an instance of a component schema.
//!
//! `.ndjson` and `.jsonl` files hold one payload per line. A label `invalid`
//! marks a payload that must *fail* validation (a negative fixture), as in
//! `CreateSideConversation.request.invalid.mixed-participants.json`.

use std::fmt;

/// What a payload must be valid as.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// An instance of the named component schema.
    Schema(String),
    /// The request body of an operation.
    Request {
        /// The operationId.
        operation_id: String,
    },
    /// A response body of an operation.
    Response {
        /// The operationId.
        operation_id: String,
        /// The response's status: `200`, `404`, ...
        status: String,
    },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Schema(name) => write!(f, "{name}"),
            Target::Request { operation_id } => write!(f, "{operation_id} request"),
            Target::Response {
                operation_id,
                status,
            } => write!(f, "{operation_id} {status} response"),
        }
    }
}

/// What a file name says about its payloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPayload {
    /// What the payloads must be valid as.
    pub target: Target,
    /// True when the name carries the label `invalid`.
    pub expect_invalid: bool,
}

/// The file extensions of payload files in a folder.
pub const PAYLOAD_EXTENSIONS: [&str; 3] = ["json", "ndjson", "jsonl"];

/// Reads what a file holds from its name. `is_operation` and `is_schema` say
/// which names exist.
pub fn classify(
    file_name: &str,
    is_operation: impl Fn(&str) -> bool,
    is_schema: impl Fn(&str) -> bool,
) -> Result<NamedPayload, String> {
    let stem = PAYLOAD_EXTENSIONS
        .iter()
        .find_map(|extension| file_name.strip_suffix(&format!(".{extension}")))
        .ok_or_else(|| format!("{file_name}: not a .json, .ndjson or .jsonl file"))?;
    let mut parts = stem.split('.');
    let name = parts.next().unwrap_or_default();
    let target = if is_operation(name) {
        let operation_id = name.to_string();
        match parts.next() {
            Some("request") => Target::Request { operation_id },
            Some(status) if is_status(status) => Target::Response {
                operation_id,
                status: status.to_string(),
            },
            _ => {
                return Err(format!(
                "{file_name}: after the operation id comes `request` or an HTTP status, as in {name}.request.json or {name}.200.json"
            ))
            }
        }
    } else if is_schema(name) {
        Target::Schema(name.to_string())
    } else {
        return Err(format!(
            "{file_name}: `{name}` is neither an operation id nor a schema name (see `zendesk-validate --list`)"
        ));
    };
    let expect_invalid = parts.any(|label| label == "invalid");
    Ok(NamedPayload {
        target,
        expect_invalid,
    })
}

fn is_status(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str) -> Result<NamedPayload, String> {
        classify(name, |n| n == "ShowAttachment", |n| n == "Attachment")
    }

    #[test]
    fn names_map_to_targets() {
        let response = c("ShowAttachment.200.json").unwrap();
        assert_eq!(
            response.target,
            Target::Response {
                operation_id: "ShowAttachment".into(),
                status: "200".into()
            }
        );
        assert!(!response.expect_invalid);
        let request = c("ShowAttachment.request.invalid.some-label.json").unwrap();
        assert_eq!(
            request.target,
            Target::Request {
                operation_id: "ShowAttachment".into()
            }
        );
        assert!(request.expect_invalid);
        assert_eq!(
            c("Attachment.thumbnail.jsonl").unwrap().target,
            Target::Schema("Attachment".into())
        );
    }

    #[test]
    fn bad_names_say_why() {
        assert!(c("ShowAttachment.json")
            .unwrap_err()
            .contains("`request` or an HTTP status"));
        assert!(c("ShowAttachment.20.json").is_err());
        assert!(c("Nope.json")
            .unwrap_err()
            .contains("neither an operation id nor a schema"));
        assert!(c("Attachment.txt").unwrap_err().contains("not a .json"));
    }
}
