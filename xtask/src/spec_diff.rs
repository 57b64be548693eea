//! What changed between two versions of the spec, classified for a user of
//! the generated crates and for the wire (`cargo xtask diff`).
//!
//! The rules follow oasdiff's for the wire (a removed operation, parameter or
//! property, a type or format change, a new required request field, a
//! response that may now be null or absent, a removed enum value), and add
//! what only this workspace knows about its Rust API:
//! - a required flag flipped either way changes a generated type (`T` and
//!   `Option<T>` in responses, a constructor's arguments in requests);
//! - a value added to a closed response enum fails old builds' reads, while a
//!   value added to an `x-extensible-enum` reads as `Other` there;
//! - a renamed operationId renames the client's method.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

/// How a change affects users of the API and of the generated crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Code or payloads that worked before may fail now.
    Breaking,
    /// Something was added; whatever worked still works.
    NonBreaking,
    /// Descriptions, summaries, examples: nothing a program sees.
    Documentation,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::NonBreaking => "non-breaking",
            Class::Documentation => "documentation",
        }
    }
}

/// One change. `pointer` is where it is in the working spec, or where it was
/// in the base spec when it was removed (`removed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    pub pointer: String,
    pub removed: bool,
    pub message: String,
}

/// Which side of the wire a schema travels on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sides {
    request: bool,
    response: bool,
}

impl Sides {
    const REQUEST: Sides = Sides {
        request: true,
        response: false,
    };
    const RESPONSE: Sides = Sides {
        request: false,
        response: true,
    };

