//! From the `jsonschema` crate's errors to violations a person understands.
//!
//! A failed `oneOf` says little ("not valid under any of the schemas"); its
//! branches say what is wrong. The branch the payload most nearly matches
//! (fewest errors, then deepest) is reported instead, recursively. A side
//! conversation message gets a sharper reading: its participants' property
//! names (taken from the schema) say which side conversation type each one
//! is, so a message mixing types is reported as such, and a message of one
//! type is explained by that type's rules.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use serde_json::Value;

use crate::schemas::{bundle, Violation};

/// The schema whose `oneOf` lists one message variant per side conversation type.
const MESSAGE_SCHEMA: &str = "MessageRequest";

pub(crate) fn violations<'a>(
    errors: impl Iterator<Item = ValidationError<'a>>,
    payload: &Value,
) -> Vec<Violation> {
    let mut out = Vec::new();
    for error in errors {
        explain(&error, payload, &mut out);
    }
    let mut seen = BTreeSet::new();
    out.retain(|v| seen.insert((v.pointer.clone(), v.message.clone())));
    out
}

fn explain(error: &ValidationError<'_>, payload: &Value, out: &mut Vec<Violation>) {
    let context = match error.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context
        }
        _ => return out.push(plain(error)),
    };
    let location = schema_location(error);
    if location.ends_with(&format!("/definitions/{MESSAGE_SCHEMA}/oneOf")) {
        let pointer = error.instance_path().as_str();
        match read_message(payload.pointer(pointer), pointer) {
            MessageReading::Mixed(message) => {
                return out.push(Violation {
                    pointer: pointer.to_string(),
                    schema_location: location,
                    message,
                })
            }
            MessageReading::OfType(variant) => {
                if let Some(branch) = context.get(variant) {
                    return branch.iter().for_each(|e| explain(e, payload, out));
                }
            }
            MessageReading::Untyped => {}
        }
    }
    let best = context
        .iter()
        .filter(|branch| !branch.is_empty())
        .min_by_key(|branch| (branch.len(), Reverse(deepest(branch))));
    match best {
        Some(branch) => branch.iter().for_each(|e| explain(e, payload, out)),
        None => out.push(plain(error)),
    }
}

fn plain(error: &ValidationError<'_>) -> Violation {
    Violation {
        pointer: error.instance_path().as_str().to_string(),
        schema_location: schema_location(error),
        message: error.to_string(),
    }
}

/// `#/definitions/...`: where the rule stands in the bundle.
fn schema_location(error: &ValidationError<'_>) -> String {
    match error.absolute_keyword_location() {
        Some(uri) => match uri.as_str().split_once('#') {
            Some((_, fragment)) => format!("#{fragment}"),
            None => "#".to_string(),
        },
        None => format!("#{}", error.schema_path().as_str()),
    }
}

fn deepest(errors: &[ValidationError<'_>]) -> usize {
    errors
        .iter()
        .map(|e| e.instance_path().as_str().matches('/').count())
        .max()
        .unwrap_or(0)
}

enum MessageReading {
    /// Participants of more than one type; the message says which, where.
    Mixed(String),
    /// Every typed participant is of the type of this `oneOf` variant.
    OfType(usize),
    /// No participant says its type.
    Untyped,
}

/// One side conversation type, read from a message variant of the schema.
struct ParticipantType {
    label: String,
    properties: BTreeSet<String>,
}

/// The participant types, in the order of the message schema's `oneOf`.
fn participant_types() -> &'static [ParticipantType] {
    static TYPES: std::sync::OnceLock<Vec<ParticipantType>> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        let definitions = &bundle()["definitions"];
        let variants = definitions[MESSAGE_SCHEMA]["oneOf"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        variants
            .iter()
            .map(|variant| {
                let variant = resolve(variant);
                let participant = variant["properties"]["to"]["items"]["$ref"]
                    .as_str()
                    .and_then(|r| r.rsplit('/').next())
                    .unwrap_or_default();
                ParticipantType {
                    label: participant_label(participant),
                    properties: property_names(&definitions[participant]),
                }
            })
            .collect()
    })
}

fn participant_label(schema_name: &str) -> String {
    match schema_name {
        "EmailParticipant" => "an email participant".into(),
        "SlackParticipant" => "a Slack participant".into(),
        "ChildTicketParticipant" => "a child ticket participant".into(),
        "MsTeamsParticipant" => "a Microsoft Teams participant".into(),
        other => format!("a participant of schema {other}"),
    }
}

fn resolve(schema: &Value) -> &Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => bundle().pointer(pointer).map(resolve).unwrap_or(schema),
        None => schema,
    }
}

/// The property names a schema (or any branch of its `oneOf`) declares.
fn property_names(schema: &Value) -> BTreeSet<String> {
    let schema = resolve(schema);
    let mut names: BTreeSet<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for branch in schema["oneOf"].as_array().into_iter().flatten() {
        names.extend(property_names(branch));
    }
    names
}

fn read_message(message: Option<&Value>, pointer: &str) -> MessageReading {
    let Some(message) = message else {
        return MessageReading::Untyped;
    };
    let types = participant_types();
    let mut participants: Vec<(String, &Value)> = message["to"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| (format!("{pointer}/to/{i}"), p))
        .collect();
    if let Some(from) = message.get("from") {
        participants.push((format!("{pointer}/from"), from));
    }
    // For each type, where its first participant is.
    let mut seen: Vec<(usize, String)> = Vec::new();
    for (at, participant) in &participants {
        let keys: BTreeSet<String> = participant
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        let matching: Vec<usize> = (0..types.len())
            .filter(|&t| !types[t].properties.is_disjoint(&keys))
            .collect();
        if matching.len() > 1 {
            let labels: Vec<&str> = matching.iter().map(|&t| types[t].label.as_str()).collect();
            return MessageReading::Mixed(format!(
                "the participant at {at} mixes properties of {}",
                labels.join(" and ")
            ));
        }
        if let Some(&t) = matching.first() {
            if !seen.iter().any(|(s, _)| *s == t) {
                seen.push((t, at.clone()));
            }
        }
    }
    match seen.as_slice() {
        [] => MessageReading::Untyped,
        [(t, _)] => MessageReading::OfType(*t),
        [(first, first_at), rest @ ..] => {
            let others: Vec<String> = rest
                .iter()
                .map(|(t, at)| format!("{} ({at})", types[*t].label))
                .collect();
            MessageReading::Mixed(format!(
                "participants of one message mix {} ({first_at}) with {}; a side conversation has participants of one type",
                types[*first].label,
                others.join(" and ")
            ))
        }
    }
}
