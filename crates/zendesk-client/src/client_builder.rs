//! Building a client: where it sends requests, how it signs in, and how
//! patient it is.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use secrecy::{ExposeSecret, SecretString};

use crate::errors::{Error, ErrorKind};
use crate::hooks::ClientSettings;
use crate::pacing::Pacing;
use crate::retry::RetryPolicy;
use crate::Client;

/// The `User-Agent` of every request: this crate and its version.
pub const USER_AGENT: &str = concat!("zendesk-client/", env!("CARGO_PKG_VERSION"));

/// How the client signs in. Secrets are held as [`SecretString`]s and never
/// printed: `Debug` shows only which kind of credentials these are.
#[derive(Clone)]
pub enum Credentials {
    /// An API token: `{email}/token` as user name, the token as password.
    ApiToken {
        /// The user's email address.
        email: String,
        /// The API token (Admin Center > Apps and integrations > APIs).
        token: SecretString,
    },
    /// An OAuth access token, sent as a bearer token.
    OAuth {
        /// The access token.
        token: SecretString,
    },
    /// The user's email and password. Zendesk has deprecated password
    /// access to the API and accounts may turn it off: prefer an API token
    /// or OAuth.
    Password {
        /// The user's email address.
        email: String,
        /// The user's password.
        password: SecretString,
    },
}

impl Credentials {
    /// API token credentials for the user with this email address.
    pub fn api_token(email: impl Into<String>, token: impl Into<String>) -> Self {
        Credentials::ApiToken {
            email: email.into(),
            token: SecretString::from(token.into()),
        }
    }

    /// An OAuth access token.
    pub fn oauth(token: impl Into<String>) -> Self {
        Credentials::OAuth {
            token: SecretString::from(token.into()),
        }
    }

    /// Email and password (deprecated by Zendesk; see [`Credentials::Password`]).
    pub fn password(email: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials::Password {
            email: email.into(),
            password: SecretString::from(password.into()),
        }
    }

    /// The `Authorization` header, marked sensitive so that neither `http`
    /// nor `reqwest` ever prints its value.
    fn header(&self) -> Result<HeaderValue, Error> {
        let basic = |user: &str, secret: &str| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"))
            )
        };
        let text = match self {
            Credentials::ApiToken { email, token } => {
                basic(&format!("{email}/token"), token.expose_secret())
            }
            Credentials::Password { email, password } => basic(email, password.expose_secret()),
            Credentials::OAuth { token } => format!("Bearer {}", token.expose_secret()),
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            Error::new(
                ErrorKind::Configuration,
                "credentials hold characters a header cannot carry",
            )
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiToken { email, .. } => f
                .debug_struct("ApiToken")
                .field("email", email)
                .finish_non_exhaustive(),
            Credentials::OAuth { .. } => f.debug_struct("OAuth").finish_non_exhaustive(),
            Credentials::Password { email, .. } => f
                .debug_struct("Password")
                .field("email", email)
                .finish_non_exhaustive(),
        }
    }
}

/// Builds a [`Client`]: `Client::builder().subdomain("acme").credentials(...).build()`.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    pacing: Pacing,
    allow_insecure_http: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            credentials: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            pacing: Pacing::default(),
            allow_insecure_http: false,
        }
    }
}

impl Client {
    /// A builder: set the account (`subdomain` or `base_url`) and the
    /// credentials, then `build`.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

impl ClientBuilder {
    /// The account `https://{subdomain}.zendesk.com`.
    pub fn subdomain(mut self, subdomain: &str) -> Self {
        self.base_url = Some(format!("https://{subdomain}.zendesk.com"));
        self
    }

    /// Any base URL: a proxy, a local fake. Plain `http://` is refused for
    /// hosts other than loopback unless [`Self::allow_insecure_http`].
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.base_url = Some(base_url.to_string());
        self
    }

