//! The corrections a vendor document needs before it is imported, as an
//! OpenAPI Overlay 1.0 document: actions whose `target` is an RFC 9535
//! JSONPath, each with `update` (merged into every node it selects) or
//! `remove: true`, and, because a correction without its proof is not
//! accepted here, `x-name`, `x-reason` and `x-evidence` (files of this
//! workspace, each optionally with a `#fragment`: a recorded body, a NOTES
//! entry).
//!
//! A correction that selects nothing fails the import with its name: the
//! vendor changed the document, and the correction must be looked at again.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

/// One action of an overlay, checked.
#[derive(Debug, Clone)]
pub struct Correction {
    pub name: String,
    pub target: String,
    pub path: JsonPath,
    pub change: Change,
}

#[derive(Debug, Clone)]
pub enum Change {
    Update(Value),
    Remove,
}

/// An overlay file, read and checked.
#[derive(Debug, Clone)]
pub struct Corrections {
    pub file: PathBuf,
    /// The `info.title` of the documents it corrects (`info.x-source-title`).
    pub source_title: String,
    pub actions: Vec<Correction>,
}

/// What applying an action did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub name: String,
    pub nodes: usize,
}

impl Corrections {
    /// Reads an overlay; every action is checked before any is applied.
    /// `root` anchors the evidence paths.
    pub fn read(file: &Path, root: &Path) -> Result<Corrections, String> {
        let at = file.display();
        let text = std::fs::read_to_string(file).map_err(|e| format!("{at}: cannot read: {e}"))?;
        let value: Value = serde_norway::from_str(&text).map_err(|e| match e.location() {
            Some(l) => format!("{at}:{}:{}: {e}", l.line(), l.column()),
            None => format!("{at}: {e}"),
        })?;
        let place = |pointer: &str| {
            format!(
                "{at}:{}",
                crate::yaml_lines::nearest_line(&text, pointer)
            )
        };
        let version = value.get("overlay").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("1.0.") {
            return Err(format!(
                "{}: `overlay` is {version:?}; OpenAPI Overlay 1.0.x is read",
                place("/overlay")
            ));
        }
        let source_title = value
            .pointer("/info/x-source-title")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                format!(
                    "{}: `info.x-source-title` must name the document's `info.title` the corrections are for",
                    place("/info")
                )
            })?
            .to_string();
        let actions = value
            .get("actions")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| format!("{}: `actions` must be a list of at least one action", place("/actions")))?;
        let mut read = Vec::new();
        for (index, action) in actions.iter().enumerate() {
            let pointer = format!("/actions/{index}");
            let problem = |what: String| format!("{}: action {index}: {what}", place(&pointer));
            let text_field = |key: &str| {
                action
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| problem(format!("`{key}` must be a non-empty string")))
            };
            let name = text_field("x-name")?;
            let problem = |what: String| format!("{}: correction `{name}`: {what}", place(&pointer));
            let target = action
                .get("target")
                .and_then(Value::as_str)
                .filter(|t| t.starts_with('$'))
                .ok_or_else(|| problem("`target` must be a JSONPath starting with `$`".into()))?
                .to_string();
            let path = JsonPath::parse(&target)
                .map_err(|e| problem(format!("`target` {target} is not RFC 9535 JSONPath: {e}")))?;
            for key in ["description", "x-reason"] {
                if action.get(key).and_then(Value::as_str).is_none_or(|s| s.trim().is_empty()) {
                    return Err(problem(format!("`{key}` must say what it corrects and why")));
                }
            }
            let evidence = action
                .get("x-evidence")
                .and_then(Value::as_array)
                .filter(|e| !e.is_empty())
                .ok_or_else(|| problem("`x-evidence` must list at least one file of the workspace".into()))?;
            for item in evidence {
                let item = item
                    .as_str()
                    .ok_or_else(|| problem("every `x-evidence` item is a path".into()))?;
                let file = item.split('#').next().unwrap_or_default();
                if !root.join(file).is_file() {
                    return Err(problem(format!(
                        "the evidence {item} is not a file of the workspace"
                    )));
                }
            }
            let change = match (action.get("update"), action.get("remove")) {
                (Some(update), None | Some(Value::Bool(false))) => Change::Update(update.clone()),
                (None, Some(Value::Bool(true))) => Change::Remove,
                _ => {
                    return Err(problem(
                        "an action has `update`, or `remove: true`, and not both".into(),
                    ))
                }
            };
            read.push(Correction {
                name,
                target,
                path,
                change,
            });
        }
        Ok(Corrections {
            file: file.to_path_buf(),
            source_title,
            actions: read,
        })
    }

    /// Applies every action in order to `document`.
    pub fn apply(&self, document: &mut Value) -> Result<Vec<Applied>, String> {
        let mut applied = Vec::new();
        for action in &self.actions {
            let pointers: Vec<String> = action
                .path
                .query_located(document)
                .locations()
                .map(|l| l.to_json_pointer())
                .collect();
            if pointers.is_empty() {
                return Err(format!(
                    "{}: the correction `{}` selects nothing ({}): the vendor's document changed; look at the correction again",
                    self.file.display(),
                    action.name,
                    action.target
                ));
            }
            match &action.change {
                Change::Update(update) => {
                    for pointer in &pointers {
                        let node = document.pointer_mut(pointer).ok_or_else(|| {
                            format!("correction `{}`: {pointer} vanished", action.name)
                        })?;
                        merge(node, update).map_err(|why| {
                            format!("{}: correction `{}` at {pointer}: {why}", self.file.display(), action.name)
                        })?;
                    }
                }
                Change::Remove => {
                    // Deepest and last first, so the pointers still left
                    // keep naming what they named.
                    let mut sorted = pointers.clone();
                    sorted.sort_by(|a, b| compare_pointers(b, a));
                    for pointer in &sorted {
                        remove(document, pointer).ok_or_else(|| {
                            format!("correction `{}`: cannot remove {pointer}", action.name)
                        })?;
                    }
                }
            }
            applied.push(Applied {
                name: action.name.clone(),
                nodes: pointers.len(),
            });
        }
        Ok(applied)
    }
}

