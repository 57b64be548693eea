//! `zendesk`'s subcommands, one per operation: its arguments (every path and
//! query parameter as a typed `--kebab-case` flag, `--json-body` for a JSON
//! body) and the call of the client's builder that runs it. What is not
//! mechanical (printing, files, bodies read and checked, the export with
//! checkpoints) is written by hand in `crates/zendesk-cli`.
//!
//! - An integer parameter is an `i64` flag with the spec's bounds.
//! - A parameter whose schema is a component enum takes its values.
//! - An operation with a `page` parameter gains `--all`: every item of every
//!   page as JSON Lines (the client's `.stream()`).
//! - A body that is not JSON (a raw upload, multipart) is sent by a
//!   hand-written function named after the operation in `crate::files`,
//!   from `--file`; its `filename` parameter, if any, defaults to the
//!   file's own name.

use heck::{ToKebabCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use zendesk_spec::operations::{BodySchema, Operation, Parameter};

pub fn generate(
    operations: &[Operation],
    component_schemas: &Map<String, Value>,
) -> Result<TokenStream, String> {
    let mut commands = Vec::new();
    let mut arms = Vec::new();
    let mut functions = Vec::new();
    for operation in operations {
        let name = operation.id.to_kebab_case();
        let summary = &operation.summary;
        let description = format!(
            "{}\n\n{}",
            operation.summary,
            operation.description.trim_end()
        );
        let method = format_ident!("{}", operation.id.to_snake_case());
        let body = operation.request_body.as_ref();
        let file_body = body.is_some_and(|body| {
            !body
                .media
                .iter()
                .any(|media| media.media_type == "application/json")
        });
        let mut arguments = Vec::new();
        let mut setters = Vec::new();
        for parameter in &operation.parameters {
            if parameter.location != "path" && parameter.location != "query" {
                continue;
            }
            // A file's name defaults to the name of the file sent.
            let required = parameter.required && !(file_body && parameter.name == "filename");
            let (argument, setter) = parameter_tokens(parameter, required, component_schemas)?;
            arguments.push(argument);
            setters.push(setter);
        }
        let paged = operation.parameters.iter().any(|p| p.name == "page");
        if paged {
            arguments.push(quote! { crate::invoke::all_argument() });
        }
        let json_schema = body.and_then(|body| {
            body.media.iter().find_map(|media| match &media.schema {
                BodySchema::Component(schema) if media.media_type == "application/json" => {
                    Some(schema.clone())
                }
                _ => None,
            })
        });
        let arm = match (body, json_schema) {
            (None, _) => quote! {
                let mut request = client.#method();
                #(#setters)*
                crate::invoke::respond(request.send().await)
            },
            (Some(body), Some(schema)) => {
                let required = body.required;
                arguments.push(quote! { crate::invoke::json_body_argument(#required) });
                let schema = format_ident!("{}", schema);
                let id = &operation.id;
                quote! {
                    let mut request = client.#method();
                    #(#setters)*
                    if let Some(body) = crate::invoke::json_body::<zendesk_models::#schema>(args, #id)? {
                        request = request.body(body);
                    }
                    crate::invoke::respond(request.send().await)
                }
            }
            (Some(_), None) => {
                arguments.push(quote! { crate::files::file_argument() });
                arguments.push(quote! { crate::files::content_type_argument() });
                quote! { crate::files::#method(client, args).await }
            }
        };
        let arm = if paged {
            quote! {
                if crate::invoke::all(args) {
                    let mut request = client.#method();
                    #(#setters)*
                    return crate::invoke::print_stream(request.stream()).await;
                }
                #arm
            }
        } else {
            arm
        };
        let summary_doc = format!(" `{}`: {}", operation.id, operation.summary);
        functions.push(quote! {
            #[doc = #summary_doc]
            async fn #method(
                client: &zendesk_client::Client,
                args: &clap::ArgMatches,
            ) -> Result<(), crate::invoke::CliError> {
                #arm
            }
        });
        commands.push(quote! {
            clap::Command::new(#name)
                .about(#summary)
                .long_about(#description)
                #(.arg(#arguments))*
        });
        arms.push(quote! { #name => #method(client, args).await, });
    }
    Ok(quote! {
        #![allow(unused_mut)]

        /// A subcommand per operation of the spec, in the spec's order.
        pub fn commands() -> Vec<clap::Command> {
            Vec::from([#(#commands),*])
        }

        /// Runs the operation subcommand `name` with its arguments; `None`
        /// when `name` is not one.
        pub async fn run(
            client: &zendesk_client::Client,
            name: &str,
            args: &clap::ArgMatches,
        ) -> Option<Result<(), crate::invoke::CliError>> {
            let outcome = match name {
                #(#arms)*
                _ => return None,
            };
            Some(outcome)
        }

        #(#functions)*
    })
}

/// A parameter's `clap::Arg`, and the statement that hands its value to
/// the request builder.
fn parameter_tokens(
    parameter: &Parameter,
    required: bool,
    component_schemas: &Map<String, Value>,
) -> Result<(TokenStream, TokenStream), String> {
    let flag = parameter.name.to_kebab_case();
    let value_name = parameter.name.to_uppercase();
    let setter = format_ident!("{}", parameter.name.to_snake_case());
    let help = parameter.description.trim().to_string();
    let schema = &parameter.schema;
    let (parser, value) = if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        let values: Vec<String> = component_schemas
            .get(name)
            .and_then(|s| s.get("enum"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                format!(
                    "parameter `{}`: {reference} is not an enum, which the command line cannot take",
                    parameter.name
                )
            })?
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        let model = format_ident!("{}", name);
        (
            quote! { clap::builder::PossibleValuesParser::new([#(#values),*]) },
            quote! { crate::invoke::enum_value::<zendesk_models::#model>(value)? },
        )
    } else {
        match schema.get("type").and_then(Value::as_str) {
            Some("integer") => {
                let minimum = schema
                    .get("minimum")
                    .and_then(Value::as_i64)
                    .unwrap_or(i64::MIN);
                let maximum = schema
                    .get("maximum")
                    .and_then(Value::as_i64)
                    .unwrap_or(i64::MAX);
                (
                    quote! { clap::value_parser!(i64).range(#minimum..=#maximum) },
                    quote! { *value },
                )
            }
            Some("string") => (
                quote! { clap::builder::NonEmptyStringValueParser::new() },
                quote! { value.clone() },
            ),
            other => {
                return Err(format!(
                    "parameter `{}`: type {other:?} is not one the command line takes",
                    parameter.name
                ))
            }
        }
    };
    let kind = if schema.get("type").and_then(Value::as_str) == Some("integer") {
        quote! { i64 }
    } else {
        quote! { String }
    };
    let argument = quote! {
        clap::Arg::new(#flag)
            .long(#flag)
            .value_name(#value_name)
            .required(#required)
            .value_parser(#parser)
            .help(#help)
    };
    let set = quote! {
        if let Some(value) = args.get_one::<#kind>(#flag) {
            request = request.#setter(#value);
        }
    };
    Ok((argument, set))
}
