//! Typed construction of request bodies, generated from the spec's closed
//! schemas (`additionalProperties: false`, the request side), and of the
//! response objects that have required properties (so no `Default`):
//!
//! - `Schema::new(required..)` on every closed object schema: one argument per
//!   required property; a required list with `minItems: 1` takes its first
//!   item, so it can never be empty;
//! - a chained setter per optional property (`.subject("..")`), an adder per
//!   list item (`.attachment_id(..)`, `.to(..)`) with a setter for many
//!   (`.attachment_ids([..])`), and per map entry (`.external_id(k, v)`);
//! - on a `oneOf` of closed schemas, a constructor per variant named by what
//!   sets it apart (`EmailParticipant::user(1)`, `MessageRequest::slack(..)`),
//!   returning the variant's own type, which converts into the `oneOf` type;
//! - `From` the single required property (and each of its `oneOf` variants)
//!   for a body that only wraps it, so a message is a whole request body.
//!
//! A response object's `new` takes its required properties and leaves every
//! other one unset; objects without required properties have `Default`.
//! Either way, a property the spec adds later breaks no caller.
//!
//! Each `new` carries a doctest: the schema's shortest valid construction,
//! checked against the spec by `zendesk-validate`.
//!
//! The Rust types of fields follow typify's mapping for these schemas (see
//! `rust_type`); a mismatch fails to compile, never silently.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// What a property holds, as far as construction is concerned.
#[derive(Debug, Clone)]
enum Kind {
    /// A value passed as `impl Into<T>` (strings, timestamps, named types).
    Into(TokenStream),
    /// An integer, passed as `i64` so literals need no suffix.
    Integer,
    Boolean,
    /// A list of `item`.
    List(Box<Kind>, usize),
    /// A named map schema of string values (`ExternalIds`).
    Map(String),
}

struct Schemas<'a> {
    all: &'a Map<String, Value>,
}

