//! Capture over plain HTTP (`--no-browser`): the page, every redirect on
//! the way, and the resources its HTML names, each request and response
//! kept as sent and received.
//!
//! Bodies are asked for without content encoding (`Accept-Encoding:
//! identity`, as wget does), so what the WARC holds is what the server
//! sent, byte for byte. Redirects are followed by hand so that each hop is
//! a record of its own.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use qorgau_core::Timestamp;
use tokio::time::Instant;
use url::Url;

use crate::error::CaptureError;
use crate::model::{CaptureOptions, Engine, Exchange, HttpRequest, HttpResponse, PageCapture};
use crate::requisites::requisites;
use crate::tls::RecordingVerifier;

/// Most redirects followed for one page.
const MAX_REDIRECTS: usize = 10;
/// Requisites fetched at once.
const PARALLEL: usize = 6;

/// The plain-HTTP capture engine; one per run, reused for every page.
pub struct HttpEngine {
    client: reqwest::Client,
    verifier: Arc<RecordingVerifier>,
    options: CaptureOptions,
}

impl HttpEngine {
    /// An engine with these limits.
    pub fn new(options: CaptureOptions) -> Result<Self, CaptureError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier =
            Arc::new(RecordingVerifier::new(provider.clone()).map_err(CaptureError::Client)?);
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| CaptureError::Client(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| CaptureError::Client(e.to_string()))?;
        Ok(Self {
            client,
            verifier,
            options,
        })
    }

    /// Captures `url`: follows redirects, reads the page, fetches its
    /// requisites. Fails only when no response came at all; a page that
    /// stops half-way is returned, marked partial.
    pub async fn capture(&self, url: &str) -> Result<PageCapture, CaptureError> {
        let started_at = Timestamp::now();
        let start = parse_url(url)?;
        let deadline = Instant::now() + self.options.load_timeout;
        let mut exchanges = Vec::new();
        let mut warnings = Vec::new();
        let mut current = start.clone();
        let mut hops = 0;
        loop {
            let exchange = self.fetch(&current, "page", deadline).await;
            let redirect = exchange.response.as_ref().and_then(|r| {
                (300..400)
                    .contains(&r.status)
                    .then(|| r.header("location"))
                    .flatten()
                    .and_then(|loc| current.join(loc).ok())
            });
            let failed = exchange.response.is_none();
            let error = exchange.error.clone();
            exchanges.push(exchange);
            if failed {
                if exchanges.len() == 1 {
                    return Err(CaptureError::Fetch {
                        url: url.to_owned(),
                        message: error.unwrap_or_else(|| "no response".to_owned()),
                    });
                }
                warnings.push(format!(
                    "the redirect to {current} got no response: {}",
                    error.unwrap_or_default()
                ));
                break;
            }
            match redirect {
                Some(next) if hops < MAX_REDIRECTS => {
                    if next.host_str() != current.host_str() {
                        warnings.push(format!(
                            "redirected from {} to another host: {}",
                            current.host_str().unwrap_or_default(),
                            next.host_str().unwrap_or_default()
                        ));
                    }
                    current = next;
                    hops += 1;
                }
                Some(_) => {
                    warnings.push(format!("stopped after {MAX_REDIRECTS} redirects"));
                    break;
                }
                None => break,
            }
        }
        let page_index = exchanges.len() - 1;
        let (status, server_ip, media_type, body, truncated) = {
            let page = &exchanges[page_index];
            let r = page.response.as_ref();
            (
                r.map(|r| r.status),
                page.server_ip.clone(),
                r.and_then(HttpResponse::media_type),
                r.map(|r| r.body.clone()).unwrap_or_default(),
                r.and_then(|r| r.truncated.clone()),
            )
        };
        let is_html = media_type
            .as_deref()
            .is_none_or(|t| t == "text/html" || t == "application/xhtml+xml");
        let final_url = current.to_string();
        let (mut title, mut visible_text, mut links) = (None, String::new(), Vec::new());
        if is_html && !body.is_empty() {
            let page = qorgau_sources::html_to_document(&final_url, &body);
            title = page.title;
            visible_text = page.text;
            links = page.links;
            if let Some(w) = page.encoding_warning {
                warnings.push(w);
            }
            let wanted = requisites(
                &String::from_utf8_lossy(&body),
                &current,
                self.options.max_resources,
            );
            let fetched: Vec<Exchange> = futures_util::stream::iter(wanted)
                .map(|u| async move {
                    match Url::parse(&u) {
                        Ok(u) => Some(self.fetch(&u, "requisite", deadline).await),
                        Err(_) => None,
                    }
                })
                .buffered(PARALLEL)
                .filter_map(|e| async move { e })
                .collect()
                .await;
            exchanges.extend(fetched);
        }
        if let Some(s) = status.filter(|s| *s >= 400) {
            warnings.push(format!(
                "the server answered {s} {}: the page may have been removed",
                reqwest::StatusCode::from_u16(s)
                    .ok()
                    .and_then(|c| c.canonical_reason())
                    .unwrap_or_default()
            ));
        }
        let tls = if current.scheme() == "https" {
            current.host_str().and_then(|h| self.verifier.facts(h))
        } else {
            None
        };
        if let Some(t) = &tls
            && !t.trusted
        {
            warnings.push(format!(
                "the server's certificate is not trusted ({}); captured anyway",
                t.trust_error.as_deref().unwrap_or("unknown reason")
            ));
        }
        let partial = truncated.map(|why| match why.as_str() {
            "time" => format!(
                "the page never finished loading: the server stopped sending after {} bytes and the capture gave up after {} s",
                body.len(),
                self.options.load_timeout.as_secs()
            ),
            "length" => format!(
                "the page was cut at the size limit of {} bytes",
                self.options.max_body_bytes
            ),
            other => format!("the page is incomplete ({other})"),
        });
        Ok(PageCapture {
            requested_url: url.to_owned(),
            final_url,
            engine: Engine::Http,
            started_at,
            finished_at: Timestamp::now(),
            status,
            server_ip,
            tls,
            title,
            visible_text,
            links,
            dom_html: None,
            screenshot_png: None,
            screenshot_note: Some("no screenshot: captured without a browser".to_owned()),
            exchanges,
            user_agent: self.options.user_agent.clone(),
            browser_version: None,
            viewport: None,
            partial,
            warnings,
        })
    }

    /// One GET, kept whatever happens.
    async fn fetch(&self, url: &Url, resource_type: &str, deadline: Instant) -> Exchange {
        let mut headers = vec![
            ("Host".to_owned(), host_header(url)),
            ("User-Agent".to_owned(), self.options.user_agent.clone()),
            (
                "Accept".to_owned(),
                if resource_type == "page" {
                    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
                } else {
                    "*/*"
                }
                .to_owned(),
            ),
            (
                "Accept-Language".to_owned(),
                "ru,kk;q=0.9,en;q=0.8".to_owned(),
            ),
            ("Accept-Encoding".to_owned(), "identity".to_owned()),
        ];
        let mut builder = self.client.get(url.as_str());
        for (k, v) in headers.iter().skip(1) {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let started_at = Timestamp::now();
        let mut exchange = Exchange {
            request: HttpRequest {
                method: "GET".to_owned(),
                url: url.to_string(),
                headers: Vec::new(),
                body: Vec::new(),
            },
            response: None,
            server_ip: None,
            started_at,
            error: None,
            resource_type: resource_type.to_owned(),
        };
        let sent = tokio::time::timeout_at(deadline, builder.send()).await;
        let mut response = match sent {
            Err(_) => {
                exchange.error = Some("no response before the capture's time limit".to_owned());
                exchange.request.headers = std::mem::take(&mut headers);
                return exchange;
            }
            Ok(Err(e)) => {
                exchange.error = Some(crate::error::error_text(&e));
                exchange.request.headers = std::mem::take(&mut headers);
                return exchange;
            }
            Ok(Ok(r)) => r,
        };
        exchange.request.headers = headers;
        exchange.server_ip = response.remote_addr().map(|a| a.ip().to_string());
        let status = response.status();
        let response_headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let protocol = format!("{:?}", response.version());
        let mut body = Vec::new();
        let mut truncated = None;
        loop {
            match tokio::time::timeout_at(deadline, response.chunk()).await {
                Err(_) => {
                    truncated = Some("time".to_owned());
                    break;
                }
                Ok(Err(_)) => {
                    truncated = Some("disconnect".to_owned());
                    break;
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => {
                    let room = self.options.max_body_bytes.saturating_sub(body.len());
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        truncated = Some("length".to_owned());
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
            }
        }
        exchange.response = Some(HttpResponse {
            protocol,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or_default().to_owned(),
            headers: response_headers,
            body,
            decoded: false,
            truncated,
        });
        exchange
    }
}

/// The `Host` header hyper sends: the host, and the port when it is not
/// the scheme's default.
fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    }
}

pub(crate) fn parse_url(url: &str) -> Result<Url, CaptureError> {
    let parsed = Url::parse(url).map_err(|e| CaptureError::BadUrl {
        url: url.to_owned(),
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(CaptureError::BadUrl {
            url: url.to_owned(),
            reason: format!("scheme {} cannot be captured", parsed.scheme()),
        });
    }
    Ok(parsed)
}
