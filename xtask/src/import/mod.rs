//! `cargo xtask import`: operations of a vendor's OpenAPI document (such as
//! Zendesk's published Support API) copied into `spec/openapi.yaml`, with
//! every component they reference, after the vendor's defects are corrected.
//!
//! 1. The source is read (YAML, OpenAPI 3.0.x) and its sha256 taken.
//! 2. The corrections for it (an OpenAPI Overlay in `spec/corrections/`
//!    whose `info.x-source-title` is the source's `info.title`) are applied.
//! 3. Each operation asked for is prepared: its "Allowed For" prose becomes
//!    `x-allowed-for`, the spec's `x-common-responses` are added, its
//!    examples become files of `spec/examples/` named as the workspace names
//!    them, and the source is recorded in `x-source`.
//! 4. The components it references are found, transitively. A component
//!    the spec already has with the same content is shared; one imported
//!    from the same source before is replaced; one whose name the spec uses
//!    for something else is renamed (`TicketId` becomes `SupportTicketId`)
//!    and reported. A reference the source does not hold but the spec does
//!    (a correction may point a vendor schema at the spec's own) is linked.
//! 5. Each operation is tried alone through the whole pipeline (the
//!    translation to JSON Schema, typify, progenitor, the command line); one
//!    the pipeline cannot take is refused with what it met.
//! 6. The additions are written into the spec's text in its own layout, at
//!    the end of each block they belong to; nothing there is reformatted.
//!    The text is read back and must be exactly the planned document, which
//!    must validate against the OpenAPI 3.0 schema and generate, before
//!    anything is written. With `--dry-run`, nothing is.

pub mod allowed_for;
pub mod corrections;
mod plan;
mod text;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

pub use plan::{Outcome, Refusal};

/// What to import.
#[derive(Debug, Clone, PartialEq)]
pub enum Select {
    /// These operationIds.
    Operations(Vec<String>),
    /// Every operation with this tag.
    Tag(String),
    /// Every operation: each one the pipeline cannot take is refused and
    /// reported, the rest imported.
    All,
}

/// One import.
#[derive(Debug, Clone)]
pub struct Request {
    /// The vendor's document.
    pub from: PathBuf,
    pub select: Select,
    /// The overlay to apply; by default the one in `corrections_dir` for the
    /// source's title, if any.
    pub corrections: Option<PathBuf>,
    /// The spec to import into; examples go to `examples/` beside it.
    pub spec: PathBuf,
    /// Where the overlays are, and what evidence paths are relative to.
    pub root: PathBuf,
    /// Plan and check, write nothing.
    pub dry_run: bool,
}

/// The vendor's document as read.
pub struct Source {
    pub path: PathBuf,
    pub title: String,
    pub version: String,
    pub sha256: String,
    pub document: Value,
}

impl Source {
    pub fn read(path: &Path) -> Result<Source, String> {
        let at = path.display();
        let bytes = std::fs::read(path).map_err(|e| format!("{at}: cannot read: {e}"))?;
        let sha256 = Sha256::digest(&bytes)
            .iter()
            .fold(String::new(), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            });
        let text = std::str::from_utf8(&bytes).map_err(|e| format!("{at}: not UTF-8 text: {e}"))?;
        let document: Value = serde_norway::from_str(text).map_err(|e| match e.location() {
            Some(l) => format!("{at}:{}:{}: not YAML: {e}", l.line(), l.column()),
            None => format!("{at}: not YAML: {e}"),
        })?;
        let version = document.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("3.0.") {
            return Err(format!(
                "{at}: not an OpenAPI 3.0 document (`openapi` is {:?})",
                document.get("openapi").unwrap_or(&Value::Null)
            ));
        }
        let info = |key: &str| {
            document
                .pointer(&format!("/info/{key}"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("{at}: not an OpenAPI 3.0 document (no `info.{key}`)"))
        };
        let (title, info_version) = (info("title")?, info("version")?);
        if !document.get("paths").is_some_and(Value::is_object) {
            return Err(format!("{at}: not an OpenAPI 3.0 document (no `paths` object)"));
        }
        Ok(Source {
            path: path.to_path_buf(),
            title,
            version: info_version,
            sha256,
            document,
        })
    }
}

