//! What several test files of the fake share.

/// A plain HTTP client, to see what the zendesk client hides.
pub fn raw_http() -> reqwest::Client {
    // Building settings installs the crypto provider reqwest needs, as every
    // zendesk client does.
    let _ = zendesk_client::ClientSettings::new();
    reqwest::Client::new()
}

/// The error a call ends with, as the client's one error type.
pub async fn error_of<T: std::fmt::Debug, E: Into<zendesk_client::Error>>(
    call: impl std::future::Future<Output = Result<T, E>>,
) -> zendesk_client::Error {
    call.await.map_err(Into::into).unwrap_err()
}
