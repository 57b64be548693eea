//! Every component schema by name, with functions over its Rust type: what a
//! tool needs to handle a payload whose schema it learns at run time.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// One component schema and its Rust type (see [`crate::SCHEMA_TYPES`]).
#[derive(Debug, Clone, Copy)]
pub struct SchemaType {
    /// The schema's name in the spec.
    pub name: &'static str,
    /// The Rust type's name, as typify made it of the schema's name
    /// (`EmailCCObject` is `EmailCcObject`).
    pub rust_name: &'static str,
    /// Reads `value` as the type and writes it back as JSON.
    pub round_trip: fn(&Value) -> Result<Value, serde_json::Error>,
    /// The JSON Schema (draft-07) that schemars derives from the Rust type.
    pub json_schema: fn() -> schemars::schema::RootSchema,
}

/// The type of the component schema `name`.
pub fn schema_type(name: &str) -> Option<&'static SchemaType> {
    crate::SCHEMA_TYPES.iter().find(|t| t.name == name)
}

pub fn round_trip<T: Serialize + DeserializeOwned>(
    value: &Value,
) -> Result<Value, serde_json::Error> {
    let typed: T = serde_json::from_value(value.clone())?;
    serde_json::to_value(&typed)
}

pub fn json_schema<T: schemars::JsonSchema>() -> schemars::schema::RootSchema {
    schemars::schema_for!(T)
}
