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

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use crate::models::{Models, Shape};

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
    Map(TokenStream),
}

struct Schemas<'a> {
    all: &'a Map<String, Value>,
    models: &'a Models,
    /// What could not be given a typed construction, for people.
    notes: std::cell::RefCell<Vec<String>>,
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

    /// The Rust type of a schema's name, as typify made it.
    fn rust(&self, name: &str) -> Result<proc_macro2::Ident, String> {
        let rust = self
            .models
            .type_name(name)
            .ok_or_else(|| format!("no component schema {name}"))?;
        Ok(format_ident!("{}", rust))
    }

    /// How `property` of schema `schema` is constructed: from the field
    /// typify made of it; `None` (with a note) when it has no field.
    fn kind(&self, schema: &str, property: &str, property_schema: &Value) -> Option<(Kind, bool)> {
        let Some(field) = self.models.field(schema, property) else {
            self.note(format!(
                "/components/schemas/{schema}/properties/{property}: typify made no field of it; no typed construction"
            ));
            return None;
        };
        Some((kind_of(&field.shape, property_schema), field.optional))
    }

    fn note(&self, note: String) {
        self.notes.borrow_mut().push(note);
    }
}

fn kind_of(shape: &Shape, property_schema: &Value) -> Kind {
    match shape {
        Shape::Integer => Kind::Integer,
        Shape::Boolean => Kind::Boolean,
        Shape::Text => Kind::Into(quote!(::std::string::String)),
        Shape::StringMap(ty) => Kind::Map(ty.clone()),
        Shape::Other(ty) => Kind::Into(ty.clone()),
        Shape::List(item) => {
            let items = property_schema.get("items").unwrap_or(&Value::Null);
            let min_items = property_schema
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(0) as usize;
            Kind::List(Box::new(kind_of(item, items)), min_items)
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
        Kind::Map(ty) => (
            quote!(impl ::std::convert::Into<#ty>),
            quote!(#value.into()),
        ),
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
    format_ident!("{}", zendesk_spec::rust_names::field_name(property))
}

/// The Rust source of every constructor, and what could not be typed.
pub fn generate(
    component_schemas: &Map<String, Value>,
    models: &Models,
) -> Result<(TokenStream, Vec<String>), String> {
    let schemas = Schemas {
        all: component_schemas,
        models,
        notes: Default::default(),
    };
    // Objects first: a `oneOf`'s constructors call its variants' `new`.
    let mut objects = BTreeMap::new();
    for (name, schema) in component_schemas {
        if schemas.is_closed_object(schema) || schemas.is_open_object_with_required(schema) {
            objects.insert(name.as_str(), object_constructors(&schemas, name, schema)?);
        }
    }
    let has_new = |name: &str| objects.get(name).is_some_and(|tokens| !tokens.is_empty());
    let mut items = Vec::new();
    for (name, schema) in component_schemas {
        if let Some(constructors) = objects.get(name.as_str()) {
            items.push(constructors.clone());
            if has_new(name) {
                items.push(wrapper_conversions(&schemas, name, schema, &has_new)?);
            }
        } else if let Some(variants) = schemas.closed_variants(schema) {
            if variants.iter().all(|v| has_new(v)) {
                items.push(variant_constructors(&schemas, name, &variants)?);
            } else {
                schemas.note(format!(
                    "/components/schemas/{name}: no variant constructors, for a variant without `new`"
                ));
            }
        }
    }
    let tokens = quote! {
        #[allow(unused_imports)]
        use crate::*;

        #(#items)*
    };
    Ok((tokens, schemas.notes.into_inner()))
}

fn object_constructors(
    schemas: &Schemas,
    name: &str,
    schema: &Value,
) -> Result<TokenStream, String> {
    let at = format!("/components/schemas/{name}");
    let ident = schemas.rust(name)?;
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
        let Some((kind, optional)) = schemas.kind(name, property, property_schema) else {
            if position.is_some() {
                schemas.note(format!("{at}: no `new`, for want of a typed required property"));
                return Ok(quote!());
            }
            fields.push(quote!(#field: ::std::default::Default::default()));
            continue;
        };
        if let Some(position) = position {
            if optional {
                schemas.note(format!(
                    "{at}/properties/{property}: no `new` for a required nullable property"
                ));
                return Ok(quote!());
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
        setters.extend(property_setters(property, &kind, position.is_some(), optional));
    }
    if required.iter().any(|r| !properties.contains_key(*r)) {
        schemas.note(format!(
            "{at}: no `new`, for a required property that is not among its properties"
        ));
        return Ok(quote!());
    }
    let argument_docs = argument_docs.concat();

    // A schema whose shortest value cannot be written gets no example.
    let example = match shortest(schemas, name, 0) {
        Ok(shortest) => format!(
            "The shortest valid `{name}`:\n\n```\nuse zendesk_models::*;\n\nlet value = {shortest};\nlet json = serde_json::to_value(&value).unwrap();\nassert!(zendesk_validate::schema(\"{name}\").unwrap().is_valid(&json), \"{{json}}\");\nassert_eq!(serde_json::from_value::<{ident}>(json).unwrap(), value);\n```"
        ),
        Err(why) => {
            schemas.note(format!("{at}: `new` has no example: {why}"));
            String::new()
        }
    };
    let new_doc = if argument_docs.is_empty() {
        format!("A `{name}` with every optional property unset.")
    } else {
        format!("A `{name}` from its required properties; set the others with the chained methods.\n\n{argument_docs}")
    };
    let example = (!example.is_empty()).then(|| quote! {
        ///
        #[doc = #example]
    });
    Ok(quote! {
        impl #ident {
            #[doc = #new_doc]
            #example
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

/// The chained setters of one property; `optional` when its field is an
/// `Option`.
fn property_setters(
    property: &str,
    kind: &Kind,
    is_required: bool,
    optional: bool,
) -> Vec<TokenStream> {
    let field = rust_field(property);
    let mut setters = Vec::new();
    match kind {
        Kind::List(item, _) => {
            // The list itself, or the one an unset `Option` starts.
            let list = if optional {
                quote!(self.#field.get_or_insert_with(::std::vec::Vec::new))
            } else {
                quote!(self.#field)
            };
            let (item_ty, store_one) = parameter(item, &quote!(item));
            let add = singular(property).unwrap_or_else(|| rust_field(property).to_string());
            let add_ident = format_ident!("{}", add);
            let add_doc = format!("Adds one item to `{property}`.");
            setters.push(quote! {
                #[doc = #add_doc]
                pub fn #add_ident(mut self, item: #item_ty) -> Self {
                    #list.push(#store_one);
                    self
                }
            });
            if field != add {
                let doc = format!("Adds every item to `{property}`.");
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #field(mut self, items: impl ::std::iter::IntoIterator<Item = #item_ty>) -> Self {
                        #list.extend(items.into_iter().map(|item| #store_one));
                        self
                    }
                });
            }
        }
        Kind::Map(map) if !is_required => {
            let map_entries = if optional {
                quote!(self.#field.get_or_insert_with(|| #map::from(::std::collections::BTreeMap::new())))
            } else {
                quote!(self.#field)
            };
            if let Some(one) = singular(property) {
                let one_ident = format_ident!("{}", one);
                let doc = format!("Sets one entry of `{property}`.");
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #one_ident(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                        #map_entries
                            .0
                            .insert(key.into(), value.into());
                        self
                    }
                });
            }
            let doc = format!("Sets `{property}`.");
            let store = if optional {
                quote!(::std::option::Option::Some(value.into()))
            } else {
                quote!(value.into())
            };
            setters.push(quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: impl ::std::convert::Into<#map>) -> Self {
                    self.#field = #store;
                    self
                }
            });
        }
        _ if !is_required => {
            let (ty, store) = parameter(kind, &quote!(value));
            let store = if optional {
                quote!(::std::option::Option::Some(#store))
            } else {
                store
            };
            let doc = format!("Sets `{property}`.");
            setters.push(quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: #ty) -> Self {
                    self.#field = #store;
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
    has_new: &dyn Fn(&str) -> bool,
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
    let ident = schemas.rust(name)?;
    let mut sources = vec![wrapped.to_string()];
    if let Some(variants) = schemas.closed_variants(schemas.get(wrapped)?) {
        sources.extend(variants.into_iter().filter(|v| has_new(v)));
    }
    let impls = sources.iter().map(|source| {
        let source_ident = schemas.rust(source)?;
        let doc = format!("A `{name}` whose `{only}` is the given `{source}`.");
        Ok::<_, String>(quote! {
            impl ::std::convert::From<#source_ident> for #ident {
                #[doc = #doc]
                fn from(value: #source_ident) -> Self {
                    Self::new(value)
                }
            }
        })
    });
    let impls = impls.collect::<Result<Vec<_>, _>>()?;
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
    let ident = schemas.rust(name)?;
    let mut seen = BTreeMap::new();
    let mut methods = Vec::new();
    for variant in variants {
        let method = variant_method(name, variant);
        if method.is_empty() || seen.insert(method.clone(), variant).is_some() {
            schemas.note(format!(
                "/components/schemas/{name}: no constructors, for the variant {variant} has no name of its own"
            ));
            return Ok(quote!());
        }
        let variant_schema = schemas.get(variant)?;
        let required = required_properties(variant_schema);
        let mut arguments = Vec::new();
        let mut names = Vec::new();
        for property in &required {
            let property_schema = variant_schema
                .pointer(&format!("/properties/{property}"))
                .ok_or_else(|| format!("/components/schemas/{variant}: no property {property}"))?;
            let Some((kind, _)) = schemas.kind(variant, property, property_schema) else {
                return Ok(quote!());
            };
            let argument = format_ident!("{}", singular_argument(property, &kind));
            let (ty, _) = match &kind {
                Kind::List(item, min) if *min >= 1 => parameter(item, &quote!(#argument)),
                _ => parameter(&kind, &quote!(#argument)),
            };
            arguments.push(quote!(#argument: #ty));
            names.push(argument);
        }
        let method_ident = format_ident!("{}", method);
        let variant_ident = schemas.rust(variant)?;
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
    let rust = schemas.rust(name)?;
    if let Some(variants) = schemas.closed_variants(schema) {
        let first = &variants[0];
        let inner = shortest(schemas, first, depth + 1)?;
        let arguments = inner
            .strip_prefix(&format!("{}::new", schemas.rust(first)?))
            .unwrap_or(&inner);
        return Ok(format!(
            "{rust}::{}{arguments}",
            variant_method(name, first)
        ));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let first = values
            .first()
            .and_then(Value::as_str)
            .ok_or_else(|| format!("/components/schemas/{name}: an enum whose first value is not a string"))?;
        return Ok(format!(
            "{rust}::{}",
            zendesk_spec::rust_names::type_name(first)
        ));
    }
    let required = required_properties(schema);
    if required.is_empty() && !schemas.is_closed_object(schema) {
        return Ok(format!("{rust}::default()"));
    }
    let mut arguments = Vec::new();
    for property in &required {
        let property_schema = schema
            .pointer(&format!("/properties/{property}"))
            .ok_or_else(|| format!("/components/schemas/{name}: no property {property}"))?;
        let field = schemas
            .models
            .field(name, property)
            .ok_or_else(|| format!("{property}: no field"))?;
        let item_shape = match &field.shape {
            Shape::List(item) => item.as_ref(),
            other => other,
        };
        let value = match property_schema.get("items").unwrap_or(property_schema) {
            item if ref_name(item).is_some() => {
                shortest(schemas, ref_name(item).unwrap_or_default(), depth + 1)?
            }
            item => example_value(property, item, item_shape)?,
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
    Ok(format!("{rust}::new({})", arguments.join(", ")))
}

/// A literal for a property of a plain type (`shape` is its Rust type).
fn example_value(property: &str, schema: &Value, shape: &Shape) -> Result<String, String> {
    let plain = match shape {
        Shape::Integer | Shape::Boolean | Shape::Text => true,
        Shape::Other(ty) => ty.to_string().replace(' ', "") == "crate::Timestamp",
        Shape::List(_) | Shape::StringMap(_) => false,
    };
    if !plain {
        return Err(format!("{property}: no literal for a value of its Rust type"));
    }
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
