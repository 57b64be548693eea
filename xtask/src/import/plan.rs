//! What an import changes, planned on the documents as JSON before any text
//! is written (see the module docs of `import`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use zendesk_spec::json_schema::escape_pointer_token;
use zendesk_spec::{rust_names, SpecDocument};

use super::{allowed_for, text, Select, Source};

/// The component kinds an operation may reference.
const KINDS: &[&str] = &[
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
];

/// The methods of a path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What an import did, or would do.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `CreateTicket: POST /api/v2/tickets`.
    pub imported: Vec<String>,
    /// Imported before from the same source, and the same now.
    pub unchanged: Vec<String>,
    /// Operations the spec has of its own, left as they are.
    pub kept: Vec<String>,
    /// What the pipeline could not take.
    pub refused: Vec<Refusal>,
    /// Components added, shared, replaced, renamed or linked.
    pub components: Vec<String>,
    pub notes: Vec<String>,
    /// The corrections applied, and from which file.
    pub corrections: Vec<String>,
    pub corrections_file: Option<PathBuf>,
    /// The example files and their contents.
    pub example_files: Vec<(PathBuf, String)>,
    /// The spec's new text.
    pub spec_text: String,
    /// Whether the spec's text differs from what it was.
    pub changed: bool,
    pub written: bool,
}

impl Outcome {
    /// Whether there is anything to write.
    pub fn changes(&self) -> bool {
        self.changed
    }
}

/// An operation the pipeline cannot take, and every reason.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub operation: String,
    pub problems: Vec<String>,
}

/// An operation of the source.
struct Selected {
    id: String,
    path: String,
    method: String,
}

/// An example taken out of an operation, to become a file.
struct PendingExample {
    operation: String,
    /// `request` or a status.
    place: String,
    /// The example's key, or `None` for the one default example.
    label: Option<String>,
    summary: String,
    value: Value,
    /// The JSON pointer of the example's entry in the planned document.
    entry: String,
    /// The schema of the body it is an example of, if named.
    schema: Option<String>,
}

/// The import so far: the spec as it will be.
struct State<'a> {
    source: &'a Source,
    planned: Value,
    /// Component names given in this import: (kind, source name) -> name.
    assigned: BTreeMap<(String, String), String>,
    examples: Vec<PendingExample>,
    /// The operations planned: how they are described, and where.
    touched: Vec<(String, String, String)>,
    outcome: Outcome,
}

pub fn plan(
    source: &Source,
    spec_text: &str,
    select: &Select,
    examples_dir: &Path,
) -> Result<Outcome, String> {
    let original: Value = serde_norway::from_str(spec_text)
        .map_err(|e| format!("the spec is not YAML: {e}"))?;
    let selected = select_operations(source, select)?;
    let mut state = State {
        source,
        planned: original.clone(),
        assigned: BTreeMap::new(),
        examples: Vec::new(),
        touched: Vec::new(),
        outcome: Outcome::default(),
    };
    let all_or_nothing = matches!(select, Select::Operations(_));
    for operation in &selected {
        if let Err(problems) = state.add(operation) {
            if all_or_nothing {
                return Err(format!(
                    "{} cannot be imported; nothing was changed:\n  {}",
                    operation.id,
                    problems.join("\n  ")
                ));
            }
            state.outcome.refused.push(Refusal {
                operation: format!("{}: {} {}", operation.id, operation.method.to_uppercase(), operation.path),
                problems,
            });
        }
    }
    state.write_examples(examples_dir)?;
    let State {
        planned,
        mut outcome,
        touched,
        ..
    } = state;
    for (described, path, method) in touched {
        let at = format!("/paths/{}/{method}", escape_pointer_token(&path));
        if original.pointer(&at) == planned.pointer(&at) {
            outcome.unchanged.push(described);
        } else {
            outcome.imported.push(described);
        }
    }
    if planned == original {
        outcome.spec_text = spec_text.to_string();
        return Ok(outcome);
    }
    check_whole(&planned)?;
    outcome.spec_text = text::render(spec_text, &original, &planned)?;
    outcome.changed = outcome.spec_text != spec_text;
    Ok(outcome)
}

