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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response {
    /// `200`, `429`, ...
    pub status: &'static str,
    pub body: Body,
}

/// One operation of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// Who may call it: `agents`, `admins`, `end-users`.
    pub allowed_for: &'static [&'static str],
    pub request: Body,
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
}

/// The operation with this operationId.
pub fn operation(id: &str) -> Option<&'static Operation> {
    crate::OPERATIONS.iter().find(|o| o.id == id)
}
