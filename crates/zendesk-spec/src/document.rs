//! Loading the OpenAPI document: once as a plain JSON value (for translation
//! and validation against the OpenAPI meta-schema) and once as `openapiv3`
//! types (the parser the generators use).

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::{Map, Value};

use crate::error::SpecError;
use crate::json_schema;
use crate::operations::{self, Operation};

/// Where the OpenAPI document stands, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/openapi.yaml";

/// The workspace root of this repository (for the xtask and the tests).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("zendesk-spec sits at crates/zendesk-spec below the workspace root")
        .to_path_buf()
}

/// The OpenAPI document, parsed once as JSON and once as `openapiv3` types.
#[derive(Debug, Clone)]
pub struct SpecDocument {
    path: PathBuf,
    value: Value,
    openapi: OpenAPI,
}

impl SpecDocument {
    /// Reads and parses the document at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref().to_path_buf();
        let text = std::fs::read_to_string(&path).map_err(|source| SpecError::Io {
            path: path.clone(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Reads the workspace's own document, `spec/openapi.yaml`.
    pub fn load_workspace_spec() -> Result<Self, SpecError> {
        Self::load(workspace_root().join(SPEC_PATH))
    }

    /// Parses YAML `text`; `path` names it in errors and anchors relative
    /// example files.
    pub fn parse(text: &str, path: PathBuf) -> Result<Self, SpecError> {
        let yaml_error = |error: serde_norway::Error| {
            let (line, column) = error
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            SpecError::Yaml {
                path: path.clone(),
                line,
                column,
                message: error.to_string(),
            }
        };
        let value: Value = serde_norway::from_str(text).map_err(yaml_error)?;
        let openapi: OpenAPI = serde_norway::from_str(text).map_err(yaml_error)?;
        if !openapi.openapi.starts_with("3.0.") {
            return Err(SpecError::OpenApi {
                path,
                message: format!("`openapi` is {}, not 3.0.x", openapi.openapi),
            });
        }
        Ok(Self {
            path,
            value,
            openapi,
        })
    }

    /// Where the document was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder the document is in; `externalValue`s are relative to it.
    pub fn directory(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The document as a plain JSON value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The document as `openapiv3` types.
    pub fn openapi(&self) -> &OpenAPI {
        &self.openapi
    }

    /// The OpenAPI Schema Objects under `components/schemas`, by name.
    pub fn component_schemas(&self) -> Map<String, Value> {
        self.value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }

    /// Every component schema translated into one draft-07 bundle.
    pub fn json_schema_bundle(&self) -> Result<Value, SpecError> {
        json_schema::bundle(&self.component_schemas())
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Result<Vec<Operation>, SpecError> {
        operations::collect(&self.openapi)
    }
}