fn select_operations(source: &Source, select: &Select) -> Result<Vec<Selected>, String> {
    let mut all = Vec::new();
    if let Some(paths) = source.document.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(id) = item
                    .pointer(&format!("/{method}/operationId"))
                    .and_then(Value::as_str)
                {
                    let tags: Vec<&str> = item[*method]["tags"]
                        .as_array()
                        .map(|t| t.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    all.push((
                        Selected {
                            id: id.to_string(),
                            path: path.clone(),
                            method: method.to_string(),
                        },
                        tags.into_iter().map(String::from).collect::<Vec<_>>(),
                    ));
                }
            }
        }
    }
    let file = source.path.display();
    match select {
        Select::All => Ok(all.into_iter().map(|(s, _)| s).collect()),
        Select::Tag(tag) => {
            let tagged: Vec<Selected> = all
                .into_iter()
                .filter(|(_, tags)| tags.iter().any(|t| t == tag))
                .map(|(s, _)| s)
                .collect();
            if tagged.is_empty() {
                return Err(format!("{file}: no operation has the tag {tag:?}"));
            }
            Ok(tagged)
        }
        Select::Operations(ids) => {
            let mut chosen = Vec::new();
            let mut unknown = Vec::new();
            for id in ids {
                match all.iter().position(|(s, _)| &s.id == id) {
                    Some(index) => {
                        let (s, _) = &all[index];
                        chosen.push(Selected {
                            id: s.id.clone(),
                            path: s.path.clone(),
                            method: s.method.clone(),
                        });
                    }
                    None => {
                        let near: Vec<&str> = all
                            .iter()
                            .map(|(s, _)| s.id.as_str())
                            .filter(|other| {
                                other.eq_ignore_ascii_case(id)
                                    || (id.len() >= 4 && (other.contains(id.as_str()) || id.contains(*other)))
                            })
                            .take(3)
                            .collect();
                        unknown.push(if near.is_empty() {
                            id.clone()
                        } else {
                            format!("{id} (did you mean {}?)", near.join(", "))
                        });
                    }
                }
            }
            if !unknown.is_empty() {
                return Err(format!(
                    "{file} has no operation {}; nothing was changed",
                    unknown.join(", ")
                ));
            }
            Ok(chosen)
        }
    }
}

