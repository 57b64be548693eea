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
    /// What the reading took in a way worth knowing (a body without a
    /// schema taken as bytes), for people; empty for most operations.
    pub notes: Vec<String>,
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
    /// No schema at all: the body is taken as bytes of its media type.
    Untyped,
}

/// A documented example of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The example's key in the document (`example` for a media type's
    /// single `example`).
    pub name: String,
    /// Where it comes from.
    pub summary: String,
    /// Where its value is.
    pub source: ExampleSource,
    /// Where the documentation's example breaks the schema, and why the
    /// example is kept anyway (`x-invalid`). Empty for a valid example.
    pub invalid: Vec<ExpectedViolation>,
}

/// Where an example's value is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleSource {
    /// The `externalValue`: a file relative to the document's folder.
    File(String),
    /// A `value` written in the document.
    Inline(Value),
}

impl Example {
    /// The example's file, relative to the document's folder, when it is
    /// kept in one.
    pub fn file(&self) -> Option<&str> {
        match &self.source {
            ExampleSource::File(file) => Some(file),
            ExampleSource::Inline(_) => None,
        }
    }
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
            operations.push(
                read_operation(id.clone(), method, path, item, operation, &components).map_err(
                    |message| SpecError::Operation {
                        operation: id,
                        message,
                    },
                )?,
            );
        }
    }
    Ok(operations)
}

fn read_operation(
    id: String,
    method: &str,
    path: &str,
    item: &openapiv3::PathItem,
    operation: &openapiv3::Operation,
    components: &Components,
) -> Result<Operation, String> {
    let mut notes = Vec::new();
    // An operation's own parameter replaces the path item's of the same
    // name and place.
    let mut parameters: Vec<Parameter> = Vec::new();
    let here = |list: &str, index: usize| {
        let path = crate::json_schema::escape_pointer_token(path);
        match list {
            "item" => format!("/paths/{path}/parameters/{index}"),
            _ => format!("/paths/{path}/{method}/parameters/{index}"),
        }
    };
    let listed = item
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (here("item", i), p))
        .chain(operation.parameters.iter().enumerate().map(|(i, p)| (here("operation", i), p)));
    // Every problem with the parameters is told, not only the first.
    let mut problems = Vec::new();
    for (pointer, reference) in listed {
        let read = match resolve(reference, &components.parameters, "parameters").and_then(parameter) {
            Ok(read) => read,
            Err(e) => {
                problems.push(format!("{pointer}: {e}"));
                continue;
            }
        };
        if read.location == "path" && !path.contains(&format!("{{{}}}", read.name)) {
            problems.push(format!(
                "{pointer}: `{}` is a path parameter, and the path {path} has no {{{}}}",
                read.name, read.name
            ));
        }
        parameters.retain(|p| !(p.name == read.name && p.location == read.location));
        parameters.push(read);
    }
    for segment in path.split('/').filter(|s| s.starts_with('{') && s.ends_with('}')) {
        let name = &segment[1..segment.len() - 1];
        if !parameters.iter().any(|p| p.location == "path" && p.name == name) {
            problems.push(format!(
                "/paths/{}: the path's {segment} is declared by no path parameter of {method}",
                crate::json_schema::escape_pointer_token(path)
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    let request_body = operation
        .request_body
        .as_ref()
        .map(|b| {
            let body = resolve(b, &components.request_bodies, "requestBodies")?;
            Ok::<_, String>(Body {
                required: body.required,
                media: media(&body.content, components, "request", &mut notes)?,
            })
        })
        .transpose()?;
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
                description: response.description.clone(),
                media: media(&response.content, components, &status, &mut notes)?,
                status,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let allowed_for = match operation.extensions.get("x-allowed-for") {
        None => Vec::new(),
        Some(value) => serde_json::from_value(value.clone())
            .map_err(|e| format!("x-allowed-for: {e}"))?,
    };
    Ok(Operation {
        id,
        method: method.to_uppercase(),
        path: path.to_string(),
        tags: operation.tags.clone(),
        summary: operation.summary.clone().unwrap_or_default(),
        description: operation.description.clone().unwrap_or_default(),
        allowed_for,
        parameters,
        request_body,
        responses,
        notes,
    })
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
        // A parameter serialized as a media type: its one entry's schema.
        ParameterSchemaOrContent::Content(content) => {
            match content.values().next().and_then(|m| m.schema.as_ref()) {
                Some(schema) => schema_json(schema)?,
                None => return Err(format!("parameter `{}` has no schema", data.name)),
            }
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

/// The bodies of one request or response (`what`: `request` or a status).
fn media(
    content: &indexmap::IndexMap<String, MediaType>,
    components: &Components,
    what: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Media>, String> {
    content
        .iter()
        .map(|(media_type, media)| {
            let schema = match media.schema.as_ref() {
                None => {
                    notes.push(format!(
                        "the {what} body `{media_type}` has no schema: it is taken as untyped bytes"
                    ));
                    BodySchema::Untyped
                }
                Some(ReferenceOr::Reference { reference }) => BodySchema::Component(
                    reference
                        .strip_prefix("#/components/schemas/")
                        .filter(|name| components.schemas.contains_key(*name))
                        .ok_or_else(|| format!("`$ref` {reference} does not resolve"))?
                        .to_string(),
                ),
                Some(schema) => BodySchema::Inline(schema_json(schema)?),
            };
            let mut examples = media
                .examples
                .iter()
                .map(|(name, example)| {
                    let example = resolve(example, &components.examples, "examples")?;
                    let source = match (&example.external_value, &example.value) {
                        (Some(file), None) => ExampleSource::File(file.clone()),
                        (None, Some(value)) => ExampleSource::Inline(value.clone()),
                        (Some(_), Some(_)) => {
                            return Err(format!(
                                "example `{name}` has both `value` and `externalValue`, which OpenAPI 3.0 forbids"
                            ))
                        }
                        (None, None) => {
                            return Err(format!(
                                "example `{name}` has neither `value` nor `externalValue`"
                            ))
                        }
                    };
                    let invalid = match example.extensions.get("x-invalid") {
                        None => Vec::new(),
                        Some(value) => serde_json::from_value(value.clone())
                            .map_err(|e| format!("example `{name}`: x-invalid: {e}"))?,
                    };
                    Ok(Example {
                        name: name.clone(),
                        summary: example.summary.clone().unwrap_or_default(),
                        source,
                        invalid,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            if let Some(value) = &media.example {
                examples.push(Example {
                    name: "example".into(),
                    summary: String::new(),
                    source: ExampleSource::Inline(value.clone()),
                    invalid: Vec::new(),
                });
            }
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
