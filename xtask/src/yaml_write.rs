//! JSON values written as block-style YAML in the spec's own layout: two
//! spaces a level, `- ` items, short lists of plain words in flow style
//! (`[agents]`), multi-line text as literal blocks (`|`), and a scalar
//! quoted only when it would not read back as the same value.
//!
//! What is written is always read back and compared by the caller
//! (`import`): a quoting mistake here fails the import, it does not change
//! the spec's meaning.

use serde_json::Value;

/// `key: value` (with the value's block below it) at `indent` spaces.
pub fn entry(key: &str, value: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_entry(&mut out, key, value, indent);
    out
}

/// Each item of `items` as `- ...` at `indent` spaces.
pub fn items(items: &[Value], indent: usize) -> String {
    let mut out = String::new();
    for item in items {
        write_item(&mut out, item, indent);
    }
    out
}

/// OpenAPI's fields in the order people write them; other keys (property
/// names, statuses, extensions not listed) follow in their own order.
const FIELD_ORDER: &[&str] = &[
    "openapi", "info", "title", "version", "operationId", "name", "in", "required", "tags",
    "summary", "description", "x-allowed-for", "deprecated", "parameters",
    "requestBody", "type", "format", "nullable", "enum", "x-extensible-enum", "items",
    "properties", "additionalProperties", "allOf", "oneOf", "anyOf", "not", "default",
    "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minLength", "maxLength",
    "pattern", "minItems", "maxItems", "uniqueItems", "readOnly", "writeOnly", "schema",
    "content", "examples", "example", "externalValue", "value", "x-invalid", "responses",
    "headers", "links", "x-source",
];

/// A map's entries in the order they are written.
fn ordered(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let rank = |key: &str| {
        FIELD_ORDER
            .iter()
            .position(|k| *k == key)
            .unwrap_or(FIELD_ORDER.len())
    };
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by_key(|(key, _)| rank(key));
    entries
}

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

fn write_entry(out: &mut String, key: &str, value: &Value, indent: usize) {
    out.push_str(&pad(indent));
    out.push_str(&scalar_text(key));
    out.push(':');
    write_value_after_key(out, value, indent);
}

/// The value after `key:` or `- `: inline when it is a scalar or an empty
/// or flow collection, else on the lines below.
fn write_value_after_key(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            for (key, child) in ordered(map) {
                write_entry(out, key, child, indent + 2);
            }
        }
        Value::Array(list) if !list.is_empty() => match flow(list) {
            Some(text) => {
                out.push(' ');
                out.push_str(&text);
                out.push('\n');
            }
            None => {
                out.push('\n');
                for item in list {
                    write_item(out, item, indent + 2);
                }
            }
        },
        Value::String(text) if text.contains('\n') => {
            out.push(' ');
            write_literal(out, text, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn write_item(out: &mut String, item: &Value, indent: usize) {
    out.push_str(&pad(indent));
    out.push('-');
    match item {
        Value::Object(map) if !map.is_empty() => {
            // `- key: value`, the next keys under the first.
            let mut first = true;
            for (key, child) in ordered(map) {
                if first {
                    out.push(' ');
                    out.push_str(&scalar_text(key));
                    out.push(':');
                    write_value_after_key(out, child, indent + 2);
                    first = false;
                } else {
                    write_entry(out, key, child, indent + 2);
                }
            }
        }
        // Anything else reads as it does after a key.
        other => write_value_after_key(out, other, indent),
    }
}

/// A short list of plain words as `[a, b]`; `None` for any other list.
fn flow(list: &[Value]) -> Option<String> {
    let words: Option<Vec<String>> = list
        .iter()
        .map(|item| match item {
            Value::String(word)
                if !word.is_empty()
                    && word
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.'))
                    && !word.starts_with(' ')
                    && !word.ends_with(' ') =>
            {
                Some(scalar_text(word))
            }
            _ => None,
        })
        .collect();
    let text = format!("[{}]", words?.join(", "));
    (text.len() <= 60 && !text.contains('\'') && !text.contains('"')).then_some(text)
}

/// A scalar, or an empty collection, on one line.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(text) => scalar_text(text),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// Multi-line text as a literal block, its lines at `indent` spaces.
fn write_literal(out: &mut String, text: &str, indent: usize) {
    let printable = text
        .chars()
        .all(|c| c == '\n' || c == '\t' || !c.is_control());
    // A literal block cannot hold trailing spaces on its last line
    // reliably, nor control characters.
    if !printable || text.lines().any(|l| l.ends_with(' ') || l.ends_with('\t')) {
        out.push_str(&double_quoted(text));
        out.push('\n');
        return;
    }
    let trailing = text.len() - text.trim_end_matches('\n').len();
    let chomping = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // Leading spaces on the first line need the indentation said.
    let indicator = if text.starts_with(' ') { "2" } else { "" };
    out.push('|');
    out.push_str(indicator);
    out.push_str(chomping);
    out.push('\n');
    let body = text.trim_end_matches('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad(indent));
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

/// `text` as a YAML scalar that reads back as the same string: plain when
/// it can be, else single-quoted, else double-quoted.
pub fn scalar_text(text: &str) -> String {
    if reads_back(text, text) {
        return text.to_string();
    }
    if !text.chars().any(char::is_control) {
        let quoted = format!("'{}'", text.replace('\'', "''"));
        if reads_back(&quoted, text) {
            return quoted;
        }
    }
    double_quoted(text)
}

/// A JSON string is also a YAML double-quoted scalar.
fn double_quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Whether `written` after a key reads back as the string `text`.
fn reads_back(written: &str, text: &str) -> bool {
    if written.is_empty() || written.contains('\n') {
        return false;
    }
    let document = format!("k: {written}\n");
    match serde_norway::from_str::<Value>(&document) {
        Ok(Value::Object(map)) => map.get("k") == Some(&Value::String(text.to_string())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(value: &Value) {
        let text = entry("root", value, 0);
        let read: Value = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(read["root"], *value, "{text}");
    }

    #[test]
    fn values_read_back_as_written() {
        round_trip(&json!({
            "$ref": "#/components/schemas/A",
            "200": "ok",
            "yes": "no",
            "plain": "Allowed for: agents.",
            "colon": "a: b",
            "hash": "a #b",
            "quote": "it's",
            "number text": "12",
            "empty": "",
            "lead": " spaced",
            "trailing lines": "a\nb\n\n",
            "literal": "line one\n  indented\n\nlast\n",
            "no newline": "one\ntwo",
            "first spaced": "  code\nmore\n",
            "trailing space": "a \nb",
            "control": "bell\u{7}",
            "list": ["agents", "admins"],
            "objects": [{"name": "a", "in": "path"}, {"$ref": "#/x"}],
            "nested": [[1, 2], []],
            "mixed": [1, "two", null, true, {}],
            "empty map": {},
            "float": 1.5,
            "unicode": "café – ✓",
            "star": "* Agents",
            "dash": "- item",
            "braces": "{not a map}",
        }));
    }

    #[test]
    fn the_layout_is_the_spec_s() {
        let text = entry(
            "get",
            &json!({"tags": ["Tickets"], "parameters": [{"$ref": "#/components/parameters/TicketId"}], "description": "Shows.\n\nAllowed for: agents.\n"}),
            4,
        );
        assert_eq!(
            text,
            "    get:\n      tags: [Tickets]\n      description: |\n        Shows.\n\n        Allowed for: agents.\n      parameters:\n        - $ref: '#/components/parameters/TicketId'\n"
        );
    }
}