impl State<'_> {
    /// Plans one operation; on a problem nothing of it is planned.
    fn add(&mut self, selected: &Selected) -> Result<(), Vec<String>> {
        let title = self.source.title.clone();
        let described = format!("{}: {} {}", selected.id, selected.method.to_uppercase(), selected.path);
        if let Some((path, method)) = find_operation(&self.planned, &selected.id) {
            let existing = &self.planned["paths"][&path][&method];
            if !from_source(existing, &title) {
                self.outcome
                    .kept
                    .push(format!("{described}: the spec has an operation of its own by this id"));
                return Ok(());
            }
        } else if let Some(other) = self.planned
            .pointer(&format!("/paths/{}/{}/operationId", escape_pointer_token(&selected.path), selected.method))
            .and_then(Value::as_str)
        {
            return Err(vec![format!(
                "{} {} is the spec's {other} already",
                selected.method.to_uppercase(),
                selected.path
            )]);
        }

        let source_item = &self.source.document["paths"][&selected.path];
        let mut operation = source_item[&selected.method].clone();
        let mut notes = Vec::new();
        let path_parameters: Vec<Value> = source_item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let path_exists = self.planned["paths"].get(&selected.path).is_some();
        if path_exists && !path_parameters.is_empty() {
            // The spec's path item keeps its own parameters; those of the
            // source's it does not declare go on the operation (whose own
            // come last and win).
            let declared: Vec<(String, String)> = self.planned["paths"][&selected.path]
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| name_and_place(&resolve_in(&self.planned, p)))
                .collect();
            let missing: Vec<Value> = path_parameters
                .iter()
                .filter(|p| {
                    // A reference the source lacks is linked to the spec's.
                    let mut resolved = resolve_in(&self.source.document, p);
                    if resolved.is_null() {
                        resolved = resolve_in(&self.planned, p);
                    }
                    !declared.contains(&name_and_place(&resolved))
                })
                .cloned()
                .collect();
            if !missing.is_empty() {
                let own = operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                operation["parameters"] = Value::Array(missing.into_iter().chain(own).collect());
            }
        }
        if operation.get("x-allowed-for").is_none() {
            let description = operation.get("description").and_then(Value::as_str).unwrap_or("");
            match allowed_for::from_description(description) {
                Some((roles, unread)) => {
                    for item in unread {
                        notes.push(format!("{}: \"Allowed For\" item not read as a role: {item}", selected.id));
                    }
                    if roles.is_empty() {
                        notes.push(format!("{}: no role in its \"Allowed For\"", selected.id));
                    } else {
                        operation["x-allowed-for"] = json!(roles);
                    }
                }
                None => notes.push(format!(
                    "{}: its description says nothing of who may call it (no x-allowed-for)",
                    selected.id
                )),
            }
        }
        operation["x-source"] = json!({
            "title": self.source.title,
            "version": self.source.version,
            "sha256": self.source.sha256,
        });
        let spec_path_parameters: Vec<Value> = self.planned["paths"]
            .get(&selected.path)
            .and_then(|item| item.get("parameters"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        self.add_common_responses(
            &mut operation,
            &[path_parameters.clone(), spec_path_parameters].concat(),
        );
        let mut tags_to_declare = Vec::new();
        for tag in operation.get("tags").and_then(Value::as_array).into_iter().flatten() {
            let Some(tag) = tag.as_str() else { continue };
            let declared = self.planned["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|d| d["name"] == tag));
            if !declared && !tags_to_declare.contains(&tag.to_string()) {
                tags_to_declare.push(tag.to_string());
            }
        }
        let examples = self.take_examples(&selected.id, &mut operation).map_err(|e| vec![e])?;

        // Components, named for the spec.
        let mut new_item = Map::new();
        if !path_exists && !path_parameters.is_empty() {
            new_item.insert("parameters".into(), Value::Array(path_parameters));
        }
        let mut roots = vec![operation.clone()];
        roots.push(Value::Object(new_item.clone()));
        let (needed, linked) = self.closure(&roots)?;
        let mapping = self.name_components(&needed, &title);
        let renamed = |value: &Value| rename_refs(value, &mapping);
        let operation = renamed(&operation);
        let new_item = renamed(&Value::Object(new_item));
        let mut components: Vec<(String, String, Value)> = Vec::new();
        for ((kind, name), value) in &needed {
            let mut value = renamed(value);
            if let Some(object) = value.as_object_mut() {
                object.insert("x-source".into(), json!({"title": title, "version": self.source.version}));
            }
            components.push((kind.clone(), mapping[&(kind.clone(), name.clone())].clone(), value));
        }

        // The operation alone through the pipeline.
        let mut alone = json!({
            "openapi": "3.0.3",
            "info": {"title": "one imported operation", "version": "0"},
            "paths": {},
            "components": {},
        });
        let mut item = match self.planned["paths"].get(&selected.path) {
            Some(existing) => json!({"parameters": existing.get("parameters").cloned().unwrap_or(json!([]))}),
            None => new_item.clone(),
        };
        item[&selected.method] = operation.clone();
        alone["paths"][&selected.path] = item;
        for (kind, name, value) in &components {
            alone["components"][kind][name] = value.clone();
        }
        // The client gives every operation the spec's error body; the
        // spec's own path item brings its parameters.
        let mut with_error_body = linked.clone();
        if path_exists {
            with_error_body.extend(references(&alone["paths"][&selected.path]["parameters"]));
        }
        if self.planned.pointer("/components/schemas/ErrorResponse").is_some() {
            with_error_body.insert(("schemas".into(), "ErrorResponse".into()));
        }
        for (kind, name) in self.spec_closure(&with_error_body) {
            if let Some(value) = self.planned.pointer(&component_pointer(&kind, &name)) {
                alone["components"][&kind][&name] = value.clone();
            }
        }
        let problems = check_pipeline(&alone);
        if !problems.is_empty() {
            return Err(problems);
        }

        // Planned.
        self.touched.push((described, selected.path.clone(), selected.method.clone()));
        if !path_exists {
            self.planned["paths"][&selected.path] = new_item;
        }
        self.planned["paths"][&selected.path][&selected.method] = operation;
        for (kind, name, value) in components {
            let key = format!("{kind}/{name}");
            let existing = self.planned["components"].get(&kind).and_then(|k| k.get(&name));
            match existing {
                Some(old) if old == &value => {}
                Some(_) => self.outcome.components.push(format!("replaced {key}")),
                None => self.outcome.components.push(format!("added {key}")),
            }
            self.planned["components"][&kind][&name] = value;
        }
        for ((kind, original), name) in &mapping {
            if original != name {
                let note = format!(
                    "renamed {kind}/{original} to {name}: the spec's own {original} is another"
                );
                if !self.outcome.components.contains(&note) {
                    self.outcome.components.push(note);
                }
            }
        }
        for (kind, name) in &linked {
            let note = format!("linked {kind}/{name} to the spec's own");
            if !self.outcome.components.contains(&note) {
                self.outcome.components.push(note);
            }
        }
        for tag in tags_to_declare {
            if !self.planned["tags"].is_array() {
                self.planned["tags"] = json!([]);
            }
            // The vendor's tag object as corrected (its description, if
            // it has one), or just the name.
            let declared = self.source.document["tags"]
                .as_array()
                .and_then(|tags| tags.iter().find(|t| t["name"] == tag.as_str()))
                .cloned()
                .unwrap_or_else(|| json!({"name": tag}));
            if let Some(tags) = self.planned["tags"].as_array_mut() {
                tags.push(declared);
            }
        }
        for mut example in examples {
            example.schema = example.schema.map(|s| {
                mapping
                    .get(&("schemas".to_string(), s.clone()))
                    .cloned()
                    .unwrap_or(s)
            });
            self.examples.push(example);
        }
        self.outcome.notes.extend(notes);
        Ok(())
    }

    /// The spec's `x-common-responses` the operation does not document:
    /// `all`, then `with-path-parameters`, `with-query-parameters` and
    /// `with-body` where they apply.
    fn add_common_responses(&self, operation: &mut Value, path_parameters: &[Value]) {
        let Some(common) = self.planned.get("x-common-responses") else {
            return;
        };
        let resolve = |parameter: &Value| -> Value {
            match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference
                    .strip_prefix('#')
                    .and_then(|p| self.source.document.pointer(p).or_else(|| self.planned.pointer(p)))
                    .cloned()
                    .unwrap_or(Value::Null),
                None => parameter.clone(),
            }
        };
        let places: Vec<String> = path_parameters
            .iter()
            .chain(operation["parameters"].as_array().into_iter().flatten())
            .map(|p| resolve(p)["in"].as_str().unwrap_or_default().to_string())
            .collect();
        let mut groups = vec!["all"];
        if places.iter().any(|p| p == "path") {
            groups.push("with-path-parameters");
        }
        if places.iter().any(|p| p == "query") {
            groups.push("with-query-parameters");
        }
        if operation.get("requestBody").is_some() {
            groups.push("with-body");
        }
        for group in groups {
            let Some(responses) = common.get(group).and_then(Value::as_object) else {
                continue;
            };
            for (status, response) in responses {
                if operation["responses"].get(status).is_none() {
                    operation["responses"][status] = response.clone();
                }
            }
        }
    }

    /// Takes the examples out of an operation's bodies: each becomes a
    /// pending file, and its entry in the operation a placeholder until
    /// the file is named.
    fn take_examples(&self, operation_id: &str, operation: &mut Value) -> Result<Vec<PendingExample>, String> {
        let mut taken = Vec::new();
        let mut places: Vec<(String, String)> = Vec::new();
        if operation.pointer("/requestBody/content").is_some() {
            places.push(("request".into(), "/requestBody/content".into()));
        }
        if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                if response.get("content").is_some() {
                    places.push((status.clone(), format!("/responses/{}/content", escape_pointer_token(status))));
                }
            }
        }
        for (place, pointer) in places {
            let Some(content) = operation.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
                continue;
            };
            for (media_type, media) in content.iter_mut() {
                let schema = media
                    .pointer("/schema/$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .map(String::from);
                let Some(media) = media.as_object_mut() else { continue };
                let mut found: Vec<(Option<String>, String, Value)> = Vec::new();
                if let Some(Value::Object(examples)) = media.remove("examples") {
                    for (key, example) in examples {
                        let example = self.resolve_example(&example)?;
                        let summary = example.get("summary").and_then(Value::as_str).unwrap_or("").to_string();
                        let value = match (example.get("value"), example.get("externalValue")) {
                            (Some(value), _) => value.clone(),
                            (None, Some(Value::String(file))) => {
                                let path = self.source.path.parent().unwrap_or(Path::new(".")).join(file);
                                let text = std::fs::read_to_string(&path)
                                    .map_err(|e| format!("example {key}: {}: {e}", path.display()))?;
                                serde_json::from_str(&text)
                                    .map_err(|e| format!("example {key}: {}: not JSON: {e}", path.display()))?
                            }
                            _ => return Err(format!("example {key} has no value")),
                        };
                        let label = (key != "default").then_some(key);
                        found.push((label, summary, value));
                    }
                }
                if let Some(value) = media.remove("example") {
                    found.push((None, String::new(), value));
                }
                // Files are for JSON bodies of a named schema, as the
                // workspace names them; any other example stays in place.
                if !media_type.contains("json") || schema.is_none() {
                    let mut kept = Map::new();
                    for (label, summary, value) in found {
                        let key = label.unwrap_or_else(|| "default".into());
                        let mut example = json!({"value": value});
                        if !summary.is_empty() {
                            example["summary"] = json!(summary);
                        }
                        kept.entry(key).or_insert(example);
                    }
                    if !kept.is_empty() {
                        media.insert("examples".into(), Value::Object(kept));
                    }
                    continue;
                }
                let mut entries = Map::new();
                for (label, summary, value) in found {
                    let key = label.clone().unwrap_or_else(|| "default".into());
                    if entries.contains_key(&key) {
                        continue;
                    }
                    // Inline until the file is named (`write_examples`).
                    entries.insert(key.clone(), json!({"value": value}));
                    taken.push(PendingExample {
                        operation: operation_id.to_string(),
                        place: place.clone(),
                        label,
                        summary,
                        value,
                        entry: format!("{pointer}/{}/examples/{}", escape_pointer_token(media_type), escape_pointer_token(&key)),
                        schema: schema.clone(),
                    });
                }
                if !entries.is_empty() {
                    media.insert("examples".into(), Value::Object(entries));
                }
            }
        }
        Ok(taken)
    }

    fn resolve_example(&self, example: &Value) -> Result<Value, String> {
        match example.get("$ref").and_then(Value::as_str) {
            None => Ok(example.clone()),
            Some(reference) => reference
                .strip_prefix('#')
                .and_then(|p| self.source.document.pointer(p))
                .cloned()
                .ok_or_else(|| format!("the example {reference} does not resolve")),
        }
    }

    /// Every component the values reference, transitively: those of the
    /// source (with their content), and those only the spec has (linked).
    #[allow(clippy::type_complexity)]
    fn closure(
        &self,
        roots: &[Value],
    ) -> Result<(BTreeMap<(String, String), Value>, BTreeSet<(String, String)>), Vec<String>> {
        let mut needed = BTreeMap::new();
        let mut linked = BTreeSet::new();
        let mut problems = Vec::new();
        let mut queue: Vec<(String, String)> = roots.iter().flat_map(references).collect();
        while let Some((kind, name)) = queue.pop() {
            if needed.contains_key(&(kind.clone(), name.clone())) || linked.contains(&(kind.clone(), name.clone())) {
                continue;
            }
            if let Some(value) = self.source.document.pointer(&component_pointer(&kind, &name)) {
                queue.extend(references(value));
                needed.insert((kind, name), value.clone());
            } else if self.planned.pointer(&component_pointer(&kind, &name)).is_some() {
                linked.insert((kind, name));
            } else {
                problems.push(format!(
                    "#/components/{kind}/{name} is referenced, and neither the source nor the spec has it"
                ));
            }
        }
        if problems.is_empty() {
            Ok((needed, linked))
        } else {
            Err(problems)
        }
    }

    /// The spec's components that `linked` reference, transitively.
    fn spec_closure(&self, linked: &BTreeSet<(String, String)>) -> BTreeSet<(String, String)> {
        let mut all = BTreeSet::new();
        let mut queue: Vec<(String, String)> = linked.iter().cloned().collect();
        while let Some(key) = queue.pop() {
            if !all.insert(key.clone()) {
                continue;
            }
            if let Some(value) = self.planned.pointer(&component_pointer(&key.0, &key.1)) {
                queue.extend(references(value));
            }
        }
        all
    }

    /// The name each needed component takes in the spec. A name is kept
    /// when the spec has nothing by it, the same content, or what this
    /// source imported before; else the component is renamed
    /// (`{Prefix}{Name}`, then `{Prefix}{Name}2`, ...).
    fn name_components(
        &mut self,
        needed: &BTreeMap<(String, String), Value>,
        title: &str,
    ) -> BTreeMap<(String, String), String> {
        let mut mapping: BTreeMap<(String, String), String> = needed
            .keys()
            .map(|key| {
                let name = self.assigned.get(key).cloned().unwrap_or_else(|| key.1.clone());
                (key.clone(), name)
            })
            .collect();
        let prefix = prefix(title);
        // Renaming one changes the references in others: until nothing moves.
        for _ in 0..=needed.len() {
            let mut moved = false;
            for (key, value) in needed {
                let (kind, name) = key;
                let current = mapping[key].clone();
                let mut content = rename_refs(value, &mapping);
                if let Some(object) = content.as_object_mut() {
                    object.insert("x-source".into(), json!({"title": title, "version": self.source.version}));
                }
                if self.fits(kind, name, &current, &content, &mapping, title) {
                    continue;
                }
                let mut n = 1;
                let chosen = loop {
                    let candidate = if n == 1 {
                        format!("{prefix}{}", name)
                    } else {
                        format!("{prefix}{name}{n}")
                    };
                    if self.fits(kind, name, &candidate, &content, &mapping, title) {
                        break candidate;
                    }
                    n += 1;
                };
                mapping.insert(key.clone(), chosen);
                moved = true;
            }
            if !moved {
                break;
            }
        }
        for (key, name) in &mapping {
            self.assigned.insert(key.clone(), name.clone());
        }
        mapping
    }

    /// Whether source component `kind/name` may take `candidate` in the
    /// spec.
    fn fits(
        &self,
        kind: &str,
        name: &str,
        candidate: &str,
        content: &Value,
        mapping: &BTreeMap<(String, String), String>,
        title: &str,
    ) -> bool {
        // Not a name another component of this import has.
        let taken_here = mapping
            .iter()
            .chain(self.assigned.iter())
            .any(|((k, n), assigned)| k == kind && n != name && assigned == candidate);
        if taken_here {
            return false;
        }
        if kind == "schemas" {
            // Not a Rust type another schema of the spec already is.
            let rust = rust_names::type_name(candidate);
            let clash = self.planned["components"]["schemas"]
                .as_object()
                .is_some_and(|s| s.keys().any(|k| k != candidate && rust_names::type_name(k) == rust));
            if clash {
                return false;
            }
        }
        match self.planned.pointer(&component_pointer(kind, candidate)) {
            None => true,
            Some(existing) => existing == content || from_source(existing, title),
        }
    }

    /// Names each pending example's file, checks it against the schema of
    /// its body in the planned spec (an example the schema refuses is kept,
    /// marked `invalid` with `x-invalid`), and links it from its operation.
    fn write_examples(&mut self, examples_dir: &Path) -> Result<(), String> {
        if self.examples.is_empty() {
            return Ok(());
        }
        let planned_text = serde_norway::to_string(&self.planned).map_err(|e| e.to_string())?;
        let spec = SpecDocument::parse(&planned_text, PathBuf::from("planned.yaml")).map_err(|e| e.to_string())?;
        let bundle = spec.json_schema_bundle().map_err(|e| e.to_string())?;
        let mut names_taken: BTreeSet<String> = BTreeSet::new();
        for example in std::mem::take(&mut self.examples) {
            let invalid = match &example.schema {
                Some(schema) => leaf_errors(&bundle, schema, &example.value)?,
                None => Vec::new(),
            };
            let contents = format!(
                "{}\n",
                serde_json::to_string_pretty(&example.value).map_err(|e| e.to_string())?
            );
            let mut parts = vec![example.operation.clone(), example.place.clone()];
            if !invalid.is_empty() {
                parts.push("invalid".into());
            }
            if let Some(label) = &example.label {
                parts.push(file_label(label));
            }
            let stem = parts.join(".");
            let mut file = format!("{stem}.json");
            let mut n = 2;
            while names_taken.contains(&file)
                || examples_dir
                    .join(&file)
                    .exists()
                    && std::fs::read_to_string(examples_dir.join(&file)).ok().as_deref() != Some(contents.as_str())
            {
                file = format!("{stem}.{n}.json");
                n += 1;
            }
            names_taken.insert(file.clone());
            let mut entry = json!({
                "summary": if example.summary.is_empty() {
                    format!("From {} {}", self.source.title, self.source.version)
                } else {
                    example.summary.clone()
                },
                "externalValue": format!("examples/{file}"),
            });
            if !invalid.is_empty() {
                entry["x-invalid"] = Value::Array(
                    invalid
                        .into_iter()
                        .map(|(pointer, message)| {
                            json!({
                                "pointer": pointer,
                                "reason": format!("The vendor's example breaks the corrected schema: {message}"),
                            })
                        })
                        .collect(),
                );
            }
            let slot = self
                .planned
                .pointer_mut(&format!("{}{}", operation_pointer(&self.planned, &example.operation), example.entry))
                .ok_or_else(|| format!("{}: the example's place vanished", example.operation))?;
            *slot = entry;
            self.outcome.example_files.push((examples_dir.join(&file), contents));
        }
        Ok(())
    }
}

