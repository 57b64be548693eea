//! The compiled validators: the embedded bundle is read once, and each schema
//! is compiled the first time it is asked for, once per process.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{json, Value};

use crate::explain;
use crate::file_names::Target;
use crate::operations::{self, Body};

/// The spec's schemas as one draft-07 document (generated from the spec).
const BUNDLE: &str = include_str!("generated_schema_bundle.json");
/// The base URI the bundle is registered under.
const BUNDLE_URI: &str = "https://zendesk-validate.invalid/bundle.json";

struct Schemas {
    bundle: Value,
    registry: jsonschema::Registry<'static>,
    compiled: BTreeMap<String, OnceLock<jsonschema::Validator>>,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        // The bundle is generated and checked by the workspace's tests: a
        // failure here is a build defect, not a user's error.
        let bundle: Value = serde_json::from_str(BUNDLE).expect("the embedded bundle is JSON");
        let registry = jsonschema::Registry::new()
            .add(BUNDLE_URI, bundle.clone())
            .and_then(|builder| builder.prepare())
            .expect("the embedded bundle registers");
        let compiled = bundle["definitions"]
            .as_object()
            .expect("the bundle has definitions")
            .keys()
            .map(|name| (name.clone(), OnceLock::new()))
            .collect();
        Schemas {
            bundle,
            registry,
            compiled,
        }
    })
}

/// The names of every component schema, in order.
pub fn schema_names() -> impl Iterator<Item = &'static str> {
    schemas().compiled.keys().map(String::as_str)
}

/// The bundle: every component schema under `definitions`, as draft-07.
pub fn bundle() -> &'static Value {
    &schemas().bundle
}

/// A compiled validator for one component schema.
#[derive(Clone, Copy)]
pub struct SchemaValidator {
    name: &'static str,
    compiled: &'static jsonschema::Validator,
    /// Whether checks with it also look for what the schema does not
    /// describe ([`SchemaValidator::reporting_undocumented`]).
    undocumented: bool,
}

/// Two handles are equal when they share one compiled validator.
impl PartialEq for SchemaValidator {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.compiled, other.compiled)
    }
}

impl Eq for SchemaValidator {}

impl std::fmt::Debug for SchemaValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaValidator")
            .field("schema", &self.name)
            .finish()
    }
}

/// One way in which a payload breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// JSON pointer to the offending value in the payload (`""` is the whole payload).
    pub pointer: String,
    /// JSON pointer to the rule in the bundle, such as `#/definitions/MessageRequest/oneOf`.
    pub schema_location: String,
    /// What is wrong, for people.
    pub message: String,
}

impl SchemaValidator {
    /// The component schema's name.
    pub fn schema_name(&self) -> &'static str {
        self.name
    }

    /// Whether `payload` is valid: the fast path, which builds no messages.
    pub fn is_valid(&self, payload: &Value) -> bool {
        self.compiled.is_valid(payload)
    }

    /// The same validator, for checks (`check_document` and the rest) that
    /// also report each property the schema does not describe. A payload
    /// is then always read whole, never checked while it streams.
    pub fn reporting_undocumented(mut self) -> Self {
        self.undocumented = true;
        self
    }

    /// Whether checks with it report undocumented properties.
    pub fn reports_undocumented(&self) -> bool {
        self.undocumented
    }

    /// Every property of `payload` the schema does not describe (valid
    /// where the schema is open, as response schemas are): once per place,
    /// with array indices as `*`, and per JSON type.
    ///
    /// ```
    /// let attachment = zendesk_validate::schema("SideConversation")?;
    /// let found = attachment.undocumented(&serde_json::json!({"id": "a", "sentiment": 0.5}));
    /// assert_eq!((found[0].pattern.as_str(), found[0].json_type), ("/sentiment", "number"));
    /// # Ok::<(), zendesk_validate::LookupError>(())
    /// ```
    pub fn undocumented(&self, payload: &Value) -> Vec<crate::Undocumented> {
        let root = json!({ "$ref": format!("#/definitions/{}", self.name) });
        crate::undocumented::find(bundle(), &root, payload)
    }

    /// Every violation in `payload`; empty when it is valid.
    pub fn validate(&self, payload: &Value) -> Vec<Violation> {
        if self.compiled.is_valid(payload) {
            return Vec::new();
        }
        explain::violations(self.compiled.iter_errors(payload), payload)
    }
}

