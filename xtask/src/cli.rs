//! `zendesk`'s subcommands, one per operation: its arguments (every path and
//! query parameter as a typed `--kebab-case` flag, `--json-body` for a JSON
//! body) and the call of the client's builder that runs it. What is not
//! mechanical (printing, files, bodies read and checked, the export with
//! checkpoints) is written by hand in `crates/zendesk-cli`.
//!
//! - An integer parameter is an `i64` flag with the spec's bounds.
//! - A parameter whose schema is a component enum takes its values.
//! - A list the client can `.stream()` gains `--all`: every item of every
//!   page as JSON Lines.
//! - Every parameter takes its plain type on the wire (`parameters.rs`): a
//!   boolean is a flag (`--flag`, or `--flag=false`), a list takes values
//!   separated by commas or the flag repeated.
//! - A body that is not JSON (a raw upload, multipart) is sent by a
//!   hand-written function named after the operation in `crate::files`,
//!   from `--file`; its `filename` parameter, if any, defaults to the
//!   file's own name.

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use zendesk_spec::operations::{BodySchema, Operation, Parameter};

use crate::parameters::WireType;

/// The lists whose request the client can `.stream()` (crates/zendesk-client/src/pagination.rs):
/// their subcommands gain `--all`.
pub const STREAMED_LISTS: &[&str] = &[
    "ListSideConversations",
    "ListSideConversationEvents",
    "ListTicketComments",
];

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
        let mut description = operation.summary.clone();
        let details = operation.description.trim();
        if !details.is_empty() {
            description.push_str(&format!("\n\n{details}"));
        }
        // Who may call it, said the same way for every operation.
        if !operation.description.contains("Allowed for:") {
            let roles = if operation.allowed_for.is_empty() {
                "agents (the spec names no role)".to_string()
            } else {
                operation.allowed_for.join(", ")
            };
            description.push_str(&format!("\n\nAllowed for: {roles}."));
        }
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
            if !matches!(parameter.location, "path" | "query" | "header") {
                continue;
            }
            // A file's name defaults to the name of the file sent.
            let required = parameter.required && !(file_body && parameter.name == "filename");
            let (argument, setter) = parameter_tokens(parameter, required, component_schemas)?;
            arguments.push(argument);
            setters.push(setter);
        }
        let paged = STREAMED_LISTS.contains(&operation.id.as_str());
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
        // An answer that is not JSON (an image) is written as its bytes.
        let respond = if answers_bytes(operation) {
            quote! { crate::invoke::respond_bytes(request.send().await).await }
        } else {
            quote! { crate::invoke::respond(request.send().await) }
        };
        let arm = match (body, json_schema) {
            (None, _) => quote! {
                let mut request = client.#method();
                #(#setters)*
                #respond
            },
            (Some(body), Some(schema)) => {
                let required = body.required;
                arguments.push(quote! { crate::invoke::json_body_argument(#required) });
                let schema = format_ident!("{}", zendesk_spec::rust_names::type_name(&schema));
                let id = &operation.id;
                quote! {
                    let mut request = client.#method();
                    #(#setters)*
                    if let Some(body) = crate::invoke::json_body::<zendesk_models::#schema>(args, #id)? {
                        request = request.body(body);
                    }
                    #respond
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
    // An operation without parameters neither sets anything on its request
    // nor reads its arguments.
    Ok(quote! {
        #![allow(unused_mut, unused_variables)]

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

/// Whether the client gives the operation's success as bytes: progenitor
/// types a success body only in `application/json`; any other body (or no
/// documented success at all) is bytes.
fn answers_bytes(operation: &Operation) -> bool {
    let Some(success) = operation
        .responses
        .iter()
        .find(|r| r.is_success() || r.status == "default")
    else {
        return true;
    };
    let json = success.media.iter().any(|m| {
        m.media_type == "application/json" || m.media_type.starts_with("application/json;")
    });
    !json && !success.media.is_empty()
}

/// A parameter's `clap::Arg`, and the statement that hands its value to
/// the request builder.
fn parameter_tokens(
    parameter: &Parameter,
    required: bool,
    component_schemas: &Map<String, Value>,
) -> Result<(TokenStream, TokenStream), String> {
    let flag = parameter.name.to_kebab_case();
    // `page[size]` reads PAGE_SIZE, as its flag reads --page-size.
    let value_name = parameter.name.to_shouty_snake_case();
    let setter = format_ident!("{}", zendesk_spec::rust_names::field_name(&parameter.name));
    let help = parameter.description.trim().to_string();
    let wire = WireType::of(&parameter.schema, component_schemas);
    let argument = quote! {
        clap::Arg::new(#flag)
            .long(#flag)
            .value_name(#value_name)
            .required(#required)
            .help(#help)
    };
    let (argument, set) = match &wire {
        WireType::List(item) => {
            let (parser, kind) = scalar_parser(item, &parameter.schema);
            (
                quote! {
                    #argument
                        .value_parser(#parser)
                        .num_args(1..)
                        .value_delimiter(',')
                        .action(clap::ArgAction::Append)
                },
                quote! {
                    if let Some(values) = args.get_many::<#kind>(#flag) {
                        request = request.#setter(values.cloned().collect::<Vec<#kind>>());
                    }
                },
            )
        }
        WireType::Boolean => (
            // `--flag` alone means true; `--flag=false` says false.
            quote! {
                #argument
                    .value_parser(clap::value_parser!(bool))
                    .num_args(0..=1)
                    .require_equals(true)
                    .default_missing_value("true")
            },
            quote! {
                if let Some(value) = args.get_one::<bool>(#flag) {
                    request = request.#setter(*value);
                }
            },
        ),
        WireType::Enum {
            component: Some(name),
            values,
        } => {
            let model = format_ident!("{}", zendesk_spec::rust_names::type_name(name));
            (
                quote! { #argument.value_parser(clap::builder::PossibleValuesParser::new([#(#values),*])) },
                quote! {
                    if let Some(value) = args.get_one::<String>(#flag) {
                        request = request.#setter(crate::invoke::enum_value::<zendesk_models::#model>(value)?);
                    }
                },
            )
        }
        scalar => {
            let (parser, kind) = scalar_parser(scalar, &parameter.schema);
            let value = match scalar {
                WireType::Integer | WireType::Number => quote!(*value),
                WireType::Enum { .. } => quote!(value.as_str()),
                _ => quote!(value.clone()),
            };
            (
                quote! { #argument.value_parser(#parser) },
                quote! {
                    if let Some(value) = args.get_one::<#kind>(#flag) {
                        request = request.#setter(#value);
                    }
                },
            )
        }
    };
    Ok((argument, set))
}

/// The value parser of one value of a parameter, and the type it gives.
fn scalar_parser(wire: &WireType, schema: &Value) -> (TokenStream, TokenStream) {
    match wire {
        WireType::Integer => {
            let minimum = schema.get("minimum").and_then(Value::as_i64).unwrap_or(i64::MIN);
            let maximum = schema.get("maximum").and_then(Value::as_i64).unwrap_or(i64::MAX);
            (
                quote! { clap::value_parser!(i64).range(#minimum..=#maximum) },
                quote! { i64 },
            )
        }
        WireType::Number => (quote! { clap::value_parser!(f64) }, quote! { f64 }),
        WireType::Boolean => (quote! { clap::value_parser!(bool) }, quote! { bool }),
        WireType::Enum { values, .. } => (
            quote! { clap::builder::PossibleValuesParser::new([#(#values),*]) },
            quote! { String },
        ),
        WireType::Text | WireType::List(_) => (
            quote! { clap::builder::NonEmptyStringValueParser::new() },
            quote! { String },
        ),
    }
}