/// A parameter (or what its `$ref` names in `document`).
fn resolve_in(document: &Value, parameter: &Value) -> Value {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|p| document.pointer(p))
            .cloned()
            .unwrap_or(Value::Null),
        None => parameter.clone(),
    }
}

/// A parameter's name and place, which say which parameter it is.
fn name_and_place(parameter: &Value) -> (String, String) {
    let text = |key: &str| parameter[key].as_str().unwrap_or_default().to_string();
    (text("name"), text("in"))
}

/// Where the operation `id` is in `document`, as a JSON pointer.
fn operation_pointer(document: &Value, id: &str) -> String {
    match find_operation(document, id) {
        Some((path, method)) => format!("/paths/{}/{method}", escape_pointer_token(&path)),
        None => String::new(),
    }
}

/// The path and method of the operation `id`.
fn find_operation(document: &Value, id: &str) -> Option<(String, String)> {
    document.get("paths")?.as_object()?.iter().find_map(|(path, item)| {
        METHODS
            .iter()
            .find(|m| item.pointer(&format!("/{m}/operationId")).and_then(Value::as_str) == Some(id))
            .map(|m| (path.clone(), m.to_string()))
    })
}

/// Whether `value` was imported from the document titled `title`.
fn from_source(value: &Value, title: &str) -> bool {
    value.pointer("/x-source/title").and_then(Value::as_str) == Some(title)
}

