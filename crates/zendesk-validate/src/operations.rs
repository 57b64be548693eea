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
        let mut template = self.path.split('/');
        let mut segments = path.split('/');
        loop {
            match (template.next(), segments.next()) {
                (None, None) => return true,
                (Some(expected), Some(segment)) => {
                    let is_parameter = expected.starts_with('{') && expected.ends_with('}');
                    let fits = if is_parameter {
                        !segment.is_empty()
                    } else {
                        expected == segment
                    };
                    if !fits {
                        return false;
                    }
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
    let mut matching: Vec<&'static Operation> = crate::OPERATIONS
        .iter()
        .filter(|o| o.matches(method, path))
        .collect();
    matching.sort_by_key(|o| o.path.matches('{').count());
    matching.first().copied()
}
