//! What a payload carries that its schema does not describe: a property of
//! an object whose schema lists other properties but not it, and says
//! nothing of the rest (no `additionalProperties`). The spec leaves response
//! objects open, so such a property is valid; it is worth knowing all the
//! same, because it is what the spec lacks.
//!
//! Not reported: what a closed object refuses (`additionalProperties:
//! false`: a violation, reported as one), and what is inside an object the
//! schema leaves free (`additionalProperties` written out, or an object that
//! lists no property at all, such as a comment's `metadata`).

use std::collections::BTreeSet;

use serde_json::Value;

/// A property the schema does not describe.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Undocumented {
    /// Where it was first seen: a JSON pointer into the payload.
    pub pointer: String,
    /// Where it is, with every array index as `*`
    /// (`/comments/*/attachments/*/width`): one report per place and type,
    /// however many items carry it.
    pub pattern: String,
    /// Its JSON type there: `null`, `boolean`, `integer`, `number`, `string`,
    /// `array` or `object`.
    pub json_type: &'static str,
}

/// The JSON type of a value, integers apart from other numbers.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every property of `payload` the schema `schema` of `bundle` does not
/// describe, once per place and type, in the order first met.
pub fn find(bundle: &Value, schema: &Value, payload: &Value) -> Vec<Undocumented> {
    let mut walk = Walk {
        bundle,
        found: Vec::new(),
        seen: BTreeSet::new(),
    };
    walk.value(&[schema], payload, &mut String::new(), &mut String::new());
    walk.found
}

struct Walk<'a> {
    bundle: &'a Value,
    found: Vec<Undocumented>,
    seen: BTreeSet<(String, &'static str)>,
}

/// What the schemas that apply to an object say of its properties.
#[derive(Default)]
struct Described<'a> {
    /// The schemas each listed property has.
    properties: Vec<(&'a str, &'a Value)>,
    /// Schemas every other property has (`additionalProperties: {...}`).
    others: Vec<&'a Value>,
    /// An object any property may be in (`additionalProperties: true`
    /// written out, a map): nothing in it is undocumented.
    free: bool,
    /// An object no other property may be in: what is extra is a violation.
    closed: bool,
}