/// Why no validator could be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No component schema has this name.
    #[error("no schema named `{0}` (see `zendesk-validate --list`)")]
    UnknownSchema(String),
    /// No operation has this operationId.
    #[error("no operation `{0}` (see `zendesk-validate --list`)")]
    UnknownOperation(String),
    /// The operation takes no request body.
    #[error("{operation} has no request body")]
    NoRequestBody {
        /// The operationId.
        operation: String,
    },
    /// The operation documents no response with this status.
    #[error("{operation} has no {status} response; it answers {known}")]
    UnknownStatus {
        /// The operationId.
        operation: String,
        /// The status asked for.
        status: String,
        /// The statuses it documents, comma-separated.
        known: String,
    },
    /// The body is a file or a form, not JSON.
    #[error("{what} is not JSON but {media_type}")]
    NotJson {
        /// The request or response.
        what: String,
        /// Its media type.
        media_type: String,
    },
    /// The response has no body.
    #[error("{what} has no body")]
    NoBody {
        /// The response.
        what: String,
    },
}

/// The validator of the component schema `name`.
pub fn schema(name: &str) -> Result<SchemaValidator, LookupError> {
    let all = schemas();
    let (name, slot) = all
        .compiled
        .get_key_value(name)
        .ok_or_else(|| LookupError::UnknownSchema(name.to_string()))?;
    let compiled = slot.get_or_init(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .with_registry(&all.registry)
            .build(&json!({ "$ref": format!("{BUNDLE_URI}#/definitions/{name}") }))
            .expect("every schema of the embedded bundle compiles")
    });
    Ok(SchemaValidator {
        name,
        compiled,
        undocumented: false,
    })
}

/// Compiles a schema of the spec's written beside the bundle (a
/// parameter's), whose `#/definitions/..` references point into it.
pub(crate) fn compile_beside_bundle(schema: &str) -> Option<jsonschema::Validator> {
    let text = schema.replace(
        "\"#/definitions/",
        &format!("\"{BUNDLE_URI}#/definitions/"),
    );
    let schema: Value = serde_json::from_str(&text).ok()?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_registry(&schemas().registry)
        .build(&schema)
        .ok()
}

/// The validator of an operation's JSON request body.
pub fn request(operation_id: &str) -> Result<SchemaValidator, LookupError> {
    let operation = operations::operation(operation_id)
        .ok_or_else(|| LookupError::UnknownOperation(operation_id.to_string()))?;
    body_validator(operation.request, format!("{operation_id} request body")).map_err(|e| match e {
        LookupError::NoBody { .. } => LookupError::NoRequestBody {
            operation: operation_id.to_string(),
        },
        other => other,
    })
}

/// The validator of an operation's JSON response body with `status`.
pub fn response(operation_id: &str, status: &str) -> Result<SchemaValidator, LookupError> {
    let operation = operations::operation(operation_id)
        .ok_or_else(|| LookupError::UnknownOperation(operation_id.to_string()))?;
    let body = operation
        .response(status)
        .ok_or_else(|| LookupError::UnknownStatus {
            operation: operation_id.to_string(),
            status: status.to_string(),
            known: operation
                .responses
                .iter()
                .map(|r| r.status)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    body_validator(body, format!("{operation_id} {status} response"))
}

/// The validator for what a file name (or a command line) names.
pub fn for_target(target: &Target) -> Result<SchemaValidator, LookupError> {
    match target {
        Target::Schema(name) => schema(name),
        Target::Request { operation_id } => request(operation_id),
        Target::Response {
            operation_id,
            status,
        } => response(operation_id, status),
    }
}

fn body_validator(body: Body, what: String) -> Result<SchemaValidator, LookupError> {
    match body {
        Body::Json(name) => schema(name),
        Body::Empty => Err(LookupError::NoBody { what }),
        Body::NotJson(media_type) => Err(LookupError::NotJson {
            what,
            media_type: media_type.to_string(),
        }),
    }
}
