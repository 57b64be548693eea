//! The operations of the document, with `$ref`s to shared parameters,
//! request bodies, responses and examples resolved, in a shape that tests,
//! generators and the validator can walk without knowing OpenAPI.

use openapiv3::{
    Components, MediaType, OpenAPI, Parameter as OpenApiParameter, ParameterSchemaOrContent,
    ReferenceOr, Schema,
};
use serde_json::Value;

use crate::error::SpecError;

/// One operation of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId.
    pub id: String,
    /// Upper case, as on the wire: `GET`, `POST`, ...
    pub method: String,
    /// The path template: `/api/v2/attachments/{attachment_id}`.
    pub path: String,
    /// The tags: one per reference page.
    pub tags: Vec<String>,
    /// One line: what the operation does.
    pub summary: String,
    /// The longer description (CommonMark).
    pub description: String,
    /// Who may call the operation (`x-allowed-for`): `agents`, `admins`,
    /// `end-users`.
    pub allowed_for: Vec<String>,
    /// The path item's parameters, then the operation's own.
    pub parameters: Vec<Parameter>,
    /// The request body, if the operation takes one.
    pub request_body: Option<Body>,
    /// Every documented response, in the document's order.
    pub responses: Vec<Response>,
}

/// A path, query, header or cookie parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Its name on the wire.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'static str,
    /// Whether every call must give it.
    pub required: bool,
    /// The parameter's OpenAPI Schema Object, as JSON.
    pub schema: Value,
    /// What it means (CommonMark); empty when the document says nothing.
    pub description: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Whether every call must send one.
    pub required: bool,
    /// Each media type it may be sent as.
    pub media: Vec<Media>,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, `429`, `4XX`, or `default`.
    pub status: String,
    /// What the response means.
    pub description: String,
    /// Each media type of its body; empty when it has none.
    pub media: Vec<Media>,
}

impl Response {
    /// A 2xx status.
    pub fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }
    /// A 4xx or 5xx status (or range).
    pub fn is_error(&self) -> bool {
        self.status.starts_with('4') || self.status.starts_with('5')
    }
}

/// A body in one media type.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// `application/json`, `multipart/form-data`, ...
    pub media_type: String,
    /// The body's schema.
    pub schema: BodySchema,
    /// The documented examples of the body.
    pub examples: Vec<Example>,
}

/// A body's schema: named, or written in place.
#[derive(Debug, Clone, PartialEq)]
pub enum BodySchema {
    /// A `$ref` to `#/components/schemas/{name}`.
    Component(String),
    /// A schema written in place (binary and plain text bodies), as JSON.
    Inline(Value),
}

/// A documented example of a body, kept in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The example's key in the document.
    pub name: String,
    /// Where it comes from.
    pub summary: String,
    /// The `externalValue`: a file relative to the document's folder.
    pub file: String,
    /// Where the documentation's example breaks the schema, and why the
    /// example is kept anyway (`x-invalid`). Empty for a valid example.
    pub invalid: Vec<ExpectedViolation>,
}

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
/// Where a documented example breaks its schema.
pub struct ExpectedViolation {
    /// JSON pointer into the example.
    pub pointer: String,
    /// Why the example is kept as documented.
    pub reason: String,
}

