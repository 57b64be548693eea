//! What a parameter is on the wire, for the client and the command line:
//! text, read as one of a few plain types.
//!
//! A parameter's schema may be anything OpenAPI allows (a `oneOf` of an
//! integer and a string, an object in a query, a string with a `date-time`
//! format); what crosses the wire is text. The client and `zendesk` take a
//! parameter as the plainest type that still says what it holds: integers
//! as `i64`, numbers as `f64`, booleans, enums of strings (their values
//! named), lists of those, and text for everything else. The validator
//! keeps the spec's schema and checks the text against it.

use serde_json::{json, Map, Value};

/// A parameter's type, as the client and the command line take it.
#[derive(Debug, Clone, PartialEq)]
pub enum WireType {
    Integer,
    Number,
    Boolean,
    Text,
    /// A string of one of these values. `component` names the schema when
    /// the values are a component enum's (so the client's type is the
    /// models').
    Enum {
        values: Vec<String>,
        component: Option<String>,
    },
    List(Box<WireType>),
}

impl WireType {
    /// The wire type of a parameter schema (OpenAPI, as JSON).
    pub fn of(schema: &Value, component_schemas: &Map<String, Value>) -> WireType {
        Self::read(schema, component_schemas, 0)
    }

    fn read(schema: &Value, component_schemas: &Map<String, Value>, depth: usize) -> WireType {
        if depth > 8 {
            return WireType::Text;
        }
        if let Some(name) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            let Some(target) = component_schemas.get(name) else {
                return WireType::Text;
            };
            return match Self::read(target, component_schemas, depth + 1) {
                WireType::Enum { values, .. } => WireType::Enum {
                    values,
                    component: Some(name.to_string()),
                },
                other => other,
            };
        }
        let values: Option<Vec<String>> = schema.get("enum").and_then(Value::as_array).map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        });
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => WireType::Integer,
            Some("number") => WireType::Number,
            Some("boolean") => WireType::Boolean,
            Some("string") => match values {
                Some(values) if !values.is_empty() => WireType::Enum {
                    values,
                    component: None,
                },
                _ => WireType::Text,
            },
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                match Self::read(items, component_schemas, depth + 1) {
                    // A list of lists, or of an enum, is text on the wire.
                    WireType::List(_) | WireType::Enum { .. } => {
                        WireType::List(Box::new(WireType::Text))
                    }
                    item => WireType::List(Box::new(item)),
                }
            }
            _ => WireType::Text,
        }
    }

    /// The schema progenitor is given for the parameter.
    pub fn schema(&self) -> Value {
        match self {
            WireType::Integer => json!({"type": "integer", "format": "int64"}),
            WireType::Number => json!({"type": "number", "format": "double"}),
            WireType::Boolean => json!({"type": "boolean"}),
            WireType::Text => json!({"type": "string"}),
            WireType::Enum {
                component: Some(name),
                ..
            } => json!({"$ref": format!("#/components/schemas/{name}")}),
            WireType::Enum { values, .. } => json!({"type": "string", "enum": values}),
            WireType::List(item) => json!({"type": "array", "items": item.schema()}),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_plain_wire_types() {
        let components: Map<String, Value> = serde_json::from_value(json!({
            "Sideload": {"type": "string", "enum": ["events"]},
            "Id": {"type": "integer"},
        }))
        .unwrap();
        let of = |schema: Value| WireType::of(&schema, &components);
        assert_eq!(of(json!({"type": "integer", "format": "int32"})), WireType::Integer);
        assert_eq!(of(json!({"type": "string", "format": "date-time"})), WireType::Text);
        assert_eq!(of(json!({"$ref": "#/components/schemas/Id"})), WireType::Integer);
        assert_eq!(
            of(json!({"$ref": "#/components/schemas/Sideload"})),
            WireType::Enum {
                values: vec!["events".into()],
                component: Some("Sideload".into())
            }
        );
        assert_eq!(
            of(json!({"oneOf": [{"type": "integer"}, {"type": "string"}]})),
            WireType::Text
        );
        assert_eq!(
            of(json!({"type": "object", "properties": {"after": {"type": "string"}}})),
            WireType::Text
        );
        assert_eq!(
            of(json!({"type": "array", "items": {"type": "integer"}})),
            WireType::List(Box::new(WireType::Integer))
        );
        assert_eq!(
            of(json!({"type": "array", "items": {"type": "string", "enum": ["a"]}})),
            WireType::List(Box::new(WireType::Text))
        );
    }
}
