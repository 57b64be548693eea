//! Every generated file of the workspace, made from `spec/openapi.yaml`.
//!
//! spec/openapi.yaml --(zendesk-spec: OpenAPI 3.0 -> JSON Schema)--> bundle
//!   bundle -> typify     -> crates/zendesk-models/src/generated.rs
//!   spec schemas         -> crates/zendesk-models/src/generated_open_enums.rs
//!                           crates/zendesk-models/src/generated_constructors.rs
//!   bundle (as JSON)     -> crates/zendesk-validate/src/generated_schema_bundle.json
//!   spec operations      -> crates/zendesk-validate/src/generated_operations.rs
//!   spec   -> progenitor -> crates/zendesk-client/src/generated.rs
//!                           (every schema replaced by the models' type)
//!   spec operations      -> crates/zendesk-cli/src/generated.rs

pub mod cli;
pub mod client;
pub mod constructors;
pub mod import;
pub mod models;
pub mod open_enums;
pub mod operations;
pub mod parameters;
pub mod rust_file;
pub mod spec_diff;
pub mod yaml_lines;
pub mod yaml_write;

use std::path::{Path, PathBuf};

use zendesk_spec::SpecDocument;

/// One generated file: where it goes, relative to the workspace root, and
/// what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

pub const MODELS_RS: &str = "crates/zendesk-models/src/generated.rs";
pub const SCHEMA_BUNDLE_JSON: &str = "crates/zendesk-validate/src/generated_schema_bundle.json";
pub const OPERATIONS_RS: &str = "crates/zendesk-validate/src/generated_operations.rs";
pub const CLIENT_RS: &str = "crates/zendesk-client/src/generated.rs";
pub const OPEN_ENUMS_RS: &str = "crates/zendesk-models/src/generated_open_enums.rs";
pub const CONSTRUCTORS_RS: &str = "crates/zendesk-models/src/generated_constructors.rs";
pub const CLI_RS: &str = "crates/zendesk-cli/src/generated.rs";

/// Every path `generated_files` writes, relative to the workspace root.
pub const GENERATED_PATHS: &[&str] = &[
    SCHEMA_BUNDLE_JSON,
    OPERATIONS_RS,
    MODELS_RS,
    OPEN_ENUMS_RS,
    CONSTRUCTORS_RS,
    CLIENT_RS,
    CLI_RS,
];

/// Every generated file, as the spec at `spec_path` makes them.
pub fn generated_files(spec_path: &Path) -> Result<Vec<GeneratedFile>, String> {
    generate(spec_path).map(|generation| generation.files)
}

/// What one generation made: the files, and notes on what the generators
/// took in a way worth knowing (a body taken as bytes, a schema that has no
/// typed constructor).
pub struct Generation {
    pub files: Vec<GeneratedFile>,
    pub notes: Vec<String>,
}

/// Every generated file and the generators' notes, for the spec at
/// `spec_path`.
pub fn generate(spec_path: &Path) -> Result<Generation, String> {
    let spec = SpecDocument::load(spec_path).map_err(|e| e.to_string())?;
    generate_document(&spec)
}

/// Every generated file and the generators' notes, for a spec already read.
pub fn generate_document(spec: &SpecDocument) -> Result<Generation, String> {
    let bundle = spec.json_schema_bundle().map_err(|e| e.to_string())?;
    let operations = spec.operations().map_err(|e| e.to_string())?;
    let component_schemas = spec.component_schemas();
    let open_enums = open_enums::open_enums(&component_schemas)?;
    let open_enum_names: Vec<String> = open_enums.iter().map(|e| e.name.clone()).collect();
    let models = models::Models::new(&bundle, &open_enum_names)?;
    let (constructors, constructor_notes) = constructors::generate(&component_schemas, &models)?;
    let mut notes: Vec<String> = operations
        .iter()
        .flat_map(|o| o.notes.iter().map(move |n| format!("{}: {n}", o.id)))
        .collect();
    notes.extend(constructor_notes);
    let files = vec![
        GeneratedFile {
            path: SCHEMA_BUNDLE_JSON.into(),
            contents: rust_file::format_json(&sorted(&bundle))?,
        },
        GeneratedFile {
            path: OPERATIONS_RS.into(),
            contents: rust_file::format(operations::generate(&operations)?)?,
        },
        GeneratedFile {
            path: MODELS_RS.into(),
            contents: rust_file::format(models.generate())?,
        },
        GeneratedFile {
            path: OPEN_ENUMS_RS.into(),
            contents: rust_file::format(open_enums::generate(&open_enums)?)?,
        },
        GeneratedFile {
            path: CONSTRUCTORS_RS.into(),
            contents: rust_file::format(constructors)?,
        },
        GeneratedFile {
            path: CLIENT_RS.into(),
            contents: rust_file::format(client::generate(spec.openapi())?)?,
        },
        GeneratedFile {
            path: CLI_RS.into(),
            contents: rust_file::format(cli::generate(&operations, &component_schemas)?)?,
        },
    ];
    Ok(Generation { files, notes })
}

/// A committed file that differs from what the spec yields.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    pub path: PathBuf,
    /// A unified diff from the committed file to the generated one.
    pub diff: String,
}

/// Compares the generated files with the ones under `root`; writes nothing.
pub fn drift(root: &Path, files: &[GeneratedFile]) -> Vec<Drift> {
    files
        .iter()
        .filter_map(|file| {
            let committed = std::fs::read_to_string(root.join(&file.path)).unwrap_or_default();
            (committed != file.contents).then(|| Drift {
                path: file.path.clone(),
                diff: similar::TextDiff::from_lines(&committed, &file.contents)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("committed {}", file.path.display()),
                        &format!("generated {}", file.path.display()),
                    )
                    .to_string(),
            })
        })
        .collect()
}

/// The same JSON with every object's keys in order, whatever serde_json's
/// map type is in this build: generated bytes never depend on it.
fn sorted(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(sorted).collect())
        }
        other => other.clone(),
    }
}
