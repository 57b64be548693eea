//! Errors met while reading the OpenAPI document, each saying what and where.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: not an OpenAPI 3.0 document: {message}", path.display())]
    OpenApi { path: PathBuf, message: String },
    #[error("schema at {pointer}: {message}")]
    Schema { pointer: String, message: String },
    #[error("operation {operation}: {message}")]
    Operation { operation: String, message: String },
}
