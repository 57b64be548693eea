//! What a recording must not keep: credentials, the account's host, email
//! addresses, upload and attachment tokens, and whatever the caller's own
//! rules name. Applied to what is written, never to the live answer.
//!
//! Emails and tokens get stable placeholders (the same value always gets
//! the same one, in paths and bodies alike), numbered in the order they are
//! first seen; the tables are capped, and a value past the cap gets a shared
//! placeholder (counted in [`Scrubber::overflowed`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use regex::Regex;
use serde_json::Value;

/// What the account's host becomes.
pub const HOST_PLACEHOLDER: &str = "example.zendesk.com";

/// What ends an email placeholder: a reserved domain, so never a real
/// address.
pub const EMAIL_SUFFIX: &str = "@example.invalid";

/// What an email address looks like, for scrubbing.
pub const EMAIL_PATTERN: &str = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+";

/// Distinct emails, and distinct tokens, given placeholders of their own.
const MAX_PLACEHOLDERS: usize = 100_000;

/// A caller's rule: every match of `pattern` becomes `replacement` (which
/// may name groups as `$1`).
#[derive(Debug, Clone)]
pub struct ScrubRule {
    /// What to find.
    pub pattern: Regex,
    /// What it becomes.
    pub replacement: String,
}

impl ScrubRule {
    /// `REGEX=REPLACEMENT`, split at the last `=` (a pattern may hold `=`).
    pub fn parse(text: &str) -> Result<ScrubRule, String> {
        let (pattern, replacement) = text
            .rsplit_once('=')
            .ok_or_else(|| format!("{text:?} is not REGEX=REPLACEMENT"))?;
        let pattern =
            Regex::new(pattern).map_err(|e| format!("{text:?}: the pattern is not a regex: {e}"))?;
        Ok(ScrubRule {
            pattern,
            replacement: replacement.to_string(),
        })
    }
}

/// The scrubbing of one recording.
#[derive(Debug)]
pub struct Scrubber {
    /// `host:port` and `host` of the upstream, longest first.
    hosts: Vec<String>,
    rules: Vec<ScrubRule>,
    emails: Placeholders,
    tokens: Placeholders,
    email_pattern: Regex,
    attachment_token_pattern: Regex,
}

#[derive(Debug)]
struct Placeholders {
    prefix: &'static str,
    suffix: &'static str,
    table: Mutex<HashMap<String, String>>,
    overflowed: AtomicU64,
}

impl Placeholders {
    fn new(prefix: &'static str, suffix: &'static str) -> Placeholders {
        Placeholders {
            prefix,
            suffix,
            table: Mutex::new(HashMap::new()),
            overflowed: AtomicU64::new(0),
        }
    }

    fn of(&self, value: &str) -> String {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(placeholder) = table.get(value) {
            return placeholder.clone();
        }
        if table.len() >= MAX_PLACEHOLDERS {
            self.overflowed.fetch_add(1, Ordering::Relaxed);
            return format!("{}overflow{}", self.prefix, self.suffix);
        }
        let placeholder = format!("{}{}{}", self.prefix, table.len() + 1, self.suffix);
        table.insert(value.to_string(), placeholder.clone());
        placeholder
    }

    fn is_placeholder(&self, value: &str) -> bool {
        value.starts_with(self.prefix) && value.ends_with(self.suffix)
    }
}

impl Scrubber {
    /// Scrubbing for a recording of `upstream` (a URL), with the caller's
    /// own rules applied first.
    pub fn new(upstream: &reqwest::Url, rules: Vec<ScrubRule>) -> Scrubber {
        let mut hosts = Vec::new();
        if let Some(host) = upstream.host_str() {
            if let Some(port) = upstream.port() {
                hosts.push(format!("{host}:{port}"));
            }
            hosts.push(host.to_string());
        }
        Scrubber {
            hosts,
            rules,
            emails: Placeholders::new("person-", EMAIL_SUFFIX),
            tokens: Placeholders::new("token-", ""),
            email_pattern: Regex::new(EMAIL_PATTERN).expect("a valid pattern"),
            attachment_token_pattern: Regex::new(r"/attachments/token/([A-Za-z0-9_\-]+)")
                .expect("a valid pattern"),
        }
    }

    /// How many emails and tokens got the shared placeholder, the tables
    /// being full.
    pub fn overflowed(&self) -> u64 {
        self.emails.overflowed.load(Ordering::Relaxed) + self.tokens.overflowed.load(Ordering::Relaxed)
    }