fn component_pointer(kind: &str, name: &str) -> String {
    format!("/components/{kind}/{}", escape_pointer_token(name))
}

/// The components `value` references: (kind, name).
fn references(value: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    collect_references(value, &mut found);
    found
}

fn collect_references(value: &Value, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                if let Some(rest) = reference.strip_prefix("#/components/") {
                    if let Some((kind, name)) = rest.split_once('/') {
                        if KINDS.contains(&kind) {
                            let name = name.replace("~1", "/").replace("~0", "~");
                            found.push((kind.to_string(), name));
                        }
                    }
                }
            }
            map.values().for_each(|v| collect_references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, found)),
        _ => {}
    }
}

/// `value` with every component reference renamed by `mapping`.
fn rename_refs(value: &Value, mapping: &BTreeMap<(String, String), String>) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, child)| {
                    let renamed = match (key.as_str(), child) {
                        ("$ref", Value::String(reference)) => reference
                            .strip_prefix("#/components/")
                            .and_then(|rest| rest.split_once('/'))
                            .and_then(|(kind, name)| {
                                let name = name.replace("~1", "/").replace("~0", "~");
                                mapping.get(&(kind.to_string(), name))
                                    .map(|new| Value::String(format!("#/components/{kind}/{}", escape_pointer_token(new))))
                            })
                            .unwrap_or_else(|| child.clone()),
                        _ => rename_refs(child, mapping),
                    };
                    (key.clone(), renamed)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| rename_refs(v, mapping)).collect()),
        other => other.clone(),
    }
}

