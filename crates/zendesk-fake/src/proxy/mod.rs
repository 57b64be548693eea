//! The proxy mode: every request under `/api/v2/` goes to the upstream (a
//! real account) as it came (method, path, query, body, the caller's
//! `Authorization`), and its answer comes back byte for byte (hop-by-hop
//! headers aside). Each exchange is checked against the spec; violations go
//! to the report and are counted in `X-Zendesk-Fake-Violations`. Strict, an
//! invalid request is not sent (422 `RecordInvalid`) and an invalid answer
//! becomes a 502 naming its violations. With a recorder, every exchange is
//! also written, scrubbed, to the recording.

pub mod report;

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;

use crate::config::ProxyConfig;
use crate::errors::ApiError;
use crate::layer::checks::{self, Finding, Side};
use crate::layer::intercept::MAX_REQUEST_BODY;
use crate::record::{Recorder, Seen};
use report::{Report, Reported};

/// The header that counts an exchange's violations.
pub const VIOLATIONS_HEADER: &str = "x-zendesk-fake-violations";

/// Headers of one connection, not of the message (RFC 9110, 7.6.1), and
/// the ones the proxy sets itself.
const NOT_FORWARDED: [&str; 11] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

/// A proxy to one upstream.
pub struct Proxy {
    upstream: reqwest::Url,
    http: reqwest::Client,
    strict: bool,
    pub report: Arc<Report>,
    recorder: Option<Recorder>,
}

impl Proxy {
    /// A proxy as `config` says; an upstream that is not an http(s) URL, or
    /// a report or recording that cannot be created, is refused.
    pub fn new(config: &ProxyConfig) -> std::io::Result<Proxy> {
        let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, message);
        let upstream = reqwest::Url::parse(&config.upstream)
            .map_err(|e| invalid(format!("the upstream {:?} is not a URL: {e}", config.upstream)))?;
        if !matches!(upstream.scheme(), "http" | "https") || upstream.host_str().is_none() {
            return Err(invalid(format!(
                "the upstream {:?} is not an http or https URL with a host",
                config.upstream
            )));
        }
        let http = outbound_client().map_err(std::io::Error::other)?;
        let with_file = |what: &str, path: &std::path::Path, e: std::io::Error| {
            std::io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
        };
        let report = match &config.report {
            Some(path) => Report::create(Some(path)).map_err(|e| with_file("the report", path, e))?,
            None => Report::create(None)?,
        };
        let recorder = match &config.record {
            Some(dir) => Some(
                Recorder::create(dir, &upstream, config.scrub.clone())
                    .map_err(|e| with_file("the recording", dir, e))?,
            ),
            None => None,
        };
        Ok(Proxy {
            upstream,
            http,
            strict: config.strict,
            report: Arc::new(report),
            recorder,
        })
    }
}

/// The client the fake sends with (to an upstream, or to a fake of its
/// own): rustls with ring, no redirects followed, bounded waits.
pub(crate) fn outbound_client() -> Result<reqwest::Client, String> {
    // Fails only when a provider is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(300))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.without_url().to_string())
}

/// Every request to the proxy.
pub fn routes(proxy: Arc<Proxy>) -> Router {
    Router::new().fallback(forward).with_state(proxy)
}

/// `GET /__fake/report`: the report's summary so far.
pub fn report_routes(report: Arc<Report>) -> Router {
    Router::new().route(
        "/report",
        get(move || {
            let report = report.clone();
            async move { axum::Json(report.summary()) }
        }),
    )
}