pub(crate) fn collect(openapi: &OpenAPI) -> Result<Vec<Operation>, SpecError> {
    let components = openapi.components.clone().unwrap_or_default();
    let mut operations = Vec::new();
    for (path, item) in openapi.paths.iter() {
        let item = item.as_item().ok_or_else(|| SpecError::Operation {
            operation: path.clone(),
            message: "path items must be written in place, not referenced".into(),
        })?;
        for (method, operation) in item.iter() {
            let id = operation
                .operation_id
                .clone()
                .ok_or_else(|| SpecError::Operation {
                    operation: format!("{} {path}", method.to_uppercase()),
                    message: "has no operationId".into(),
                })?;
            let error = |message: String| SpecError::Operation {
                operation: id.clone(),
                message,
            };
            let parameters = item
                .parameters
                .iter()
                .chain(&operation.parameters)
                .map(|p| parameter(resolve(p, &components.parameters, "parameters")?))
                .collect::<Result<Vec<_>, String>>()
                .map_err(error)?;
            let request_body = operation
                .request_body
                .as_ref()
                .map(|b| {
                    let body = resolve(b, &components.request_bodies, "requestBodies")?;
                    Ok::<_, String>(Body {
                        required: body.required,
                        media: media(&body.content, &components)?,
                    })
                })
                .transpose()
                .map_err(error)?;
            let responses = operation
                .responses
                .default
                .iter()
                .map(|r| ("default".to_string(), r))
                .chain(
                    operation
                        .responses
                        .responses
                        .iter()
                        .map(|(status, r)| (status.to_string(), r)),
                )
                .map(|(status, r)| {
                    let response = resolve(r, &components.responses, "responses")?;
                    Ok(Response {
                        status,
                        description: response.description.clone(),
                        media: media(&response.content, &components)?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()
                .map_err(error)?;
            let allowed_for = match operation.extensions.get("x-allowed-for") {
                None => Vec::new(),
                Some(value) => serde_json::from_value(value.clone())
                    .map_err(|e| error(format!("x-allowed-for: {e}")))?,
            };
            operations.push(Operation {
                id: id.clone(),
                method: method.to_uppercase(),
                path: path.clone(),
                tags: operation.tags.clone(),
                summary: operation.summary.clone().unwrap_or_default(),
                description: operation.description.clone().unwrap_or_default(),
                allowed_for,
                parameters,
                request_body,
                responses,
            });
        }
    }
    Ok(operations)
}

/// Resolves a `$ref` to `#/components/{kind}/{name}`.
fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    components: &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    kind: &str,
) -> Result<&'a T, String> {
    match item {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => {
            let prefix = format!("#/components/{kind}/");
            let target = reference
                .strip_prefix(&prefix)
                .and_then(|name| components.get(name))
                .ok_or_else(|| format!("`$ref` {reference} does not resolve"))?;
            target
                .as_item()
                .ok_or_else(|| format!("`$ref` {reference} points at another `$ref`"))
        }
    }
}

fn parameter(parameter: &OpenApiParameter) -> Result<Parameter, String> {
    let location = match parameter {
        OpenApiParameter::Path { .. } => "path",
        OpenApiParameter::Query { .. } => "query",
        OpenApiParameter::Header { .. } => "header",
        OpenApiParameter::Cookie { .. } => "cookie",
    };
    let data = parameter.parameter_data_ref();
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => schema_json(schema)?,
        ParameterSchemaOrContent::Content(_) => {
            return Err(format!("parameter `{}` must have a schema", data.name))
        }
    };
    Ok(Parameter {
        name: data.name.clone(),
        location,
        required: data.required,
        schema,
        description: data.description.clone().unwrap_or_default(),
    })
}

fn media(
    content: &indexmap::IndexMap<String, MediaType>,
    components: &Components,
) -> Result<Vec<Media>, String> {
    content
        .iter()
        .map(|(media_type, media)| {
            let schema = match media.schema.as_ref() {
                None => return Err(format!("`{media_type}` content has no schema")),
                Some(ReferenceOr::Reference { reference }) => BodySchema::Component(
                    reference
                        .strip_prefix("#/components/schemas/")
                        .filter(|name| components.schemas.contains_key(*name))
                        .ok_or_else(|| format!("`$ref` {reference} does not resolve"))?
                        .to_string(),
                ),
                Some(schema) => BodySchema::Inline(schema_json(schema)?),
            };
            let examples = media
                .examples
                .iter()
                .map(|(name, example)| {
                    let example = resolve(example, &components.examples, "examples")?;
                    let file = example.external_value.clone().ok_or_else(|| {
                        format!("example `{name}` must name its file in `externalValue`")
                    })?;
                    let invalid = match example.extensions.get("x-invalid") {
                        None => Vec::new(),
                        Some(value) => serde_json::from_value(value.clone())
                            .map_err(|e| format!("example `{name}`: x-invalid: {e}"))?,
                    };
                    Ok(Example {
                        name: name.clone(),
                        summary: example.summary.clone().unwrap_or_default(),
                        file,
                        invalid,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Media {
                media_type: media_type.clone(),
                schema,
                examples,
            })
        })
        .collect()
}

fn schema_json(schema: &ReferenceOr<Schema>) -> Result<Value, String> {
    serde_json::to_value(schema).map_err(|e| format!("schema does not serialize: {e}"))
}
