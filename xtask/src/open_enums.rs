//! Open enums: response strings the service may extend.
//!
//! A component schema `{type: string, x-extensible-enum: [..]}` becomes an
//! enum with a variant per listed value and `Other(String)` for any value
//! this version does not know, so a new value reads instead of failing and
//! known values compare without string literals. typify would make a plain
//! `String` newtype of such a schema; the models' settings replace it with
//! this type (see `models.rs`).

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

/// The extension that lists an open enum's known values.
pub const EXTENSION: &str = "x-extensible-enum";

/// An open enum of the spec: its schema name, description and known values.
pub struct OpenEnum {
    pub name: String,
    pub description: String,
    pub values: Vec<String>,
}

/// Every open enum among the component schemas, in name order.
pub fn open_enums(component_schemas: &Map<String, Value>) -> Result<Vec<OpenEnum>, String> {
    let mut found = Vec::new();
    for (name, schema) in component_schemas {
        let Some(values) = schema.get(EXTENSION) else {
            continue;
        };
        if schema.get("type").and_then(Value::as_str) != Some("string") {
            return Err(format!(
                "/components/schemas/{name}: {EXTENSION} is for `type: string` schemas"
            ));
        }
        let values = values
            .as_array()
            .and_then(|values| values.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
            .ok_or_else(|| {
                format!("/components/schemas/{name}/{EXTENSION}: must be a list of strings")
            })?;
        found.push(OpenEnum {
            name: name.clone(),
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            values: values.into_iter().map(str::to_string).collect(),
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The Rust source of every open enum.
pub fn generate(enums: &[OpenEnum]) -> Result<TokenStream, String> {
    let items = enums
        .iter()
        .map(generate_one)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(quote! { #(#items)* })
}

fn generate_one(open: &OpenEnum) -> Result<TokenStream, String> {
    let name = format_ident!("{}", zendesk_spec::rust_names::type_name(&open.name));
    let variants: Vec<_> = open
        .values
        .iter()
        .map(|value| {
            let variant = value.to_upper_camel_case();
            if variant.is_empty() || variant == "Other" || !variant.starts_with(char::is_alphabetic)
            {
                return Err(format!(
                    "/components/schemas/{}: the value {value:?} makes no Rust variant name",
                    open.name
                ));
            }
            Ok(format_ident!("{}", variant))
        })
        .collect::<Result<_, String>>()?;
    let values = &open.values;
    let value_docs = values.iter().map(|value| format!("`{value}`"));
    let description = &open.description;
    let name_text = &open.name;
    let first_variant = &variants[0];
    let first_value = &values[0];
    let example = format!(
        "```\nuse zendesk_models::{name};\n\nlet known: {name} = serde_json::from_str(\"\\\"{first_value}\\\"\").unwrap();\nassert_eq!(known, {name}::{first_variant});\nlet new: {name} = serde_json::from_str(\"\\\"added_later\\\"\").unwrap();\nassert_eq!(new.as_str(), \"added_later\");\nassert!(!new.is_known());\n```"
    );
    Ok(quote! {
        #[doc = #description]
        ///
        /// Known values have a variant; any other value the service sends
        /// reads as [`Self::Other`] with its text, so a value added later never
        /// fails a response. Values compare, hash and order by their text.
        ///
        #[doc = #example]
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #value_docs] #variants,)*
            /// A value this version of the spec does not list.
            Other(::std::string::String),
        }

        impl #name {
            /// Every value the spec lists.
            pub const KNOWN: &'static [&'static str] = &[#(#values),*];

            /// The value as the service writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Other(value) => value.as_str(),
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Other(_) => Self::Other(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for #name {}

        impl ::std::hash::Hash for #name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self.as_str(), state)
            }
        }

        impl ::std::cmp::PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl ::std::cmp::Ord for #name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::string::String::deserialize(deserializer).map(Self::from)
            }
        }

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::string::String {
                #name_text.to_string()
            }
            fn json_schema(generator: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                ::std::string::String::json_schema(generator)
            }
        }
    })
}
