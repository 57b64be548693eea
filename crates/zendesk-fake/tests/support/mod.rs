//! What several test files of the fake share.

/// A plain HTTP client, to see what the zendesk client hides.
pub fn raw_http() -> reqwest::Client {
    // Building settings installs the crypto provider reqwest needs, as every
    // zendesk client does.
    let _ = zendesk_client::ClientSettings::new();
    reqwest::Client::new()
}
