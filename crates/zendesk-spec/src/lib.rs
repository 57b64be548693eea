//! The side conversations OpenAPI document, read once and translated once.
//!
//! - [`SpecDocument`] loads `spec/openapi.yaml` (as JSON and as `openapiv3`
//!   types) and lists its [`operations`].
//! - [`json_schema`] turns its OpenAPI 3.0 schemas into one draft-07 JSON
//!   Schema bundle; the generated models and the validator both use that
//!   bundle.
//! - [`example_files`] is the naming convention that ties an example file to
//!   its operation and status, or to its schema.

mod document;
mod error;
pub mod example_files;
pub mod json_schema;
pub mod operations;

pub use document::{workspace_root, SpecDocument, SPEC_PATH};
pub use error::SpecError;
pub use operations::Operation;
