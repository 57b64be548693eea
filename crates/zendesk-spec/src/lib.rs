//! The side conversations OpenAPI document, read once and translated once.
//!
//! - [`SpecDocument`] loads `spec/openapi.yaml` (as JSON and as `openapiv3`
//!   types) and lists its [`operations`].
//! - [`json_schema`] turns its OpenAPI 3.0 schemas into one draft-07 JSON
//!   Schema bundle; the generated models and the validator both use that
//!   bundle.

#![warn(missing_docs)]

mod document;
mod error;
pub mod json_schema;
pub mod operations;
pub mod rust_names;

pub use document::{workspace_root, SpecDocument, SPEC_PATH};
pub use error::SpecError;
pub use operations::Operation;
