//! The import's additions written into the spec's own text: each new path,
//! operation, component or tag appended at the end of the block it belongs
//! to, an operation or component imported before replaced where it stands,
//! and nothing else touched. The result is read back and must be exactly
//! the planned document.

use serde_json::{Map, Value};

use zendesk_spec::json_schema::escape_pointer_token as escape_token;
use crate::yaml_lines::{span, Span};
use crate::yaml_write;

/// One change to the text: `text` after line `after` (1-based; 0 is the
/// top), or in place of lines `replace`.
struct Edit {
    /// Lines `first..=last` replaced, or, when `first > last`, `text`
    /// inserted after line `last`.
    first: usize,
    last: usize,
    text: String,
}

impl Edit {
    fn insert_after(line: usize, text: String) -> Edit {
        Edit {
            first: line + 1,
            last: line,
            text,
        }
    }

    fn replace(span: &Span, text: String) -> Edit {
        Edit {
            first: span.line,
            last: span.last_line,
            text,
        }
    }
}

/// The spec's text with what `planned` adds to `original`.
pub fn render(spec_text: &str, original: &Value, planned: &Value) -> Result<String, String> {
    let mut edits = Vec::new();
    let empty = Map::new();
    let object = |value: &Value, key: &str| -> Map<String, Value> {
        value
            .get(key)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };

    // Tags first in the file, then paths, then components: each block's
    // edits are independent of the others'.
    let old_tags = original.get("tags").and_then(Value::as_array).cloned().unwrap_or_default();
    let new_tags = planned.get("tags").and_then(Value::as_array).cloned().unwrap_or_default();
    if new_tags.len() > old_tags.len() {
        let added = &new_tags[old_tags.len()..];
        edits.push(append_items(spec_text, "/tags", "tags", added, &new_tags)?);
    }

    let old_paths = object(original, "paths");
    let new_paths = object(planned, "paths");
    let mut new_path_entries = String::new();
    for (path, item) in &new_paths {
        let pointer = format!("/paths/{}", escape_token(path));
        match old_paths.get(path) {
            None => {
                new_path_entries.push('\n');
                new_path_entries.push_str(&yaml_write::entry(path, item, child_indent(spec_text, "/paths", 2)));
            }
            Some(old_item) if old_item != item => {
                let old_item = old_item.as_object().unwrap_or(&empty);
                let item = item.as_object().unwrap_or(&empty);
                let indent = child_indent(spec_text, &pointer, 4);
                let appended = merge_entries(spec_text, &pointer, old_item, item, indent, &mut edits)?;
                if old_item.keys().any(|k| !item.contains_key(k)) {
                    return Err(format!("{pointer}: the import would remove from it"));
                }
                if !appended.is_empty() {
                    let node = span(spec_text, &pointer)
                        .ok_or_else(|| format!("{pointer}: not found in the spec's text"))?;
                    edits.push(Edit::insert_after(node.last_line, appended));
                }
            }
            Some(_) => {}
        }
    }
    if !new_path_entries.is_empty() {
        edits.push(append_block(spec_text, "/paths", "paths", new_path_entries, &Value::Object(new_paths.clone()))?);
    }

    let old_components = object(original, "components");
    let new_components = object(planned, "components");
    let mut new_kinds = String::new();
    for (kind, entries) in &new_components {
        let pointer = format!("/components/{kind}");
        let entries = entries.as_object().unwrap_or(&empty);
        let Some(old_entries) = old_components.get(kind) else {
            new_kinds.push_str(&yaml_write::entry(kind, &Value::Object(entries.clone()), child_indent(spec_text, "/components", 2)));
            continue;
        };
        let old_entries = old_entries.as_object().unwrap_or(&empty);
        let indent = child_indent(spec_text, &pointer, 4);
        let appended = merge_entries(spec_text, &pointer, old_entries, entries, indent, &mut edits)?;
        if !appended.is_empty() {
            edits.push(append_block(spec_text, &pointer, kind, appended, &Value::Object(entries.clone()))?);
        }
    }
    if !new_kinds.is_empty() {
        edits.push(append_block(spec_text, "/components", "components", new_kinds, &Value::Object(new_components.clone()))?);
    }

    let text = apply(spec_text, edits)?;
    let read: Value = serde_norway::from_str(&text)
        .map_err(|e| format!("the spec as the import would write it is not YAML: {e}"))?;
    if &read != planned {
        return Err(format!(
            "the spec as the import would write it does not read back as planned (first difference at {})",
            first_difference(&read, planned, "")
        ));
    }
    Ok(text)
}

/// The indentation of a node's children, or `default` when it has none in
/// block style.
/// The entries of `new` that `old` (the map at `pointer`) lacks, written at
/// `indent` for the caller to append; an entry that differs is replaced
/// where it stands.
fn merge_entries(
    spec_text: &str,
    pointer: &str,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    indent: usize,
    edits: &mut Vec<Edit>,
) -> Result<String, String> {
    let mut appended = String::new();
    for (key, value) in new {
        match old.get(key) {
            None => appended.push_str(&yaml_write::entry(key, value, indent)),
            Some(before) if before != value => {
                let at = format!("{pointer}/{}", escape_token(key));
                let node = span(spec_text, &at).ok_or_else(|| format!("{at}: not found in the spec's text"))?;
                edits.push(Edit::replace(&node, yaml_write::entry(key, value, node.indent)));
            }
            Some(_) => {}
        }
    }
    Ok(appended)
}

