//! Every Rust snippet of the README and of the guides in `docs/`, each a
//! region between `// ANCHOR: name` and `// ANCHOR_END: name`, run against
//! the fake. The workspace's `tests/docs.rs` checks that each snippet is its
//! region line for line, so the docs cannot drift from code that runs.

mod calling_zendesk;
mod crate_readmes;
mod rate_limits;
mod readme;
mod testing_with_the_fake;
mod validating_payloads;
mod your_account;

/// What a snippet's `?` converts into.
type Outcome = Result<(), Box<dyn std::error::Error>>;

/// A client of `fake` signed in as its agent, sending at once.
fn agent(fake: &zendesk_fake::FakeZendesk) -> zendesk_client::Client {
    zendesk_client::Client::builder()
        .base_url(fake.base_url())
        .credentials(zendesk_client::Credentials::api_token(
            "agent@example.com",
            "agent-token",
        ))
        .pacing(zendesk_client::Pacing::off())
        .build()
        .unwrap()
}

/// An empty folder under the target folder, for one snippet's files.
fn temporary_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("guides")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
