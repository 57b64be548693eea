//! `zendesk-validate`'s table of operations: for each operationId, its
//! method, path, roles, parameters, and the schema of its request and
//! response bodies, so the validator needs no OpenAPI parser at run time.

use proc_macro2::TokenStream;
use quote::quote;
use zendesk_spec::json_schema;
use zendesk_spec::operations::{BodySchema, Media, Operation};

pub fn generate(operations: &[Operation]) -> Result<TokenStream, String> {
    let mut entries = Vec::new();
    for operation in operations {
        let id = &operation.id;
        let method = &operation.method;
        let path = &operation.path;
        let allowed_for = &operation.allowed_for;
        let request = body(
            operation
                .request_body
                .as_ref()
                .map(|b| b.media.as_slice())
                .unwrap_or(&[]),
        );
        let responses = operation.responses.iter().map(|response| {
            let status = &response.status;
            let body = body(&response.media);
            quote! { crate::operations::Response { status: #status, body: #body } }
        });
        let mut parameters = Vec::new();
        for parameter in &operation.parameters {
            let name = &parameter.name;
            let location = parameter.location;
            let required = parameter.required;
            let pointer = format!("{id}: parameter `{name}`");
            let schema = json_schema::translate(&parameter.schema, &pointer)
                .map_err(|e| e.to_string())?;
            let schema = serde_json::to_string(&schema).map_err(|e| e.to_string())?;
            parameters.push(quote! {
                crate::operations::Parameter {
                    name: #name,
                    location: #location,
                    required: #required,
                    schema: #schema,
                }
            });
        }
        entries.push(quote! {
            crate::operations::Operation {
                id: #id,
                method: #method,
                path: #path,
                allowed_for: &[#(#allowed_for),*],
                parameters: &[#(#parameters),*],
                request: #request,
                responses: &[#(#responses),*],
            }
        });
    }
    Ok(quote! {
        /// Every operation of the spec, in the spec's order.
        pub const OPERATIONS: &[crate::operations::Operation] = &[#(#entries),*];
    })
}

/// The JSON schema of a body, or what else it is.
fn body(media: &[Media]) -> TokenStream {
    if let Some(json) = media.iter().find(|m| m.media_type == "application/json") {
        if let BodySchema::Component(name) = &json.schema {
            return quote! { crate::operations::Body::Json(#name) };
        }
    }
    match media.first() {
        None => quote! { crate::operations::Body::Empty },
        Some(other) => {
            let media_type = &other.media_type;
            quote! { crate::operations::Body::NotJson(#media_type) }
        }
    }
}
