//! Read responses already written, by request path and query, for as long
//! as the store does not change: a test that polls a side conversation, or
//! a load test that reads one page over and over, gets the same bytes
//! without the store being read and serialized again.
//!
//! Whoever changes the store empties it first, while holding the store's
//! write lock; a response is kept only while its writer holds the read lock.
//! So a kept response is always the one the store would write now.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

/// At most this many responses are kept...
pub const MAX_WRITTEN_RESPONSES: usize = 1024;
/// ...of at most this many bytes together...
pub const MAX_WRITTEN_BYTES: usize = 16 * 1024 * 1024;
/// ...each at most this large (an export page is read once, not kept).
pub const MAX_WRITTEN_RESPONSE: usize = 256 * 1024;

#[derive(Default)]
pub struct Written {
    kept: RwLock<Kept>,
}

#[derive(Default)]
struct Kept {
    bodies: HashMap<Box<str>, Bytes>,
    bytes: usize,
}

impl Written {
    /// The body written for `request` (its path and query), if kept.
    pub fn get(&self, request: &str) -> Option<Bytes> {
        let kept = self.kept.read().unwrap_or_else(|e| e.into_inner());
        kept.bodies.get(request).cloned()
    }

    /// Keeps `body` as the answer to `request`. When the limits are
    /// reached, every kept response is let go first: they are all written
    /// again on demand, so nothing is lost but time.
    pub fn keep(&self, request: &str, body: &Bytes) {
        if body.len() > MAX_WRITTEN_RESPONSE {
            return;
        }
        let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
        if kept.bodies.len() >= MAX_WRITTEN_RESPONSES || kept.bytes + body.len() > MAX_WRITTEN_BYTES
        {
            kept.bodies.clear();
            kept.bytes = 0;
        }
        if let Some(replaced) = kept.bodies.insert(request.into(), body.clone()) {
            kept.bytes -= replaced.len();
        }
        kept.bytes += body.len();
    }

    /// Lets every kept response go: the store is about to change.
    pub fn forget(&self) {
        let mut kept = self.kept.write().unwrap_or_else(|e| e.into_inner());
        if !kept.bodies.is_empty() {
            kept.bodies.clear();
            kept.bytes = 0;
        }
    }

    /// How many responses are kept, and their bytes.
    #[cfg(test)]
    fn size(&self) -> (usize, usize) {
        let kept = self.kept.read().unwrap_or_else(|e| e.into_inner());
        (kept.bodies.len(), kept.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_response_is_found_until_forgotten() {
        let written = Written::default();
        written.keep("/a?page=2", &Bytes::from_static(b"{}"));
        assert_eq!(written.get("/a?page=2").as_deref(), Some(&b"{}"[..]));
        assert_eq!(written.get("/a"), None);
        written.keep("/a?page=2", &Bytes::from_static(b"[1]"));
        assert_eq!(
            written.size(),
            (1, 3),
            "a response kept again replaces the first"
        );
        assert_eq!(written.get("/a?page=2").as_deref(), Some(&b"[1]"[..]));
        written.forget();
        assert_eq!(written.get("/a?page=2"), None);
        assert_eq!(written.size(), (0, 0));
    }

    #[test]
    fn what_is_kept_stays_within_its_limits() {
        let written = Written::default();
        written.keep("/large", &Bytes::from(vec![b' '; MAX_WRITTEN_RESPONSE + 1]));
        assert_eq!(
            written.get("/large"),
            None,
            "a response above the size limit is not kept"
        );

        for n in 0..MAX_WRITTEN_RESPONSES + 10 {
            written.keep(&format!("/{n}"), &Bytes::from_static(b"{}"));
            assert!(written.size().0 <= MAX_WRITTEN_RESPONSES);
        }
        assert_eq!(
            written
                .get(&format!("/{}", MAX_WRITTEN_RESPONSES + 9))
                .as_deref(),
            Some(&b"{}"[..])
        );

        let page = Bytes::from(vec![b' '; MAX_WRITTEN_RESPONSE]);
        for n in 0..2 * MAX_WRITTEN_BYTES / MAX_WRITTEN_RESPONSE {
            written.keep(&format!("/page/{n}"), &page);
            assert!(written.size().1 <= MAX_WRITTEN_BYTES);
        }
    }
}