impl<'a> Schemas<'a> {
    fn get(&self, name: &str) -> Result<&'a Value, String> {
        self.all
            .get(name)
            .ok_or_else(|| format!("no component schema {name}"))
    }

    fn is_closed_object(&self, schema: &Value) -> bool {
        schema.get("type").and_then(Value::as_str) == Some("object")
            && schema.get("additionalProperties") == Some(&Value::Bool(false))
    }

    /// An object schema the service may extend (the response side) that has
    /// required properties, so its type has no `Default`.
    fn is_open_object_with_required(&self, schema: &Value) -> bool {
        schema.get("type").and_then(Value::as_str) == Some("object")
            && !self.is_closed_object(schema)
            && schema.get("properties").is_some()
            && !required_properties(schema).is_empty()
    }

    /// A `oneOf` whose every variant is a closed object schema: its variant
    /// schema names.
    fn closed_variants(&self, schema: &Value) -> Option<Vec<String>> {
        let variants = schema.get("oneOf")?.as_array()?;
        variants
            .iter()
            .map(|variant| {
                let name = ref_name(variant)?;
                self.is_closed_object(self.all.get(name)?)
                    .then(|| name.to_string())
            })
            .collect()
    }

    fn is_string_map(&self, schema: &Value) -> bool {
        schema.get("type").and_then(Value::as_str) == Some("object")
            && schema.get("properties").is_none()
            && schema
                .get("additionalProperties")
                .and_then(|a| a.get("type"))
                .and_then(Value::as_str)
                == Some("string")
    }

    fn kind(&self, property: &Value, at: &str) -> Result<Kind, String> {
        if let Some(name) = ref_name(property) {
            let target = self.get(name)?;
            if self.is_string_map(target) {
                return Ok(Kind::Map(name.to_string()));
            }
            let ident = format_ident!("{}", name);
            return Ok(Kind::Into(quote!(#ident)));
        }
        match property.get("type").and_then(Value::as_str) {
            Some("string")
                if property.get("format").and_then(Value::as_str) == Some("date-time") =>
            {
                Ok(Kind::Into(quote!(crate::Timestamp)))
            }
            Some("string") => Ok(Kind::Into(quote!(::std::string::String))),
            Some("integer") => Ok(Kind::Integer),
            Some("boolean") => Ok(Kind::Boolean),
            Some("array") => {
                let items = property
                    .get("items")
                    .ok_or_else(|| format!("{at}: an array without items"))?;
                let min_items = property
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(0) as usize;
                Ok(Kind::List(Box::new(self.kind(items, at)?), min_items))
            }
            other => Err(format!(
                "{at}: no typed construction for a property of type {other:?}"
            )),
        }
    }
}

/// A schema's `required` list, in the order the spec's author wrote it.
fn required_properties(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix(COMPONENT_PREFIX)
}

/// The parameter type and the expression that stores it in the field.
fn parameter(kind: &Kind, value: &TokenStream) -> (TokenStream, TokenStream) {
    match kind {
        Kind::Into(ty) => (
            quote!(impl ::std::convert::Into<#ty>),
            quote!(#value.into()),
        ),
        Kind::Integer => (quote!(i64), quote!(#value)),
        Kind::Boolean => (quote!(bool), quote!(#value)),
        Kind::Map(name) => {
            let ident = format_ident!("{}", name);
            (
                quote!(impl ::std::convert::Into<#ident>),
                quote!(#value.into()),
            )
        }
        Kind::List(item, _) => {
            let (item_ty, _) = parameter(item, value);
            (
                quote!(impl ::std::iter::IntoIterator<Item = #item_ty>),
                quote!(#value.into_iter().map(::std::convert::Into::into).collect()),
            )
        }
    }
}

/// The name of one item of a list or map property (`attachment_ids` ->
/// `attachment_id`); `None` when the name is not a plural.
fn singular(property: &str) -> Option<String> {
    property
        .strip_suffix('s')
        .filter(|s| !s.is_empty() && !s.ends_with('s'))
        .map(str::to_string)
}

fn rust_field(property: &str) -> proc_macro2::Ident {
    match property {
        "type" => format_ident!("type_"),
        other => format_ident!("{}", other),
    }
}

/// The Rust source of every constructor.
pub fn generate(component_schemas: &Map<String, Value>) -> Result<TokenStream, String> {
    let schemas = Schemas {
        all: component_schemas,
    };
    let mut items = Vec::new();
    for (name, schema) in component_schemas {
        if schemas.is_closed_object(schema) || schemas.is_open_object_with_required(schema) {
            items.push(object_constructors(&schemas, name, schema)?);
            items.push(wrapper_conversions(&schemas, name, schema)?);
        } else if let Some(variants) = schemas.closed_variants(schema) {
            items.push(variant_constructors(&schemas, name, &variants)?);
        }
    }
    Ok(quote! {
        #[allow(unused_imports)]
        use crate::*;

        #(#items)*
    })
}

fn object_constructors(
    schemas: &Schemas,
    name: &str,
    schema: &Value,
) -> Result<TokenStream, String> {
    let at = format!("/components/schemas/{name}");
    let ident = format_ident!("{}", name);
    let required = required_properties(schema);
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);

    // Arguments in the order of `required`, as the spec's author wrote it.
    let mut arguments = vec![quote!(); required.len()];
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut argument_docs = vec![String::new(); required.len()];
    let closed = schemas.is_closed_object(schema);
    for (property, property_schema) in properties {
        let field = rust_field(property);
        let position = required.iter().position(|r| *r == property.as_str());
        if position.is_none() && !closed {
            // A response's optional property may have any type: unset.
            fields.push(quote!(#field: ::std::default::Default::default()));
            continue;
        }
        let kind = schemas.kind(property_schema, &format!("{at}/properties/{property}"))?;
        if let Some(position) = position {
            if property_schema.get("nullable") == Some(&Value::Bool(true)) {
                return Err(format!(
                    "{at}/properties/{property}: no typed construction for a required nullable property"
                ));
            }
            let argument = format_ident!("{}", singular_argument(property, &kind));
            let (ty, store) = match &kind {
                // The first item of a list that may not be empty.
                Kind::List(item, min) if *min >= 1 => {
                    let (item_ty, store) = parameter(item, &quote!(#argument));
                    (item_ty, quote!(::std::vec![#store]))
                }
                _ => parameter(&kind, &quote!(#argument)),
            };
            arguments[position] = quote!(#argument: #ty);
            fields.push(quote!(#field: #store));
            argument_docs[position] =
                format!("- `{argument}`: {}\n", describe(property_schema, &kind));
        } else {
            fields.push(quote!(#field: ::std::default::Default::default()));
        }
        setters.extend(property_setters(property, &kind, position.is_some()));
    }
    if required.iter().any(|r| !properties.contains_key(*r)) {
        return Err(format!(
            "{at}: a required property is not among its properties"
        ));
    }
    let argument_docs = argument_docs.concat();

    let example = format!(
        "The shortest valid `{name}`:\n\n```\nuse zendesk_models::*;\n\nlet value = {};\nlet json = serde_json::to_value(&value).unwrap();\nassert!(zendesk_validate::schema(\"{name}\").unwrap().is_valid(&json), \"{{json}}\");\nassert_eq!(serde_json::from_value::<{name}>(json).unwrap(), value);\n```",
        shortest(schemas, name, 0)?
    );
    let new_doc = if argument_docs.is_empty() {
        format!("A `{name}` with every optional property unset.")
    } else {
        format!("A `{name}` from its required properties; set the others with the chained methods.\n\n{argument_docs}")
    };
    Ok(quote! {
        impl #ident {
            #[doc = #new_doc]
            ///
            #[doc = #example]
            #[allow(clippy::new_without_default)]
            pub fn new(#(#arguments),*) -> Self {
                Self { #(#fields),* }
            }

            #(#setters)*
        }
    })
}

fn singular_argument(property: &str, kind: &Kind) -> String {
    match kind {
        Kind::List(_, min) if *min >= 1 => {
            singular(property).unwrap_or_else(|| property.to_string())
        }
        _ => rust_field(property).to_string(),
    }
}

fn describe(schema: &Value, kind: &Kind) -> String {
    let description = schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    match kind {
        Kind::List(_, min) if *min >= 1 => {
            format!("the first of at least one; add more with the chained method. {description}")
        }
        _ => description,
    }
}

fn property_setters(property: &str, kind: &Kind, is_required: bool) -> Vec<TokenStream> {
    let field = rust_field(property);
    let mut setters = Vec::new();
    match kind {
        Kind::List(item, _) => {
            let (item_ty, store_one) = parameter(item, &quote!(item));
            let add = singular(property).unwrap_or_else(|| property.to_string());
            let add_ident = format_ident!("{}", add);
            let add_doc = format!("Adds one item to `{property}`.");
            setters.push(quote! {
                #[doc = #add_doc]
                pub fn #add_ident(mut self, item: #item_ty) -> Self {
                    self.#field.push(#store_one);
                    self
                }
            });
            if add != property {
                let doc = format!("Adds every item to `{property}`.");
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #field(mut self, items: impl ::std::iter::IntoIterator<Item = #item_ty>) -> Self {
                        self.#field.extend(items.into_iter().map(::std::convert::Into::into));
                        self
                    }
                });
            }
        }
        Kind::Map(map) if !is_required => {
            let map_ident = format_ident!("{}", map);
            if let Some(one) = singular(property) {
                let one_ident = format_ident!("{}", one);
                let doc = format!("Sets one entry of `{property}`.");
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #one_ident(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                        self.#field
                            .get_or_insert_with(|| #map_ident::from(::std::collections::BTreeMap::new()))
                            .0
                            .insert(key.into(), value.into());
                        self
                    }
                });
            }
            let doc = format!("Sets `{property}`.");
            setters.push(quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: impl ::std::convert::Into<#map_ident>) -> Self {
                    self.#field = ::std::option::Option::Some(value.into());
                    self
                }
            });
        }
        _ if !is_required => {
            let (ty, store) = parameter(kind, &quote!(value));
            let doc = format!("Sets `{property}`.");
            setters.push(quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = ::std::option::Option::Some(#store);
                    self
                }
            });
        }
        _ => {}
    }
    setters
}

/// `From` the one required property of a body that only wraps it (and from
/// each variant of that property's `oneOf`).
fn wrapper_conversions(
    schemas: &Schemas,
    name: &str,
    schema: &Value,
) -> Result<TokenStream, String> {
    let required = required_properties(schema);
    let [only] = required.as_slice() else {
        return Ok(quote!());
    };
    let Some(wrapped) = schema
        .pointer(&format!("/properties/{only}"))
        .and_then(ref_name)
    else {
        return Ok(quote!());
    };
    let ident = format_ident!("{}", name);
    let mut sources = vec![wrapped.to_string()];
    if let Some(variants) = schemas.closed_variants(schemas.get(wrapped)?) {
        sources.extend(variants);
    }
    let impls = sources.iter().map(|source| {
        let source_ident = format_ident!("{}", source);
        let doc = format!("A `{name}` whose `{only}` is the given `{source}`.");
        quote! {
            impl ::std::convert::From<#source_ident> for #ident {
                #[doc = #doc]
                fn from(value: #source_ident) -> Self {
                    Self::new(value)
                }
            }
        }
    });
    Ok(quote! { #(#impls)* })
}

/// The name of a variant of a `oneOf`, as what sets it apart from the
/// `oneOf`'s name: `EmailUserParticipant` in `EmailParticipant` is `user`.
fn variant_method(one_of: &str, variant: &str) -> String {
    let common: Vec<String> = one_of
        .to_snake_case()
        .split('_')
        .map(str::to_string)
        .collect();
    let variant = variant.to_snake_case();
    let own: Vec<&str> = variant
        .split('_')
        .filter(|word| !common.iter().any(|c| c == word))
        .collect();
    own.join("_")
}

fn variant_constructors(
    schemas: &Schemas,
    name: &str,
    variants: &[String],
) -> Result<TokenStream, String> {
    let ident = format_ident!("{}", name);
    let mut seen = BTreeMap::new();
    let mut methods = Vec::new();
    for variant in variants {
        let method = variant_method(name, variant);
        if method.is_empty() || seen.insert(method.clone(), variant).is_some() {
            return Err(format!(
                "/components/schemas/{name}: the variant {variant} has no name of its own for a constructor"
            ));
        }
        let variant_schema = schemas.get(variant)?;
        let required = required_properties(variant_schema);
        let mut arguments = Vec::new();
        let mut names = Vec::new();
        for property in &required {
            let property_schema = variant_schema
                .pointer(&format!("/properties/{property}"))
                .ok_or_else(|| format!("/components/schemas/{variant}: no property {property}"))?;
            let kind = schemas.kind(
                property_schema,
                &format!("/components/schemas/{variant}/properties/{property}"),
            )?;
            let argument = format_ident!("{}", singular_argument(property, &kind));
            let (ty, _) = match &kind {
                Kind::List(item, min) if *min >= 1 => parameter(item, &quote!(#argument)),
                _ => parameter(&kind, &quote!(#argument)),
            };
            arguments.push(quote!(#argument: #ty));
            names.push(argument);
        }
        let method_ident = format_ident!("{}", method);
        let variant_ident = format_ident!("{}", variant);
        let doc = format!(
            "A [`{variant}`], which converts into a `{name}`: the same as `{variant}::new`."
        );
        methods.push(quote! {
            #[doc = #doc]
            pub fn #method_ident(#(#arguments),*) -> #variant_ident {
                #variant_ident::new(#(#names),*)
            }
        });
    }
    Ok(quote! {
        impl #ident {
            #(#methods)*
        }
    })
}

/// The shortest Rust expression that builds a valid value of schema `name`.
fn shortest(schemas: &Schemas, name: &str, depth: usize) -> Result<String, String> {
    if depth > 8 {
        return Err(format!(
            "/components/schemas/{name}: its shortest construction does not end"
        ));
    }
    let schema = schemas.get(name)?;
    if let Some(variants) = schemas.closed_variants(schema) {
        let first = &variants[0];
        let inner = shortest(schemas, first, depth + 1)?;
        let arguments = inner
            .strip_prefix(&format!("{first}::new"))
            .unwrap_or(&inner);
        return Ok(format!(
            "{name}::{}{arguments}",
            variant_method(name, first)
        ));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let first = values
            .first()
            .and_then(Value::as_str)
            .ok_or_else(|| format!("/components/schemas/{name}: an empty enum"))?;
        return Ok(format!("{name}::{}", first.to_upper_camel_case()));
    }
    let required = required_properties(schema);
    if required.is_empty() && !schemas.is_closed_object(schema) {
        return Ok(format!("{name}::default()"));
    }
    let mut arguments = Vec::new();
    for property in &required {
        let property_schema = schema
            .pointer(&format!("/properties/{property}"))
            .ok_or_else(|| format!("/components/schemas/{name}: no property {property}"))?;
        let value = match property_schema.get("items").unwrap_or(property_schema) {
            item if ref_name(item).is_some() => {
                shortest(schemas, ref_name(item).unwrap_or_default(), depth + 1)?
            }
            item => example_value(property, item)?,
        };
        // A list that may be empty is passed whole; one with `minItems: 1`
        // by its first item.
        let is_whole_list = property_schema.get("items").is_some()
            && property_schema
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(0)
                == 0;
        arguments.push(if is_whole_list {
            format!("[{value}]")
        } else {
            value
        });
    }
    Ok(format!("{name}::new({})", arguments.join(", ")))
}

fn example_value(property: &str, schema: &Value) -> Result<String, String> {
    if let Some(example) = schema.get("example") {
        return Ok(match example {
            Value::String(text) => format!("{text:?}"),
            other => other.to_string(),
        });
    }
    Ok(
        match (
            schema.get("type").and_then(Value::as_str),
            schema.get("format").and_then(Value::as_str),
        ) {
            (Some("string"), Some("email")) => "\"someone@example.com\"".into(),
            (Some("string"), Some("date-time")) => {
                "\"2024-01-01T00:00:00Z\".parse::<Timestamp>().unwrap()".into()
            }
            (Some("string"), _) => format!("\"{property}\""),
            (Some("integer"), _) => "1".into(),
            (Some("boolean"), _) => "true".into(),
            (other, _) => return Err(format!("{property}: no example value for type {other:?}")),
        },
    )
}
