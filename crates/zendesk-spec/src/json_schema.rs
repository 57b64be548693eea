//! Translation of OpenAPI 3.0 Schema Objects into plain JSON Schema (draft-07).
//!
//! This is the one place where OpenAPI's dialect becomes JSON Schema: the
//! generated models and the validator both read its output, so they cannot
//! disagree about what a schema means.

use serde_json::{Map, Value};

use crate::error::SpecError;

/// The JSON Schema dialect of the bundle: draft-07, which both typify (via
/// schemars 0.8) and the `jsonschema` crate read.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

const COMPONENT_SCHEMA_PREFIX: &str = "#/components/schemas/";
const BUNDLE_DEFINITION_PREFIX: &str = "#/definitions/";

/// Keywords that mean the same in OpenAPI 3.0 and draft-07 and whose value is
/// not a schema: copied as they are.
const PLAIN_KEYWORDS: &[&str] = &[
    "title",
    "description",
    "default",
    "format",
    "enum",
    "multipleOf",
    "maximum",
    "minimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "readOnly",
    "writeOnly",
];

/// OpenAPI-only keywords that carry no validation meaning: dropped.
const DOCUMENTATION_ONLY_KEYWORDS: &[&str] =
    &["discriminator", "xml", "externalDocs", "deprecated"];

/// Points `$ref`s at a component schema to the bundle's `definitions`.
pub fn bundle_ref(schema_name: &str) -> String {
    format!("{BUNDLE_DEFINITION_PREFIX}{schema_name}")
}

/// Builds the bundle: every component schema, translated, under `definitions`
/// of one draft-07 document, so `$ref`s resolve inside it.
pub fn bundle(component_schemas: &Map<String, Value>) -> Result<Value, SpecError> {
    let mut definitions = Map::new();
    for (name, schema) in component_schemas {
        let pointer = format!("/components/schemas/{}", escape_pointer_token(name));
        definitions.insert(name.clone(), translate(schema, &pointer)?);
    }
    let mut root = Map::new();
    root.insert("$schema".into(), Value::String(DRAFT_07.into()));
    root.insert("definitions".into(), Value::Object(definitions));
    Ok(Value::Object(root))
}

/// Translates one OpenAPI 3.0 Schema Object. `pointer` is where the schema
/// stands in the OpenAPI document, for error messages.
pub fn translate(schema: &Value, pointer: &str) -> Result<Value, SpecError> {
    let object = schema.as_object().ok_or_else(|| SpecError::Schema {
        pointer: pointer.into(),
        message: "a schema must be an object".into(),
    })?;

    if let Some(reference) = object.get("$ref") {
        return translate_ref(object, reference, pointer);
    }

    let mut out = Map::new();
    for (keyword, value) in object {
        let at = format!("{pointer}/{}", escape_pointer_token(keyword));
        match keyword.as_str() {
            "type" | "nullable" | "exclusiveMinimum" | "exclusiveMaximum" | "example" => {
                // Handled below, together with the keywords they modify.
            }
            "properties" => {
                let properties = value.as_object().ok_or_else(|| SpecError::Schema {
                    pointer: at.clone(),
                    message: "`properties` must be an object".into(),
                })?;
                let mut translated = Map::new();
                for (name, property) in properties {
                    let property_at = format!("{at}/{}", escape_pointer_token(name));
                    translated.insert(name.clone(), translate(property, &property_at)?);
                }
                out.insert(keyword.clone(), Value::Object(translated));
            }
            "items" | "not" => {
                out.insert(keyword.clone(), translate(value, &at)?);
            }
            "additionalProperties" => {
                let translated = match value {
                    Value::Bool(_) => value.clone(),
                    _ => translate(value, &at)?,
                };
                out.insert(keyword.clone(), translated);
            }
            "allOf" | "oneOf" | "anyOf" => {
                let members = value.as_array().ok_or_else(|| SpecError::Schema {
                    pointer: at.clone(),
                    message: format!("`{keyword}` must be an array of schemas"),
                })?;
                let translated = members
                    .iter()
                    .enumerate()
                    .map(|(index, member)| translate(member, &format!("{at}/{index}")))
                    .collect::<Result<Vec<_>, _>>()?;
                out.insert(keyword.clone(), Value::Array(translated));
            }
            k if PLAIN_KEYWORDS.contains(&k) => {
                out.insert(keyword.clone(), value.clone());
            }
            k if DOCUMENTATION_ONLY_KEYWORDS.contains(&k) || k.starts_with("x-") => {}
            other => {
                return Err(SpecError::Schema {
                    pointer: at,
                    message: format!("`{other}` is not a keyword of OpenAPI 3.0 schemas"),
                })
            }
        }
    }

    translate_nullable_type(object, &mut out, pointer)?;
    translate_exclusive_bound(object, &mut out, "exclusiveMinimum", "minimum", pointer)?;
    translate_exclusive_bound(object, &mut out, "exclusiveMaximum", "maximum", pointer)?;
    translate_integer_format(&mut out);
    if let Some(example) = object.get("example") {
        out.insert("examples".into(), Value::Array(vec![example.clone()]));
    }
    Ok(Value::Object(out))
}

