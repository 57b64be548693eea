//! Query parameters against their operation: each value arrives as text,
//! is read as the type its schema gives (`true`, `12`, a list as repeated
//! or comma-separated values), and is then checked like a body.

use std::sync::OnceLock;

use serde_json::Value;

use crate::operations::{Operation, Parameter};

/// One way a request's parameters break the spec.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParameterViolation {
    /// The parameter's name.
    pub name: String,
    /// `query` (the only place checked from a request's text).
    pub location: &'static str,
    /// What is wrong, for people.
    pub message: String,
}

impl Operation {
    /// What is wrong with a request's query string (without `?`): a
    /// required parameter missing, or a value its schema refuses. Parameters
    /// the spec does not know are not reported (the service ignores them).
    pub fn check_query(&'static self, query: &str) -> Vec<ParameterViolation> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut found = Vec::new();
        for (index, parameter) in self.parameters.iter().enumerate() {
            if parameter.location != "query" {
                continue;
            }
            let values: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| k == parameter.name)
                .map(|(_, v)| v.as_str())
                .collect();
            let violation = |message: String| ParameterViolation {
                name: parameter.name.to_string(),
                location: "query",
                message,
            };
            if values.is_empty() {
                if parameter.required {
                    found.push(violation(format!(
                        "the query parameter `{}` is required",
                        parameter.name
                    )));
                }
                continue;
            }
            let value = match read(parameter, &values) {
                Ok(value) => value,
                Err(message) => {
                    found.push(violation(message));
                    continue;
                }
            };
            if let Some(validator) = validator(self, index) {
                for error in validator.iter_errors(&value) {
                    found.push(violation(format!(
                        "the query parameter `{}`: {error}",
                        parameter.name
                    )));
                }
            }
        }
        found
    }
}

/// The JSON type a parameter's schema gives its value (following a
/// `$ref` into the bundle).
fn type_of(schema: &Value) -> Option<String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next()?;
        return type_of(crate::bundle().pointer(&format!("/definitions/{name}"))?);
    }
    match schema.get("type")? {
        Value::String(name) => Some(name.clone()),
        // `["integer", "null"]`: the type that is not null.
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .find(|n| *n != "null")
            .map(String::from),
        _ => None,
    }
}

/// The text of a parameter as the JSON value its schema describes.
fn read(parameter: &Parameter, values: &[&str]) -> Result<Value, String> {
    let schema: Value = serde_json::from_str(parameter.schema).unwrap_or(Value::Null);
    match type_of(&schema).as_deref() {
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            let item_type = type_of(&items);
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(|item| scalar(parameter.name, item, item_type.as_deref()))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        other => {
            let [value] = values else {
                return Err(format!(
                    "the query parameter `{}` is given {} times; it takes one value",
                    parameter.name,
                    values.len()
                ));
            };
            scalar(parameter.name, value, other)
        }
    }
}

fn scalar(name: &str, text: &str, json_type: Option<&str>) -> Result<Value, String> {
    let refused = |what: &str| format!("the query parameter `{name}`: {text:?} is not {what}");
    match json_type {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| refused("an integer")),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| refused("a number")),
        Some("boolean") => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(refused("`true` or `false`")),
        },
        // An object in a query has no one spelling; it is read as text, and
        // not checked against its schema.
        Some("object") => Ok(Value::Null),
        _ => Ok(Value::String(text.to_string())),
    }
}

/// The compiled validator of the `index`th parameter of `operation`,
/// compiled the first time it is asked for; `None` for an object (see
/// [`scalar`]).
fn validator(operation: &'static Operation, index: usize) -> Option<&'static jsonschema::Validator> {
    static COMPILED: OnceLock<Vec<Vec<OnceLock<Option<jsonschema::Validator>>>>> = OnceLock::new();
    let compiled = COMPILED.get_or_init(|| {
        crate::OPERATIONS
            .iter()
            .map(|o| o.parameters.iter().map(|_| OnceLock::new()).collect())
            .collect()
    });
    let position = crate::OPERATIONS.iter().position(|o| o.id == operation.id)?;
    let parameter = &operation.parameters[index];
    compiled[position][index]
        .get_or_init(|| {
            let schema: Value = serde_json::from_str(parameter.schema).ok()?;
            if type_of(&schema).as_deref() == Some("object") {
                return None;
            }
            crate::schemas::compile_beside_bundle(parameter.schema)
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_read_as_their_type_and_checked() {
        let list = crate::operation("ListSideConversations").unwrap();
        assert!(list.check_query("page=2&per_page=100&include=events").is_empty());
        let found = list.check_query("per_page=101&include=everything&page=x");
        let messages: Vec<&str> = found.iter().map(|v| v.message.as_str()).collect();
        assert_eq!(found.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`include`"), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("\"x\" is not an integer")));
        assert!(messages.iter().any(|m| m.contains("101")));
        let export = crate::operation("IncrementalSideConversationEventExport").unwrap();
        assert_eq!(
            export.check_query("")[0].message,
            "the query parameter `start_time` is required"
        );
    }
}
