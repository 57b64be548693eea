//! Validates Zendesk side conversation, ticket and attachment payloads against the
//! spec: request bodies your code builds, responses you recorded, fixtures,
//! and whole incremental-export dumps.
//!
//! The schemas are the spec's own JSON Schema bundle, embedded; each is
//! compiled once per process, the first time it is used.
//!
//! ```
//! use serde_json::json;
//!
//! let create = zendesk_validate::request("CreateSideConversation")?;
//! let good = json!({"message": {"subject": "Printer", "to": [{"user_id": 123}]}});
//! assert!(create.is_valid(&good));
//!
//! let mixed = json!({"message": {"to": [
//!     {"email": "vendor@example.com"},
//!     {"slack_workspace_id": "T123ABC", "slack_channel_id": "C456DEF"},
//! ]}});
//! let violations = create.validate(&mixed);
//! assert_eq!(violations[0].pointer, "/message");
//! assert!(violations[0].message.starts_with(
//!     "participants of one message mix an email participant (/message/to/0) with a Slack participant (/message/to/1)"
//! ));
//! # Ok::<(), zendesk_validate::LookupError>(())
//! ```
//!
//! Responses by operation and status, and any component schema by name:
//!
//! ```
//! use serde_json::json;
//!
//! let upload = zendesk_validate::response("UploadFiles", "201")?;
//! let violations = upload.validate(&json!({"upload": {"attachments": []}}));
//! assert_eq!(violations[0].pointer, "/upload");
//! assert_eq!(violations[0].message, "\"token\" is a required property");
//!
//! let side_conversation = zendesk_validate::schema("SideConversation")?;
//! assert!(side_conversation.is_valid(&json!({"id": "abc", "a_field_added_later": 1})));
//! # Ok::<(), zendesk_validate::LookupError>(())
//! ```
//!
//! Files and streams, with the line and column of every violation:
//!
//! ```
//! let state = zendesk_validate::request("UpdateSideConversation")?;
//! let text = b"{\n  \"side_conversation\": {\"state\": \"pending\"}\n}";
//! let checked = zendesk_validate::check_document(text, 1, state);
//! let zendesk_validate::Verdict::Invalid(found) = checked.verdict else { panic!() };
//! assert_eq!((found[0].line, found[0].column), (2, 34));
//! assert_eq!(found[0].violation.pointer, "/side_conversation/state");
//! # Ok::<(), zendesk_validate::LookupError>(())
//! ```

#![warn(missing_docs)]

mod check;
mod explain;
pub mod file_names;
#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated_operations;
mod operations;
pub mod parallel;
mod parameters;
mod position;
mod schemas;
mod streaming;
mod undocumented;

pub use check::{
    check_document, check_file, check_lines, check_lines_parallel, check_reader, Checked, Located,
    LocatedUndocumented, Verdict, DEFAULT_MAX_PAYLOAD_BYTES,
};
pub use undocumented::{json_type, Undocumented};
pub use generated_operations::OPERATIONS;
pub use operations::{operation, operation_at, Body, Operation, Parameter, Response};
pub use parameters::ParameterViolation;
pub use position::{line_and_column, offset_of};
pub use schemas::{
    bundle, for_target, request, response, schema, schema_names, LookupError, SchemaValidator,
    Violation,
};

/// What a file holds, from its name; see [`file_names`].
pub fn classify_file_name(file_name: &str) -> Result<file_names::NamedPayload, String> {
    file_names::classify(
        file_name,
        |name| operation(name).is_some(),
        |name| schema_names().any(|s| s == name),
    )
}
