//! The spec's operations, as the validator needs them: which schema each
//! request and response body has.

/// What a request or response body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// A JSON body of the named component schema.
    Json(&'static str),
    /// A body that is not JSON (a file, a multipart form), by media type.
    NotJson(&'static str),
}

/// A documented response of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response {
    /// `200`, `429`, ...
    pub status: &'static str,
    /// What its body is.
    pub body: Body,
}

/// A path, query, header or cookie parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter {
    /// Its name on the wire.
    pub name: &'static str,
    /// `path`, `query`, `header` or `cookie`.
    pub location: &'static str,
    /// Whether every call must give it.
    pub required: bool,
    /// Its schema, as draft-07 JSON whose `$ref`s point into the bundle.
    pub schema: &'static str,
}

/// One operation of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The operationId.
    pub id: &'static str,
    /// Upper case: `GET`, `POST`, ...
    pub method: &'static str,
    /// The path template: `/api/v2/attachments/{attachment_id}`.
    pub path: &'static str,
    /// Who may call it: `agents`, `admins`, `end-users`.
    pub allowed_for: &'static [&'static str],
    /// Its parameters: the path item's, then its own.
    pub parameters: &'static [Parameter],
    /// What its request body is.
    pub request: Body,
    /// Every documented response.
    pub responses: &'static [Response],
}

impl Operation {
    /// The body of the response with `status`, if the spec lists it.
    pub fn response(&self, status: &str) -> Option<Body> {
        self.responses
            .iter()
            .find(|r| r.status == status)
            .map(|r| r.body)
    }

    /// Whether a request with `method` (any case) for `path` (no query)
    /// is a call of this operation: every `{parameter}` of the template
    /// stands for one non-empty path segment.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.matches_path(path)
    }

    /// Whether `path` (no query) fits this operation's path template,
    /// whatever the method.
    pub fn matches_path(&self, path: &str) -> bool {
        // Byte slices, segment by segment: a server calls this for every
        // operation on every request.
        let (mut template, mut path) = (self.path.as_bytes(), path.as_bytes());
        loop {
            let template_end = template.iter().position(|&b| b == b'/');
            let path_end = path.iter().position(|&b| b == b'/');
            let expected = &template[..template_end.unwrap_or(template.len())];
            let segment = &path[..path_end.unwrap_or(path.len())];
            let fits = if is_parameter(expected) {
                !segment.is_empty()
            } else {
                expected == segment
            };
            if !fits {
                return false;
            }
            match (template_end, path_end) {
                (None, None) => return true,
                (Some(t), Some(p)) => {
                    template = &template[t + 1..];
                    path = &path[p + 1..];
                }
                _ => return false,
            }
        }
    }
}

/// The operation with this operationId.
pub fn operation(id: &str) -> Option<&'static Operation> {
    crate::OPERATIONS.iter().find(|o| o.id == id)
}

/// The operation a request with `method` for `path` calls, if any. A
/// template without parameters wins over one with them
/// (`/side_conversations/import` is not a side conversation id).
pub fn operation_at(method: &str, path: &str) -> Option<&'static Operation> {
    // Called for every request a server sees: the path is split once, into
    // a buffer on the stack, and held against templates split in advance.
    let mut segments = [""; MAX_SEGMENTS];
    let mut count = 0;
    for segment in path.split('/') {
        if count == MAX_SEGMENTS {
            return operation_at_by_scan(method, path);
        }
        segments[count] = segment;
        count += 1;
    }
    let segments = &segments[..count];
    templates()
        .iter()
        .find(|t| t.operation.method.eq_ignore_ascii_case(method) && t.fits(segments))
        .map(|t| t.operation)
}

/// More segments than any path of the spec has; a longer path is matched by
/// [`operation_at_by_scan`], which has no such bound.
const MAX_SEGMENTS: usize = 24;

/// [`operation_at`]'s definition, one template at a time.
fn operation_at_by_scan(method: &str, path: &str) -> Option<&'static Operation> {
    let parameters = |o: &Operation| o.path.bytes().filter(|&b| b == b'{').count();
    crate::OPERATIONS
        .iter()
        .filter(|o| o.matches(method, path))
        .min_by_key(|o| parameters(o))
}

/// Whether a template's segment is a `{parameter}`.
fn is_parameter(segment: &[u8]) -> bool {
    segment.len() >= 2 && segment[0] == b'{' && segment[segment.len() - 1] == b'}'
}

/// An operation's path template, split at `/`.
struct Template {
    operation: &'static Operation,
    /// `None` for a `{parameter}`.
    segments: Vec<Option<&'static str>>,
}

impl Template {
    fn fits(&self, path: &[&str]) -> bool {
        self.segments.len() == path.len()
            && self
                .segments
                .iter()
                .zip(path)
                .all(|(expected, segment)| match expected {
                    None => !segment.is_empty(),
                    Some(literal) => literal == segment,
                })
    }
}

/// Every operation's template, those with the fewest parameters first (in
/// the spec's order among equals), so that the first that fits wins.
fn templates() -> &'static [Template] {
    static TEMPLATES: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut templates: Vec<Template> = crate::OPERATIONS
            .iter()
            .map(|operation| Template {
                operation,
                segments: operation
                    .path
                    .split('/')
                    .map(|segment| (!is_parameter(segment.as_bytes())).then_some(segment))
                    .collect(),
            })
            .collect();
        templates.sort_by_key(|t| t.segments.iter().filter(|s| s.is_none()).count());
        templates
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_templates_find_what_the_scan_finds() {
        let mut paths: Vec<String> = Vec::new();
        for operation in crate::OPERATIONS {
            for filler in ["12345", "import", "events", "", "a/b"] {
                let mut path = String::new();
                for segment in operation.path.split('/') {
                    if !path.is_empty() || !segment.is_empty() {
                        path.push('/');
                    }
                    path.push_str(if segment.starts_with('{') {
                        filler
                    } else {
                        segment
                    });
                }
                paths.push(path.clone());
                paths.push(format!("{path}/"));
                paths.push(format!("{path}/extra"));
            }
        }
        paths.push("/".repeat(MAX_SEGMENTS + 3));
        paths.push(format!(
            "/api/v2/tickets/1/side_conversations{}",
            "/x".repeat(MAX_SEGMENTS)
        ));
        paths.push(String::new());
        let methods = ["GET", "get", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
        let mut found = 0;
        for path in &paths {
            for method in methods {
                let split = operation_at(method, path).map(|o| o.id);
                assert_eq!(
                    split,
                    operation_at_by_scan(method, path).map(|o| o.id),
                    "{method} {path}"
                );
                found += usize::from(split.is_some());
            }
        }
        assert!(
            found >= crate::OPERATIONS.len(),
            "every operation is found at least once"
        );
    }
}