fn translate_ref(
    object: &Map<String, Value>,
    reference: &Value,
    pointer: &str,
) -> Result<Value, SpecError> {
    // OpenAPI 3.0 ignores a `$ref`'s siblings; a sibling here is a mistake in
    // the document, not something to carry along silently.
    if let Some(sibling) = object.keys().find(|k| *k != "$ref") {
        return Err(SpecError::Schema {
            pointer: pointer.into(),
            message: format!("`$ref` has a sibling `{sibling}`, which OpenAPI 3.0 ignores"),
        });
    }
    let target = reference
        .as_str()
        .and_then(|r| r.strip_prefix(COMPONENT_SCHEMA_PREFIX))
        .ok_or_else(|| SpecError::Schema {
            pointer: format!("{pointer}/$ref"),
            message: format!("`$ref` must point into {COMPONENT_SCHEMA_PREFIX}, not {reference}"),
        })?;
    let mut out = Map::new();
    out.insert("$ref".into(), Value::String(bundle_ref(target)));
    Ok(Value::Object(out))
}

/// `nullable: true` adds `null` to `type` (and to `enum`). OpenAPI 3.0.3 gives
/// `nullable` no effect without `type`: such a schema admits `null` already.
fn translate_nullable_type(
    object: &Map<String, Value>,
    out: &mut Map<String, Value>,
    pointer: &str,
) -> Result<(), SpecError> {
    let nullable = match object.get("nullable") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(_) => {
            return Err(SpecError::Schema {
                pointer: format!("{pointer}/nullable"),
                message: "`nullable` must be a boolean".into(),
            })
        }
    };
    match (object.get("type"), nullable) {
        (None, _) => {}
        (Some(Value::String(name)), false) => {
            out.insert("type".into(), Value::String(name.clone()));
        }
        (Some(Value::String(name)), true) => {
            out.insert(
                "type".into(),
                Value::Array(vec![
                    Value::String(name.clone()),
                    Value::String("null".into()),
                ]),
            );
            if let Some(Value::Array(values)) = out.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
        }
        (Some(_), _) => {
            return Err(SpecError::Schema {
                pointer: format!("{pointer}/type"),
                message: "`type` must be a single type name in OpenAPI 3.0".into(),
            })
        }
    }
    Ok(())
}

/// OpenAPI 3.0 (like draft-04) writes an exclusive bound as a boolean beside
/// `minimum`/`maximum`; draft-07 writes the bound itself.
fn translate_exclusive_bound(
    object: &Map<String, Value>,
    out: &mut Map<String, Value>,
    exclusive_keyword: &str,
    bound_keyword: &str,
    pointer: &str,
) -> Result<(), SpecError> {
    match object.get(exclusive_keyword) {
        None | Some(Value::Bool(false)) => Ok(()),
        Some(Value::Bool(true)) => {
            let bound = out.remove(bound_keyword).ok_or_else(|| SpecError::Schema {
                pointer: format!("{pointer}/{exclusive_keyword}"),
                message: format!("`{exclusive_keyword}: true` needs `{bound_keyword}`"),
            })?;
            out.insert(exclusive_keyword.into(), bound);
            Ok(())
        }
        Some(_) => Err(SpecError::Schema {
            pointer: format!("{pointer}/{exclusive_keyword}"),
            message: format!("`{exclusive_keyword}` must be a boolean in OpenAPI 3.0"),
        }),
    }
}