/// Runs an import; on any error nothing is written.
pub fn import(request: &Request) -> Result<Outcome, String> {
    let mut source = Source::read(&request.from)?;
    let corrections = match &request.corrections {
        Some(file) => Some(corrections::Corrections::read(file, &request.root)?),
        None => find_corrections(&request.root.join("spec/corrections"), &source.title, &request.root)?,
    };
    let mut applied = Vec::new();
    if let Some(corrections) = &corrections {
        if corrections.source_title != source.title {
            return Err(format!(
                "{}: the corrections are for {:?}, and {} is {:?}",
                corrections.file.display(),
                corrections.source_title,
                source.path.display(),
                source.title
            ));
        }
        applied = corrections.apply(&mut source.document)?;
    }
    let spec_text = std::fs::read_to_string(&request.spec)
        .map_err(|e| format!("{}: cannot read: {e}", request.spec.display()))?;
    let examples_dir = request
        .spec
        .parent()
        .unwrap_or(Path::new("."))
        .join("examples");
    let mut outcome = plan::plan(&source, &spec_text, &request.select, &examples_dir)?;
    outcome.corrections = applied
        .iter()
        .map(|a| format!("{} ({} node{})", a.name, a.nodes, if a.nodes == 1 { "" } else { "s" }))
        .collect();
    outcome.corrections_file = corrections.map(|c| c.file);
    if request.dry_run || !outcome.changes() {
        return Ok(outcome);
    }
    write(&request.spec, &outcome)?;
    outcome.written = true;
    Ok(outcome)
}

/// The overlay in `dir` for documents titled `title`, if there is one.
fn find_corrections(
    dir: &Path,
    title: &str,
    root: &Path,
) -> Result<Option<corrections::Corrections>, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".overlay.yaml"))
        .collect();
    files.sort();
    let mut found = None;
    for file in files {
        let corrections = corrections::Corrections::read(&file, root)?;
        if corrections.source_title == title {
            if let Some(other) = &found {
                let other: &corrections::Corrections = other;
                return Err(format!(
                    "{} and {} both correct {title:?}; keep one",
                    other.file.display(),
                    file.display()
                ));
            }
            found = Some(corrections);
        }
    }
    Ok(found)
}

/// Writes the examples, then the spec through a temporary file and a
/// rename; an example written before a failure is removed again.
fn write(spec: &Path, outcome: &Outcome) -> Result<(), String> {
    let mut written = Vec::new();
    let result = (|| {
        for (path, contents) in &outcome.example_files {
            if std::fs::read_to_string(path).is_ok_and(|c| &c == contents) {
                continue;
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
            written.push(path.clone());
        }
        let temporary = spec.with_extension("yaml.importing");
        std::fs::write(&temporary, &outcome.spec_text)
            .map_err(|e| format!("{}: {e}", temporary.display()))?;
        std::fs::rename(&temporary, spec).map_err(|e| format!("{}: {e}", spec.display()))
    })();
    if result.is_err() {
        for path in written {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

/// The report printed after an import.
pub fn report(outcome: &Outcome, dry_run: bool) -> String {
    let mut out = String::new();
    if let Some(file) = &outcome.corrections_file {
        let _ = writeln!(out, "corrections: {} ({} applied)", file.display(), outcome.corrections.len());
        for applied in &outcome.corrections {
            let _ = writeln!(out, "  {applied}");
        }
    } else {
        let _ = writeln!(out, "corrections: none for this document");
    }
    let list = |out: &mut String, heading: &str, items: &[String]| {
        if !items.is_empty() {
            let _ = writeln!(out, "{heading} ({}):", items.len());
            for item in items {
                let _ = writeln!(out, "  {item}");
            }
        }
    };
    list(&mut out, "imported", &outcome.imported);
    list(&mut out, "unchanged (imported before)", &outcome.unchanged);
    list(&mut out, "kept as the spec has them", &outcome.kept);
    list(&mut out, "components", &outcome.components);
    list(
        &mut out,
        "examples",
        &outcome
            .example_files
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect::<Vec<_>>(),
    );
    list(&mut out, "notes", &outcome.notes);
    if !outcome.refused.is_empty() {
        let _ = writeln!(out, "refused ({}):", outcome.refused.len());
        for refusal in &outcome.refused {
            let _ = writeln!(out, "  {}:", refusal.operation);
            for problem in &refusal.problems {
                let _ = writeln!(out, "    {problem}");
            }
        }
    }
    let verdict = if !outcome.changes() {
        "nothing to change".to_string()
    } else if dry_run {
        "dry run: nothing written".to_string()
    } else if outcome.written {
        "written".to_string()
    } else {
        "not written".to_string()
    };
    let _ = writeln!(out, "{verdict}");
    out
}
