//! The naming convention of example files, which links a file to what it is
//! an example of without any other index:
//!
//! - `{OperationId}.request[.{label}].json`: a request body of the operation;
//! - `{OperationId}.{status}[.{label}].json`: a response body of the
//!   operation with that HTTP status;
//! - `{SchemaName}[.{label}].json`: an instance of a component schema.
//!
//! Operation ids and schema names share one namespace here: the document must
//! not use one name for both.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleTarget {
    Request {
        operation_id: String,
    },
    Response {
        operation_id: String,
        status: String,
    },
    Schema {
        name: String,
    },
}

impl fmt::Display for ExampleTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExampleTarget::Request { operation_id } => write!(f, "{operation_id} request body"),
            ExampleTarget::Response {
                operation_id,
                status,
            } => write!(f, "{operation_id} response {status}"),
            ExampleTarget::Schema { name } => write!(f, "schema {name}"),
        }
    }
}

/// Reads what a file is an example of from its name. `is_operation` and
/// `is_schema` say which names exist.
pub fn classify(
    file_name: &str,
    is_operation: impl Fn(&str) -> bool,
    is_schema: impl Fn(&str) -> bool,
) -> Result<ExampleTarget, String> {
    let stem = [".json", ".ndjson", ".jsonl"]
        .iter()
        .find_map(|extension| file_name.strip_suffix(extension))
        .ok_or_else(|| format!("{file_name}: not a .json, .ndjson or .jsonl file"))?;
    let mut parts = stem.split('.');
    let name = parts.next().unwrap_or_default();
    if is_operation(name) {
        let operation_id = name.to_string();
        return match parts.next() {
            Some("request") => Ok(ExampleTarget::Request { operation_id }),
            Some(status) if is_status(status) => Ok(ExampleTarget::Response {
                operation_id,
                status: status.to_string(),
            }),
            _ => Err(format!(
                "{file_name}: after the operation id {name} comes `request` or an HTTP status, as in {name}.request.json or {name}.200.json"
            )),
        };
    }
    if is_schema(name) {
        return Ok(ExampleTarget::Schema {
            name: name.to_string(),
        });
    }
    Err(format!(
        "{file_name}: `{name}` is neither an operation id nor a schema name of the spec"
    ))
}

fn is_status(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str) -> Result<ExampleTarget, String> {
        classify(name, |n| n == "ShowAttachment", |n| n == "Attachment")
    }

    #[test]
    fn names_map_to_targets() {
        assert_eq!(
            c("ShowAttachment.200.json"),
            Ok(ExampleTarget::Response {
                operation_id: "ShowAttachment".into(),
                status: "200".into()
            })
        );
        assert_eq!(
            c("ShowAttachment.request.some-label.json"),
            Ok(ExampleTarget::Request {
                operation_id: "ShowAttachment".into()
            })
        );
        assert_eq!(
            c("Attachment.thumbnail.jsonl"),
            Ok(ExampleTarget::Schema {
                name: "Attachment".into()
            })
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