/// `format: int32` and `int64` are OpenAPI's integer widths; draft-07 knows
/// neither format, so the width becomes the bounds it implies (where the
/// schema sets none tighter): 2^63 is not an id the service takes.
fn translate_integer_format(out: &mut Map<String, Value>) {
    let is_integer = match out.get("type") {
        Some(Value::String(name)) => name == "integer",
        Some(Value::Array(names)) => names.iter().any(|n| n == "integer"),
        _ => false,
    };
    let (lowest, highest) = match out.get("format").and_then(Value::as_str) {
        Some("int64") => (i64::MIN, i64::MAX),
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        _ => return,
    };
    if !is_integer {
        return;
    }
    if !out.contains_key("minimum") && !out.contains_key("exclusiveMinimum") {
        out.insert("minimum".into(), lowest.into());
    }
    if !out.contains_key("maximum") && !out.contains_key("exclusiveMaximum") {
        out.insert("maximum".into(), highest.into());
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(schema: Value) -> Value {
        translate(&schema, "/test").unwrap()
    }

    #[test]
    fn an_integer_width_becomes_its_bounds_unless_tighter_ones_are_set() {
        assert_eq!(
            t(json!({"type": "integer", "format": "int64"})),
            json!({"type": "integer", "format": "int64",
                   "minimum": i64::MIN, "maximum": i64::MAX})
        );
        assert_eq!(
            t(json!({"type": "integer", "format": "int32", "minimum": 1, "nullable": true})),
            json!({"type": ["integer", "null"], "format": "int32",
                   "minimum": 1, "maximum": i32::MAX})
        );
        assert_eq!(
            t(json!({"type": "string", "format": "int64"})),
            json!({"type": "string", "format": "int64"})
        );
    }

    #[test]
    fn nullable_adds_null_to_type_and_enum() {
        assert_eq!(
            t(json!({"type": "string", "nullable": true, "enum": ["a"]})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(
            t(json!({"type": "integer", "nullable": false})),
            json!({"type": "integer"})
        );
    }

    #[test]
    fn nullable_without_type_changes_nothing() {
        assert_eq!(t(json!({"nullable": true, "description": "d"})), json!({"description": "d"}));
        let error = translate(&json!({"nullable": "yes"}), "/x").unwrap_err();
        assert!(error.to_string().contains("/x/nullable"), "{error}");
    }

    #[test]
    fn refs_point_into_the_bundle_and_siblings_are_refused() {
        assert_eq!(
            t(json!({"$ref": "#/components/schemas/Upload"})),
            json!({"$ref": "#/definitions/Upload"})
        );
        let error = translate(
            &json!({"$ref": "#/components/schemas/Upload", "description": "x"}),
            "/p",
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("sibling `description`"),
            "{error}"
        );
        let error = translate(&json!({"$ref": "other.yaml#/Foo"}), "/p").unwrap_err();
        assert!(error.to_string().contains("/p/$ref"), "{error}");
    }

    #[test]
    fn exclusive_bounds_become_draft_07_numbers() {
        assert_eq!(
            t(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
            json!({"type": "integer", "exclusiveMinimum": 0})
        );
        assert_eq!(
            t(json!({"type": "integer", "maximum": 9, "exclusiveMaximum": false})),
            json!({"type": "integer", "maximum": 9})
        );
    }

    #[test]
    fn example_becomes_examples_and_openapi_only_keywords_go() {
        assert_eq!(
            t(json!({"type": "string", "example": "a", "deprecated": true, "x-internal": 1})),
            json!({"type": "string", "examples": ["a"]})
        );
    }

    #[test]
    fn nested_schemas_are_translated_and_unknown_keywords_refused() {
        let out = t(json!({
            "type": "object",
            "properties": {"a": {"type": "array", "items": {"type": "string", "nullable": true}}},
            "additionalProperties": {"$ref": "#/components/schemas/B"},
            "oneOf": [{"required": ["a"]}]
        }));
        assert_eq!(
            out["properties"]["a"]["items"]["type"],
            json!(["string", "null"])
        );
        assert_eq!(
            out["additionalProperties"]["$ref"],
            json!("#/definitions/B")
        );
        let error = translate(
            &json!({"properties": {"a/b": {"if": {}}}}),
            "/components/schemas/S",
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("/components/schemas/S/properties/a~1b/if"),
            "{error}"
        );
    }
}
