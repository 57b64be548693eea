//! The Rust names the generators give what the document names: a schema
//! `EmailCCObject` is the type `EmailCcObject`, `ticket_object` is
//! `TicketObject`, a property `type` is the field `type_`.
//!
//! These follow typify's own rule (heck's case conversion of the name with
//! every character that cannot continue an identifier made a word break, an
//! `X` in front of a name that cannot start one, `_` after a keyword), so
//! that hand-written generators name the types typify made. The models'
//! generator checks each name against typify's output, so a typify that
//! named differently would fail generation, not the build.

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// The Rust type typify makes of the component schema `schema_name`.
pub fn type_name(schema_name: &str) -> String {
    sanitize(schema_name, |s| s.to_pascal_case(), "X")
}

/// The Rust type of every schema name, by schema name; an error when two
/// schemas would make one type (`ticket_object` and `TicketObject`).
pub fn type_names<'a>(
    schema_names: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>, String> {
    let mut by_type: BTreeMap<String, &str> = BTreeMap::new();
    let mut names = BTreeMap::new();
    for schema in schema_names {
        let rust = type_name(schema);
        if let Some(other) = by_type.insert(rust.clone(), schema) {
            return Err(format!(
                "the schemas `{other}` and `{schema}` would both be the Rust type `{rust}`; rename one"
            ));
        }
        names.insert(schema.to_string(), rust);
    }
    Ok(names)
}

/// The Rust field typify makes of the object property `property`.
pub fn field_name(property: &str) -> String {
    sanitize(property, |s| s.to_snake_case(), "x")
}

fn sanitize(input: &str, case: fn(&str) -> String, prefix: &str) -> String {
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => prefix.to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// Rust's keywords (and `gen`, reserved since edition 2024), which cannot
/// name a type or field as they are.
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_become_the_types_typify_makes() {
        assert_eq!(type_name("SideConversation"), "SideConversation");
        assert_eq!(type_name("EmailCCObject"), "EmailCcObject");
        assert_eq!(type_name("HTTPError"), "HttpError");
        assert_eq!(type_name("ticket_object"), "TicketObject");
        assert_eq!(type_name("Ticket-Field"), "TicketField");
        assert_eq!(type_name("Ticket.Field"), "TicketField");
        assert_eq!(type_name("2FA"), "X2fa");
        assert_eq!(type_name("Self"), "Self_");
    }

    #[test]
    fn properties_become_the_fields_typify_makes() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("ticket_id"), "ticket_id");
        assert_eq!(field_name("page[size]"), "page_size");
        assert_eq!(field_name("@timestamp"), "timestamp");
        assert_eq!(field_name("+1"), "plus1");
    }
}