/// The first word of a document's title, as a prefix for renamed
/// components: `Support API` gives `Support`.
fn prefix(title: &str) -> String {
    let word: String = title
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.starts_with(|c: char| c.is_alphabetic()))
        .unwrap_or("Imported")
        .to_string();
    rust_names::type_name(&word)
}

/// An example's key as a file name label: lower case, words joined by `-`.
fn file_label(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Where, and why, `value` breaks schema `schema` of `bundle`: the
/// innermost violations (every branch of a `oneOf`), as the workspace's
/// tests find them.
fn leaf_errors(bundle: &Value, schema: &str, value: &Value) -> Result<Vec<(String, String)>, String> {
    let root = json!({
        "$schema": zendesk_spec::json_schema::DRAFT_07,
        "definitions": bundle["definitions"],
        "allOf": [{"$ref": zendesk_spec::json_schema::bundle_ref(schema)}],
    });
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("{schema} does not compile: {e}"))?;
    if validator.is_valid(value) {
        return Ok(Vec::new());
    }
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for error in validator.evaluate(value).iter_errors() {
        found
            .entry(error.instance_location.as_str().to_string())
            .or_insert_with(|| error.error.to_string());
    }
    Ok(found.into_iter().collect())
}

/// What the pipeline says of `document`: every schema it cannot translate,
/// then, when the document reads, what generation meets.
pub fn check_pipeline(document: &Value) -> Vec<String> {
    let text = match serde_norway::to_string(document) {
        Ok(text) => text,
        Err(e) => return vec![e.to_string()],
    };
    let spec = match SpecDocument::parse(&text, PathBuf::from("import")) {
        Ok(spec) => spec,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = Vec::new();
    if let Err(e) = spec.operations() {
        problems.push(e.to_string());
    }
    for (name, schema) in spec.component_schemas() {
        let pointer = component_pointer("schemas", &name);
        if let Err(e) = zendesk_spec::json_schema::translate(&schema, &pointer) {
            problems.push(e.to_string());
        }
    }
    if let Err(e) = rust_names::type_names(spec.component_schemas().keys().map(String::as_str)) {
        problems.push(e);
    }
    if !problems.is_empty() {
        return problems;
    }
    // A generator that panics on what it meets is a refusal, not a crash;
    // its message is the refusal's, not printed (on this thread only).
    let generated = quietly(|| crate::generate_document(&spec));
    match generated {
        Ok(Ok(_)) => Vec::new(),
        Ok(Err(e)) => vec![e],
        Err(panic) => vec![format!(
            "a generator panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        )],
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic; the panic hook stays quiet for this thread
/// meanwhile, and every other thread's panics are printed as before.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result
}

/// The whole planned spec: valid OpenAPI 3.0, and it generates.
fn check_whole(planned: &Value) -> Result<(), String> {
    let schema_text = include_str!("../../../spec/vendor/openapi-3.0-schema.json");
    let meta: Value = serde_json::from_str(schema_text).map_err(|e| e.to_string())?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&meta)
        .map_err(|e| format!("the OpenAPI 3.0 schema does not compile: {e}"))?;
    let problems: Vec<String> = validator
        .iter_errors(planned)
        .take(10)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    if !problems.is_empty() {
        return Err(format!(
            "the spec with the import would not be valid OpenAPI 3.0; nothing was changed:\n  {}",
            problems.join("\n  ")
        ));
    }
    let problems = check_pipeline(planned);
    if !problems.is_empty() {
        return Err(format!(
            "the spec with the import would not generate; nothing was changed:\n  {}",
            problems.join("\n  ")
        ));
    }
    Ok(())
}