    /// How the client signs in.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The longest one attempt may take (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How requests are paced under the account's rate limit (on by
    /// default; [`Pacing::off`] turns it off). The budget is shared by every
    /// clone of the client built here and every task using them.
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// How requests are retried ([`RetryPolicy::none`] turns retries off).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Allows plain `http://` to a host that is not loopback. Basic
    /// authentication over plain HTTP hands the credentials to anyone on the
    /// way: only for networks you trust.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Reads the account and credentials from the environment:
    /// `ZENDESK_BASE_URL` or `ZENDESK_SUBDOMAIN`, and `ZENDESK_OAUTH_TOKEN` or
    /// `ZENDESK_EMAIL` with `ZENDESK_API_TOKEN`.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_variables(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    pub(crate) fn from_variables(get: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let mut builder = ClientBuilder::default();
        builder = match (get("ZENDESK_BASE_URL"), get("ZENDESK_SUBDOMAIN")) {
            (Some(url), _) => builder.base_url(&url),
            (None, Some(subdomain)) => builder.subdomain(&subdomain),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    "set ZENDESK_SUBDOMAIN (or ZENDESK_BASE_URL)",
                ))
            }
        };
        let credentials = match (
            get("ZENDESK_OAUTH_TOKEN"),
            get("ZENDESK_EMAIL"),
            get("ZENDESK_API_TOKEN"),
        ) {
            (Some(token), _, _) => Credentials::oauth(token),
            (None, Some(email), Some(token)) => Credentials::api_token(email, token),
            _ => {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    "set ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN",
                ))
            }
        };
        Ok(builder.credentials(credentials))
    }

    /// The client; an error when the account or the credentials are missing,
    /// or the base URL is plain `http://` to a host other than loopback
    /// without `allow_insecure_http(true)`.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.ok_or_else(|| {
            Error::new(ErrorKind::Configuration, "no subdomain or base URL given")
        })?;
        let base_url = checked_base_url(&base_url, self.allow_insecure_http)?;
        // Installs the TLS provider before the HTTP client is built.
        let settings = ClientSettings::new()
            .with_retry(self.retry)
            .with_pacing(self.pacing);
        let mut headers = HeaderMap::new();
        if let Some(credentials) = &self.credentials {
            headers.insert(AUTHORIZATION, credentials.header()?);
        }
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Configuration,
                    format!("the HTTP client cannot be built: {e}"),
                )
            })?;
        Ok(Client::new_with_client(&base_url, http, settings))
    }
}

/// The base URL without a trailing `/`, refused when it would send
/// credentials in the clear.
fn checked_base_url(text: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let url = reqwest::Url::parse(text)
        .map_err(|e| Error::new(ErrorKind::Configuration, format!("base URL {text:?}: {e}")))?;
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(host) => {}
        "http" => {
            return Err(Error::new(
                ErrorKind::Configuration,
                format!("refusing plain http:// to {host}: the credentials would cross the network unencrypted (use https://, or allow_insecure_http(true) on a network you trust)"),
            ))
        }
        other => return Err(Error::new(ErrorKind::Configuration, format!("base URL scheme {other}: only https (and http to loopback)"))),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::new(
            ErrorKind::Configuration,
            "a base URL has no query or fragment",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        assert_eq!(
            checked_base_url("http://127.0.0.1:8080/", false).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(checked_base_url("http://localhost", false).is_ok());
        assert!(checked_base_url("http://[::1]:9", false).is_ok());
        let refused = checked_base_url("http://acme.zendesk.com", false).unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("refusing plain http:// to acme.zendesk.com"),
            "{refused}"
        );
        assert!(checked_base_url("http://proxy.internal", true).is_ok());
        assert_eq!(
            checked_base_url("https://proxy.example/zendesk/", false).unwrap(),
            "https://proxy.example/zendesk"
        );
        assert!(checked_base_url("ftp://x", false).is_err());
    }

    #[test]
    fn the_environment_names_the_account_and_credentials() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let from_subdomain = ClientBuilder::from_variables(vars(&[
            ("ZENDESK_SUBDOMAIN", "acme"),
            ("ZENDESK_EMAIL", "agent@acme.test"),
            ("ZENDESK_API_TOKEN", "t0ken"),
        ]))
        .unwrap();
        assert_eq!(
            from_subdomain.base_url.as_deref(),
            Some("https://acme.zendesk.com")
        );
        assert!(matches!(
            from_subdomain.credentials,
            Some(Credentials::ApiToken { .. })
        ));
        let oauth = ClientBuilder::from_variables(vars(&[
            ("ZENDESK_BASE_URL", "http://127.0.0.1:1"),
            ("ZENDESK_OAUTH_TOKEN", "o"),
        ]))
        .unwrap();
        assert!(matches!(oauth.credentials, Some(Credentials::OAuth { .. })));
        let missing = ClientBuilder::from_variables(vars(&[
            ("ZENDESK_SUBDOMAIN", "acme"),
            ("ZENDESK_EMAIL", "a@b.c"),
        ]))
        .unwrap_err();
        assert!(
            missing.to_string().contains("ZENDESK_API_TOKEN"),
            "{missing}"
        );
        assert!(ClientBuilder::from_variables(vars(&[])).is_err());
    }

    #[test]
    fn authorization_headers() {
        let header = Credentials::api_token("agent@acme.test", "t0ken")
            .header()
            .unwrap();
        assert!(header.is_sensitive());
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("agent@acme.test/token:t0ken")
        );
        assert_eq!(header.to_str().unwrap(), expected);
        assert_eq!(
            Credentials::oauth("abc")
                .header()
                .unwrap()
                .to_str()
                .unwrap(),
            "Bearer abc"
        );
        assert_eq!(
            format!("{:?}", Credentials::api_token("a@b.c", "t0ken")),
            "ApiToken { email: \"a@b.c\", .. }"
        );
    }
}