    /// Learns the upload and attachment tokens an exchange carries (an
    /// upload's `token`, a request's `uploads`, an upload path, a `token`
    /// query parameter, an attachment URL), so that each is replaced
    /// wherever it appears.
    pub fn learn_tokens(&self, path: &str, query: Option<&str>, bodies: &[Option<&Value>]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        if let Some(token) = path.strip_prefix("/api/v2/uploads/") {
            found.push(token.to_string());
        }
        for pair in query.unwrap_or_default().split('&') {
            if let Some(token) = pair.strip_prefix("token=") {
                found.push(token.to_string());
            }
        }
        for body in bodies.iter().flatten() {
            collect_tokens(body, &mut found);
            walk_strings(body, &mut |text| {
                for captures in self.attachment_token_pattern.captures_iter(text) {
                    found.push(captures[1].to_string());
                }
            });
        }
        found.retain(|t| !t.is_empty() && !self.tokens.is_placeholder(t));
        found.sort();
        found.dedup();
        // Longest first, so that a token inside another is not replaced
        // in part.
        found.sort_by_key(|t| std::cmp::Reverse(t.len()));
        found
            .into_iter()
            .map(|token| {
                let placeholder = self.tokens.of(&token);
                (token, placeholder)
            })
            .collect()
    }

    /// `text` scrubbed: the caller's rules, the upstream's host, the tokens
    /// learned for this exchange, and email addresses.
    pub fn text(&self, text: &str, tokens: &[(String, String)]) -> String {
        let mut text = text.to_string();
        for rule in &self.rules {
            text = rule
                .pattern
                .replace_all(&text, rule.replacement.as_str())
                .into_owned();
        }
        for host in &self.hosts {
            if text.contains(host.as_str()) {
                text = text.replace(host.as_str(), HOST_PLACEHOLDER);
            }
        }
        for (token, placeholder) in tokens {
            if text.contains(token.as_str()) {
                text = text.replace(token.as_str(), placeholder);
            }
        }
        self.email_pattern
            .replace_all(&text, |captures: &regex::Captures<'_>| {
                let email = &captures[0];
                if self.emails.is_placeholder(email) {
                    email.to_string()
                } else {
                    self.emails.of(&email.to_ascii_lowercase())
                }
            })
            .into_owned()
    }

    /// Every string of `json` scrubbed (object keys stay).
    pub fn json(&self, json: &mut Value, tokens: &[(String, String)]) {
        match json {
            Value::String(text) => *text = self.text(text, tokens),
            Value::Array(items) => items.iter_mut().for_each(|item| self.json(item, tokens)),
            Value::Object(fields) => fields.values_mut().for_each(|value| self.json(value, tokens)),
            _ => {}
        }
    }
}

/// Upload tokens in a body: an upload's `token`, a message's `uploads`.
fn collect_tokens(json: &Value, found: &mut Vec<String>) {
    match json {
        Value::Object(fields) => {
            for (key, value) in fields {
                match (key.as_str(), value) {
                    ("token", Value::String(token)) => found.push(token.clone()),
                    ("uploads", Value::Array(items)) => found.extend(
                        items.iter().filter_map(|i| i.as_str()).map(String::from),
                    ),
                    _ => collect_tokens(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_tokens(item, found)),
        _ => {}
    }
}

fn walk_strings(json: &Value, visit: &mut impl FnMut(&str)) {
    match json {
        Value::String(text) => visit(text),
        Value::Array(items) => items.iter().for_each(|item| walk_strings(item, visit)),
        Value::Object(fields) => fields.values().for_each(|value| walk_strings(value, visit)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubber() -> Scrubber {
        let upstream = reqwest::Url::parse("https://acme.zendesk.com").unwrap();
        Scrubber::new(&upstream, vec![ScrubRule::parse("secret-[0-9]+=SECRET").unwrap()])
    }

    #[test]
    fn the_same_email_gets_the_same_placeholder_and_hosts_and_rules_go() {
        let scrubber = scrubber();
        let text = "Ann@Example.com wrote to bob@example.org from https://acme.zendesk.com/x secret-42; ann@example.com again";
        assert_eq!(
            scrubber.text(text, &[]),
            "person-1@example.invalid wrote to person-2@example.invalid from https://example.zendesk.com/x SECRET; person-1@example.invalid again"
        );
        // A placeholder is not scrubbed again.
        assert_eq!(scrubber.text("person-2@example.invalid", &[]), "person-2@example.invalid");
    }

    #[test]
    fn tokens_are_replaced_in_paths_queries_and_bodies_alike() {
        let scrubber = scrubber();
        let body = serde_json::json!({"upload": {"token": "abc123", "attachments": [
            {"content_url": "https://acme.zendesk.com/attachments/token/ZZZ9/?name=a.txt"}]}});
        let tokens = scrubber.learn_tokens("/api/v2/uploads", Some("filename=a.txt&token=prev7"), &[Some(&body)]);
        let mut scrubbed = body.clone();
        scrubber.json(&mut scrubbed, &tokens);
        assert_eq!(scrubbed["upload"]["token"], "token-1");
        assert_eq!(
            scrubbed["upload"]["attachments"][0]["content_url"],
            "https://example.zendesk.com/attachments/token/token-3/?name=a.txt"
        );
        assert_eq!(scrubber.text("filename=a.txt&token=prev7", &tokens), "filename=a.txt&token=token-2");
        let later = scrubber.learn_tokens("/api/v2/uploads/abc123", None, &[]);
        assert_eq!(scrubber.text("/api/v2/uploads/abc123", &later), "/api/v2/uploads/token-1");
    }
}