async fn forward(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    if !path.starts_with("/api/v2/") {
        let body = json!({
            "error": "NotProxied",
            "description": format!("only paths under /api/v2/ go to the upstream, not {path}"),
        });
        return (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
    }
    let Ok(request_body) = axum::body::to_bytes(body, MAX_REQUEST_BODY).await else {
        return ApiError::too_large(MAX_REQUEST_BODY).into_response();
    };
    let method = parts.method.as_str();
    let query = parts.uri.query();
    let operation = zendesk_validate::operation_at(method, &path);
    let mut findings = match operation {
        Some(operation) => {
            let mut found = checks::check_query(operation, query);
            found.extend(checks::check_request(operation, &request_body));
            found
        }
        None => vec![checks::unknown_operation(method, &path)],
    };
    let reported = |status| Reported {
        operation: operation.map(|o| o.id),
        method,
        path: &path,
        status,
    };
    if proxy.strict && findings.iter().any(|f| f.side == Side::Request && f.rule != "unknown-operation") {
        let refused = ApiError::record_invalid(findings.iter().map(|f| (f.pointer.as_str(), f.message.as_str())));
        proxy.report.add(&reported(refused.status.as_u16()), &findings);
        return with_violations(refused.into_response(), findings.len());
    }

    let mut url = proxy.upstream.clone();
    url.set_path(&format!("{}{}", proxy.upstream.path().trim_end_matches('/'), path));
    url.set_query(query);
    let mut headers = forwarded(&parts.headers);
    // An encoded answer could not be checked: ask for it as it is.
    headers.remove(axum::http::header::ACCEPT_ENCODING);
    let sent = proxy
        .http
        .request(parts.method.clone(), url)
        .headers(headers)
        .body(request_body.clone())
        .send()
        .await;
    let upstream = match sent {
        Ok(upstream) => upstream,
        Err(error) => return unreachable(&error.without_url().to_string()),
    };
    let status = upstream.status();
    let response_headers = upstream.headers().clone();
    let response_body = match read_limited(upstream).await {
        Ok(body) => body,
        Err(message) => return unreachable(&message),
    };
    let mut undocumented = Vec::new();
    if let Some(operation) = operation {
        findings.extend(checks::check_response(operation, status.as_u16(), &response_body));
        undocumented = checks::undocumented(operation, status.as_u16(), &response_body);
    }
    proxy.report.add(&reported(status.as_u16()), &findings);
    proxy.report.add_undocumented(&reported(status.as_u16()), &undocumented);
    if let Some(recorder) = &proxy.recorder {
        let seen = Seen {
            method,
            path: &path,
            query,
            operation,
            request_headers: &parts.headers,
            request_body: &request_body,
            status: status.as_u16(),
            response_headers: &response_headers,
            response_body: &response_body,
        };
        if let Err(error) = recorder.record(&seen) {
            eprintln!("zendesk-fake: the recording lost an exchange of {method} {path}: {error}");
        }
    }
    let response_findings: Vec<&Finding> = findings.iter().filter(|f| f.side == Side::Response).collect();
    if proxy.strict && !response_findings.is_empty() {
        let listed: Vec<String> = response_findings
            .iter()
            .map(|f| format!("{} ({})", f.message, if f.pointer.is_empty() { "the body" } else { &f.pointer }))
            .collect();
        let body = json!({
            "error": "UpstreamResponseInvalid",
            "description": format!("the upstream's {status} answer breaks the spec: {}", listed.join("; ")),
            "details": response_findings,
        });
        return with_violations((StatusCode::BAD_GATEWAY, axum::Json(body)).into_response(), findings.len());
    }
    let mut response = Response::new(Body::from(response_body));
    *response.status_mut() = status;
    *response.headers_mut() = forwarded(&response_headers);
    with_violations(response, findings.len())
}

/// `headers` without the ones that belong to a connection.
fn forwarded(headers: &HeaderMap) -> HeaderMap {
    let mut kept = headers.clone();
    for name in NOT_FORWARDED {
        kept.remove(name);
    }
    kept
}

fn with_violations(mut response: Response, count: usize) -> Response {
    response
        .headers_mut()
        .insert(HeaderName::from_static(VIOLATIONS_HEADER), HeaderValue::from(count));
    response
}

/// 502: the upstream did not answer (the message names no credential nor
/// URL).
fn unreachable(message: &str) -> Response {
    let body = json!({
        "error": "UpstreamUnreachable",
        "description": format!("the upstream did not answer: {message}"),
    });
    (StatusCode::BAD_GATEWAY, axum::Json(body)).into_response()
}

/// The upstream's body, at most as large as the largest the fake reads.
async fn read_limited(mut upstream: reqwest::Response) -> Result<Bytes, String> {
    let too_large = || format!("the upstream's answer is larger than {MAX_REQUEST_BODY} bytes");
    if upstream.content_length().is_some_and(|l| l > MAX_REQUEST_BODY as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = upstream.chunk().await.map_err(|e| e.without_url().to_string())? {
        if body.len() + chunk.len() > MAX_REQUEST_BODY {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}