/// Overlay 1.0's update: an object merges into an object, recursively; a
/// value appends to an array; a node that is neither cannot be updated.
fn merge(node: &mut Value, update: &Value) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(changes)) => {
            merge_objects(target, changes);
            Ok(())
        }
        (Value::Array(target), Value::Array(items)) => {
            target.extend(items.iter().cloned());
            Ok(())
        }
        (Value::Array(target), item) => {
            target.push(item.clone());
            Ok(())
        }
        _ => Err("an update selects an object or an array".into()),
    }
}

fn merge_objects(target: &mut Map<String, Value>, changes: &Map<String, Value>) {
    for (key, change) in changes {
        match (target.get_mut(key), change) {
            (Some(Value::Object(inner)), Value::Object(changes)) => merge_objects(inner, changes),
            _ => {
                target.insert(key.clone(), change.clone());
            }
        }
    }
}

fn remove(document: &mut Value, pointer: &str) -> Option<()> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent)? {
        Value::Object(map) => map.remove(&key).map(|_| ()),
        Value::Array(items) => {
            let index: usize = key.parse().ok()?;
            (index < items.len()).then(|| {
                items.remove(index);
            })
        }
        _ => None,
    }
}

/// Pointers in document order, array indices as numbers.
fn compare_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let tokens = |p: &str| -> Vec<(u8, u64, String)> {
        p.split('/')
            .map(|t| match t.parse::<u64>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, t.to_string()),
            })
            .collect()
    };
    tokens(a).cmp(&tokens(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(dir: &Path, actions: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("evidence.json"), "{}").unwrap();
        let file = dir.join("fix.overlay.yaml");
        std::fs::write(
            &file,
            format!("overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\n  x-source-title: Support API\nactions:\n{actions}"),
        )
        .unwrap();
        file
    }

    const ACTION: &str = "  - target: $.components.schemas.A.properties.width\n    x-name: width\n    description: d\n    x-reason: r\n    x-evidence: [evidence.json]\n";

    #[test]
    fn updates_merge_and_removals_remove() {
        let dir = std::env::temp_dir().join(format!("corrections-{}", std::process::id()));
        let file = overlay(
            &dir,
            &format!("{ACTION}    update: {{type: integer, nullable: true}}\n  - target: $.components.schemas.*.properties.gone\n    x-name: gone\n    description: d\n    x-reason: r\n    x-evidence: [evidence.json#/x]\n    remove: true\n"),
        );
        let corrections = Corrections::read(&file, &dir).unwrap();
        let mut document = json!({"components": {"schemas": {
            "A": {"properties": {"width": {"type": "string", "readOnly": true}, "gone": {}}},
            "B": {"properties": {"gone": {}}},
        }}});
        let applied = corrections.apply(&mut document).unwrap();
        assert_eq!(
            applied,
            [
                Applied { name: "width".into(), nodes: 1 },
                Applied { name: "gone".into(), nodes: 2 }
            ]
        );
        assert_eq!(
            document["components"]["schemas"]["A"]["properties"],
            json!({"width": {"type": "integer", "nullable": true, "readOnly": true}})
        );
        assert_eq!(document["components"]["schemas"]["B"]["properties"], json!({}));

        let mut changed = json!({"components": {"schemas": {}}});
        let error = corrections.apply(&mut changed).unwrap_err();
        assert!(error.contains("the correction `width` selects nothing"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_action_without_its_reason_or_evidence_is_refused() {
        let dir = std::env::temp_dir().join(format!("corrections-bad-{}", std::process::id()));
        let cases = [
            (ACTION.replace("    x-reason: r\n", ""), "`x-reason` must say"),
            (ACTION.replace("[evidence.json]", "[nowhere.json]"), "nowhere.json is not a file"),
            (ACTION.replace("x-evidence: [evidence.json]", "x-evidence: []"), "`x-evidence` must list"),
            (ACTION.replace("$.components", "components"), "must be a JSONPath"),
            (ACTION.replace("$.components", "$[?bad"), "is not RFC 9535"),
            (ACTION.to_string(), "`update`, or `remove: true`"),
        ];
        for (action, expected) in cases {
            let file = overlay(&dir, &action);
            let error = Corrections::read(&file, &dir).unwrap_err();
            assert!(error.contains(expected), "{expected}: {error}");
            assert!(error.contains("fix.overlay.yaml:"), "{error}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