fn child_indent(text: &str, pointer: &str, default: usize) -> usize {
    span(text, pointer)
        .and_then(|s| s.child_indent)
        .unwrap_or(default)
}

/// `entries` appended to the block at `pointer`; when the node is empty or
/// written in flow style (`paths: {}`), the whole node is written anew as
/// `whole` under `key`.
fn append_block(text: &str, pointer: &str, key: &str, entries: String, whole: &Value) -> Result<Edit, String> {
    match span(text, pointer) {
        Some(node) if node.child_indent.is_some() => Ok(Edit::insert_after(node.last_line, entries)),
        Some(node) => Ok(Edit::replace(&node, yaml_write::entry(key, whole, node.indent))),
        None if pointer.matches('/').count() == 1 => Ok(Edit::insert_after(
            text.lines().count(),
            yaml_write::entry(key, whole, 0),
        )),
        None => Err(format!("{pointer}: not found in the spec's text")),
    }
}

/// `items` appended to the list at `pointer` (`whole` is the whole list).
fn append_items(text: &str, pointer: &str, key: &str, items: &[Value], whole: &[Value]) -> Result<Edit, String> {
    match span(text, pointer) {
        Some(node) if node.child_indent.is_some() => Ok(Edit::insert_after(
            node.last_line,
            yaml_write::items(items, node.child_indent.unwrap_or(2)),
        )),
        Some(node) => Ok(Edit::replace(
            &node,
            yaml_write::entry(key, &Value::Array(whole.to_vec()), node.indent),
        )),
        None => Ok(Edit::insert_after(
            text.lines().count(),
            yaml_write::entry(key, &Value::Array(whole.to_vec()), 0),
        )),
    }
}

/// The text with every edit made, the last lines first so that the line
/// numbers of the others still hold.
fn apply(text: &str, edits: Vec<Edit>) -> Result<String, String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Of two insertions after one line, the one made later lands first:
    // the later-planned goes in first so that it ends up below.
    let mut edits: Vec<(usize, Edit)> = edits.into_iter().enumerate().collect();
    edits.sort_by(|(i, a), (j, b)| b.first.cmp(&a.first).then(b.last.cmp(&a.last)).then(j.cmp(i)));
    let edits: Vec<Edit> = edits.into_iter().map(|(_, e)| e).collect();
    for window in edits.windows(2) {
        if window[1].first <= window[1].last && window[1].last >= window[0].first {
            return Err("two of the import's changes overlap in the spec's text".into());
        }
    }
    for edit in edits {
        let new: Vec<String> = edit.text.lines().map(str::to_string).collect();
        let start = (edit.first - 1).min(lines.len());
        let end = if edit.first > edit.last { start } else { edit.last.min(lines.len()) };
        lines.splice(start..end, new);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// The first JSON pointer where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                if x.get(key) != y.get(key) {
                    return first_difference(
                        x.get(key).unwrap_or(&Value::Null),
                        y.get(key).unwrap_or(&Value::Null),
                        &format!("{at}/{}", escape_token(key)),
                    );
                }
            }
            at.to_string()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (index, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return first_difference(p, q, &format!("{at}/{index}"));
                }
            }
            at.to_string()
        }
        _ => at.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = "\
openapi: 3.0.3
tags:
  - name: Attachments
paths:
  /api/v2/uploads:
    post:
      operationId: UploadFiles

  # a comment that stays
  /api/v2/attachments/{id}:
    get:
      operationId: ShowAttachment
components:
  schemas:
    Upload:
      type: object
    # ---- a section comment ----
    Attachment:
      type: object
";

    #[test]
    fn additions_go_at_the_end_of_their_block_and_nothing_else_moves() {
        let original: Value = serde_norway::from_str(SPEC).unwrap();
        let mut planned = original.clone();
        planned["tags"].as_array_mut().unwrap().push(json!({"name": "Tickets"}));
        planned["paths"]["/api/v2/tickets"] = json!({"post": {"operationId": "CreateTicket"}});
        planned["paths"]["/api/v2/attachments/{id}"]["put"] = json!({"operationId": "UpdateAttachment"});
        planned["components"]["schemas"]["Ticket"] = json!({"type": "object"});
        planned["components"]["parameters"] = json!({"TicketId": {"name": "ticket_id", "in": "path"}});
        let text = render(SPEC, &original, &planned).unwrap();
        assert_eq!(
            text,
            "\
openapi: 3.0.3
tags:
  - name: Attachments
  - name: Tickets
paths:
  /api/v2/uploads:
    post:
      operationId: UploadFiles

  # a comment that stays
  /api/v2/attachments/{id}:
    get:
      operationId: ShowAttachment
    put:
      operationId: UpdateAttachment

  /api/v2/tickets:
    post:
      operationId: CreateTicket
components:
  schemas:
    Upload:
      type: object
    # ---- a section comment ----
    Attachment:
      type: object
    Ticket:
      type: object
  parameters:
    TicketId:
      name: ticket_id
      in: path
"
        );
    }

    #[test]
    fn what_was_imported_before_is_replaced_where_it_stands() {
        let original: Value = serde_norway::from_str(SPEC).unwrap();
        let mut planned = original.clone();
        planned["components"]["schemas"]["Upload"] = json!({"type": "object", "x-source": {"title": "t"}});
        let text = render(SPEC, &original, &planned).unwrap();
        assert!(
            text.contains("    Upload:\n      type: object\n      x-source:\n        title: t\n    # ---- a section"),
            "{text}"
        );
    }
}
