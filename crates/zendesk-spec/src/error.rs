//! Errors met while reading the OpenAPI document, each saying what and where.

use std::path::PathBuf;

/// Why the document could not be read, parsed or translated.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The text is not YAML, or not in the shape of an OpenAPI document.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Yaml {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when the parser gave none).
        line: usize,
        /// 1-based column (0 when the parser gave none).
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A YAML document that is not OpenAPI 3.0.
    #[error("{}: not an OpenAPI 3.0 document: {message}", path.display())]
    OpenApi {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A schema the JSON Schema translation cannot express.
    #[error("schema at {pointer}: {message}")]
    Schema {
        /// The schema's JSON pointer in the document.
        pointer: String,
        /// Why.
        message: String,
    },
    /// An operation that cannot be read (a dangling `$ref`, no operationId).
    #[error("operation {operation}: {message}")]
    Operation {
        /// The operationId, or the method and path.
        operation: String,
        /// Why.
        message: String,
    },
}