    /// The stricter of the classes a change has on each side it travels on.
    fn pick(self, on_request: Class, on_response: Class) -> Class {
        match (self.request, self.response) {
            (true, false) => on_request,
            (false, true) => on_response,
            _ => on_request.min(on_response),
        }
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Every change from `base` to `working`, breaking first, then by place.
pub fn diff(base: &Value, working: &Value) -> Vec<Change> {
    let mut differ = Differ {
        base,
        working,
        sides: schema_sides(base, working),
        changes: Vec::new(),
    };
    differ.operations();
    differ.component_schemas();
    let mut changes = differ.changes;
    changes.sort_by(|a, b| (a.class, &a.pointer).cmp(&(b.class, &b.pointer)));
    changes.dedup();
    changes
}

struct Differ<'a> {
    base: &'a Value,
    working: &'a Value,
    /// Component schema name -> the sides it travels on, in either version.
    sides: BTreeMap<String, Sides>,
    changes: Vec<Change>,
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn ref_name(schema: &Value) -> Option<&str> {
    text(schema, "$ref")?.strip_prefix(SCHEMA_PREFIX)
}

/// The target of a local `$ref`, or the value itself.
fn resolve<'v>(document: &'v Value, value: &'v Value) -> &'v Value {
    match text(value, "$ref").and_then(|r| r.strip_prefix('#')) {
        Some(pointer) if !pointer.starts_with("/components/schemas/") => {
            document.pointer(pointer).unwrap_or(value)
        }
        _ => value,
    }
}

/// The strings of the list at `key`, as a set (`required`, `x-allowed-for`).
fn string_set(value: &Value, key: &str) -> BTreeSet<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn snake(operation_id: &str) -> String {
    heck::ToSnakeCase::to_snake_case(operation_id)
}

impl Differ<'_> {
    fn push(&mut self, class: Class, pointer: &str, message: String) {
        self.changes.push(Change {
            class,
            pointer: pointer.to_string(),
            removed: false,
            message,
        });
    }

    fn push_removed(&mut self, class: Class, pointer: &str, message: String) {
        self.changes.push(Change {
            class,
            pointer: pointer.to_string(),
            removed: true,
            message,
        });
    }

    fn documentation(&mut self, base: &Value, working: &Value, pointer: &str, what: &str) {
        for key in ["summary", "description", "example", "examples", "title"] {
            if base.get(key) != working.get(key) {
                self.push(
                    Class::Documentation,
                    &format!("{pointer}/{key}"),
                    format!("{what}: `{key}` changed"),
                );
            }
        }
    }

    // ---- operations --------------------------------------------------------

    fn operations(&mut self) {
        let (base, working) = (self.base, self.working);
        let empty = Map::new();
        let base_paths = base["paths"].as_object().unwrap_or(&empty);
        let working_paths = working["paths"].as_object().unwrap_or(&empty);
        let paths: BTreeSet<&String> = base_paths.keys().chain(working_paths.keys()).collect();
        for path in paths {
            for method in METHODS {
                let pointer = format!("/paths/{}/{method}", escape(path));
                let old = base_paths.get(path).and_then(|p| p.get(method));
                let new = working_paths.get(path).and_then(|p| p.get(method));
                let verb = method.to_uppercase();
                match (old, new) {
                    (Some(old), None) => {
                        let id = text(old, "operationId").unwrap_or("?");
                        self.push_removed(
                            Class::Breaking,
                            &pointer,
                            format!(
                                "operation {id} ({verb} {path}) removed: the client's `{}` is gone",
                                snake(id)
                            ),
                        );
                    }
                    (None, Some(new)) => {
                        let id = text(new, "operationId").unwrap_or("?");
                        self.push(
                            Class::NonBreaking,
                            &pointer,
                            format!(
                                "operation {id} ({verb} {path}) added: the client gains `{}`",
                                snake(id)
                            ),
                        );
                    }
                    (Some(old), Some(new)) => {
                        let old_item = &base_paths[path];
                        let new_item = &working_paths[path];
                        self.operation(&pointer, (old_item, old), (new_item, new));
                    }
                    (None, None) => {}
                }
            }
        }
    }

    fn operation(&mut self, pointer: &str, old: (&Value, &Value), new: (&Value, &Value)) {
        let id = text(new.1, "operationId").unwrap_or("?").to_string();
        let old_id = text(old.1, "operationId").unwrap_or("?");
        if old_id != id {
            self.push(
                Class::Breaking,
                &format!("{pointer}/operationId"),
                format!(
                    "operation {old_id} renamed {id}: the client's `{}` becomes `{}`",
                    snake(old_id),
                    snake(&id)
                ),
            );
        }
        self.documentation(old.1, new.1, pointer, &format!("operation {id}"));
        self.allowed_for(pointer, &id, old.1, new.1);
        self.parameters(pointer, &id, old, new);
        self.request_body(pointer, &id, old.1, new.1);
        self.responses(pointer, &id, old.1, new.1);
    }

    fn allowed_for(&mut self, pointer: &str, id: &str, old: &Value, new: &Value) {
        let (old_roles, new_roles) = (
            string_set(old, "x-allowed-for"),
            string_set(new, "x-allowed-for"),
        );
        let pointer = format!("{pointer}/x-allowed-for");
        for role in old_roles.difference(&new_roles) {
            self.push(
                Class::Breaking,
                &pointer,
                format!("operation {id}: no longer allowed for {role}"),
            );
        }
        for role in new_roles.difference(&old_roles) {
            self.push(
                Class::NonBreaking,
                &pointer,
                format!("operation {id}: now also allowed for {role}"),
            );
        }
    }

    /// The operation's parameters with the path item's, by (`in`, name).
    fn parameter_map<'v>(
        document: &'v Value,
        path_item: &'v Value,
        operation: &'v Value,
        operation_pointer: &str,
    ) -> BTreeMap<(String, String), (&'v Value, String)> {
        let mut map = BTreeMap::new();
        let item_pointer = operation_pointer
            .rsplit_once('/')
            .map_or("", |(item, _)| item)
            .to_string();
        for (owner, owner_pointer) in [
            (path_item, item_pointer),
            (operation, operation_pointer.to_string()),
        ] {
            for (index, parameter) in owner
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let parameter = resolve(document, parameter);
                let key = (
                    text(parameter, "in").unwrap_or("").to_string(),
                    text(parameter, "name").unwrap_or("").to_string(),
                );
                map.insert(
                    key,
                    (parameter, format!("{owner_pointer}/parameters/{index}")),
                );
            }
        }
        map
    }

    fn parameters(
        &mut self,
        pointer: &str,
        id: &str,
        old: (&Value, &Value),
        new: (&Value, &Value),
    ) {
        let old_parameters = Self::parameter_map(self.base, old.0, old.1, pointer);
        let new_parameters = Self::parameter_map(self.working, new.0, new.1, pointer);
        let keys: BTreeSet<&(String, String)> =
            old_parameters.keys().chain(new_parameters.keys()).collect();
        for key in keys {
            let (place, name) = key;
            let what = format!("operation {id}: {place} parameter `{name}`");
            let required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
            match (old_parameters.get(key), new_parameters.get(key)) {
                (Some((_, at)), None) => {
                    self.push_removed(Class::Breaking, at, format!("{what} removed"));
                }
                (None, Some((parameter, at))) => {
                    if required(parameter) {
                        self.push(Class::Breaking, at, format!("{what} added, required"));
                    } else {
                        self.push(Class::NonBreaking, at, format!("{what} added, optional"));
                    }
                }
                (Some((old, _)), Some((new, at))) => {
                    match (required(old), required(new)) {
                        (false, true) => {
                            self.push(Class::Breaking, at, format!("{what} is now required"))
                        }
                        (true, false) => {
                            self.push(Class::NonBreaking, at, format!("{what} is now optional"))
                        }
                        _ => {}
                    }
                    self.documentation(old, new, at, &what);
                    let (old_schema, new_schema) = (&old["schema"], &new["schema"]);
                    self.schema(
                        old_schema,
                        new_schema,
                        &format!("{at}/schema"),
                        &what,
                        Sides::REQUEST,
                    );
                }
                (None, None) => {}
            }
        }
    }

    fn request_body(&mut self, pointer: &str, id: &str, old: &Value, new: &Value) {
        let pointer = format!("{pointer}/requestBody");
        let (old, new) = (
            old.get("requestBody").map(|b| resolve(self.base, b)),
            new.get("requestBody").map(|b| resolve(self.working, b)),
        );
        let what = format!("operation {id}: the request body");
        match (old, new) {
            (Some(_), None) => {
                self.push_removed(Class::Breaking, &pointer, format!("{what} removed"))
            }
            (None, Some(body)) => {
                let class = if body.get("required") == Some(&Value::Bool(true)) {
                    Class::Breaking
                } else {
                    Class::NonBreaking
                };
                self.push(class, &pointer, format!("{what} added"));
            }
            (Some(old), Some(new)) => {
                if old.get("required") != new.get("required")
                    && new.get("required") == Some(&Value::Bool(true))
                {
                    self.push(Class::Breaking, &pointer, format!("{what} is now required"));
                }
                self.documentation(old, new, &pointer, &what);
                self.content(&pointer, &what, old, new, Sides::REQUEST, true);
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, pointer: &str, id: &str, old: &Value, new: &Value) {
        let empty = Map::new();
        let old_responses = old["responses"].as_object().unwrap_or(&empty);
        let new_responses = new["responses"].as_object().unwrap_or(&empty);
        let statuses: BTreeSet<&String> =
            old_responses.keys().chain(new_responses.keys()).collect();
        for status in statuses {
            let at = format!("{pointer}/responses/{}", escape(status));
            let what = format!("operation {id}: the {status} response");
            let is_success = status.starts_with('2');
            match (old_responses.get(status), new_responses.get(status)) {
                (Some(_), None) => {
                    let class = if is_success {
                        Class::Breaking
                    } else {
                        Class::NonBreaking
                    };
                    self.push_removed(class, &at, format!("{what} removed"));
                }
                (None, Some(_)) => self.push(Class::NonBreaking, &at, format!("{what} added")),
                (Some(old), Some(new)) => {
                    let (old, new) = (resolve(self.base, old), resolve(self.working, new));
                    self.documentation(old, new, &at, &what);
                    self.content(&at, &what, old, new, Sides::RESPONSE, is_success);
                }
                (None, None) => {}
            }
        }
    }

    /// The media types of a body and their schemas.
    fn content(
        &mut self,
        pointer: &str,
        what: &str,
        old: &Value,
        new: &Value,
        sides: Sides,
        removal_breaks: bool,
    ) {
        let empty = Map::new();
        let old_content = old["content"].as_object().unwrap_or(&empty);
        let new_content = new["content"].as_object().unwrap_or(&empty);
        let types: BTreeSet<&String> = old_content.keys().chain(new_content.keys()).collect();
        for media_type in types {
            let at = format!("{pointer}/content/{}", escape(media_type));
            match (old_content.get(media_type), new_content.get(media_type)) {
                (Some(_), None) => {
                    let class = if removal_breaks {
                        Class::Breaking
                    } else {
                        Class::NonBreaking
                    };
                    self.push_removed(
                        class,
                        &at,
                        format!("{what}: media type {media_type} removed"),
                    );
                }
                (None, Some(_)) => self.push(
                    Class::NonBreaking,
                    &at,
                    format!("{what}: media type {media_type} added"),
                ),
                (Some(old), Some(new)) => {
                    self.schema(
                        &old["schema"],
                        &new["schema"],
                        &format!("{at}/schema"),
                        what,
                        sides,
                    );
                    if old.get("examples") != new.get("examples")
                        || old.get("example") != new.get("example")
                    {
                        self.push(
                            Class::Documentation,
                            &at,
                            format!("{what}: examples changed"),
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }

    // ---- schemas -----------------------------------------------------------

    fn component_schemas(&mut self) {
        let empty = Map::new();
        let (base, working) = (self.base, self.working);
        let old_schemas = base
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_schemas = working
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let names: BTreeSet<&String> = old_schemas.keys().chain(new_schemas.keys()).collect();
        for name in names {
            let pointer = format!("/components/schemas/{}", escape(name));
            match (old_schemas.get(name), new_schemas.get(name)) {
                (Some(_), None) => self.push_removed(
                    Class::Breaking,
                    &pointer,
                    format!("schema `{name}` removed: the type `zendesk_models::{name}` is gone"),
                ),
                (None, Some(_)) => self.push(
                    Class::NonBreaking,
                    &pointer,
                    format!("schema `{name}` added: a new type `zendesk_models::{name}`"),
                ),
                (Some(old), Some(new)) => {
                    let sides = self.sides.get(name.as_str()).copied().unwrap_or(Sides {
                        request: true,
                        response: true,
                    });
                    self.schema(old, new, &pointer, &format!("schema `{name}`"), sides);
                }
                (None, None) => {}
            }
        }
    }

    /// Compares two schemas at `pointer`; `what` names the place in messages.
    fn schema(&mut self, old: &Value, new: &Value, pointer: &str, what: &str, sides: Sides) {
        if old == new {
            return;
        }
        let (old_ref, new_ref) = (text(old, "$ref"), text(new, "$ref"));
        if old_ref.is_some() || new_ref.is_some() {
            if old_ref != new_ref {
                self.push(
                    Class::Breaking,
                    pointer,
                    format!(
                        "{what}: type changes from {} to {}",
                        describe_type(old),
                        describe_type(new)
                    ),
                );
            }
            // A named schema's own changes are reported once, under its name.
            return;
        }
        self.documentation(old, new, pointer, what);
        for key in ["type", "format"] {
            if old.get(key) != new.get(key) {
                self.push(
                    Class::Breaking,
                    pointer,
                    format!(
                        "{what}: {key} changes from {} to {}",
                        show(old.get(key)),
                        show(new.get(key))
                    ),
                );
            }
        }
        self.nullable(old, new, pointer, what, sides);
        self.enum_values(old, new, pointer, what, sides);
        self.constraints(old, new, pointer, what, sides);
        self.closedness(old, new, pointer, what, sides);
        self.variants(old, new, pointer, what, sides);
        self.properties(old, new, pointer, what, sides);
        if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
            self.schema(
                old_items,
                new_items,
                &format!("{pointer}/items"),
                &format!("{what} items"),
                sides,
            );
        }
        if let (Some(Value::Object(_)), Some(Value::Object(_))) = (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            self.schema(
                &old["additionalProperties"],
                &new["additionalProperties"],
                &format!("{pointer}/additionalProperties"),
                &format!("{what} values"),
                sides,
            );
        }
    }

    fn nullable(&mut self, old: &Value, new: &Value, pointer: &str, what: &str, sides: Sides) {
        let nullable = |v: &Value| v.get("nullable") == Some(&Value::Bool(true));
        match (nullable(old), nullable(new)) {
            (false, true) => {
                let class = sides.pick(Class::NonBreaking, Class::Breaking);
                self.push(
                    class,
                    pointer,
                    format!(
                        "{what}: may now be null{}",
                        side_note(sides, "", " in responses, which readers must now handle")
                    ),
                );
            }
            (true, false) => {
                let class = sides.pick(Class::Breaking, Class::NonBreaking);
                self.push(
                    class,
                    pointer,
                    format!(
                        "{what}: may no longer be null{}",
                        side_note(sides, " in requests, where null is now refused", "")
                    ),
                );
            }
            _ => {}
        }
    }

    fn enum_values(&mut self, old: &Value, new: &Value, pointer: &str, what: &str, sides: Sides) {
        let values = |v: &Value, key: &str| -> Option<Vec<String>> {
            v.get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|x| x.to_string()).collect())
        };
        for (key, open) in [("enum", false), ("x-extensible-enum", true)] {
            let (old_values, new_values) = (values(old, key), values(new, key));
            match (&old_values, &new_values) {
                (None, Some(_)) if values(old, other_enum(key)).is_some() => {
                    self.push(
                        Class::Breaking,
                        pointer,
                        format!(
                            "{what}: now {}: its Rust type changes",
                            if open {
                                "an open enum (`x-extensible-enum`)"
                            } else {
                                "a closed enum"
                            }
                        ),
                    );
                }
                (None, Some(_)) => self.push(
                    Class::Breaking,
                    pointer,
                    format!("{what}: now limited to listed values: its Rust type changes"),
                ),
                (Some(_), None) if values(new, other_enum(key)).is_none() => self.push(
                    Class::NonBreaking,
                    pointer,
                    format!("{what}: no longer limited to listed values"),
                ),
                (Some(old_values), Some(new_values)) => {
                    for value in old_values.iter().filter(|v| !new_values.contains(v)) {
                        self.push(
                            Class::Breaking,
                            pointer,
                            format!("{what}: enum value {value} removed"),
                        );
                    }
                    for value in new_values.iter().filter(|v| !old_values.contains(v)) {
                        let (class, note) = if open {
                            (Class::NonBreaking, "; older builds read it as `Other`")
                        } else {
                            (
                                sides.pick(Class::NonBreaking, Class::Breaking),
                                side_note(
                                    sides,
                                    "",
                                    "; older builds fail to read a response that holds it",
                                ),
                            )
                        };
                        self.push(
                            class,
                            pointer,
                            format!("{what}: enum value {value} added{note}"),
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn constraints(&mut self, old: &Value, new: &Value, pointer: &str, what: &str, sides: Sides) {
        // (keyword, whether a larger value is stricter)
        const BOUNDS: [(&str, bool); 7] = [
            ("minimum", true),
            ("maximum", false),
            ("minLength", true),
            ("maxLength", false),
            ("minItems", true),
            ("maxItems", false),
            ("minProperties", true),
        ];
        for (key, larger_is_stricter) in BOUNDS {
            let (old_bound, new_bound) = (
                old.get(key).and_then(Value::as_f64),
                new.get(key).and_then(Value::as_f64),
            );
            let stricter = match (old_bound, new_bound) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if a != b => (b > a) == larger_is_stricter,
                _ => continue,
            };
            let class = if stricter {
                sides.pick(Class::Breaking, Class::NonBreaking)
            } else {
                Class::NonBreaking
            };
            self.push(
                class,
                pointer,
                format!(
                    "{what}: `{key}` changes from {} to {}{}",
                    show(old.get(key)),
                    show(new.get(key)),
                    if stricter {
                        side_note(sides, " (requests that passed may now be refused)", "")
                    } else {
                        ""
                    }
                ),
            );
        }
        if old.get("pattern") != new.get("pattern") {
            self.push(
                sides.pick(Class::Breaking, Class::NonBreaking),
                pointer,
                format!(
                    "{what}: `pattern` changes from {} to {}",
                    show(old.get("pattern")),
                    show(new.get("pattern"))
                ),
            );
        }
    }

    fn closedness(&mut self, old: &Value, new: &Value, pointer: &str, what: &str, sides: Sides) {
        let closed = |v: &Value| v.get("additionalProperties") == Some(&Value::Bool(false));
        match (closed(old), closed(new)) {
            (false, true) => self.push(
                sides.pick(Class::Breaking, Class::NonBreaking),
                pointer,
                format!("{what}: now refuses properties it does not list"),
            ),
            (true, false) => self.push(
                Class::NonBreaking,
                pointer,
                format!("{what}: now accepts properties it does not list"),
            ),
            _ => {}
        }
    }

    fn variants(&mut self, old: &Value, new: &Value, pointer: &str, what: &str, sides: Sides) {
        for key in ["oneOf", "anyOf", "allOf"] {
            let names = |v: &Value| -> Vec<String> {
                v.get(key)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .map(|s| ref_name(s).map_or_else(|| s.to_string(), str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (old_names, new_names) = (names(old), names(new));
            for name in old_names.iter().filter(|n| !new_names.contains(n)) {
                self.push(
                    Class::Breaking,
                    &format!("{pointer}/{key}"),
                    format!("{what}: {key} variant {name} removed"),
                );
            }
            for name in new_names.iter().filter(|n| !old_names.contains(n)) {
                let class = if key == "allOf" {
                    Class::Breaking
                } else {
                    sides.pick(Class::NonBreaking, Class::Breaking)
                };
                self.push(
                    class,
                    &format!("{pointer}/{key}"),
                    format!("{what}: {key} variant {name} added"),
                );
            }
        }
    }

    fn properties(&mut self, old: &Value, new: &Value, pointer: &str, what: &str, sides: Sides) {
        let empty = Map::new();
        let old_properties = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_properties = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let (old_required, new_required) =
            (string_set(old, "required"), string_set(new, "required"));
        let names: BTreeSet<&String> = old_properties.keys().chain(new_properties.keys()).collect();
        for name in names {
            let at = format!("{pointer}/properties/{}", escape(name));
            let property = format!("property `{name}` of {what}");
            match (old_properties.get(name), new_properties.get(name)) {
                (Some(_), None) => self.push_removed(
                    Class::Breaking,
                    &at,
                    format!(
                        "{property} removed{}",
                        side_note(
                            sides,
                            ": requests that send it are refused",
                            ": readers lose it"
                        )
                    ),
                ),
                (None, Some(_)) => {
                    let (class, note) = if new_required.contains(name) {
                        (
                            sides.pick(Class::Breaking, Class::NonBreaking),
                            side_note(sides, ", required: requests without it are refused, and the constructor gains an argument", ", always present"),
                        )
                    } else {
                        (Class::NonBreaking, ", optional")
                    };
                    self.push(class, &at, format!("{property} added{note}"));
                }
                (Some(old_property), Some(new_property)) => {
                    match (old_required.contains(name), new_required.contains(name)) {
                        (false, true) => self.push(
                            Class::Breaking,
                            &at,
                            format!(
                                "{property} is now required{}",
                                side_note(sides, ": requests without it are refused, and the constructor gains an argument", ": its Rust field changes from `Option<T>` to `T`")
                            ),
                        ),
                        (true, false) => self.push(
                            Class::Breaking,
                            &at,
                            format!(
                                "{property} is now optional{}",
                                side_note(sides, ": the constructor loses its argument", ": readers must handle its absence, and its Rust field becomes `Option<T>`")
                            ),
                        ),
                        _ => {}
                    }
                    self.schema(old_property, new_property, &at, &property, sides);
                }
                (None, None) => {}
            }
        }
    }
}

fn other_enum(key: &str) -> &'static str {
    if key == "enum" {
        "x-extensible-enum"
    } else {
        "enum"
    }
}

/// The request or response half of a message, by the sides a schema travels on.
fn side_note(sides: Sides, on_request: &'static str, on_response: &'static str) -> &'static str {
    match (sides.request, sides.response) {
        (true, false) => on_request,
        (false, true) => on_response,
        _ if !on_request.is_empty() => on_request,
        _ => on_response,
    }
}

fn show(value: Option<&Value>) -> String {
    match value {
        None => "none".into(),
        Some(Value::String(text)) => format!("`{text}`"),
        Some(other) => format!("`{other}`"),
    }
}

fn describe_type(schema: &Value) -> String {
    match ref_name(schema) {
        Some(name) => format!("`{name}`"),
        None => show(schema.get("type")),
    }
}

/// The component schemas a response of `spec` can hold, transitively.
pub fn response_schema_names(spec: &Value) -> BTreeSet<String> {
    schema_sides(spec, spec)
        .into_iter()
        .filter(|(_, sides)| sides.response)
        .map(|(name, _)| name)
        .collect()
}

/// For each component schema, whether requests or responses carry it, in
/// either version of the spec.
fn schema_sides(base: &Value, working: &Value) -> BTreeMap<String, Sides> {
    let mut sides: BTreeMap<String, Sides> = BTreeMap::new();
    for document in [base, working] {
        let empty = Map::new();
        for path_item in document["paths"].as_object().unwrap_or(&empty).values() {
            let mut request_roots = Vec::new();
            let mut response_roots = Vec::new();
            if let Some(parameters) = path_item.get("parameters") {
                references(document, parameters, &mut request_roots);
            }
            for method in METHODS {
                let Some(operation) = path_item.get(method) else {
                    continue;
                };
                for key in ["parameters", "requestBody"] {
                    if let Some(part) = operation.get(key) {
                        references(document, part, &mut request_roots);
                    }
                }
                if let Some(responses) = operation.get("responses") {
                    references(document, responses, &mut response_roots);
                }
            }
            for (roots, side) in [
                (request_roots, Sides::REQUEST),
                (response_roots, Sides::RESPONSE),
            ] {
                for name in reachable(document, roots) {
                    let entry = sides.entry(name).or_default();
                    entry.request |= side.request;
                    entry.response |= side.response;
                }
            }
        }
    }
    sides
}

/// Every component schema name `value` refers to, following `$ref`s to
/// other components (parameters, responses) on the way.
fn references(document: &Value, value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                if let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) {
                    found.push(name.to_string());
                } else if let Some(target) = reference
                    .strip_prefix('#')
                    .and_then(|p| document.pointer(p))
                {
                    references(document, target, found);
                }
            }
            for item in map.values() {
                references(document, item, found);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| references(document, item, found)),
        _ => {}
    }
}

fn reachable(document: &Value, mut pending: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone()) {
            if let Some(schema) =
                document.pointer(&format!("/components/schemas/{}", escape(&name)))
            {
                references(document, schema, &mut pending);
            }
        }
    }
    seen
}