impl<'a> Walk<'a> {
    /// `schemas` all apply to `value` (any of them describing a property
    /// makes it described).
    fn value(&mut self, schemas: &[&'a Value], value: &Value, pointer: &mut String, pattern: &mut String) {
        let expanded = self.expand(schemas, value);
        if expanded.is_empty() {
            return;
        }
        match value {
            Value::Object(map) => {
                let described = self.described(&expanded);
                if !described.free {
                    // In a closed object, what is extra is a violation and
                    // reported as one.
                    let report = !described.closed;
                    self.children(&described, map, pointer, pattern, report);
                }
            }
            Value::Array(items) => {
                let item_schemas: Vec<&Value> = expanded
                    .iter()
                    .filter_map(|s| s.get("items"))
                    .collect();
                if item_schemas.is_empty() {
                    return;
                }
                for (index, item) in items.iter().enumerate() {
                    let (pointer_len, pattern_len) = (pointer.len(), pattern.len());
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    pattern.push_str("/*");
                    self.value(&item_schemas, item, pointer, pattern);
                    pointer.truncate(pointer_len);
                    pattern.truncate(pattern_len);
                }
            }
            _ => {}
        }
    }

    /// Walks an object's properties; `report` says whether a property no
    /// schema describes is reported (not in a closed object).
    fn children(
        &mut self,
        described: &Described<'a>,
        map: &serde_json::Map<String, Value>,
        pointer: &mut String,
        pattern: &mut String,
        report: bool,
    ) {
        for (key, child) in map {
            let children: Vec<&Value> = described
                .properties
                .iter()
                .filter(|(name, _)| *name == key)
                .map(|(_, schema)| *schema)
                .chain(described.others.iter().copied())
                .collect();
            let (pointer_len, pattern_len) = (pointer.len(), pattern.len());
            let token = key.replace('~', "~0").replace('/', "~1");
            pointer.push('/');
            pointer.push_str(&token);
            pattern.push('/');
            pattern.push_str(&token);
            if children.is_empty() {
                let json_type = json_type(child);
                if report && self.seen.insert((pattern.clone(), json_type)) {
                    self.found.push(Undocumented {
                        pointer: pointer.clone(),
                        pattern: pattern.clone(),
                        json_type,
                    });
                }
            } else {
                self.value(&children, child, pointer, pattern);
            }
            pointer.truncate(pointer_len);
            pattern.truncate(pattern_len);
        }
    }

    /// The schemas that apply to `value`: each one's `$ref` followed, and
    /// its `allOf`, `anyOf` and `oneOf` members that admit `value`'s type.
    fn expand(&self, schemas: &[&'a Value], value: &Value) -> Vec<&'a Value> {
        let mut out = Vec::new();
        let mut queue: Vec<(&'a Value, usize)> = schemas.iter().map(|s| (*s, 0)).collect();
        while let Some((schema, depth)) = queue.pop() {
            if depth > 32 {
                continue;
            }
            if let Some(target) = schema.get("$ref").and_then(Value::as_str).and_then(|r| self.resolve(r)) {
                queue.push((target, depth + 1));
                continue;
            }
            if !admits(schema, value) {
                continue;
            }
            for keyword in ["allOf", "anyOf", "oneOf"] {
                for member in schema.get(keyword).and_then(Value::as_array).into_iter().flatten() {
                    queue.push((member, depth + 1));
                }
            }
            out.push(schema);
        }
        out
    }

    fn described(&self, schemas: &[&'a Value]) -> Described<'a> {
        let mut described = Described::default();
        for schema in schemas {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                described
                    .properties
                    .extend(properties.iter().map(|(k, v)| (k.as_str(), v)));
            }
            match schema.get("additionalProperties") {
                Some(Value::Bool(true)) => described.free = true,
                Some(Value::Bool(false)) => described.closed = true,
                Some(other) if other.is_object() => described.others.push(other),
                _ => {}
            }
            if schema.get("patternProperties").is_some() {
                described.free = true;
            }
        }
        // An object that lists no property says nothing of what it holds.
        if described.properties.is_empty() && described.others.is_empty() {
            described.free = true;
        }
        described
    }

    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let name = reference.rsplit_once("#/definitions/")?.1;
        self.bundle.get("definitions")?.get(name)
    }
}

/// Whether a schema's `type` (if it says one) admits `value`.
fn admits(schema: &Value, value: &Value) -> bool {
    let actual = json_type(value);
    let fits = |name: &str| name == actual || (name == "number" && actual == "integer");
    match schema.get("type") {
        None => true,
        Some(Value::String(name)) => fits(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(fits),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn properties_no_schema_describes_are_found_once_per_place_and_type() {
        let bundle = json!({"definitions": {
            "Page": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
                "meta": {"type": "object", "additionalProperties": true},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "metadata": {"type": "object"},
                "request": {"type": "object", "additionalProperties": false, "properties": {"subject": {"type": "string"}}},
            }},
            "Item": {"allOf": [
                {"type": "object", "properties": {"id": {"type": "integer"}}},
                {"oneOf": [
                    {"type": "object", "properties": {"name": {"type": "string"}}},
                    {"type": "string"},
                ]},
            ]},
        }});
        let payload = json!({
            "items": [
                {"id": 1, "name": "a", "width": 3},
                {"id": 2, "width": null, "height": 4},
                {"id": 3, "width": 5},
            ],
            "meta": {"anything": [1]},
            "labels": {"free": "text"},
            "metadata": {"system": {"client": "x"}},
            "request": {"subject": "s", "mood": 1},
            "next": null,
        });
        let found = find(&bundle, &json!({"$ref": "#/definitions/Page"}), &payload);
        let summary: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|u| (u.pointer.as_str(), u.pattern.as_str(), u.json_type))
            .collect();
        assert_eq!(
            summary,
            [
                ("/items/0/width", "/items/*/width", "integer"),
                ("/items/1/height", "/items/*/height", "integer"),
                ("/items/1/width", "/items/*/width", "null"),
                ("/next", "/next", "null"),
            ]
        );
    }
}
